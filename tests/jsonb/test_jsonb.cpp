// JSON-B / JSON-C reader and writer: draft examples, reference writer form, limits.
#include <catch2/catch.hpp>

#include "darekit/codec/jsonb.hpp"
#include "test_util.hpp"

using namespace darekit;

namespace {
bytes unhex(std::string_view h) {
  std::string s;
  for (char c : h) if (c != ' ') s += c;
  return darekit::test::unhex(s);
}
}  // namespace

namespace {
json::value P(std::string_view hexs, const jsonb::read_options& o = {}) {
  auto r = jsonb::parse(unhex(hexs), o);
  INFO(hexs << " -> " << r.err().what());
  REQUIRE(r.has_value());
  return *r;
}
errc E(std::string_view hexs, const jsonb::read_options& o = {}) {
  auto r = jsonb::parse(unhex(hexs), o);
  REQUIRE_FALSE(r.has_value());
  return r.code();
}
}  // namespace

TEST_CASE("JSON-B draft examples", "[jsonb]") {
  for (auto h : {"a02a", "a1002a", "a20000002a", "a3000000000000002a"}) CHECK(P(h) == json::value(42));
  CHECK(P("800548656c6c6f") == json::value("Hello"));
  CHECK(P("81000548656c6c6f") == json::value("Hello"));
  CHECK(P("840548656c6c6f8000") == json::value("Hello"));
  CHECK(P("923ff0000000000000") == json::value(1.0));
  CHECK(P("924024000000000000") == json::value(10.0));
  CHECK(P("9240092" "1fb54442eea").as_double() == Approx(3.14159265359));
  CHECK(P("92bff0000000000000") == json::value(-1.0));
  CHECK(P("b0") == json::value(true));
  CHECK(P("b1") == json::value(false));
  CHECK(P("b2") == json::value(nullptr));
  CHECK(P("a805").to_int64() == -5);
  CHECK(P("ab8000000000000000").to_int64() == INT64_MIN);
  CHECK(P("a3ffffffffffffffff").as_integer().magnitude == UINT64_MAX);
  CHECK(P("913fc00000").as_double() == 1.5);
  CHECK(P("903c00").as_double() == 1.0);
  // bignums and JSON-D codes are refused, clearly
  CHECK(E("a5000142") == errc::unsupported);
}

TEST_CASE("JSON-B chunked binary and strings", "[jsonb]") {
  CHECK(P("8c0201028d000103880104").as_binary() == bytes{1, 2, 3, 4});
  CHECK(P("8800").as_binary().empty());
  CHECK(P("84026865850002 6c6c 80016f").as_string() == "hello");
  CHECK(E("8c020102") == errc::truncated);
  CHECK(E("8c0201028c") == errc::truncated);
}

TEST_CASE("JSON-B envelope of spec 3.2 (reference writer form)", "[jsonb]") {
  const auto doc = unhex(
      "5b7bb403646967800453353132 7d8805 48656c6c6f"
      "7bb40d5061796c6f6164446967657374 8840"
      "3615f80c9d293ed7402687f94b22d58e529b8cc7916f8fac7fddf7fbd5af4cf777d3d795a7a00a16bf7e7f3fb9561ee9baae480da9fe7a18769e71886b03f315"
      "7d5d");
  auto v = jsonb::parse(doc);
  REQUIRE(v.has_value());
  REQUIRE(v->as_array().size() == 3);
  CHECK(v->as_array()[0].find("dig")->as_string() == "S512");
  CHECK(v->as_array()[1].as_binary() == to_bytes("Hello"));
  CHECK(v->as_array()[2].find("PayloadDigest")->as_binary().size() == 64);
  // our writer reproduces the reference writer byte for byte
  CHECK(jsonb::encode(*v) == doc);
}

TEST_CASE("JSON-B property names in every form, optional commas", "[jsonb]") {
  // "a":1 as JSON text, as B4 tag string, as 80 string with and without ':'
  auto v = P("7b 22 61 22 3a a001 2c b40162 a002 800163 3a a003 800164 a004 7d");
  REQUIRE(v.as_object().size() == 4);
  CHECK(v.find("a")->to_int64() == 1);
  CHECK(v.find("b")->to_int64() == 2);
  CHECK(v.find("c")->to_int64() == 3);
  CHECK(v.find("d")->to_int64() == 4);
  // JSON-C dictionary code
  jsonb::dictionary d{"zero", "one"};
  jsonb::read_options o;
  o.dict = &d;
  CHECK(P("7bc001a0017d", o).find("one")->to_int64() == 1);
  CHECK(E("7bc001a0017d") == errc::unsupported);
  CHECK(E("7bc005a0017d", o) == errc::malformed);
  // writer with dictionary emits C0 codes and reads back
  json::value obj{json::object{{"one", 1}, {"two", "x"}}};
  auto enc = jsonb::encode(obj, &d);
  CHECK(enc == unhex("7bc001a001b40374776f8001787d"));
  CHECK(*jsonb::parse(enc, o) == obj);
  // duplicates and trailing commas are rejected
  CHECK(E("7bb40161a001b40161a0027d") == errc::malformed);
  CHECK(E("5ba0012c5d") == errc::malformed);
}

