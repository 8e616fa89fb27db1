// Poly1305 (RFC 8439 §2.5) portable core: the accumulator in radix 2^64 (h0 + h1*2^64
// + h2*2^128, h2 a few bits), 64x64->128-bit products, partial reduction modulo
// p = 2^130 - 5 after every block, and the full reduction in the final step.
// Also a radix-2^44 multiply used to precompute the powers of r for the IFMA kernel.
#pragma once
#include <cstddef>
#include <cstdint>

#include "darekit/core/bytes.hpp"
#include "darekit/core/secure.hpp"

#if !defined(__SIZEOF_INT128__)
#error "darekit's Poly1305 needs a compiler with unsigned __int128 (GCC or Clang)"
#endif

namespace darekit::detail {

__extension__ typedef unsigned __int128 poly_u128;

inline constexpr std::uint64_t poly_m44 = (std::uint64_t(1) << 44) - 1;
inline constexpr std::uint64_t poly_m42 = (std::uint64_t(1) << 42) - 1;

/// Poly1305 state shared by the kernels.
struct poly1305_state {
  std::uint64_t r0 = 0, r1 = 0, s1 = 0;  // clamped r (radix 2^64), s1 = r1 + r1/4 (= 5*r1/4)
  std::uint64_t h0 = 0, h1 = 0, h2 = 0;  // accumulator
  std::uint64_t pad0 = 0, pad1 = 0;      // s, the second key half
  bool have_powers = false;              // the IFMA tables below are filled
  // IFMA tables, radix 2^44 (limbs l0, l1, l2, then 20*l1, 20*l2):
  // (The tables are filled on first use and read only after their flag is set, so
  // init does not spend time zeroing them.)
  alignas(64) std::uint64_t p8[5];        // r^8, broadcast in every lane
  alignas(64) std::uint64_t fin[5][8];    // lane i: r^(8 - P[i]), P = lane -> block order
  bool have_v4 = false;                   // the AVX2 tables below are filled
  // AVX2 tables, radix 2^26 (limbs l0..l4, then 5*l1..5*l4):
  std::uint64_t v4[9];                    // r^4, broadcast in every lane
  alignas(32) std::uint64_t vfin[9][4];   // lane i: r^(4 - Q[i]), Q = lane -> block order
};

/// Wipe the key-dependent parts of a state (the tables only when they were filled).
inline void poly1305_wipe(poly1305_state& st) noexcept {
  if (st.have_powers) { wipe(st.p8, sizeof st.p8); wipe(st.fin, sizeof st.fin); }
  if (st.have_v4) { wipe(st.v4, sizeof st.v4); wipe(st.vfin, sizeof st.vfin); }
  wipe(&st, offsetof(poly1305_state, have_powers));  // r, s1, h, pad
  st.have_powers = st.have_v4 = false;
}

inline void poly1305_init(poly1305_state& st, const std::uint8_t key[32]) noexcept {
  st.h0 = st.h1 = st.h2 = 0;
  st.have_powers = st.have_v4 = false;
  st.r0 = load_le64(key) & 0x0ffffffc0fffffffull;
  st.r1 = load_le64(key + 8) & 0x0ffffffc0ffffffcull;
  st.s1 = st.r1 + (st.r1 >> 2);
  st.pad0 = load_le64(key + 16);
  st.pad1 = load_le64(key + 24);
}

/// h = (h + m_i + hibit*2^128) * r for `nblocks` 16-byte blocks.
inline void poly1305_blocks_scalar(poly1305_state& st, const std::uint8_t* m, std::size_t nblocks,
                                   std::uint64_t hibit) noexcept {
  const std::uint64_t r0 = st.r0, r1 = st.r1, s1 = st.s1;
  std::uint64_t h0 = st.h0, h1 = st.h1, h2 = st.h2;
  for (; nblocks; --nblocks, m += 16) {
    const poly_u128 a = poly_u128(h0) + load_le64(m);
    h0 = std::uint64_t(a);
    const poly_u128 b = poly_u128(h1) + load_le64(m + 8) + std::uint64_t(a >> 64);
    h1 = std::uint64_t(b);
    h2 += std::uint64_t(b >> 64) + hibit;
    // (h0 + h1 2^64 + h2 2^128) * (r0 + r1 2^64), with 2^128 = 5/4 mod p and r1 = 0 mod 4.
    const poly_u128 d0 = poly_u128(h0) * r0 + poly_u128(h1) * s1;
    poly_u128 d1 = poly_u128(h0) * r1 + poly_u128(h1) * r0 + poly_u128(h2) * s1;
    std::uint64_t d2 = h2 * r0;
    h0 = std::uint64_t(d0);
    d1 += std::uint64_t(d0 >> 64);
    h1 = std::uint64_t(d1);
    d2 += std::uint64_t(d1 >> 64);
    // Fold bits 130 and up: (d2 >> 2) * 2^130 = (d2 >> 2) * 5.
    const std::uint64_t c = (d2 >> 2) + (d2 & ~std::uint64_t(3));
    h2 = d2 & 3;
    const poly_u128 e = poly_u128(h0) + c;
    h0 = std::uint64_t(e);
    const poly_u128 f = poly_u128(h1) + std::uint64_t(e >> 64);
    h1 = std::uint64_t(f);
    h2 += std::uint64_t(f >> 64);
  }
  st.h0 = h0; st.h1 = h1; st.h2 = h2;
}

/// Full reduction mod p, add s, write the 16-byte tag (constant time).
inline void poly1305_final(const poly1305_state& st, std::uint8_t tag[16]) noexcept {
  std::uint64_t h0 = st.h0, h1 = st.h1, h2 = st.h2;
  // Bring h below 2^130 + small: fold h2's high bits once more.
  std::uint64_t c = (h2 >> 2) + (h2 & ~std::uint64_t(3));
  h2 &= 3;
  poly_u128 t = poly_u128(h0) + c; h0 = std::uint64_t(t);
  t = poly_u128(h1) + std::uint64_t(t >> 64); h1 = std::uint64_t(t);
  h2 += std::uint64_t(t >> 64);
  // g = h + 5; if g >= 2^130 then h - p = g - 2^130 is the reduced value.
  t = poly_u128(h0) + 5; const std::uint64_t g0 = std::uint64_t(t);
  t = poly_u128(h1) + std::uint64_t(t >> 64); const std::uint64_t g1 = std::uint64_t(t);
  const std::uint64_t g2 = h2 + std::uint64_t(t >> 64);
  const std::uint64_t mask = std::uint64_t(0) - (g2 >> 2);  // all ones when g >= 2^130
  h0 = (h0 & ~mask) | (g0 & mask);
  h1 = (h1 & ~mask) | (g1 & mask);
  t = poly_u128(h0) + st.pad0; h0 = std::uint64_t(t);
  h1 = h1 + st.pad1 + std::uint64_t(t >> 64);
  store_le64(tag, h0);
  store_le64(tag + 8, h1);
}

/// a * b mod p (partially reduced) in radix 2^44: limbs (44, 44, 42 bits + slack).
inline void poly1305_mul44(std::uint64_t out[3], const std::uint64_t a[3], const std::uint64_t b[3]) noexcept {
  const std::uint64_t s1 = b[1] * 20, s2 = b[2] * 20;  // 2^132 = 4 * 2^130 = 20 mod p
  poly_u128 d0 = poly_u128(a[0]) * b[0] + poly_u128(a[1]) * s2 + poly_u128(a[2]) * s1;
  poly_u128 d1 = poly_u128(a[0]) * b[1] + poly_u128(a[1]) * b[0] + poly_u128(a[2]) * s2;
  poly_u128 d2 = poly_u128(a[0]) * b[2] + poly_u128(a[1]) * b[1] + poly_u128(a[2]) * b[0];
  std::uint64_t r0 = std::uint64_t(d0) & poly_m44;
  d1 += d0 >> 44;
  std::uint64_t r1 = std::uint64_t(d1) & poly_m44;
  d2 += d1 >> 44;
  std::uint64_t r2 = std::uint64_t(d2) & poly_m42;
  r0 += std::uint64_t(d2 >> 42) * 5;
  r1 += r0 >> 44;
  r0 &= poly_m44;
  out[0] = r0; out[1] = r1; out[2] = r2;
}

/// h (radix 2^64) -> radix 2^44 limbs.
inline void poly1305_to44(std::uint64_t l[3], std::uint64_t h0, std::uint64_t h1, std::uint64_t h2) noexcept {
  l[0] = h0 & poly_m44;
  l[1] = ((h0 >> 44) | (h1 << 20)) & poly_m44;
  l[2] = (h1 >> 24) | (h2 << 40);
}

/// Radix 2^44 limbs (each < 2^63) -> h (radix 2^64), carrying fully and folding 2^130.
inline void poly1305_from44(std::uint64_t h[3], std::uint64_t l0, std::uint64_t l1, std::uint64_t l2) noexcept {
  l1 += l0 >> 44; l0 &= poly_m44;
  l2 += l1 >> 44; l1 &= poly_m44;
  l0 += (l2 >> 42) * 5; l2 &= poly_m42;
  l1 += l0 >> 44; l0 &= poly_m44;
  l2 += l1 >> 44; l1 &= poly_m44;  // l2 < 2^42 + 1
  h[0] = l0 | (l1 << 44);
  h[1] = (l1 >> 20) | (l2 << 24);
  h[2] = l2 >> 40;
}
inline void poly1305_from44(poly1305_state& st, std::uint64_t l0, std::uint64_t l1, std::uint64_t l2) noexcept {
  std::uint64_t h[3];
  poly1305_from44(h, l0, l1, l2);
  st.h0 = h[0]; st.h1 = h[1]; st.h2 = h[2];
}

inline constexpr std::uint64_t poly_m26 = (std::uint64_t(1) << 26) - 1;

/// h (radix 2^64, h2 < 2^6) -> radix 2^26 limbs.
inline void poly1305_to26(std::uint64_t l[5], std::uint64_t h0, std::uint64_t h1, std::uint64_t h2) noexcept {
  l[0] = h0 & poly_m26;
  l[1] = (h0 >> 26) & poly_m26;
  l[2] = ((h0 >> 52) | (h1 << 12)) & poly_m26;
  l[3] = (h1 >> 14) & poly_m26;
  l[4] = (h1 >> 40) | (h2 << 24);
}

/// Radix 2^26 limbs (each < 2^62) -> h (radix 2^64), carrying fully and folding 2^130.
inline void poly1305_from26(poly1305_state& st, std::uint64_t l0, std::uint64_t l1, std::uint64_t l2, std::uint64_t l3,
                            std::uint64_t l4) noexcept {
  l1 += l0 >> 26; l0 &= poly_m26;
  l2 += l1 >> 26; l1 &= poly_m26;
  l3 += l2 >> 26; l2 &= poly_m26;
  l4 += l3 >> 26; l3 &= poly_m26;
  l0 += (l4 >> 26) * 5; l4 &= poly_m26;
  l1 += l0 >> 26; l0 &= poly_m26;
  l2 += l1 >> 26; l1 &= poly_m26;
  l3 += l2 >> 26; l2 &= poly_m26;
  l4 += l3 >> 26; l3 &= poly_m26;  // l4 < 2^26 + 1
  st.h0 = l0 | (l1 << 26) | (l2 << 52);
  st.h1 = (l2 >> 12) | (l3 << 14) | (l4 << 40);
  st.h2 = l4 >> 24;
}

}  // namespace darekit::detail
