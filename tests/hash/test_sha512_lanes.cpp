// The multi-lane SHA-512 kernels (4-lane AVX2 and 8-lane AVX-512: all-vector, vector +
// scalar-schedule hybrid, and the 8-lane dispatcher that picks one by run length) against
// the single-lane compression function, block by block with arbitrary chaining values,
// whatever kernel the process is forced to (the dispatch tests cover which one hash_many
// picks).
#include <catch2/catch.hpp>

#include "darekit/hash/detail/sha512_x.hpp"
#include "hash_test_util.hpp"

using namespace darekit;

#if DAREKIT_X86
namespace {
using kernel_fn = void (*)(std::uint64_t*, const std::uint8_t* const*, std::size_t) noexcept;

/// L lanes of n blocks each through `fn` equal L runs of the one-lane compression.
template <std::size_t L>
void check_kernel(kernel_fn fn, std::size_t n, std::uint64_t seed) {
  bytes data[L];
  const std::uint8_t* p[L];
  std::uint64_t ref[L][8], st[8 * L];
  for (std::size_t j = 0; j < L; ++j) {
    data[j] = test::prng_bytes(n * 128, seed + j);
    p[j] = data[j].data();
    const bytes iv = test::prng_bytes(64, seed * 31 + j);  // arbitrary chaining values
    for (std::size_t w = 0; w < 8; ++w) st[w * L + j] = ref[j][w] = load_be64(iv.data() + 8 * w);
    detail::sha512_compress(ref[j], p[j], n);
  }
  fn(st, p, n);
  for (std::size_t j = 0; j < L; ++j)
    for (std::size_t w = 0; w < 8; ++w) REQUIRE(st[w * L + j] == ref[j][w]);
}

/// n = 0 leaves the state alone.
template <std::size_t L>
void check_zero_blocks(kernel_fn fn) {
  std::uint64_t st[8 * L];
  for (std::size_t i = 0; i < 8 * L; ++i) st[i] = i * 0x9e3779b97f4a7c15ull;
  const std::uint8_t* p[L] = {};
  fn(st, p, 0);
  for (std::size_t i = 0; i < 8 * L; ++i) REQUIRE(st[i] == i * 0x9e3779b97f4a7c15ull);
}
}  // namespace

TEST_CASE("sha512x4 AVX2 kernels match the one-lane compression", "[hash][sha512x4]") {
  if (!cpu().avx2 || !cpu().bmi2) {
    WARN("no AVX2+BMI2 on this CPU: the 4-lane kernels are not run");
    return;
  }
  for (std::size_t n : {1, 2, 3, 4, 7, 33}) {
    CAPTURE(n);
    check_kernel<4>(&detail::sha512x4_avx2::compress_vector, n, 100 + n);
    check_kernel<4>(&detail::sha512x4_avx2::compress_hybrid, n, 200 + n);
  }
  check_zero_blocks<4>(&detail::sha512x4_avx2::compress_vector);
  check_zero_blocks<4>(&detail::sha512x4_avx2::compress_hybrid);
}

TEST_CASE("sha512x8 AVX-512 kernels match the one-lane compression", "[hash][sha512x8]") {
  if (!cpu().avx512f || !cpu().avx512bw || !cpu().avx512vl || !cpu().bmi2) {
    WARN("no AVX-512F/BW/VL+BMI2 on this CPU: the 8-lane kernels are not run");
    return;
  }
  for (std::size_t n : {1, 2, 3, 4, 7, 8, 9, 33}) {
    CAPTURE(n);
    check_kernel<8>(&detail::sha512x8_avx512::compress_vector, n, 300 + n);
    check_kernel<8>(&detail::sha512x8_avx512::compress_hybrid, n, 400 + n);
    check_kernel<8>(&detail::sha512x8_avx512::compress, n, 500 + n);
  }
  check_zero_blocks<8>(&detail::sha512x8_avx512::compress_vector);
  check_zero_blocks<8>(&detail::sha512x8_avx512::compress_hybrid);
  check_zero_blocks<8>(&detail::sha512x8_avx512::compress);
}
#endif
