// Duplicate member names: rejected by every reader (JSON-B, the mixed lexer on JSON
// text, the simdjson adapter) at any position, in time O(n log n): 65,536 members
// parse well under a second (the old pairwise check took 4.4 s for 32k).
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "darekit/codec/json_simd.hpp"
#include "darekit/codec/jsonb.hpp"

using namespace darekit;

namespace {
constexpr std::size_t kMembers = 65536;

std::string name_of(std::size_t i) { return "member-" + std::to_string(i); }

/// {"member-0":0, ...} with member `dup_at` renamed to member `dup_of`'s name (when set).
json::object members(std::size_t n, std::size_t dup_at = SIZE_MAX, std::size_t dup_of = 0) {
  json::object o;
  o.reserve(n);
  for (std::size_t i = 0; i < n; ++i) o.emplace_back(name_of(i == dup_at ? dup_of : i), json::value(std::uint64_t(i)));
  return o;
}

struct readers {
  result<json::value> jsonb_bin, jsonb_text, simd_text;
  double seconds[3] = {};
};

/// Parse the JSON-B and the JSON text form of `o` with each reader, timing each.
readers parse_all(const json::object& o) {
  const json::value v{o};
  const bytes bin = jsonb::encode(v);
  const std::string text = json::to_string(v);
  auto timed = [](double& s, auto&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = f();
    s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
  };
  readers r{timed(r.seconds[0], [&] { return jsonb::parse(bin); }),
            timed(r.seconds[1], [&] { return jsonb::parse(as_bytes(text)); }),
            timed(r.seconds[2], [&] { return json::parse_text(text); })};
  return r;
}
}  // namespace

TEST_CASE("65,536 distinct members parse in well under a second with every reader", "[jsonb][json][limits]") {
  const json::object o = members(kMembers);
  readers r = parse_all(o);
  const char* what[3] = {"JSON-B", "JSON text (JSON-B lexer)", "JSON text (simdjson)"};
  result<json::value>* got[3] = {&r.jsonb_bin, &r.jsonb_text, &r.simd_text};
  for (int i = 0; i < 3; ++i) {
    INFO(what[i] << ": " << r.seconds[i] << " s, " << got[i]->err().what());
    REQUIRE(got[i]->has_value());
    CHECK((*got[i])->as_object().size() == kMembers);
    CHECK(**got[i] == json::value(o));
    CHECK(r.seconds[i] < 1.0);
  }
}

TEST_CASE("duplicate members are rejected at any position, in JSON text and JSON-B", "[jsonb][json]") {
  struct { std::size_t n, at, of; } cases[] = {
      {2, 1, 0}, {8, 7, 3}, {9, 8, 0}, {100, 50, 49}, {kMembers, kMembers - 1, 0}, {kMembers, 1, 0},
      {kMembers, 40000, 39999}, {kMembers, 12345, 54321 - 1}};
  for (const auto& c : cases) {
    INFO("members " << c.n << ", member " << c.at << " repeats member " << c.of);
    readers r = parse_all(members(c.n, c.at, c.of));
    for (auto* g : {&r.jsonb_bin, &r.jsonb_text, &r.simd_text}) {
      REQUIRE_FALSE(g->has_value());
      CHECK(g->code() == errc::malformed);
      CHECK(g->err().message == "duplicate member \"" + name_of(c.of) + "\"");
    }
    for (double s : r.seconds) CHECK(s < 1.0);
  }
  // Nested objects are checked too; the same name in sibling objects is fine.
  CHECK(jsonb::parse(as_bytes(std::string(R"({"a":{"x":1,"y":2},"b":{"x":1,"y":2}})"))).has_value());
  CHECK(jsonb::parse(as_bytes(std::string(R"({"a":{"x":1,"y":2,"x":3}})"))).code() == errc::malformed);
  CHECK(json::parse_text(R"({"a":[{"x":1},{"x":1,"x":1}]})").code() == errc::malformed);
  // Names equal as strings but written in different forms (escape, JSON-B tag) are duplicates.
  CHECK(jsonb::parse(as_bytes(std::string(R"({"ab":1,"a\u0062":2})"))).code() == errc::malformed);
  const bytes mixed = {'{', 0xb4, 0x02, 'a', 'b', 0xa0, 0x01, 0x80, 0x02, 'a', 'b', ':', 0xa0, 0x02, '}'};
  CHECK(jsonb::parse(mixed).code() == errc::malformed);
}
