// Stitched ChaCha20-Poly1305 bulk kernels. Each ChaCha20 pass also absorbs one
// pass-length of ciphertext into the vector Poly1305 accumulator, one group after
// each of the first eight double rounds. The two chains are independent, so the
// out-of-order core runs them side by side instead of one after the other.
//   AVX-512 + IFMA: 16-block (1 KiB) passes, eight-block (128-byte) IFMA groups.
//   AVX2:           8-block (512-byte) passes, four-block (64-byte) radix-2^26 groups.
//
// Seal absorbs the previous pass's ciphertext (one pass behind); open absorbs the
// ciphertext of the pass itself (read before the pass writes its output, so in-place
// works). Used by crypto/chacha20poly1305.hpp for the whole-pass part of a message.
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/core/detail/simd_warnings.hpp"
#include "darekit/crypto/detail/chacha20_x.hpp"
#include "darekit/crypto/detail/poly1305_avx2.hpp"
#include "darekit/crypto/detail/poly1305_x.hpp"

#if DAREKIT_HAVE_CHACHA_SIMD && DAREKIT_HAVE_POLY_AVX2
#define DAREKIT_HAVE_CHACHAPOLY_STITCH2 1

DAREKIT_SIMD_WARNINGS_BEGIN

namespace darekit::detail {

/// AVX2 tier: one 512-byte ChaCha20 pass with eight four-block Poly1305 groups at
/// `mac` absorbed between the double rounds.
DAREKIT_CHACHA_AVX2 inline void chachapoly_pass2(const std::uint32_t st[16], std::uint8_t* out,
                                                 const std::uint8_t* in, const std::uint8_t* mac,
                                                 poly1305_vacc4& acc, const poly1305_state& ps) noexcept {
  DAREKIT_CHACHA8_PASS_BODY(if (i < 8) poly1305_vstep4(acc, mac + 64 * i, ps);)
}

/// Encrypt `chunks` x 512 bytes (chunks >= 1) and absorb the ciphertext (needs ps.have_v4).
DAREKIT_CHACHA_AVX2 inline void chachapoly_seal_bulk2(std::uint32_t st[16], std::uint8_t* out, const std::uint8_t* in,
                                                      std::size_t chunks, poly1305_state& ps) noexcept {
  poly1305_vacc4 acc;
  poly1305_vstart4(acc, ps);
  chacha20_pass_avx2(st, out, in);
  st[12] += 8;
  for (std::size_t c = 1; c < chunks; ++c) {
    chachapoly_pass2(st, out + 512 * c, in + 512 * c, out + 512 * (c - 1), acc, ps);
    st[12] += 8;
  }
  const std::uint8_t* last = out + 512 * (chunks - 1);
  for (int g = 0; g < 8; ++g) poly1305_vstep4(acc, last + 64 * g, ps);
  poly1305_vfinish4(acc, ps);
}

/// Absorb `chunks` x 512 bytes of ciphertext and decrypt it in -> out (in == out allowed).
DAREKIT_CHACHA_AVX2 inline void chachapoly_open_bulk2(std::uint32_t st[16], std::uint8_t* out, const std::uint8_t* in,
                                                      std::size_t chunks, poly1305_state& ps) noexcept {
  poly1305_vacc4 acc;
  poly1305_vstart4(acc, ps);
  for (std::size_t c = 0; c < chunks; ++c) {
    chachapoly_pass2(st, out + 512 * c, in + 512 * c, in + 512 * c, acc, ps);
    st[12] += 8;
  }
  poly1305_vfinish4(acc, ps);
}

}  // namespace darekit::detail

DAREKIT_SIMD_WARNINGS_END

#else
#define DAREKIT_HAVE_CHACHAPOLY_STITCH2 0
#endif

#if DAREKIT_HAVE_CHACHA_SIMD && DAREKIT_HAVE_POLY_IFMA
#define DAREKIT_HAVE_CHACHAPOLY_STITCH 1
#define DAREKIT_CHACHAPOLY_AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512ifma")))

DAREKIT_SIMD_WARNINGS_BEGIN

namespace darekit::detail {

/// One 1 KiB ChaCha20 pass (in -> out, counter st[12]) with the eight groups at `mac`
/// absorbed into `acc` between the double rounds.
DAREKIT_CHACHAPOLY_AVX512 inline void chachapoly_pass(const std::uint32_t st[16], std::uint8_t* out,
                                                      const std::uint8_t* in, const std::uint8_t* mac,
                                                      poly1305_vacc& acc, const poly1305_state& ps) noexcept {
  DAREKIT_CHACHA16_PASS_BODY(if (i < 8) poly1305_vstep(acc, mac + 128 * i, ps);)
}

/// Encrypt `chunks` KiB (chunks >= 1) in -> out and absorb the ciphertext into ps
/// (ps.have_powers required). st[12] advances by 16 per KiB.
DAREKIT_CHACHAPOLY_AVX512 inline void chachapoly_seal_bulk(std::uint32_t st[16], std::uint8_t* out,
                                                           const std::uint8_t* in, std::size_t chunks,
                                                           poly1305_state& ps) noexcept {
  poly1305_vacc acc;
  poly1305_vstart(acc, ps);
  chacha20_pass_avx512(st, out, in);
  st[12] += 16;
  for (std::size_t c = 1; c < chunks; ++c) {
    chachapoly_pass(st, out + 1024 * c, in + 1024 * c, out + 1024 * (c - 1), acc, ps);
    st[12] += 16;
  }
  const std::uint8_t* last = out + 1024 * (chunks - 1);
  for (int g = 0; g < 8; ++g) poly1305_vstep(acc, last + 128 * g, ps);
  poly1305_vfinish(acc, ps);
}

/// Absorb `chunks` KiB of ciphertext into ps and decrypt it in -> out (in == out allowed).
DAREKIT_CHACHAPOLY_AVX512 inline void chachapoly_open_bulk(std::uint32_t st[16], std::uint8_t* out,
                                                           const std::uint8_t* in, std::size_t chunks,
                                                           poly1305_state& ps) noexcept {
  poly1305_vacc acc;
  poly1305_vstart(acc, ps);
  for (std::size_t c = 0; c < chunks; ++c) {
    chachapoly_pass(st, out + 1024 * c, in + 1024 * c, in + 1024 * c, acc, ps);
    st[12] += 16;
  }
  poly1305_vfinish(acc, ps);
}

}  // namespace darekit::detail

DAREKIT_SIMD_WARNINGS_END

#else
#define DAREKIT_HAVE_CHACHAPOLY_STITCH 0
#endif
