// Base64 and Base64url (RFC 4648 §4, §5): encoding, strict decoding, and the
// RFC 8951 tolerant decoder (skips CR, LF, space, tab; rejects anything else).
#pragma once
#include <array>
#include <string>
#include <string_view>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"

namespace darekit::base64 {

enum class alphabet { standard, url };

namespace detail {
constexpr std::string_view chars(alphabet a) noexcept {
  return a == alphabet::standard ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                                 : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}
constexpr int value_of(char c, alphabet a) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (a == alphabet::standard) { if (c == '+') return 62; if (c == '/') return 63; }
  else { if (c == '-') return 62; if (c == '_') return 63; }
  return -1;
}
constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
}  // namespace detail

/// Encode; `pad` adds '=' padding (the default for standard, not for url).
inline std::string encode(byte_view b, alphabet a = alphabet::standard, bool pad = true) {
  const auto t = detail::chars(a);
  std::string s;
  s.reserve((b.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= b.size(); i += 3) {
    const unsigned v = unsigned(b[i]) << 16 | unsigned(b[i + 1]) << 8 | b[i + 2];
    s += t[v >> 18]; s += t[(v >> 12) & 63]; s += t[(v >> 6) & 63]; s += t[v & 63];
  }
  if (const std::size_t rem = b.size() - i) {
    unsigned v = unsigned(b[i]) << 16 | (rem == 2 ? unsigned(b[i + 1]) << 8 : 0u);
    s += t[v >> 18]; s += t[(v >> 12) & 63];
    if (rem == 2) s += t[(v >> 6) & 63];
    if (pad) s.append(rem == 1 ? "==" : "=");
  }
  return s;
}
/// Base64url without padding (JOSE / DARE style).
inline std::string encode_url(byte_view b) { return encode(b, alphabet::url, false); }

/// Decoding options.
struct decode_options {
  alphabet abc = alphabet::standard;
  bool skip_whitespace = false;  ///< RFC 8951: ignore CR, LF, space, tab anywhere
  bool padding_optional = true;  ///< accept input without '=' padding
  bool allow_nonzero_tail = false;  ///< accept non-zero unused bits in the last character
};

/// Decode. Rejects characters outside the alphabet, misplaced or excess '=', a lone
/// final character, trailing garbage after padding, and (unless allowed) non-zero
/// unused bits.
inline result<bytes> decode(std::string_view s, const decode_options& o = {}) {
  bytes out;
  out.reserve(s.size() / 4 * 3 + 3);
  unsigned acc = 0;
  int n = 0;           // characters in the current quantum
  int pads = 0;        // '=' seen
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (o.skip_whitespace && detail::is_space(c)) continue;
    if (c == '=') {
      if (n < 2) return fail(errc::malformed, "misplaced '=' at offset " + std::to_string(i));
      ++pads; ++n;
      if (n == 4) { n = 0; }
      if (pads > 2) return fail(errc::malformed, "too much padding");
      continue;
    }
    if (pads) return fail(errc::malformed, "data after padding at offset " + std::to_string(i));
    const int v = detail::value_of(c, o.abc);
    if (v < 0) return fail(errc::malformed, "invalid Base64 character at offset " + std::to_string(i));
    acc = (acc << 6) | unsigned(v);
    ++n;
    if (n == 4) {
      out.push_back(std::uint8_t(acc >> 16)); out.push_back(std::uint8_t(acc >> 8)); out.push_back(std::uint8_t(acc));
      acc = 0; n = 0;
    }
  }
  if (pads) {
    if (n != 0) return fail(errc::malformed, "incomplete padding");
    n = 4 - pads;  // acc holds the final quantum's data sextets ('=' added none)
  } else if (n == 1) {
    return fail(errc::truncated, "a lone final Base64 character");
  } else if (n > 0 && !o.padding_optional) {
    return fail(errc::malformed, "missing '=' padding");
  }
  if (n == 2 || n == 3) {
    const int unused = n == 2 ? 4 : 2;
    if (!o.allow_nonzero_tail && (acc & ((1u << unused) - 1)))
      return fail(errc::malformed, "non-zero unused bits in the final Base64 character");
    acc >>= unused;
    if (n == 2) out.push_back(std::uint8_t(acc));
    else { out.push_back(std::uint8_t(acc >> 8)); out.push_back(std::uint8_t(acc)); }
  }
  return out;
}

/// Base64url, padding optional.
inline result<bytes> decode_url(std::string_view s) {
  return decode(s, {.abc = alphabet::url, .skip_whitespace = false, .padding_optional = true});
}

