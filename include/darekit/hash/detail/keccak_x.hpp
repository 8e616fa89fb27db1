// Keccak-f[1600] absorb kernels for the multi-lane SHA3-512 (rate 72 bytes):
// scalar (1 lane), 4 lanes (AVX2) and 8 lanes (AVX-512).
//
// Each kernel XORs `n` consecutive 72-byte blocks from each lane's pointer into a
// transposed state st[word * L + lane] (word = x + 5y, little endian), permuting after
// each block.
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/core/detail/simd_warnings.hpp"
#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/crypto/detail/sha2_compress.hpp"
#include "darekit/crypto/keccak.hpp"
#include "darekit/hash/detail/sha512_x.hpp"

#if DAREKIT_X86
#include <immintrin.h>
#endif

namespace darekit::detail::keccak_x {

/// Rate of SHA3-512 in bytes and in 64-bit words.
inline constexpr std::size_t rate = 72, rate_words = 9;

// Round constants, rho offsets and the pi map come from the scalar Keccak in
// darekit/crypto/keccak.hpp, so every kernel uses the same tables.
inline constexpr const auto& rc = keccak_round_constants;
inline constexpr const auto& rho = keccak_rho_offsets;
inline constexpr const auto& pi_dest = keccak_pi_dest;

/// 1-lane absorb of `n` 72-byte blocks.
inline void absorb_scalar(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  const std::uint8_t* q = p[0];
  for (; n; --n, q += rate) {
    for (std::size_t i = 0; i < rate_words; ++i) st[i] ^= load_le64(q + 8 * i);
    keccak_f1600(*reinterpret_cast<std::uint64_t(*)[25]>(st));
  }
}

DAREKIT_SIMD_WARNINGS_BEGIN
#if DAREKIT_X86
// Generated round bodies: X -> Y with theta, rho, pi, chi, iota; names alternate between
// two register sets so no moves are needed.
#define DAREKIT_K8_ROUND(X, Y, RC) \
  do { \
  const auto c0_ = _mm512_ternarylogic_epi64(_mm512_ternarylogic_epi64(X##0, X##5, X##10, 0x96), X##15, X##20, 0x96);  \
  const auto c1_ = _mm512_ternarylogic_epi64(_mm512_ternarylogic_epi64(X##1, X##6, X##11, 0x96), X##16, X##21, 0x96);  \
  const auto c2_ = _mm512_ternarylogic_epi64(_mm512_ternarylogic_epi64(X##2, X##7, X##12, 0x96), X##17, X##22, 0x96);  \
  const auto c3_ = _mm512_ternarylogic_epi64(_mm512_ternarylogic_epi64(X##3, X##8, X##13, 0x96), X##18, X##23, 0x96);  \
  const auto c4_ = _mm512_ternarylogic_epi64(_mm512_ternarylogic_epi64(X##4, X##9, X##14, 0x96), X##19, X##24, 0x96);  \
  const auto d0_ = _mm512_xor_si512(c4_, _mm512_rol_epi64(c1_, 1));                                                    \
  const auto d1_ = _mm512_xor_si512(c0_, _mm512_rol_epi64(c2_, 1));                                                    \
  const auto d2_ = _mm512_xor_si512(c1_, _mm512_rol_epi64(c3_, 1));                                                    \
  const auto d3_ = _mm512_xor_si512(c2_, _mm512_rol_epi64(c4_, 1));                                                    \
  const auto d4_ = _mm512_xor_si512(c3_, _mm512_rol_epi64(c0_, 1));                                                    \
  const auto b00_ = _mm512_xor_si512(X##0, d0_);                                                                       \
  const auto b10_ = _mm512_rol_epi64(_mm512_xor_si512(X##6, d1_), 44);                                                 \
  const auto b20_ = _mm512_rol_epi64(_mm512_xor_si512(X##12, d2_), 43);                                                \
  const auto b30_ = _mm512_rol_epi64(_mm512_xor_si512(X##18, d3_), 21);                                                \
  const auto b40_ = _mm512_rol_epi64(_mm512_xor_si512(X##24, d4_), 14);                                                \
  Y##0 = _mm512_ternarylogic_epi64(b00_, b10_, b20_, 0xD2);                                                            \
  Y##1 = _mm512_ternarylogic_epi64(b10_, b20_, b30_, 0xD2);                                                            \
  Y##2 = _mm512_ternarylogic_epi64(b20_, b30_, b40_, 0xD2);                                                            \
  Y##3 = _mm512_ternarylogic_epi64(b30_, b40_, b00_, 0xD2);                                                            \
  Y##4 = _mm512_ternarylogic_epi64(b40_, b00_, b10_, 0xD2);                                                            \
  const auto b01_ = _mm512_rol_epi64(_mm512_xor_si512(X##3, d3_), 28);                                                 \
  const auto b11_ = _mm512_rol_epi64(_mm512_xor_si512(X##9, d4_), 20);                                                 \
  const auto b21_ = _mm512_rol_epi64(_mm512_xor_si512(X##10, d0_), 3);                                                 \
  const auto b31_ = _mm512_rol_epi64(_mm512_xor_si512(X##16, d1_), 45);                                                \
  const auto b41_ = _mm512_rol_epi64(_mm512_xor_si512(X##22, d2_), 61);                                                \
  Y##5 = _mm512_ternarylogic_epi64(b01_, b11_, b21_, 0xD2);                                                            \
  Y##6 = _mm512_ternarylogic_epi64(b11_, b21_, b31_, 0xD2);                                                            \
  Y##7 = _mm512_ternarylogic_epi64(b21_, b31_, b41_, 0xD2);                                                            \
  Y##8 = _mm512_ternarylogic_epi64(b31_, b41_, b01_, 0xD2);                                                            \
  Y##9 = _mm512_ternarylogic_epi64(b41_, b01_, b11_, 0xD2);                                                            \
  const auto b02_ = _mm512_rol_epi64(_mm512_xor_si512(X##1, d1_), 1);                                                  \
  const auto b12_ = _mm512_rol_epi64(_mm512_xor_si512(X##7, d2_), 6);                                                  \
  const auto b22_ = _mm512_rol_epi64(_mm512_xor_si512(X##13, d3_), 25);                                                \
  const auto b32_ = _mm512_rol_epi64(_mm512_xor_si512(X##19, d4_), 8);                                                 \
  const auto b42_ = _mm512_rol_epi64(_mm512_xor_si512(X##20, d0_), 18);                                                \
  Y##10 = _mm512_ternarylogic_epi64(b02_, b12_, b22_, 0xD2);                                                           \
  Y##11 = _mm512_ternarylogic_epi64(b12_, b22_, b32_, 0xD2);                                                           \
  Y##12 = _mm512_ternarylogic_epi64(b22_, b32_, b42_, 0xD2);                                                           \
  Y##13 = _mm512_ternarylogic_epi64(b32_, b42_, b02_, 0xD2);                                                           \
  Y##14 = _mm512_ternarylogic_epi64(b42_, b02_, b12_, 0xD2);                                                           \
  const auto b03_ = _mm512_rol_epi64(_mm512_xor_si512(X##4, d4_), 27);                                                 \
  const auto b13_ = _mm512_rol_epi64(_mm512_xor_si512(X##5, d0_), 36);                                                 \
  const auto b23_ = _mm512_rol_epi64(_mm512_xor_si512(X##11, d1_), 10);                                                \
  const auto b33_ = _mm512_rol_epi64(_mm512_xor_si512(X##17, d2_), 15);                                                \
  const auto b43_ = _mm512_rol_epi64(_mm512_xor_si512(X##23, d3_), 56);                                                \
  Y##15 = _mm512_ternarylogic_epi64(b03_, b13_, b23_, 0xD2);                                                           \
  Y##16 = _mm512_ternarylogic_epi64(b13_, b23_, b33_, 0xD2);                                                           \
  Y##17 = _mm512_ternarylogic_epi64(b23_, b33_, b43_, 0xD2);                                                           \
  Y##18 = _mm512_ternarylogic_epi64(b33_, b43_, b03_, 0xD2);                                                           \
  Y##19 = _mm512_ternarylogic_epi64(b43_, b03_, b13_, 0xD2);                                                           \
  const auto b04_ = _mm512_rol_epi64(_mm512_xor_si512(X##2, d2_), 62);                                                 \
  const auto b14_ = _mm512_rol_epi64(_mm512_xor_si512(X##8, d3_), 55);                                                 \
  const auto b24_ = _mm512_rol_epi64(_mm512_xor_si512(X##14, d4_), 39);                                                \
  const auto b34_ = _mm512_rol_epi64(_mm512_xor_si512(X##15, d0_), 41);                                                \
  const auto b44_ = _mm512_rol_epi64(_mm512_xor_si512(X##21, d1_), 2);                                                 \
  Y##20 = _mm512_ternarylogic_epi64(b04_, b14_, b24_, 0xD2);                                                           \
  Y##21 = _mm512_ternarylogic_epi64(b14_, b24_, b34_, 0xD2);                                                           \
  Y##22 = _mm512_ternarylogic_epi64(b24_, b34_, b44_, 0xD2);                                                           \
  Y##23 = _mm512_ternarylogic_epi64(b34_, b44_, b04_, 0xD2);                                                           \
  Y##24 = _mm512_ternarylogic_epi64(b44_, b04_, b14_, 0xD2);                                                           \
  Y##0 = _mm512_xor_si512(Y##0, _mm512_set1_epi64(std::int64_t(RC)));                                                  \
  } while (0)

#define DAREKIT_K4_ROUND(X, Y, RC) \
  do { \
  const auto c0_ = _mm256_xor_si256(_mm256_xor_si256(_mm256_xor_si256(X##0, X##5), _mm256_xor_si256(X##10, X##15)), X##20);                     \
  const auto c1_ = _mm256_xor_si256(_mm256_xor_si256(_mm256_xor_si256(X##1, X##6), _mm256_xor_si256(X##11, X##16)), X##21);                     \
  const auto c2_ = _mm256_xor_si256(_mm256_xor_si256(_mm256_xor_si256(X##2, X##7), _mm256_xor_si256(X##12, X##17)), X##22);                     \
  const auto c3_ = _mm256_xor_si256(_mm256_xor_si256(_mm256_xor_si256(X##3, X##8), _mm256_xor_si256(X##13, X##18)), X##23);                     \
  const auto c4_ = _mm256_xor_si256(_mm256_xor_si256(_mm256_xor_si256(X##4, X##9), _mm256_xor_si256(X##14, X##19)), X##24);                     \
  const auto d0_ = _mm256_xor_si256(c4_, _mm256_or_si256(_mm256_slli_epi64(c1_, 1), _mm256_srli_epi64(c1_, 63)));                               \
  const auto d1_ = _mm256_xor_si256(c0_, _mm256_or_si256(_mm256_slli_epi64(c2_, 1), _mm256_srli_epi64(c2_, 63)));                               \
  const auto d2_ = _mm256_xor_si256(c1_, _mm256_or_si256(_mm256_slli_epi64(c3_, 1), _mm256_srli_epi64(c3_, 63)));                               \
  const auto d3_ = _mm256_xor_si256(c2_, _mm256_or_si256(_mm256_slli_epi64(c4_, 1), _mm256_srli_epi64(c4_, 63)));                               \
  const auto d4_ = _mm256_xor_si256(c3_, _mm256_or_si256(_mm256_slli_epi64(c0_, 1), _mm256_srli_epi64(c0_, 63)));                               \
  const auto b00_ = _mm256_xor_si256(X##0, d0_);                                                                                                \
  const auto b10_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##6, d1_), 44), _mm256_srli_epi64(_mm256_xor_si256(X##6, d1_), 20));    \
  const auto b20_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##12, d2_), 43), _mm256_srli_epi64(_mm256_xor_si256(X##12, d2_), 21));  \
  const auto b30_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##18, d3_), 21), _mm256_srli_epi64(_mm256_xor_si256(X##18, d3_), 43));  \
  const auto b40_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##24, d4_), 14), _mm256_srli_epi64(_mm256_xor_si256(X##24, d4_), 50));  \
  Y##0 = _mm256_xor_si256(b00_, _mm256_andnot_si256(b10_, b20_));                                                                               \
  Y##1 = _mm256_xor_si256(b10_, _mm256_andnot_si256(b20_, b30_));                                                                               \
  Y##2 = _mm256_xor_si256(b20_, _mm256_andnot_si256(b30_, b40_));                                                                               \
  Y##3 = _mm256_xor_si256(b30_, _mm256_andnot_si256(b40_, b00_));                                                                               \
  Y##4 = _mm256_xor_si256(b40_, _mm256_andnot_si256(b00_, b10_));                                                                               \
  const auto b01_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##3, d3_), 28), _mm256_srli_epi64(_mm256_xor_si256(X##3, d3_), 36));    \
  const auto b11_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##9, d4_), 20), _mm256_srli_epi64(_mm256_xor_si256(X##9, d4_), 44));    \
  const auto b21_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##10, d0_), 3), _mm256_srli_epi64(_mm256_xor_si256(X##10, d0_), 61));   \
  const auto b31_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##16, d1_), 45), _mm256_srli_epi64(_mm256_xor_si256(X##16, d1_), 19));  \
  const auto b41_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##22, d2_), 61), _mm256_srli_epi64(_mm256_xor_si256(X##22, d2_), 3));   \
  Y##5 = _mm256_xor_si256(b01_, _mm256_andnot_si256(b11_, b21_));                                                                               \
  Y##6 = _mm256_xor_si256(b11_, _mm256_andnot_si256(b21_, b31_));                                                                               \
  Y##7 = _mm256_xor_si256(b21_, _mm256_andnot_si256(b31_, b41_));                                                                               \
  Y##8 = _mm256_xor_si256(b31_, _mm256_andnot_si256(b41_, b01_));                                                                               \
  Y##9 = _mm256_xor_si256(b41_, _mm256_andnot_si256(b01_, b11_));                                                                               \
  const auto b02_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##1, d1_), 1), _mm256_srli_epi64(_mm256_xor_si256(X##1, d1_), 63));     \
  const auto b12_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##7, d2_), 6), _mm256_srli_epi64(_mm256_xor_si256(X##7, d2_), 58));     \
  const auto b22_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##13, d3_), 25), _mm256_srli_epi64(_mm256_xor_si256(X##13, d3_), 39));  \
  const auto b32_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##19, d4_), 8), _mm256_srli_epi64(_mm256_xor_si256(X##19, d4_), 56));   \
  const auto b42_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##20, d0_), 18), _mm256_srli_epi64(_mm256_xor_si256(X##20, d0_), 46));  \
  Y##10 = _mm256_xor_si256(b02_, _mm256_andnot_si256(b12_, b22_));                                                                              \
  Y##11 = _mm256_xor_si256(b12_, _mm256_andnot_si256(b22_, b32_));                                                                              \
  Y##12 = _mm256_xor_si256(b22_, _mm256_andnot_si256(b32_, b42_));                                                                              \
  Y##13 = _mm256_xor_si256(b32_, _mm256_andnot_si256(b42_, b02_));                                                                              \
  Y##14 = _mm256_xor_si256(b42_, _mm256_andnot_si256(b02_, b12_));                                                                              \
  const auto b03_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##4, d4_), 27), _mm256_srli_epi64(_mm256_xor_si256(X##4, d4_), 37));    \
  const auto b13_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##5, d0_), 36), _mm256_srli_epi64(_mm256_xor_si256(X##5, d0_), 28));    \
  const auto b23_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##11, d1_), 10), _mm256_srli_epi64(_mm256_xor_si256(X##11, d1_), 54));  \
  const auto b33_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##17, d2_), 15), _mm256_srli_epi64(_mm256_xor_si256(X##17, d2_), 49));  \
  const auto b43_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##23, d3_), 56), _mm256_srli_epi64(_mm256_xor_si256(X##23, d3_), 8));   \
  Y##15 = _mm256_xor_si256(b03_, _mm256_andnot_si256(b13_, b23_));                                                                              \
  Y##16 = _mm256_xor_si256(b13_, _mm256_andnot_si256(b23_, b33_));                                                                              \
  Y##17 = _mm256_xor_si256(b23_, _mm256_andnot_si256(b33_, b43_));                                                                              \
  Y##18 = _mm256_xor_si256(b33_, _mm256_andnot_si256(b43_, b03_));                                                                              \
  Y##19 = _mm256_xor_si256(b43_, _mm256_andnot_si256(b03_, b13_));                                                                              \
  const auto b04_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##2, d2_), 62), _mm256_srli_epi64(_mm256_xor_si256(X##2, d2_), 2));     \
  const auto b14_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##8, d3_), 55), _mm256_srli_epi64(_mm256_xor_si256(X##8, d3_), 9));     \
  const auto b24_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##14, d4_), 39), _mm256_srli_epi64(_mm256_xor_si256(X##14, d4_), 25));  \
  const auto b34_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##15, d0_), 41), _mm256_srli_epi64(_mm256_xor_si256(X##15, d0_), 23));  \
  const auto b44_ = _mm256_or_si256(_mm256_slli_epi64(_mm256_xor_si256(X##21, d1_), 2), _mm256_srli_epi64(_mm256_xor_si256(X##21, d1_), 62));   \
  Y##20 = _mm256_xor_si256(b04_, _mm256_andnot_si256(b14_, b24_));                                                                              \
  Y##21 = _mm256_xor_si256(b14_, _mm256_andnot_si256(b24_, b34_));                                                                              \
  Y##22 = _mm256_xor_si256(b24_, _mm256_andnot_si256(b34_, b44_));                                                                              \
  Y##23 = _mm256_xor_si256(b34_, _mm256_andnot_si256(b44_, b04_));                                                                              \
  Y##24 = _mm256_xor_si256(b44_, _mm256_andnot_si256(b04_, b14_));                                                                              \
  Y##0 = _mm256_xor_si256(Y##0, _mm256_set1_epi64x(std::int64_t(RC)));                                                                          \
  } while (0)


/// 4-lane absorb (AVX2).
DAREKIT_TARGET_AVX2 inline void absorb_x4(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  __m256i a0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 0)), a1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 1)), a2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 2)), a3 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 3)), a4 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 4)), a5 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 5)), a6 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 6)), a7 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 7)), a8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 8)), a9 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 9)), a10 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 10)), a11 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 11)), a12 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 12)), a13 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 13)), a14 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 14)), a15 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 15)), a16 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 16)), a17 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 17)), a18 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 18)), a19 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 19)), a20 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 20)), a21 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 21)), a22 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 22)), a23 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 23)), a24 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * 24));
  __m256i e0, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24;
  const auto base0 = reinterpret_cast<std::uintptr_t>(p[0]);
  const __m256i idx = _mm256_set_epi64x(std::int64_t(reinterpret_cast<std::uintptr_t>(p[3]) - base0),
                                        std::int64_t(reinterpret_cast<std::uintptr_t>(p[2]) - base0),
                                        std::int64_t(reinterpret_cast<std::uintptr_t>(p[1]) - base0), 0);
  for (std::size_t blk = 0; blk < n; ++blk) {
    const std::uint8_t* q = p[0] + blk * rate;
    a0 = _mm256_xor_si256(a0, _mm256_i64gather_epi64(reinterpret_cast<const long long*>(q + 0), idx, 1));
    a1 = _mm256_xor_si256(a1, _mm256_i64gather_epi64(reinterpret_cast<const long long*>(q + 8), idx, 1));
    a2 = _mm256_xor_si256(a2, _mm256_i64gather_epi64(reinterpret_cast<const long long*>(q + 16), idx, 1));
    a3 = _mm256_xor_si256(a3, _mm256_i64gather_epi64(reinterpret_cast<const long long*>(q + 24), idx, 1));
    a4 = _mm256_xor_si256(a4, _mm256_i64gather_epi64(reinterpret_cast<const long long*>(q + 32), idx, 1));
    a5 = _mm256_xor_si256(a5, _mm256_i64gather_epi64(reinterpret_cast<const long long*>(q + 40), idx, 1));
    a6 = _mm256_xor_si256(a6, _mm256_i64gather_epi64(reinterpret_cast<const long long*>(q + 48), idx, 1));
    a7 = _mm256_xor_si256(a7, _mm256_i64gather_epi64(reinterpret_cast<const long long*>(q + 56), idx, 1));
    a8 = _mm256_xor_si256(a8, _mm256_i64gather_epi64(reinterpret_cast<const long long*>(q + 64), idx, 1));
    for (std::size_t r = 0; r < 24; r += 2) {
      DAREKIT_K4_ROUND(a, e, rc[r]);
      DAREKIT_K4_ROUND(e, a, rc[r + 1]);
    }
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 0), a0);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 1), a1);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 2), a2);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 3), a3);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 4), a4);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 5), a5);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 6), a6);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 7), a7);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 8), a8);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 9), a9);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 10), a10);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 11), a11);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 12), a12);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 13), a13);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 14), a14);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 15), a15);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 16), a16);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 17), a17);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 18), a18);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 19), a19);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 20), a20);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 21), a21);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 22), a22);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 23), a23);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * 24), a24);
}

