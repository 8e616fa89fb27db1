// AES-256-GCM bulk kernel on zmm registers (VAES + VPCLMULQDQ, AVX-512F/BW): CTR over
// 32 blocks (eight zmm of four blocks) per iteration, stitched with the GHASH of 32
// blocks using H^32..H^1 (Karatsuba) and one reduction per iteration (each lane reduced,
// then the four lanes summed). Tails of up to 255 bytes use byte-masked loads/stores.
// Compiled with a target attribute; the dispatcher calls it only when the CPU has the
// features and the active kernel is avx512.
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/core/detail/simd_warnings.hpp"
#include "darekit/crypto/detail/ghash_clmul.hpp"

#if DAREKIT_HAVE_GCM_CLMUL && defined(__GNUC__)
#define DAREKIT_HAVE_GCM_VAES512 1
#define DAREKIT_TARGET_GCM512 \
  __attribute__((target("aes,pclmul,ssse3,sse4.1,avx,avx2,avx512f,avx512bw,avx512vl,vaes,vpclmulqdq")))
#define DAREKIT_UNROLL512 _Pragma("GCC unroll 16")
#else
#define DAREKIT_HAVE_GCM_VAES512 0
#endif

namespace darekit::detail {
#if DAREKIT_HAVE_GCM_VAES512
DAREKIT_SIMD_WARNINGS_BEGIN

DAREKIT_TARGET_GCM512 inline __m512i gcm512_bswap(__m512i x) noexcept {
  return _mm512_shuffle_epi8(
      x, _mm512_broadcast_i32x4(_mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)));
}

DAREKIT_TARGET_GCM512 inline void gcm512_mul_acc(__m512i a, __m512i b, __m512i& lo, __m512i& mi, __m512i& hi) noexcept {
  lo = _mm512_xor_si512(lo, _mm512_clmulepi64_epi128(a, b, 0x00));
  hi = _mm512_xor_si512(hi, _mm512_clmulepi64_epi128(a, b, 0x11));
  mi = _mm512_ternarylogic_epi64(mi, _mm512_clmulepi64_epi128(a, b, 0x01), _mm512_clmulepi64_epi128(a, b, 0x10), 0x96);
}

/// Reduce each lane's product (as gcm_reduce) and sum the four lanes.
DAREKIT_TARGET_GCM512 inline __m128i gcm512_reduce(__m512i lo, __m512i mi, __m512i hi) noexcept {
  const __m512i p = _mm512_set1_epi64(static_cast<long long>(0xC200000000000000ULL));
  mi = _mm512_ternarylogic_epi64(mi, _mm512_shuffle_epi32(lo, _MM_PERM_BADC), _mm512_clmulepi64_epi128(lo, p, 0x00), 0x96);
  const __m512i r =
      _mm512_ternarylogic_epi64(hi, _mm512_shuffle_epi32(mi, _MM_PERM_BADC), _mm512_clmulepi64_epi128(mi, p, 0x00), 0x96);
  const __m256i t = _mm256_xor_si256(_mm512_castsi512_si256(r), _mm512_extracti64x4_epi64(r, 1));
  return _mm_xor_si128(_mm256_castsi256_si128(t), _mm256_extracti128_si256(t, 1));
}

/// Lane mask (as a qword mask) for the first `lanes` (0..4) 128-bit lanes.
inline __mmask8 gcm512_lane_mask(std::size_t lanes) noexcept {
  return static_cast<__mmask8>((1u << (2 * lanes)) - 1u);
}
/// Byte mask for the first `bytes` (0..64) bytes.
inline __mmask64 gcm512_byte_mask(std::size_t bytes) noexcept {
  return bytes >= 64 ? ~__mmask64(0) : ((__mmask64(1) << bytes) - 1);
}

