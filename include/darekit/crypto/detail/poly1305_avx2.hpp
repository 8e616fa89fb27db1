// Poly1305 AVX2 kernel: four 16-byte blocks per step, one block per 64-bit lane,
// radix 2^26 (five limbs) multiplied with vpmuludq (32x32 -> 64 bits).
//
// Lane i accumulates blocks Q[i], Q[i]+4, ... of the run (Q = {0,2,1,3}, the order an
// unpack of two 32-byte loads leaves them in), multiplying by r^4 each step; the last
// step multiplies lane i by r^(4-Q[i]) instead, and the lanes are summed. The incoming
// accumulator rides in lane 0. Used when the active kernel is avx2 (or avx512 without
// IFMA).
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/core/cpu.hpp"
#include "darekit/crypto/detail/poly1305_scalar.hpp"

#if DAREKIT_X86 && defined(__GNUC__)
#define DAREKIT_HAVE_POLY_AVX2 1
#include <immintrin.h>
#define DAREKIT_POLY_AVX2 __attribute__((target("avx2")))
#else
#define DAREKIT_HAVE_POLY_AVX2 0
#endif

namespace darekit::detail {

/// Lane -> block index within a group of four.
inline constexpr int poly1305_lane_block4[4] = {0, 2, 1, 3};

/// Fill st.v4 and st.vfin from r (scalar; once per key).
inline void poly1305_powers4(poly1305_state& st) noexcept {
  std::uint64_t p44[5][3] = {}, p26[5][5] = {};
  poly1305_to44(p44[1], st.r0, st.r1, 0);
  for (int k = 2; k <= 4; ++k) poly1305_mul44(p44[k], p44[k - 1], p44[1]);
  for (int k = 1; k <= 4; ++k) {
    std::uint64_t h[3];
    poly1305_from44(h, p44[k][0], p44[k][1], p44[k][2]);
    poly1305_to26(p26[k], h[0], h[1], h[2]);
    h[0] = h[1] = h[2] = 0;
  }
  for (int j = 0; j < 5; ++j) st.v4[j] = p26[4][j];
  for (int j = 1; j < 5; ++j) st.v4[4 + j] = p26[4][j] * 5;
  for (int i = 0; i < 4; ++i) {
    const auto& q = p26[4 - poly1305_lane_block4[i]];
    for (int j = 0; j < 5; ++j) st.vfin[j][i] = q[j];
    for (int j = 1; j < 5; ++j) st.vfin[4 + j][i] = q[j] * 5;
  }
  st.have_v4 = true;
  volatile std::uint64_t* w = &p44[0][0];
  for (int i = 0; i < 15; ++i) w[i] = 0;
  w = &p26[0][0];
  for (int i = 0; i < 25; ++i) w[i] = 0;
}

#if DAREKIT_HAVE_POLY_AVX2

/// h = h * r mod p per lane (radix 2^26); r[0..4] the limbs, r[5..8] = 5*r[1..4].
/// Inputs below 2^27.1 per limb; outputs h0, h2..h4 < 2^26, h1 < 2^26 + 2^6.
DAREKIT_POLY_AVX2 __attribute__((always_inline)) inline void poly1305_mul4(__m256i h[5], const __m256i r[9]) noexcept {
  const __m256i m26 = _mm256_set1_epi64x(std::int64_t(poly_m26));
  // s_k = 5 r_k sits at r[4 + k].
  const __m256i d0 = _mm256_add_epi64(
      _mm256_add_epi64(_mm256_mul_epu32(h[0], r[0]), _mm256_mul_epu32(h[1], r[8])),
      _mm256_add_epi64(_mm256_add_epi64(_mm256_mul_epu32(h[2], r[7]), _mm256_mul_epu32(h[3], r[6])),
                       _mm256_mul_epu32(h[4], r[5])));
  __m256i d1 = _mm256_add_epi64(
      _mm256_add_epi64(_mm256_mul_epu32(h[0], r[1]), _mm256_mul_epu32(h[1], r[0])),
      _mm256_add_epi64(_mm256_add_epi64(_mm256_mul_epu32(h[2], r[8]), _mm256_mul_epu32(h[3], r[7])),
                       _mm256_mul_epu32(h[4], r[6])));
  __m256i d2 = _mm256_add_epi64(
      _mm256_add_epi64(_mm256_mul_epu32(h[0], r[2]), _mm256_mul_epu32(h[1], r[1])),
      _mm256_add_epi64(_mm256_add_epi64(_mm256_mul_epu32(h[2], r[0]), _mm256_mul_epu32(h[3], r[8])),
                       _mm256_mul_epu32(h[4], r[7])));
  __m256i d3 = _mm256_add_epi64(
      _mm256_add_epi64(_mm256_mul_epu32(h[0], r[3]), _mm256_mul_epu32(h[1], r[2])),
      _mm256_add_epi64(_mm256_add_epi64(_mm256_mul_epu32(h[2], r[1]), _mm256_mul_epu32(h[3], r[0])),
                       _mm256_mul_epu32(h[4], r[8])));
  __m256i d4 = _mm256_add_epi64(
      _mm256_add_epi64(_mm256_mul_epu32(h[0], r[4]), _mm256_mul_epu32(h[1], r[3])),
      _mm256_add_epi64(_mm256_add_epi64(_mm256_mul_epu32(h[2], r[2]), _mm256_mul_epu32(h[3], r[1])),
                       _mm256_mul_epu32(h[4], r[0])));
  h[0] = _mm256_and_si256(d0, m26);
  d1 = _mm256_add_epi64(d1, _mm256_srli_epi64(d0, 26));
  h[1] = _mm256_and_si256(d1, m26);
  d2 = _mm256_add_epi64(d2, _mm256_srli_epi64(d1, 26));
  h[2] = _mm256_and_si256(d2, m26);
  d3 = _mm256_add_epi64(d3, _mm256_srli_epi64(d2, 26));
  h[3] = _mm256_and_si256(d3, m26);
  d4 = _mm256_add_epi64(d4, _mm256_srli_epi64(d3, 26));
  h[4] = _mm256_and_si256(d4, m26);
  const __m256i c = _mm256_srli_epi64(d4, 26);
  h[0] = _mm256_add_epi64(h[0], _mm256_add_epi64(c, _mm256_slli_epi64(c, 2)));  // + 5c (2^130 = 5)
  h[1] = _mm256_add_epi64(h[1], _mm256_srli_epi64(h[0], 26));
  h[0] = _mm256_and_si256(h[0], m26);
}

/// h += the four blocks at m (pad bit set), lane order as in the file comment.
DAREKIT_POLY_AVX2 __attribute__((always_inline)) inline void poly1305_absorb4(__m256i h[5], const std::uint8_t* m) noexcept {
  const __m256i m26 = _mm256_set1_epi64x(std::int64_t(poly_m26));
  const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(m));
  const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + 32));
  const __m256i lo = _mm256_unpacklo_epi64(a, b), hi = _mm256_unpackhi_epi64(a, b);
  h[0] = _mm256_add_epi64(h[0], _mm256_and_si256(lo, m26));
  h[1] = _mm256_add_epi64(h[1], _mm256_and_si256(_mm256_srli_epi64(lo, 26), m26));
  h[2] = _mm256_add_epi64(h[2], _mm256_and_si256(_mm256_or_si256(_mm256_srli_epi64(lo, 52), _mm256_slli_epi64(hi, 12)), m26));
  h[3] = _mm256_add_epi64(h[3], _mm256_and_si256(_mm256_srli_epi64(hi, 14), m26));
  h[4] = _mm256_add_epi64(h[4], _mm256_or_si256(_mm256_srli_epi64(hi, 40), _mm256_set1_epi64x(std::int64_t(1) << 24)));
}

