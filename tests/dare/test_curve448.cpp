// X448 recipients and Ed448 signatures (optional OpenSSL backend, DAREKIT_WITH_OPENSSL).
// With the backend: UDF spec TV-10(b) X448/Ed448 seed vectors, X448 agreement against
// OpenSSL called directly, envelope round trips (X448 alone and mixed with X25519 and
// Ed25519), Ed448 signatures and tampering. Without it: every 448 operation is a clean
// errc::unsupported "unsupported curve".
#include <catch2/catch.hpp>

#include "darekit/dare.hpp"
#include "test_util.hpp"

#if defined(DAREKIT_WITH_OPENSSL)
#include <openssl/evp.h>
#include <openssl/x509.h>
#endif

using namespace darekit;

namespace {
bool has(const error& e, std::string_view s) { return e.message.find(s) != std::string::npos; }
}  // namespace

#if defined(DAREKIT_WITH_OPENSSL)

namespace {
bytes ramp(std::size_t n) {
  bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = std::uint8_t(i * 13 + (i >> 9));
  return b;
}
udf::key_pair gen(udf::key_alg a) {
  auto k = udf::derive_key(udf::generate_key_seed(a));
  REQUIRE(k.has_value());
  return *k;
}
// X448 with OpenSSL used directly (independent of darekit's wrapper).
bytes openssl_x448(byte_view priv, byte_view peer) {
  EVP_PKEY* a = EVP_PKEY_new_raw_private_key(EVP_PKEY_X448, nullptr, priv.data(), priv.size());
  EVP_PKEY* b = EVP_PKEY_new_raw_public_key(EVP_PKEY_X448, nullptr, peer.data(), peer.size());
  REQUIRE(a);
  REQUIRE(b);
  EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(a, nullptr);
  bytes z(56);
  std::size_t n = z.size();
  REQUIRE(EVP_PKEY_derive_init(c) == 1);
  REQUIRE(EVP_PKEY_derive_set_peer(c, b) == 1);
  REQUIRE(EVP_PKEY_derive(c, z.data(), &n) == 1);
  EVP_PKEY_CTX_free(c);
  EVP_PKEY_free(a);
  EVP_PKEY_free(b);
  return z;
}
}  // namespace

TEST_CASE("TV-10(b) X448 and Ed448 key seeds (L = 56)", "[dare][448][udf]") {
  auto xs = udf::parse("ZAAA-FFQA-3LE5-SAHG-E6K6-HOTN-TVLB-K4A");
  REQUIRE(xs.has_value());
  CHECK(udf::seed_algorithm(*xs).value() == udf::key_alg::x448);
  const bytes x_okm = test::unhex(
      "6879A7D6A62D06C569F3D23868F7072AE4F63EA3DF05B6B86EFA11981A44768E"
      "DB660082647B07B1FE7426869FDA0BEF2F52B8405AE6F272");
  auto xk = udf::derive_key(*xs);
  INFO(xk.err().what());
  REQUIRE(xk.has_value());
  CHECK(xk->alg == udf::key_alg::x448);
  CHECK(bytes(xk->private_bytes().begin(), xk->private_bytes().end()) == x_okm);
  CHECK(xk->public_bytes().size() == 56);

  auto es = udf::parse("ZAAA-ILZB-KTQV-YWUK-FO7E-MQVV-EWPR-UPA");
  REQUIRE(es.has_value());
  CHECK(udf::seed_algorithm(*es).value() == udf::key_alg::ed448);
  bytes e_seed = test::unhex(
      "F9828F36A10C4115A5D64E8A476EFAE8655E80CEAA73A6351EF6AE6E4DF2B854"
      "C905614E07D4333E6D7A3C8DB3E78E3A8A42DAC79736D3B6");
  auto ek = udf::derive_key(*es);
  REQUIRE(ek.has_value());
  CHECK(ek->alg == udf::key_alg::ed448);
  e_seed.push_back(0);  // darekit: the 56-byte OKM padded with one zero byte to the RFC 8032 seed
  CHECK(bytes(ek->private_bytes().begin(), ek->private_bytes().end()) == e_seed);
  CHECK(ek->public_bytes().size() == 57);
  // the OKM itself (56 bytes) matches the vector
  auto okm = udf::derive_okm(*es, 56);
  REQUIRE(okm.has_value());
  CHECK(bytes(okm->view().begin(), okm->view().end()) == bytes(e_seed.begin(), e_seed.end() - 1));
  // key names select other keys
  CHECK(!ct_equal(udf::derive_key(*xs, "other").value().public_bytes(), xk->public_bytes()));
}

