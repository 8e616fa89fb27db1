// SHA-256 / SHA-512 compression functions (FIPS 180-4 §6.2, §6.4) and padding, shared by
// the streaming classes in darekit/crypto/sha2.hpp and the multi-lane kernels in
// darekit/hash/.
//
// SHA-512 has two single-buffer paths: portable scalar C++, and (x86-64) an AVX2/BMI2 path
// whose message schedule is computed two words at a time in vector registers while the
// rounds run on the scalar ALUs with `rorx`. The path is chosen once, at first use, from
// the CPU and DAREKIT_FORCE_KERNEL (=scalar selects the portable code).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"

#if DAREKIT_X86
#include <immintrin.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define DAREKIT_ALWAYS_INLINE inline __attribute__((always_inline))
#define DAREKIT_TARGET(t) __attribute__((target(t)))
#else
#define DAREKIT_ALWAYS_INLINE inline
#define DAREKIT_TARGET(t)
#endif

namespace darekit::detail {

/// SHA-512 round constants K[0..79].
alignas(64) inline constexpr std::uint64_t sha512_k[80] = {
  0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full, 0xe9b5dba58189dbbcull,
  0x3956c25bf348b538ull, 0x59f111f1b605d019ull, 0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull,
  0xd807aa98a3030242ull, 0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
  0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull, 0xc19bf174cf692694ull,
  0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull, 0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull,
  0x2de92c6f592b0275ull, 0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
  0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full, 0xbf597fc7beef0ee4ull,
  0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull, 0x06ca6351e003826full, 0x142929670a0e6e70ull,
  0x27b70a8546d22ffcull, 0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
  0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull, 0x92722c851482353bull,
  0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull, 0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull,
  0xd192e819d6ef5218ull, 0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
  0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull, 0x34b0bcb5e19b48a8ull,
  0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull, 0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull,
  0x748f82ee5defb2fcull, 0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
  0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull, 0xc67178f2e372532bull,
  0xca273eceea26619cull, 0xd186b8c721c0c207ull, 0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull,
  0x06f067aa72176fbaull, 0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
  0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull, 0x431d67c49c100d4cull,
  0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull, 0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull,
};
/// SHA-512 initial hash value H(0).
inline constexpr std::uint64_t sha512_iv[8] = {
  0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull, 0xa54ff53a5f1d36f1ull,
  0x510e527fade682d1ull, 0x9b05688c2b3e6c1full, 0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull,
};
/// SHA-256 round constants K[0..63].
alignas(64) inline constexpr std::uint32_t sha256_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};
/// SHA-256 initial hash value H(0).
inline constexpr std::uint32_t sha256_iv[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

constexpr std::uint64_t rotr64(std::uint64_t x, unsigned n) noexcept { return (x >> n) | (x << (64 - n)); }
constexpr std::uint32_t rotr32(std::uint32_t x, unsigned n) noexcept { return (x >> n) | (x << (32 - n)); }

/// Merkle-Damgard padding of a message of `total` bytes whose last `fill` (< block) bytes
/// are in `rem`: writes the final 1 or 2 blocks into `out` (2*Block bytes) and returns how many.
template <std::size_t Block>
inline std::size_t md_pad(const std::uint8_t* rem, std::size_t fill, std::uint64_t total, std::uint8_t* out) noexcept {
  constexpr std::size_t lenbytes = Block / 8;  // 16 for SHA-512, 8 for SHA-256
  const std::size_t nb = fill + 1 + lenbytes <= Block ? 1 : 2;
  if (fill) std::memcpy(out, rem, fill);
  out[fill] = 0x80;
  std::memset(out + fill + 1, 0, nb * Block - fill - 1);
  // bit length, big endian, in the last 8 bytes (the upper 64 bits of SHA-512's 128-bit field stay 0
  // except for the top 3 bits of the byte count).
  std::uint8_t* end = out + nb * Block;
  store_be64(end - 8, total << 3);
  if constexpr (lenbytes == 16) store_be64(end - 16, total >> 61);
  return nb;
}
inline std::size_t sha512_pad(const std::uint8_t* rem, std::size_t fill, std::uint64_t total, std::uint8_t* out) noexcept {
  return md_pad<128>(rem, fill, total, out);
}
inline std::size_t sha256_pad(const std::uint8_t* rem, std::size_t fill, std::uint64_t total, std::uint8_t* out) noexcept {
  return md_pad<64>(rem, fill, total, out);
}

#define DAREKIT_S512_ROUND(a, b, c, d, e, f, g, h, wk)                                     \
  do {                                                                                     \
    const std::uint64_t t1_ = h + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) +        \
                              (((f ^ g) & e) ^ g) + (wk);                                  \
    const std::uint64_t t2_ = (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) +            \
                              (((a | b) & c) | (a & b));                                   \
    d += t1_;                                                                              \
    h = t1_ + t2_;                                                                         \
  } while (0)

