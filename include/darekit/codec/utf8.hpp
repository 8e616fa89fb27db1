// UTF-8 validation (RFC 3629), the one validator every reader uses: JSON and JSON-B
// strings, UDF content types, key strings and key names.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace darekit::utf8 {

/// Offset of the first byte that breaks well-formed UTF-8 (RFC 3629: no overlongs,
/// no surrogates, nothing above U+10FFFF), or npos when `s` is valid.
inline std::size_t error_offset(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t c = p[i];
    if (c < 0x80) { ++i; continue; }
    std::size_t len;
    std::uint8_t lo = 0x80, hi = 0xBF;  // range of the second byte
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) { len = 3; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) { len = 3; hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) { len = 4; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) { len = 4; hi = 0x8F; }
    else return i;
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

/// True if `s` is well-formed UTF-8.
inline bool valid(std::string_view s) noexcept { return error_offset(s) == std::string_view::npos; }

}  // namespace darekit::utf8
