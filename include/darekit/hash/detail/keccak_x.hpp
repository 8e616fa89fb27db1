// Keccak-f[1600] absorb kernels for the multi-lane SHA3-512 (rate 72 bytes):
// scalar (1 lane), 4 lanes (AVX2) and 8 lanes (AVX-512).
//
// Each kernel XORs `n` consecutive 72-byte blocks from each lane's pointer into a
// transposed state st[word * L + lane] (word = x + 5y, little endian), permuting after
// each block.
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/crypto/detail/sha2_compress.hpp"
#include "darekit/hash/detail/sha512_x.hpp"

#if DAREKIT_X86
#include <immintrin.h>
#endif

namespace darekit::detail::keccak_x {

/// Rate of SHA3-512 in bytes and in 64-bit words.
inline constexpr std::size_t rate = 72, rate_words = 9;

/// Iota round constants (FIPS 202 §3.2.5).
alignas(64) inline constexpr std::uint64_t rc[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};
/// Rho offsets by lane x + 5y (FIPS 202 Table 2).
inline constexpr unsigned rho[25] = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43,
                                     25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14};
/// Pi destination of lane i = x + 5y: y + 5 * ((2x + 3y) mod 5).
inline constexpr unsigned pi_dest[25] = {0, 10, 20, 5, 15, 16, 1, 11, 21, 6, 7, 17, 2,
                                         12, 22, 23, 8, 18, 3, 13, 14, 24, 9, 19, 4};

constexpr std::uint64_t rotl64(std::uint64_t x, unsigned n) noexcept { return n ? (x << n) | (x >> (64 - n)) : x; }

