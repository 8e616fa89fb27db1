// ChaCha20-Poly1305 (RFC 8439 §2.8) and XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03
// §2.3) AEADs with detached 16-byte tags, on darekit's own ChaCha20 and Poly1305
// kernels (see chacha20.hpp, poly1305.hpp).
//
// Long messages are processed in 4 KiB pieces: encrypt a piece, then MAC the
// ciphertext while it is still in L1 (open: MAC, then decrypt), so the data is read
// from memory once. `ct` may equal `m` (in place; not partially overlapping).
// open() compares tags in constant time; on failure it returns false and leaves the
// `n` output bytes zeroed.
//
// Limits: one (key, nonce) pair may seal at most (2^32 - 1) * 64 bytes (RFC 8439).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/chacha20.hpp"
#include "darekit/crypto/poly1305.hpp"

namespace darekit {
namespace detail {

inline constexpr std::size_t aead_piece = 4096;  // multiple of 64: keeps the block counter aligned

/// Poly1305 key from block 0, then MAC of the AD; leaves st at block counter 1.
inline void aead_begin(poly1305& mac, std::uint32_t st[16], const std::uint8_t* ad, std::size_t adlen) noexcept {
  std::uint8_t block0[64];
  chacha20_block(st, block0);
  mac.init(block0);
  wipe(block0, sizeof block0);
  st[12] = 1;
  if (adlen) mac.update(ad, adlen);
  mac.pad16();
}

inline void aead_end(poly1305& mac, std::uint8_t tag[16], std::size_t adlen, std::size_t n) noexcept {
  mac.pad16();
  std::uint8_t lens[16];
  store_le64(lens, std::uint64_t(adlen));
  store_le64(lens + 8, std::uint64_t(n));
  mac.update(lens, 16);
  mac.finish(tag);
}

inline void aead_seal(std::uint8_t* ct, std::uint8_t tag[16], const std::uint8_t* m, std::size_t n,
                      const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[12],
                      const std::uint8_t key[32]) noexcept {
  const kernel k = active_kernel();
  std::uint32_t st[16];
  chacha20_init(st, key, nonce, 0);
  poly1305 mac;
  aead_begin(mac, st, ad, adlen);
  for (std::size_t off = 0; off < n; off += aead_piece) {
    const std::size_t len = n - off < aead_piece ? n - off : aead_piece;
    chacha20_xor_with(k, st, ct + off, m + off, len);
    mac.update(ct + off, len);
  }
  aead_end(mac, tag, adlen, n);
  wipe(st, sizeof st);
}

[[nodiscard]] inline bool aead_open(std::uint8_t* m, const std::uint8_t* ct, std::size_t n, const std::uint8_t tag[16],
                                    const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[12],
                                    const std::uint8_t key[32]) noexcept {
  const kernel k = active_kernel();
  std::uint32_t st[16];
  chacha20_init(st, key, nonce, 0);
  poly1305 mac;
  aead_begin(mac, st, ad, adlen);
  for (std::size_t off = 0; off < n; off += aead_piece) {
    const std::size_t len = n - off < aead_piece ? n - off : aead_piece;
    mac.update(ct + off, len);
    chacha20_xor_with(k, st, m + off, ct + off, len);
  }
  std::uint8_t want[16];
  aead_end(mac, want, adlen, n);
  wipe(st, sizeof st);
  const bool ok = ct_equal({want, 16}, {tag, 16});
  wipe(want, sizeof want);
  if (!ok && n) std::memset(m, 0, n);
  return ok;
}

/// XChaCha20 subkey and 12-byte nonce from a 24-byte nonce.
inline void xchacha_derive(std::uint8_t subkey[32], std::uint8_t nonce12[12], const std::uint8_t nonce[24],
                           const std::uint8_t key[32]) noexcept {
  hchacha20(subkey, key, nonce);
  std::memset(nonce12, 0, 4);
  std::memcpy(nonce12 + 4, nonce + 16, 8);
}

}  // namespace detail

namespace chacha20poly1305 {
inline constexpr std::size_t key_size = 32;
inline constexpr std::size_t nonce_size = 12;
inline constexpr std::size_t tag_size = 16;

/// AEAD_CHACHA20_POLY1305 encryption: ct = ChaCha20(m), tag over (ad, ct).
/// `ct` may equal `m`.
inline void seal(std::uint8_t* ct, std::uint8_t tag[16], const std::uint8_t* m, std::size_t n,
                 const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[12],
                 const std::uint8_t key[32]) noexcept {
  detail::aead_seal(ct, tag, m, n, ad, adlen, nonce, key);
}

/// AEAD_CHACHA20_POLY1305 decryption: true and m = plaintext when the tag verifies,
/// otherwise false and m zeroed. `m` may equal `ct`.
[[nodiscard]] inline bool open(std::uint8_t* m, const std::uint8_t* ct, std::size_t n, const std::uint8_t tag[16],
                               const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[12],
                               const std::uint8_t key[32]) noexcept {
  return detail::aead_open(m, ct, n, tag, ad, adlen, nonce, key);
}
}  // namespace chacha20poly1305

namespace xchacha20poly1305 {
inline constexpr std::size_t key_size = 32;
inline constexpr std::size_t nonce_size = 24;
inline constexpr std::size_t tag_size = 16;

/// XChaCha20-Poly1305 (IETF) encryption with a 24-byte nonce; `ct` may equal `m`.
inline void seal(std::uint8_t* ct, std::uint8_t tag[16], const std::uint8_t* m, std::size_t n,
                 const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[24],
                 const std::uint8_t key[32]) noexcept {
  std::uint8_t subkey[32], n12[12];
  detail::xchacha_derive(subkey, n12, nonce, key);
  detail::aead_seal(ct, tag, m, n, ad, adlen, n12, subkey);
  wipe(subkey, sizeof subkey);
}

/// XChaCha20-Poly1305 (IETF) decryption; false and m zeroed when the tag fails.
[[nodiscard]] inline bool open(std::uint8_t* m, const std::uint8_t* ct, std::size_t n, const std::uint8_t tag[16],
                               const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[24],
                               const std::uint8_t key[32]) noexcept {
  std::uint8_t subkey[32], n12[12];
  detail::xchacha_derive(subkey, n12, nonce, key);
  const bool ok = detail::aead_open(m, ct, n, tag, ad, adlen, n12, subkey);
  wipe(subkey, sizeof subkey);
  return ok;
}
}  // namespace xchacha20poly1305

}  // namespace darekit
