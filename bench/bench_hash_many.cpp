// Multi-buffer hashing: hash_many over 8 x 4 KiB vs the same messages one by one with
// libsodium and OpenSSL, and SHA3-512 8-way vs scalar and OpenSSL; same run.
#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <vector>

#include "bench_util.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/crypto/sha3.hpp"
#include "darekit/hash.hpp"
#include "darekit/hash/detail/sha512_x.hpp"

using namespace darekit;

namespace {
constexpr std::size_t kMsgs = 8, kLen = 4096;

std::vector<byte_view> messages(std::size_t n = kMsgs, std::size_t len = kLen) {
  const auto& buf = bench::buffer(n * len);
  std::vector<byte_view> v;
  for (std::size_t i = 0; i < n; ++i) v.emplace_back(buf.data() + i * len, len);
  return v;
}

template <class H>
void many(benchmark::State& st, std::optional<kernel> k) {
  force_kernel(k);
  auto v = messages();
  std::vector<typename H::digest_type> out(v.size());
  for (auto _ : st) {
    (void)hash_many<H>(v, out);
    benchmark::DoNotOptimize(out.data());
  }
  st.SetLabel(std::string(to_string(hash_kernel_stats<H>().last)));
  force_kernel(std::nullopt);
  st.SetBytesProcessed(std::int64_t(st.iterations() * kMsgs * kLen));
}

void ossl_each(benchmark::State& st, const EVP_MD* md) {
  auto v = messages();
  unsigned char out[64];
  unsigned len = 0;
  for (auto _ : st)
    for (auto m : v) { EVP_Digest(m.data(), m.size(), out, &len, md, nullptr); benchmark::DoNotOptimize(out); }
  st.SetBytesProcessed(std::int64_t(st.iterations() * kMsgs * kLen));
}
}  // namespace

static void BM_hash_many_sha512_8x4K(benchmark::State& st) { many<sha512>(st, std::nullopt); }
static void BM_hash_many_sha512_8x4K_avx2(benchmark::State& st) { many<sha512>(st, kernel::avx2); }
static void BM_hash_many_sha512_8x4K_scalar(benchmark::State& st) { many<sha512>(st, kernel::scalar); }
static void BM_sha512_8x4K_libsodium_each(benchmark::State& st) {
  auto v = messages();
  unsigned char out[64];
  for (auto _ : st)
    for (auto m : v) { crypto_hash_sha512(out, m.data(), m.size()); benchmark::DoNotOptimize(out); }
  st.SetBytesProcessed(std::int64_t(st.iterations() * kMsgs * kLen));
}
static void BM_sha512_8x4K_openssl_each(benchmark::State& st) { ossl_each(st, EVP_sha512()); }

#if DAREKIT_X86
// The two 4-lane AVX2 SHA-512 kernels alone, 33 blocks per lane (what one 4 KiB message
// costs): the all-vector one and the vector + scalar-schedule hybrid that `hash_many`
// uses from 3 blocks on (see bench/README.md, multi-buffer notes).
template <void (*K)(std::uint64_t*, const std::uint8_t* const*, std::size_t) noexcept>
void sha512x4_kernel(benchmark::State& st) {
  if (!cpu().avx2 || !cpu().bmi2) { st.SkipWithError("needs AVX2 and BMI2"); return; }
  constexpr std::size_t blocks = 33;
  const auto& buf = bench::buffer(4 * blocks * 128);
  const std::uint8_t* p[4] = {buf.data(), buf.data() + blocks * 128, buf.data() + 2 * blocks * 128,
                              buf.data() + 3 * blocks * 128};
  alignas(32) std::uint64_t state[32] = {};
  for (auto _ : st) {
    K(state, p, blocks);
    benchmark::DoNotOptimize(state);
  }
  st.SetBytesProcessed(std::int64_t(st.iterations() * 4 * blocks * 128));
}
static void BM_sha512x4_avx2_kernel_vector(benchmark::State& st) { sha512x4_kernel<&detail::sha512x4_avx2::compress_vector>(st); }
static void BM_sha512x4_avx2_kernel_hybrid(benchmark::State& st) { sha512x4_kernel<&detail::sha512x4_avx2::compress_hybrid>(st); }
BENCHMARK(BM_sha512x4_avx2_kernel_vector);
BENCHMARK(BM_sha512x4_avx2_kernel_hybrid);

