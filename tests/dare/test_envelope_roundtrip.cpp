// Envelope round trips: every encryption profile, encoding and size class, several
// recipients of both curves, signatures, EDS and cloaked headers, unknown fields.
#include <catch2/catch.hpp>

#include "darekit/codec/json_simd.hpp"
#include "darekit/dare.hpp"
#include "test_util.hpp"

using namespace darekit;

namespace {
udf::key_pair gen(udf::key_alg a) {
  auto k = udf::derive_key(udf::generate_key_seed(a));
  REQUIRE(k.has_value());
  return *k;
}
bytes ramp(std::size_t n) {
  bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = std::uint8_t(i * 7 + (i >> 8));
  return b;
}
}  // namespace

TEST_CASE("round trip: profiles x encodings x sizes", "[dare][roundtrip]") {
  auto bob = gen(udf::key_alg::x25519);
  auto carol = gen(udf::key_alg::ed25519);
  for (auto enc : {dare::enc_alg::xc20p, dare::enc_alg::a256gcm, dare::enc_alg::a256cbc, dare::enc_alg::none}) {
    if (enc == dare::enc_alg::a256gcm && !aes256gcm_available()) continue;
    for (auto form : {dare::encoding::json, dare::encoding::jsonb, dare::encoding::mixed}) {
      for (std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(65535), std::size_t(65536), std::size_t(65537), std::size_t(200000)}) {
        for (bool tagged : {false, true}) {
          INFO("enc " << dare::enc_name(enc) << " form " << int(form) << " n " << n << " tagged " << tagged);
          dare::encode_options o;
          o.enc = enc;
          if (enc != dare::enc_alg::none) o.recipients = {dare::public_of(bob), dare::public_of(carol)};
          o.form = form;
          o.tagged = tagged;
          const bytes p = ramp(n);
          auto env = dare::encode(p, o);
          REQUIRE(env.has_value());
          if (enc == dare::enc_alg::xc20p || enc == dare::enc_alg::a256gcm) {
            auto info = dare::inspect(*env);
            REQUIRE(info.has_value());
            CHECK(info->stored_size == dare::aead_stored_size(n));
            CHECK(info->trailer.payload_tag()->size() == 16);
          }
          for (const auto& key : {bob, carol}) {
            dare::decode_options d;
            d.keys = {key};
            d.allow_unauthenticated = enc == dare::enc_alg::a256cbc;
            bytes out;
            auto r = dare::decode(*env, out, d);
            INFO(r.err().what());
            REQUIRE(r.has_value());
            CHECK(out == p);
            CHECK(r->tagged == tagged);
            CHECK(r->authenticated == (enc == dare::enc_alg::xc20p || enc == dare::enc_alg::a256gcm));
          }
        }
      }
    }
  }
}

TEST_CASE("streaming decode through a read function with tiny buffers", "[dare][roundtrip]") {
  auto bob = gen(udf::key_alg::x25519);
  dare::encode_options o;
  o.recipients = {dare::public_of(bob)};
  const bytes p = ramp(300000);
  for (auto form : {dare::encoding::json, dare::encoding::jsonb}) {
    o.form = form;
    // streaming writer, fed in odd pieces
    bytes env;
    auto w = dare::envelope_writer::create([&](byte_view b) { append(env, b); return ok(); }, o);
    REQUIRE(w.has_value());
    for (std::size_t at = 0; at < p.size(); at += 777) REQUIRE(w->write(byte_view(p).subspan(at, std::min<std::size_t>(777, p.size() - at))));
    REQUIRE(w->finish());
    std::size_t pos = 0;
    jsonb::input in([&](byte_span out) -> result<std::size_t> {
      const std::size_t k = std::min<std::size_t>({out.size(), env.size() - pos, 13});
      std::memcpy(out.data(), env.data() + pos, k);
      pos += k;
      return k;
    }, 64);
    bytes out;
    dare::decode_options d;
    d.keys = {bob};
    auto r = dare::decode(in, [&](byte_view b) { append(out, b); return ok(); }, d);
    INFO(r.err().what());
    REQUIRE(r.has_value());
    CHECK(out == p);
  }
}

