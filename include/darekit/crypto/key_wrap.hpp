// AES-256 Key Wrap (RFC 3394 §2.2, the index-based form), as used by DARE/JOSE
// "A256KW" recipients.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/aes.hpp"

namespace darekit::key_wrap {

/// Largest key (in bytes) wrap() accepts; unwrap() accepts this plus 8.
inline constexpr std::size_t max_key_size = 4096;

namespace detail {
inline constexpr std::uint8_t default_iv[8] = {0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6};
}  // namespace detail

/// Wrap `key` (a multiple of 8 bytes, at least 16, at most max_key_size) under the
/// 32-byte `kek`. Returns key.size() + 8 bytes.
inline result<bytes> wrap(byte_view kek, byte_view key) {
  if (key.size() < 16 || key.size() % 8)
    return fail(errc::invalid_argument, "key wrap needs a key of at least 16 bytes, a multiple of 8");
  if (key.size() > max_key_size) return fail(errc::too_large, "key to wrap is too large");
  DAREKIT_TRY(auto aes, aes256::create(kek));
  const std::size_t n = key.size() / 8;
  bytes out(key.size() + 8);
  std::uint8_t* r = out.data() + 8;  // R[1..n]
  std::memcpy(r, key.data(), key.size());
  std::uint8_t b[16];
  std::memcpy(b, detail::default_iv, 8);  // A lives in b[0..8)
  for (std::uint64_t j = 0; j < 6; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      std::memcpy(b + 8, r + 8 * i, 8);
      aes.encrypt_blocks(b, b, 1);
      const std::uint64_t t = n * j + i + 1;
      store_be64(b, load_be64(b) ^ t);
      std::memcpy(r + 8 * i, b + 8, 8);
    }
  }
  std::memcpy(out.data(), b, 8);
  wipe(b, sizeof b);
  return out;
}

/// Unwrap `wrapped` (a multiple of 8 bytes, at least 24) under the 32-byte `kek`.
/// The integrity check value is compared in constant time; any mismatch (wrong KEK,
/// corrupted data) fails with errc::verification_failed.
inline result<secure_bytes> unwrap(byte_view kek, byte_view wrapped) {
  if (wrapped.size() < 24 || wrapped.size() % 8)
    return fail(errc::malformed, "wrapped key must be at least 24 bytes and a multiple of 8");
  if (wrapped.size() > max_key_size + 8) return fail(errc::too_large, "wrapped key is too large");
  DAREKIT_TRY(auto aes, aes256::create(kek));
  const std::size_t n = wrapped.size() / 8 - 1;
  secure_bytes out(wrapped.subspan(8));
  std::uint8_t* r = out.data();
  std::uint8_t b[16];
  std::memcpy(b, wrapped.data(), 8);
  for (std::uint64_t j = 6; j-- > 0;) {
    for (std::size_t i = n; i-- > 0;) {
      const std::uint64_t t = n * j + i + 1;
      store_be64(b, load_be64(b) ^ t);
      std::memcpy(b + 8, r + 8 * i, 8);
      aes.decrypt_blocks(b, b, 1);
      std::memcpy(r + 8 * i, b + 8, 8);
    }
  }
  const bool good = ct_equal(byte_view(b, 8), byte_view(detail::default_iv, 8));
  wipe(b, sizeof b);
  if (!good) return fail(errc::verification_failed, "key unwrap integrity check failed");
  return out;
}

}  // namespace darekit::key_wrap
