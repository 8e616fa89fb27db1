// Byte spans, owned byte vectors and big/little-endian load/store helpers.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace darekit {

using byte_view = std::span<const std::uint8_t>;  ///< read-only bytes
using byte_span = std::span<std::uint8_t>;        ///< writable bytes
using bytes = std::vector<std::uint8_t>;          ///< owned bytes

/// View the characters of a string as bytes (no copy).
inline byte_view as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
/// View bytes as characters (no copy).
inline std::string_view as_chars(byte_view b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
/// Copy a view into an owned vector.
inline bytes to_bytes(byte_view b) { return bytes(b.begin(), b.end()); }
inline bytes to_bytes(std::string_view s) { return to_bytes(as_bytes(s)); }

/// Append `b` to `out`.
inline void append(bytes& out, byte_view b) { out.insert(out.end(), b.begin(), b.end()); }

/// Concatenate any number of byte views.
template <class... V>
bytes concat(const V&... v) {
  bytes out;
  out.reserve((std::size(byte_view(v)) + ... + 0));
  (append(out, byte_view(v)), ...);
  return out;
}

/// Big-endian loads and stores.
constexpr std::uint32_t load_be32(const std::uint8_t* p) noexcept {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}
constexpr std::uint64_t load_be64(const std::uint8_t* p) noexcept {
  return (std::uint64_t(load_be32(p)) << 32) | load_be32(p + 4);
}
constexpr void store_be32(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = std::uint8_t(v >> 24); p[1] = std::uint8_t(v >> 16); p[2] = std::uint8_t(v >> 8); p[3] = std::uint8_t(v);
}
constexpr void store_be64(std::uint8_t* p, std::uint64_t v) noexcept {
  store_be32(p, std::uint32_t(v >> 32)); store_be32(p + 4, std::uint32_t(v));
}
/// Little-endian loads and stores.
constexpr std::uint64_t load_le64(const std::uint8_t* p) noexcept {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
constexpr void store_le64(std::uint8_t* p, std::uint64_t v) noexcept {
  for (int i = 0; i < 8; ++i) p[i] = std::uint8_t(v >> (8 * i));
}

}  // namespace darekit