/// GHASH r (1..16) reflected blocks held in d[0..3] (lanes past r zero) into x:
/// one reduction for the whole group.
DAREKIT_TARGET_GCM512 inline __m128i gcm512_ghash_group(const gcm_key& k, __m128i x, const __m512i* d,
                                                        std::size_t r) noexcept {
  __m512i lo = _mm512_setzero_si512(), mi = lo, hi = lo;
  const std::uint8_t* pw = k.htab + 16 * (gcm_powers - r);  // H^r first
  for (std::size_t j = 0; 4 * j < r; ++j) {
    __m512i b = d[j];
    if (j == 0) b = _mm512_xor_si512(b, _mm512_zextsi128_si512(x));
    const std::size_t lanes = r - 4 * j < 4 ? r - 4 * j : 4;
    const __m512i h = _mm512_maskz_loadu_epi64(gcm512_lane_mask(lanes), pw + 64 * j);
    gcm512_mul_acc(b, h, lo, mi, hi);
  }
  return gcm512_reduce(lo, mi, hi);
}

/// GHASH `len` bytes (zero-padded to whole blocks) into x, sixteen blocks per reduction.
DAREKIT_TARGET_GCM512 inline __m128i gcm512_ghash(const gcm_key& k, __m128i x, const std::uint8_t* p,
                                                  std::size_t len) noexcept {
  __m512i d[4];
  while (len) {
    const std::size_t take = len < 256 ? len : 256;
    DAREKIT_UNROLL512
    for (std::size_t j = 0; j < 4; ++j) {
      const std::size_t off = 64 * j;
      const std::size_t nb = take > off ? (take - off < 64 ? take - off : 64) : 0;
      d[j] = gcm512_bswap(_mm512_maskz_loadu_epi8(gcm512_byte_mask(nb), p + off));
    }
    x = gcm512_ghash_group(k, x, d, (take + 15) / 16);
    p += take;
    len -= take;
  }
  return x;
}

/// Blocks per main-loop iteration of the zmm kernel (8 zmm registers of 4 blocks).
inline constexpr std::size_t gcm512_group_blocks = 32;
static_assert(gcm_powers >= gcm512_group_blocks, "the zmm kernel needs H^1..H^32");

