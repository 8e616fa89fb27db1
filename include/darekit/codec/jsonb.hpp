// JSON-B and JSON-C (draft-hallambaker-jsonbcd, as the DARE reference uses them):
// a reader for the "B1/C1" superset (JSON text and binary tokens mixed, optional
// commas, property names as "name":, B4..B7 tag strings or 80..87 strings, chunked
// strings and binaries, integers of every width, binary floats, C0..C2 dictionary
// references) and a writer that emits the reference-compatible form (B4 names,
// 80 strings with UTF-8 byte lengths, 88 binaries, A0..AB integers, 92 doubles,
// B0..B2 literals, ASCII brackets, no commas).
//
// Every reader enforces json::limits (depth, string length, value count, document
// bytes) and reads long values incrementally, so a hostile length costs nothing
// until the bytes actually arrive.
#pragma once
#include <bit>
#include <charconv>
#include <cstring>
#include <string>
#include <vector>

#include "darekit/codec/detail/jsonb_input.hpp"
#include "darekit/codec/json.hpp"

namespace darekit::jsonb {

/// Tag bytes (draft-hallambaker-jsonbcd §5, plus the reference's B4 tag strings).
namespace tag {
inline constexpr std::uint8_t string_term = 0x80, string_chunk = 0x84, data_term = 0x88, data_chunk = 0x8C;
inline constexpr std::uint8_t float16 = 0x90, float32 = 0x91, float64 = 0x92;
inline constexpr std::uint8_t pint = 0xA0, nint = 0xA8;
inline constexpr std::uint8_t true_ = 0xB0, false_ = 0xB1, null_ = 0xB2, tag_string = 0xB4;
inline constexpr std::uint8_t ctag = 0xC0;
}  // namespace tag

/// A JSON-C dictionary: code i stands for entries[i].
using dictionary = std::vector<std::string>;

/// Reader options.
struct read_options {
  json::limits lim{};
  const dictionary* dict = nullptr;  ///< enables C0..C2 references
  /// Strict RFC 8259 text for fixed schemas (key files, DIMs): no JSON-B/JSON-C tokens,
  /// commas required, no raw line breaks inside strings, and integers beyond 64 bits are
  /// errc::too_large instead of doubles.
  bool strict_text = false;
};

/// A streaming lexer/parser over an `input`. Use value() for whole values, or the
/// token helpers to walk a structure (the DARE envelope decoder streams its body).
class reader {
 public:
  explicit reader(input& in, read_options o = {}) : in_(in), o_(o) {}

  /// Skip JSON whitespace (space, tab, CR, LF).
  void skip_ws() {
    for (int c = in_.peek(); c == ' ' || c == '\t' || c == '\r' || c == '\n'; c = in_.peek()) in_.get();
  }
  /// Next significant byte (after whitespace), or -1 at end.
  int peek() { skip_ws(); return in_.peek(); }
  /// If the next significant byte is `c`, consume it.
  bool accept(char c) {
    if (peek() != static_cast<unsigned char>(c)) return false;
    in_.get();
    return true;
  }
  /// Require the byte `c`.
  result<void> expect(char c) {
    const int p = peek();
    if (p < 0) return in_.end_error();
    if (p != static_cast<unsigned char>(c))
      return fail(errc::malformed, std::string("expected '") + c + "' at byte " + std::to_string(in_.position()));
    in_.get();
    return ok();
  }

  /// Read one complete value.
  result<json::value> value() { return parse_value(0); }