// Round for the BMI1/BMI2 path, in the order that maps onto 3-operand rorx/andn/lea:
// h accumulates W+K, Ch (as the sum of the disjoint e&f and ~e&g), Sigma1(e); d += h;
// then Maj (reusing a^b of the previous round, carried in `bc`) and Sigma0(a).
#define DAREKIT_S512_ROUND_BMI(a, b, c, d, e, f, g, h, wk)                                 \
  do {                                                                                     \
    h += (wk);                                                                             \
    h += (e & f);                                                                          \
    h += (~e & g);                                                                         \
    h += rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41);                                    \
    const std::uint64_t ab_ = a ^ b;                                                       \
    d += h;                                                                                \
    h += (ab_ & bc) ^ b;                                                                   \
    bc = ab_;                                                                              \
    h += rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39);                                    \
  } while (0)

/// Portable SHA-512 compression of `n` consecutive 128-byte blocks into state `st`.
DAREKIT_ALWAYS_INLINE void sha512_compress_body(std::uint64_t* st, const std::uint8_t* p, std::size_t n) noexcept {
  std::uint64_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
  for (; n; --n, p += 128) {
    std::uint64_t w[16];
    for (int i = 0; i < 16; ++i) w[i] = load_be64(p + 8 * i);
    const std::uint64_t sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;
    for (int i = 0; i < 80; i += 16) {
      if (i) {
        for (int j = 0; j < 16; ++j) {
          const std::uint64_t w15 = w[(j + 1) & 15], w2 = w[(j + 14) & 15];
          w[j] += (rotr64(w15, 1) ^ rotr64(w15, 8) ^ (w15 >> 7)) + w[(j + 9) & 15] +
                  (rotr64(w2, 19) ^ rotr64(w2, 61) ^ (w2 >> 6));
        }
      }
      DAREKIT_S512_ROUND(a, b, c, d, e, f, g, h, sha512_k[i + 0] + w[0]);
      DAREKIT_S512_ROUND(h, a, b, c, d, e, f, g, sha512_k[i + 1] + w[1]);
      DAREKIT_S512_ROUND(g, h, a, b, c, d, e, f, sha512_k[i + 2] + w[2]);
      DAREKIT_S512_ROUND(f, g, h, a, b, c, d, e, sha512_k[i + 3] + w[3]);
      DAREKIT_S512_ROUND(e, f, g, h, a, b, c, d, sha512_k[i + 4] + w[4]);
      DAREKIT_S512_ROUND(d, e, f, g, h, a, b, c, sha512_k[i + 5] + w[5]);
      DAREKIT_S512_ROUND(c, d, e, f, g, h, a, b, sha512_k[i + 6] + w[6]);
      DAREKIT_S512_ROUND(b, c, d, e, f, g, h, a, sha512_k[i + 7] + w[7]);
      DAREKIT_S512_ROUND(a, b, c, d, e, f, g, h, sha512_k[i + 8] + w[8]);
      DAREKIT_S512_ROUND(h, a, b, c, d, e, f, g, sha512_k[i + 9] + w[9]);
      DAREKIT_S512_ROUND(g, h, a, b, c, d, e, f, sha512_k[i + 10] + w[10]);
      DAREKIT_S512_ROUND(f, g, h, a, b, c, d, e, sha512_k[i + 11] + w[11]);
      DAREKIT_S512_ROUND(e, f, g, h, a, b, c, d, sha512_k[i + 12] + w[12]);
      DAREKIT_S512_ROUND(d, e, f, g, h, a, b, c, sha512_k[i + 13] + w[13]);
      DAREKIT_S512_ROUND(c, d, e, f, g, h, a, b, sha512_k[i + 14] + w[14]);
      DAREKIT_S512_ROUND(b, c, d, e, f, g, h, a, sha512_k[i + 15] + w[15]);
    }
    a += sa; b += sb; c += sc; d += sd; e += se; f += sf; g += sg; h += sh;
  }
  st[0] = a; st[1] = b; st[2] = c; st[3] = d; st[4] = e; st[5] = f; st[6] = g; st[7] = h;
}

/// Portable scalar SHA-512 compression.
inline void sha512_compress_portable(std::uint64_t* st, const std::uint8_t* p, std::size_t n) noexcept {
  sha512_compress_body(st, p, n);
}

