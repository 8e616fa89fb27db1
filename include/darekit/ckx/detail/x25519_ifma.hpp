// X25519 for eight u-coordinates at once with one scalar, on AVX-512 IFMA (52-bit multiply-
// accumulate). Field elements mod 2^255-19 in radix 2^51, five 64-bit limbs, one lane per
// point. The Montgomery ladder is RFC 7748 §5; every lane follows the same scalar bits, so the
// conditional swaps are uniform across lanes and constant-time (mask arithmetic, no branches).
// Compiled with a target attribute only; callers must check ifma_available() first.
#pragma once
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DAREKIT_CKX_HAVE_IFMA 1
#include <immintrin.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "darekit/core/cpu.hpp"

namespace darekit::ckx::detail::ifma {

#define DAREKIT_IFMA_TARGET __attribute__((target("avx512f,avx512ifma"), always_inline)) inline
#define DAREKIT_IFMA_FN __attribute__((target("avx512f,avx512ifma"))) inline

/// AVX-512 IFMA usable (hardware, OS state, and not capped by DAREKIT_FORCE_KERNEL).
inline bool ifma_available() noexcept {
  return darekit::cpu().avx512ifma && darekit::active_kernel() == darekit::kernel::avx512;
}

struct fe8 {
  __m512i v[5];
};

constexpr std::uint64_t mask51 = (std::uint64_t(1) << 51) - 1;

// Shifts through the zero-masked forms: GCC 12's unmasked ones read an "undefined" vector
// and trip -Wuninitialized.
DAREKIT_IFMA_TARGET __m512i shl(__m512i x, unsigned n) { return _mm512_maskz_slli_epi64(__mmask8(0xff), x, n); }
DAREKIT_IFMA_TARGET __m512i shr(__m512i x, unsigned n) { return _mm512_maskz_srli_epi64(__mmask8(0xff), x, n); }

DAREKIT_IFMA_TARGET __m512i times19(__m512i x) {
  return _mm512_add_epi64(_mm512_add_epi64(shl(x, 4), shl(x, 1)), x);
}

/// One parallel carry round: every limb's excess moves up at once (the top one times 19).
/// Inputs < 2^63; outputs < 2^51 + 2^17, below the 2^52 IFMA multiplies read. (Sums of two
/// such values, and a - b + 4p, are < 2^54 and come back below 2^51 + 2^8.)
DAREKIT_IFMA_TARGET void carry(__m512i c[5]) {
  const __m512i m = _mm512_set1_epi64(std::int64_t(mask51));
  __m512i t[5];
#pragma GCC unroll 10
  for (int k = 0; k < 5; ++k) { t[k] = shr(c[k], 51); c[k] = _mm512_and_si512(c[k], m); }
  c[0] = _mm512_add_epi64(c[0], times19(t[4]));
#pragma GCC unroll 10
  for (int k = 1; k < 5; ++k) c[k] = _mm512_add_epi64(c[k], t[k - 1]);
}

/// Columns lo[k] (k = 0..8) and hi[k] of the 52-bit split products -> reduced element.
/// Value = sum lo[k] 2^(51k) + sum hi[k] 2^(51k+52) = sum (lo[k] + 2 hi[k-1]) 2^(51k).
DAREKIT_IFMA_TARGET fe8 reduce_columns(const __m512i lo[9], const __m512i hi[9]) {
  __m512i c[10];
  c[0] = lo[0];
  #pragma GCC unroll 10
  for (int k = 1; k < 9; ++k) c[k] = _mm512_add_epi64(lo[k], shl(hi[k - 1], 1));
  c[9] = shl(hi[8], 1);
  // 2^255 = 19 (mod p)
  #pragma GCC unroll 10
  for (int k = 0; k < 5; ++k) c[k] = _mm512_add_epi64(c[k], times19(c[k + 5]));
  carry(c);
  fe8 r;
  #pragma GCC unroll 10
  for (int k = 0; k < 5; ++k) r.v[k] = c[k];
  return r;
}

/// a * b; inputs need limbs < 2^52.
DAREKIT_IFMA_TARGET fe8 mul(const fe8& a, const fe8& b) {
  const __m512i z = _mm512_setzero_si512();
  __m512i lo[9], hi[9];
  #pragma GCC unroll 10
  for (int k = 0; k < 9; ++k) lo[k] = hi[k] = z;
  #pragma GCC unroll 10
  for (int i = 0; i < 5; ++i)
    #pragma GCC unroll 10
    for (int j = 0; j < 5; ++j) {
      lo[i + j] = _mm512_madd52lo_epu64(lo[i + j], a.v[i], b.v[j]);
      hi[i + j] = _mm512_madd52hi_epu64(hi[i + j], a.v[i], b.v[j]);
    }
  return reduce_columns(lo, hi);
}

/// a^2 with the 10 cross products computed once and doubled.
DAREKIT_IFMA_TARGET fe8 sqr(const fe8& a) {
  const __m512i z = _mm512_setzero_si512();
  __m512i xl[9], xh[9], lo[9], hi[9];
  #pragma GCC unroll 10
  for (int k = 0; k < 9; ++k) xl[k] = xh[k] = lo[k] = hi[k] = z;
  #pragma GCC unroll 10
  for (int i = 0; i < 5; ++i)
    #pragma GCC unroll 10
    for (int j = i + 1; j < 5; ++j) {
      xl[i + j] = _mm512_madd52lo_epu64(xl[i + j], a.v[i], a.v[j]);
      xh[i + j] = _mm512_madd52hi_epu64(xh[i + j], a.v[i], a.v[j]);
    }
  #pragma GCC unroll 10
  for (int k = 0; k < 9; ++k) { lo[k] = shl(xl[k], 1); hi[k] = shl(xh[k], 1); }
  #pragma GCC unroll 10
  for (int i = 0; i < 5; ++i) {
    lo[2 * i] = _mm512_madd52lo_epu64(lo[2 * i], a.v[i], a.v[i]);
    hi[2 * i] = _mm512_madd52hi_epu64(hi[2 * i], a.v[i], a.v[i]);
  }
  return reduce_columns(lo, hi);
}

/// a * s for a small constant s < 2^20.
DAREKIT_IFMA_TARGET fe8 mul_small(const fe8& a, std::uint64_t s) {
  const __m512i z = _mm512_setzero_si512(), sv = _mm512_set1_epi64(std::int64_t(s));
  __m512i c[6];
  #pragma GCC unroll 10
  for (int k = 0; k < 6; ++k) c[k] = z;
  #pragma GCC unroll 10
  for (int i = 0; i < 5; ++i) {
    c[i] = _mm512_madd52lo_epu64(c[i], a.v[i], sv);
    c[i + 1] = _mm512_add_epi64(c[i + 1], shl(_mm512_madd52hi_epu64(z, a.v[i], sv), 1));
  }
  c[0] = _mm512_add_epi64(c[0], times19(c[5]));
  carry(c);
  fe8 r;
  #pragma GCC unroll 10
  for (int k = 0; k < 5; ++k) r.v[k] = c[k];
  return r;
}

DAREKIT_IFMA_TARGET fe8 add(const fe8& a, const fe8& b) {
  __m512i c[5];
  #pragma GCC unroll 10
  for (int k = 0; k < 5; ++k) c[k] = _mm512_add_epi64(a.v[k], b.v[k]);
  carry(c);
  fe8 r;
  #pragma GCC unroll 10
  for (int k = 0; k < 5; ++k) r.v[k] = c[k];
  return r;
}

/// a - b + 4p (limbs of 4p exceed any reduced b), carried.
DAREKIT_IFMA_TARGET fe8 sub(const fe8& a, const fe8& b) {
  const __m512i p0 = _mm512_set1_epi64(std::int64_t((mask51 - 18) * 4)), pi = _mm512_set1_epi64(std::int64_t(mask51 * 4));
  __m512i c[5];
  #pragma GCC unroll 10
  for (int k = 0; k < 5; ++k) c[k] = _mm512_sub_epi64(_mm512_add_epi64(a.v[k], k == 0 ? p0 : pi), b.v[k]);
  carry(c);
  fe8 r;
  #pragma GCC unroll 10
  for (int k = 0; k < 5; ++k) r.v[k] = c[k];
  return r;
}

DAREKIT_IFMA_TARGET void cswap(fe8& a, fe8& b, __m512i mask) {
  #pragma GCC unroll 10
  for (int k = 0; k < 5; ++k) {
    const __m512i t = _mm512_and_si512(_mm512_xor_si512(a.v[k], b.v[k]), mask);
    a.v[k] = _mm512_xor_si512(a.v[k], t);
    b.v[k] = _mm512_xor_si512(b.v[k], t);
  }
}

DAREKIT_IFMA_TARGET fe8 sqr_n(fe8 a, int n) {
  for (int i = 0; i < n; ++i) a = sqr(a);
  return a;
}

/// z^(p-2) (the ref10 addition chain: 254 squarings, 11 multiplications).
DAREKIT_IFMA_FN fe8 invert(const fe8& z) {
  const fe8 z2 = sqr(z);
  const fe8 z9 = mul(sqr_n(z2, 2), z);
  const fe8 z11 = mul(z9, z2);
  const fe8 z5_0 = mul(sqr(z11), z9);
  const fe8 z10_0 = mul(sqr_n(z5_0, 5), z5_0);
  const fe8 z20_0 = mul(sqr_n(z10_0, 10), z10_0);
  const fe8 z40_0 = mul(sqr_n(z20_0, 20), z20_0);
  const fe8 z50_0 = mul(sqr_n(z40_0, 10), z10_0);
  const fe8 z100_0 = mul(sqr_n(z50_0, 50), z50_0);
  const fe8 z200_0 = mul(sqr_n(z100_0, 100), z100_0);
  const fe8 z250_0 = mul(sqr_n(z200_0, 50), z50_0);
  return mul(sqr_n(z250_0, 5), z11);
}

/// Load eight u-coordinates (bit 255 masked, RFC 7748 §5).
DAREKIT_IFMA_FN fe8 load(const std::uint8_t* const u[8]) {
  alignas(64) std::uint64_t l[5][8];
  for (int n = 0; n < 8; ++n) {
    std::uint64_t w[4];
    std::memcpy(w, u[n], 32);
    w[3] &= 0x7fffffffffffffffull;
    l[0][n] = w[0] & mask51;
    l[1][n] = ((w[0] >> 51) | (w[1] << 13)) & mask51;
    l[2][n] = ((w[1] >> 38) | (w[2] << 26)) & mask51;
    l[3][n] = ((w[2] >> 25) | (w[3] << 39)) & mask51;
    l[4][n] = (w[3] >> 12) & mask51;
  }
  fe8 r;
  for (int k = 0; k < 5; ++k) r.v[k] = _mm512_load_si512(l[k]);
  return r;
}

/// Store eight fully reduced (canonical) field elements as 32-byte little-endian strings.
DAREKIT_IFMA_FN void store(const fe8& a, std::uint8_t* const out[8]) {
  alignas(64) std::uint64_t l[5][8];
  for (int k = 0; k < 5; ++k) _mm512_store_si512(l[k], a.v[k]);
  for (int n = 0; n < 8; ++n) {
    std::uint64_t h[5] = {l[0][n], l[1][n], l[2][n], l[3][n], l[4][n]};
    // carry twice so every limb is < 2^51, then subtract p if h >= p (constant time)
    for (int round = 0; round < 2; ++round) {
      for (int k = 0; k < 4; ++k) { h[k + 1] += h[k] >> 51; h[k] &= mask51; }
      h[0] += 19 * (h[4] >> 51);
      h[4] &= mask51;
    }
    std::uint64_t q = (h[0] + 19) >> 51;
    for (int k = 1; k < 5; ++k) q = (h[k] + q) >> 51;
    h[0] += 19 * q;
    for (int k = 0; k < 4; ++k) { h[k + 1] += h[k] >> 51; h[k] &= mask51; }
    h[4] &= mask51;
    const std::uint64_t w[4] = {h[0] | (h[1] << 51), (h[1] >> 13) | (h[2] << 38), (h[2] >> 26) | (h[3] << 25),
                                (h[3] >> 39) | (h[4] << 12)};
    std::memcpy(out[n], w, 32);
  }
}

/// out[n] = X25519(k, u[n]) for n = 0..7 (RFC 7748 §5), with one scalar for all lanes.
DAREKIT_IFMA_FN void x25519_x8(const std::uint8_t k_in[32], const std::uint8_t* const u[8], std::uint8_t* const out[8]) {
  std::uint8_t k[32];
  std::memcpy(k, k_in, 32);
  k[0] &= 248;
  k[31] &= 127;
  k[31] |= 64;
  const fe8 x1 = load(u);
  fe8 x2, z2, x3 = x1, z3;
  const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi64(1);
  for (int i = 0; i < 5; ++i) { x2.v[i] = i ? zero : one; z2.v[i] = zero; z3.v[i] = i ? zero : one; }
  std::uint64_t swap = 0;
  for (int t = 254; t >= 0; --t) {
    const std::uint64_t kt = (k[t >> 3] >> (t & 7)) & 1;
    swap ^= kt;
    const __m512i m = _mm512_set1_epi64(-std::int64_t(swap));
    cswap(x2, x3, m);
    cswap(z2, z3, m);
    swap = kt;
    const fe8 A = add(x2, z2), B = sub(x2, z2), C = add(x3, z3), D = sub(x3, z3);
    const fe8 AA = sqr(A), BB = sqr(B);
    const fe8 E = sub(AA, BB);
    const fe8 DA = mul(D, A), CB = mul(C, B);
    x3 = sqr(add(DA, CB));
    z3 = mul(x1, sqr(sub(DA, CB)));
    x2 = mul(AA, BB);
    z2 = mul(E, add(AA, mul_small(E, 121665)));
  }
  const __m512i m = _mm512_set1_epi64(-std::int64_t(swap));
  cswap(x2, x3, m);
  cswap(z2, z3, m);
  store(mul(x2, invert(z2)), out);
  volatile std::uint8_t* vk = k;
  for (int i = 0; i < 32; ++i) vk[i] = 0;
}

#undef DAREKIT_IFMA_TARGET
#undef DAREKIT_IFMA_FN

}  // namespace darekit::ckx::detail::ifma
#endif