  /// Read a property name in any accepted form: `"name":`, B4..B7 tag string,
  /// 80..87 string (optionally followed by ':'), or a C0..C2 dictionary code.
  result<std::string> name() {
    const int c = peek();
    if (c < 0) return in_.end_error();
    std::string s;
    if (c == '"') {
      in_.get();
      DAREKIT_CHECK(text_string(s));
      DAREKIT_CHECK(expect(':'));
      return s;
    }
    if (o_.strict_text) return not_text();
    if (c >= tag::tag_string && c <= tag::tag_string + 3) {
      in_.get();
      DAREKIT_TRY(auto n, length(std::uint8_t(c)));
      DAREKIT_CHECK(read_into(s, n));
      if (!utf8::valid(s)) return fail(errc::malformed, "property name is not UTF-8");
      (void)accept(':');
      return s;
    }
    if (c >= tag::string_term && c <= tag::string_chunk + 3) {
      DAREKIT_CHECK(binary_string(s));
      (void)accept(':');
      return s;
    }
    if (c >= tag::ctag && c <= tag::ctag + 2) {
      DAREKIT_TRY(s, dictionary_ref());
      (void)accept(':');
      return s;
    }
    return fail(errc::malformed, "expected a property name at byte " + std::to_string(in_.position()));
  }

  /// Header of one binary chunk (88..8F): its length and whether it is the last one.
  struct chunk_header { std::uint64_t length; bool final; };
  /// Read a binary chunk tag and length. The caller then reads `length` bytes from input().
  result<chunk_header> binary_chunk() {
    const int c = peek();
    if (c < 0) return in_.end_error();
    if (c < tag::data_term || c > tag::data_chunk + 3) return fail(errc::malformed, "expected JSON-B binary data");
    in_.get();
    DAREKIT_TRY(auto n, length(std::uint8_t(c)));
    return chunk_header{n, c < tag::data_chunk};
  }

  /// The underlying input (for bulk payload reads).
  input& source() noexcept { return in_; }
  const read_options& options() const noexcept { return o_; }