#if DAREKIT_X86
#if defined(__GNUC__) || defined(__clang__)
// One round as inline assembly (GCC/Clang, x86-64, BMI1/BMI2). Register roles rotate through
// the macro arguments, so no state word is ever moved. BC holds b^c (the previous round's
// a^b); AB receives this round's a^b (and is scratch before that), so BC and AB swap names
// every round. T1 = h + W+K + Ch(e,f,g) + Sigma1(e) is formed in h; d takes h before
// Sigma1 is added and then Sigma1 separately, which shortens the e -> e' dependency chain
// by one add. Maj(a,b,c) = (a & (b^c)) + (b & c) (the two terms are disjoint), so only
// one AND depends on the new a; then h += Maj and, last, Sigma0(a).
#define DAREKIT_S512_ROUND_ASM(A_, B_, C_, D_, E_, F_, G_, H_, BC, AB, WK)                         \
  __asm__("add %[wk], %[h]\n\t""andn %[g], %[e], %[ab]\n\t""rorx $14, %[e], %[t0]\n\t""add %[ab], %[h]\n\t""mov %[f], %[ab]\n\t""rorx $18, %[e], %[t1]\n\t""and %[e], %[ab]\n\t""xor %[t1], %[t0]\n\t""add %[ab], %[h]\n\t""rorx $41, %[e], %[t1]\n\t""add %[h], %[d]\n\t""xor %[t1], %[t0]\n\t""mov %[b], %[ab]\n\t""add %[t0], %[d]\n\t""and %[c], %[ab]\n\t""add %[t0], %[h]\n\t""and %[a], %[bc]\n\t""rorx $28, %[a], %[t0]\n\t""add %[ab], %[bc]\n\t""rorx $34, %[a], %[t1]\n\t""add %[bc], %[h]\n\t""xor %[t1], %[t0]\n\t""rorx $39, %[a], %[t1]\n\t""mov %[a], %[ab]\n\t""xor %[t1], %[t0]\n\t""xor %[b], %[ab]\n\t""add %[t0], %[h]\n\t" \
          : [h] "+r"(H_), [d] "+r"(D_), [bc] "+r"(BC), [ab] "=&r"(AB), [t0] "=&r"(t0_), [t1] "=&r"(t1_) \
          : [a] "r"(A_), [b] "r"(B_), [c] "r"(C_), [e] "r"(E_), [f] "r"(F_), [g] "r"(G_), [wk] "m"(WK) \
          : "cc")
#else
#define DAREKIT_S512_ROUND_ASM(A_, B_, C_, D_, E_, F_, G_, H_, BC, AB, WK) \
  do {                                                                      \
    (void)AB; (void)t0_; (void)t1_;                                         \
    std::uint64_t bc = BC;                                                  \
    DAREKIT_S512_ROUND_BMI(A_, B_, C_, D_, E_, F_, G_, H_, WK);             \
    AB = bc;                                                                \
  } while (0)
#endif

namespace sha512_avx2 {
/// Byte-reverse each 64-bit word.
DAREKIT_TARGET("avx2,bmi,bmi2") DAREKIT_ALWAYS_INLINE __m128i bswap(__m128i x) noexcept {
  return _mm_shuffle_epi8(x, _mm_set_epi8(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
}
DAREKIT_TARGET("avx2,bmi,bmi2") DAREKIT_ALWAYS_INLINE __m128i ror(__m128i x, int n) noexcept {
  return _mm_or_si128(_mm_srli_epi64(x, n), _mm_slli_epi64(x, 64 - n));
}
/// W[t], W[t+1] from the 16 preceding words held in w[]; stores them and W+K into wk[].
DAREKIT_TARGET("avx2,bmi,bmi2") DAREKIT_ALWAYS_INLINE void sched2(std::uint64_t* w, std::uint64_t* wk, int t) noexcept {
  const __m128i w16 = _mm_load_si128(reinterpret_cast<const __m128i*>(w + t - 16));
  const __m128i w15 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + t - 15));
  const __m128i w7 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + t - 7));
  const __m128i w2 = _mm_load_si128(reinterpret_cast<const __m128i*>(w + t - 2));
  // ror 8 is a byte shuffle.
  const __m128i r8 = _mm_shuffle_epi8(w15, _mm_set_epi8(8, 15, 14, 13, 12, 11, 10, 9, 0, 7, 6, 5, 4, 3, 2, 1));
  const __m128i s0 = _mm_xor_si128(_mm_xor_si128(ror(w15, 1), r8), _mm_srli_epi64(w15, 7));
  const __m128i s1 = _mm_xor_si128(_mm_xor_si128(ror(w2, 19), ror(w2, 61)), _mm_srli_epi64(w2, 6));
  const __m128i x = _mm_add_epi64(_mm_add_epi64(w16, w7), _mm_add_epi64(s0, s1));
  _mm_store_si128(reinterpret_cast<__m128i*>(w + t), x);
  _mm_store_si128(reinterpret_cast<__m128i*>(wk + t),
                  _mm_add_epi64(x, _mm_load_si128(reinterpret_cast<const __m128i*>(sha512_k + t))));
}
}  // namespace sha512_avx2