TEST_CASE("X448 public keys and agreement match OpenSSL; RFC 7748 vector", "[dare][448]") {
  // RFC 7748 §6.2 (Alice's and Bob's X448 keys, shared secret)
  const bytes a = test::unhex(
      "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b");
  const bytes apub = test::unhex(
      "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0");
  const bytes b = test::unhex(
      "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d");
  const bytes k = test::unhex(
      "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d");
  auto ka = udf::key_pair_from_private(udf::key_alg::x448, a);
  auto kb = udf::key_pair_from_private(udf::key_alg::x448, b);
  REQUIRE(ka.has_value());
  REQUIRE(kb.has_value());
  CHECK(bytes(ka->public_bytes().begin(), ka->public_bytes().end()) == apub);
  auto z1 = dare::detail::agree(*ka, kb->public_bytes());
  auto z2 = dare::detail::agree(*kb, ka->public_bytes());
  REQUIRE(z1.has_value());
  REQUIRE(z2.has_value());
  CHECK(bytes(z1->view().begin(), z1->view().end()) == k);
  CHECK(bytes(z2->view().begin(), z2->view().end()) == k);
  // random keys against OpenSSL directly
  for (int i = 0; i < 8; ++i) {
    auto x = gen(udf::key_alg::x448);
    auto y = gen(udf::key_alg::x448);
    auto z = dare::detail::agree(x, y.public_bytes());
    REQUIRE(z.has_value());
    CHECK(bytes(z->view().begin(), z->view().end()) == openssl_x448(x.private_bytes(), y.public_bytes()));
  }
  // low-order peer (u = 0) is rejected; wrong sizes are errors
  CHECK_FALSE(dare::detail::agree(*ka, bytes(56, 0)).has_value());
  CHECK(dare::detail::agree(*ka, bytes(32, 1)).code() == errc::malformed);
  CHECK(udf::key_pair_from_private(udf::key_alg::x448, bytes(32, 1)).code() == errc::invalid_argument);
  CHECK(udf::key_pair_from_private(udf::key_alg::ed448, bytes(56, 1)).code() == errc::invalid_argument);
}

TEST_CASE("X448/Ed448 key identifiers: three DER forms", "[dare][448][udf]") {
  const bytes pk(56, 0xAB);
  auto der24 = udf::key_info_der(udf::key_alg::x448, pk, udf::key_id_form::reference_2024).value();
  auto der18 = udf::key_info_der(udf::key_alg::x448, pk, udf::key_id_form::reference_18).value();
  auto der84 = udf::key_info_der(udf::key_alg::x448, pk, udf::key_id_form::rfc8410).value();
  CHECK(bytes(der24.begin(), der24.begin() + 14) == test::unhex("3044300506032b6570033b000438"));
  CHECK(bytes(der18.begin(), der18.begin() + 16) == test::unhex("3046300706032b656f0500033b000438"));
  CHECK(bytes(der84.begin(), der84.begin() + 12) == test::unhex("3042300506032b656f033900"));
  CHECK(der24.size() == 70);
  CHECK(der84.size() == 68);
  const bytes epk(57, 0xCD);
  auto e84 = udf::key_info_der(udf::key_alg::ed448, epk, udf::key_id_form::rfc8410).value();
  CHECK(bytes(e84.begin(), e84.begin() + 12) == test::unhex("3043300506032b6571033a00"));
  auto e24 = udf::key_info_der(udf::key_alg::ed448, epk).value();
  CHECK(bytes(e24.begin(), e24.begin() + 14) == test::unhex("3045300506032b6570033c000439"));
  // the RFC 8410 form is what OpenSSL writes as SubjectPublicKeyInfo
  auto kp = gen(udf::key_alg::ed448);
  EVP_PKEY* p = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED448, nullptr, kp.public_bytes().data(), 57);
  REQUIRE(p);
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(p, &der);
  REQUIRE(n > 0);
  CHECK(bytes(der, der + n) == udf::key_info_der(udf::key_alg::ed448, kp.public_bytes(), udf::key_id_form::rfc8410).value());
  OPENSSL_free(der);
  EVP_PKEY_free(p);
  auto kid = udf::key_identifier(kp);
  REQUIRE(kid.has_value());
  CHECK(kid->size() == 34);
  CHECK(kid->front() == 'M');
}

