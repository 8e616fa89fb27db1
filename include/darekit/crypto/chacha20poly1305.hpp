// ChaCha20-Poly1305 (RFC 8439 §2.8) and XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03
// §2.3) AEADs with detached 16-byte tags, on darekit's own ChaCha20 and Poly1305
// kernels (see chacha20.hpp, poly1305.hpp).
//
// With AVX-512 + IFMA (or AVX2) the whole-pass part of a message runs through one
// stitched kernel (detail/chacha20poly1305_x.hpp): each 1 KiB (512-byte) ChaCha20 pass
// absorbs as much ciphertext into the vector Poly1305 between its rounds. The rest
// (and the scalar kernel) goes in 4 KiB pieces: encrypt a piece, then MAC the
// ciphertext while it is still in L1 (open: MAC, then decrypt).
// A short message (up to 448 / 960 bytes with AVX2 / AVX-512) takes the Poly1305 key
// and its whole keystream from one SIMD pass.
//
// `ct` may equal `m` (in place; not partially overlapping). open() compares tags in
// constant time; on failure it returns false and leaves the `n` output bytes zeroed.
//
// Messages are limited to max_message_size = (2^32 - 1) * 64 bytes (RFC 8439 §2.8): the
// reach of the 32-bit block counter after the Poly1305 key block. Longer messages are
// refused before any byte is read or written (seal returns false with a zero tag, as
// aes256gcm::seal does; open returns false), instead of wrapping the counter.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/chacha20.hpp"
#include "darekit/crypto/detail/chacha20poly1305_x.hpp"
#include "darekit/crypto/poly1305.hpp"

