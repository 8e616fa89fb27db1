// Reference-written files: Web/ciphertext.dare (JSON text with a JSON-B body, X448).
#include <catch2/catch.hpp>

#include "darekit/dare.hpp"
#include "test_util.hpp"

using namespace darekit;

TEST_CASE("Web_ciphertext.dare parses; its X448 recipient is an unsupported curve", "[dare][fixtures]") {
  const bytes f = test::fixture("Web_ciphertext.dare");
  auto i = dare::inspect(f);
  INFO(i.err().what());
  REQUIRE(i.has_value());
  CHECK(i->header.enc() == "A256CBC");
  CHECK(i->header.dig() == "S512");
  CHECK(i->header.salt()->size() == 16);
  REQUIRE(i->header.recipients().size() == 1);
  CHECK(i->header.recipients()[0].find("epk")->find("PublicKeyECDH")->find("crv")->as_string() == "X448");
  CHECK(i->header.recipients()[0].find("wmk")->as_binary().size() == 40);
  CHECK(i->stored_size == 16);
  CHECK(i->trailer.payload_digest()->size() == 64);
  // the stored body's SHA-512 is the PayloadDigest
  dare::decode_options o;
  o.allow_unauthenticated = true;  // the reference file is A256CBC
  o.keys = {udf::derive_key(udf::generate_key_seed(udf::key_alg::x25519)).value()};
  bytes out;
  auto d = dare::decode(f, out, o);
#if defined(DAREKIT_WITH_OPENSSL)
  // X448 is usable, but no published private key: a clean "not a recipient" error
  CHECK(d.code() == errc::no_key);
  o.keys = {udf::derive_key(udf::generate_key_seed(udf::key_alg::x448)).value()};
  auto d2 = dare::decode(f, out, o);
  CHECK(d2.code() == errc::no_key);
  CHECK(out.empty());
#else
  CHECK(d.code() == errc::unsupported);
  CHECK(d.err().message.find("unsupported curve") != std::string::npos);
#endif
}