/// A vector accumulator for runs absorbed as H = H * r^4 + M (the first group without
/// the multiplication), finished by H * (r^4 .. r^1) and a sum over the lanes.
struct poly1305_vacc4 {
  __m256i h[5];
  bool first;
};

/// Start a vector run from st.h (lane 0); needs st.have_v4.
DAREKIT_POLY_AVX2 inline void poly1305_vstart4(poly1305_vacc4& a, const poly1305_state& st) noexcept {
  std::uint64_t l[5];
  poly1305_to26(l, st.h0, st.h1, st.h2);
  for (int j = 0; j < 5; ++j) a.h[j] = _mm256_set_epi64x(0, 0, 0, std::int64_t(l[j]));
  a.first = true;
}

/// Absorb one group of four blocks: H = H * r^4 + M (H = H + M for the first).
DAREKIT_POLY_AVX2 __attribute__((always_inline)) inline void poly1305_vstep4(poly1305_vacc4& a, const std::uint8_t* m,
                                                                            const poly1305_state& st) noexcept {
  if (!a.first) {
    __m256i r[9];
    for (int j = 0; j < 9; ++j) r[j] = _mm256_set1_epi64x(std::int64_t(st.v4[j]));
    poly1305_mul4(a.h, r);
  }
  a.first = false;
  poly1305_absorb4(a.h, m);
}

