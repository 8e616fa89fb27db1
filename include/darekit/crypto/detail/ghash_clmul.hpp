// GHASH (NIST SP 800-38D §6.4) with carry-less multiplication on xmm registers.
//
// Representation. A GCM field element is a 16-byte string whose first bit (the MSB of
// byte 0) is the coefficient of x^0. Loading the block byte-reversed into a 128-bit
// register puts the coefficient of x^i at integer bit 127-i: the "reflected" form,
// which we write rev(a). In the variable y = 1/x, rev(a) = y^127 a(1/y), and arithmetic
// mod G(x) = x^128 + x^7 + x^2 + x + 1 becomes arithmetic mod
// G'(y) = y^128 + y^127 + y^126 + y^121 + 1.
//
// Multiplication. PCLMULQDQ on two reflected operands yields the 256-bit value
// y^254 a(1/y) b(1/y). A Montgomery reduction by y^128 (two 64-bit steps; G' = 1 mod y^64,
// so each step adds the low quadword times G' and drops it) leaves y^126 (ab)(1/y), one
// power of y short of rev(ab). That power is folded into the key: every power of H is
// stored as rev(H^i * x^-1) = y^128 H^i(1/y) mod G' (the "H << 1" trick), so that
// reduce(clmul(rev(a), stored(H^i))) = rev(a * H^i).
//
// Aggregation. Reduction is linear, so sum_j clmul(rev(b_j), stored(H^(k-j))) over a group
// of k blocks is reduced once per group. Every function here works on reflected values.
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/crypto/aes.hpp"

#if DAREKIT_HAVE_AESNI
#define DAREKIT_HAVE_GCM_CLMUL 1
#if defined(__GNUC__)
#define DAREKIT_TARGET_GCM __attribute__((target("aes,pclmul,ssse3,sse4.1")))
// Small helpers are always inlined, so that in a kernel compiled for a wider target
// (the VEX-encoded xmm kernel, the zmm kernel) they take that target's encoding.
#define DAREKIT_GCM_INLINE inline __attribute__((always_inline))
#else
#define DAREKIT_TARGET_GCM
#define DAREKIT_GCM_INLINE inline
#endif
#else
#define DAREKIT_HAVE_GCM_CLMUL 0
#endif

namespace darekit::detail {

/// Number of powers of H kept per key (H^1..H^32; the xmm kernel uses H^1..H^8).
inline constexpr std::size_t gcm_powers = 32;

/// A GCM key: the AES-256 encryption round keys and the powers of the hash key.
/// htab[k] (16 bytes each) holds stored(H^(32-k)), so htab[32-r .. 31] are the powers
/// H^r .. H^1 that multiply a group of r blocks in order.
struct gcm_key {
  alignas(64) std::uint8_t ek[15 * 16];
  alignas(64) std::uint8_t htab[gcm_powers * 16];
  /// hkar[k]: both quadwords = low ^ high quadword of htab[k] (Karatsuba middle operand).
  alignas(64) std::uint8_t hkar[gcm_powers * 16];
};

#if DAREKIT_HAVE_GCM_CLMUL
/// Reverse the 16 bytes of a block (GCM block <-> reflected element).
DAREKIT_TARGET_GCM DAREKIT_GCM_INLINE __m128i gcm_bswap(__m128i x) noexcept {
  return _mm_shuffle_epi8(x, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

/// Accumulate the unreduced 256-bit product a*b as three 128-bit parts:
/// lo (y^0..), mi (y^64..), hi (y^128..).
DAREKIT_TARGET_GCM DAREKIT_GCM_INLINE void gcm_mul_acc(__m128i a, __m128i b, __m128i& lo, __m128i& mi, __m128i& hi) noexcept {
  lo = _mm_xor_si128(lo, _mm_clmulepi64_si128(a, b, 0x00));
  hi = _mm_xor_si128(hi, _mm_clmulepi64_si128(a, b, 0x11));
  mi = _mm_xor_si128(mi, _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x01), _mm_clmulepi64_si128(a, b, 0x10)));
}

/// Montgomery-reduce an accumulated product (lo, mi, hi) by y^128 modulo G'.
/// Each of the two steps takes the lowest quadword q, adds q*G' (which clears it, as
/// G' = 1 mod y^64) and divides by y^64: what remains of q*G' is q*(y^57 + y^62 + y^63)
/// (one PCLMULQDQ by 0xC2 << 56) plus q*y^64 (the quadword swap).
DAREKIT_TARGET_GCM DAREKIT_GCM_INLINE __m128i gcm_reduce(__m128i lo, __m128i mi, __m128i hi) noexcept {
  const __m128i p = _mm_set1_epi64x(static_cast<long long>(0xC200000000000000ULL));
  mi = _mm_xor_si128(mi, _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4e), _mm_clmulepi64_si128(lo, p, 0x00)));
  return _mm_xor_si128(hi, _mm_xor_si128(_mm_shuffle_epi32(mi, 0x4e), _mm_clmulepi64_si128(mi, p, 0x00)));
}