TEST_CASE("X448 envelopes: round trip, several recipients of mixed curves", "[dare][448][roundtrip]") {
  auto bob = gen(udf::key_alg::x448);
  auto carol = gen(udf::key_alg::x25519);
  auto dave = gen(udf::key_alg::ed25519);
  auto eve = gen(udf::key_alg::x448);
  for (auto enc : {dare::enc_alg::xc20p, dare::enc_alg::a256cbc}) {
    for (auto form : {dare::encoding::json, dare::encoding::jsonb}) {
      INFO("enc " << dare::enc_name(enc) << " form " << int(form));
      const bytes p = ramp(70000);
      dare::encode_options o;
      o.enc = enc;
      o.form = form;
      o.recipients = {dare::public_of(bob)};
      auto env = dare::encode(p, o);
      INFO(env.err().what());
      REQUIRE(env.has_value());
      {
        auto info = dare::inspect(*env);
        REQUIRE(info.has_value());
        REQUIRE(info->header.recipients().size() == 1);
        const auto& r = info->header.recipients()[0];
        CHECK(r.find("epk")->find("PublicKeyECDH")->find("crv")->as_string() == "X448");
        CHECK(r.find("epk")->find("PublicKeyECDH")->find("Public")->to_bytes().value().size() == 56);
        CHECK(r.find("kid")->as_string() == udf::key_identifier(bob).value());
        CHECK(r.find("wmk")->to_bytes().value().size() == 40);
      }
      dare::decode_options d;
      d.keys = {bob};
      d.allow_unauthenticated = enc == dare::enc_alg::a256cbc;
      bytes out;
      auto r = dare::decode(*env, out, d);
      INFO(r.err().what());
      REQUIRE(r.has_value());
      CHECK(out == p);
      // a different X448 key, and an X25519 key, are not recipients
      for (const auto& k : {eve, carol}) {
        d.keys = {k};
        bytes o2;
        CHECK(dare::decode(*env, o2, d).code() == errc::no_key);
      }
      // mixed recipients: each key decrypts
      o.recipients = {dare::public_of(carol), dare::public_of(bob), dare::public_of(dave), dare::public_of(eve)};
      auto env2 = dare::encode(p, o);
      REQUIRE(env2.has_value());
      for (const auto& k : {bob, carol, dave, eve}) {
        d.keys = {k};
        bytes o3;
        auto r3 = dare::decode(*env2, o3, d);
        INFO(r3.err().what());
        REQUIRE(r3.has_value());
        CHECK(o3 == p);
      }
    }
  }
}

TEST_CASE("Ed448 signatures: sign/verify, mixed signers, tampering", "[dare][448][signature]") {
  auto sig448 = gen(udf::key_alg::ed448);
  auto sig25519 = gen(udf::key_alg::ed25519);
  auto other448 = gen(udf::key_alg::ed448);
  auto bob = gen(udf::key_alg::x448);
  const bytes p = ramp(5000);

  // direct: the manifest signature object
  const bytes m = dare::signature_manifest("S512", bytes(64, 7));
  auto so = dare::sign_manifest(sig448, m);
  REQUIRE(so.has_value());
  CHECK(so->find("alg")->as_string() == "ED448");
  CHECK(so->find("kid")->as_string() == udf::key_identifier(sig448).value());
  CHECK(so->find("signature")->to_bytes().value().size() == 114);
  CHECK(dare::verify_signature(*so, dare::public_of(sig448), m, {}).has_value());
  CHECK(dare::verify_signature(*so, dare::public_of(other448), m, {}).code() == errc::verification_failed);
  bytes m2 = m;
  m2.back() ^= 1;
  CHECK(dare::verify_signature(*so, dare::public_of(sig448), m2, {}).code() == errc::verification_failed);
  // an Ed25519 signer does not accept an ED448 signature object
  CHECK_FALSE(dare::verify_signature(*so, dare::public_of(sig25519), m, {}).has_value());

  for (bool encrypt : {false, true}) {
    INFO("encrypt " << encrypt);
    dare::encode_options o;
    o.signers = {sig448, sig25519};
    o.form = dare::encoding::json;
    if (encrypt) o.recipients = {dare::public_of(bob)};
    else o.enc = dare::enc_alg::none;
    auto env = dare::encode(p, o);
    INFO(env.err().what());
    REQUIRE(env.has_value());
    dare::decode_options d;
    if (encrypt) d.keys = {bob};
    d.signers = {dare::public_of(sig448), dare::public_of(sig25519)};
    bytes out;
    auto r = dare::decode(*env, out, d);
    INFO(r.err().what());
    REQUIRE(r.has_value());
    CHECK(out == p);
    d.signers = {dare::public_of(other448)};
    bytes o2;
    CHECK(dare::decode(*env, o2, d).code() == errc::verification_failed);

    // tamper with the Ed448 signature bytes inside the envelope (JSON text: re-encode it)
    const std::string text(as_chars(*env));
    // find the 114-byte signature (152 base64url chars) and flip one character in it
    std::string t = text;
    std::size_t pos = std::string::npos;
    for (std::size_t i = 0; (i = t.find("\"signature\":\"", i)) != std::string::npos; i += 13) {
      const std::size_t start = i + 13, end = t.find('"', start);
      if (end != std::string::npos && end - start == 152) { pos = start + 10; break; }
    }
    REQUIRE(pos != std::string::npos);
    t[pos] = t[pos] == 'A' ? 'B' : 'A';
    d.signers = {dare::public_of(sig448)};
    bytes o3;
    CHECK_FALSE(dare::decode(as_bytes(t), o3, d).has_value());
  }
}

