// Multi-lane SHA-256 compression kernels: 8 lanes (AVX2) and 16 lanes (AVX-512).
//
// Same contract as sha512_x.hpp: `n` consecutive 64-byte blocks per lane pointer, state
// transposed as st[word * L + lane]. Message words are gathered across lanes.
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/core/detail/simd_warnings.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/crypto/detail/sha2_compress.hpp"
#include "darekit/hash/detail/sha512_x.hpp"

#if DAREKIT_X86
#include <immintrin.h>
DAREKIT_SIMD_WARNINGS_BEGIN

namespace darekit::detail::sha256x8_avx2 {

DAREKIT_TARGET_AVX2 DAREKIT_ALWAYS_INLINE __m256i ror(__m256i x, int n) noexcept {
  return _mm256_or_si256(_mm256_srli_epi32(x, n), _mm256_slli_epi32(x, 32 - n));
}
DAREKIT_TARGET_AVX2 DAREKIT_ALWAYS_INLINE __m256i add(__m256i a, __m256i b) noexcept { return _mm256_add_epi32(a, b); }
DAREKIT_TARGET_AVX2 DAREKIT_ALWAYS_INLINE __m256i x3(__m256i a, __m256i b, __m256i c) noexcept {
  return _mm256_xor_si256(_mm256_xor_si256(a, b), c);
}
DAREKIT_TARGET_AVX2 DAREKIT_ALWAYS_INLINE __m256i ld(const std::uint32_t* s) noexcept {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s));
}
DAREKIT_TARGET_AVX2 DAREKIT_ALWAYS_INLINE void stv(std::uint32_t* s, __m256i v) noexcept {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(s), v);
}

#define DAREKIT_S8_ROUND(a, b, c, d, e, f, g, h, i, wi)                                                 \
  do {                                                                                                  \
    const __m256i t1_ = add(add(h, add(wi, _mm256_set1_epi32(int(sha256_k[i])))),                       \
                            add(x3(ror(e, 6), ror(e, 11), ror(e, 25)),                                  \
                                _mm256_xor_si256(_mm256_and_si256(_mm256_xor_si256(f, g), e), g)));     \
    const __m256i t2_ = add(x3(ror(a, 2), ror(a, 13), ror(a, 22)),                                      \
                            _mm256_or_si256(_mm256_and_si256(_mm256_or_si256(a, b), c), _mm256_and_si256(a, b))); \
    d = add(d, t1_);                                                                                    \
    h = add(t1_, t2_);                                                                                  \
  } while (0)

