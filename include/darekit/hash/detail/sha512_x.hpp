// Multi-lane SHA-512 compression kernels: 4 lanes (AVX2) and 8 lanes (AVX-512).
//
// Each kernel compresses `n` consecutive 128-byte blocks from each of its lanes' pointers
// into a transposed state st[word * L + lane]. The code is compiled with a target
// attribute only (no global -m flags) and is only called after CPU detection says so.
// Both are hybrids when BMI2 is present: the vector unit runs the lanes' rounds while the
// scalar integer ALUs load the next block's message and compute part of its schedule
// (see the two compress_hybrid).
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/core/detail/simd_warnings.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/crypto/detail/sha2_compress.hpp"

#if DAREKIT_X86
#include <immintrin.h>
DAREKIT_SIMD_WARNINGS_BEGIN

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

// Byte-swapping qword loads of one 128-byte block of each of the 4 lanes, transposed:
// w[4q + k] = word 4q + k of all lanes.
#define DAREKIT_X4_LOAD_BLOCK(w, p, off)                                                                \
  do {                                                                                                 \
    for (int q_ = 0; q_ < 4; ++q_) {                                                                   \
      const __m256i r0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>((p)[0] + (off) + 32 * q_)); \
      const __m256i r1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>((p)[1] + (off) + 32 * q_)); \
      const __m256i r2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>((p)[2] + (off) + 32 * q_)); \
      const __m256i r3 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>((p)[3] + (off) + 32 * q_)); \
      const __m256i t0 = _mm256_unpacklo_epi64(r0, r1), t1 = _mm256_unpackhi_epi64(r0, r1);          \
      const __m256i t2 = _mm256_unpacklo_epi64(r2, r3), t3 = _mm256_unpackhi_epi64(r2, r3);          \
      (w)[4 * q_ + 0] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(t0, t2, 0x20), bswap);         \
      (w)[4 * q_ + 1] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(t1, t3, 0x20), bswap);         \
      (w)[4 * q_ + 2] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(t0, t2, 0x31), bswap);         \
      (w)[4 * q_ + 3] = _mm256_shuffle_epi8(_mm256_permute2x128_si256(t1, t3, 0x31), bswap);         \
    }                                                                                                  \
  } while (0)
// W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16] for the 4 lanes (ror 8 is a byte shuffle).
#define DAREKIT_X4_SCHED_AT(t, LD, ST)                                                                  \
  do {                                                                                                 \
    const __m256i w15 = LD((t) - 15), w2 = LD((t) - 2);                                                \
    ST(t, add(add(LD((t) - 16), LD((t) - 7)),                                                          \
              add(x3(ror(w15, 1), _mm256_shuffle_epi8(w15, rot8), _mm256_srli_epi64(w15, 7)),          \
                  x3(ror(w2, 19), ror(w2, 61), _mm256_srli_epi64(w2, 6)))));                           \
  } while (0)
#define DAREKIT_X4_EIGHT(i, W, P0, P1, P2, P3, P4, P5, P6, P7)                                          \
  P0; DAREKIT_X4_ROUND(a, b, c, d, e, f, g, h, (i) + 0, W((i) + 0));                                   \
  P1; DAREKIT_X4_ROUND(h, a, b, c, d, e, f, g, (i) + 1, W((i) + 1));                                   \
  P2; DAREKIT_X4_ROUND(g, h, a, b, c, d, e, f, (i) + 2, W((i) + 2));                                   \
  P3; DAREKIT_X4_ROUND(f, g, h, a, b, c, d, e, (i) + 3, W((i) + 3));                                   \
  P4; DAREKIT_X4_ROUND(e, f, g, h, a, b, c, d, (i) + 4, W((i) + 4));                                   \
  P5; DAREKIT_X4_ROUND(d, e, f, g, h, a, b, c, (i) + 5, W((i) + 5));                                   \
  P6; DAREKIT_X4_ROUND(c, d, e, f, g, h, a, b, (i) + 6, W((i) + 6));                                   \
  P7; DAREKIT_X4_ROUND(b, c, d, e, f, g, h, a, (i) + 7, W((i) + 7))