/// rev(a * h) for a reflected `a` and a stored power `h`.
DAREKIT_TARGET_GCM DAREKIT_GCM_INLINE __m128i gcm_mul(__m128i a, __m128i h) noexcept {
  __m128i lo = _mm_setzero_si128(), mi = lo, hi = lo;
  gcm_mul_acc(a, h, lo, mi, hi);
  return gcm_reduce(lo, mi, hi);
}

DAREKIT_TARGET_GCM DAREKIT_GCM_INLINE __m128i gcm_htab(const gcm_key& k, std::size_t i) noexcept {
  return _mm_load_si128(reinterpret_cast<const __m128i*>(k.htab + 16 * i));
}

/// Fill k.htab from H = E_K(0^128) (16 bytes, GCM byte order).
DAREKIT_TARGET_GCM inline void gcm_init_powers(gcm_key& k, const std::uint8_t* h_block) noexcept {
  // stored(H) = y * rev(H) mod G': shift left one bit; if a bit leaves at y^128, add
  // G' - y^128 = 0xC2000000000000000000000000000001 (branch-free).
  const __m128i r = gcm_bswap(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h_block)));
  const std::uint64_t lo = static_cast<std::uint64_t>(_mm_cvtsi128_si64(r));
  const std::uint64_t hi = static_cast<std::uint64_t>(_mm_extract_epi64(r, 1));
  const std::uint64_t mask = 0 - (hi >> 63);
  const std::uint64_t nlo = (lo << 1) ^ (mask & 1u);
  const std::uint64_t nhi = ((hi << 1) | (lo >> 63)) ^ (mask & 0xC200000000000000ULL);
  const __m128i h1 = _mm_set_epi64x(static_cast<long long>(nhi), static_cast<long long>(nlo));
  // stored(H^i) = reduce(clmul(stored(H^(i-1)), stored(H))): the first operand is read as
  // rev(H^(i-1) x^-1), so the product is rev(H^i x^-1) = stored(H^i).
  __m128i p = h1;
  _mm_store_si128(reinterpret_cast<__m128i*>(k.htab + 16 * (gcm_powers - 1)), p);
  for (std::size_t i = 2; i <= gcm_powers; ++i) {
    p = gcm_mul(p, h1);
    _mm_store_si128(reinterpret_cast<__m128i*>(k.htab + 16 * (gcm_powers - i)), p);
  }
  for (std::size_t i = 0; i < gcm_powers; ++i) {
    const __m128i h = gcm_htab(k, i);
    _mm_store_si128(reinterpret_cast<__m128i*>(k.hkar + 16 * i), _mm_xor_si128(h, _mm_shuffle_epi32(h, 0x4e)));
  }
}

/// GHASH `r` (1..8) reflected blocks b[0..r-1] into the reflected state x:
/// x = (x + b0) H^r + b1 H^(r-1) + ... + b_{r-1} H, one reduction.
DAREKIT_TARGET_GCM DAREKIT_GCM_INLINE __m128i gcm_ghash_group(const gcm_key& k, __m128i x, const __m128i* b,
                                                  std::size_t r) noexcept {
  __m128i lo = _mm_setzero_si128(), mi = lo, hi = lo;
  gcm_mul_acc(_mm_xor_si128(x, b[0]), gcm_htab(k, gcm_powers - r), lo, mi, hi);
  for (std::size_t j = 1; j < r; ++j) gcm_mul_acc(b[j], gcm_htab(k, gcm_powers - r + j), lo, mi, hi);
  return gcm_reduce(lo, mi, hi);
}

/// The reflected GCM length block: len(A) || len(C) in bits, big-endian.
DAREKIT_TARGET_GCM DAREKIT_GCM_INLINE __m128i gcm_length_block(std::size_t adlen, std::size_t n) noexcept {
  return _mm_set_epi64x(static_cast<long long>(std::uint64_t(adlen) * 8), static_cast<long long>(std::uint64_t(n) * 8));
}
#endif  // DAREKIT_HAVE_GCM_CLMUL

}  // namespace darekit::detail
