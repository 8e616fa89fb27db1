// The two 4-lane AVX2 SHA-512 kernels (all-vector and vector + scalar-schedule hybrid)
// against the single-lane compression function, block by block, whatever kernel the
// process is forced to (the dispatch tests cover which one hash_many picks).
#include <catch2/catch.hpp>

#include "darekit/hash/detail/sha512_x.hpp"
#include "hash_test_util.hpp"

using namespace darekit;

#if DAREKIT_X86
namespace {
using kernel_fn = void (*)(std::uint64_t*, const std::uint8_t* const*, std::size_t) noexcept;

void check_kernel(kernel_fn fn, std::size_t n, std::uint64_t seed) {
  bytes data[4];
  const std::uint8_t* p[4];
  std::uint64_t ref[4][8], st[32];
  for (std::size_t j = 0; j < 4; ++j) {
    data[j] = test::prng_bytes(n * 128, seed + j);
    p[j] = data[j].data();
    const bytes iv = test::prng_bytes(64, seed * 31 + j);  // arbitrary chaining values
    for (std::size_t w = 0; w < 8; ++w) st[w * 4 + j] = ref[j][w] = load_be64(iv.data() + 8 * w);
    detail::sha512_compress(ref[j], p[j], n);
  }
  fn(st, p, n);
  for (std::size_t j = 0; j < 4; ++j)
    for (std::size_t w = 0; w < 8; ++w) REQUIRE(st[w * 4 + j] == ref[j][w]);
}
}  // namespace

TEST_CASE("sha512x4 AVX2 kernels match the one-lane compression", "[hash][sha512x4]") {
  if (!cpu().avx2 || !cpu().bmi2) {
    WARN("no AVX2+BMI2 on this CPU: the 4-lane kernels are not run");
    return;
  }
  for (std::size_t n : {1, 2, 3, 4, 7, 33}) {
    CAPTURE(n);
    check_kernel(&detail::sha512x4_avx2::compress_vector, n, 100 + n);
    check_kernel(&detail::sha512x4_avx2::compress_hybrid, n, 200 + n);
  }
  // n = 0 leaves the state alone.
  std::uint64_t st[32];
  for (std::size_t i = 0; i < 32; ++i) st[i] = i * 0x9e3779b97f4a7c15ull;
  const std::uint8_t* p[4] = {nullptr, nullptr, nullptr, nullptr};
  detail::sha512x4_avx2::compress_hybrid(st, p, 0);
  detail::sha512x4_avx2::compress_vector(st, p, 0);
  for (std::size_t i = 0; i < 32; ++i) REQUIRE(st[i] == i * 0x9e3779b97f4a7c15ull);
}
#endif
