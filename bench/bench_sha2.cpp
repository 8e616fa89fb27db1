// SHA-512 single buffer: darekit vs libsodium vs OpenSSL, same run.
#include <openssl/evp.h>
#include <sodium.h>

#include "bench_util.hpp"
#include "darekit/crypto/sha2.hpp"

using namespace darekit;

static void BM_sha512_darekit(benchmark::State& st) {
  const auto& in = bench::buffer(std::size_t(st.range(0)));
  for (auto _ : st) benchmark::DoNotOptimize(hash<sha512>(in));
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}
static void BM_sha512_libsodium(benchmark::State& st) {
  const auto& in = bench::buffer(std::size_t(st.range(0)));
  unsigned char out[64];
  for (auto _ : st) { crypto_hash_sha512(out, in.data(), in.size()); benchmark::DoNotOptimize(out); }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}
static void BM_sha512_openssl(benchmark::State& st) {
  const auto& in = bench::buffer(std::size_t(st.range(0)));
  unsigned char out[64];
  unsigned len = 0;
  for (auto _ : st) { EVP_Digest(in.data(), in.size(), out, &len, EVP_sha512(), nullptr); benchmark::DoNotOptimize(out); }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}
BENCHMARK(BM_sha512_darekit)->Apply(bench::sizes);
BENCHMARK(BM_sha512_libsodium)->Apply(bench::sizes);
BENCHMARK(BM_sha512_openssl)->Apply(bench::sizes);
