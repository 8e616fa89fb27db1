// A small strict JSON reader for ckx's fixed schemas (DIM, key files): objects, arrays,
// strings without escapes, non-negative integers, true/false. Bounded depth, size and count;
// duplicate keys rejected. Not a general JSON parser.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "darekit/core/error.hpp"

namespace darekit::ckx::detail {

struct jvalue {
  enum class kind { object, array, string, number, boolean } k = kind::number;
  std::string str;                                   // string
  std::uint64_t num = 0;                             // number
  bool b = false;                                    // boolean
  std::vector<std::string> keys;                     // object keys, in order ...
  std::vector<jvalue> items;                         // ... and their values; or the array items
  [[nodiscard]] const jvalue* find(std::string_view key) const {
    if (k != kind::object) return nullptr;
    for (std::size_t i = 0; i < keys.size(); ++i) if (keys[i] == key) return &items[i];
    return nullptr;
  }
};

class jparser {
 public:
  explicit jparser(std::string_view s, std::size_t max_values = 256, int max_depth = 4) : s_(s), budget_(max_values), max_depth_(max_depth) {}
  result<jvalue> parse() {
    DAREKIT_TRY(auto v, value(0));
    ws();
    if (p_ != s_.size()) return err("trailing characters after JSON value");
    return v;
  }

 private:
  error err(const std::string& m) const { return fail(errc::malformed, "JSON: " + m + " at offset " + std::to_string(p_)); }
  void ws() { while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r')) ++p_; }
  bool lit(std::string_view w) { if (s_.substr(p_, w.size()) == w) { p_ += w.size(); return true; } return false; }
  result<std::string> string() {
    if (p_ >= s_.size() || s_[p_] != '"') return err("expected string");
    ++p_;
    const std::size_t start = p_;
    while (p_ < s_.size() && s_[p_] != '"') {
      const unsigned char c = static_cast<unsigned char>(s_[p_]);
      if (c < 0x20 || c >= 0x7f) return err("control or non-ASCII character in string");
      if (c == '\\') return err("escape sequences are not used in this schema");
      ++p_;
    }
    if (p_ >= s_.size()) return fail(errc::truncated, "JSON: unterminated string");
    std::string out(s_.substr(start, p_ - start));
    ++p_;
    return out;
  }
  result<jvalue> value(int depth) {
    if (budget_-- == 0) return fail(errc::too_large, "JSON: too many values");
    if (depth > max_depth_) return fail(errc::too_large, "JSON: nesting too deep");
    ws();
    if (p_ >= s_.size()) return fail(errc::truncated, "JSON: unexpected end");
    jvalue v;
    const char c = s_[p_];
    if (c == '{') {
      v.k = jvalue::kind::object;
      ++p_; ws();
      if (p_ < s_.size() && s_[p_] == '}') { ++p_; return v; }
      for (;;) {
        ws();
        DAREKIT_TRY(auto key, string());
        if (v.find(key)) return err("duplicate key \"" + key + "\"");
        ws();
        if (p_ >= s_.size() || s_[p_] != ':') return err("expected ':'");
        ++p_;
        DAREKIT_TRY(auto m, value(depth + 1));
        v.keys.push_back(std::move(key));
        v.items.push_back(std::move(m));
        ws();
        if (p_ < s_.size() && s_[p_] == ',') { ++p_; continue; }
        if (p_ < s_.size() && s_[p_] == '}') { ++p_; return v; }
        return err("expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.k = jvalue::kind::array;
      ++p_; ws();
      if (p_ < s_.size() && s_[p_] == ']') { ++p_; return v; }
      for (;;) {
        DAREKIT_TRY(auto m, value(depth + 1));
        v.items.push_back(std::move(m));
        ws();
        if (p_ < s_.size() && s_[p_] == ',') { ++p_; continue; }
        if (p_ < s_.size() && s_[p_] == ']') { ++p_; return v; }
        return err("expected ',' or ']'");
      }
    }
    if (c == '"') { v.k = jvalue::kind::string; DAREKIT_TRY(v.str, string()); return v; }
    if (lit("true")) { v.k = jvalue::kind::boolean; v.b = true; return v; }
    if (lit("false")) { v.k = jvalue::kind::boolean; v.b = false; return v; }
    if (c >= '0' && c <= '9') {
      v.k = jvalue::kind::number;
      if (c == '0' && p_ + 1 < s_.size() && s_[p_ + 1] >= '0' && s_[p_ + 1] <= '9') return err("leading zero");
      std::uint64_t n = 0;
      while (p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9') {
        const unsigned d = unsigned(s_[p_] - '0');
        if (n > (UINT64_MAX - d) / 10) return fail(errc::too_large, "JSON: integer exceeds 64 bits");
        n = n * 10 + d;
        ++p_;
      }
      if (p_ < s_.size() && (s_[p_] == '.' || s_[p_] == 'e' || s_[p_] == 'E')) return err("only integers are used in this schema");
      v.num = n;
      return v;
    }
    return err("unexpected character");
  }
  std::string_view s_;
  std::size_t p_ = 0, budget_;
  int max_depth_;
};

}  // namespace darekit::ckx::detail
