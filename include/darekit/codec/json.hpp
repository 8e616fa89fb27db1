// A small JSON value model shared by the JSON text and JSON-B/JSON-C codecs, and a
// writer that produces strict, compact RFC 8259 JSON.
//
// The model keeps what both encodings can carry: null, booleans, integers of up to
// 64 bits of magnitude (either sign), doubles, UTF-8 strings, binary data (a JSON-B
// `88` value; base64url without padding in JSON text), arrays and objects. Objects
// keep their members in order, so documents round-trip with unknown members intact.
#pragma once
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "darekit/codec/base64.hpp"
#include "darekit/codec/utf8.hpp"
#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"

namespace darekit::json {

class value;
/// An array: values in order.
using array = std::vector<value>;
/// An object: members in document order (names are unique after parsing).
using object = std::vector<std::pair<std::string, value>>;

/// An integer carried as sign and 64-bit magnitude (JSON-B p-int64 / n-int64).
struct integer {
  bool negative = false;
  std::uint64_t magnitude = 0;
  friend bool operator==(const integer&, const integer&) = default;
};

/// The kinds of value.
enum class kind { null, boolean, integer, number, string, binary, array, object };

/// One JSON / JSON-B value.
class value {
 public:
  value() = default;
  value(std::nullptr_t) {}                                          // NOLINT implicit
  value(bool b) : v_(b) {}                                          // NOLINT implicit
  value(int i) : value(std::int64_t(i)) {}                          // NOLINT implicit
  value(std::int64_t i) : v_(integer{i < 0, i < 0 ? std::uint64_t(0) - std::uint64_t(i) : std::uint64_t(i)}) {}  // NOLINT
  value(std::uint64_t u) : v_(integer{false, u}) {}                 // NOLINT implicit
  value(integer i) : v_(i) {}                                       // NOLINT implicit
  value(double d) : v_(d) {}                                        // NOLINT implicit
  value(std::string s) : v_(std::move(s)) {}                        // NOLINT implicit
  value(std::string_view s) : v_(std::string(s)) {}                 // NOLINT implicit
  value(const char* s) : v_(std::string(s)) {}                      // NOLINT implicit
  value(bytes b) : v_(std::move(b)) {}                              // NOLINT implicit
  value(array a) : v_(std::move(a)) {}                              // NOLINT implicit
  value(object o) : v_(std::move(o)) {}                             // NOLINT implicit

  [[nodiscard]] json::kind kind() const noexcept { return static_cast<json::kind>(v_.index()); }
  [[nodiscard]] bool is_null() const noexcept { return kind() == kind::null; }
  [[nodiscard]] bool is_bool() const noexcept { return kind() == kind::boolean; }
  [[nodiscard]] bool is_integer() const noexcept { return kind() == kind::integer; }
  [[nodiscard]] bool is_number() const noexcept { return kind() == kind::number; }
  [[nodiscard]] bool is_string() const noexcept { return kind() == kind::string; }
  [[nodiscard]] bool is_binary() const noexcept { return kind() == kind::binary; }
  [[nodiscard]] bool is_array() const noexcept { return kind() == kind::array; }
  [[nodiscard]] bool is_object() const noexcept { return kind() == kind::object; }

  // Unchecked accessors (call only after checking the kind).
  [[nodiscard]] bool as_bool() const { return std::get<bool>(v_); }
  [[nodiscard]] const integer& as_integer() const { return std::get<integer>(v_); }
  [[nodiscard]] double as_double() const { return std::get<double>(v_); }
  [[nodiscard]] const std::string& as_string() const { return std::get<std::string>(v_); }
  [[nodiscard]] const bytes& as_binary() const { return std::get<bytes>(v_); }
  [[nodiscard]] const array& as_array() const { return std::get<array>(v_); }
  [[nodiscard]] array& as_array() { return std::get<array>(v_); }
  [[nodiscard]] const object& as_object() const { return std::get<object>(v_); }
  [[nodiscard]] object& as_object() { return std::get<object>(v_); }

  /// A signed 64-bit integer, if this is an integer that fits.
  [[nodiscard]] std::optional<std::int64_t> to_int64() const {
    if (!is_integer()) return std::nullopt;
    const auto& i = as_integer();
    if (!i.negative) return i.magnitude <= std::uint64_t(INT64_MAX) ? std::optional<std::int64_t>(std::int64_t(i.magnitude)) : std::nullopt;
    if (i.magnitude <= std::uint64_t(INT64_MAX)) return -std::int64_t(i.magnitude);
    if (i.magnitude == std::uint64_t(INT64_MAX) + 1) return INT64_MIN;
    return std::nullopt;
  }

