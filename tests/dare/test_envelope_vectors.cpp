// Spec §10.1-§10.4 envelope vectors (2024, 2023 and draft -12 forms): every one parses,
// decrypts with Alice's key, and verifies its signatures and witness values.
#include <catch2/catch.hpp>

#include "darekit/dare.hpp"
#include "spec_vectors.hpp"
#include "test_util.hpp"

using namespace darekit;

namespace {
const std::string kPlain = "This is a test long enough to require multiple blocks";

udf::key_pair ed_key(std::string_view b64) {
  auto k = dare::private_key_from_json(json::object{{"PrivateKeyECDH", json::object{{"Private", b64}, {"crv", "Ed25519"}}}});
  REQUIRE(k.has_value());
  return *k;
}
// The reference vectors are A256CBC (unauthenticated): reading them needs the opt-in.
dare::envelope_info dec(std::string_view env, bytes& out, dare::decode_options o = {}) {
  out.clear();
  o.allow_unauthenticated = true;
  auto r = dare::decode(as_bytes(env), out, o);
  INFO(r.err().what());
  REQUIRE(r.has_value());
  return *r;
}
}  // namespace

TEST_CASE("2024 plaintext and EDS envelopes", "[dare][vectors]") {
  bytes out;
  auto i = dec(vectors::v2024_plain, out);
  CHECK(as_chars(out) == kPlain);
  CHECK(i.tagged);
  CHECK_FALSE(i.encrypted);
  i = dec(vectors::v2024_eds, out);
  CHECK(as_chars(out) == kPlain);
  REQUIRE(i.annotations.size() == 2);
  CHECK(as_chars(i.annotations[0]) == "Subject: Message metadata should be encrypted");
  CHECK(as_chars(i.annotations[1]) == "2018-02-01");
  CHECK(i.header.annotations()[1].as_binary() == test::unhex("880101880a323031382d30322d3031"));
}

TEST_CASE("2024 key derivations: public keys and key ids", "[dare][vectors]") {
  auto enc = ed_key("nwl9iSSW2OyJf2Pf5kNt7EqNKCpE6uxdmY_46a8SGUA");
  auto sig = ed_key("TDuiCw36Z9tFE65-5wImmDqIZv8AsY6TBTkNQuxVxbU");
  CHECK(base64::encode_url(enc.public_key) == "YGeU8eFXt5yrx9dLZcMMxMILtFXVyJYm4N_EgQpLny0");
  CHECK(base64::encode_url(sig.public_key) == "xPiiZwuXHyvPobmFiwgRctaWol1iGfZX4tv163XM1eI");
  CHECK(dare::public_of(enc).kid().value() == "MC3P-SEXC-G5NY-LUUQ-CDZU-JZTN-HMPX");
  CHECK(dare::public_of(sig).kid().value() == "MBXV-TFAE-W2F4-MD2J-RTSC-BI5S-RZOF");
}

TEST_CASE("2024 encrypted envelope (KEK info \"master\")", "[dare][vectors]") {
  dare::decode_options o;
  o.keys.push_back(ed_key("nwl9iSSW2OyJf2Pf5kNt7EqNKCpE6uxdmY_46a8SGUA"));
  bytes out;
  auto i = dec(vectors::v2024_encrypted, out, o);
  CHECK(as_chars(out) == kPlain);
  CHECK(i.encrypted);
  CHECK(i.header.salt().value() == test::unhex("C7F965E491297039B904BF2A7B1F38B4"));
  // the intermediate values of §10.1, from our own primitives
  const auto seed = test::unhex("D4B90B188F3B1A86E96DB617785B034110B5630DA74EF1A42576B27C48EAD3F1");
  auto prk = dare::item_prk(seed, *i.header.salt());
  auto key = dare::item_derive(prk, "encrypt", 32);
  REQUIRE(key.has_value());
  CHECK(to_bytes(key->view()) == test::unhex("5E9A43793E0F8965C4C0F4809B461405BB2D6D917375B777705E1C78632E7448"));
  // without the key: a clean no_key error
  bytes none;
  dare::decode_options nokey;
  nokey.allow_unauthenticated = true;
  CHECK(dare::decode(as_bytes(vectors::v2024_encrypted), none, nokey).code() == errc::no_key);
  dare::decode_options wrong = nokey;
  wrong.keys.push_back(ed_key("TDuiCw36Z9tFE65-5wImmDqIZv8AsY6TBTkNQuxVxbU"));
  CHECK(dare::decode(as_bytes(vectors::v2024_encrypted), none, wrong).code() == errc::no_key);
}

TEST_CASE("2024 signed and signed+encrypted envelopes (manifest Ed25519, WitnessValue)", "[dare][vectors]") {
  auto sig = ed_key("TDuiCw36Z9tFE65-5wImmDqIZv8AsY6TBTkNQuxVxbU");
  dare::decode_options o;
  o.signers.push_back(dare::public_of(sig));
  bytes out;
  auto i = dec(vectors::v2024_signed, out, o);
  CHECK(as_chars(out) == kPlain);
  CHECK(i.digest_checked);
  CHECK(i.signatures_verified == 1);
  CHECK(dare::signature_manifest("S512", *i.trailer.payload_digest()) ==
        test::unhex("80045335313288" "40ada8a6f1257969d3db5969fc14c3389ab4404023bd0368d9d0d6409c55d6946d3117ab161896e729276d209326314fe18daae520f128637bf2f54755947e4a02"));
  o.keys.push_back(ed_key("nwl9iSSW2OyJf2Pf5kNt7EqNKCpE6uxdmY_46a8SGUA"));
  i = dec(vectors::v2024_signed_encrypted, out, o);
  CHECK(as_chars(out) == kPlain);
  CHECK(i.digest_checked);
  CHECK(i.signatures_verified == 1);
  CHECK(i.trailer.witness_value().has_value());
  // a different signer does not verify
  dare::decode_options bad = o;
  bad.signers = {dare::public_of(o.keys[0])};
  CHECK(dare::decode(as_bytes(vectors::v2024_signed_encrypted), out, bad).code() == errc::verification_failed);
}