/// 8-lane SHA-256 compression (AVX2).
DAREKIT_TARGET_AVX2 inline void compress(std::uint32_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  const __m256i bswap = _mm256_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3,
                                        12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
  // Lane offsets relative to lane 0 (gather indices).
  const auto base0 = reinterpret_cast<std::uintptr_t>(p[0]);
  auto rel = [&](int j) { return std::int64_t(reinterpret_cast<std::uintptr_t>(p[j]) - base0); };
  const __m256i idx_lo = _mm256_set_epi64x(rel(3), rel(2), rel(1), 0);
  const __m256i idx_hi = _mm256_set_epi64x(rel(7), rel(6), rel(5), rel(4));
  __m256i a = ld(st + 0), b = ld(st + 8), c = ld(st + 16), d = ld(st + 24);
  __m256i e = ld(st + 32), f = ld(st + 40), g = ld(st + 48), h = ld(st + 56);
  for (std::size_t blk = 0; blk < n; ++blk) {
    __m256i w[16];
    for (int t = 0; t < 16; ++t) {
      const int* base = reinterpret_cast<const int*>(p[0] + blk * 64 + 4 * std::size_t(t));
      const __m128i lo = _mm256_i64gather_epi32(base, idx_lo, 1);
      const __m128i hi = _mm256_i64gather_epi32(base, idx_hi, 1);
      w[t] = _mm256_shuffle_epi8(_mm256_set_m128i(hi, lo), bswap);
    }
    const __m256i sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;
    for (int i = 0; i < 64; i += 16) {
      if (i) {
        for (int j = 0; j < 16; ++j) {
          const __m256i w15 = w[(j + 1) & 15], w2 = w[(j + 14) & 15];
          w[j] = add(add(w[j], w[(j + 9) & 15]),
                     add(x3(ror(w15, 7), ror(w15, 18), _mm256_srli_epi32(w15, 3)),
                         x3(ror(w2, 17), ror(w2, 19), _mm256_srli_epi32(w2, 10))));
        }
      }
      DAREKIT_S8_ROUND(a, b, c, d, e, f, g, h, i + 0, w[0]);
      DAREKIT_S8_ROUND(h, a, b, c, d, e, f, g, i + 1, w[1]);
      DAREKIT_S8_ROUND(g, h, a, b, c, d, e, f, i + 2, w[2]);
      DAREKIT_S8_ROUND(f, g, h, a, b, c, d, e, i + 3, w[3]);
      DAREKIT_S8_ROUND(e, f, g, h, a, b, c, d, i + 4, w[4]);
      DAREKIT_S8_ROUND(d, e, f, g, h, a, b, c, i + 5, w[5]);
      DAREKIT_S8_ROUND(c, d, e, f, g, h, a, b, i + 6, w[6]);
      DAREKIT_S8_ROUND(b, c, d, e, f, g, h, a, i + 7, w[7]);
      DAREKIT_S8_ROUND(a, b, c, d, e, f, g, h, i + 8, w[8]);
      DAREKIT_S8_ROUND(h, a, b, c, d, e, f, g, i + 9, w[9]);
      DAREKIT_S8_ROUND(g, h, a, b, c, d, e, f, i + 10, w[10]);
      DAREKIT_S8_ROUND(f, g, h, a, b, c, d, e, i + 11, w[11]);
      DAREKIT_S8_ROUND(e, f, g, h, a, b, c, d, i + 12, w[12]);
      DAREKIT_S8_ROUND(d, e, f, g, h, a, b, c, i + 13, w[13]);
      DAREKIT_S8_ROUND(c, d, e, f, g, h, a, b, i + 14, w[14]);
      DAREKIT_S8_ROUND(b, c, d, e, f, g, h, a, i + 15, w[15]);
    }
    a = add(a, sa); b = add(b, sb); c = add(c, sc); d = add(d, sd);
    e = add(e, se); f = add(f, sf); g = add(g, sg); h = add(h, sh);
  }
  stv(st + 0, a); stv(st + 8, b); stv(st + 16, c); stv(st + 24, d);
  stv(st + 32, e); stv(st + 40, f); stv(st + 48, g); stv(st + 56, h);
}
#undef DAREKIT_S8_ROUND
}  // namespace darekit::detail::sha256x8_avx2

