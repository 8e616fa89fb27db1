// Poly1305 AVX-512 IFMA kernel: eight 16-byte blocks per step, one block per 64-bit
// lane, radix 2^44 (limbs of 44, 44 and 42 bits) multiplied with vpmadd52luq/huq.
//
// Lane i accumulates blocks P[i], P[i]+8, P[i]+16, ... of the run (P = {0,4,1,5,2,6,3,7},
// the order an unpack of two 64-byte loads leaves them in), multiplying by r^8 each
// step; the last step multiplies lane i by r^(8-P[i]) instead, so the sum of the lanes
// is exactly the Horner evaluation of the whole run. The incoming accumulator rides in
// lane 0 (block 0). Only used when cpu().avx512ifma and the active kernel is avx512.
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/core/detail/simd_warnings.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/crypto/detail/poly1305_scalar.hpp"

#if DAREKIT_X86 && defined(__GNUC__)
#define DAREKIT_HAVE_POLY_IFMA 1
#include <immintrin.h>
#define DAREKIT_POLY_IFMA __attribute__((target("avx512f,avx512ifma")))
#else
#define DAREKIT_HAVE_POLY_IFMA 0
#endif

DAREKIT_SIMD_WARNINGS_BEGIN

namespace darekit::detail {

/// Lane -> block index within a group of eight (see the file comment).
inline constexpr int poly1305_lane_block[8] = {0, 4, 1, 5, 2, 6, 3, 7};

/// Fill st.p8 and st.fin from r (scalar; once per key).
inline void poly1305_powers(poly1305_state& st) noexcept {
  std::uint64_t pw[9][3] = {};
  poly1305_to44(pw[1], st.r0, st.r1, 0);
  // A shallow tree (depth 3) rather than a chain of seven dependent products.
  poly1305_mul44(pw[2], pw[1], pw[1]);
  poly1305_mul44(pw[3], pw[2], pw[1]);
  poly1305_mul44(pw[4], pw[2], pw[2]);
  poly1305_mul44(pw[5], pw[4], pw[1]);
  poly1305_mul44(pw[6], pw[4], pw[2]);
  poly1305_mul44(pw[7], pw[4], pw[3]);
  poly1305_mul44(pw[8], pw[4], pw[4]);
  st.p8[0] = pw[8][0]; st.p8[1] = pw[8][1]; st.p8[2] = pw[8][2];
  st.p8[3] = pw[8][1] * 20; st.p8[4] = pw[8][2] * 20;
  for (int i = 0; i < 8; ++i) {
    const auto& p = pw[8 - poly1305_lane_block[i]];
    st.fin[0][i] = p[0]; st.fin[1][i] = p[1]; st.fin[2][i] = p[2];
    st.fin[3][i] = p[1] * 20; st.fin[4][i] = p[2] * 20;
  }
  st.have_powers = true;
  volatile std::uint64_t* w = &pw[0][0];
  for (int i = 0; i < 27; ++i) w[i] = 0;
}

#if DAREKIT_HAVE_POLY_IFMA

/// (h0, h1, h2) = (h0, h1, h2) * (r0, r1, r2) mod p per lane, s1 = 20 r1, s2 = 20 r2.
/// Inputs below 2^52 per limb; outputs h0, h1 < 2^44 + 2^9, h2 < 2^42.
DAREKIT_POLY_IFMA __attribute__((always_inline)) inline void poly1305_mul8(__m512i& h0, __m512i& h1, __m512i& h2,
                                                                          __m512i r0, __m512i r1, __m512i r2,
                                                                          __m512i s1, __m512i s2) noexcept {
  const __m512i z = _mm512_setzero_si512();
  const __m512i m44 = _mm512_set1_epi64(std::int64_t(poly_m44)), m42 = _mm512_set1_epi64(std::int64_t(poly_m42));
  __m512i d0l = _mm512_madd52lo_epu64(z, h0, r0), d0h = _mm512_madd52hi_epu64(z, h0, r0);
  __m512i d1l = _mm512_madd52lo_epu64(z, h0, r1), d1h = _mm512_madd52hi_epu64(z, h0, r1);
  __m512i d2l = _mm512_madd52lo_epu64(z, h0, r2), d2h = _mm512_madd52hi_epu64(z, h0, r2);
  d0l = _mm512_madd52lo_epu64(d0l, h1, s2); d0h = _mm512_madd52hi_epu64(d0h, h1, s2);
  d1l = _mm512_madd52lo_epu64(d1l, h1, r0); d1h = _mm512_madd52hi_epu64(d1h, h1, r0);
  d2l = _mm512_madd52lo_epu64(d2l, h1, r1); d2h = _mm512_madd52hi_epu64(d2h, h1, r1);
  d0l = _mm512_madd52lo_epu64(d0l, h2, s1); d0h = _mm512_madd52hi_epu64(d0h, h2, s1);
  d1l = _mm512_madd52lo_epu64(d1l, h2, s2); d1h = _mm512_madd52hi_epu64(d1h, h2, s2);
  d2l = _mm512_madd52lo_epu64(d2l, h2, r0); d2h = _mm512_madd52hi_epu64(d2h, h2, r0);
  // Limb i is d_il + d_ih * 2^52; carry floor(d/2^44) = (d_il >> 44) + (d_ih << 8).
  __m512i c = _mm512_add_epi64(_mm512_srli_epi64(d0l, 44), _mm512_slli_epi64(d0h, 8));
  h0 = _mm512_and_si512(d0l, m44);
  d1l = _mm512_add_epi64(d1l, c);
  c = _mm512_add_epi64(_mm512_srli_epi64(d1l, 44), _mm512_slli_epi64(d1h, 8));
  h1 = _mm512_and_si512(d1l, m44);
  d2l = _mm512_add_epi64(d2l, c);
  c = _mm512_add_epi64(_mm512_srli_epi64(d2l, 42), _mm512_slli_epi64(d2h, 10));
  h2 = _mm512_and_si512(d2l, m42);
  h0 = _mm512_add_epi64(h0, _mm512_add_epi64(c, _mm512_slli_epi64(c, 2)));  // + 5c (2^130 = 5)
  h1 = _mm512_add_epi64(h1, _mm512_srli_epi64(h0, 44));
  h0 = _mm512_and_si512(h0, m44);
}

/// h += the eight blocks at m (pad bit set), lane order as in the file comment.
DAREKIT_POLY_IFMA __attribute__((always_inline)) inline void poly1305_absorb8(__m512i& h0, __m512i& h1, __m512i& h2,
                                                                             const std::uint8_t* m) noexcept {
  const __m512i m44 = _mm512_set1_epi64(std::int64_t(poly_m44));
  const __m512i a = _mm512_loadu_si512(m), b = _mm512_loadu_si512(m + 64);
  const __m512i lo = _mm512_unpacklo_epi64(a, b), hi = _mm512_unpackhi_epi64(a, b);
  h0 = _mm512_add_epi64(h0, _mm512_and_si512(lo, m44));
  h1 = _mm512_add_epi64(h1, _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(lo, 44), _mm512_slli_epi64(hi, 20)), m44));
  h2 = _mm512_add_epi64(h2, _mm512_or_si512(_mm512_srli_epi64(hi, 24), _mm512_set1_epi64(std::int64_t(1) << 40)));
}