namespace sha512_avx512 {
/// sched2 with AVX-512VL: vprorq and one vpternlogq per sigma.
DAREKIT_TARGET("avx2,bmi,bmi2,avx512f,avx512vl") DAREKIT_ALWAYS_INLINE void sched2(std::uint64_t* w, std::uint64_t* wk, int t) noexcept {
  const __m128i w16 = _mm_load_si128(reinterpret_cast<const __m128i*>(w + t - 16));
  const __m128i w15 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + t - 15));
  const __m128i w7 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + t - 7));
  const __m128i w2 = _mm_load_si128(reinterpret_cast<const __m128i*>(w + t - 2));
  const __m128i s0 = _mm_ternarylogic_epi64(_mm_ror_epi64(w15, 1), _mm_ror_epi64(w15, 8), _mm_srli_epi64(w15, 7), 0x96);
  const __m128i s1 = _mm_ternarylogic_epi64(_mm_ror_epi64(w2, 19), _mm_ror_epi64(w2, 61), _mm_srli_epi64(w2, 6), 0x96);
  const __m128i x = _mm_add_epi64(_mm_add_epi64(w16, w7), _mm_add_epi64(s0, s1));
  _mm_store_si128(reinterpret_cast<__m128i*>(w + t), x);
  _mm_store_si128(reinterpret_cast<__m128i*>(wk + t),
                  _mm_add_epi64(x, _mm_load_si128(reinterpret_cast<const __m128i*>(sha512_k + t))));
}
/// Two blocks at once: W[k] holds {block 0: w[2k], w[2k+1] | block 1: w[2k], w[2k+1]}.
/// Computes W[t/2] and stores W+K of both blocks into wk[(t/2)*4 + block*2 + (t&1)].
DAREKIT_TARGET("avx2,bmi,bmi2,avx512f,avx512vl") DAREKIT_ALWAYS_INLINE void sched2b(__m256i* W, std::uint64_t* wk, int t) noexcept {
  const __m256i w16 = W[(t - 16) / 2];
  const __m256i w15 = _mm256_alignr_epi8(W[(t - 14) / 2], w16, 8);
  const __m256i w7 = _mm256_alignr_epi8(W[(t - 6) / 2], W[(t - 8) / 2], 8);
  const __m256i w2 = W[(t - 2) / 2];
  const __m256i s0 = _mm256_ternarylogic_epi64(_mm256_ror_epi64(w15, 1), _mm256_ror_epi64(w15, 8), _mm256_srli_epi64(w15, 7), 0x96);
  const __m256i s1 = _mm256_ternarylogic_epi64(_mm256_ror_epi64(w2, 19), _mm256_ror_epi64(w2, 61), _mm256_srli_epi64(w2, 6), 0x96);
  const __m256i x = _mm256_add_epi64(_mm256_add_epi64(w16, w7), _mm256_add_epi64(s0, s1));
  W[t / 2] = x;
  _mm256_store_si256(reinterpret_cast<__m256i*>(wk + 2 * t),
                     _mm256_add_epi64(x, _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(sha512_k + t)))));
}
}  // namespace sha512_avx512

// Body shared by the AVX2 and AVX-512VL single-buffer paths (they differ only in SCHED):
// W[t+16], W[t+17] (and W+K) are computed two rounds ahead of their use, between pairs of
// scalar rounds, so the vector schedule overlaps the scalar rounds; all 80 rounds are
// unrolled so W+K is addressed at fixed stack offsets.
#define DAREKIT_S512_SCHED(t) \
  if ((t) < 80) SCHED(w, wk, (t))
#define DAREKIT_S512_SINGLE_BODY                                                                         \
  std::uint64_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];  \
  alignas(32) std::uint64_t w[80];                                                                       \
  alignas(32) std::uint64_t wk[80];                                                                      \
  for (; n; --n, p += 128) {                                                                             \
    for (int i = 0; i < 16; i += 2) {                                                                    \
      const __m128i x = sha512_avx2::bswap(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 8 * i))); \
      _mm_store_si128(reinterpret_cast<__m128i*>(w + i), x);                                             \
      _mm_store_si128(reinterpret_cast<__m128i*>(wk + i),                                                \
                      _mm_add_epi64(x, _mm_load_si128(reinterpret_cast<const __m128i*>(sha512_k + i)))); \
    }                                                                                                    \
    const std::uint64_t sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;                  \
    std::uint64_t x_ = b ^ c, y_ = 0, t0_ = 0, t1_ = 0;                                                  \
    _Pragma("GCC unroll 10") for (int i = 0; i < 80; i += 8) {                                           \
      DAREKIT_S512_SCHED(i + 16);                                                                        \
      DAREKIT_S512_ROUND_ASM(a, b, c, d, e, f, g, h, x_, y_, wk[i + 0]);                                 \
      DAREKIT_S512_ROUND_ASM(h, a, b, c, d, e, f, g, y_, x_, wk[i + 1]);                                 \
      DAREKIT_S512_SCHED(i + 18);                                                                        \
      DAREKIT_S512_ROUND_ASM(g, h, a, b, c, d, e, f, x_, y_, wk[i + 2]);                                 \
      DAREKIT_S512_ROUND_ASM(f, g, h, a, b, c, d, e, y_, x_, wk[i + 3]);                                 \
      DAREKIT_S512_SCHED(i + 20);                                                                        \
      DAREKIT_S512_ROUND_ASM(e, f, g, h, a, b, c, d, x_, y_, wk[i + 4]);                                 \
      DAREKIT_S512_ROUND_ASM(d, e, f, g, h, a, b, c, y_, x_, wk[i + 5]);                                 \
      DAREKIT_S512_SCHED(i + 22);                                                                        \
      DAREKIT_S512_ROUND_ASM(c, d, e, f, g, h, a, b, x_, y_, wk[i + 6]);                                 \
      DAREKIT_S512_ROUND_ASM(b, c, d, e, f, g, h, a, y_, x_, wk[i + 7]);                                 \
    }                                                                                                    \
    a += sa; b += sb; c += sc; d += sd; e += se; f += sf; g += sg; h += sh;                              \
  }                                                                                                      \
  st[0] = a; st[1] = b; st[2] = c; st[3] = d; st[4] = e; st[5] = f; st[6] = g; st[7] = h