 private:
  result<json::value> parse_value(std::size_t depth) {
    if (++items_ > o_.lim.max_items) return fail(errc::too_large, "too many values");
    if (in_.position() - start_ > o_.lim.max_bytes) return fail(errc::too_large, "document too large");
    const int c = peek();
    if (c < 0) return in_.end_error();
    switch (c) {
      case '{': return parse_object(depth);
      case '[': return parse_array(depth);
      case '"': { in_.get(); std::string s; DAREKIT_CHECK(text_string(s)); return json::value(std::move(s)); }
      case 't': DAREKIT_CHECK(literal("true")); return json::value(true);
      case 'f': DAREKIT_CHECK(literal("false")); return json::value(false);
      case 'n': DAREKIT_CHECK(literal("null")); return json::value(nullptr);
      default: break;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return text_number();
    if (o_.strict_text) return not_text();
    const auto t = std::uint8_t(c);
    if (t >= tag::string_term && t <= tag::string_chunk + 3) {
      std::string s;
      DAREKIT_CHECK(binary_string(s));
      return json::value(std::move(s));
    }
    if (t >= tag::data_term && t <= tag::data_chunk + 3) {
      bytes b;
      DAREKIT_CHECK(binary_data(b));
      return json::value(std::move(b));
    }
    in_.get();
    if ((t >= tag::pint && t <= tag::pint + 3) || (t >= tag::nint && t <= tag::nint + 3)) {
      const std::size_t w = std::size_t(1) << (t & 3);
      std::uint8_t b[8];
      DAREKIT_CHECK(in_.read(byte_span(b, w)));
      std::uint64_t m = 0;
      for (std::size_t i = 0; i < w; ++i) m = (m << 8) | b[i];
      const bool neg = t >= tag::nint && m != 0;
      return json::value(json::integer{neg, m});
    }
    if (t == tag::float64 || t == tag::float32 || t == tag::float16) {
      const std::size_t w = t == tag::float64 ? 8 : t == tag::float32 ? 4 : 2;
      std::uint8_t b[8];
      DAREKIT_CHECK(in_.read(byte_span(b, w)));
      if (w == 8) return json::value(std::bit_cast<double>(load_be64(b)));
      if (w == 4) return json::value(double(std::bit_cast<float>(load_be32(b))));
      return json::value(half_to_double(std::uint16_t(b[0] << 8 | b[1])));
    }
    if (t == tag::true_) return json::value(true);
    if (t == tag::false_) return json::value(false);
    if (t == tag::null_) return json::value(nullptr);
    if (t >= tag::ctag && t <= tag::ctag + 2) {
      DAREKIT_TRY(auto s, dictionary_ref_after_tag(t));
      return json::value(std::move(s));
    }
    if (t >= 0xA4 && t <= 0xAF) return fail(errc::unsupported, "JSON-B bignum / JSON-D integer not supported");
    if (t >= 0xC4 && t <= 0xD0) return fail(errc::unsupported, "JSON-C definitions are not supported");
    return fail(errc::malformed, "unexpected byte 0x" + hexbyte(t) + " at byte " + std::to_string(in_.position() - 1));
  }

  result<json::value> parse_object(std::size_t depth) {
    if (depth + 1 > o_.lim.max_depth) return fail(errc::too_large, "nesting too deep");
    in_.get();  // '{'
    json::object o;
    if (accept('}')) return json::value(std::move(o));
    for (;;) {
      DAREKIT_TRY(auto k, name());
      DAREKIT_TRY(auto v, parse_value(depth + 1));
      o.emplace_back(std::move(k), std::move(v));
      if (accept('}')) return finish_object(std::move(o));
      DAREKIT_CHECK(separator('}'));
    }
  }

  static result<json::value> finish_object(json::object o) {
    if (const std::string* d = json::detail::duplicate_member(o))
      return fail(errc::malformed, "duplicate member \"" + *d + "\"");
    return json::value(std::move(o));
  }

  result<json::value> parse_array(std::size_t depth) {
    if (depth + 1 > o_.lim.max_depth) return fail(errc::too_large, "nesting too deep");
    in_.get();  // '['
    json::array a;
    if (accept(']')) return json::value(std::move(a));
    for (;;) {
      DAREKIT_TRY(auto v, parse_value(depth + 1));
      a.push_back(std::move(v));
      if (accept(']')) return json::value(std::move(a));
      DAREKIT_CHECK(separator(']'));
    }
  }

  // Between members or items: an optional comma (a required one in strict text), never
  // before the closing bracket.
  result<void> separator(char close) {
    const bool comma = accept(',');
    if (comma && peek() == static_cast<unsigned char>(close)) return fail(errc::malformed, "trailing comma");
    if (peek() < 0) return in_.end_error();
    if (!comma && o_.strict_text) return fail(errc::malformed, std::string("expected ',' or '") + close + "' at byte " + std::to_string(in_.position()));
    return ok();
  }
  error not_text() const { return fail(errc::malformed, "not JSON text at byte " + std::to_string(in_.position())); }

  result<void> literal(std::string_view w) {
    for (char ch : w) {
      const int c = in_.get();
      if (c < 0) return in_.end_error();
      if (c != static_cast<unsigned char>(ch)) return fail(errc::malformed, "bad literal");
    }
    return ok();
  }

  result<json::value> text_number() {
    std::string s;
    auto digits = [&]() -> std::size_t {
      std::size_t n = 0;
      for (int c = in_.peek(); c >= '0' && c <= '9' && s.size() < 512; c = in_.peek()) { s += char(in_.get()); ++n; }
      return n;
    };
    bool is_int = true;
    if (in_.peek() == '-') s += char(in_.get());
    const std::size_t lead = s.size();
    const std::size_t nd = digits();
    if (nd == 0) return fail(errc::malformed, "bad number");
    if (nd > 1 && s[lead] == '0') return fail(errc::malformed, "leading zero in number");
    if (in_.peek() == '.') {
      s += char(in_.get());
      is_int = false;
      if (digits() == 0) return fail(errc::malformed, "bad number fraction");
    }
    if (in_.peek() == 'e' || in_.peek() == 'E') {
      s += char(in_.get());
      is_int = false;
      if (in_.peek() == '+' || in_.peek() == '-') s += char(in_.get());
      if (digits() == 0) return fail(errc::malformed, "bad number exponent");
    }
    if (s.size() >= 512) return fail(errc::too_large, "number too long");
    if (is_int) {
      std::uint64_t m = 0;
      auto r = std::from_chars(s.data() + lead, s.data() + s.size(), m);
      if (r.ec == std::errc{} && r.ptr == s.data() + s.size()) return json::value(json::integer{lead == 1 && m != 0, m});
      if (o_.strict_text) return fail(errc::too_large, "integer beyond 64 bits");
    }
    double d = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec != std::errc{} && r.ec != std::errc::result_out_of_range) return fail(errc::malformed, "bad number");
    return json::value(d);
  }