TEST_CASE("JSON-B writer: UTF-8 byte lengths, widths, round trip", "[jsonb]") {
  json::value s{"h\xc3\xa9llo"};
  CHECK(jsonb::encode(s) == unhex("800668c3a96c6c6f"));
  CHECK(jsonb::encode(json::value(255)) == unhex("a0ff"));
  CHECK(jsonb::encode(json::value(256)) == unhex("a10100"));
  CHECK(jsonb::encode(json::value(-70000)) == unhex("aa00011170"));
  CHECK(jsonb::encode(json::value(std::uint64_t(1) << 40)) == unhex("a30000010000000000"));
  bytes big(300, 7);
  auto e = jsonb::encode(json::value(big));
  CHECK(e[0] == 0x89);
  CHECK(e.size() == 303);
  json::value doc{json::object{{"n", nullptr}, {"t", true}, {"f", false}, {"d", 2.5}, {"s", "x"},
                               {"b", bytes{1, 2}}, {"a", json::array{1, -1, "z"}}, {"o", json::object{}}}};
  CHECK(*jsonb::parse(jsonb::encode(doc)) == doc);
  // invalid UTF-8 strings are rejected
  CHECK(E("8002c328") == errc::malformed);
}

TEST_CASE("JSON-B limits stop hostile input", "[jsonb]") {
  // a huge declared length with nothing behind it: truncated, no allocation
  CHECK(E("8b7fffffffffffffff") == errc::too_large);
  CHECK(E("8a7fffffff") == errc::too_large);
  CHECK(E("8a00100000") == errc::truncated);
  // deep nesting
  std::string deep(100000, '[');
  auto r = jsonb::parse(as_bytes(deep));
  CHECK(r.code() == errc::too_large);
  jsonb::read_options o;
  o.lim.max_items = 10;
  CHECK(E("5ba001a001a001a001a001a001a001a001a001a001a0015d", o) == errc::too_large);
  o = {};
  o.lim.max_string = 4;
  CHECK(E("8c03010203880203 04", o) == errc::too_large);
  // trailing data
  CHECK(E("a001a001") == errc::malformed);
  CHECK(E("ff") == errc::malformed);
}

TEST_CASE("strict text mode: RFC 8259 only, for fixed schemas", "[jsonb][strict]") {
  jsonb::read_options strict;
  strict.strict_text = true;
  auto text = [&](std::string_view s, const jsonb::read_options& o) { return jsonb::parse(as_bytes(s), o); };
  const std::string good = R"({"a":[1,2,{"b":"x"}],"c":true,"d":18446744073709551615})";
  REQUIRE(text(good, strict).has_value());
  CHECK(*text(good, strict) == *text(good, {}));
  CHECK(text(good, strict)->find("d")->as_integer().magnitude == UINT64_MAX);
  // the default reader takes each of these (JSON-B superset, reference wrapping); strict text does not
  const std::pair<std::string, errc> refused[] = {
      {R"({"a":1 "b":2})", errc::malformed},                 // missing comma between members
      {R"([1 2])", errc::malformed},                          // ... and between items
      {"{\"a\":\"x\ny\"}", errc::malformed},                  // raw line break inside a string
      {"{\"a\":\"x\ry\"}", errc::malformed},
      {R"({"a":18446744073709551616})", errc::too_large},    // beyond 64 bits: not a double
      {"{\"a\":\xa0\x01}", errc::malformed},                 // a JSON-B integer token
      {"{\xb4\x01" "a\xa0\x01}", errc::malformed},           // a JSON-B tag-string name
  };
  for (const auto& [s, code] : refused) {
    INFO(s);
    CHECK(text(s, {}).has_value());
    CHECK(text(s, strict).code() == code);
  }
  CHECK(text(R"({"a":1,})", strict).code() == errc::malformed);  // trailing comma, as in every mode
}
