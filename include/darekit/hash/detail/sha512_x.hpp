// Multi-lane SHA-512 compression kernels: 4 lanes (AVX2) and 8 lanes (AVX-512).
//
// Each kernel compresses `n` consecutive 128-byte blocks from each of its lanes' pointers
// into a transposed state st[word * L + lane]. The code is compiled with a target
// attribute only (no global -m flags) and is only called after CPU detection says so.
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/core/cpu.hpp"
#include "darekit/crypto/detail/sha2_compress.hpp"

#if DAREKIT_X86
#include <immintrin.h>
// GCC 12's AVX-512 intrinsics use self-initialised "undefined" vectors that trip
// -Wuninitialized after inlining (a known false positive).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#define DAREKIT_TARGET_AVX2 DAREKIT_TARGET("avx2")
#define DAREKIT_TARGET_AVX512 DAREKIT_TARGET("avx2,avx512f,avx512bw,avx512vl")

namespace darekit::detail::sha512x4_avx2 {

DAREKIT_TARGET_AVX2 DAREKIT_ALWAYS_INLINE __m256i ror(__m256i x, int n) noexcept {
  return _mm256_or_si256(_mm256_srli_epi64(x, n), _mm256_slli_epi64(x, 64 - n));
}
DAREKIT_TARGET_AVX2 DAREKIT_ALWAYS_INLINE __m256i ld(const std::uint64_t* s) noexcept {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s));
}
DAREKIT_TARGET_AVX2 DAREKIT_ALWAYS_INLINE void stv(std::uint64_t* s, __m256i v) noexcept {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(s), v);
}
DAREKIT_TARGET_AVX2 DAREKIT_ALWAYS_INLINE __m256i add(__m256i a, __m256i b) noexcept { return _mm256_add_epi64(a, b); }
DAREKIT_TARGET_AVX2 DAREKIT_ALWAYS_INLINE __m256i x3(__m256i a, __m256i b, __m256i c) noexcept {
  return _mm256_xor_si256(_mm256_xor_si256(a, b), c);
}

// Maj(a,b,c) = ((a^b) & (b^c)) ^ b, and this round's a^b is the next round's b^c.
#define DAREKIT_X4_ROUND(a, b, c, d, e, f, g, h, i, wi)                                                \
  do {                                                                                                 \
    const __m256i t1_ = add(add(h, add(wi, _mm256_set1_epi64x(std::int64_t(sha512_k[i])))),           \
                            add(x3(ror(e, 14), ror(e, 18), ror(e, 41)),                                \
                                _mm256_xor_si256(_mm256_and_si256(_mm256_xor_si256(f, g), e), g)));    \
    const __m256i ab_ = _mm256_xor_si256(a, b);                                                        \
    const __m256i t2_ = add(x3(ror(a, 28), ror(a, 34), ror(a, 39)),                                    \
                            _mm256_xor_si256(_mm256_and_si256(ab_, bc), b));                           \
    bc = ab_;                                                                                          \
    d = add(d, t1_);                                                                                   \
    h = add(t1_, t2_);                                                                                 \
  } while (0)

