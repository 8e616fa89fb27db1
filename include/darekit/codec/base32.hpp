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

namespace detail {
/// "'x' (0x78) at offset 3" or "byte 0x00 at offset 3".
inline std::string describe_char(char c, std::size_t offset) {
  const auto u = static_cast<unsigned char>(c);
  static constexpr char hexd[] = "0123456789abcdef";
  std::string s;
  if (u >= 0x21 && u < 0x7F) { s += '\''; s += c; s += "' (0x"; }
  else s += "byte 0x";
  s += hexd[u >> 4]; s += hexd[u & 15];
  if (u >= 0x21 && u < 0x7F) s += ')';
  return s + " at offset " + std::to_string(offset);
}
}  // namespace detail

/// Decoded bits: `data` holds ceil(bits/8) bytes, a trailing partial byte zero-padded.
struct decoded_bits {
  bytes data;
  std::size_t bits = 0;  ///< 5 per alphabet character decoded
};

/// Decode Base32 keeping every decoded bit (for values presented at a precision that is
/// not a whole number of bytes, such as UDFs). With `strict`, RFC 4648 '=' padding at the
/// end is accepted and ignored; `grouped` (the UDF form) never has padding.
inline result<decoded_bits> decode_bits(std::string_view s, mode m = mode::strict) {
  decoded_bits out;
  out.data.reserve(s.size() * 5 / 8 + 2);
  unsigned acc = 0;
  int nbits = 0;
  std::size_t end = s.size();
  if (m == mode::strict) while (end > 0 && s[end - 1] == '=') --end;
  for (std::size_t i = 0; i < end; ++i) {
    const char c = s[i];
    const int v = value_of(c);
    if (v < 0) {
      if (m == mode::lenient) continue;
      if (m == mode::grouped && (c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) continue;
      return fail(errc::malformed, "invalid Base32 character " + detail::describe_char(c, i));
    }
    out.bits += 5;
    acc = (acc << 5) | unsigned(v);
    nbits += 5;
    if (nbits >= 8) {
      nbits -= 8;
      out.data.push_back(std::uint8_t(acc >> nbits));
      acc &= (1u << nbits) - 1;
    }
  }
  if (nbits > 0) out.data.push_back(std::uint8_t(acc << (8 - nbits)));
  return out;
}

/// Decode Base32 into whole bytes; trailing bits that do not fill a byte are dropped.
inline result<bytes> decode(std::string_view s, mode m = mode::strict) {
  DAREKIT_TRY(decoded_bits d, decode_bits(s, m));
  d.data.resize(d.bits / 8);
  return std::move(d.data);
}

}  // namespace darekit::base32
