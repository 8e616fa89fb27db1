// A256CBC bit-compatibility: our envelopes are decrypted by the reference algorithm
// (spec §5.2, §5.4, §6) written independently here on OpenSSL: X25519 agreement,
// HKDF-SHA-512 KEK (info ""), RFC 3394 unwrap, HKDF-SHA-256 "encrypt"/"iv",
// AES-256-CBC with PKCS#7, PayloadDigest = SHA-512(ciphertext), Ed25519 over the manifest.
#include <openssl/evp.h>

#include <catch2/catch.hpp>

#include "crypto/openssl_peer.hpp"
#include "darekit/codec/json_simd.hpp"
#include "darekit/dare.hpp"
#include "test_util.hpp"

using namespace darekit;

namespace {
bytes ossl_hkdf(const char* md, byte_view ikm, byte_view salt, std::string_view info, std::size_t n) {
  const std::size_t hl = std::string_view(md) == "SHA512" ? 64 : 32;
  bytes zero(hl, 0);
  const bytes prk = test::ossl_hmac(md, salt.empty() ? byte_view(zero) : salt, ikm);
  bytes out, t;
  for (std::uint8_t i = 1; out.size() < n; ++i) {
    bytes m = t;
    append(m, as_bytes(info));
    m.push_back(i);
    t = test::ossl_hmac(md, prk, m);
    append(out, t);
  }
  out.resize(n);
  return out;
}
bytes x25519(byte_view priv, byte_view pub) {
  EVP_PKEY* a = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, priv.data(), priv.size());
  EVP_PKEY* b = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, pub.data(), pub.size());
  EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(a, nullptr);
  bytes z(32);
  std::size_t n = 32;
  REQUIRE(EVP_PKEY_derive_init(c) == 1);
  REQUIRE(EVP_PKEY_derive_set_peer(c, b) == 1);
  REQUIRE(EVP_PKEY_derive(c, z.data(), &n) == 1);
  EVP_PKEY_CTX_free(c); EVP_PKEY_free(a); EVP_PKEY_free(b);
  return z;
}
bytes cipher(const EVP_CIPHER* ci, bool enc, byte_view key, byte_view iv, byte_view in, bool wrap = false) {
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  if (wrap) EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  REQUIRE(EVP_CipherInit_ex(c, ci, nullptr, key.data(), iv.empty() ? nullptr : iv.data(), enc) == 1);
  bytes out(in.size() + 32);
  int n1 = 0, n2 = 0;
  REQUIRE(EVP_CipherUpdate(c, out.data(), &n1, in.data(), int(in.size())) == 1);
  REQUIRE(EVP_CipherFinal_ex(c, out.data() + n1, &n2) == 1);
  EVP_CIPHER_CTX_free(c);
  out.resize(std::size_t(n1 + n2));
  return out;
}
bool ed25519_verify(byte_view pk, byte_view sig, byte_view msg) {
  EVP_PKEY* k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pk.data(), pk.size());
  EVP_MD_CTX* c = EVP_MD_CTX_new();
  EVP_DigestVerifyInit(c, nullptr, nullptr, nullptr, k);
  const bool ok = EVP_DigestVerify(c, sig.data(), sig.size(), msg.data(), msg.size()) == 1;
  EVP_MD_CTX_free(c); EVP_PKEY_free(k);
  return ok;
}
}  // namespace

TEST_CASE("our A256CBC envelopes decrypt with the reference algorithm (OpenSSL)", "[dare][interop]") {
  auto bob = udf::derive_key(udf::generate_key_seed(udf::key_alg::x25519)).value();
  auto signer = udf::derive_key(udf::generate_key_seed(udf::key_alg::ed25519)).value();
  for (std::size_t n : {std::size_t(0), std::size_t(15), std::size_t(16), std::size_t(53), std::size_t(100000)}) {
    bytes p(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = std::uint8_t(i * 31);
    dare::encode_options o;
    o.enc = dare::enc_alg::a256cbc;
    o.recipients = {dare::public_of(bob)};
    o.signers = {signer};
    o.form = dare::encoding::json;
    o.tagged = true;
    auto env = dare::encode(p, o);
    REQUIRE(env.has_value());
    // parse as plain JSON (simdjson): {"DareEnvelope":[header, body, trailer]}
    auto doc = json::parse_text(as_chars(*env));
    REQUIRE(doc.has_value());
    const auto& arr = doc->find("DareEnvelope")->as_array();
    REQUIRE(arr.size() == 3);
    const auto& h = arr[0];
    CHECK(h.find("enc")->as_string() == "A256CBC");
    const bytes salt = h.find("Salt")->to_bytes().value();
    const auto& r = h.find("recipients")->as_array().at(0);
    CHECK(r.find("kid")->as_string() == dare::public_of(bob).kid().value());
    const bytes epk = r.find("epk")->find("PublicKeyECDH")->find("Public")->to_bytes().value();
    CHECK(r.find("epk")->find("PublicKeyECDH")->find("crv")->as_string() == "X25519");
    const bytes wmk = r.find("wmk")->to_bytes().value();
    const bytes z = x25519(bob.private_key.view(), epk);
    const bytes kek = ossl_hkdf("SHA512", z, {}, "", 32);
    const bytes seed = cipher(EVP_aes_256_wrap(), false, kek, {}, wmk, true);
    REQUIRE(seed.size() == 32);
    const bytes key = ossl_hkdf("SHA256", seed, salt, "encrypt", 32);
    const bytes iv = ossl_hkdf("SHA256", seed, salt, "iv", 16);
    const bytes ct = arr[1].to_bytes().value();
    CHECK(ct.size() == 16 * (n / 16 + 1));
    CHECK(cipher(EVP_aes_256_cbc(), false, key, iv, ct) == p);
    // trailer: PayloadDigest = SHA-512(ciphertext); 2024 signature over the manifest; witness
    const auto& t = arr[2];
    const bytes pd = t.find("PayloadDigest")->to_bytes().value();
    CHECK(pd == test::ossl_digest("SHA512", ct));
    bytes manifest = test::unhex("800453353132");
    manifest.push_back(0x88);
    manifest.push_back(0x40);
    append(manifest, pd);
    const auto& sig = t.find("signatures")->as_array().at(0);
    CHECK(sig.find("alg")->as_string() == "ED25519");
    CHECK(ed25519_verify(signer.public_key, sig.find("signature")->to_bytes().value(), manifest));
    CHECK(t.find("WitnessValue")->to_bytes().value() == ossl_hkdf("SHA256", seed, salt, as_chars(manifest), 32));
  }
}