/// Scalar Keccak-f[1600] (portable; constant-time: fixed indices and rotations only).
inline void permute_scalar(std::uint64_t* a) noexcept {
  for (int r = 0; r < 24; ++r) {
    std::uint64_t c[5], d[5], b[25];
    for (unsigned x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (unsigned x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
    for (unsigned i = 0; i < 25; ++i) b[pi_dest[i]] = rotl64(a[i] ^ d[i % 5], rho[i]);
    for (unsigned y = 0; y < 25; y += 5)
      for (unsigned x = 0; x < 5; ++x) a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
    a[0] ^= rc[r];
  }
}

/// 1-lane absorb of `n` 72-byte blocks.
inline void absorb_scalar(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  const std::uint8_t* q = p[0];
  for (; n; --n, q += rate) {
    for (std::size_t i = 0; i < rate_words; ++i) st[i] ^= load_le64(q + 8 * i);
    permute_scalar(st);
  }
}

// GCC 12's AVX-512 intrinsics use self-initialised "undefined" vectors that trip
// -Wuninitialized after inlining (a known false positive).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#if DAREKIT_X86
DAREKIT_TARGET_AVX2 DAREKIT_ALWAYS_INLINE __m256i rol4(__m256i x, unsigned n) noexcept {
  return _mm256_or_si256(_mm256_sllv_epi64(x, _mm256_set1_epi64x(n)), _mm256_srlv_epi64(x, _mm256_set1_epi64x(64 - n)));
}

/// 4-lane absorb (AVX2).
DAREKIT_TARGET_AVX2 inline void absorb_x4(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  __m256i a[25];
  for (int i = 0; i < 25; ++i) a[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(st + 4 * i));
  const auto base0 = reinterpret_cast<std::uintptr_t>(p[0]);
  const __m256i idx = _mm256_set_epi64x(std::int64_t(reinterpret_cast<std::uintptr_t>(p[3]) - base0),
                                        std::int64_t(reinterpret_cast<std::uintptr_t>(p[2]) - base0),
                                        std::int64_t(reinterpret_cast<std::uintptr_t>(p[1]) - base0), 0);
  for (std::size_t blk = 0; blk < n; ++blk) {
    for (std::size_t i = 0; i < rate_words; ++i) {
      const auto* base = reinterpret_cast<const long long*>(p[0] + blk * rate + 8 * i);
      a[i] = _mm256_xor_si256(a[i], _mm256_i64gather_epi64(base, idx, 1));
    }
    for (int r = 0; r < 24; ++r) {
      __m256i c[5], d[5], b[25];
#pragma GCC unroll 5
      for (unsigned x = 0; x < 5; ++x)
        c[x] = _mm256_xor_si256(_mm256_xor_si256(_mm256_xor_si256(a[x], a[x + 5]), _mm256_xor_si256(a[x + 10], a[x + 15])), a[x + 20]);
#pragma GCC unroll 5
      for (unsigned x = 0; x < 5; ++x) d[x] = _mm256_xor_si256(c[(x + 4) % 5], rol4(c[(x + 1) % 5], 1));
#pragma GCC unroll 25
      for (unsigned i = 0; i < 25; ++i) b[pi_dest[i]] = rol4(_mm256_xor_si256(a[i], d[i % 5]), rho[i]);
#pragma GCC unroll 25
      for (unsigned i = 0; i < 25; ++i) {
        const unsigned y = i / 5 * 5, x = i % 5;
        a[i] = _mm256_xor_si256(b[i], _mm256_andnot_si256(b[y + (x + 1) % 5], b[y + (x + 2) % 5]));
      }
      a[0] = _mm256_xor_si256(a[0], _mm256_set1_epi64x(std::int64_t(rc[r])));
    }
  }
  for (int i = 0; i < 25; ++i) _mm256_storeu_si256(reinterpret_cast<__m256i*>(st + 4 * i), a[i]);
}

/// 8-lane absorb (AVX-512F).
DAREKIT_TARGET_AVX512 inline void absorb_x8(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  __m512i a[25];
  for (int i = 0; i < 25; ++i) a[i] = _mm512_loadu_si512(st + 8 * i);
  const auto base0 = reinterpret_cast<std::uintptr_t>(p[0]);
  std::int64_t rel[8];
  for (int j = 0; j < 8; ++j) rel[j] = std::int64_t(reinterpret_cast<std::uintptr_t>(p[j]) - base0);
  const __m512i idx = _mm512_loadu_si512(rel);
  for (std::size_t blk = 0; blk < n; ++blk) {
    for (std::size_t i = 0; i < rate_words; ++i) {
      const void* base = p[0] + blk * rate + 8 * i;
      a[i] = _mm512_xor_si512(a[i], _mm512_i64gather_epi64(idx, base, 1));
    }
    for (int r = 0; r < 24; ++r) {
      __m512i c[5], d[5], b[25];
#pragma GCC unroll 5
      for (unsigned x = 0; x < 5; ++x)
        c[x] = _mm512_ternarylogic_epi64(_mm512_ternarylogic_epi64(a[x], a[x + 5], a[x + 10], 0x96), a[x + 15], a[x + 20], 0x96);
#pragma GCC unroll 5
      for (unsigned x = 0; x < 5; ++x) d[x] = _mm512_xor_si512(c[(x + 4) % 5], _mm512_rol_epi64(c[(x + 1) % 5], 1));
#pragma GCC unroll 25
      for (unsigned i = 0; i < 25; ++i)
        b[pi_dest[i]] = _mm512_rolv_epi64(_mm512_xor_si512(a[i], d[i % 5]), _mm512_set1_epi64(rho[i]));
#pragma GCC unroll 25
      for (unsigned i = 0; i < 25; ++i) {
        const unsigned y = i / 5 * 5, x = i % 5;
        a[i] = _mm512_ternarylogic_epi64(b[i], b[y + (x + 1) % 5], b[y + (x + 2) % 5], 0xD2);
      }
      a[0] = _mm512_xor_si512(a[0], _mm512_set1_epi64(std::int64_t(rc[r])));
    }
  }
  for (int i = 0; i < 25; ++i) _mm512_storeu_si512(st + 8 * i, a[i]);
}
#endif
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace darekit::detail::keccak_x
