// Fixed-width (576-bit) arithmetic modulo the Shamir primes p = 2^(8B) + offset[B]
// (spec §10.3), B = 1..64 bytes. Every operation on values runs the same
// instruction sequence whatever the values are (no value-dependent branches or
// table lookups); only public quantities (B, share indices, Lagrange numerators and
// denominators) steer control flow.
#pragma once
#include <array>
#include <cstdint>
#include <mutex>

#include "darekit/core/bytes.hpp"
#include "darekit/core/secure.hpp"

namespace darekit::udf::detail::modp {

__extension__ typedef unsigned __int128 u128;

inline constexpr std::size_t limbs = 9;  ///< 576 bits: room for p < 2^513 and small multiples
using num = std::array<std::uint64_t, limbs>;  ///< little-endian limbs

/// offset[B]: p = 2^(8B) + offset[B] is the smallest prime above 2^(8B).
inline constexpr std::array<std::uint16_t, 65> offset = {
    0,   1,   1,   43,  15,  15,  21,  81,  13,  15,  13,  7,   61,  111, 25,  451, 51,
    85,  175, 253, 7,   87,  427, 27,  133, 235, 375, 423, 735, 357, 115, 81,  297,
    175, 57,  45,  127, 61,  37,  91,  27,  15,  241, 231, 55,  105, 127, 115, 231,
    207, 181, 37,  235, 163, 1093, 187, 211, 21, 841, 445, 165, 777, 583, 133, 75};

/// r = a + b; returns the carry.
inline std::uint64_t add(num& r, const num& a, const num& b) noexcept {
  std::uint64_t c = 0;
  for (std::size_t i = 0; i < limbs; ++i) {
    const u128 s = u128(a[i]) + b[i] + c;
    r[i] = std::uint64_t(s);
    c = std::uint64_t(s >> 64);
  }
  return c;
}
/// r = a - b; returns the borrow (1 when a < b).
inline std::uint64_t sub(num& r, const num& a, const num& b) noexcept {
  std::uint64_t br = 0;
  for (std::size_t i = 0; i < limbs; ++i) {
    const u128 d = u128(a[i]) - b[i] - br;
    r[i] = std::uint64_t(d);
    br = std::uint64_t(d >> 64) & 1u;
  }
  return br;
}
/// r = mask ? a : b, with mask all-ones or zero.
inline void select(num& r, std::uint64_t mask, const num& a, const num& b) noexcept {
  for (std::size_t i = 0; i < limbs; ++i) r[i] = (a[i] & mask) | (b[i] & ~mask);
}
/// x = x mod m for x < 2m (constant time).
inline void reduce_once(num& x, const num& m) noexcept {
  num t;
  const std::uint64_t borrow = sub(t, x, m);
  select(x, std::uint64_t(0) - borrow, x, t);
}
/// r = (a + b) mod p for a, b < p.
inline void add_mod(num& r, const num& a, const num& b, const num& p) noexcept {
  add(r, a, b);
  reduce_once(r, p);
}
/// r = a * w for a single word w (no overflow when a * w < 2^576).
inline void mul_word(num& r, const num& a, std::uint64_t w) noexcept {
  std::uint64_t c = 0;
  for (std::size_t i = 0; i < limbs; ++i) {
    const u128 m = u128(a[i]) * w + c;
    r[i] = std::uint64_t(m);
    c = std::uint64_t(m >> 64);
  }
}
/// Is a < b? (public values only: branches)
inline bool less(const num& a, const num& b) noexcept {
  for (std::size_t i = limbs; i-- > 0;)
    if (a[i] != b[i]) return a[i] < b[i];
  return false;
}

/// Per-prime constants.
struct context {
  std::size_t bytes = 0;  ///< B
  num p{}, p2{}, p4{}, p8{};  ///< p and its small multiples
  std::uint64_t n0inv = 0;  ///< -p^-1 mod 2^64 (Montgomery)
  num r2{};                 ///< 2^1152 mod p (Montgomery R^2)
};

/// Montgomery product a * b / 2^576 mod p for a, b < p (CIOS).
inline void mont_mul(num& r, const num& a, const num& b, const context& c) noexcept {
  std::array<std::uint64_t, limbs + 2> t{};
  for (std::size_t i = 0; i < limbs; ++i) {
    std::uint64_t carry = 0;
    for (std::size_t j = 0; j < limbs; ++j) {
      const u128 s = u128(a[j]) * b[i] + t[j] + carry;
      t[j] = std::uint64_t(s);
      carry = std::uint64_t(s >> 64);
    }
    u128 s = u128(t[limbs]) + carry;
    t[limbs] = std::uint64_t(s);
    t[limbs + 1] = std::uint64_t(s >> 64);
    const std::uint64_t m = t[0] * c.n0inv;
    s = u128(m) * c.p[0] + t[0];
    carry = std::uint64_t(s >> 64);
    for (std::size_t j = 1; j < limbs; ++j) {
      s = u128(m) * c.p[j] + t[j] + carry;
      t[j - 1] = std::uint64_t(s);
      carry = std::uint64_t(s >> 64);
    }
    s = u128(t[limbs]) + carry;
    t[limbs - 1] = std::uint64_t(s);
    t[limbs] = t[limbs + 1] + std::uint64_t(s >> 64);
  }
  num x;
  for (std::size_t i = 0; i < limbs; ++i) x[i] = t[i];
  // t < 2p < 2^576, so t[limbs] is 0 here.
  reduce_once(x, c.p);
  r = x;
  wipe(t.data(), sizeof t);
}

/// r = a * b mod p for a, b < p.
inline void mul_mod(num& r, const num& a, const num& b, const context& c) noexcept {
  num t;
  mont_mul(t, a, b, c);
  mont_mul(r, t, c.r2, c);
  wipe(t.data(), sizeof t);
}

/// r = a * x mod p for a < p and a small public x <= 15 (constant time in a).
inline void mul_small_mod(num& r, const num& a, std::uint64_t x, const context& c) noexcept {
  mul_word(r, a, x);  // < 16p
  reduce_once(r, c.p8);
  reduce_once(r, c.p4);
  reduce_once(r, c.p2);
  reduce_once(r, c.p);
}

inline context build(std::size_t bytes) {
  context c;
  c.bytes = bytes;
  const std::size_t m = 8 * bytes;
  c.p[m / 64] |= std::uint64_t(1) << (m % 64);
  c.p[0] += offset[bytes];
  add(c.p2, c.p, c.p);
  add(c.p4, c.p2, c.p2);
  add(c.p8, c.p4, c.p4);
  std::uint64_t inv = c.p[0];  // Newton: correct to 3 bits for odd p, doubling each step
  for (int i = 0; i < 6; ++i) inv *= 2 - c.p[0] * inv;
  c.n0inv = std::uint64_t(0) - inv;
  num r{};
  r[0] = 1;
  for (std::size_t i = 0; i < 2 * 64 * limbs; ++i) add_mod(r, r, r, c.p);
  c.r2 = r;
  return c;
}

/// The constants for a B-byte secret (1..64), computed once per B.
inline const context& prime_for(std::size_t bytes) {
  static std::array<std::once_flag, 65> once;
  static std::array<context, 65> ctx;
  std::call_once(once[bytes], [bytes] { ctx[bytes] = build(bytes); });
  return ctx[bytes];
}

/// Big-endian bytes (at most 72) to a number.
inline num from_be(byte_view b) noexcept {
  num r{};
  for (std::size_t i = 0; i < b.size(); ++i) {
    const std::size_t bit = 8 * (b.size() - 1 - i);
    r[bit / 64] |= std::uint64_t(b[i]) << (bit % 64);
  }
  return r;
}
/// The low out.size() bytes of a number, big-endian.
inline void to_be(const num& a, byte_span out) noexcept {
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t bit = 8 * (out.size() - 1 - i);
    out[i] = std::uint8_t(a[bit / 64] >> (bit % 64));
  }
}