  static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  result<unsigned> hex4() {
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = hexval(in_.get());
      if (h < 0) return fail(errc::malformed, "bad \\u escape");
      v = v << 4 | unsigned(h);
    }
    return v;
  }
  static void put_utf8(std::string& s, unsigned cp) {
    if (cp < 0x80) s += char(cp);
    else if (cp < 0x800) { s += char(0xC0 | cp >> 6); s += char(0x80 | (cp & 63)); }
    else if (cp < 0x10000) { s += char(0xE0 | cp >> 12); s += char(0x80 | (cp >> 6 & 63)); s += char(0x80 | (cp & 63)); }
    else { s += char(0xF0 | cp >> 18); s += char(0x80 | (cp >> 12 & 63)); s += char(0x80 | (cp >> 6 & 63)); s += char(0x80 | (cp & 63)); }
  }

  // JSON text string after the opening quote. Raw CR/LF (and the spaces after a
  // raw LF) are dropped: the reference wraps long base64 strings that way.
  result<void> text_string(std::string& s) {
    for (;;) {
      if (s.size() > o_.lim.max_string) return fail(errc::too_large, "string too long");
      const int c = in_.get();
      if (c < 0) return in_.end_error();
      if (c == '"') break;
      if (c == '\\') {
        const int e = in_.get();
        switch (e) {
          case '"': s += '"'; break;
          case '\\': s += '\\'; break;
          case '/': s += '/'; break;
          case 'b': s += '\b'; break;
          case 'f': s += '\f'; break;
          case 'n': s += '\n'; break;
          case 'r': s += '\r'; break;
          case 't': s += '\t'; break;
          case 'u': {
            DAREKIT_TRY(unsigned cp, hex4());
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              if (in_.get() != '\\' || in_.get() != 'u') return fail(errc::malformed, "unpaired surrogate");
              DAREKIT_TRY(unsigned lo, hex4());
              if (lo < 0xDC00 || lo > 0xDFFF) return fail(errc::malformed, "unpaired surrogate");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              return fail(errc::malformed, "unpaired surrogate");
            }
            put_utf8(s, cp);
            break;
          }
          default: return e < 0 ? in_.end_error() : fail(errc::malformed, "bad escape in string");
        }
        continue;
      }
      if (c == '\n' && !o_.strict_text) { while (in_.peek() == ' ') in_.get(); continue; }
      if (c == '\r' && !o_.strict_text) continue;
      if (c < 0x20) return fail(errc::malformed, "control character in string");
      s += char(c);
    }
    if (!utf8::valid(s)) return fail(errc::malformed, "string is not UTF-8");
    return ok();
  }

  result<std::uint64_t> length(std::uint8_t t) {
    const std::size_t w = std::size_t(1) << (t & 3);
    std::uint8_t b[8];
    DAREKIT_CHECK(in_.read(byte_span(b, w)));
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < w; ++i) n = (n << 8) | b[i];
    return n;
  }

  // Append n bytes to a string/vector, growing as the bytes arrive.
  template <class C>
  result<void> read_into(C& out, std::uint64_t n) {
    if (n > o_.lim.max_string || out.size() + n > o_.lim.max_string) return fail(errc::too_large, "value too long");
    std::size_t left = std::size_t(n);
    while (left) {
      auto a = in_.available();
      if (a.empty()) return in_.end_error();
      const std::size_t k = std::min(left, a.size());
      out.insert(out.end(), a.begin(), a.begin() + std::ptrdiff_t(k));
      in_.consume(k);
      left -= k;
    }
    return ok();
  }

  // 80..87 chunks of a string.
  result<void> binary_string(std::string& s) {
    for (;;) {
      const int c = in_.get();
      if (c < 0) return in_.end_error();
      if (c < tag::string_term || c > tag::string_chunk + 3) return fail(errc::malformed, "bad string chunk");
      DAREKIT_TRY(auto n, length(std::uint8_t(c)));
      DAREKIT_CHECK(read_into(s, n));
      if (c < tag::string_chunk) break;
      if (++items_ > o_.lim.max_items) return fail(errc::too_large, "too many chunks");
    }
    if (!utf8::valid(s)) return fail(errc::malformed, "string is not UTF-8");
    return ok();
  }

  // 88..8F chunks of binary data.
  result<void> binary_data(bytes& b) {
    for (;;) {
      const int c = in_.get();
      if (c < 0) return in_.end_error();
      if (c < tag::data_term || c > tag::data_chunk + 3) return fail(errc::malformed, "bad binary chunk");
      DAREKIT_TRY(auto n, length(std::uint8_t(c)));
      DAREKIT_CHECK(read_into(b, n));
      if (c < tag::data_chunk) return ok();
      if (++items_ > o_.lim.max_items) return fail(errc::too_large, "too many chunks");
    }
  }

  result<std::string> dictionary_ref() {
    const int c = in_.get();
    return dictionary_ref_after_tag(std::uint8_t(c));
  }
  result<std::string> dictionary_ref_after_tag(std::uint8_t t) {
    const std::size_t w = std::size_t(1) << (t & 3);
    std::uint8_t b[4];
    DAREKIT_CHECK(in_.read(byte_span(b, w)));
    std::uint64_t code = 0;
    for (std::size_t i = 0; i < w; ++i) code = (code << 8) | b[i];
    if (!o_.dict) return fail(errc::unsupported, "JSON-C code without a dictionary");
    if (code >= o_.dict->size()) return fail(errc::malformed, "JSON-C code not in the dictionary");
    return (*o_.dict)[std::size_t(code)];
  }

  static double half_to_double(std::uint16_t h) {
    const int e = (h >> 10) & 31;
    const int m = h & 1023;
    double v = e == 0 ? std::ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : std::ldexp(m + 1024, e - 25);
    return (h & 0x8000) ? -v : v;
  }
  static std::string hexbyte(std::uint8_t b) {
    static constexpr char d[] = "0123456789abcdef";
    return {d[b >> 4], d[b & 15]};
  }

  input& in_;
  read_options o_;
  std::size_t items_ = 0;
  std::uint64_t start_ = in_.position();
};