TEST_CASE("signed, signed+encrypted, several signers, EDS, cloaked, unknown fields", "[dare][roundtrip]") {
  auto bob = gen(udf::key_alg::ed25519);
  auto s1 = gen(udf::key_alg::ed25519);
  auto s2 = gen(udf::key_alg::ed25519);
  for (auto enc : {dare::enc_alg::none, dare::enc_alg::xc20p, dare::enc_alg::a256cbc}) {
    for (auto dig : {dare::digest_alg::s512, dare::digest_alg::s256, dare::digest_alg::sha3_512}) {
      INFO(dare::enc_name(enc) << " " << dare::digest_name(dig));
      dare::encode_options o;
      o.enc = enc;
      o.dig = dig;
      if (enc != dare::enc_alg::none) {
        o.recipients = {dare::public_of(bob)};
        o.cloaked = json::value(json::object{{"Secret", "header"}});
      }
      o.signers = {s1, s2};
      o.annotations = {to_bytes("Subject: hi"), to_bytes("2018-02-01")};
      o.content_meta = to_bytes("{\"cty\":\"text/plain\"}");
      o.extra_header = {{"EnvelopeId", "MABC"}, {"X-Unknown", json::object{{"n", 5}}}};
      const bytes p = ramp(1000);
      auto env = dare::encode(p, o);
      REQUIRE(env.has_value());
      dare::decode_options d;
      d.keys = {bob};
      d.signers = {dare::public_of(s2), dare::public_of(s1)};
      bytes out;
      auto r = dare::decode(*env, out, d);
      INFO(r.err().what());
      REQUIRE(r.has_value());
      CHECK(out == p);
      CHECK(r->signatures_verified == 2);
      CHECK(r->digest_checked);
      CHECK(r->computed_digest->size() == (dig == dare::digest_alg::s256 ? 32u : 64u));
      REQUIRE(r->annotations.size() == 2);
      CHECK(as_chars(r->annotations[1]) == "2018-02-01");
      CHECK(r->header.find("X-Unknown")->find("n")->to_int64() == 5);
      CHECK(r->header.get_string("EnvelopeId") == "MABC");
      if (enc != dare::enc_alg::none) {
        REQUIRE(r->cloaked.has_value());
        CHECK(r->cloaked->find("Secret")->as_string() == "header");
        CHECK(r->trailer.witness_value().has_value());
      }
      // header and trailer survive JSON -> model -> JSON-B -> model
      auto h2 = dare::header::from_value(*jsonb::parse(r->header.to_jsonb()));
      REQUIRE(h2.has_value());
      CHECK(h2->value() == r->header.value());
      CHECK(h2->binding() == r->header.binding());
      // a signer who did not sign fails verification
      d.signers = {dare::public_of(bob)};
      CHECK(dare::decode(*env, out, d).code() == errc::verification_failed);
    }
  }
}

TEST_CASE("unsupported curves and algorithms are clear errors", "[dare][roundtrip]") {
#if defined(DAREKIT_WITH_OPENSSL)
  dare::public_key x448{udf::key_alg::ed448, bytes(57, 9)};  // Edwards448 agreement is not implemented
#else
  dare::public_key x448{udf::key_alg::x448, bytes(56, 9)};
#endif
  dare::encode_options o;
  o.recipients = {x448};
  auto r = dare::encode(to_bytes("x"), o);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.code() == errc::unsupported);
  CHECK(r.err().message.find("unsupported curve") != std::string::npos);
  bytes out;
  CHECK(dare::decode(as_bytes(R"([{"enc":"A128CTR","Salt":"AAAAAAAAAAAAAAAAAAAAAA"},""])"), out).code() == errc::unsupported);
}