namespace darekit::detail::sha256x16_avx512 {

DAREKIT_TARGET_AVX512 DAREKIT_ALWAYS_INLINE __m512i add(__m512i a, __m512i b) noexcept { return _mm512_add_epi32(a, b); }

#define DAREKIT_S16_S(x, r1, r2, r3) \
  _mm512_ternarylogic_epi32(_mm512_ror_epi32(x, r1), _mm512_ror_epi32(x, r2), _mm512_ror_epi32(x, r3), 0x96)
#define DAREKIT_S16_ROUND(a, b, c, d, e, f, g, h, i, wi)                                              \
  do {                                                                                                \
    const __m512i t1_ = add(add(h, add(wi, _mm512_set1_epi32(int(sha256_k[i])))),                     \
                            add(DAREKIT_S16_S(e, 6, 11, 25), _mm512_ternarylogic_epi32(e, f, g, 0xCA))); \
    const __m512i t2_ = add(DAREKIT_S16_S(a, 2, 13, 22), _mm512_ternarylogic_epi32(a, b, c, 0xE8));   \
    d = add(d, t1_);                                                                                  \
    h = add(t1_, t2_);                                                                                \
  } while (0)

/// 16-lane SHA-256 compression (AVX-512F/BW).
DAREKIT_TARGET_AVX512 inline void compress(std::uint32_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  const __m512i bswap = _mm512_broadcast_i32x4(_mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3));
  const auto base0 = reinterpret_cast<std::uintptr_t>(p[0]);
  std::int64_t rel[16];
  for (int j = 0; j < 16; ++j) rel[j] = std::int64_t(reinterpret_cast<std::uintptr_t>(p[j]) - base0);
  const __m512i idx_lo = _mm512_loadu_si512(rel);
  const __m512i idx_hi = _mm512_loadu_si512(rel + 8);
  __m512i a = _mm512_loadu_si512(st + 0), b = _mm512_loadu_si512(st + 16), c = _mm512_loadu_si512(st + 32),
          d = _mm512_loadu_si512(st + 48), e = _mm512_loadu_si512(st + 64), f = _mm512_loadu_si512(st + 80),
          g = _mm512_loadu_si512(st + 96), h = _mm512_loadu_si512(st + 112);
  for (std::size_t blk = 0; blk < n; ++blk) {
    __m512i w[16];
    for (int t = 0; t < 16; ++t) {
      const void* base = p[0] + blk * 64 + 4 * std::size_t(t);
      const __m256i lo = _mm512_i64gather_epi32(idx_lo, base, 1);
      const __m256i hi = _mm512_i64gather_epi32(idx_hi, base, 1);
      w[t] = _mm512_shuffle_epi8(_mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1), bswap);
    }
    const __m512i sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;
    for (int i = 0; i < 64; i += 16) {
      if (i) {
        for (int j = 0; j < 16; ++j) {
          const __m512i w15 = w[(j + 1) & 15], w2 = w[(j + 14) & 15];
          w[j] = add(add(w[j], w[(j + 9) & 15]),
                     add(_mm512_ternarylogic_epi32(_mm512_ror_epi32(w15, 7), _mm512_ror_epi32(w15, 18),
                                                   _mm512_srli_epi32(w15, 3), 0x96),
                         _mm512_ternarylogic_epi32(_mm512_ror_epi32(w2, 17), _mm512_ror_epi32(w2, 19),
                                                   _mm512_srli_epi32(w2, 10), 0x96)));
        }
      }
      DAREKIT_S16_ROUND(a, b, c, d, e, f, g, h, i + 0, w[0]);
      DAREKIT_S16_ROUND(h, a, b, c, d, e, f, g, i + 1, w[1]);
      DAREKIT_S16_ROUND(g, h, a, b, c, d, e, f, i + 2, w[2]);
      DAREKIT_S16_ROUND(f, g, h, a, b, c, d, e, i + 3, w[3]);
      DAREKIT_S16_ROUND(e, f, g, h, a, b, c, d, i + 4, w[4]);
      DAREKIT_S16_ROUND(d, e, f, g, h, a, b, c, i + 5, w[5]);
      DAREKIT_S16_ROUND(c, d, e, f, g, h, a, b, i + 6, w[6]);
      DAREKIT_S16_ROUND(b, c, d, e, f, g, h, a, i + 7, w[7]);
      DAREKIT_S16_ROUND(a, b, c, d, e, f, g, h, i + 8, w[8]);
      DAREKIT_S16_ROUND(h, a, b, c, d, e, f, g, i + 9, w[9]);
      DAREKIT_S16_ROUND(g, h, a, b, c, d, e, f, i + 10, w[10]);
      DAREKIT_S16_ROUND(f, g, h, a, b, c, d, e, i + 11, w[11]);
      DAREKIT_S16_ROUND(e, f, g, h, a, b, c, d, i + 12, w[12]);
      DAREKIT_S16_ROUND(d, e, f, g, h, a, b, c, i + 13, w[13]);
      DAREKIT_S16_ROUND(c, d, e, f, g, h, a, b, i + 14, w[14]);
      DAREKIT_S16_ROUND(b, c, d, e, f, g, h, a, i + 15, w[15]);
    }
    a = add(a, sa); b = add(b, sb); c = add(c, sc); d = add(d, sd);
    e = add(e, se); f = add(f, sf); g = add(g, sg); h = add(h, sh);
  }
  _mm512_storeu_si512(st + 0, a); _mm512_storeu_si512(st + 16, b); _mm512_storeu_si512(st + 32, c);
  _mm512_storeu_si512(st + 48, d); _mm512_storeu_si512(st + 64, e); _mm512_storeu_si512(st + 80, f);
  _mm512_storeu_si512(st + 96, g); _mm512_storeu_si512(st + 112, h);
}
#undef DAREKIT_S16_ROUND
#undef DAREKIT_S16_S
}  // namespace darekit::detail::sha256x16_avx512
DAREKIT_SIMD_WARNINGS_END
#endif