/// SHA-512 compression, AVX2 + BMI1/BMI2: the message schedule two words at a time in xmm
/// registers, interleaved with scalar `rorx`/`andn` rounds.
DAREKIT_TARGET("avx2,bmi,bmi2") inline void sha512_compress_avx2(std::uint64_t* st, const std::uint8_t* p, std::size_t n) noexcept {
#define SCHED sha512_avx2::sched2
  DAREKIT_S512_SINGLE_BODY;
#undef SCHED
}

/// The same with the schedule's sigma functions in AVX-512VL (vprorq, vpternlogq); used
/// when the active kernel is avx512.
/// Pairs of blocks share one ymm message schedule (block 0 in the low, block 1 in the
/// high 128 bits), computed during block 0's rounds; block 1's rounds then need no schedule.
DAREKIT_TARGET("avx2,bmi,bmi2,avx512f,avx512vl") inline void sha512_compress_avx512_pairs(std::uint64_t* st, const std::uint8_t* p, std::size_t pairs) noexcept {
  std::uint64_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
  __m256i W[40];
  alignas(32) std::uint64_t wk[160];
  for (; pairs; --pairs, p += 256) {
    for (int i = 0; i < 16; i += 2) {
      const __m128i lo = sha512_avx2::bswap(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 8 * i)));
      const __m128i hi = sha512_avx2::bswap(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 128 + 8 * i)));
      W[i / 2] = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
      _mm256_store_si256(reinterpret_cast<__m256i*>(wk + 2 * i),
                         _mm256_add_epi64(W[i / 2], _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(sha512_k + i)))));
    }
    std::uint64_t x_, y_ = 0, t0_ = 0, t1_ = 0;
#define DAREKIT_S512_WK(blk, r) wk[((r) >> 1) * 4 + (blk) * 2 + ((r) & 1)]
    {
      const std::uint64_t sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;
      x_ = b ^ c;
      _Pragma("GCC unroll 10") for (int i = 0; i < 80; i += 8) {
        if (i + 16 < 80) sha512_avx512::sched2b(W, wk, i + 16);
        DAREKIT_S512_ROUND_ASM(a, b, c, d, e, f, g, h, x_, y_, DAREKIT_S512_WK(0, i + 0));
        DAREKIT_S512_ROUND_ASM(h, a, b, c, d, e, f, g, y_, x_, DAREKIT_S512_WK(0, i + 1));
        if (i + 18 < 80) sha512_avx512::sched2b(W, wk, i + 18);
        DAREKIT_S512_ROUND_ASM(g, h, a, b, c, d, e, f, x_, y_, DAREKIT_S512_WK(0, i + 2));
        DAREKIT_S512_ROUND_ASM(f, g, h, a, b, c, d, e, y_, x_, DAREKIT_S512_WK(0, i + 3));
        if (i + 20 < 80) sha512_avx512::sched2b(W, wk, i + 20);
        DAREKIT_S512_ROUND_ASM(e, f, g, h, a, b, c, d, x_, y_, DAREKIT_S512_WK(0, i + 4));
        DAREKIT_S512_ROUND_ASM(d, e, f, g, h, a, b, c, y_, x_, DAREKIT_S512_WK(0, i + 5));
        if (i + 22 < 80) sha512_avx512::sched2b(W, wk, i + 22);
        DAREKIT_S512_ROUND_ASM(c, d, e, f, g, h, a, b, x_, y_, DAREKIT_S512_WK(0, i + 6));
        DAREKIT_S512_ROUND_ASM(b, c, d, e, f, g, h, a, y_, x_, DAREKIT_S512_WK(0, i + 7));
      }
      a += sa; b += sb; c += sc; d += sd; e += se; f += sf; g += sg; h += sh;
    }
    {
      const std::uint64_t sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;
      x_ = b ^ c;
      _Pragma("GCC unroll 10") for (int i = 0; i < 80; i += 8) {
        DAREKIT_S512_ROUND_ASM(a, b, c, d, e, f, g, h, x_, y_, DAREKIT_S512_WK(1, i + 0));
        DAREKIT_S512_ROUND_ASM(h, a, b, c, d, e, f, g, y_, x_, DAREKIT_S512_WK(1, i + 1));
        DAREKIT_S512_ROUND_ASM(g, h, a, b, c, d, e, f, x_, y_, DAREKIT_S512_WK(1, i + 2));
        DAREKIT_S512_ROUND_ASM(f, g, h, a, b, c, d, e, y_, x_, DAREKIT_S512_WK(1, i + 3));
        DAREKIT_S512_ROUND_ASM(e, f, g, h, a, b, c, d, x_, y_, DAREKIT_S512_WK(1, i + 4));
        DAREKIT_S512_ROUND_ASM(d, e, f, g, h, a, b, c, y_, x_, DAREKIT_S512_WK(1, i + 5));
        DAREKIT_S512_ROUND_ASM(c, d, e, f, g, h, a, b, x_, y_, DAREKIT_S512_WK(1, i + 6));
        DAREKIT_S512_ROUND_ASM(b, c, d, e, f, g, h, a, y_, x_, DAREKIT_S512_WK(1, i + 7));
      }
      a += sa; b += sb; c += sc; d += sd; e += se; f += sf; g += sg; h += sh;
    }
