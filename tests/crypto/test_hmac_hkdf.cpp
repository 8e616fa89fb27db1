#include <catch2/catch.hpp>

#include "darekit/codec/hex.hpp"
#include "darekit/crypto/hkdf.hpp"
#include "darekit/crypto/random.hpp"
#include "darekit/crypto/sha2.hpp"
#include "openssl_peer.hpp"
#include "test_util.hpp"

using namespace darekit;
using test::unhex;

namespace {
struct rfc4231_case {
  bytes key, data;
  std::string s256, s512;
  std::size_t trunc;
};
bytes rep(std::uint8_t b, std::size_t n) { return bytes(n, b); }
bytes seq(std::uint8_t from, std::uint8_t to) {
  bytes b;
  for (int i = from; i <= to; ++i) b.push_back(std::uint8_t(i));
  return b;
}
}  // namespace

TEST_CASE("HMAC: RFC 4231 test cases 1-7, SHA-256 and SHA-512") {
  const std::vector<rfc4231_case> cases = {
      {rep(0x0b, 20), to_bytes("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
       "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854", 0},
      {to_bytes("Jefe"), to_bytes("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737", 0},
      {rep(0xaa, 20), rep(0xdd, 50),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
       "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb", 0},
      {seq(1, 25), rep(0xcd, 50),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
       "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd", 0},
      {rep(0x0c, 20), to_bytes("Test With Truncation"),
       "a3b6167473100ee06e0c796c2955552b", "415fad6271580a531d4179bc891d87a6", 16},
      {rep(0xaa, 131), to_bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
       "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598", 0},
      {rep(0xaa, 131),
       to_bytes("This is a test using a larger than block-size key and a larger than block-size data. "
                "The key needs to be hashed before being used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
       "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58", 0},
  };
  int n = 0;
  for (const auto& c : cases) {
    INFO("case " << ++n);
    auto t256 = hmac<sha256>::mac(c.key, c.data);
    auto t512 = hmac<sha512>::mac(c.key, c.data);
    const std::size_t l256 = c.trunc ? c.trunc : 32, l512 = c.trunc ? c.trunc : 64;
    CHECK(hex::encode(byte_view(t256).first(l256)) == c.s256);
    CHECK(hex::encode(byte_view(t512).first(l512)) == c.s512);
    CHECK(hmac_verify<sha512>(c.key, c.data, unhex(c.s512)));
    bytes bad = unhex(c.s512);
    bad.back() ^= 1;
    CHECK_FALSE(hmac_verify<sha512>(c.key, c.data, bad));
  }
}

TEST_CASE("HMAC: keys of every length 0..300 agree with OpenSSL") {
  const bytes key = random_bytes(300), msg = random_bytes(777);
  for (std::size_t k = 0; k <= 300; k += 7) {
    INFO("key length " << k);
    const byte_view kv(key.data(), k);
    CHECK(to_bytes(hmac<sha256>::mac(kv, msg)) == test::ossl_hmac("SHA256", kv, msg));
    CHECK(to_bytes(hmac<sha512>::mac(kv, msg)) == test::ossl_hmac("SHA512", kv, msg));
  }
}

TEST_CASE("HKDF: RFC 5869 test cases 1-3 (SHA-256)") {
  struct c { bytes ikm, salt, info; std::size_t L; std::string prk, okm; };
  const std::vector<c> cases = {
      {rep(0x0b, 22), seq(0x00, 0x0c), seq(0xf0, 0xf9), 42,
       "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
      {seq(0x00, 0x4f), seq(0x60, 0xaf), seq(0xb0, 0xff), 82,
       "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
       "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09"
       "da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
      {rep(0x0b, 22), {}, {}, 42,
       "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
  };
  for (const auto& t : cases) {
    auto prk = hkdf::extract<sha256>(t.salt, t.ikm);
    CHECK(hex::encode(prk.view()) == t.prk);
    auto okm = hkdf::expand<sha256>(prk.view(), t.info, t.L);
    REQUIRE(okm);
    CHECK(hex::encode(okm->view()) == t.okm);
  }
}

TEST_CASE("HKDF: SHA-512 agrees with OpenSSL; output length is capped") {
  const bytes ikm = random_bytes(40), salt = random_bytes(17), info = random_bytes(9);
  for (std::size_t L : {1u, 32u, 64u, 65u, 200u}) {
    auto okm = hkdf::derive<sha512>(salt, ikm, info, L);
    REQUIRE(okm);
    bytes want(L);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
    REQUIRE(EVP_PKEY_derive_init(ctx) > 0);
    EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha512());
    EVP_PKEY_CTX_set1_hkdf_salt(ctx, salt.data(), int(salt.size()));
    EVP_PKEY_CTX_set1_hkdf_key(ctx, ikm.data(), int(ikm.size()));
    EVP_PKEY_CTX_add1_hkdf_info(ctx, info.data(), int(info.size()));
    std::size_t len = L;
    REQUIRE(EVP_PKEY_derive(ctx, want.data(), &len) > 0);
    EVP_PKEY_CTX_free(ctx);
    CHECK(to_bytes(okm->view()) == want);
  }
  CHECK(hkdf::expand<sha512>(bytes(64, 1), {}, 255 * 64).has_value());
  CHECK(hkdf::expand<sha512>(bytes(64, 1), {}, 255 * 64 + 1).code() == errc::invalid_argument);
}
