// ChaCha20 (RFC 8439 §2.1-2.4) portable building blocks: state setup, the 20-round
// block function, HChaCha20, and a one-block-at-a-time XOR kernel. The SIMD kernels
// live in chacha20_x.hpp; the public API and dispatch in crypto/chacha20.hpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/secure.hpp"

namespace darekit::detail {

inline constexpr std::size_t chacha_block_bytes = 64;

/// Little-endian 32-bit load/store (byte assembly; compilers turn it into one move).
constexpr std::uint32_t chacha_le32(const std::uint8_t* p) noexcept {
  return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) | (std::uint32_t(p[3]) << 24);
}
constexpr void chacha_store_le32(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = std::uint8_t(v); p[1] = std::uint8_t(v >> 8); p[2] = std::uint8_t(v >> 16); p[3] = std::uint8_t(v >> 24);
}
constexpr std::uint32_t chacha_rotl(std::uint32_t x, int n) noexcept { return (x << n) | (x >> (32 - n)); }

/// The ChaCha quarter round (RFC 8439 §2.1) on four words of `x`.
constexpr void chacha_quarter(std::uint32_t* x, int a, int b, int c, int d) noexcept {
  x[a] += x[b]; x[d] = chacha_rotl(x[d] ^ x[a], 16);
  x[c] += x[d]; x[b] = chacha_rotl(x[b] ^ x[c], 12);
  x[a] += x[b]; x[d] = chacha_rotl(x[d] ^ x[a], 8);
  x[c] += x[d]; x[b] = chacha_rotl(x[b] ^ x[c], 7);
}

/// Ten double rounds (column round then diagonal round) in place.
constexpr void chacha20_rounds(std::uint32_t* x) noexcept {
  for (int i = 0; i < 10; ++i) {
    chacha_quarter(x, 0, 4, 8, 12); chacha_quarter(x, 1, 5, 9, 13);
    chacha_quarter(x, 2, 6, 10, 14); chacha_quarter(x, 3, 7, 11, 15);
    chacha_quarter(x, 0, 5, 10, 15); chacha_quarter(x, 1, 6, 11, 12);
    chacha_quarter(x, 2, 7, 8, 13); chacha_quarter(x, 3, 4, 9, 14);
  }
}

/// The four constant words "expand 32-byte k".
inline constexpr std::uint32_t chacha_sigma[4] = {0x61707865u, 0x3320646eu, 0x79622d32u, 0x6b206574u};

/// Set up the RFC 8439 state: constants, key, 32-bit block counter, 96-bit nonce.
inline void chacha20_init(std::uint32_t st[16], const std::uint8_t key[32], const std::uint8_t nonce[12],
                          std::uint32_t counter) noexcept {
  for (int i = 0; i < 4; ++i) st[i] = chacha_sigma[i];
  for (int i = 0; i < 8; ++i) st[4 + i] = chacha_le32(key + 4 * i);
  st[12] = counter;
  for (int i = 0; i < 3; ++i) st[13 + i] = chacha_le32(nonce + 4 * i);
}

/// One keystream block of the state `st` (st is not advanced).
inline void chacha20_block(const std::uint32_t st[16], std::uint8_t out[64]) noexcept {
  std::uint32_t x[16];
  std::memcpy(x, st, sizeof x);
  chacha20_rounds(x);
  for (int i = 0; i < 16; ++i) chacha_store_le32(out + 4 * i, x[i] + st[i]);
  wipe(x, sizeof x);
}

/// HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): words 0-3 and 12-15 of the permuted
/// state of (constants, key, 16-byte nonce), without the feed-forward addition.
inline void hchacha20(std::uint8_t out[32], const std::uint8_t key[32], const std::uint8_t nonce[16]) noexcept {
  std::uint32_t x[16];
  for (int i = 0; i < 4; ++i) x[i] = chacha_sigma[i];
  for (int i = 0; i < 8; ++i) x[4 + i] = chacha_le32(key + 4 * i);
  for (int i = 0; i < 4; ++i) x[12 + i] = chacha_le32(nonce + 4 * i);
  chacha20_rounds(x);
  for (int i = 0; i < 4; ++i) chacha_store_le32(out + 4 * i, x[i]);
  for (int i = 0; i < 4; ++i) chacha_store_le32(out + 16 + 4 * i, x[12 + i]);
  wipe(x, sizeof x);
}

/// XOR `n` bytes of keystream into in -> out, one block at a time; the block counter
/// st[12] advances by the number of blocks used (a final partial block consumes a
/// counter value too, but the caller must not continue after it).
inline void chacha20_xor_scalar(std::uint32_t st[16], std::uint8_t* out, const std::uint8_t* in, std::size_t n) noexcept {
  std::uint32_t x[16];
  std::uint8_t ks[64];
  for (; n >= 64; n -= 64, in += 64, out += 64) {
    std::memcpy(x, st, sizeof x);
    chacha20_rounds(x);
    for (int i = 0; i < 16; ++i) chacha_store_le32(ks + 4 * i, x[i] + st[i]);
    for (int i = 0; i < 64; ++i) out[i] = std::uint8_t(in[i] ^ ks[i]);
    ++st[12];
  }
  wipe(x, sizeof x);
  wipe(ks, sizeof ks);
  if (n) {
    chacha20_block(st, ks);
    ++st[12];
    for (std::size_t i = 0; i < n; ++i) out[i] = std::uint8_t(in[i] ^ ks[i]);
    wipe(ks, sizeof ks);
  }
}

}  // namespace darekit::detail