namespace darekit {
namespace detail {

inline constexpr std::size_t aead_piece = 4096;  // multiple of 64: keeps the block counter aligned
/// Longest message: blocks 1 .. 2^32 - 1 of the 32-bit counter (block 0 keys Poly1305).
inline constexpr std::uint64_t aead_max_message = (std::uint64_t(1) << 32) * 64 - 64;

/// Absorb n bytes, then zeros up to a multiple of 16 (the RFC 8439 AEAD padding).
inline void aead_mac_padded(poly1305_state& ps, const std::uint8_t* p, std::size_t n, kernel pk) noexcept {
  const std::size_t full = n / 16;
  if (full) poly1305_blocks(ps, p, full, pk);
  if (n % 16) {
    std::uint8_t b[16] = {};
    std::memcpy(b, p + 16 * full, n % 16);
    poly1305_blocks_scalar(ps, b, 1, 1);
  }
}

/// Poly1305 key from block 0 (st left at counter 1), then the padded AD.
inline void aead_begin(poly1305_state& ps, std::uint32_t st[16], const std::uint8_t* ad, std::size_t adlen,
                       kernel pk) noexcept {
  std::uint8_t block0[64];
  chacha20_block(st, block0);
  poly1305_init(ps, block0);
  wipe(block0, sizeof block0);
  st[12] = 1;
  aead_mac_padded(ps, ad, adlen, pk);
}

/// The lengths block and the tag; wipes ps and st.
inline void aead_end(poly1305_state& ps, std::uint32_t st[16], std::uint8_t tag[16], std::size_t adlen,
                     std::size_t n) noexcept {
  std::uint8_t lens[16];
  store_le64(lens, std::uint64_t(adlen));
  store_le64(lens + 8, std::uint64_t(n));
  poly1305_blocks_scalar(ps, lens, 1, 1);
  poly1305_final(ps, tag);
  poly1305_wipe(ps);
  wipe(st, 16 * sizeof(std::uint32_t));
}

/// Start the AEAD: Poly1305 key, AD, and (SIMD kernels, short messages) the whole
/// message. With AVX2 / AVX-512 one 8- / 16-block pass from counter 0 yields the
/// Poly1305 key (block 0) and the keystream for messages up to 448 / 960 bytes,
/// instead of a separate scalar block. Returns the number of message bytes done
/// (out written, ciphertext absorbed); st is left at the next block.
template <bool Open>
inline std::size_t aead_head(kernel k, kernel pk, std::uint32_t st[16], poly1305_state& ps, std::uint8_t* out,
                             const std::uint8_t* in, std::size_t n, const std::uint8_t* ad,
                             std::size_t adlen) noexcept {
#if DAREKIT_HAVE_CHACHA_SIMD
  // Only when the whole message fits in that pass: a longer one would leave a short
  // tail for an extra pass, costing more than the scalar block 0 saves.
  const std::size_t blocks = k == kernel::avx512 && n > 448 ? 16 : 8;
  if (k != kernel::scalar && n <= 64 * (blocks - 1)) {
    const std::size_t head = n;
    alignas(64) std::uint8_t tmp[1024];
    std::memset(tmp, 0, 64);
    if (head) std::memcpy(tmp + 64, in, head);
    std::memset(tmp + 64 + head, 0, 64 * blocks - 64 - head);
    if (blocks == 16) chacha20_pass_avx512(st, tmp, tmp);
    else chacha20_pass_avx2(st, tmp, tmp);
    st[12] += std::uint32_t(blocks);
    chacha20_last_slot().store(int(blocks == 16 ? kernel::avx512 : kernel::avx2), std::memory_order_relaxed);
    poly1305_init(ps, tmp);
    aead_mac_padded(ps, ad, adlen, pk);
    if (Open) {
      aead_mac_padded(ps, in, head, pk);  // before the plaintext may overwrite it
      if (head) std::memcpy(out, tmp + 64, head);
    } else {
      if (head) std::memcpy(out, tmp + 64, head);
      aead_mac_padded(ps, out, head, pk);
    }
    wipe(tmp, 64 * blocks);
    return head;
  }
#endif
  (void)k; (void)out; (void)in; (void)n;
  aead_begin(ps, st, ad, adlen, pk);
  return 0;
}

/// Whether the stitched AVX-512 + IFMA kernel serves this call.
inline bool aead_stitched(kernel k, kernel pk, std::size_t n) noexcept {
#if DAREKIT_HAVE_CHACHAPOLY_STITCH
  return k == kernel::avx512 && pk == kernel::avx512 && n >= 1024;
#else
  (void)k; (void)pk; (void)n;
  return false;
#endif
}

/// Seal (Open = false: out = ciphertext) or open (Open = true: out = plaintext);
/// writes the computed tag.
template <bool Open>
inline void aead_run(std::uint8_t* out, std::uint8_t tag[16], const std::uint8_t* in, std::size_t n,
                     const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[12],
                     const std::uint8_t key[32]) noexcept {
  const kernel k = active_kernel();
  const kernel pk = poly1305_pick();
  std::uint32_t st[16];
  poly1305_state ps;
  chacha20_init(st, key, nonce, 0);
  std::size_t off = aead_head<Open>(k, pk, st, ps, out, in, n, ad, adlen);
#if DAREKIT_HAVE_CHACHAPOLY_STITCH
  if (aead_stitched(k, pk, n - off)) {
    if (!ps.have_powers) poly1305_powers(ps);
    const std::size_t chunks = (n - off) / 1024;
    if (Open) chachapoly_open_bulk(st, out + off, in + off, chunks, ps);
    else chachapoly_seal_bulk(st, out + off, in + off, chunks, ps);
    chacha20_last_slot().store(int(kernel::avx512), std::memory_order_relaxed);
    poly1305_last_slot().store(int(kernel::avx512), std::memory_order_relaxed);
    off += 1024 * chunks;
  }
#endif
#if DAREKIT_HAVE_CHACHAPOLY_STITCH2
  if (k != kernel::scalar && pk == kernel::avx2 && n - off >= 512) {
    if (!ps.have_v4) poly1305_powers4(ps);
    const std::size_t chunks = (n - off) / 512;
    if (Open) chachapoly_open_bulk2(st, out + off, in + off, chunks, ps);
    else chachapoly_seal_bulk2(st, out + off, in + off, chunks, ps);
    chacha20_last_slot().store(int(kernel::avx2), std::memory_order_relaxed);
    poly1305_last_slot().store(int(kernel::avx2), std::memory_order_relaxed);
    off += 512 * chunks;
  }
#endif
  for (; off < n; off += aead_piece) {
    const std::size_t len = n - off < aead_piece ? n - off : aead_piece;
    if (Open) aead_mac_padded(ps, in + off, len, pk);
    chacha20_xor_with(k, st, out + off, in + off, len);
    if (!Open) aead_mac_padded(ps, out + off, len, pk);
  }
  aead_end(ps, st, tag, adlen, n);
}

/// Whether an n-byte message is within the 32-bit block counter's reach.
constexpr bool aead_length_ok(std::uint64_t n) noexcept { return n <= aead_max_message; }

inline bool aead_seal(std::uint8_t* ct, std::uint8_t tag[16], const std::uint8_t* m, std::size_t n,
                      const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[12],
                      const std::uint8_t key[32]) noexcept {
  if (!aead_length_ok(n)) {
    std::memset(tag, 0, 16);
    return false;
  }
  aead_run<false>(ct, tag, m, n, ad, adlen, nonce, key);
  return true;
}

[[nodiscard]] inline bool aead_open(std::uint8_t* m, const std::uint8_t* ct, std::size_t n, const std::uint8_t tag[16],
                                    const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[12],
                                    const std::uint8_t key[32]) noexcept {
  if (!aead_length_ok(n)) return false;
  std::uint8_t want[16];
  aead_run<true>(m, want, ct, n, ad, adlen, nonce, key);
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
/// Longest message, (2^32 - 1) * 64 = 274,877,906,880 bytes (RFC 8439 §2.8).
inline constexpr std::uint64_t max_message_size = detail::aead_max_message;

/// AEAD_CHACHA20_POLY1305 encryption: ct = ChaCha20(m), tag over (ad, ct).
/// `ct` may equal `m`. Returns false (writing nothing but a zero tag) only when `n`
/// exceeds max_message_size.
inline bool seal(std::uint8_t* ct, std::uint8_t tag[16], const std::uint8_t* m, std::size_t n,
                 const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[12],
                 const std::uint8_t key[32]) noexcept {
  return detail::aead_seal(ct, tag, m, n, ad, adlen, nonce, key);
}

/// AEAD_CHACHA20_POLY1305 decryption: true and m = plaintext when the tag verifies,
/// otherwise false and m zeroed. `m` may equal `ct`. When `n` exceeds
/// max_message_size returns false without reading or writing anything.
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
/// Longest message (the inner ChaCha20-Poly1305's limit).
inline constexpr std::uint64_t max_message_size = detail::aead_max_message;

/// XChaCha20-Poly1305 (IETF) encryption with a 24-byte nonce; `ct` may equal `m`.
/// Returns false (writing nothing but a zero tag) only when `n` exceeds max_message_size.
inline bool seal(std::uint8_t* ct, std::uint8_t tag[16], const std::uint8_t* m, std::size_t n,
                 const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[24],
                 const std::uint8_t key[32]) noexcept {
  if (!detail::aead_length_ok(n)) return detail::aead_seal(ct, tag, m, n, ad, adlen, nonce, key);  // refuses
  std::uint8_t subkey[32], n12[12];
  detail::xchacha_derive(subkey, n12, nonce, key);
  const bool ok = detail::aead_seal(ct, tag, m, n, ad, adlen, n12, subkey);
  wipe(subkey, sizeof subkey);
  return ok;
}

/// XChaCha20-Poly1305 (IETF) decryption; false and m zeroed when the tag fails, false
/// without reading or writing when `n` exceeds max_message_size.
[[nodiscard]] inline bool open(std::uint8_t* m, const std::uint8_t* ct, std::size_t n, const std::uint8_t tag[16],
                               const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[24],
                               const std::uint8_t key[32]) noexcept {
  if (!detail::aead_length_ok(n)) return false;
  std::uint8_t subkey[32], n12[12];
  detail::xchacha_derive(subkey, n12, nonce, key);
  const bool ok = detail::aead_open(m, ct, n, tag, ad, adlen, n12, subkey);
  wipe(subkey, sizeof subkey);
  return ok;
}
}  // namespace xchacha20poly1305

}  // namespace darekit