/// A vector accumulator for runs absorbed as H = H * r^8 + M (the first group without
/// the multiplication), finished by H * (r^8 .. r^1) and a sum over the lanes.
struct poly1305_vacc {
  __m512i h0, h1, h2;
  bool first;
};

/// Start a vector run from st.h (lane 0); needs st.have_powers.
DAREKIT_POLY_IFMA inline void poly1305_vstart(poly1305_vacc& a, const poly1305_state& st) noexcept {
  std::uint64_t l[3];
  poly1305_to44(l, st.h0, st.h1, st.h2);
  a.h0 = _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, std::int64_t(l[0]));
  a.h1 = _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, std::int64_t(l[1]));
  a.h2 = _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, std::int64_t(l[2]));
  a.first = true;
}

/// Absorb one group of eight blocks: H = H * r^8 + M (H = H + M for the first).
DAREKIT_POLY_IFMA __attribute__((always_inline)) inline void poly1305_vstep(poly1305_vacc& a, const std::uint8_t* m,
                                                                           const poly1305_state& st) noexcept {
  if (!a.first) {
    poly1305_mul8(a.h0, a.h1, a.h2, _mm512_set1_epi64(std::int64_t(st.p8[0])), _mm512_set1_epi64(std::int64_t(st.p8[1])),
                  _mm512_set1_epi64(std::int64_t(st.p8[2])), _mm512_set1_epi64(std::int64_t(st.p8[3])),
                  _mm512_set1_epi64(std::int64_t(st.p8[4])));
  }
  a.first = false;
  poly1305_absorb8(a.h0, a.h1, a.h2, m);
}