/// CTR-encrypt (Encrypt) or decrypt `n` bytes from `in` to `out` (which may be the same
/// buffer) starting at the reflected counter block `ctr0`, and GHASH the ciphertext
/// into the reflected state `x`; returns the new state.
///
/// Main loop: 32 blocks (8 zmm) per iteration, their keystream computed while the 32
/// ciphertext blocks of the previous iteration (encryption) or of this one (decryption)
/// are hashed against H^32..H^1 with one reduction. Then at most one 16-block step and a
/// masked tail of up to 255 bytes.
template <bool Encrypt>
DAREKIT_TARGET_GCM512 inline __m128i gcm_crypt_vaes512(const gcm_key& k, __m128i x, __m128i ctr0,
                                                       const std::uint8_t* in, std::uint8_t* out, std::size_t n) noexcept {
  constexpr int Z = int(gcm512_group_blocks / 4);
  constexpr std::size_t G = 16 * gcm512_group_blocks;  // bytes per iteration
  __m512i rk[15];
  DAREKIT_UNROLL512
  for (int r = 0; r < 15; ++r) rk[r] = _mm512_broadcast_i32x4(_mm_load_si128(reinterpret_cast<const __m128i*>(k.ek + 16 * r)));
  const __m512i bswap_mask =
      _mm512_broadcast_i32x4(_mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  // Reflected counters of the next four blocks (c, c+1, c+2, c+3); register j of a group
  // adds 4j (no carry out of the low word: GCM's length limit keeps counters below 2^32).
  __m512i cb = _mm512_add_epi32(_mm512_broadcast_i32x4(ctr0), _mm512_set_epi32(0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0));
#define DAREKIT_GCM512_ADD(v) _mm512_set_epi32(0, 0, 0, (v), 0, 0, 0, (v), 0, 0, 0, (v), 0, 0, 0, (v))
  __m512i s[Z];
  std::size_t i = 0;
  if (n >= G) {
    if (Encrypt) {
      // First group: keystream only; its ciphertext is hashed in the next iteration.
      DAREKIT_UNROLL512
      for (int j = 0; j < Z; ++j)
        s[j] = _mm512_xor_si512(_mm512_shuffle_epi8(_mm512_add_epi32(cb, DAREKIT_GCM512_ADD(4 * j)), bswap_mask), rk[0]);
      cb = _mm512_add_epi32(cb, DAREKIT_GCM512_ADD(4 * Z));
      DAREKIT_UNROLL512
      for (int r = 1; r < 14; ++r)
        DAREKIT_UNROLL512
        for (int j = 0; j < Z; ++j) s[j] = _mm512_aesenc_epi128(s[j], rk[r]);
      DAREKIT_UNROLL512
      for (int j = 0; j < Z; ++j) {
        const __m512i p = _mm512_loadu_si512(in + 64 * j);
        _mm512_storeu_si512(out + 64 * j, _mm512_aesenclast_epi128(s[j], _mm512_xor_si512(rk[14], p)));
      }
      i = G;
    }
    const std::uint8_t* ht = k.htab + 16 * (gcm_powers - gcm512_group_blocks);
    const std::uint8_t* hk = k.hkar + 16 * (gcm_powers - gcm512_group_blocks);
    for (; i + G <= n; i += G) {
      const std::uint8_t* h = Encrypt ? out + i - G : in + i;  // the blocks to hash
      DAREKIT_UNROLL512
      for (int j = 0; j < Z; ++j)
        s[j] = _mm512_xor_si512(_mm512_shuffle_epi8(_mm512_add_epi32(cb, DAREKIT_GCM512_ADD(4 * j)), bswap_mask), rk[0]);
      cb = _mm512_add_epi32(cb, DAREKIT_GCM512_ADD(4 * Z));
      // Karatsuba: three products per block; the middle term is
      // (a.lo ^ a.hi)(h.lo ^ h.hi) ^ lo ^ hi, with h.lo ^ h.hi precomputed (hkar).
      __m512i lo = _mm512_setzero_si512(), mk = lo, hi = lo;
      DAREKIT_UNROLL512
      for (int r = 1; r < 14; ++r) {
        DAREKIT_UNROLL512
        for (int j = 0; j < Z; ++j) s[j] = _mm512_aesenc_epi128(s[j], rk[r]);
        if (r >= 2 && r < 2 + Z) {
          const int j = r - 2;
          __m512i b = _mm512_shuffle_epi8(_mm512_loadu_si512(h + 64 * j), bswap_mask);
          if (j == 0) b = _mm512_xor_si512(b, _mm512_zextsi128_si512(x));
          const __m512i hp = _mm512_loadu_si512(ht + 64 * j);
          lo = _mm512_xor_si512(lo, _mm512_clmulepi64_epi128(b, hp, 0x00));
          hi = _mm512_xor_si512(hi, _mm512_clmulepi64_epi128(b, hp, 0x11));
          const __m512i bf = _mm512_xor_si512(b, _mm512_shuffle_epi32(b, _MM_PERM_BADC));
          mk = _mm512_xor_si512(mk, _mm512_clmulepi64_epi128(bf, _mm512_loadu_si512(hk + 64 * j), 0x00));
        }
        if (r == 2 + Z) x = gcm512_reduce(lo, _mm512_ternarylogic_epi64(mk, lo, hi, 0x96), hi);
      }
      DAREKIT_UNROLL512
      for (int j = 0; j < Z; ++j) {
        const __m512i c = _mm512_loadu_si512(in + i + 64 * j);
        _mm512_storeu_si512(out + i + 64 * j, _mm512_aesenclast_epi128(s[j], _mm512_xor_si512(rk[14], c)));
      }
    }
    if (Encrypt) x = gcm512_ghash(k, x, out + i - G, G);
  }
  if (n - i >= 256) {
    // One 16-block step (the rest is below 32 blocks), hashed separately.
    if (!Encrypt) x = gcm512_ghash(k, x, in + i, 256);
    DAREKIT_UNROLL512
    for (int j = 0; j < 4; ++j)
      s[j] = _mm512_xor_si512(_mm512_shuffle_epi8(_mm512_add_epi32(cb, DAREKIT_GCM512_ADD(4 * j)), bswap_mask), rk[0]);
    cb = _mm512_add_epi32(cb, DAREKIT_GCM512_ADD(16));
    DAREKIT_UNROLL512
    for (int r = 1; r < 14; ++r)
      DAREKIT_UNROLL512
      for (int j = 0; j < 4; ++j) s[j] = _mm512_aesenc_epi128(s[j], rk[r]);
    DAREKIT_UNROLL512
    for (int j = 0; j < 4; ++j) {
      const __m512i c = _mm512_loadu_si512(in + i + 64 * j);
      _mm512_storeu_si512(out + i + 64 * j, _mm512_aesenclast_epi128(s[j], _mm512_xor_si512(rk[14], c)));
    }
    if (Encrypt) x = gcm512_ghash(k, x, out + i, 256);
    i += 256;
  }
  __m512i ctr[4];
  DAREKIT_UNROLL512
  for (int j = 0; j < 4; ++j) ctr[j] = _mm512_add_epi32(cb, DAREKIT_GCM512_ADD(4 * j));
#undef DAREKIT_GCM512_ADD
  if (i < n) {
    // Tail of 1..255 bytes with byte-masked loads and stores (masked-off bytes are
    // neither read nor written, and read as zero: the GHASH padding).
    const std::size_t rem = n - i;
    __m512i d[4];
    if (rem > 128) {
      DAREKIT_UNROLL512
      for (int j = 0; j < 4; ++j) s[j] = _mm512_xor_si512(_mm512_shuffle_epi8(ctr[j], bswap_mask), rk[0]);
      DAREKIT_UNROLL512
      for (int r = 1; r < 14; ++r)
        DAREKIT_UNROLL512
        for (int j = 0; j < 4; ++j) s[j] = _mm512_aesenc_epi128(s[j], rk[r]);
    } else {  // at most two registers of keystream needed
      s[2] = s[3] = _mm512_setzero_si512();
      DAREKIT_UNROLL512
      for (int j = 0; j < 2; ++j) s[j] = _mm512_xor_si512(_mm512_shuffle_epi8(ctr[j], bswap_mask), rk[0]);
      DAREKIT_UNROLL512
      for (int r = 1; r < 14; ++r)
        DAREKIT_UNROLL512
        for (int j = 0; j < 2; ++j) s[j] = _mm512_aesenc_epi128(s[j], rk[r]);
    }
    DAREKIT_UNROLL512
    for (std::size_t j = 0; j < 4; ++j) {
      const std::size_t off = 64 * j;
      const std::size_t nb = rem > off ? (rem - off < 64 ? rem - off : 64) : 0;
      const __mmask64 m = gcm512_byte_mask(nb);
      const __m512i src = _mm512_maskz_loadu_epi8(m, in + i + off);
      const __m512i res = _mm512_maskz_mov_epi8(m, _mm512_aesenclast_epi128(s[j], _mm512_xor_si512(rk[14], src)));
      _mm512_mask_storeu_epi8(out + i + off, m, res);
      d[j] = _mm512_shuffle_epi8(Encrypt ? res : src, bswap_mask);
    }
    x = gcm512_ghash_group(k, x, d, (rem + 15) / 16);
  }
  return x;
}

DAREKIT_SIMD_WARNINGS_END
#endif  // DAREKIT_HAVE_GCM_VAES512
}  // namespace darekit::detail
