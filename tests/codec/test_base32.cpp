#include <catch2/catch.hpp>

#include "darekit/codec/base32.hpp"

using namespace darekit;

TEST_CASE("base32: RFC 4648 §10 vectors (no padding)") {
  const std::pair<const char*, const char*> v[] = {
      {"", ""}, {"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"},
      {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
  for (auto [plain, enc] : v) {
    CHECK(base32::encode(as_bytes(plain)) == enc);
    CHECK(as_chars(*base32::decode(enc)) == plain);
    // padded form decodes too
    std::string padded = enc;
    while (padded.size() % 8) padded += '=';
    CHECK(as_chars(*base32::decode(padded)) == plain);
  }
}

TEST_CASE("base32: UDF grouping and precision") {
  // spec/udf.md TV-15: plain Base32 check with dash grouping
  CHECK(base32::encode(as_bytes("I am francis here!"), 0, 4) == "JEQG-C3JA-MZZG-C3TD-NFZS-A2DF-OJSS-C");
  const bytes b(20, 0xff);
  CHECK(base32::encode(b, 140, 4) == "7777-7777-7777-7777-7777-7777-7777");
  CHECK(base32::encode(b, 8).size() == 2);
}

TEST_CASE("base32: strict, grouped and lenient modes") {
  CHECK(base32::decode("MZXW-6YTB", base32::mode::strict).code() == errc::malformed);
  CHECK(as_chars(*base32::decode("mzxw-6ytb oi", base32::mode::grouped)) == "foobar");
  CHECK(base32::decode("MZXW-6Y1B", base32::mode::grouped).code() == errc::malformed);
  CHECK(as_chars(*base32::decode("MZXW-6Y1TB0OI", base32::mode::lenient)) == "foobar");
  // every byte outside the alphabet is rejected in strict mode
  for (int c = 0; c < 256; ++c) {
    const char ch = char(c);
    if (base32::value_of(ch) >= 0) continue;
    std::string s = "MZ";
    s += ch;
    s += "XQ";
    INFO("byte " << c);
    CHECK(base32::decode(s).code() == errc::malformed);
  }
}
