// Reading JSON text through simdjson into darekit's json::value model.
//
// simdjson accepts only strict RFC 8259 JSON. The DARE reference writes long base64url
// strings wrapped with a raw line feed plus indentation *inside* the string literal
// (simdjson issue #2287), so a normalisation pass first deletes raw CR, and raw LF
// together with the spaces that follow it, inside string literals. Everything else
// (escapes, numbers, structure) is validated by simdjson. Limits (depth, document
// size, value count, string length) apply as in the JSON-B reader.
#pragma once
#include <simdjson.h>

#include <string>
#include <string_view>

#include "darekit/codec/json.hpp"

namespace darekit::json {

namespace detail {

/// Copy `text`, dropping raw CR and raw LF (+ following spaces) inside string literals.
/// Returns false when the text ends inside a string.
inline bool normalise_wrapped_strings(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_string) {
      if (c == '"') in_string = true;
      out += c;
      continue;
    }
    if (c == '\\') {
      out += c;
      if (i + 1 < text.size()) out += text[++i];
      continue;
    }
    if (c == '"') { in_string = false; out += c; continue; }
    if (c == '\r') continue;
    if (c == '\n') { while (i + 1 < text.size() && text[i + 1] == ' ') ++i; continue; }
    out += c;
  }
  return !in_string;
}

inline result<value> from_simdjson(simdjson::dom::element e, std::size_t depth, const limits& lim, std::size_t& items) {
  using simdjson::dom::element_type;
  if (++items > lim.max_items) return fail(errc::too_large, "too many values");
  switch (e.type()) {
    case element_type::ARRAY: {
      if (depth + 1 > lim.max_depth) return fail(errc::too_large, "nesting too deep");
      array a;
      simdjson::dom::array arr;
      if (e.get_array().get(arr) != simdjson::SUCCESS) return fail(errc::malformed, "bad JSON array");
      for (auto child : arr) {
        DAREKIT_TRY(auto v, from_simdjson(child, depth + 1, lim, items));
        a.push_back(std::move(v));
      }
      return value(std::move(a));
    }
    case element_type::OBJECT: {
      if (depth + 1 > lim.max_depth) return fail(errc::too_large, "nesting too deep");
      object o;
      simdjson::dom::object obj;
      if (e.get_object().get(obj) != simdjson::SUCCESS) return fail(errc::malformed, "bad JSON object");
      for (auto field : obj) {
        std::string k(field.key);
        if (!utf8::valid(k)) return fail(errc::malformed, "member name is not UTF-8");
        DAREKIT_TRY(auto v, from_simdjson(field.value, depth + 1, lim, items));
        o.emplace_back(std::move(k), std::move(v));
      }
      if (const std::string* d = duplicate_member(o)) return fail(errc::malformed, "duplicate member \"" + *d + "\"");
      return value(std::move(o));
    }
    case element_type::INT64: {
      const std::int64_t i = e.get_int64().value_unsafe();
      return value(i);
    }
    case element_type::UINT64: return value(e.get_uint64().value_unsafe());
    case element_type::DOUBLE: return value(e.get_double().value_unsafe());
    case element_type::STRING: {
      std::string_view s = e.get_string().value_unsafe();
      if (s.size() > lim.max_string) return fail(errc::too_large, "string too long");
      return value(std::string(s));
    }
    case element_type::BOOL: return value(e.get_bool().value_unsafe());
    case element_type::NULL_VALUE: return value(nullptr);
  }
  return fail(errc::malformed, "unknown JSON element");
}

}  // namespace detail

/// Parse JSON text (strict JSON plus the reference's raw line breaks inside strings).
inline result<value> parse_text(std::string_view text, const limits& lim = {}) {
  if (text.size() > lim.max_bytes) return fail(errc::too_large, "document too large");
  std::string norm;
  if (!detail::normalise_wrapped_strings(text, norm)) return fail(errc::truncated, "JSON text ends inside a string");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(norm).get(root); err != simdjson::SUCCESS)
    return fail(err == simdjson::CAPACITY ? errc::too_large : errc::malformed,
                std::string("JSON: ") + simdjson::error_message(err));
  std::size_t items = 0;
  return detail::from_simdjson(root, 0, lim, items);
}

}  // namespace darekit::json
