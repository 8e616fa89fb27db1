// AES-256-GCM bulk kernel on xmm registers (AES-NI + PCLMULQDQ, SSE encodings): CTR
// over eight blocks per iteration, stitched with the GHASH of eight blocks using
// H^8..H^1 and one reduction. Used by the scalar and avx2 kernel tiers.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/crypto/detail/ghash_clmul.hpp"

#if defined(__GNUC__)
#define DAREKIT_UNROLL _Pragma("GCC unroll 16")
#else
#define DAREKIT_UNROLL
#endif

namespace darekit::detail {
#if DAREKIT_HAVE_GCM_CLMUL

DAREKIT_TARGET_GCM inline __m128i gcm_rk(const gcm_key& k, int r) noexcept {
  return _mm_load_si128(reinterpret_cast<const __m128i*>(k.ek + 16 * r));
}

/// Encrypt eight counter blocks from the reflected counter `ctr` (not advanced) into s.
DAREKIT_TARGET_GCM inline void gcm_keystream8(const gcm_key& k, __m128i ctr, __m128i* s) noexcept {
  const __m128i k0 = gcm_rk(k, 0);
  DAREKIT_UNROLL
  for (int j = 0; j < 8; ++j) s[j] = _mm_xor_si128(gcm_bswap(_mm_add_epi32(ctr, _mm_set_epi32(0, 0, 0, j))), k0);
  DAREKIT_UNROLL
  for (int r = 1; r < 14; ++r) {
    const __m128i kr = gcm_rk(k, r);
    DAREKIT_UNROLL
    for (int j = 0; j < 8; ++j) s[j] = _mm_aesenc_si128(s[j], kr);
  }
  const __m128i kl = gcm_rk(k, 14);
  DAREKIT_UNROLL
  for (int j = 0; j < 8; ++j) s[j] = _mm_aesenclast_si128(s[j], kl);
}

/// CTR-encrypt (Encrypt) or decrypt `n` bytes from `in` to `out` (which may be the
/// same buffer) starting at the reflected counter block `ctr`, and GHASH the
/// ciphertext into the reflected state `x`; returns the new state.
template <bool Encrypt>
DAREKIT_TARGET_GCM inline __m128i gcm_crypt_aesni(const gcm_key& k, __m128i x, __m128i ctr, const std::uint8_t* in,
                                                  std::uint8_t* out, std::size_t n) noexcept {
  const __m128i eight = _mm_set_epi32(0, 0, 0, 8);
  __m128i s[8];
  std::size_t i = 0;
  if (n >= 128) {
    // Encryption hashes the previous group's ciphertext while making this group's
    // keystream; decryption hashes this group's ciphertext (loaded before the store).
    if (Encrypt) {
      gcm_keystream8(k, ctr, s);
      ctr = _mm_add_epi32(ctr, eight);
      DAREKIT_UNROLL
      for (int j = 0; j < 8; ++j) {
        const __m128i p = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 16 * j));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * j), _mm_xor_si128(p, s[j]));
      }
      i = 128;
    }
    for (; i + 128 <= n; i += 128) {
      const std::uint8_t* h = Encrypt ? out + i - 128 : in + i;  // the blocks to hash
      const __m128i k0 = gcm_rk(k, 0);
      DAREKIT_UNROLL
      for (int j = 0; j < 8; ++j) s[j] = _mm_xor_si128(gcm_bswap(_mm_add_epi32(ctr, _mm_set_epi32(0, 0, 0, j))), k0);
      ctr = _mm_add_epi32(ctr, eight);
      __m128i lo = _mm_setzero_si128(), mi = lo, hi = lo;
      DAREKIT_UNROLL
      for (int r = 1; r < 14; ++r) {
        const __m128i kr = gcm_rk(k, r);
        DAREKIT_UNROLL
        for (int j = 0; j < 8; ++j) s[j] = _mm_aesenc_si128(s[j], kr);
        if (r <= 8) {
          __m128i b = gcm_bswap(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h + 16 * (r - 1))));
          if (r == 1) b = _mm_xor_si128(b, x);
          gcm_mul_acc(b, gcm_htab(k, gcm_powers - 8 + std::size_t(r - 1)), lo, mi, hi);
        }
        if (r == 9) x = gcm_reduce(lo, mi, hi);
      }
      const __m128i kl = gcm_rk(k, 14);
      DAREKIT_UNROLL
      for (int j = 0; j < 8; ++j) {
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i + 16 * j));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i + 16 * j), _mm_aesenclast_si128(s[j], _mm_xor_si128(kl, c)));
      }
    }
    if (Encrypt) x = gcm_ghash_xmm(k, x, out + i - 128, 128);
  }
  if (i < n) {
    // Tail of 1..127 bytes through a zero-padded buffer: the keystream bytes past the
    // end are cleared before hashing (encryption) or never written (decryption).
    const std::size_t rem = n - i;
    alignas(16) std::uint8_t buf[128] = {};
    std::memcpy(buf, in + i, rem);
    if (!Encrypt) x = gcm_ghash_xmm(k, x, buf, rem);
    gcm_keystream8(k, ctr, s);
    const std::size_t r = (rem + 15) / 16;
    for (std::size_t j = 0; j < r; ++j) {
      __m128i* q = reinterpret_cast<__m128i*>(buf + 16 * j);
      _mm_store_si128(q, _mm_xor_si128(_mm_load_si128(q), s[j]));
    }
    std::memcpy(out + i, buf, rem);
    if (Encrypt) {
      std::memset(buf + rem, 0, sizeof buf - rem);
      x = gcm_ghash_xmm(k, x, buf, rem);
    }
    wipe(buf, sizeof buf);
    wipe(s, sizeof s);
  }
  return x;
}

#endif  // DAREKIT_HAVE_GCM_CLMUL
}  // namespace darekit::detail