#undef DAREKIT_S512_WK
  }
  st[0] = a; st[1] = b; st[2] = c; st[3] = d; st[4] = e; st[5] = f; st[6] = g; st[7] = h;
}

DAREKIT_TARGET("avx2,bmi,bmi2,avx512f,avx512vl") inline void sha512_compress_avx512_single(std::uint64_t* st, const std::uint8_t* p, std::size_t n) noexcept {
#define SCHED sha512_avx512::sched2
  DAREKIT_S512_SINGLE_BODY;
#undef SCHED
}

/// AVX-512VL path: pairs of blocks through the shared schedule, an odd last block alone.
inline void sha512_compress_avx512(std::uint64_t* st, const std::uint8_t* p, std::size_t n) noexcept {
  if (n >= 2) sha512_compress_avx512_pairs(st, p, n / 2);
  if (n & 1) sha512_compress_avx512_single(st, p + (n & ~std::size_t(1)) * 128, 1);
}
#undef DAREKIT_S512_SINGLE_BODY
#undef DAREKIT_S512_SCHED
#endif

#if DAREKIT_X86
/// BMI1 (andn), CPUID.(EAX=7,ECX=0):EBX bit 3; cpu_features does not carry it.
inline bool cpu_has_bmi1() noexcept {
  unsigned r[4];
  cpuid(0, 0, r);
  if (r[0] < 7) return false;
  cpuid(7, 0, r);
  return (r[1] >> 3) & 1u;
}
#endif

using sha512_compress_fn = void (*)(std::uint64_t*, const std::uint8_t*, std::size_t) noexcept;

/// The single-buffer SHA-512 compression, chosen once from the CPU and DAREKIT_FORCE_KERNEL
/// (not from a later force_kernel() call, so the choice cannot depend on call order).
inline sha512_compress_fn sha512_compress_choice() noexcept {
#if DAREKIT_X86
  const kernel k = env_kernel_cap(hardware_kernel(cpu()));
  if (k >= kernel::avx512 && cpu().avx512f && cpu().avx512vl && cpu().avx2 && cpu().bmi2 && cpu_has_bmi1())
    return &sha512_compress_avx512;
  if (k >= kernel::avx2 && cpu().avx2 && cpu().bmi2 && cpu_has_bmi1()) return &sha512_compress_avx2;
#endif
  return &sha512_compress_portable;
}
inline sha512_compress_fn sha512_compress_selected() noexcept {
  static const sha512_compress_fn fn = sha512_compress_choice();
  return fn;
}
inline void sha512_compress(std::uint64_t* st, const std::uint8_t* p, std::size_t n) noexcept {
  sha512_compress_selected()(st, p, n);
}
/// Which single-buffer SHA-512 path runs: kernel::avx512 (AVX-512VL schedule, BMI2 rounds),
/// kernel::avx2 (AVX2 schedule, BMI2 rounds) or kernel::scalar.
inline kernel sha512_single_buffer_kernel() noexcept {
  const sha512_compress_fn fn = sha512_compress_selected();
  if (fn == &sha512_compress_portable) return kernel::scalar;
#if DAREKIT_X86
  if (fn == &sha512_compress_avx512) return kernel::avx512;
#endif
  return kernel::avx2;
}

#define DAREKIT_S256_ROUND(a, b, c, d, e, f, g, h, wk)                                     \
  do {                                                                                     \
    const std::uint32_t t1_ = h + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) +         \
                              (((f ^ g) & e) ^ g) + (wk);                                  \
    const std::uint32_t t2_ = (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) +             \
                              (((a | b) & c) | (a & b));                                   \
    d += t1_;                                                                              \
    h = t1_ + t2_;                                                                         \
  } while (0)