#define DAREKIT_X4_NOP do { } while (0)
#define DAREKIT_X4_CONSTS                                                                               \
  const __m256i bswap = _mm256_set_epi8(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7,          \
                                        8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);         \
  const __m256i rot8 = _mm256_set_epi8(8, 15, 14, 13, 12, 11, 10, 9, 0, 7, 6, 5, 4, 3, 2, 1,           \
                                       8, 15, 14, 13, 12, 11, 10, 9, 0, 7, 6, 5, 4, 3, 2, 1);          \
  __m256i a = ld(st + 0), b = ld(st + 4), c = ld(st + 8), d = ld(st + 12);                             \
  __m256i e = ld(st + 16), f = ld(st + 20), g = ld(st + 24), h = ld(st + 28)
#define DAREKIT_X4_STORE                                                                                \
  stv(st + 0, a); stv(st + 4, b); stv(st + 8, c); stv(st + 12, d);                                     \
  stv(st + 16, e); stv(st + 20, f); stv(st + 24, g); stv(st + 28, h)

/// 4-lane SHA-512 compression, all in ymm registers (AVX2 only). The schedule runs 16
/// words ahead of the rounds (round t computes w[t + 16]): the rounds alone are latency
/// bound (~3 ops/cycle), so the schedule's ops fill their idle issue slots; computing the
/// whole schedule first was ~4% slower.
DAREKIT_TARGET_AVX2 inline void compress_vector(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  DAREKIT_X4_CONSTS;
  for (std::size_t blk = 0; blk < n; ++blk) {
    __m256i w[80];
    DAREKIT_X4_LOAD_BLOCK(w, p, blk * 128);
    const __m256i sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;
    __m256i bc = _mm256_xor_si256(b, c);
#define DAREKIT_X4_LDV(t) w[t]
#define DAREKIT_X4_STV(t, v) w[t] = (v)
#define DAREKIT_X4_S(t) DAREKIT_X4_SCHED_AT(t, DAREKIT_X4_LDV, DAREKIT_X4_STV)
    _Pragma("GCC unroll 1") for (int i = 0; i < 64; i += 8) {
      DAREKIT_X4_EIGHT(i, DAREKIT_X4_LDV, DAREKIT_X4_S(i + 16), DAREKIT_X4_S(i + 17), DAREKIT_X4_S(i + 18),
                       DAREKIT_X4_S(i + 19), DAREKIT_X4_S(i + 20), DAREKIT_X4_S(i + 21), DAREKIT_X4_S(i + 22),
                       DAREKIT_X4_S(i + 23));
    }
    _Pragma("GCC unroll 1") for (int i = 64; i < 80; i += 8) {
      DAREKIT_X4_EIGHT(i, DAREKIT_X4_LDV, DAREKIT_X4_NOP, DAREKIT_X4_NOP, DAREKIT_X4_NOP, DAREKIT_X4_NOP,
                       DAREKIT_X4_NOP, DAREKIT_X4_NOP, DAREKIT_X4_NOP, DAREKIT_X4_NOP);
    }
#undef DAREKIT_X4_S
#undef DAREKIT_X4_STV
#undef DAREKIT_X4_LDV
    a = add(a, sa); b = add(b, sb); c = add(c, sc); d = add(d, sd);
    e = add(e, se); f = add(f, sf); g = add(g, sg); h = add(h, sh);
  }
  DAREKIT_X4_STORE;
}

