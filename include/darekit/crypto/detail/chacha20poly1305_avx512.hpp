// Stitched ChaCha20-Poly1305 bulk kernel for AVX-512 + IFMA: every 16-block ChaCha20
// pass (1 KiB) also absorbs 1 KiB of ciphertext into the IFMA Poly1305 accumulator,
// one eight-block group after each of the first eight double rounds. The two chains
// are independent (vector ALU vs. 52-bit multipliers), so the out-of-order core runs
// them side by side instead of one after the other.
//
// Seal absorbs the previous pass's ciphertext (one pass behind); open absorbs the
// ciphertext of the pass itself (read before the pass writes its output, so in-place
// works). Used by crypto/chacha20poly1305.hpp for the whole-KiB part of a message
// when cpu().avx512ifma and the active kernel is avx512.
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/crypto/detail/chacha20_x.hpp"
#include "darekit/crypto/detail/poly1305_x.hpp"

#if DAREKIT_HAVE_CHACHA_SIMD && DAREKIT_HAVE_POLY_IFMA
#define DAREKIT_HAVE_CHACHAPOLY_STITCH 1
#define DAREKIT_CHACHAPOLY_AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512ifma")))

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

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

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#else
#define DAREKIT_HAVE_CHACHAPOLY_STITCH 0
#endif