/// The RFC 8951 tolerant decoder (EST responses): standard alphabet with '=' padding,
/// CR/LF/space/tab skipped anywhere, everything else (trailing garbage included)
/// rejected. `padding_optional` is the opt-in leniency for unpadded bodies.
inline result<bytes> decode_rfc8951(std::string_view s, bool padding_optional = false) {
  return decode(s, {.abc = alphabet::standard, .skip_whitespace = true, .padding_optional = padding_optional});
}

/// Streaming base64url encoder (no padding): update() any number of times, then finish().
class url_stream_encoder {
 public:
  void update(byte_view in, std::string& out) {
    while (n_ && n_ < 3 && !in.empty()) { carry_[n_++] = in[0]; in = in.subspan(1); }
    if (n_ == 3) { put(carry_, 3, out); n_ = 0; }
    const std::size_t whole = in.size() / 3 * 3;
    put(in.data(), whole, out);
    for (std::size_t i = whole; i < in.size(); ++i) carry_[n_++] = in[i];
  }
  void finish(std::string& out) { out += encode_url(byte_view(carry_, n_)); n_ = 0; }
 private:
  // n a multiple of 3: table-driven, straight into the string's storage.
  static void put(const std::uint8_t* p, std::size_t n, std::string& out) {
    static constexpr char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const std::size_t at = out.size();
    out.resize(at + n / 3 * 4);
    char* o = out.data() + at;
    for (std::size_t i = 0; i < n; i += 3, o += 4) {
      const std::uint32_t v = std::uint32_t(p[i]) << 16 | std::uint32_t(p[i + 1]) << 8 | p[i + 2];
      o[0] = t[v >> 18]; o[1] = t[(v >> 12) & 63]; o[2] = t[(v >> 6) & 63]; o[3] = t[v & 63];
    }
  }
  std::uint8_t carry_[3] = {};
  std::size_t n_ = 0;
};
/// Streaming base64url decoder for the body of a JSON string: whitespace (the
/// reference's wrapped lines) is skipped and a '"' ends the data.
class url_stream_decoder {
 public:
  /// Feed characters; returns the index of the closing quote, or npos.
  result<std::size_t> update(byte_view in, bytes& out) {
    static constexpr auto table = [] {
      std::array<std::int8_t, 256> t{};
      for (auto& x : t) x = -1;
      const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      for (int i = 0; i < 64; ++i) t[std::uint8_t(a[i])] = std::int8_t(i);
      t[' '] = t['\n'] = t['\r'] = t['\t'] = -2;  // skipped
      t['"'] = -3;                                 // end of string
      return t;
    }();
    const std::size_t at = out.size();
    out.resize(at + in.size() / 4 * 3 + 3);
    std::uint8_t* o = out.data() + at;
    std::size_t i = 0;
    std::size_t result_pos = std::size_t(-1);
    const std::uint8_t* p = in.data();
    const std::size_t n = in.size();
    while (i < n) {
      // fast path: whole quanta of four alphabet characters
      if (n_ == 0) {
        while (i + 4 <= n) {
          const int a = table[p[i]], b = table[p[i + 1]], c = table[p[i + 2]], d = table[p[i + 3]];
          if ((a | b | c | d) < 0) break;
          const std::uint32_t v = std::uint32_t(a) << 18 | std::uint32_t(b) << 12 | std::uint32_t(c) << 6 | std::uint32_t(d);
          o[0] = std::uint8_t(v >> 16); o[1] = std::uint8_t(v >> 8); o[2] = std::uint8_t(v);
          o += 3;
          i += 4;
        }
        if (i >= n) break;
      }
      const int v = table[p[i]];
      if (v == -3) { result_pos = i; break; }
      ++i;
      if (v == -2) continue;
      if (v < 0) { out.resize(at); return fail(errc::malformed, "invalid base64url character in the payload"); }
      acc_ = (acc_ << 6) | unsigned(v);
      if (++n_ == 4) {
        o[0] = std::uint8_t(acc_ >> 16); o[1] = std::uint8_t(acc_ >> 8); o[2] = std::uint8_t(acc_);
        o += 3;
        acc_ = 0; n_ = 0;
      }
    }
    out.resize(std::size_t(o - out.data()));
    return result_pos;
  }
  result<void> finish(bytes& out) {
    if (n_ == 1) return fail(errc::malformed, "bad base64url payload length");
    if (n_ == 2) { if (acc_ & 15) return fail(errc::malformed, "non-zero base64url tail"); out.push_back(std::uint8_t(acc_ >> 4)); }
    if (n_ == 3) { if (acc_ & 3) return fail(errc::malformed, "non-zero base64url tail"); out.push_back(std::uint8_t(acc_ >> 10)); out.push_back(std::uint8_t(acc_ >> 2)); }
    n_ = 0;
    return ok();
  }
 private:
  unsigned acc_ = 0;
  int n_ = 0;
};

}  // namespace darekit::base64