// The two 8-lane AVX-512 SHA-512 kernels alone, 33 blocks per lane: all-vector and the
// vector + scalar-schedule hybrid that `hash_many` uses from 8 blocks on.
template <void (*K)(std::uint64_t*, const std::uint8_t* const*, std::size_t) noexcept>
void sha512x8_kernel(benchmark::State& st) {
  if (!cpu().avx512f || !cpu().avx512bw || !cpu().avx512vl || !cpu().bmi2) {
    st.SkipWithError("needs AVX-512F/BW/VL and BMI2");
    return;
  }
  constexpr std::size_t blocks = 33;
  const auto& buf = bench::buffer(8 * blocks * 128);
  const std::uint8_t* p[8];
  for (std::size_t j = 0; j < 8; ++j) p[j] = buf.data() + j * blocks * 128;
  alignas(64) std::uint64_t state[64] = {};
  for (auto _ : st) {
    K(state, p, blocks);
    benchmark::DoNotOptimize(state);
  }
  st.SetBytesProcessed(std::int64_t(st.iterations() * 8 * blocks * 128));
}
static void BM_sha512x8_avx512_kernel_vector(benchmark::State& st) { sha512x8_kernel<&detail::sha512x8_avx512::compress_vector>(st); }
static void BM_sha512x8_avx512_kernel_hybrid(benchmark::State& st) { sha512x8_kernel<&detail::sha512x8_avx512::compress_hybrid>(st); }
BENCHMARK(BM_sha512x8_avx512_kernel_vector);
BENCHMARK(BM_sha512x8_avx512_kernel_hybrid);
#endif

static void BM_hash_many_sha256_16x4K(benchmark::State& st) {
  auto v = messages(16);
  std::vector<digest256> out(v.size());
  for (auto _ : st) { (void)hash_many<sha256>(v, out); benchmark::DoNotOptimize(out.data()); }
  st.SetBytesProcessed(std::int64_t(st.iterations() * 16 * kLen));
}
static void BM_sha256_16x4K_openssl_each(benchmark::State& st) {
  auto v = messages(16);
  unsigned char out[32];
  unsigned len = 0;
  for (auto _ : st)
    for (auto m : v) { EVP_Digest(m.data(), m.size(), out, &len, EVP_sha256(), nullptr); benchmark::DoNotOptimize(out); }
  st.SetBytesProcessed(std::int64_t(st.iterations() * 16 * kLen));
}

static void BM_sha256_16x4K_darekit_each(benchmark::State& st) {
  auto v = messages(16);
  for (auto _ : st)
    for (auto m : v) benchmark::DoNotOptimize(hash<sha256>(m));
  st.SetBytesProcessed(std::int64_t(st.iterations() * 16 * kLen));
}
static void BM_sha256_16x4K_libsodium_each(benchmark::State& st) {
  auto v = messages(16);
  unsigned char out[32];
  for (auto _ : st)
    for (auto m : v) { crypto_hash_sha256(out, m.data(), m.size()); benchmark::DoNotOptimize(out); }
  st.SetBytesProcessed(std::int64_t(st.iterations() * 16 * kLen));
}

static void BM_hash_many_sha3_512_8x4K(benchmark::State& st) { many<sha3_512>(st, std::nullopt); }
static void BM_hash_many_sha3_512_8x4K_avx2(benchmark::State& st) { many<sha3_512>(st, kernel::avx2); }
static void BM_hash_many_sha3_512_8x4K_scalar(benchmark::State& st) { many<sha3_512>(st, kernel::scalar); }
static void BM_sha3_512_8x4K_darekit_scalar_each(benchmark::State& st) {
  force_kernel(kernel::scalar);
  auto v = messages();
  for (auto _ : st)
    for (auto m : v) benchmark::DoNotOptimize(hash<sha3_512>(m));
  force_kernel(std::nullopt);
  st.SetBytesProcessed(std::int64_t(st.iterations() * kMsgs * kLen));
}
static void BM_sha3_512_8x4K_openssl_each(benchmark::State& st) { ossl_each(st, EVP_sha3_512()); }

BENCHMARK(BM_hash_many_sha512_8x4K);
BENCHMARK(BM_hash_many_sha512_8x4K_avx2);
BENCHMARK(BM_hash_many_sha512_8x4K_scalar);
BENCHMARK(BM_sha512_8x4K_libsodium_each);
BENCHMARK(BM_sha512_8x4K_openssl_each);
BENCHMARK(BM_hash_many_sha256_16x4K);
BENCHMARK(BM_sha256_16x4K_openssl_each);
BENCHMARK(BM_sha256_16x4K_darekit_each);
BENCHMARK(BM_sha256_16x4K_libsodium_each);
BENCHMARK(BM_hash_many_sha3_512_8x4K);
BENCHMARK(BM_hash_many_sha3_512_8x4K_avx2);
BENCHMARK(BM_hash_many_sha3_512_8x4K_scalar);
BENCHMARK(BM_sha3_512_8x4K_darekit_scalar_each);
BENCHMARK(BM_sha3_512_8x4K_openssl_each);