/// 4-lane SHA-512 compression (AVX2).
DAREKIT_TARGET_AVX2 inline void compress(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  const __m256i bswap = _mm256_set_epi8(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7,
                                        8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  // Rotate each qword right by 8 bits as a byte shuffle.
  const __m256i rot8 = _mm256_set_epi8(8, 15, 14, 13, 12, 11, 10, 9, 0, 7, 6, 5, 4, 3, 2, 1,
                                       8, 15, 14, 13, 12, 11, 10, 9, 0, 7, 6, 5, 4, 3, 2, 1);
  __m256i a = ld(st + 0), b = ld(st + 4), c = ld(st + 8), d = ld(st + 12);
  __m256i e = ld(st + 16), f = ld(st + 20), g = ld(st + 24), h = ld(st + 28);
  for (std::size_t blk = 0; blk < n; ++blk) {
    __m256i w[80];
    const std::size_t off = blk * 128;
    for (int q = 0; q < 4; ++q) {
      const __m256i r0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p[0] + off + 32 * q));
      const __m256i r1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p[1] + off + 32 * q));
      const __m256i r2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p[2] + off + 32 * q));
      const __m256i r3 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p[3] + off + 32 * q));
      const __m256i t0 = _mm256_unpacklo_epi64(r0, r1), t1 = _mm256_unpackhi_epi64(r0, r1);
      const __m256i t2 = _mm256_unpacklo_epi64(r2, r3), t3 = _mm256_unpackhi_epi64(r2, r3);
      w[4 * q + 0] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(t0, t2, 0x20), bswap);
      w[4 * q + 1] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(t1, t3, 0x20), bswap);
      w[4 * q + 2] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(t0, t2, 0x31), bswap);
      w[4 * q + 3] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(t1, t3, 0x31), bswap);
    }
    // The schedule runs 16 words ahead of the rounds: round t computes w[t + 16] (t < 64).
    // The rounds alone are latency bound (~3 ops/cycle), so the schedule's ops fill
    // their idle issue slots; computing the whole schedule first was ~4% slower.
    const __m256i sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;
    __m256i bc = _mm256_xor_si256(b, c);
#define DAREKIT_X4_SCHED(t)                                                                             \
  do {                                                                                                 \
    const __m256i w15 = w[(t) - 15], w2 = w[(t) - 2];                                                  \
    w[t] = add(add(w[(t) - 16], w[(t) - 7]),                                                           \
               add(x3(ror(w15, 1), _mm256_shuffle_epi8(w15, rot8), _mm256_srli_epi64(w15, 7)),        \
                   x3(ror(w2, 19), ror(w2, 61), _mm256_srli_epi64(w2, 6))));                           \
  } while (0)
#define DAREKIT_X4_NOSCHED(t) do { } while (0)
#define DAREKIT_X4_EIGHT(S, i)                                                                          \
  S(i + 16); DAREKIT_X4_ROUND(a, b, c, d, e, f, g, h, i + 0, w[i + 0]);                                \
  S(i + 17); DAREKIT_X4_ROUND(h, a, b, c, d, e, f, g, i + 1, w[i + 1]);                                \
  S(i + 18); DAREKIT_X4_ROUND(g, h, a, b, c, d, e, f, i + 2, w[i + 2]);                                \
  S(i + 19); DAREKIT_X4_ROUND(f, g, h, a, b, c, d, e, i + 3, w[i + 3]);                                \
  S(i + 20); DAREKIT_X4_ROUND(e, f, g, h, a, b, c, d, i + 4, w[i + 4]);                                \
  S(i + 21); DAREKIT_X4_ROUND(d, e, f, g, h, a, b, c, i + 5, w[i + 5]);                                \
  S(i + 22); DAREKIT_X4_ROUND(c, d, e, f, g, h, a, b, i + 6, w[i + 6]);                                \
  S(i + 23); DAREKIT_X4_ROUND(b, c, d, e, f, g, h, a, i + 7, w[i + 7])
    _Pragma("GCC unroll 1") for (int i = 0; i < 64; i += 8) { DAREKIT_X4_EIGHT(DAREKIT_X4_SCHED, i); }
    _Pragma("GCC unroll 1") for (int i = 64; i < 80; i += 8) { DAREKIT_X4_EIGHT(DAREKIT_X4_NOSCHED, i); }
#undef DAREKIT_X4_EIGHT
#undef DAREKIT_X4_NOSCHED
#undef DAREKIT_X4_SCHED
    a = add(a, sa); b = add(b, sb); c = add(c, sc); d = add(d, sd);
    e = add(e, se); f = add(f, sf); g = add(g, sg); h = add(h, sh);
  }
  stv(st + 0, a); stv(st + 4, b); stv(st + 8, c); stv(st + 12, d);
  stv(st + 16, e); stv(st + 20, f); stv(st + 24, g); stv(st + 28, h);
}
#undef DAREKIT_X4_ROUND
}  // namespace darekit::detail::sha512x4_avx2

