// JSON text: strict compact writer, the mixed lexer on JSON text, and the simdjson adapter.
#include <catch2/catch.hpp>

#include "darekit/codec/json_simd.hpp"
#include "darekit/codec/jsonb.hpp"
#include "test_util.hpp"

using namespace darekit;

TEST_CASE("JSON writer is strict and compact", "[json]") {
  json::value v{json::object{{"a", json::array{1, -2, 2.5, true, nullptr}},
                             {"s", "q\"\\\n\x01"},
                             {"b", bytes{0xfb, 0xff}},
                             {"d", 1.0}}};
  CHECK(json::to_string(v) == R"({"a":[1,-2,2.5,true,null],"s":"q\"\\\n\u0001","b":"-_8","d":1.0})");
  auto back = json::parse_text(json::to_string(v));
  REQUIRE(back.has_value());
  CHECK(back->find("b")->to_bytes().value() == bytes{0xfb, 0xff});
  CHECK(back->find("s")->as_string() == "q\"\\\n\x01");
  CHECK(back->find("d")->is_number());
}

TEST_CASE("reference-wrapped base64 strings are accepted by both readers", "[json]") {
  const std::string text =
      "{\n  \"DareEnvelope\":[{},\n    \"VGhpcyBpcyBhIHRlc3QgbG9uZyBlbm91Z2ggdG8gcmVxdWlyZSBtdWx0aXBs\n  ZSBibG9ja3M\"\n    ]}";
  auto a = json::parse_text(text);
  REQUIRE(a.has_value());
  auto b = jsonb::parse(as_bytes(text));
  REQUIRE(b.has_value());
  CHECK(*a == *b);
  const auto& body = a->find("DareEnvelope")->as_array()[1];
  CHECK(as_chars(body.to_bytes().value()) == "This is a test long enough to require multiple blocks");
}

TEST_CASE("JSON text parsing: numbers, escapes, errors", "[json]") {
  auto v = jsonb::parse(as_bytes(R"([0,-0,18446744073709551615,-9223372036854775808,1e3,-1.5,"\u00e9\ud83d\ude00"])"));
  REQUIRE(v.has_value());
  const auto& a = v->as_array();
  CHECK(a[0].to_int64() == 0);
  CHECK(a[1].to_int64() == 0);
  CHECK(a[2].as_integer().magnitude == UINT64_MAX);
  CHECK(a[3].to_int64() == INT64_MIN);
  CHECK(a[4].as_double() == 1000.0);
  CHECK(a[5].as_double() == -1.5);
  CHECK(a[6].as_string() == "\xc3\xa9\xf0\x9f\x98\x80");
  auto s = json::parse_text(R"([0,-0,18446744073709551615,-9223372036854775808,1e3,-1.5,"\u00e9\ud83d\ude00"])");
  REQUIRE(s.has_value());
  CHECK(s->as_array()[6] == a[6]);
  for (std::string_view bad : {"[01]", "[1.]", "{\"a\" 1}", "\"\\ud800\"", "[1,]", "{\"a\":1,}", "tru", "\"abc", "[\"\x01\"]"}) {
    INFO(bad);
    CHECK_FALSE(jsonb::parse(as_bytes(bad)).has_value());
    CHECK_FALSE(json::parse_text(bad).has_value());
  }
  std::string deep(200, '[');
  deep += std::string(200, ']');
  CHECK(json::parse_text(deep).code() == errc::too_large);
  CHECK(jsonb::parse(as_bytes(deep)).code() == errc::too_large);
}
