#include <catch2/catch.hpp>

#include "darekit/core/error.hpp"

using namespace darekit;

namespace {
result<int> half(int x) {
  if (x % 2) return fail(errc::invalid_argument, "odd");
  return x / 2;
}
result<int> quarter(int x) {
  DAREKIT_TRY(int h, half(x));
  return half(h);
}
}  // namespace

TEST_CASE("result carries a value or an error") {
  auto a = half(8);
  REQUIRE(a.has_value());
  CHECK(*a == 4);
  auto b = half(3);
  REQUIRE_FALSE(b.has_value());
  CHECK(b.code() == errc::invalid_argument);
  CHECK(b.err().what() == "invalid argument: odd");
  CHECK(b.value_or(-1) == -1);
}

TEST_CASE("DAREKIT_TRY propagates errors and and_then chains") {
  CHECK(*quarter(8) == 2);
  CHECK(quarter(6).code() == errc::invalid_argument);  // 6/2 = 3 is odd
  CHECK(quarter(5).code() == errc::invalid_argument);
  auto r = half(8).and_then([](int h) { return half(h); }).transform([](int v) { return v * 10; });
  REQUIRE(r);
  CHECK(*r == 20);
}

TEST_CASE("result<void> and string results") {
  result<void> good = ok();
  CHECK(good.has_value());
  result<void> bad = fail(errc::truncated, "short");
  CHECK(bad.code() == errc::truncated);
  result<std::string> s = std::string("abc");
  result<std::string> t = s;  // copy
  CHECK(*t == "abc");
  result<std::string> e = fail(errc::malformed, "x");
  t = e;
  CHECK_FALSE(t.has_value());
}