TEST_CASE("recipients: kid mismatch falls back to trying each; KEK info dare-master", "[dare][roundtrip]") {
  auto bob = gen(udf::key_alg::ed25519);
  dare::encode_options o;
  o.enc = dare::enc_alg::a256cbc;  // the CBC header is not bound, so the kid can be edited
  o.recipients = {dare::public_of(bob)};
  auto env = dare::encode(to_bytes("fallback"), o).value();
  auto text = std::string(as_chars(env));
  auto kid = dare::public_of(bob).kid().value();
  auto pos = text.find(kid);
  REQUIRE(pos != std::string::npos);
  text.replace(pos, kid.size(), "MAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA");
  dare::decode_options d;
  d.keys = {gen(udf::key_alg::ed25519), bob};
  d.allow_unauthenticated = true;
  bytes out;
  auto r = dare::decode(as_bytes(text), out, d);
  INFO(r.err().what());
  REQUIRE(r.has_value());
  CHECK(as_chars(out) == "fallback");

  // a recipient entry wrapped under the draft's "dare-master" KEK info still opens
  const bytes seed(32, 0x5A);
  secret<32> eseed;
  random_fill(eseed.span());
  auto eph = udf::key_pair_from_private(udf::key_alg::ed25519, eseed.view()).value();
  auto z = dare::detail::agree(eph, bob.public_key).value();
  auto kek = dare::detail::kek(z, "dare-master").value();
  json::value entry{json::object{{"kid", kid}, {"epk", dare::public_of(eph).to_json()},
                                 {"wmk", key_wrap::wrap(kek.view(), seed).value()}}};
  auto got = dare::unwrap_base_seed(json::array{entry}, std::span(&bob, 1));
  REQUIRE(got.has_value());
  CHECK(to_bytes(got->view()) == seed);
  // and a wrong key is a clean no_key
  auto other = gen(udf::key_alg::ed25519);
  CHECK(dare::unwrap_base_seed(json::array{entry}, std::span(&other, 1)).code() == errc::no_key);
}

TEST_CASE("decode through a failing read function reports the I/O error", "[dare][roundtrip]") {
  auto env = dare::encode(bytes(100000, 1), {}).value();
  std::size_t pos = 0;
  jsonb::input in([&](byte_span out) -> result<std::size_t> {
    if (pos > 50000) return fail(errc::io_error, "disk on fire");
    const std::size_t k = std::min(out.size(), env.size() - pos);
    std::memcpy(out.data(), env.data() + pos, k);
    pos += k;
    return k;
  }, 4096);
  auto r = dare::decode(in, [](byte_view) { return ok(); });
  CHECK(r.code() == errc::io_error);
}

TEST_CASE("a dig named only in the trailer: signatures still cover the payload", "[dare][signature]") {
  auto s1 = gen(udf::key_alg::ed25519);
  dare::encode_options o;
  o.enc = dare::enc_alg::none;
  o.signers = {s1};
  o.form = dare::encoding::json;
  const bytes p = ramp(3000);
  // Rewrite a signed plaintext envelope so that `dig` sits in the trailer only, optionally
  // naming another algorithm and/or with a changed payload.
  auto moved = [&](dare::digest_alg dig, const std::string& trailer_dig, bool tamper) {
    o.dig = dig;
    auto env = dare::encode(p, o);
    REQUIRE(env.has_value());
    auto v = json::parse_text(as_chars(*env));
    REQUIRE(v.has_value());
    auto& arr = v->as_array();
    REQUIRE(arr.size() == 3);
    REQUIRE(arr[0].erase("dig"));
    arr[2].set("dig", trailer_dig);
    if (tamper) {
      auto q = p;
      q[100] ^= 1;
      arr[1] = json::value(base64::encode_url(q));
    }
    return to_bytes(json::to_string(*v));
  };
  dare::decode_options d;
  d.signers = {dare::public_of(s1)};
  bytes out;
  auto r = dare::decode(moved(dare::digest_alg::s512, "S512", false), out, d);
  INFO(r.err().what());
  REQUIRE(r.has_value());
  CHECK(out == p);
  CHECK(r->digest_checked);
  CHECK(r->signatures_verified == 1);
  // the same envelope with one payload bit changed: the signature must not carry it
  out.clear();
  CHECK(dare::decode(moved(dare::digest_alg::s512, "S512", true), out, d).code() == errc::verification_failed);
  // another algorithm named only in the trailer cannot be checked in one pass: a clear error
  out.clear();
  CHECK(dare::decode(moved(dare::digest_alg::s256, "S256", false), out, d).code() == errc::unsupported);
  // without signature verification the payload still decodes (nothing claims it is signed)
  out.clear();
  dare::decode_options plain;
  auto r2 = dare::decode(moved(dare::digest_alg::s512, "S512", true), out, plain);
  REQUIRE(r2.has_value());
  CHECK_FALSE(r2->digest_checked);
}
