// ChaCha20 SIMD kernels: AVX2 (8 blocks per pass, one state word per ymm register,
// 16- and 8-bit rotates via vpshufb) and AVX-512 (16 blocks per pass, one state word
// per zmm register, vprold). Each kernel sits in a function compiled with a target
// attribute (no global -m flags); crypto/chacha20.hpp picks one per call from
// active_kernel(). After the rounds the 16 word vectors are transposed back into
// consecutive 64-byte blocks (32-bit unpack, 64-bit unpack, then 128-bit lane moves).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/detail/simd_warnings.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/detail/chacha20_scalar.hpp"

#if DAREKIT_X86 && defined(__GNUC__)
#define DAREKIT_HAVE_CHACHA_SIMD 1
#include <immintrin.h>
#define DAREKIT_CHACHA_AVX2 __attribute__((target("avx2")))
#define DAREKIT_CHACHA_AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512vl")))
#else
#define DAREKIT_HAVE_CHACHA_SIMD 0
#endif

DAREKIT_SIMD_WARNINGS_BEGIN

namespace darekit::detail {
#if DAREKIT_HAVE_CHACHA_SIMD

// ---------------------------------------------------------------- AVX2, 8 blocks

/// One ChaCha quarter round on four vectors (8 blocks in parallel).
#define DAREKIT_CHACHA_QR8(a, b, c, d)                                                         \
  a = _mm256_add_epi32(a, b); d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), rot16);          \
  c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c);                                      \
  b = _mm256_or_si256(_mm256_slli_epi32(b, 12), _mm256_srli_epi32(b, 20));                     \
  a = _mm256_add_epi32(a, b); d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), rot8);           \
  c = _mm256_add_epi32(c, d); b = _mm256_xor_si256(b, c);                                      \
  b = _mm256_or_si256(_mm256_slli_epi32(b, 7), _mm256_srli_epi32(b, 25));

DAREKIT_CHACHA_AVX2 __attribute__((always_inline)) inline void chacha_group8(__m256i a, __m256i b, __m256i c, __m256i d,
                                                                             __m256i y[4]) noexcept {
  const __m256i t0 = _mm256_unpacklo_epi32(a, b), t1 = _mm256_unpackhi_epi32(a, b);
  const __m256i t2 = _mm256_unpacklo_epi32(c, d), t3 = _mm256_unpackhi_epi32(c, d);
  y[0] = _mm256_unpacklo_epi64(t0, t2); y[1] = _mm256_unpackhi_epi64(t0, t2);
  y[2] = _mm256_unpacklo_epi64(t1, t3); y[3] = _mm256_unpackhi_epi64(t1, t3);
}
DAREKIT_CHACHA_AVX2 __attribute__((always_inline)) inline void chacha_put8(std::uint8_t* out, const std::uint8_t* in,
                                                                           std::size_t off, __m256i v) noexcept {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + off),
                      _mm256_xor_si256(v, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + off))));
}

