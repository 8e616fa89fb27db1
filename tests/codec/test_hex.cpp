#include <catch2/catch.hpp>

#include "darekit/codec/hex.hpp"

using namespace darekit;

TEST_CASE("hex: RFC 4648 §10 base16 vectors") {
  CHECK(hex::encode(as_bytes("")) == "");
  CHECK(hex::encode(as_bytes("f")) == "66");
  CHECK(hex::encode(as_bytes("foobar")) == "666f6f626172");
  CHECK(as_chars(*hex::decode("666F6F626172")) == "foobar");
}

TEST_CASE("hex: bad input is a clear error") {
  CHECK(hex::decode("abc").code() == errc::malformed);
  CHECK(hex::decode("zz").code() == errc::malformed);
  CHECK(hex::decode("0g").err().message.find("offset 1") != std::string::npos);
}
