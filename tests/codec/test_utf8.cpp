#include <catch2/catch.hpp>

#include <string>

#include "darekit/codec/utf8.hpp"

using namespace darekit;

TEST_CASE("utf8: RFC 3629 well-formed sequences and the offset of the first bad byte", "[codec][utf8]") {
  CHECK(utf8::valid(""));
  CHECK(utf8::valid("plain ASCII"));
  CHECK(utf8::valid("\xC2\x80"));                // U+0080, smallest 2-byte
  CHECK(utf8::valid("\xDF\xBF"));                // U+07FF
  CHECK(utf8::valid("\xE0\xA0\x80"));            // U+0800, smallest 3-byte
  CHECK(utf8::valid("\xED\x9F\xBF"));            // U+D7FF, below the surrogates
  CHECK(utf8::valid("\xEE\x80\x80"));            // U+E000, above them
  CHECK(utf8::valid("\xF0\x90\x80\x80"));        // U+10000
  CHECK(utf8::valid("\xF4\x8F\xBF\xBF"));        // U+10FFFF, the last code point
  CHECK(utf8::valid("appl\xC3\xA9" "cation/x-\xE4\xB8\xAD"));
  // overlongs, surrogates, beyond U+10FFFF, stray continuation, truncation
  const std::pair<std::string, std::size_t> bad[] = {
      {"\xC0\x80", 0},          {"\xC1\xBF", 0},         {"ab\xE0\x9F\xBF", 2}, {"\xF0\x8F\xBF\xBF", 0},
      {"\xED\xA0\x80", 0},      {"x\xED\xBF\xBF", 1},    {"\xF4\x90\x80\x80", 0}, {"\xF5\x80\x80\x80", 0},
      {"\x80", 0},              {"ok\xBF", 2},           {"\xC2", 0},           {"abc\xE2\x82", 3},
      {"\xF0\x9F\x98", 0},      {"\xE2\x28\xA1", 0},     {"\xFF", 0},           {"a\xC3\x28", 1},
  };
  for (const auto& [s, off] : bad) {
    INFO(s.size());
    CHECK_FALSE(utf8::valid(s));
    CHECK(utf8::error_offset(s) == off);
  }
  CHECK(utf8::error_offset("fine") == std::string_view::npos);
}