/// The body of one 8-block pass over (st, out, in); HOOK runs after every double
/// round i (0..9) (see DAREKIT_CHACHA16_PASS_BODY).
#define DAREKIT_CHACHA8_PASS_BODY(HOOK) \
  const __m256i rot16 = _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,                                \
                                         2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);                               \
  const __m256i rot8 = _mm256_setr_epi8(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14,                                 \
                                        3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14);                                \
  const __m256i ctr = _mm256_add_epi32(_mm256_set1_epi32(int(st[12])), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));            \
  __m256i x0 = _mm256_set1_epi32(int(st[0])), x1 = _mm256_set1_epi32(int(st[1])), x2 = _mm256_set1_epi32(int(st[2])),         \
          x3 = _mm256_set1_epi32(int(st[3])), x4 = _mm256_set1_epi32(int(st[4])), x5 = _mm256_set1_epi32(int(st[5])),         \
          x6 = _mm256_set1_epi32(int(st[6])), x7 = _mm256_set1_epi32(int(st[7])), x8 = _mm256_set1_epi32(int(st[8])),         \
          x9 = _mm256_set1_epi32(int(st[9])), x10 = _mm256_set1_epi32(int(st[10])), x11 = _mm256_set1_epi32(int(st[11])),     \
          x12 = ctr, x13 = _mm256_set1_epi32(int(st[13])), x14 = _mm256_set1_epi32(int(st[14])),                              \
          x15 = _mm256_set1_epi32(int(st[15]));                                                                               \
  for (int i = 0; i < 10; ++i) {                                                                                              \
    DAREKIT_CHACHA_QR8(x0, x4, x8, x12) DAREKIT_CHACHA_QR8(x1, x5, x9, x13)                                                   \
    DAREKIT_CHACHA_QR8(x2, x6, x10, x14) DAREKIT_CHACHA_QR8(x3, x7, x11, x15)                                                 \
    DAREKIT_CHACHA_QR8(x0, x5, x10, x15) DAREKIT_CHACHA_QR8(x1, x6, x11, x12)                                                 \
    DAREKIT_CHACHA_QR8(x2, x7, x8, x13) DAREKIT_CHACHA_QR8(x3, x4, x9, x14)                                                   \
    HOOK                                                                                                                      \
  }                                                                                                                           \
  x0 = _mm256_add_epi32(x0, _mm256_set1_epi32(int(st[0]))); x1 = _mm256_add_epi32(x1, _mm256_set1_epi32(int(st[1])));         \
  x2 = _mm256_add_epi32(x2, _mm256_set1_epi32(int(st[2]))); x3 = _mm256_add_epi32(x3, _mm256_set1_epi32(int(st[3])));         \
  x4 = _mm256_add_epi32(x4, _mm256_set1_epi32(int(st[4]))); x5 = _mm256_add_epi32(x5, _mm256_set1_epi32(int(st[5])));         \
  x6 = _mm256_add_epi32(x6, _mm256_set1_epi32(int(st[6]))); x7 = _mm256_add_epi32(x7, _mm256_set1_epi32(int(st[7])));         \
  x8 = _mm256_add_epi32(x8, _mm256_set1_epi32(int(st[8]))); x9 = _mm256_add_epi32(x9, _mm256_set1_epi32(int(st[9])));         \
  x10 = _mm256_add_epi32(x10, _mm256_set1_epi32(int(st[10]))); x11 = _mm256_add_epi32(x11, _mm256_set1_epi32(int(st[11])));   \
  x12 = _mm256_add_epi32(x12, ctr); x13 = _mm256_add_epi32(x13, _mm256_set1_epi32(int(st[13])));                              \
  x14 = _mm256_add_epi32(x14, _mm256_set1_epi32(int(st[14]))); x15 = _mm256_add_epi32(x15, _mm256_set1_epi32(int(st[15])));   \
                                                                                                                              \
  /* Transpose each group of four word vectors: y[r] lane l = words 4g..4g+3 of block 4l+r. */                                \
  __m256i a[4], b[4], c[4], d[4];                                                                                             \
  chacha_group8(x0, x1, x2, x3, a);                                                                                           \
  chacha_group8(x4, x5, x6, x7, b);                                                                                           \
  chacha_group8(x8, x9, x10, x11, c);                                                                                         \
  chacha_group8(x12, x13, x14, x15, d);                                                                                       \
  for (int r = 0; r < 4; ++r) {                                                                                               \
    const std::size_t lo = std::size_t(64 * r), hi = std::size_t(64 * (4 + r));                                               \
    chacha_put8(out, in, lo, _mm256_permute2x128_si256(a[r], b[r], 0x20));                                                    \
    chacha_put8(out, in, lo + 32, _mm256_permute2x128_si256(c[r], d[r], 0x20));                                               \
    chacha_put8(out, in, hi, _mm256_permute2x128_si256(a[r], b[r], 0x31));                                                    \
    chacha_put8(out, in, hi + 32, _mm256_permute2x128_si256(c[r], d[r], 0x31));                                               \
  }                                                                                                                          

/// XOR one 512-byte pass (8 blocks from counter st[12]) of keystream: in -> out.
DAREKIT_CHACHA_AVX2 inline void chacha20_pass_avx2(const std::uint32_t st[16], std::uint8_t* out,
                                                   const std::uint8_t* in) noexcept {
  DAREKIT_CHACHA8_PASS_BODY((void)i;)
}

/// XOR `n` bytes of keystream (state st, counter st[12] advanced per block) in -> out.
DAREKIT_CHACHA_AVX2 inline void chacha20_xor_avx2(std::uint32_t st[16], std::uint8_t* out, const std::uint8_t* in,
                                                  std::size_t n) noexcept {
  while (n >= 512) {
    chacha20_pass_avx2(st, out, in);
    st[12] += 8; out += 512; in += 512; n -= 512;
  }
  if (n) {
    alignas(32) std::uint8_t buf[512];
    std::memcpy(buf, in, n);
    chacha20_pass_avx2(st, buf, buf);
    std::memcpy(out, buf, n);
    st[12] += std::uint32_t((n + 63) / 64);
    wipe(buf, sizeof buf);
  }
}

