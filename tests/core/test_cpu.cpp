#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

#include "darekit/core/cpu.hpp"

using namespace darekit;

TEST_CASE("kernel names round-trip") {
  for (kernel k : {kernel::scalar, kernel::avx2, kernel::avx512}) CHECK(parse_kernel(to_string(k)) == k);
  CHECK_FALSE(parse_kernel("sse2").has_value());
}

TEST_CASE("active kernel honours DAREKIT_FORCE_KERNEL and the hardware") {
  const kernel hw = detail::hardware_kernel(cpu());
  const char* env = std::getenv("DAREKIT_FORCE_KERNEL");
  kernel expect = hw;
  if (env && parse_kernel(env) && int(*parse_kernel(env)) < int(hw)) expect = *parse_kernel(env);
  CHECK(active_kernel() == expect);
  // Hardware that reports AVX-512 also reports AVX2.
  if (cpu().avx512f) CHECK(cpu().avx2);
}

TEST_CASE("force_kernel caps the choice at run time") {
  force_kernel(kernel::scalar);
  CHECK(active_kernel() == kernel::scalar);
  force_kernel(kernel::avx512);
  CHECK(active_kernel() == detail::hardware_kernel(cpu()));
  force_kernel(std::nullopt);
}