/// Portable scalar SHA-256 compression of `n` consecutive 64-byte blocks.
inline void sha256_compress_portable(std::uint32_t* st, const std::uint8_t* p, std::size_t n) noexcept {
  std::uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
  for (; n; --n, p += 64) {
    std::uint32_t w[16];
    for (int i = 0; i < 16; ++i) w[i] = load_be32(p + 4 * i);
    const std::uint32_t sa = a, sb = b, sc = c, sd = d, se = e, sf = f, sg = g, sh = h;
    for (int i = 0; i < 64; i += 16) {
      if (i) {
        for (int j = 0; j < 16; ++j) {
          const std::uint32_t w15 = w[(j + 1) & 15], w2 = w[(j + 14) & 15];
          w[j] += (rotr32(w15, 7) ^ rotr32(w15, 18) ^ (w15 >> 3)) + w[(j + 9) & 15] +
                  (rotr32(w2, 17) ^ rotr32(w2, 19) ^ (w2 >> 10));
        }
      }
      DAREKIT_S256_ROUND(a, b, c, d, e, f, g, h, sha256_k[i + 0] + w[0]);
      DAREKIT_S256_ROUND(h, a, b, c, d, e, f, g, sha256_k[i + 1] + w[1]);
      DAREKIT_S256_ROUND(g, h, a, b, c, d, e, f, sha256_k[i + 2] + w[2]);
      DAREKIT_S256_ROUND(f, g, h, a, b, c, d, e, sha256_k[i + 3] + w[3]);
      DAREKIT_S256_ROUND(e, f, g, h, a, b, c, d, sha256_k[i + 4] + w[4]);
      DAREKIT_S256_ROUND(d, e, f, g, h, a, b, c, sha256_k[i + 5] + w[5]);
      DAREKIT_S256_ROUND(c, d, e, f, g, h, a, b, sha256_k[i + 6] + w[6]);
      DAREKIT_S256_ROUND(b, c, d, e, f, g, h, a, sha256_k[i + 7] + w[7]);
      DAREKIT_S256_ROUND(a, b, c, d, e, f, g, h, sha256_k[i + 8] + w[8]);
      DAREKIT_S256_ROUND(h, a, b, c, d, e, f, g, sha256_k[i + 9] + w[9]);
      DAREKIT_S256_ROUND(g, h, a, b, c, d, e, f, sha256_k[i + 10] + w[10]);
      DAREKIT_S256_ROUND(f, g, h, a, b, c, d, e, sha256_k[i + 11] + w[11]);
      DAREKIT_S256_ROUND(e, f, g, h, a, b, c, d, sha256_k[i + 12] + w[12]);
      DAREKIT_S256_ROUND(d, e, f, g, h, a, b, c, sha256_k[i + 13] + w[13]);
      DAREKIT_S256_ROUND(c, d, e, f, g, h, a, b, sha256_k[i + 14] + w[14]);
      DAREKIT_S256_ROUND(b, c, d, e, f, g, h, a, sha256_k[i + 15] + w[15]);
    }
    a += sa; b += sb; c += sc; d += sd; e += se; f += sf; g += sg; h += sh;
  }
  st[0] = a; st[1] = b; st[2] = c; st[3] = d; st[4] = e; st[5] = f; st[6] = g; st[7] = h;
}