/// Parse one complete document (JSON text, JSON-B, JSON-C or a mix); only
/// whitespace may follow it.
inline result<json::value> parse(byte_view doc, const read_options& o = {}) {
  if (doc.size() > o.lim.max_bytes) return fail(errc::too_large, "document too large");
  input in(doc);
  reader r(in, o);
  DAREKIT_TRY(auto v, r.value());
  if (r.peek() >= 0) return fail(errc::malformed, "trailing data after the document");
  return v;
}

// ---------------------------------------------------------------------------------
// Writer

/// Append a tag whose low two bits select a 1/2/4/8-byte big-endian length, picking
/// the shortest that holds `n` (base is 0x80, 0x84, 0x88, 0x8C or 0xB4).
inline void put_tag(bytes& out, std::uint8_t base, std::uint64_t n) {
  if (n < 0x100) { out.push_back(base); out.push_back(std::uint8_t(n)); }
  else if (n < 0x10000) { out.push_back(base | 1); out.push_back(std::uint8_t(n >> 8)); out.push_back(std::uint8_t(n)); }
  else if (n <= 0xFFFFFFFFull) { out.push_back(base | 2); std::uint8_t b[4]; store_be32(b, std::uint32_t(n)); out.insert(out.end(), b, b + 4); }
  else { out.push_back(base | 3); std::uint8_t b[8]; store_be64(b, n); out.insert(out.end(), b, b + 8); }
}
/// Length of the tag put_tag would write.
constexpr std::size_t tag_size(std::uint64_t n) noexcept {
  return n < 0x100 ? 2 : n < 0x10000 ? 3 : n <= 0xFFFFFFFFull ? 5 : 9;
}
/// A string value: 80+ll, UTF-8 byte length.
inline void put_string(bytes& out, std::string_view s) { put_tag(out, tag::string_term, s.size()); append(out, as_bytes(s)); }
/// A binary value: 88+ll.
inline void put_binary(bytes& out, byte_view b) { put_tag(out, tag::data_term, b.size()); append(out, b); }
/// An integer: A0+ll (positive) or A8+ll (negative magnitude), shortest width.
inline void put_integer(bytes& out, json::integer i) {
  const std::uint8_t base = i.negative && i.magnitude ? tag::nint : tag::pint;
  const std::uint64_t m = i.magnitude;
  const int w = m < 0x100 ? 1 : m < 0x10000 ? 2 : m <= 0xFFFFFFFFull ? 4 : 8;
  out.push_back(std::uint8_t(base | (w == 1 ? 0 : w == 2 ? 1 : w == 4 ? 2 : 3)));
  for (int k = w - 1; k >= 0; --k) out.push_back(std::uint8_t(m >> (8 * k)));
}