/// r = X mod p for a big-endian number X of at most 72 bytes, in constant time. With
/// X uniform over 8B + 64 bits the result is within statistical distance 2^-64 of
/// uniform mod p. (mul_mod(X, 1): its first Montgomery product X * 1 / 2^576 is below
/// 2p for any X < 2^576, not only for X < p, so one final subtraction reduces it.)
inline void reduce_be(num& r, byte_view x, const context& c) noexcept {
  num v = from_be(x), one{};
  one[0] = 1;
  mul_mod(r, v, one, c);
  wipe(v.data(), sizeof v);
}

/// (a mod d) for a small public d.
inline std::uint64_t mod_word(const num& a, std::uint64_t d) noexcept {
  u128 r = 0;
  for (std::size_t i = limbs; i-- > 0;) r = ((r << 64) | a[i]) % d;
  return std::uint64_t(r);
}

/// d^-1 mod p for a small public d (1 <= d < 2^40): (1 + t p) / d with t p = -1 mod d.
inline num inverse_small(std::uint64_t d, const context& c) noexcept {
  num r{};
  if (d == 1) { r[0] = 1; return r; }
  // t = -(p mod d)^-1 mod d, by the extended Euclidean algorithm on public values.
  std::int64_t old_r = std::int64_t(mod_word(c.p, d)), rr = std::int64_t(d);
  std::int64_t old_s = 1, s = 0;
  while (rr != 0) {
    const std::int64_t q = old_r / rr;
    std::int64_t tmp = old_r - q * rr; old_r = rr; rr = tmp;
    tmp = old_s - q * s; old_s = s; s = tmp;
  }
  std::int64_t inv = old_s % std::int64_t(d);
  if (inv < 0) inv += std::int64_t(d);
  const std::uint64_t t = (d - std::uint64_t(inv)) % d;
  num tp;
  mul_word(tp, c.p, t);
  num one{};
  one[0] = 1;
  add(tp, tp, one);
  u128 rem = 0;
  for (std::size_t i = limbs; i-- > 0;) {
    const u128 cur = (rem << 64) | tp[i];
    r[i] = std::uint64_t(cur / d);
    rem = cur % d;
  }
  return r;
}

/// A signed small public value n/d (d != 0) as an element mod p.
inline num fraction(std::int64_t n, std::int64_t d, const context& c) noexcept {
  const bool neg = (n < 0) != (d < 0);
  const std::uint64_t un = std::uint64_t(n < 0 ? -n : n), ud = std::uint64_t(d < 0 ? -d : d);
  num a{};
  // |n| < 2^56: below p when B >= 8; for B < 8, p fits in one limb.
  a[0] = c.bytes < 8 ? un % c.p[0] : un;
  num r;
  mul_mod(r, a, inverse_small(ud, c), c);
  num zero{};
  if (neg && r != zero) sub(r, c.p, r);
  return r;
}

}  // namespace darekit::udf::detail::modp
