// Hexadecimal encoding (lowercase) and strict decoding.
#pragma once
#include <string>
#include <string_view>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"

namespace darekit::hex {

/// Lowercase hex of `b`.
inline std::string encode(byte_view b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(b.size() * 2, '\0');
  for (std::size_t i = 0; i < b.size(); ++i) {
    s[2 * i] = digits[b[i] >> 4];
    s[2 * i + 1] = digits[b[i] & 15];
  }
  return s;
}

namespace detail {
constexpr int nibble(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace detail

/// Decode hex (either case). Odd length or any non-hex character is an error.
inline result<bytes> decode(std::string_view s) {
  if (s.size() % 2) return fail(errc::malformed, "hex string has odd length");
  bytes out(s.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = detail::nibble(s[2 * i]), lo = detail::nibble(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return fail(errc::malformed, "invalid hex character at offset " + std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    out[i] = std::uint8_t(hi << 4 | lo);
  }
  return out;
}

}  // namespace darekit::hex