/// 8-lane absorb (AVX-512F): the 25 lanes of all 8 states stay in zmm registers.
DAREKIT_TARGET_AVX512 inline void absorb_x8(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  __m512i a0 = _mm512_loadu_si512(st + 8 * 0), a1 = _mm512_loadu_si512(st + 8 * 1), a2 = _mm512_loadu_si512(st + 8 * 2), a3 = _mm512_loadu_si512(st + 8 * 3), a4 = _mm512_loadu_si512(st + 8 * 4), a5 = _mm512_loadu_si512(st + 8 * 5), a6 = _mm512_loadu_si512(st + 8 * 6), a7 = _mm512_loadu_si512(st + 8 * 7), a8 = _mm512_loadu_si512(st + 8 * 8), a9 = _mm512_loadu_si512(st + 8 * 9), a10 = _mm512_loadu_si512(st + 8 * 10), a11 = _mm512_loadu_si512(st + 8 * 11), a12 = _mm512_loadu_si512(st + 8 * 12), a13 = _mm512_loadu_si512(st + 8 * 13), a14 = _mm512_loadu_si512(st + 8 * 14), a15 = _mm512_loadu_si512(st + 8 * 15), a16 = _mm512_loadu_si512(st + 8 * 16), a17 = _mm512_loadu_si512(st + 8 * 17), a18 = _mm512_loadu_si512(st + 8 * 18), a19 = _mm512_loadu_si512(st + 8 * 19), a20 = _mm512_loadu_si512(st + 8 * 20), a21 = _mm512_loadu_si512(st + 8 * 21), a22 = _mm512_loadu_si512(st + 8 * 22), a23 = _mm512_loadu_si512(st + 8 * 23), a24 = _mm512_loadu_si512(st + 8 * 24);
  __m512i e0, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24;
  const auto base0 = reinterpret_cast<std::uintptr_t>(p[0]);
  std::int64_t rel[8];
  for (int j = 0; j < 8; ++j) rel[j] = std::int64_t(reinterpret_cast<std::uintptr_t>(p[j]) - base0);
  const __m512i idx = _mm512_loadu_si512(rel);
  for (std::size_t blk = 0; blk < n; ++blk) {
    const std::uint8_t* q = p[0] + blk * rate;
    a0 = _mm512_xor_si512(a0, _mm512_i64gather_epi64(idx, q + 0, 1));
    a1 = _mm512_xor_si512(a1, _mm512_i64gather_epi64(idx, q + 8, 1));
    a2 = _mm512_xor_si512(a2, _mm512_i64gather_epi64(idx, q + 16, 1));
    a3 = _mm512_xor_si512(a3, _mm512_i64gather_epi64(idx, q + 24, 1));
    a4 = _mm512_xor_si512(a4, _mm512_i64gather_epi64(idx, q + 32, 1));
    a5 = _mm512_xor_si512(a5, _mm512_i64gather_epi64(idx, q + 40, 1));
    a6 = _mm512_xor_si512(a6, _mm512_i64gather_epi64(idx, q + 48, 1));
    a7 = _mm512_xor_si512(a7, _mm512_i64gather_epi64(idx, q + 56, 1));
    a8 = _mm512_xor_si512(a8, _mm512_i64gather_epi64(idx, q + 64, 1));
    for (std::size_t r = 0; r < 24; r += 2) {
      DAREKIT_K8_ROUND(a, e, rc[r]);
      DAREKIT_K8_ROUND(e, a, rc[r + 1]);
    }
  }
  _mm512_storeu_si512(st + 8 * 0, a0);
  _mm512_storeu_si512(st + 8 * 1, a1);
  _mm512_storeu_si512(st + 8 * 2, a2);
  _mm512_storeu_si512(st + 8 * 3, a3);
  _mm512_storeu_si512(st + 8 * 4, a4);
  _mm512_storeu_si512(st + 8 * 5, a5);
  _mm512_storeu_si512(st + 8 * 6, a6);
  _mm512_storeu_si512(st + 8 * 7, a7);
  _mm512_storeu_si512(st + 8 * 8, a8);
  _mm512_storeu_si512(st + 8 * 9, a9);
  _mm512_storeu_si512(st + 8 * 10, a10);
  _mm512_storeu_si512(st + 8 * 11, a11);
  _mm512_storeu_si512(st + 8 * 12, a12);
  _mm512_storeu_si512(st + 8 * 13, a13);
  _mm512_storeu_si512(st + 8 * 14, a14);
  _mm512_storeu_si512(st + 8 * 15, a15);
  _mm512_storeu_si512(st + 8 * 16, a16);
  _mm512_storeu_si512(st + 8 * 17, a17);
  _mm512_storeu_si512(st + 8 * 18, a18);
  _mm512_storeu_si512(st + 8 * 19, a19);
  _mm512_storeu_si512(st + 8 * 20, a20);
  _mm512_storeu_si512(st + 8 * 21, a21);
  _mm512_storeu_si512(st + 8 * 22, a22);
  _mm512_storeu_si512(st + 8 * 23, a23);
  _mm512_storeu_si512(st + 8 * 24, a24);
}
#undef DAREKIT_K8_ROUND
#undef DAREKIT_K4_ROUND
#endif
DAREKIT_SIMD_WARNINGS_END

}  // namespace darekit::detail::keccak_x
