#include <catch2/catch.hpp>

#include "darekit/codec/base64.hpp"
#include "test_util.hpp"

using namespace darekit;

TEST_CASE("base64: RFC 4648 §10 vectors") {
  const std::pair<const char*, const char*> v[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : v) {
    CHECK(base64::encode(as_bytes(plain)) == enc);
    CHECK(as_chars(*base64::decode(enc)) == plain);
  }
}

TEST_CASE("base64url: unpadded, url alphabet") {
  const bytes b{0xfb, 0xff, 0xbf};
  CHECK(base64::encode(b) == "+/+/");
  CHECK(base64::encode_url(b) == "-_-_");
  CHECK(*base64::decode_url("-_-_") == b);
  CHECK(base64::decode_url("+/+/").code() == errc::malformed);
  CHECK(base64::encode_url(as_bytes("f")) == "Zg");
  CHECK(as_chars(*base64::decode_url("Zg")) == "f");
}

TEST_CASE("base64: strict decoding rejects bad input") {
  CHECK(base64::decode("Zg=").code() == errc::malformed);       // incomplete padding
  CHECK(base64::decode("Z===").code() == errc::malformed);      // misplaced '='
  CHECK(base64::decode("Zg==Zg==").code() == errc::malformed);  // data after padding
  CHECK(base64::decode("Z").code() == errc::truncated);
  CHECK(base64::decode("Zh==").code() == errc::malformed);      // non-zero unused bits
  CHECK(base64::decode("Zm9v\n").code() == errc::malformed);    // no whitespace in strict mode
}

// spec/controller-ike.md §8.3: the RFC 8951 accept/reject table.
TEST_CASE("base64: RFC 8951 tolerant decoder") {
  const std::string csrattrs =
      "MEEGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBYGCSqGSIb3DQEJDjEJBgcrBgEBAQEWBggqhkjOPQQDAw==";
  const bytes der = test::unhex(
      "304106092a864886f70d010907301206072a8648ce3d0201310706052b8104002230"
      "1606092a864886f70d01090e310906072b06010101011606082a8648ce3d040303");
  auto r = base64::decode_rfc8951(csrattrs);
  REQUIRE(r);
  CHECK(*r == der);
  CHECK(r->size() == 67);
  // Accept: MIME line breaks, CRLF, spaces and tabs anywhere, even between '='.
  std::string wrapped;
  for (std::size_t i = 0; i < csrattrs.size(); i += 20) wrapped += csrattrs.substr(i, 20) + "\r\n";
  CHECK(*base64::decode_rfc8951(wrapped) == der);
  CHECK(*base64::decode_rfc8951("  \t" + csrattrs + "\n\n") == der);
  std::string split_pad = csrattrs.substr(0, csrattrs.size() - 1) + " \t=";
  CHECK(*base64::decode_rfc8951(split_pad) == der);
  // Reject: url alphabet, VT, NUL, trailing garbage, mid-stream '=', bad tail bits,
  // missing padding (unless opted in), a len%4==1 tail.
  CHECK_FALSE(base64::decode_rfc8951("Zm9v-_==").has_value());
  CHECK_FALSE(base64::decode_rfc8951("Zm9v\vYmFy").has_value());
  CHECK_FALSE(base64::decode_rfc8951(std::string("Zm9v\0YmFy", 9)).has_value());
  CHECK_FALSE(base64::decode_rfc8951(csrattrs + "garbage").has_value());
  CHECK_FALSE(base64::decode_rfc8951("Zm=9vYmFy").has_value());
  CHECK_FALSE(base64::decode_rfc8951("QR==").has_value());
  CHECK_FALSE(base64::decode_rfc8951("Zg").has_value());
  CHECK(as_chars(*base64::decode_rfc8951("Zg", true)) == "f");
  CHECK_FALSE(base64::decode_rfc8951("Zm9vY").has_value());
  CHECK_FALSE(base64::decode_rfc8951("-----BEGIN CERTIFICATE-----").has_value());
}