// Shared by the hybrid kernels. One lane-word of the message schedule on the scalar integer
// ALUs (BMI2 rorx): q points at W[t] of one lane in a lane-interleaved buffer of L lanes
// (stride L words), so W[t-k] is q[-L*k].
#define DAREKIT_SHA512_SCALAR_SCHED(q, L)                                                                      \
  do {                                                                                                  \
    std::uint64_t x_, y_, z_, u_;                                                                       \
    __asm__("mov %[w15], %[x]\n\t" "rorx $1, %[x], %[y]\n\t" "rorx $8, %[x], %[z]\n\t" "shr $7, %[x]\n\t" \
            "xor %[y], %[x]\n\t" "xor %[z], %[x]\n\t"                                                   \
            "mov %[w2], %[y]\n\t" "rorx $19, %[y], %[z]\n\t" "rorx $61, %[y], %[u]\n\t" "shr $6, %[y]\n\t" \
            "xor %[z], %[y]\n\t" "xor %[u], %[y]\n\t"                                                   \
            "add %[y], %[x]\n\t" "add %[w16], %[x]\n\t" "add %[w7], %[x]\n\t" "mov %[x], %[out]"       \
            : [out] "=m"((q)[0]), [x] "=&r"(x_), [y] "=&r"(y_), [z] "=&r"(z_), [u] "=&r"(u_)           \
            : [w15] "m"((q)[-15 * (L)]), [w2] "m"((q)[-2 * (L)]), [w16] "m"((q)[-16 * (L)]), [w7] "m"((q)[-7 * (L)])       \
            : "cc");                                                                                    \
  } while (0)
// Message word r of 4 lanes (np[0..3]), byte-swapped into dst[0..3].
#define DAREKIT_SHA512_SCALAR_MSG4(dst, np, r)                                                              \
  do {                                                                                                  \
    std::uint64_t x0_, x1_;                                                                             \
    __asm__("mov %[s0], %[x0]\n\t" "mov %[s1], %[x1]\n\t" "bswap %[x0]\n\t" "bswap %[x1]\n\t"           \
            "mov %[x0], %[d0]\n\t" "mov %[x1], %[d1]\n\t"                                               \
            "mov %[s2], %[x0]\n\t" "mov %[s3], %[x1]\n\t" "bswap %[x0]\n\t" "bswap %[x1]\n\t"           \
            "mov %[x0], %[d2]\n\t" "mov %[x1], %[d3]"                                                   \
            : [d0] "=m"((dst)[0]), [d1] "=m"((dst)[1]), [d2] "=m"((dst)[2]), [d3] "=m"((dst)[3]),       \
              [x0] "=&r"(x0_), [x1] "=&r"(x1_)                                                          \
            : [s0] "m"(*reinterpret_cast<const std::uint64_t*>((np)[0] + 8 * (r))),                     \
              [s1] "m"(*reinterpret_cast<const std::uint64_t*>((np)[1] + 8 * (r))),                     \
              [s2] "m"(*reinterpret_cast<const std::uint64_t*>((np)[2] + 8 * (r))),                     \
              [s3] "m"(*reinterpret_cast<const std::uint64_t*>((np)[3] + 8 * (r))));                    \
  } while (0)

/// A block of zeros: the hybrid kernel's scalar side reads it as the "next block" while
/// the last block is compressed (its result is discarded).
alignas(64) inline constexpr std::uint8_t zero_block[128] = {};