  /// Bytes of a binary value, or of a string holding base64url (the JSON text form
  /// of binary data). Whitespace inside the string is ignored (reference line wrapping).
  [[nodiscard]] result<bytes> to_bytes() const {
    if (is_binary()) return as_binary();
    if (is_string())
      return base64::decode(as_string(), {.abc = base64::alphabet::url, .skip_whitespace = true, .padding_optional = true});
    return fail(errc::malformed, "expected binary data or a base64url string");
  }

  /// The member `name` of an object, or nullptr.
  [[nodiscard]] const value* find(std::string_view name) const {
    if (!is_object()) return nullptr;
    for (const auto& [k, v] : as_object()) if (k == name) return &v;
    return nullptr;
  }
  [[nodiscard]] value* find(std::string_view name) {
    if (!is_object()) return nullptr;
    for (auto& [k, v] : as_object()) if (k == name) return &v;
    return nullptr;
  }
  /// Set (replace or append) the member `name` of an object. No-op on non-objects.
  void set(std::string_view name, value v) {
    if (!is_object()) return;
    if (auto* p = find(name)) { *p = std::move(v); return; }
    as_object().emplace_back(std::string(name), std::move(v));
  }
  /// Remove the member `name`; true if it was present.
  bool erase(std::string_view name) {
    if (!is_object()) return false;
    auto& o = as_object();
    for (auto it = o.begin(); it != o.end(); ++it)
      if (it->first == name) { o.erase(it); return true; }
    return false;
  }

  friend bool operator==(const value& a, const value& b) { return a.v_ == b.v_; }

 private:
  std::variant<std::monostate, bool, integer, double, std::string, bytes, array, object> v_;
};

/// Limits applied by every reader so that hostile input cannot exhaust memory or stack.
struct limits {
  std::size_t max_depth = 64;              ///< nesting of arrays/objects
  std::size_t max_string = std::size_t(1) << 26;  ///< bytes in one string or binary value (after chunk assembly)
  std::size_t max_items = std::size_t(1) << 20;   ///< values in one document
  std::size_t max_bytes = std::size_t(1) << 28;   ///< total input bytes of one document
};

namespace detail {

/// A member name that occurs more than once in `o`, or nullptr. O(n log n): names are
/// sorted through an index (small objects are compared pairwise), so hostile documents
/// with many members cost no more than their size (the readers check every object).
inline const std::string* duplicate_member(const object& o) {
  const std::size_t n = o.size();
  if (n <= 8) {
    for (std::size_t i = 1; i < n; ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (o[i].first == o[j].first) return &o[i].first;
    return nullptr;
  }
  std::vector<const std::string*> names(n);
  for (std::size_t i = 0; i < n; ++i) names[i] = &o[i].first;
  std::sort(names.begin(), names.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  for (std::size_t i = 1; i < n; ++i)
    if (*names[i] == *names[i - 1]) return names[i];
  return nullptr;
}

inline void write_string(std::string& out, std::string_view s) {
  static constexpr char hexd[] = "0123456789abcdef";
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) { out += "\\u00"; out += hexd[c >> 4]; out += hexd[c & 15]; }
        else out += ch;
    }
  }
  out += '"';
}

inline void write_double(std::string& out, double d) {
  if (!std::isfinite(d)) { out += "null"; return; }  // JSON has no NaN/Inf
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  std::string_view s(buf, std::size_t(r.ptr - buf));
  out += s;
  // Keep the value a double when read back ("1" would come back as an integer).
  if (s.find_first_of(".eE") == std::string_view::npos && s.find_first_of("ni") == std::string_view::npos) out += ".0";
}

inline void write_value(std::string& out, const value& v) {
  switch (v.kind()) {
    case kind::null: out += "null"; break;
    case kind::boolean: out += v.as_bool() ? "true" : "false"; break;
    case kind::integer: {
      const auto& i = v.as_integer();
      if (i.negative && i.magnitude) out += '-';
      out += std::to_string(i.magnitude);
      break;
    }
    case kind::number: write_double(out, v.as_double()); break;
    case kind::string: write_string(out, v.as_string()); break;
    case kind::binary: out += '"'; out += base64::encode_url(v.as_binary()); out += '"'; break;
    case kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.as_array()) { if (!first) out += ','; first = false; write_value(out, e); }
      out += ']';
      break;
    }
    case kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, e] : v.as_object()) {
        if (!first) out += ',';
        first = false;
        write_string(out, k);
        out += ':';
        write_value(out, e);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace detail

/// Append the strict compact JSON text of `v` to `out` (binary values become
/// base64url strings without padding; non-finite doubles become null).
inline void write(std::string& out, const value& v) { detail::write_value(out, v); }

/// The strict compact JSON text of `v`.
inline std::string to_string(const value& v) {
  std::string s;
  write(s, v);
  return s;
}

}  // namespace darekit::json
