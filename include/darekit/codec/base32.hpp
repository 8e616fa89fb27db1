// Base32 (RFC 4648 §6 alphabet, no padding) with the UDF 4-character dash grouping.
#pragma once
#include <string>
#include <string_view>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"

namespace darekit::base32 {

inline constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Value of a Base32 character (either case), or -1.
constexpr int value_of(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

/// Encode the first `bits` bits of `b` (most significant first) as ceil(bits/5)
/// characters; the last partial quintet is padded with the following data bits if
/// present, zero otherwise. `bits` = 0 means all of `b`. With `group` > 0 a '-' is
/// put before every group-th character (never leading or trailing).
inline std::string encode(byte_view b, std::size_t bits = 0, std::size_t group = 0) {
  if (bits == 0 || bits > b.size() * 8) bits = b.size() * 8;
  const std::size_t chars = (bits + 4) / 5;
  std::string s;
  s.reserve(chars + (group ? chars / group : 0));
  for (std::size_t i = 0; i < chars; ++i) {
    if (group && i && i % group == 0) s.push_back('-');
    unsigned v = 0;
    for (std::size_t k = 0; k < 5; ++k) {
      const std::size_t bit = i * 5 + k;
      v <<= 1;
      if (bit < b.size() * 8) v |= (b[bit / 8] >> (7 - bit % 8)) & 1u;
    }
    s.push_back(alphabet[v]);
  }
  return s;
}

/// How to treat characters outside the alphabet when decoding.
enum class mode {
  strict,     ///< alphabet (either case) only; anything else is an error
  grouped,    ///< alphabet plus '-' separators and ASCII whitespace
  lenient,    ///< the reference behaviour: skip every non-alphabet character
};

/// Decode Base32 into whole bytes; trailing bits that do not fill a byte are dropped.
/// With `strict` and `grouped`, '=' padding at the end is accepted and ignored.
inline result<bytes> decode(std::string_view s, mode m = mode::strict) {
  bytes out;
  out.reserve(s.size() * 5 / 8 + 1);
  unsigned acc = 0;
  int nbits = 0;
  std::size_t end = s.size();
  if (m != mode::lenient) while (end > 0 && s[end - 1] == '=') --end;
  for (std::size_t i = 0; i < end; ++i) {
    const char c = s[i];
    const int v = value_of(c);
    if (v < 0) {
      if (m == mode::lenient) continue;
      if (m == mode::grouped && (c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) continue;
      return fail(errc::malformed, "invalid Base32 character at offset " + std::to_string(i));
    }
    acc = (acc << 5) | unsigned(v);
    nbits += 5;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(std::uint8_t(acc >> nbits));
      acc &= (1u << nbits) - 1;
    }
  }
  return out;
}

}  // namespace darekit::base32
