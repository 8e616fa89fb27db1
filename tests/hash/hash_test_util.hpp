// Shared helpers of the hash tests.
#pragma once
#include <openssl/evp.h>

#include <cstdlib>
#include <random>

#include "crypto/openssl_peer.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/crypto/hasher.hpp"

namespace darekit::test {

/// Deterministic pseudo-random bytes.
inline bytes prng_bytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  bytes b(n);
  for (auto& x : b) x = std::uint8_t(g());
  return b;
}

/// The kernel this test process is expected to run: the hardware's best, capped by
/// DAREKIT_FORCE_KERNEL.
inline kernel expected_kernel() {
  const kernel hw = detail::hardware_kernel(cpu());
  const char* env = std::getenv("DAREKIT_FORCE_KERNEL");
  if (!env) return hw;
  auto k = parse_kernel(env);
  if (!k) return hw;
  return int(*k) < int(hw) ? *k : hw;
}

}  // namespace darekit::test
