// ckx layer 0: X25519 (RFC 7748), HMAC-SHA-256/512 (RFC 4231), prf+ (SP 800-135 KAT, HMAC-SHA-1).
#include <openssl/evp.h>

#include "darekit/ckx/prf.hpp"
#include "darekit/ckx/x25519.hpp"
#include "crypto/openssl_peer.hpp"
#include "test_util.hpp"

using namespace darekit;
using darekit::test::unhex;

namespace {
/// SHA-1 through OpenSSL, adapted to darekit's hash_function concept (test only: the IKEv2
/// KDF known-answer test of spec §6.4 uses PRF_HMAC_SHA1).
class ossl_sha1 {
 public:
  static constexpr std::size_t digest_size = 20, block_size = 64;
  static constexpr std::string_view name = "sha1";
  using digest_type = std::array<std::uint8_t, 20>;
  ossl_sha1() : c_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(c_, EVP_sha1(), nullptr); }
  ossl_sha1(const ossl_sha1& o) : c_(EVP_MD_CTX_new()) { EVP_MD_CTX_copy_ex(c_, o.c_); }
  ossl_sha1& operator=(const ossl_sha1& o) { if (this != &o) EVP_MD_CTX_copy_ex(c_, o.c_); return *this; }
  ~ossl_sha1() { EVP_MD_CTX_free(c_); }
  void update(byte_view b) { EVP_DigestUpdate(c_, b.data(), b.size()); }
  digest_type finish() { digest_type d; unsigned n = 0; EVP_DigestFinal_ex(c_, d.data(), &n); return d; }
 private:
  EVP_MD_CTX* c_;
};
static_assert(hash_function<ossl_sha1>);
}  // namespace