/// End a vector run: multiply lane i by r^(4-Q[i]), sum the lanes into st.h.
DAREKIT_POLY_AVX2 inline void poly1305_vfinish4(poly1305_vacc4& a, poly1305_state& st) noexcept {
  if (a.first) return;
  __m256i r[9];
  for (int j = 0; j < 9; ++j) r[j] = _mm256_load_si256(reinterpret_cast<const __m256i*>(st.vfin[j]));
  poly1305_mul4(a.h, r);
  alignas(32) std::uint64_t s[5][4];
  for (int j = 0; j < 5; ++j) _mm256_store_si256(reinterpret_cast<__m256i*>(s[j]), a.h[j]);
  poly1305_from26(st, s[0][0] + s[0][1] + s[0][2] + s[0][3], s[1][0] + s[1][1] + s[1][2] + s[1][3],
                  s[2][0] + s[2][1] + s[2][2] + s[2][3], s[3][0] + s[3][1] + s[3][2] + s[3][3],
                  s[4][0] + s[4][1] + s[4][2] + s[4][3]);
  for (int j = 0; j < 5; ++j) a.h[j] = _mm256_setzero_si256();
}

/// Absorb floor(nblocks / 4) * 4 full blocks (pad bit set) into st; needs
/// st.have_v4. Returns the number of blocks absorbed.
DAREKIT_POLY_AVX2 inline std::size_t poly1305_blocks_avx2(poly1305_state& st, const std::uint8_t* m,
                                                          std::size_t nblocks) noexcept {
  const std::size_t groups = nblocks / 4;
  if (groups == 0) return 0;
  const __m256i m26 = _mm256_set1_epi64x(std::int64_t(poly_m26));
  const __m256i pad = _mm256_set1_epi64x(std::int64_t(1) << 24);
  std::uint64_t l[5];
  poly1305_to26(l, st.h0, st.h1, st.h2);
  __m256i h[5], r[9];
  for (int j = 0; j < 5; ++j) h[j] = _mm256_set_epi64x(0, 0, 0, std::int64_t(l[j]));
  for (int j = 0; j < 9; ++j) r[j] = _mm256_set1_epi64x(std::int64_t(st.v4[j]));
  for (std::size_t g = 0; g < groups; ++g, m += 64) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(m));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + 32));
    const __m256i lo = _mm256_unpacklo_epi64(a, b), hi = _mm256_unpackhi_epi64(a, b);
    h[0] = _mm256_add_epi64(h[0], _mm256_and_si256(lo, m26));
    h[1] = _mm256_add_epi64(h[1], _mm256_and_si256(_mm256_srli_epi64(lo, 26), m26));
    h[2] = _mm256_add_epi64(h[2], _mm256_and_si256(_mm256_or_si256(_mm256_srli_epi64(lo, 52), _mm256_slli_epi64(hi, 12)), m26));
    h[3] = _mm256_add_epi64(h[3], _mm256_and_si256(_mm256_srli_epi64(hi, 14), m26));
    h[4] = _mm256_add_epi64(h[4], _mm256_or_si256(_mm256_srli_epi64(hi, 40), pad));
    if (g + 1 == groups)
      for (int j = 0; j < 9; ++j) r[j] = _mm256_load_si256(reinterpret_cast<const __m256i*>(st.vfin[j]));
    poly1305_mul4(h, r);
  }
  alignas(32) std::uint64_t s[5][4];
  for (int j = 0; j < 5; ++j) _mm256_store_si256(reinterpret_cast<__m256i*>(s[j]), h[j]);
  poly1305_from26(st, s[0][0] + s[0][1] + s[0][2] + s[0][3], s[1][0] + s[1][1] + s[1][2] + s[1][3],
                  s[2][0] + s[2][1] + s[2][2] + s[2][3], s[3][0] + s[3][1] + s[3][2] + s[3][3],
                  s[4][0] + s[4][1] + s[4][2] + s[4][3]);
  return groups * 4;
}

#endif  // DAREKIT_HAVE_POLY_AVX2
}  // namespace darekit::detail