/// 4-lane SHA-512 compression, hybrid: the vector unit runs the rounds and schedule words
/// 48..79, while the otherwise idle scalar integer ALUs load the next block and compute its
/// schedule words 16..47 (BMI2 `rorx`), interleaved into the same rounds; the two sides
/// meet in a transposed word buffer (double-buffered, so every 32-byte vector load reads
/// scalar stores made >= 16 rounds earlier: no failed store-to-load forwarding). On Zen 4
/// ~6% fewer cycles per block than compress_vector from 3 blocks on (it pays a prologue:
/// block 0's schedule in vector code). Requires AVX2 and BMI2.
DAREKIT_TARGET("avx2,bmi,bmi2") inline void compress_hybrid(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  if (!n) return;
  DAREKIT_X4_CONSTS;
  alignas(32) std::uint64_t wb[2][320];
  std::uint64_t* w = wb[0];   // this block's words, transposed: w[4t + lane]
  std::uint64_t* wn = wb[1];  // the next block's
#define DAREKIT_X4_LDM(t) _mm256_load_si256(reinterpret_cast<const __m256i*>(w + 4 * (t)))
#define DAREKIT_X4_STM(t, v) _mm256_store_si256(reinterpret_cast<__m256i*>(w + 4 * (t)), v)
#define DAREKIT_X4_S(t) DAREKIT_X4_SCHED_AT(t, DAREKIT_X4_LDM, DAREKIT_X4_STM)
#define DAREKIT_X4_M(r) DAREKIT_SHA512_SCALAR_MSG4(wn + 4 * (r), np, r)
#define DAREKIT_X4_Q(k) DAREKIT_SHA512_SCALAR_SCHED(q + (k), 4)
  {  // Block 0's words 0..47 with the vector code.
    __m256i* wv = reinterpret_cast<__m256i*>(w);
    DAREKIT_X4_LOAD_BLOCK(wv, p, 0);
    for (int t = 16; t < 48; ++t) DAREKIT_X4_S(t);
  }
  for (std::size_t blk = 0; blk < n; ++blk) {
    const std::uint8_t* np[4];
    for (int j = 0; j < 4; ++j) np[j] = blk + 1 < n ? p[j] + (blk + 1) * 128 : zero_block;
    const __m256i sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;
    __m256i bc = _mm256_xor_si256(b, c);
    // Scalar: the next block's message words in rounds 0..15, its schedule words 16..47
    // (two lane-words per round) in rounds 16..79. Vector: word 48 + k at round 16 + 2k,
    // so its first reads of scalar words come >= 16 rounds after they were stored.
    _Pragma("GCC unroll 1") for (std::size_t i = 0; i < 16; i += 8) {
      DAREKIT_X4_EIGHT(i, DAREKIT_X4_LDM, DAREKIT_X4_M(i + 0), DAREKIT_X4_M(i + 1), DAREKIT_X4_M(i + 2),
                       DAREKIT_X4_M(i + 3), DAREKIT_X4_M(i + 4), DAREKIT_X4_M(i + 5), DAREKIT_X4_M(i + 6),
                       DAREKIT_X4_M(i + 7));
    }
    _Pragma("GCC unroll 1") for (std::size_t i = 16; i < 80; i += 8) {
      std::uint64_t* q = wn + 4 * (16 + (i - 16) / 2);
      const std::size_t v = 48 + (i - 16) / 2;
      DAREKIT_X4_EIGHT(i, DAREKIT_X4_LDM, DAREKIT_X4_S(v); DAREKIT_X4_Q(0); DAREKIT_X4_Q(1),
                       DAREKIT_X4_Q(2); DAREKIT_X4_Q(3), DAREKIT_X4_S(v + 1); DAREKIT_X4_Q(4); DAREKIT_X4_Q(5),
                       DAREKIT_X4_Q(6); DAREKIT_X4_Q(7), DAREKIT_X4_S(v + 2); DAREKIT_X4_Q(8); DAREKIT_X4_Q(9),
                       DAREKIT_X4_Q(10); DAREKIT_X4_Q(11), DAREKIT_X4_S(v + 3); DAREKIT_X4_Q(12); DAREKIT_X4_Q(13),
                       DAREKIT_X4_Q(14); DAREKIT_X4_Q(15));
    }
    a = add(a, sa); b = add(b, sb); c = add(c, sc); d = add(d, sd);
    e = add(e, se); f = add(f, sf); g = add(g, sg); h = add(h, sh);
    std::uint64_t* const tmp = w; w = wn; wn = tmp;
  }
#undef DAREKIT_X4_Q
#undef DAREKIT_X4_M
#undef DAREKIT_X4_S
#undef DAREKIT_X4_STM
#undef DAREKIT_X4_LDM
  DAREKIT_X4_STORE;
}
#undef DAREKIT_X4_STORE
#undef DAREKIT_X4_CONSTS
#undef DAREKIT_X4_NOP
#undef DAREKIT_X4_EIGHT
#undef DAREKIT_X4_SCHED_AT
#undef DAREKIT_X4_LOAD_BLOCK