TEST_CASE("RFC 7748 §6.1 Diffie-Hellman", "[ckx][x25519]") {
  ckx::x25519_secret a(unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  ckx::x25519_secret b(unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  auto pa = ckx::x25519_public_of(a), pb = ckx::x25519_public_of(b);
  CHECK(hex::encode(pa) == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  CHECK(hex::encode(pb) == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  auto k1 = ckx::x25519_shared_secret(a, pb), k2 = ckx::x25519_shared_secret(b, pa);
  REQUIRE(k1);
  REQUIRE(k2);
  CHECK(hex::encode(k1->view()) == "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  CHECK(*k1 == *k2);
}

TEST_CASE("RFC 7748 §5.2 scalar multiplication and iteration", "[ckx][x25519]") {
  CHECK(hex::encode(ckx::x25519_raw(unhex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                                    unhex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))) ==
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  CHECK(hex::encode(ckx::x25519_raw(unhex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                                    unhex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))) ==
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
  std::array<std::uint8_t, 32> k{}, u{};
  k[0] = u[0] = 9;
  for (int i = 1; i <= 1000; ++i) {
    auto r = ckx::x25519_raw(k, u);
    u = k;
    k = r;
    if (i == 1) CHECK(hex::encode(k) == "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
  }
  CHECK(hex::encode(k) == "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
  // the 1,000,000-iteration value (7c3911e0...) takes ~30 s and is skipped
}

TEST_CASE("X25519 rejects small-order peer values and bad lengths", "[ckx][x25519]") {
  auto kp = ckx::x25519_generate();
  std::array<std::uint8_t, 32> zero{}, one{};
  one[0] = 1;
  // order-8 point from the libsodium blacklist (and its non-canonical twin p+... is covered by zero output)
  auto ord8 = unhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
  for (byte_view bad : {byte_view(zero), byte_view(one), byte_view(ord8)}) {
    auto r = ckx::x25519_shared_secret(kp.sk, bad);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::crypto_failure);
  }
  auto shortv = unhex("0900");
  CHECK(ckx::x25519_shared_secret(kp.sk, shortv).code() == errc::malformed);
}

TEST_CASE("RFC 4231 HMAC-SHA-256 / -512 as the IKEv2 prf", "[ckx][prf]") {
  struct tc { bytes key, data; const char *h256, *h512; std::size_t trunc; };
  const std::string t6 = "Test Using Larger Than Block-Size Key - Hash Key First";
  const std::string t7 = "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";
  bytes k4;
  for (int i = 1; i <= 25; ++i) k4.push_back(std::uint8_t(i));
  const tc cases[] = {
      {bytes(20, 0x0b), to_bytes("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854", 0},
      {to_bytes("Jefe"), to_bytes("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737", 0},
      {bytes(20, 0xaa), bytes(50, 0xdd), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb", 0},
      {k4, bytes(50, 0xcd), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd", 0},
      {bytes(20, 0x0c), to_bytes("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b", "415fad6271580a531d4179bc891d87a6", 16},
      {bytes(131, 0xaa), to_bytes(t6), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598", 0},
      {bytes(131, 0xaa), to_bytes(t7), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58", 0},
  };
  for (const auto& c : cases) {
    std::array<std::uint8_t, 64> o256{}, o512{};
    ckx::prf(ckx::prf_id::hmac_sha2_256, c.key, c.data, o256);
    ckx::prf(ckx::prf_id::hmac_sha2_512, c.key, c.data, o512);
    const std::size_t n256 = c.trunc ? c.trunc : 32, n512 = c.trunc ? c.trunc : 64;
    CHECK(hex::encode(byte_view(o256).first(n256)) == c.h256);
    CHECK(hex::encode(byte_view(o512).first(n512)) == c.h512);
  }
}

TEST_CASE("prf+ known-answer test (SP 800-135 IKEv2 KDF, HMAC-SHA-1)", "[ckx][prf]") {
  const auto gir = unhex("4b2c1f971981a8ad8d0abeafabf38cf75fc8349c148142465ed9c8b516b8be52");
  const auto gir_new = unhex("863f3c9d06efd39d2b907b97f8699e5dd5251ef64a2a176f36ee40c87d4f9330");
  const auto ni = unhex("32b50d5f4a3763f3"), nr = unhex("9206a04b26564cb1");
  const auto spii = unhex("34c9e7c188868785"), spir = unhex("3ff77d760d2b2199");
  const auto nn = concat(ni, nr);
  auto skeyseed = ckx::prf<ossl_sha1>(nn, gir);
  CHECK(hex::encode(skeyseed) == "a9a7b222b59f8f48645f28a1db5b5f5d7479cba7");
  bytes dkm(132);
  REQUIRE(ckx::prf_plus<ossl_sha1>(skeyseed, {ni, nr, spii, spir}, dkm));
  CHECK(hex::encode(dkm) == "a14293677cc80ff8f9cc0eee30d895da9d8f405666e30ef0dfcb63c634a46002a2a63080e514a062768b76606f9fa5e992204fc5a670bde3f10d6b027113936a5c55b648a194ae587b0088d52204b702c979fa280870d2ed41efa9c549fd11198af1670b143d384bd275c5f594cf266b05ebadca855e4249520a441a81157435a7a56cc4");
  const byte_view skd = byte_view(dkm).first(20);
  bytes child(132);
  REQUIRE(ckx::prf_plus<ossl_sha1>(skd, nn, child));
  CHECK(hex::encode(child) == "8059e3ee8810e6c3a91bc8bcd2a7a41151b8d0e6ae239c7b38093ad85ef4c5811a8e7b5d1cdabd9560b2d5e092d1f24e2d4b85eccdf0ad0dc9abd94b51ee71814ca6dbc8bb51b6309f5b9545c7eb35cf5580b1e521a8fe20754a2d883ba0c2cf285f524aea6545b33106bc03e614296d319d41d4b50b3f510b1c0a22f3e664994d234cb4");
  REQUIRE(ckx::prf_plus<ossl_sha1>(skd, {gir_new, ni, nr}, child));
  CHECK(hex::encode(child) == "bb43244c1860ad65ee1e211ffe8bb3661750c8f89cb9f547df7f4fa61d37301628190e38c66232eab4b3ab14c400a5197dd3730ed4820a8a10394d51e1c0400052f63ebd36b0e7ef53aaed31eba4a5080d7d4b5666023a8bbb5ffb7857240f9a05884d1b7d2f933708450b7b3288f1fc863ab49fa901227cffc06e27899c7054d56fd74c");
  CHECK(hex::encode(ckx::prf<ossl_sha1>(skd, concat(gir_new, ni, nr))) == "63e81194946ebd05df7df5ebf5d8750056bf1f1d");
}

TEST_CASE("prf+ limits and block chaining against OpenSSL HMAC", "[ckx][prf]") {
  const auto key = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const auto seed = to_bytes("seed");
  bytes max(255 * 32), over(255 * 32 + 1, 0xee);
  CHECK(ckx::prf_plus<sha256>(key, seed, max));
  auto r = ckx::prf_plus<sha256>(key, seed, over);
  CHECK(r.code() == errc::too_large);
  CHECK(over[0] == 0xee);  // untouched on failure
  CHECK(ckx::prf_plus(ckx::prf_id::hmac_sha2_512, key, seed, 255 * 64 + 1).code() == errc::too_large);
  // independent prf+ via OpenSSL HMAC: T1 = H(K, S|1), Tn = H(K, Tn-1|S|n)
  bytes expect, t;
  for (int n = 1; n <= 255; ++n) {
    bytes msg = concat(t, seed);
    msg.push_back(std::uint8_t(n));
    t = test::ossl_hmac("SHA256", key, msg);
    append(expect, t);
  }
  CHECK(max == expect);
  bytes odd(45);
  REQUIRE(ckx::prf_plus<sha512>(key, seed, odd));
  CHECK(hex::encode(odd) == hex::encode(byte_view(*ckx::prf_plus(ckx::prf_id::hmac_sha2_512, key, seed, 45))));
}

#include "darekit/ckx/batch.hpp"
#include "darekit/crypto/random.hpp"

TEST_CASE("batched X25519 agrees with libsodium, RFC 7748 and the small-order checks", "[ckx][x25519]") {
  INFO("batch kernel: " << ckx::x25519_batch_kernel());
  if (active_kernel() != kernel::avx512) CHECK(ckx::x25519_batch_kernel() == "libsodium");
  for (std::size_t n : {1u, 2u, 7u, 8u, 9u, 23u}) {
    auto kp = ckx::x25519_generate();
    std::vector<ckx::x25519_public> peers(n);
    for (std::size_t i = 0; i < n; ++i) {
      random_fill(peers[i]);
      if (i % 3 == 1) peers[i][31] |= 0x80;  // bit 255 must be ignored
      if (i == 4) peers[i].fill(0xff);       // non-canonical: >= p
    }
    if (n > 5) peers[5] = {};                // small order: all-zero output
    if (n > 6) peers[6] = {1};
    std::vector<ckx::x25519_shared> out(n);
    std::vector<std::uint8_t> ok(n);
    ckx::x25519_shared_batch(kp.sk, peers, out, ok);
    for (std::size_t i = 0; i < n; ++i) {
      auto want = ckx::x25519_shared_secret(kp.sk, peers[i]);
      CHECK(bool(ok[i]) == want.has_value());
      if (want) CHECK(hex::encode(out[i].view()) == hex::encode(want->view()));
    }
  }
  // RFC 7748 §5.2 vector through the batch path, eight copies
  ckx::x25519_secret k(unhex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"));
  std::vector<ckx::x25519_public> u(8);
  auto ub = unhex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
  for (auto& x : u) std::copy(ub.begin(), ub.end(), x.begin());
  std::vector<ckx::x25519_shared> out(8);
  std::vector<std::uint8_t> ok(8);
  ckx::x25519_shared_batch(k, u, out, ok);
  for (auto& o : out) CHECK(hex::encode(o.view()) == "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
}