TEST_CASE("X448/Ed448 key files: JWK and PublicKeyECDH/PrivateKeyECDH forms", "[dare][448][keys]") {
  auto x = gen(udf::key_alg::x448);
  auto e = gen(udf::key_alg::ed448);
  for (const auto& kp : {x, e}) {
    const auto pub = dare::public_of(kp);
    auto p1 = dare::parse_public_key(json::to_string(pub.to_jwk()));
    auto p2 = dare::parse_public_key(json::to_string(pub.to_json()));
    REQUIRE(p1.has_value());
    REQUIRE(p2.has_value());
    CHECK(p1->key == pub.key);
    CHECK(p2->alg == kp.alg);
    const std::string crv(udf::key_alg_name(kp.alg));
    const std::string priv = "{\"kty\":\"OKP\",\"crv\":\"" + crv + "\",\"d\":\"" + base64::encode_url(kp.private_bytes()) +
                             "\",\"x\":\"" + base64::encode_url(kp.public_bytes()) + "\"}";
    auto k1 = dare::parse_private_key(priv);
    INFO(k1.err().what());
    REQUIRE(k1.has_value());
    CHECK(ct_equal(k1->public_bytes(), kp.public_bytes()));
    const std::string ecdh = "{\"PrivateKeyECDH\":{\"crv\":\"" + crv + "\",\"Private\":\"" +
                             base64::encode_url(kp.private_bytes()) + "\"}}";
    auto k2 = dare::parse_private_key(ecdh);
    REQUIRE(k2.has_value());
    CHECK(ct_equal(k2->private_bytes(), kp.private_bytes()));
    // a wrong-length public key is rejected
    CHECK_FALSE(dare::parse_public_key("{\"kty\":\"OKP\",\"crv\":\"" + crv + "\",\"x\":\"" + base64::encode_url(bytes(32, 1)) + "\"}").has_value());
  }
}

TEST_CASE("Ed448 recipients (Edwards448 agreement) remain unsupported", "[dare][448]") {
  auto e = gen(udf::key_alg::ed448);
  dare::encode_options o;
  o.recipients = {dare::public_of(e)};
  auto r = dare::encode(to_bytes("x"), o);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.code() == errc::unsupported);
  CHECK(has(r.err(), "unsupported curve"));
}

#else  // !DAREKIT_WITH_OPENSSL

TEST_CASE("without the OpenSSL backend X448/Ed448 are 'unsupported curve'", "[dare][448]") {
  STATIC_REQUIRE_FALSE(ossl448_available);
  for (auto a : {udf::key_alg::x448, udf::key_alg::ed448}) {
    auto k = udf::derive_key(udf::make_key_seed(a, as_bytes("seed bytes")));
    CHECK(k.code() == errc::unsupported);
    CHECK(has(k.err(), "unsupported curve"));
    CHECK(udf::key_pair_from_private(a, bytes(57, 1)).code() == errc::unsupported);
    CHECK(udf::key_identifier(a, bytes(a == udf::key_alg::x448 ? 56 : 57, 1)).code() == errc::unsupported);
  }
  // the TV-10 seeds parse but do not derive
  auto xs = udf::parse("ZAAA-FFQA-3LE5-SAHG-E6K6-HOTN-TVLB-K4A");
  REQUIRE(xs.has_value());
  CHECK(udf::derive_key(*xs).code() == errc::unsupported);
  CHECK(dare::parse_private_key("ZAAA-ILZB-KTQV-YWUK-FO7E-MQVV-EWPR-UPA").code() == errc::unsupported);
  // encryption to an X448 key, and an Ed448 signature, are clear errors
  dare::encode_options o;
  o.recipients = {dare::public_key{udf::key_alg::x448, bytes(56, 9)}};
  auto r = dare::encode(to_bytes("x"), o);
  CHECK(r.code() == errc::unsupported);
  CHECK(has(r.err(), "unsupported curve"));
  CHECK(has(r.err(), "DAREKIT_WITH_OPENSSL"));
  auto pk = dare::parse_public_key("{\"kty\":\"OKP\",\"crv\":\"X448\",\"x\":\"" + base64::encode_url(bytes(56, 9)) + "\"}");
  REQUIRE(pk.has_value());  // X448 public keys parse (to be shown and skipped)
  CHECK(pk->kid().code() == errc::unsupported);
  CHECK(dare::parse_private_key("{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"d\":\"" + base64::encode_url(bytes(57, 9)) + "\"}").code() ==
        errc::unsupported);
  const json::value so = json::object{{"alg", "ED448"}, {"signature", bytes(114, 1)}};
  CHECK(dare::verify_signature(so, dare::public_key{udf::key_alg::ed448, bytes(57, 1)}, {}, {}).code() == errc::unsupported);
}

#endif