namespace detail {
inline void put_name(bytes& out, std::string_view k, const dictionary* dict) {
  if (dict) {
    for (std::size_t i = 0; i < dict->size() && i < 0x10000; ++i)
      if ((*dict)[i] == k) {
        if (i < 0x100) { out.push_back(tag::ctag); out.push_back(std::uint8_t(i)); }
        else { out.push_back(tag::ctag | 1); out.push_back(std::uint8_t(i >> 8)); out.push_back(std::uint8_t(i)); }
        return;
      }
  }
  put_tag(out, tag::tag_string, k.size());
  append(out, as_bytes(k));
}
inline void write_value(bytes& out, const json::value& v, const dictionary* dict) {
  switch (v.kind()) {
    case json::kind::null: out.push_back(tag::null_); break;
    case json::kind::boolean: out.push_back(v.as_bool() ? tag::true_ : tag::false_); break;
    case json::kind::integer: put_integer(out, v.as_integer()); break;
    case json::kind::number: {
      out.push_back(tag::float64);
      std::uint8_t b[8];
      store_be64(b, std::bit_cast<std::uint64_t>(v.as_double()));
      out.insert(out.end(), b, b + 8);
      break;
    }
    case json::kind::string: put_string(out, v.as_string()); break;
    case json::kind::binary: put_binary(out, v.as_binary()); break;
    case json::kind::array:
      out.push_back('[');
      for (const auto& e : v.as_array()) write_value(out, e, dict);
      out.push_back(']');
      break;
    case json::kind::object:
      out.push_back('{');
      for (const auto& [k, e] : v.as_object()) { put_name(out, k, dict); write_value(out, e, dict); }
      out.push_back('}');
      break;
  }
}
}  // namespace detail

/// Append the JSON-B encoding of `v` (JSON-C when `dict` is given: names found in
/// the dictionary become C0/C1 codes).
inline void write(bytes& out, const json::value& v, const dictionary* dict = nullptr) {
  detail::write_value(out, v, dict);
}
/// The JSON-B encoding of `v`.
inline bytes encode(const json::value& v, const dictionary* dict = nullptr) {
  bytes out;
  write(out, v, dict);
  return out;
}

}  // namespace darekit::jsonb