// ---------------------------------------------------------------- AVX-512, 16 blocks

#define DAREKIT_CHACHA_QR16(a, b, c, d)                                              \
  a = _mm512_add_epi32(a, b); d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 16);     \
  c = _mm512_add_epi32(c, d); b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 12);     \
  a = _mm512_add_epi32(a, b); d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 8);      \
  c = _mm512_add_epi32(c, d); b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 7);

DAREKIT_CHACHA_AVX512 __attribute__((always_inline)) inline void chacha_group16(__m512i a, __m512i b, __m512i c,
                                                                                __m512i d, __m512i y[4]) noexcept {
  const __m512i t0 = _mm512_unpacklo_epi32(a, b), t1 = _mm512_unpackhi_epi32(a, b);
  const __m512i t2 = _mm512_unpacklo_epi32(c, d), t3 = _mm512_unpackhi_epi32(c, d);
  y[0] = _mm512_unpacklo_epi64(t0, t2); y[1] = _mm512_unpackhi_epi64(t0, t2);
  y[2] = _mm512_unpacklo_epi64(t1, t3); y[3] = _mm512_unpackhi_epi64(t1, t3);
}
DAREKIT_CHACHA_AVX512 __attribute__((always_inline)) inline void chacha_put16(std::uint8_t* out, const std::uint8_t* in,
                                                                              std::size_t blk, __m512i v) noexcept {
  _mm512_storeu_si512(out + 64 * blk, _mm512_xor_si512(v, _mm512_loadu_si512(in + 64 * blk)));
}

