// Shared helpers of the hash tests.
#pragma once
#include <openssl/evp.h>

#include <cstdlib>
#include <random>

#include "crypto/openssl_peer.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/crypto/hasher.hpp"

namespace darekit::test {

/// A SHA3-512 streaming type backed by OpenSSL, named like darekit's: the multi-buffer
/// API selects its kernels by H::name, so this exercises the darekit kernels, and the
/// one-shot hash<H>() of it is an independent oracle.
struct ossl_sha3_512 {
  static constexpr std::size_t digest_size = 64, block_size = 72;
  static constexpr std::string_view name = "sha3-512";
  using digest_type = digest512;
  bytes buf;
  void update(byte_view b) { buf.insert(buf.end(), b.begin(), b.end()); }
  digest_type finish() {
    auto d = ossl_digest("SHA3-512", buf);
    digest_type r;
    std::copy(d.begin(), d.end(), r.begin());
    return r;
  }
};

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