#if DAREKIT_X86
/// SHA-256 compression with the SHA extensions (SHA-NI): 4 rounds per pair of
/// sha256rnds2, message schedule with sha256msg1/msg2. State kept as ABEF/CDGH.
DAREKIT_TARGET("sha,sse4.1,ssse3") inline void sha256_compress_shani(std::uint32_t* st, const std::uint8_t* p, std::size_t n) noexcept {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  __m128i t = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(st)), 0xB1);  // CDAB
  __m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(st + 4)), 0x1B);  // EFGH
  __m128i s0 = _mm_alignr_epi8(t, s1, 8);  // ABEF
  s1 = _mm_blend_epi16(s1, t, 0xF0);      // CDGH
  for (; n; --n, p += 64) {
    const __m128i save0 = s0, save1 = s1;
    __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), bswap);
    __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)), bswap);
    __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32)), bswap);
    __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48)), bswap);
    __m128i wk;
    // rounds 0..3
    wk = _mm_add_epi32(m0, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 0)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    // rounds 4..7
    wk = _mm_add_epi32(m1, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 4)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m0 = _mm_sha256msg1_epu32(m0, m1);
    // rounds 8..11
    wk = _mm_add_epi32(m2, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 8)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m1 = _mm_sha256msg1_epu32(m1, m2);
    // rounds 12..15
    wk = _mm_add_epi32(m3, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 12)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m0 = _mm_sha256msg2_epu32(_mm_add_epi32(m0, _mm_alignr_epi8(m3, m2, 4)), m3);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m2 = _mm_sha256msg1_epu32(m2, m3);
    // rounds 16..19
    wk = _mm_add_epi32(m0, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 16)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m1 = _mm_sha256msg2_epu32(_mm_add_epi32(m1, _mm_alignr_epi8(m0, m3, 4)), m0);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m3 = _mm_sha256msg1_epu32(m3, m0);
    // rounds 20..23
    wk = _mm_add_epi32(m1, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 20)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m2 = _mm_sha256msg2_epu32(_mm_add_epi32(m2, _mm_alignr_epi8(m1, m0, 4)), m1);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m0 = _mm_sha256msg1_epu32(m0, m1);
    // rounds 24..27
    wk = _mm_add_epi32(m2, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 24)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m3 = _mm_sha256msg2_epu32(_mm_add_epi32(m3, _mm_alignr_epi8(m2, m1, 4)), m2);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m1 = _mm_sha256msg1_epu32(m1, m2);
    // rounds 28..31
    wk = _mm_add_epi32(m3, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 28)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m0 = _mm_sha256msg2_epu32(_mm_add_epi32(m0, _mm_alignr_epi8(m3, m2, 4)), m3);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m2 = _mm_sha256msg1_epu32(m2, m3);
    // rounds 32..35
    wk = _mm_add_epi32(m0, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 32)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m1 = _mm_sha256msg2_epu32(_mm_add_epi32(m1, _mm_alignr_epi8(m0, m3, 4)), m0);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m3 = _mm_sha256msg1_epu32(m3, m0);
    // rounds 36..39
    wk = _mm_add_epi32(m1, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 36)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m2 = _mm_sha256msg2_epu32(_mm_add_epi32(m2, _mm_alignr_epi8(m1, m0, 4)), m1);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m0 = _mm_sha256msg1_epu32(m0, m1);
    // rounds 40..43
    wk = _mm_add_epi32(m2, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 40)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m3 = _mm_sha256msg2_epu32(_mm_add_epi32(m3, _mm_alignr_epi8(m2, m1, 4)), m2);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m1 = _mm_sha256msg1_epu32(m1, m2);
    // rounds 44..47
    wk = _mm_add_epi32(m3, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 44)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m0 = _mm_sha256msg2_epu32(_mm_add_epi32(m0, _mm_alignr_epi8(m3, m2, 4)), m3);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m2 = _mm_sha256msg1_epu32(m2, m3);
    // rounds 48..51
    wk = _mm_add_epi32(m0, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 48)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m1 = _mm_sha256msg2_epu32(_mm_add_epi32(m1, _mm_alignr_epi8(m0, m3, 4)), m0);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    m3 = _mm_sha256msg1_epu32(m3, m0);
    // rounds 52..55
    wk = _mm_add_epi32(m1, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 52)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m2 = _mm_sha256msg2_epu32(_mm_add_epi32(m2, _mm_alignr_epi8(m1, m0, 4)), m1);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    // rounds 56..59
    wk = _mm_add_epi32(m2, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 56)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    m3 = _mm_sha256msg2_epu32(_mm_add_epi32(m3, _mm_alignr_epi8(m2, m1, 4)), m2);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    // rounds 60..63
    wk = _mm_add_epi32(m3, _mm_loadu_si128(reinterpret_cast<const __m128i*>(sha256_k + 60)));
    s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
    s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
    s0 = _mm_add_epi32(s0, save0);
    s1 = _mm_add_epi32(s1, save1);
  }
  t = _mm_shuffle_epi32(s0, 0x1B);        // FEBA
  s1 = _mm_shuffle_epi32(s1, 0xB1);       // DCHG
  s0 = _mm_blend_epi16(t, s1, 0xF0);      // DCBA
  s1 = _mm_alignr_epi8(s1, t, 8);         // HGFE
  _mm_storeu_si128(reinterpret_cast<__m128i*>(st), s0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(st + 4), s1);
}
#endif

using sha256_compress_fn = void (*)(std::uint32_t*, const std::uint8_t*, std::size_t) noexcept;

/// The single-buffer SHA-256 compression: SHA-NI when the CPU has it (and
/// DAREKIT_FORCE_KERNEL does not say scalar), else portable; chosen once.
inline sha256_compress_fn sha256_compress_choice() noexcept {
#if DAREKIT_X86
  const kernel k = env_kernel_cap(hardware_kernel(cpu()));
  if (k >= kernel::avx2 && cpu().sha_ni && cpu().sse41 && cpu().ssse3) return &sha256_compress_shani;
#endif
  return &sha256_compress_portable;
}
inline sha256_compress_fn sha256_compress_selected() noexcept {
  static const sha256_compress_fn fn = sha256_compress_choice();
  return fn;
}
inline void sha256_compress(std::uint32_t* st, const std::uint8_t* p, std::size_t n) noexcept {
  sha256_compress_selected()(st, p, n);
}
/// Which single-buffer SHA-256 path runs: true for SHA-NI.
inline bool sha256_uses_shani() noexcept { return sha256_compress_selected() != &sha256_compress_portable; }

}  // namespace darekit::detail