/// The body of one 16-block pass over (st, out, in); HOOK runs after every double
/// round i (0..9) so other independent work (the IFMA Poly1305 of the AEAD) can be
/// interleaved with the rounds. Used by chacha20_pass_avx512 and the stitched AEAD.
#define DAREKIT_CHACHA16_PASS_BODY(HOOK) \
  const __m512i ctr = _mm512_add_epi32(_mm512_set1_epi32(int(st[12])),                                                        \
                                       _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));              \
  __m512i x0 = _mm512_set1_epi32(int(st[0])), x1 = _mm512_set1_epi32(int(st[1])), x2 = _mm512_set1_epi32(int(st[2])),         \
          x3 = _mm512_set1_epi32(int(st[3])), x4 = _mm512_set1_epi32(int(st[4])), x5 = _mm512_set1_epi32(int(st[5])),         \
          x6 = _mm512_set1_epi32(int(st[6])), x7 = _mm512_set1_epi32(int(st[7])), x8 = _mm512_set1_epi32(int(st[8])),         \
          x9 = _mm512_set1_epi32(int(st[9])), x10 = _mm512_set1_epi32(int(st[10])), x11 = _mm512_set1_epi32(int(st[11])),     \
          x12 = ctr, x13 = _mm512_set1_epi32(int(st[13])), x14 = _mm512_set1_epi32(int(st[14])),                              \
          x15 = _mm512_set1_epi32(int(st[15]));                                                                               \
  for (int i = 0; i < 10; ++i) {                                                                                              \
    DAREKIT_CHACHA_QR16(x0, x4, x8, x12) DAREKIT_CHACHA_QR16(x1, x5, x9, x13)                                                 \
    DAREKIT_CHACHA_QR16(x2, x6, x10, x14) DAREKIT_CHACHA_QR16(x3, x7, x11, x15)                                               \
    DAREKIT_CHACHA_QR16(x0, x5, x10, x15) DAREKIT_CHACHA_QR16(x1, x6, x11, x12)                                               \
    DAREKIT_CHACHA_QR16(x2, x7, x8, x13) DAREKIT_CHACHA_QR16(x3, x4, x9, x14)                                                 \
    HOOK                                                                                                                      \
  }                                                                                                                           \
  x0 = _mm512_add_epi32(x0, _mm512_set1_epi32(int(st[0]))); x1 = _mm512_add_epi32(x1, _mm512_set1_epi32(int(st[1])));         \
  x2 = _mm512_add_epi32(x2, _mm512_set1_epi32(int(st[2]))); x3 = _mm512_add_epi32(x3, _mm512_set1_epi32(int(st[3])));         \
  x4 = _mm512_add_epi32(x4, _mm512_set1_epi32(int(st[4]))); x5 = _mm512_add_epi32(x5, _mm512_set1_epi32(int(st[5])));         \
  x6 = _mm512_add_epi32(x6, _mm512_set1_epi32(int(st[6]))); x7 = _mm512_add_epi32(x7, _mm512_set1_epi32(int(st[7])));         \
  x8 = _mm512_add_epi32(x8, _mm512_set1_epi32(int(st[8]))); x9 = _mm512_add_epi32(x9, _mm512_set1_epi32(int(st[9])));         \
  x10 = _mm512_add_epi32(x10, _mm512_set1_epi32(int(st[10]))); x11 = _mm512_add_epi32(x11, _mm512_set1_epi32(int(st[11])));   \
  x12 = _mm512_add_epi32(x12, ctr); x13 = _mm512_add_epi32(x13, _mm512_set1_epi32(int(st[13])));                              \
  x14 = _mm512_add_epi32(x14, _mm512_set1_epi32(int(st[14]))); x15 = _mm512_add_epi32(x15, _mm512_set1_epi32(int(st[15])));   \
                                                                                                                              \
  /* y[r] 128-bit lane l = words 4g..4g+3 of block 4l+r; then a 4x4 transpose of */                                           \
  /* 128-bit lanes across a[r], b[r], c[r], d[r] gives blocks r, 4+r, 8+r, 12+r. */                                           \
  __m512i a[4], b[4], c[4], d[4];                                                                                             \
  chacha_group16(x0, x1, x2, x3, a);                                                                                          \
  chacha_group16(x4, x5, x6, x7, b);                                                                                          \
  chacha_group16(x8, x9, x10, x11, c);                                                                                        \
  chacha_group16(x12, x13, x14, x15, d);                                                                                      \
  for (int r = 0; r < 4; ++r) {                                                                                               \
    const __m512i p = _mm512_shuffle_i32x4(a[r], b[r], 0x44), q = _mm512_shuffle_i32x4(c[r], d[r], 0x44);                     \
    const __m512i p2 = _mm512_shuffle_i32x4(a[r], b[r], 0xee), q2 = _mm512_shuffle_i32x4(c[r], d[r], 0xee);                   \
    chacha_put16(out, in, std::size_t(r), _mm512_shuffle_i32x4(p, q, 0x88));                                                  \
    chacha_put16(out, in, std::size_t(4 + r), _mm512_shuffle_i32x4(p, q, 0xdd));                                              \
    chacha_put16(out, in, std::size_t(8 + r), _mm512_shuffle_i32x4(p2, q2, 0x88));                                            \
    chacha_put16(out, in, std::size_t(12 + r), _mm512_shuffle_i32x4(p2, q2, 0xdd));                                           \
  }                                                                                                                          

/// XOR one 1024-byte pass (16 blocks from counter st[12]) of keystream: in -> out.
DAREKIT_CHACHA_AVX512 inline void chacha20_pass_avx512(const std::uint32_t st[16], std::uint8_t* out,
                                                       const std::uint8_t* in) noexcept {
  DAREKIT_CHACHA16_PASS_BODY((void)i;)
}

/// XOR `n` bytes of keystream in -> out with 16-block passes; tails of at most 512
/// bytes go to the 8-block pass.
DAREKIT_CHACHA_AVX512 inline void chacha20_xor_avx512(std::uint32_t st[16], std::uint8_t* out, const std::uint8_t* in,
                                                      std::size_t n) noexcept {
  while (n >= 1024) {
    chacha20_pass_avx512(st, out, in);
    st[12] += 16; out += 1024; in += 1024; n -= 1024;
  }
  if (n > 512) {
    alignas(64) std::uint8_t buf[1024];
    std::memcpy(buf, in, n);
    chacha20_pass_avx512(st, buf, buf);
    std::memcpy(out, buf, n);
    st[12] += std::uint32_t((n + 63) / 64);
    wipe(buf, sizeof buf);
  } else if (n) {
    chacha20_xor_avx2(st, out, in, n);
  }
}

#endif  // DAREKIT_HAVE_CHACHA_SIMD
}  // namespace darekit::detail

DAREKIT_SIMD_WARNINGS_END
