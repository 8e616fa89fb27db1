// Merkle trees: inclusion-proof verification in a 2^20-leaf tree, frontier appends, and
// the chunked file tree vs OpenSSL SHA-512 of the same bytes (same run).
#include <openssl/evp.h>

#include <random>

#include "bench_util.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/merkle.hpp"

using namespace darekit;
using H = sha512;

namespace {
const merkle::tree<H>& big_tree() {
  static const merkle::tree<H> t = [] {
    std::vector<digest512> lh(std::size_t(1) << 20);
    for (std::size_t i = 0; i < lh.size(); ++i) {
      std::uint8_t d[8];
      store_be64(d, i);
      lh[i] = merkle::leaf_hash<H>(byte_view(d, 8));
    }
    return merkle::tree<H>::from_leaf_hashes(std::move(lh));
  }();
  return t;
}
}  // namespace

static void BM_merkle_verify_inclusion_2p20(benchmark::State& st) {
  const auto& t = big_tree();
  std::vector<merkle::inclusion_proof<H>> proofs;
  std::mt19937_64 g(1);
  for (int i = 0; i < 64; ++i) proofs.push_back(*t.prove(g() % t.size()));
  const auto root = t.root();
  std::size_t i = 0, bad = 0;
  for (auto _ : st) {
    const auto& p = proofs[i++ & 63];
    if (!merkle::verify_inclusion<H>(p, t.leaf(p.index), root)) ++bad;
  }
  if (bad) st.SkipWithError("a proof failed");
  st.SetItemsProcessed(std::int64_t(st.iterations()));
}

static void BM_merkle_verify_inclusion_batch64_2p20(benchmark::State& st) {
  const auto& t = big_tree();
  std::vector<merkle::inclusion_proof<H>> proofs;
  std::vector<digest512> leaves;
  std::mt19937_64 g(2);
  for (int i = 0; i < 64; ++i) {
    proofs.push_back(*t.prove(g() % t.size()));
    leaves.push_back(t.leaf(proofs.back().index));
  }
  const auto root = t.root();
  bool ok[64];
  std::size_t bad = 0;
  for (auto _ : st) {
    (void)merkle::verify_inclusion_batch<H>(proofs, leaves, root, ok);
    for (bool b : ok) bad += !b;
  }
  if (bad) st.SkipWithError("a proof failed");
  st.SetItemsProcessed(std::int64_t(st.iterations()) * 64);
}

static void BM_merkle_prove_inclusion_2p20(benchmark::State& st) {
  const auto& t = big_tree();
  std::uint64_t i = 0;
  for (auto _ : st) benchmark::DoNotOptimize(t.prove((i += 7919) % t.size()));
  st.SetItemsProcessed(std::int64_t(st.iterations()));
}

static void BM_merkle_frontier_append(benchmark::State& st) {
  merkle::frontier<H> f;
  digest512 leaf{};
  for (auto _ : st) {
    leaf[0]++;
    f.append_leaf_hash(leaf);
  }
  benchmark::DoNotOptimize(f.root());
  st.SetItemsProcessed(std::int64_t(st.iterations()));
}

static void BM_merkle_build_tree_2p16_leaf_hashes(benchmark::State& st) {
  std::vector<digest512> lh(std::size_t(1) << 16);
  for (std::size_t i = 0; i < lh.size(); ++i) lh[i][0] = std::uint8_t(i);
  for (auto _ : st) benchmark::DoNotOptimize(merkle::root_from_leaf_hashes<H>(lh));
  st.SetItemsProcessed(std::int64_t(st.iterations()) * std::int64_t(lh.size()));
}

static void BM_merkle_chunk_tree_16MiB(benchmark::State& st) {
  const auto& in = bench::buffer(16 << 20);
  for (auto _ : st) {
    merkle::chunk_tree<H> t(4096);
    t.update(in);
    benchmark::DoNotOptimize(t.finish());
  }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * std::int64_t(in.size()));
}
static void BM_merkle_chunk_tree_16MiB_openssl_sha512(benchmark::State& st) {
  const auto& in = bench::buffer(16 << 20);
  unsigned char out[64];
  unsigned len = 0;
  for (auto _ : st) { EVP_Digest(in.data(), in.size(), out, &len, EVP_sha512(), nullptr); benchmark::DoNotOptimize(out); }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * std::int64_t(in.size()));
}

BENCHMARK(BM_merkle_verify_inclusion_2p20);
BENCHMARK(BM_merkle_verify_inclusion_batch64_2p20);
BENCHMARK(BM_merkle_prove_inclusion_2p20);
BENCHMARK(BM_merkle_frontier_append);
BENCHMARK(BM_merkle_build_tree_2p16_leaf_hashes);
BENCHMARK(BM_merkle_chunk_tree_16MiB);
BENCHMARK(BM_merkle_chunk_tree_16MiB_openssl_sha512);
