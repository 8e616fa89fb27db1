// AES-256-GCM bulk kernels on xmm registers (AES-NI + PCLMULQDQ): CTR over eight
// blocks per iteration, stitched with the GHASH of eight blocks using H^8..H^1 and one
// reduction. The kernel (aes_gcm_xmm_kernel.hpp) is compiled twice: gcm_xmm_sse with
// SSE encodings (the scalar tier; any x86-64 with AES-NI) and gcm_xmm_avx with VEX
// encodings (the avx2 and avx512 tiers when VAES is absent).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/secure.hpp"
#include "darekit/crypto/detail/ghash_clmul.hpp"

#if defined(__GNUC__)
#define DAREKIT_UNROLL _Pragma("GCC unroll 16")
#else
#define DAREKIT_UNROLL
#endif

namespace darekit::detail {
#if DAREKIT_HAVE_GCM_CLMUL

DAREKIT_TARGET_GCM DAREKIT_GCM_INLINE __m128i gcm_rk(const gcm_key& k, int r) noexcept {
  return _mm_load_si128(reinterpret_cast<const __m128i*>(k.ek + 16 * r));
}

/// Write J0 = nonce || 0^31 || 1 to j0 and return the reflected first data counter
/// block J0 + 1 (inc32).
DAREKIT_TARGET_GCM inline __m128i gcm_first_counter(const std::uint8_t* nonce, std::uint8_t* j0) noexcept {
  std::memcpy(j0, nonce, 12);
  j0[12] = 0; j0[13] = 0; j0[14] = 0; j0[15] = 1;
  return _mm_add_epi32(gcm_bswap(_mm_loadu_si128(reinterpret_cast<const __m128i*>(j0))), _mm_set_epi32(0, 0, 0, 1));
}

/// Fold in the length block and write the tag E_K(J0) ^ GHASH.
DAREKIT_TARGET_GCM inline void gcm_finish(const gcm_key& k, __m128i x, std::size_t adlen, std::size_t n,
                                          const std::uint8_t* j0, std::uint8_t* tag) noexcept {
  x = gcm_mul(_mm_xor_si128(x, gcm_length_block(adlen, n)), gcm_htab(k, gcm_powers - 1));
  alignas(16) std::uint8_t e[16];
  aes256_encrypt_blocks(k.ek, j0, e, 1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(tag),
                   _mm_xor_si128(gcm_bswap(x), _mm_load_si128(reinterpret_cast<const __m128i*>(e))));
  wipe(e, sizeof e);
}
#endif  // DAREKIT_HAVE_GCM_CLMUL
}  // namespace darekit::detail

#if DAREKIT_HAVE_GCM_CLMUL
#define DAREKIT_GCM_XMM_NS gcm_xmm_sse
#define DAREKIT_GCM_XMM_TARGET DAREKIT_TARGET_GCM
#include "darekit/crypto/detail/aes_gcm_xmm_kernel.hpp"
#undef DAREKIT_GCM_XMM_NS
#undef DAREKIT_GCM_XMM_TARGET
#if defined(__GNUC__)
#define DAREKIT_HAVE_GCM_XMM_AVX 1
#define DAREKIT_GCM_XMM_NS gcm_xmm_avx
#define DAREKIT_GCM_XMM_TARGET __attribute__((target("aes,pclmul,ssse3,sse4.1,avx,avx2")))
#include "darekit/crypto/detail/aes_gcm_xmm_kernel.hpp"
#undef DAREKIT_GCM_XMM_NS
#undef DAREKIT_GCM_XMM_TARGET
#else
#define DAREKIT_HAVE_GCM_XMM_AVX 0
#endif
#else
#define DAREKIT_HAVE_GCM_XMM_AVX 0
#endif