/// 4-lane SHA-512 compression (AVX2): the hybrid kernel for runs of 3 or more blocks when
/// the CPU has BMI2 (every AVX2 CPU in practice), else the all-vector one.
inline void compress(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  if (n >= 3 && cpu().bmi2) compress_hybrid(st, p, n);
  else compress_vector(st, p, n);
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

/// 8-lane SHA-512 compression (AVX-512F/BW), all in zmm registers. The schedule runs 16
/// words ahead of the rounds (round t computes w[t + 16] in a 16-register ring), so its
/// ops fill the rounds' idle issue slots; ror 8 of sigma0 is a byte shuffle, which runs
/// partly on other pipes than `vprorq` (on Zen 4 the rotates, one zmm per cycle, are the
/// scarcest resource). Computing 16 schedule words every 16 rounds was ~12% slower.
DAREKIT_TARGET_AVX512 inline void compress_vector(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  const __m512i bswap = _mm512_broadcast_i32x4(_mm_set_epi8(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  const __m512i rot8 = _mm512_broadcast_i32x4(_mm_set_epi8(8, 15, 14, 13, 12, 11, 10, 9, 0, 7, 6, 5, 4, 3, 2, 1));
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
// w[j] (= W[t - 16]) becomes W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16].
#define DAREKIT_X8_SCHED(j)                                                                             \
  do {                                                                                                  \
    const __m512i w15 = w[((j) + 1) & 15], w2 = w[((j) + 14) & 15];                                     \
    w[j] = add(add(w[j], w[((j) + 9) & 15]),                                                            \
               add(_mm512_ternarylogic_epi64(_mm512_ror_epi64(w15, 1), _mm512_shuffle_epi8(w15, rot8),  \
                                             _mm512_srli_epi64(w15, 7), 0x96),                          \
                   _mm512_ternarylogic_epi64(_mm512_ror_epi64(w2, 19), _mm512_ror_epi64(w2, 61),        \
                                             _mm512_srli_epi64(w2, 6), 0x96)));                         \
  } while (0)
#define DAREKIT_X8_NOP(j) do { } while (0)
#define DAREKIT_X8_SIXTEEN(i, P)                                                                        \
  DAREKIT_X8_ROUND(a, b, c, d, e, f, g, h, (i) + 0, w[0]); P(0);                                        \
  DAREKIT_X8_ROUND(h, a, b, c, d, e, f, g, (i) + 1, w[1]); P(1);                                        \
  DAREKIT_X8_ROUND(g, h, a, b, c, d, e, f, (i) + 2, w[2]); P(2);                                        \
  DAREKIT_X8_ROUND(f, g, h, a, b, c, d, e, (i) + 3, w[3]); P(3);                                        \
  DAREKIT_X8_ROUND(e, f, g, h, a, b, c, d, (i) + 4, w[4]); P(4);                                        \
  DAREKIT_X8_ROUND(d, e, f, g, h, a, b, c, (i) + 5, w[5]); P(5);                                        \
  DAREKIT_X8_ROUND(c, d, e, f, g, h, a, b, (i) + 6, w[6]); P(6);                                        \
  DAREKIT_X8_ROUND(b, c, d, e, f, g, h, a, (i) + 7, w[7]); P(7);                                        \
  DAREKIT_X8_ROUND(a, b, c, d, e, f, g, h, (i) + 8, w[8]); P(8);                                        \
  DAREKIT_X8_ROUND(h, a, b, c, d, e, f, g, (i) + 9, w[9]); P(9);                                        \
  DAREKIT_X8_ROUND(g, h, a, b, c, d, e, f, (i) + 10, w[10]); P(10);                                     \
  DAREKIT_X8_ROUND(f, g, h, a, b, c, d, e, (i) + 11, w[11]); P(11);                                     \
  DAREKIT_X8_ROUND(e, f, g, h, a, b, c, d, (i) + 12, w[12]); P(12);                                     \
  DAREKIT_X8_ROUND(d, e, f, g, h, a, b, c, (i) + 13, w[13]); P(13);                                     \
  DAREKIT_X8_ROUND(c, d, e, f, g, h, a, b, (i) + 14, w[14]); P(14);                                     \
  DAREKIT_X8_ROUND(b, c, d, e, f, g, h, a, (i) + 15, w[15]); P(15)
    _Pragma("GCC unroll 1") for (int i = 0; i < 64; i += 16) { DAREKIT_X8_SIXTEEN(i, DAREKIT_X8_SCHED); }
    DAREKIT_X8_SIXTEEN(64, DAREKIT_X8_NOP);
#undef DAREKIT_X8_SIXTEEN
#undef DAREKIT_X8_NOP
#undef DAREKIT_X8_SCHED
    a = add(a, sa); b = add(b, sb); c = add(c, sc); d = add(d, sd);
    e = add(e, se); f = add(f, sf); g = add(g, sg); h = add(h, sh);
  }
  _mm512_storeu_si512(st + 0, a); _mm512_storeu_si512(st + 8, b); _mm512_storeu_si512(st + 16, c);
  _mm512_storeu_si512(st + 24, d); _mm512_storeu_si512(st + 32, e); _mm512_storeu_si512(st + 40, f);
  _mm512_storeu_si512(st + 48, g); _mm512_storeu_si512(st + 56, h);
}

// The hybrid kernel's round: e' = (d + (h + W + K + Ch)) + S1 and a' = (h + W + K + Ch + S1)
// + (S0 + Maj), one add more than DAREKIT_X8_ROUND but S1 (three 2-cycle rotates) is the
// last term of e'; the empty asm statements keep the compiler from re-associating the sums.
#define DAREKIT_X8_OPAQUE(x) __asm__("" : "+v"(x))
#define DAREKIT_X8_ROUND_SPLIT(a, b, c, d, e, f, g, h, i, wi)                                           \
  do {                                                                                                  \
    __m512i u_ = add(h, add(wi, _mm512_set1_epi64(std::int64_t(sha512_k[i]))));                         \
    DAREKIT_X8_OPAQUE(u_);                                                                              \
    u_ = add(u_, _mm512_ternarylogic_epi64(e, f, g, 0xCA));                                             \
    const __m512i s1_ = DAREKIT_X8_S(e, 14, 18, 41);                                                    \
    __m512i du_ = add(d, u_);                                                                           \
    DAREKIT_X8_OPAQUE(du_);                                                                             \
    const __m512i t1_ = add(u_, s1_);                                                                   \
    d = add(du_, s1_);                                                                                  \
    h = add(t1_, add(DAREKIT_X8_S(a, 28, 34, 39), _mm512_ternarylogic_epi64(a, b, c, 0xE8)));           \
  } while (0)


/// 8-lane SHA-512 compression, hybrid: the vector unit runs the rounds and schedule words
/// 32..79, while the otherwise idle scalar integer ALUs load and byte-swap the NEXT block's
/// message and compute its schedule words 16..31 (BMI2 `rorx`), interleaved into the same
/// rounds. The two sides meet in a lane-interleaved word array w[8t + lane]
/// (double-buffered: the vector side's 64-byte loads only read scalar stores made during
/// the previous block, so store-to-load forwarding never fails), so the vector side no
/// longer transposes the message either. The vector schedule words are spread over rounds
/// 0..63 (6 per 8 rounds). On Zen 4 ~5% fewer cycles per block than compress_vector from
/// ~8 blocks on (it pays a prologue: block 0's transpose and words 16..31 in vector code,
/// and the scalar side's work on a dummy block after the last). Giving the scalar side
/// more words (16..39: +8%, 16..47: +25% cycles) is slower: the shared dispatch saturates.
/// Requires AVX-512F/BW/VL and BMI2.
DAREKIT_TARGET("avx2,avx512f,avx512bw,avx512vl,bmi,bmi2")
inline void compress_hybrid(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  if (!n) return;
  constexpr int scalar_end = 32;  // words 0..31 come from the scalar side (block 0: the prologue)
  const __m512i bswap = _mm512_broadcast_i32x4(_mm_set_epi8(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  const __m512i rot8 = _mm512_broadcast_i32x4(_mm_set_epi8(8, 15, 14, 13, 12, 11, 10, 9, 0, 7, 6, 5, 4, 3, 2, 1));
  __m512i a = _mm512_loadu_si512(st + 0), b = _mm512_loadu_si512(st + 8), c = _mm512_loadu_si512(st + 16),
          d = _mm512_loadu_si512(st + 24), e = _mm512_loadu_si512(st + 32), f = _mm512_loadu_si512(st + 40),
          g = _mm512_loadu_si512(st + 48), h = _mm512_loadu_si512(st + 56);
  alignas(64) std::uint64_t wb[2][640];
  std::uint64_t* w = wb[0];   // this block's words: w[8t + lane]
  std::uint64_t* wn = wb[1];  // the next block's
#define DAREKIT_X8_LDW(t) _mm512_load_si512(w + 8 * (t))
#define DAREKIT_X8_VSCHED(t)                                                                            \
  do {                                                                                                  \
    const __m512i w15 = DAREKIT_X8_LDW((t) - 15), w2 = DAREKIT_X8_LDW((t) - 2);                         \
    _mm512_store_si512(w + 8 * (t),                                                                     \
                       add(add(DAREKIT_X8_LDW((t) - 16), DAREKIT_X8_LDW((t) - 7)),                      \
                           add(_mm512_ternarylogic_epi64(_mm512_ror_epi64(w15, 1), _mm512_shuffle_epi8(w15, rot8), \
                                                         _mm512_srli_epi64(w15, 7), 0x96),              \
                               _mm512_ternarylogic_epi64(_mm512_ror_epi64(w2, 19), _mm512_ror_epi64(w2, 61), \
                                                         _mm512_srli_epi64(w2, 6), 0x96))));            \
  } while (0)
  {  // Block 0's words 0..31 with the vector code.
    __m512i r[8];
    for (int half = 0; half < 2; ++half) {
      for (int j = 0; j < 8; ++j) r[j] = _mm512_loadu_si512(p[j] + 64 * half);
      transpose8(r);
      for (int j = 0; j < 8; ++j) _mm512_store_si512(w + 8 * (8 * half + j), _mm512_shuffle_epi8(r[j], bswap));
    }
    for (int t = 16; t < scalar_end; ++t) DAREKIT_X8_VSCHED(t);
  }
#define DAREKIT_X8_EIGHT(i, P0, P1, P2, P3, P4, P5, P6, P7)                                             \
  DAREKIT_X8_ROUND_SPLIT(a, b, c, d, e, f, g, h, (i) + 0, DAREKIT_X8_LDW((i) + 0)); P0;                 \
  DAREKIT_X8_ROUND_SPLIT(h, a, b, c, d, e, f, g, (i) + 1, DAREKIT_X8_LDW((i) + 1)); P1;                 \
  DAREKIT_X8_ROUND_SPLIT(g, h, a, b, c, d, e, f, (i) + 2, DAREKIT_X8_LDW((i) + 2)); P2;                 \
  DAREKIT_X8_ROUND_SPLIT(f, g, h, a, b, c, d, e, (i) + 3, DAREKIT_X8_LDW((i) + 3)); P3;                 \
  DAREKIT_X8_ROUND_SPLIT(e, f, g, h, a, b, c, d, (i) + 4, DAREKIT_X8_LDW((i) + 4)); P4;                 \
  DAREKIT_X8_ROUND_SPLIT(d, e, f, g, h, a, b, c, (i) + 5, DAREKIT_X8_LDW((i) + 5)); P5;                 \
  DAREKIT_X8_ROUND_SPLIT(c, d, e, f, g, h, a, b, (i) + 6, DAREKIT_X8_LDW((i) + 6)); P6;                 \
  DAREKIT_X8_ROUND_SPLIT(b, c, d, e, f, g, h, a, (i) + 7, DAREKIT_X8_LDW((i) + 7)); P7
// Scalar, rounds 0..15: the next block's message word r of the 8 lanes per round.
#define DAREKIT_X8_M(r) do { DAREKIT_SHA512_SCALAR_MSG4(wn + 8 * (r), np, r); DAREKIT_SHA512_SCALAR_MSG4(wn + 8 * (r) + 4, np + 4, r); } while (0)
// Scalar, rounds 16..79: two lane-words per round (q: lane 0 of the 8-round group's first word).
#define DAREKIT_X8_Q(j) do { DAREKIT_SHA512_SCALAR_SCHED(q + 2 * (j), 8); DAREKIT_SHA512_SCALAR_SCHED(q + 2 * (j) + 1, 8); } while (0)
// Vector: words vb + 0..5 in the first six rounds of each 8-round group of rounds 0..63.
#define DAREKIT_X8_V(j) DAREKIT_X8_VSCHED(vb + (j))
  for (std::size_t blk = 0; blk < n; ++blk) {
    const std::uint8_t* np[8];
    for (int j = 0; j < 8; ++j) np[j] = blk + 1 < n ? p[j] + (blk + 1) * 128 : sha512x4_avx2::zero_block;
    const __m512i sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;
    _Pragma("GCC unroll 1") for (int i = 0; i < 16; i += 8) {
      const int vb = scalar_end + 6 * (i / 8);
      DAREKIT_X8_EIGHT(i, DAREKIT_X8_M(i); DAREKIT_X8_V(0), DAREKIT_X8_M(i + 1); DAREKIT_X8_V(1),
                       DAREKIT_X8_M(i + 2); DAREKIT_X8_V(2), DAREKIT_X8_M(i + 3); DAREKIT_X8_V(3),
                       DAREKIT_X8_M(i + 4); DAREKIT_X8_V(4), DAREKIT_X8_M(i + 5); DAREKIT_X8_V(5),
                       DAREKIT_X8_M(i + 6), DAREKIT_X8_M(i + 7));
    }
    _Pragma("GCC unroll 1") for (int i = 16; i < 64; i += 8) {
      std::uint64_t* q = wn + 8 * (16 + (i - 16) / 4);
      const int vb = scalar_end + 6 * (i / 8);
      DAREKIT_X8_EIGHT(i, DAREKIT_X8_Q(0); DAREKIT_X8_V(0), DAREKIT_X8_Q(1); DAREKIT_X8_V(1),
                       DAREKIT_X8_Q(2); DAREKIT_X8_V(2), DAREKIT_X8_Q(3); DAREKIT_X8_V(3),
                       DAREKIT_X8_Q(4); DAREKIT_X8_V(4), DAREKIT_X8_Q(5); DAREKIT_X8_V(5),
                       DAREKIT_X8_Q(6), DAREKIT_X8_Q(7));
    }
    _Pragma("GCC unroll 1") for (int i = 64; i < 80; i += 8) {
      std::uint64_t* q = wn + 8 * (16 + (i - 16) / 4);
      DAREKIT_X8_EIGHT(i, DAREKIT_X8_Q(0), DAREKIT_X8_Q(1), DAREKIT_X8_Q(2), DAREKIT_X8_Q(3),
                       DAREKIT_X8_Q(4), DAREKIT_X8_Q(5), DAREKIT_X8_Q(6), DAREKIT_X8_Q(7));
    }
    a = add(a, sa); b = add(b, sb); c = add(c, sc); d = add(d, sd);
    e = add(e, se); f = add(f, sf); g = add(g, sg); h = add(h, sh);
    std::uint64_t* const tmp = w; w = wn; wn = tmp;
  }
#undef DAREKIT_X8_V
#undef DAREKIT_X8_Q
#undef DAREKIT_X8_M
#undef DAREKIT_X8_EIGHT
#undef DAREKIT_X8_VSCHED
#undef DAREKIT_X8_LDW
  _mm512_storeu_si512(st + 0, a); _mm512_storeu_si512(st + 8, b); _mm512_storeu_si512(st + 16, c);
  _mm512_storeu_si512(st + 24, d); _mm512_storeu_si512(st + 32, e); _mm512_storeu_si512(st + 40, f);
  _mm512_storeu_si512(st + 48, g); _mm512_storeu_si512(st + 56, h);
}
#undef DAREKIT_SHA512_SCALAR_MSG4
#undef DAREKIT_SHA512_SCALAR_SCHED
#undef DAREKIT_X8_ROUND_SPLIT
#undef DAREKIT_X8_OPAQUE

/// 8-lane SHA-512 compression (AVX-512): the hybrid kernel for runs of 8 or more blocks
/// when the CPU has BMI2 (every AVX-512 CPU in practice), else the all-vector one.
inline void compress(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  if (n >= 8 && cpu().bmi2) compress_hybrid(st, p, n);
  else compress_vector(st, p, n);
}
#undef DAREKIT_X8_ROUND
#undef DAREKIT_X8_S
}  // namespace darekit::detail::sha512x8_avx512
DAREKIT_SIMD_WARNINGS_END
#endif