TEST_CASE("2023 envelopes: legacy dom2 signatures and in-signature witness", "[dare][vectors]") {
  auto enc = ed_key("paX59ChSdnCUnAwmBYVFFqV5Cbr8g1A6iJ1axyQGFqk");
  auto sig = ed_key("hkYsLO2D7_4vuqZB3MFMV6blEozFJ5KL6CqBtu61Ops");
  CHECK(base64::encode_url(enc.public_key) == "i3K71T5Wk65mjz0pnIKxja3WkFlrsnDS8fRz1p7sYrI");
  CHECK(base64::encode_url(sig.public_key) == "6IllIS_fuWGicq8yiodLGiLYi2-zDhn7vERoeSlyIuo");
  dare::decode_options o;
  o.keys.push_back(enc);
  bytes out;
  dec(vectors::v2023_encrypted, out, o);
  CHECK(as_chars(out) == kPlain);
  o.signers.push_back(dare::public_of(sig));
  auto i = dec(vectors::v2023_signed, out, o);
  CHECK(as_chars(out) == kPlain);
  CHECK(i.signatures_verified == 1);
  i = dec(vectors::v2023_signed_encrypted, out, o);
  CHECK(as_chars(out) == kPlain);
  CHECK(i.signatures_verified == 1);
  // legacy signatures do not verify as pure Ed25519 and vice versa
  const auto& s = i.trailer.signatures()[0];
  json::value relabelled = s;
  relabelled.set("alg", "ED25519");
  CHECK_FALSE(dare::verify_signature(relabelled, dare::public_of(sig), {}, *i.trailer.payload_digest()).has_value());
  CHECK(dare::verify_signature(s, dare::public_of(sig), {}, *i.trailer.payload_digest()).has_value());
}

TEST_CASE("draft -12 encrypted envelope", "[dare][vectors]") {
  dare::decode_options o;
  o.keys.push_back(ed_key("y2kAJdaAR1hyqHOYlIsH4-pOqV7qJU1iFZ2ZNZ68j8M"));
  bytes out;
  dec(vectors::v12_encrypted, out, o);
  CHECK(as_chars(out) == kPlain);
  // and the -12 legacy signature over the PayloadDigest of the plaintext
  json::value s{json::object{{"alg", "S512"}, {"signature", "3bncPZjGBT3ZamGcqxTr2xy_gcPqSU4MJNh0N1ByjyeTBc56ZCSdPaMEcneM-I3gC1tYENjuZeaeHvFQqYZRDA"}}};
  dare::public_key pk{udf::key_alg::ed25519, base64::decode_url("NMUPOdgVnHXNyTyBcQi_qB6qfpil_Itl4qMfkH7THvQ").value()};
  CHECK(dare::verify_signature(s, pk, {}, dare::any_digest::of(dare::digest_alg::s512, as_bytes(kPlain))).has_value());
}

TEST_CASE("mail examples: plaintext EDS + ContentMetaData, encrypted one parses", "[dare][vectors]") {
  bytes out;
  auto i = dec(vectors::mail_plain, out);
  CHECK_FALSE(i.tagged);
  CHECK(as_chars(out) == "The CEO told me the product launch is today. Tell no-one!");
  REQUIRE(i.annotations.size() == 3);
  CHECK(as_chars(i.annotations[0]) == "From: Alice@example.com");
  CHECK(as_chars(i.annotations[1]) == "To: bob@example.com");
  CHECK(as_chars(i.header.content_meta().value()) == "{\n  \"cty\": \"application/example-mail\"}");
  auto e = dare::inspect(as_bytes(vectors::mail_encrypted));
  REQUIRE(e.has_value());
  CHECK(e->header.annotations().size() == 3);
  CHECK(e->header.annotations()[2].as_binary().size() == 3 + 2 + 48);
  // §10.4 EDS byte example
  auto f = dare::eds_parse(test::unhex("880100881746726f6d3a20416c696365406578616d706c652e636f6d"));
  REQUIRE(f.has_value());
  CHECK(as_chars(f->body) == "From: Alice@example.com");
}

TEST_CASE("spec 3.2 JSON-B envelope (reference JsonBWriter form) decodes and its digest checks", "[dare][vectors]") {
  const auto doc = test::unhex(
      "5b7bb403646967800453353132" "7d88" "0548656c6c6f"
      "7bb40d5061796c6f6164446967657374" "8840"
      "3615f80c9d293ed7402687f94b22d58e529b8cc7916f8fac7fddf7fbd5af4cf777d3d795a7a00a16bf7e7f3fb9561ee9baae480da9fe7a18769e71886b03f315"
      "7d5d");
  bytes out;
  auto i = dec(as_chars(doc), out);
  CHECK(as_chars(out) == "Hello");
  CHECK(i.digest_checked);
  bytes bad = doc;
  bad[20] ^= 1;  // inside the body
  CHECK(dare::decode(bad, out).code() == errc::verification_failed);
}
