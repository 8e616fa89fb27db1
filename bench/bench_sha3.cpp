// SHA3-512 single buffer: darekit (scalar Keccak) vs OpenSSL, same run.
#include <openssl/evp.h>

#include "bench_util.hpp"
#include "darekit/crypto/sha3.hpp"

using namespace darekit;

static void BM_sha3_512_darekit(benchmark::State& st) {
  const auto& in = bench::buffer(std::size_t(st.range(0)));
  for (auto _ : st) benchmark::DoNotOptimize(hash<sha3_512>(in));
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}
static void BM_sha3_512_openssl(benchmark::State& st) {
  const auto& in = bench::buffer(std::size_t(st.range(0)));
  unsigned char out[64];
  unsigned len = 0;
  for (auto _ : st) { EVP_Digest(in.data(), in.size(), out, &len, EVP_sha3_512(), nullptr); benchmark::DoNotOptimize(out); }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}
BENCHMARK(BM_sha3_512_darekit)->Apply(bench::sizes);
BENCHMARK(BM_sha3_512_openssl)->Apply(bench::sizes);
