// ckx: one device deriving SA pairs with all its peers (the 10,000-node mesh case), against
// bare libsodium X25519 as the baseline, measured in the same run.
#include <sodium.h>

#include <vector>

#include "bench_util.hpp"
#include "darekit/ckx.hpp"
#include "darekit/core/cpu.hpp"

namespace {
using namespace darekit;

struct mesh {
  ckx::x25519_keypair me = ckx::x25519_generate();
  std::array<std::uint8_t, 32> my_nonce{};
  std::vector<ckx::x25519_public> pubs;
  std::vector<std::array<std::uint8_t, 32>> nonces;
  explicit mesh(std::size_t peers) {
    random_fill(my_nonce);
    for (std::size_t i = 0; i < peers; ++i) {
      pubs.push_back(ckx::x25519_generate().pk);
      nonces.emplace_back();
      random_fill(nonces.back());
    }
  }
};
const mesh& the_mesh(std::size_t peers) {
  static std::deque<std::pair<std::size_t, mesh>> cache;
  for (auto& [n, m] : cache) if (n == peers) return m;
  cache.emplace_back(peers, mesh(peers));
  return cache.back().second;
}

/// Baseline: bare libsodium X25519, one per peer.
void BM_ckx_node_x25519_libsodium(benchmark::State& st) {
  const auto& m = the_mesh(std::size_t(st.range(0)));
  std::array<std::uint8_t, 32> out{};
  for (auto _ : st) {
    for (const auto& p : m.pubs) {
      if (crypto_scalarmult(out.data(), m.me.sk.data(), p.data()) != 0) st.SkipWithError("small order");
      benchmark::DoNotOptimize(out);
    }
  }
  st.SetItemsProcessed(std::int64_t(st.iterations()) * st.range(0));
}

/// darekit: the whole per-peer schedule (X25519 + SKEYSEED + SPIs + KEYMAT + split) for every
/// peer, X25519 batched (AVX-512 IFMA when available; `scalar` forces libsodium).
void node_derive(benchmark::State& st, bool force_scalar) {
  const auto& m = the_mesh(std::size_t(st.range(0)));
  if (force_scalar) force_kernel(kernel::avx2);
  st.SetLabel(std::string(ckx::x25519_batch_kernel()));
  const std::size_t n = m.pubs.size();
  std::vector<ckx::x25519_shared> shared(n);
  std::vector<std::uint8_t> ok(n);
  const ckx::profile prof;
  for (auto _ : st) {
    ckx::x25519_shared_batch(m.me.sk, m.pubs, shared, ok);
    for (std::size_t i = 0; i < n; ++i) {
      auto d = ckx::derive_from_shared(prof, prof.default_policy, shared[i], {m.my_nonce, 5, 1}, {m.nonces[i], 9, 1});
      if (!d) { st.SkipWithError(d.err().what().c_str()); break; }
      benchmark::DoNotOptimize(d->sas.outbound.spi);
    }
  }
  if (force_scalar) force_kernel(std::nullopt);
  st.SetItemsProcessed(std::int64_t(st.iterations()) * st.range(0));
}
void BM_ckx_node_derive(benchmark::State& st) { node_derive(st, false); }
void BM_ckx_node_derive_scalar(benchmark::State& st) { node_derive(st, true); }

/// The key schedule alone (no DH), per pair.
void BM_ckx_kdf_only(benchmark::State& st) {
  const auto& m = the_mesh(64);
  ckx::x25519_shared gir;
  random_fill(gir.span());
  const ckx::profile prof{st.range(0) ? ckx::prf_id::hmac_sha2_512 : ckx::prf_id::hmac_sha2_256, ckx::keymat_mode::via_sk_d, false, {}};
  for (auto _ : st) {
    auto d = ckx::derive_from_shared(prof, prof.default_policy, gir, {m.my_nonce, 5, 1}, {m.nonces[0], 9, 1});
    benchmark::DoNotOptimize(d->sas.outbound.spi);
  }
  st.SetItemsProcessed(std::int64_t(st.iterations()));
  st.SetLabel(st.range(0) ? "hmac-sha512" : "hmac-sha256");
}

BENCHMARK(BM_ckx_node_x25519_libsodium)->Arg(9999)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ckx_node_derive)->Arg(9999)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ckx_node_derive_scalar)->Arg(9999)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ckx_kdf_only)->Arg(0)->Arg(1);

}  // namespace