namespace darekit::detail::sha512x8_avx512 {

DAREKIT_TARGET_AVX512 DAREKIT_ALWAYS_INLINE __m512i add(__m512i a, __m512i b) noexcept { return _mm512_add_epi64(a, b); }

#define DAREKIT_X8_S(x, r1, r2, r3) \
  _mm512_ternarylogic_epi64(_mm512_ror_epi64(x, r1), _mm512_ror_epi64(x, r2), _mm512_ror_epi64(x, r3), 0x96)
#define DAREKIT_X8_ROUND(a, b, c, d, e, f, g, h, i, wi)                                                 \
  do {                                                                                                  \
    const __m512i t1_ = add(add(h, add(wi, _mm512_set1_epi64(std::int64_t(sha512_k[i])))),            \
                            add(DAREKIT_X8_S(e, 14, 18, 41), _mm512_ternarylogic_epi64(e, f, g, 0xCA))); \
    const __m512i t2_ = add(DAREKIT_X8_S(a, 28, 34, 39), _mm512_ternarylogic_epi64(a, b, c, 0xE8));     \
    d = add(d, t1_);                                                                                    \
    h = add(t1_, t2_);                                                                                  \
  } while (0)

/// Transpose 8 rows of 8 qwords (row j = lane j's words) into 8 columns (column t = word t of all lanes).
DAREKIT_TARGET_AVX512 DAREKIT_ALWAYS_INLINE void transpose8(__m512i* r) noexcept {
  const __m512i t0 = _mm512_unpacklo_epi64(r[0], r[1]), t1 = _mm512_unpackhi_epi64(r[0], r[1]);
  const __m512i t2 = _mm512_unpacklo_epi64(r[2], r[3]), t3 = _mm512_unpackhi_epi64(r[2], r[3]);
  const __m512i t4 = _mm512_unpacklo_epi64(r[4], r[5]), t5 = _mm512_unpackhi_epi64(r[4], r[5]);
  const __m512i t6 = _mm512_unpacklo_epi64(r[6], r[7]), t7 = _mm512_unpackhi_epi64(r[6], r[7]);
  const __m512i u0 = _mm512_shuffle_i64x2(t0, t2, 0x88), u1 = _mm512_shuffle_i64x2(t0, t2, 0xDD);
  const __m512i u2 = _mm512_shuffle_i64x2(t1, t3, 0x88), u3 = _mm512_shuffle_i64x2(t1, t3, 0xDD);
  const __m512i u4 = _mm512_shuffle_i64x2(t4, t6, 0x88), u5 = _mm512_shuffle_i64x2(t4, t6, 0xDD);
  const __m512i u6 = _mm512_shuffle_i64x2(t5, t7, 0x88), u7 = _mm512_shuffle_i64x2(t5, t7, 0xDD);
  r[0] = _mm512_shuffle_i64x2(u0, u4, 0x88);
  r[4] = _mm512_shuffle_i64x2(u0, u4, 0xDD);
  r[2] = _mm512_shuffle_i64x2(u1, u5, 0x88);
  r[6] = _mm512_shuffle_i64x2(u1, u5, 0xDD);
  r[1] = _mm512_shuffle_i64x2(u2, u6, 0x88);
  r[5] = _mm512_shuffle_i64x2(u2, u6, 0xDD);
  r[3] = _mm512_shuffle_i64x2(u3, u7, 0x88);
  r[7] = _mm512_shuffle_i64x2(u3, u7, 0xDD);
}

/// 8-lane SHA-512 compression (AVX-512F/BW).
DAREKIT_TARGET_AVX512 inline void compress(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  const __m512i bswap = _mm512_broadcast_i32x4(_mm_set_epi8(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  __m512i a = _mm512_loadu_si512(st + 0), b = _mm512_loadu_si512(st + 8), c = _mm512_loadu_si512(st + 16),
          d = _mm512_loadu_si512(st + 24), e = _mm512_loadu_si512(st + 32), f = _mm512_loadu_si512(st + 40),
          g = _mm512_loadu_si512(st + 48), h = _mm512_loadu_si512(st + 56);
  for (std::size_t blk = 0; blk < n; ++blk) {
    __m512i w[16];
    const std::size_t off = blk * 128;
    for (int half = 0; half < 2; ++half) {
      __m512i* r = w + 8 * half;
      for (int j = 0; j < 8; ++j) r[j] = _mm512_loadu_si512(p[j] + off + 64 * half);
      transpose8(r);
      for (int j = 0; j < 8; ++j) r[j] = _mm512_shuffle_epi8(r[j], bswap);
    }
    const __m512i sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;
    for (int i = 0; i < 80; i += 16) {
      if (i) {
        for (int j = 0; j < 16; ++j) {
          const __m512i w15 = w[(j + 1) & 15], w2 = w[(j + 14) & 15];
          w[j] = add(add(w[j], w[(j + 9) & 15]),
                     add(_mm512_ternarylogic_epi64(_mm512_ror_epi64(w15, 1), _mm512_ror_epi64(w15, 8),
                                                   _mm512_srli_epi64(w15, 7), 0x96),
                         _mm512_ternarylogic_epi64(_mm512_ror_epi64(w2, 19), _mm512_ror_epi64(w2, 61),
                                                   _mm512_srli_epi64(w2, 6), 0x96)));
        }
      }
      DAREKIT_X8_ROUND(a, b, c, d, e, f, g, h, i + 0, w[0]);
      DAREKIT_X8_ROUND(h, a, b, c, d, e, f, g, i + 1, w[1]);
      DAREKIT_X8_ROUND(g, h, a, b, c, d, e, f, i + 2, w[2]);
      DAREKIT_X8_ROUND(f, g, h, a, b, c, d, e, i + 3, w[3]);
      DAREKIT_X8_ROUND(e, f, g, h, a, b, c, d, i + 4, w[4]);
      DAREKIT_X8_ROUND(d, e, f, g, h, a, b, c, i + 5, w[5]);
      DAREKIT_X8_ROUND(c, d, e, f, g, h, a, b, i + 6, w[6]);
      DAREKIT_X8_ROUND(b, c, d, e, f, g, h, a, i + 7, w[7]);
      DAREKIT_X8_ROUND(a, b, c, d, e, f, g, h, i + 8, w[8]);
      DAREKIT_X8_ROUND(h, a, b, c, d, e, f, g, i + 9, w[9]);
      DAREKIT_X8_ROUND(g, h, a, b, c, d, e, f, i + 10, w[10]);
      DAREKIT_X8_ROUND(f, g, h, a, b, c, d, e, i + 11, w[11]);
      DAREKIT_X8_ROUND(e, f, g, h, a, b, c, d, i + 12, w[12]);
      DAREKIT_X8_ROUND(d, e, f, g, h, a, b, c, i + 13, w[13]);
      DAREKIT_X8_ROUND(c, d, e, f, g, h, a, b, i + 14, w[14]);
      DAREKIT_X8_ROUND(b, c, d, e, f, g, h, a, i + 15, w[15]);
    }
    a = add(a, sa); b = add(b, sb); c = add(c, sc); d = add(d, sd);
    e = add(e, se); f = add(f, sf); g = add(g, sg); h = add(h, sh);
  }
  _mm512_storeu_si512(st + 0, a); _mm512_storeu_si512(st + 8, b); _mm512_storeu_si512(st + 16, c);
  _mm512_storeu_si512(st + 24, d); _mm512_storeu_si512(st + 32, e); _mm512_storeu_si512(st + 40, f);
  _mm512_storeu_si512(st + 48, g); _mm512_storeu_si512(st + 56, h);
}
#undef DAREKIT_X8_ROUND
#undef DAREKIT_X8_S
}  // namespace darekit::detail::sha512x8_avx512
#endif
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