/// End a vector run: multiply lane i by r^(8-P[i]), sum the lanes into st.h.
DAREKIT_POLY_IFMA inline void poly1305_vfinish(poly1305_vacc& a, poly1305_state& st) noexcept {
  if (a.first) return;  // nothing absorbed; st.h unchanged
  poly1305_mul8(a.h0, a.h1, a.h2, _mm512_load_si512(st.fin[0]), _mm512_load_si512(st.fin[1]),
                _mm512_load_si512(st.fin[2]), _mm512_load_si512(st.fin[3]), _mm512_load_si512(st.fin[4]));
  poly1305_from44(st, std::uint64_t(_mm512_reduce_add_epi64(a.h0)), std::uint64_t(_mm512_reduce_add_epi64(a.h1)),
                  std::uint64_t(_mm512_reduce_add_epi64(a.h2)));
  a.h0 = a.h1 = a.h2 = _mm512_setzero_si512();
}

/// Absorb floor(nblocks / 8) * 8 full blocks (pad bit set) into st; needs
/// st.have_powers. Returns the number of blocks absorbed.
DAREKIT_POLY_IFMA inline std::size_t poly1305_blocks_ifma(poly1305_state& st, const std::uint8_t* m,
                                                          std::size_t nblocks) noexcept {
  const std::size_t groups = nblocks / 8;
  if (groups == 0) return 0;
  const __m512i m44 = _mm512_set1_epi64(std::int64_t(poly_m44));
  const __m512i pad = _mm512_set1_epi64(std::int64_t(1) << 40);
  std::uint64_t l[3];
  poly1305_to44(l, st.h0, st.h1, st.h2);
  __m512i h0 = _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, std::int64_t(l[0]));
  __m512i h1 = _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, std::int64_t(l[1]));
  __m512i h2 = _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, std::int64_t(l[2]));
  const __m512i r0 = _mm512_set1_epi64(std::int64_t(st.p8[0])), r1 = _mm512_set1_epi64(std::int64_t(st.p8[1])),
                r2 = _mm512_set1_epi64(std::int64_t(st.p8[2])), s1 = _mm512_set1_epi64(std::int64_t(st.p8[3])),
                s2 = _mm512_set1_epi64(std::int64_t(st.p8[4]));
  for (std::size_t g = 0; g < groups; ++g, m += 128) {
    const __m512i a = _mm512_loadu_si512(m), b = _mm512_loadu_si512(m + 64);
    const __m512i lo = _mm512_unpacklo_epi64(a, b), hi = _mm512_unpackhi_epi64(a, b);
    h0 = _mm512_add_epi64(h0, _mm512_and_si512(lo, m44));
    h1 = _mm512_add_epi64(h1, _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(lo, 44), _mm512_slli_epi64(hi, 20)), m44));
    h2 = _mm512_add_epi64(h2, _mm512_or_si512(_mm512_srli_epi64(hi, 24), pad));
    if (g + 1 < groups) {
      poly1305_mul8(h0, h1, h2, r0, r1, r2, s1, s2);
    } else {
      poly1305_mul8(h0, h1, h2, _mm512_load_si512(st.fin[0]), _mm512_load_si512(st.fin[1]),
                    _mm512_load_si512(st.fin[2]), _mm512_load_si512(st.fin[3]), _mm512_load_si512(st.fin[4]));
    }
  }
  poly1305_from44(st, std::uint64_t(_mm512_reduce_add_epi64(h0)), std::uint64_t(_mm512_reduce_add_epi64(h1)),
                  std::uint64_t(_mm512_reduce_add_epi64(h2)));
  return groups * 8;
}

#endif  // DAREKIT_HAVE_POLY_IFMA
}  // namespace darekit::detail

DAREKIT_SIMD_WARNINGS_END
