#include <catch2/catch.hpp>

#include "darekit/core/secure.hpp"

using namespace darekit;

TEST_CASE("ct_equal compares contents and lengths") {
  const bytes a{1, 2, 3}, b{1, 2, 3}, c{1, 2, 4}, d{1, 2};
  CHECK(ct_equal(a, b));
  CHECK_FALSE(ct_equal(a, c));
  CHECK_FALSE(ct_equal(a, d));
  CHECK(ct_equal(byte_view{}, byte_view{}));
}

TEST_CASE("secure_bytes grows, copies and moves") {
  secure_bytes s;
  s.append(as_bytes("hello "));
  s.append(as_bytes("world, this is longer than thirty-two bytes"));
  CHECK(as_chars(s.view()) == "hello world, this is longer than thirty-two bytes");
  secure_bytes t = s;
  CHECK(ct_equal(t, s));
  secure_bytes u = std::move(s);
  CHECK(s.empty());
  CHECK(ct_equal(t, u));
  u.resize(5);
  CHECK(as_chars(u.view()) == "hello");
  u.resize(7);
  CHECK(u[5] == 0);
  CHECK(u[6] == 0);
}

TEST_CASE("secret<N> holds a fixed-size key") {
  secret<4> k{bytes{9, 8, 7, 6}};
  CHECK(k[0] == 9);
  secret<4> j{bytes{9, 8, 7, 6}};
  CHECK(k == j);
  j[3] = 0;
  CHECK_FALSE(k == j);
}
