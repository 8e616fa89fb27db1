// Cryptographically secure random bytes (libsodium's randombytes).
#pragma once
#include <sodium.h>

#include "darekit/core/bytes.hpp"
#include "darekit/core/sodium.hpp"

namespace darekit {
/// Fill `out` with random bytes.
inline void random_fill(byte_span out) noexcept {
  detail::ensure_sodium();
  if (!out.empty()) randombytes_buf(out.data(), out.size());  // data() may be null when empty
}
/// `n` random bytes.
inline bytes random_bytes(std::size_t n) {
  bytes b(n);
  random_fill(b);
  return b;
}
}  // namespace darekit
