// Tamper and truncation: every single-bit flip anywhere in an XC20P or A256GCM envelope
// (header, payload, trailer) makes decoding fail, and every truncation fails cleanly.
#include <catch2/catch.hpp>

#include "darekit/dare.hpp"
#include "test_util.hpp"

using namespace darekit;

TEST_CASE("every bit flip in an AEAD envelope fails", "[dare][tamper]") {
  auto bob = udf::derive_key(udf::generate_key_seed(udf::key_alg::x25519)).value();
  for (auto enc : {dare::enc_alg::xc20p, dare::enc_alg::a256gcm}) {
    if (enc == dare::enc_alg::a256gcm && !aes256gcm_available()) continue;
    for (auto form : {dare::encoding::json, dare::encoding::jsonb}) {
      dare::encode_options o;
      o.enc = enc;
      o.form = form;
      o.recipients = {dare::public_of(bob)};
      o.content_meta = to_bytes("{}");
      const bytes p = to_bytes("attack at dawn, bring snacks");
      auto env = dare::encode(p, o).value();
      dare::decode_options d;
      d.keys = {bob};
      bytes out;
      REQUIRE(dare::decode(env, out, d).has_value());
      std::size_t survived = 0;
      for (std::size_t i = 0; i < env.size(); ++i)
        for (int b = 0; b < 8; ++b) {
          bytes t = env;
          t[i] ^= std::uint8_t(1u << b);
          out.clear();
          if (dare::decode(t, out, d).has_value()) {
            ++survived;
            UNSCOPED_INFO("flip survived at byte " << i << " bit " << b << " ('" << char(env[i]) << "')");
          }
        }
      CHECK(survived == 0);
    }
  }
}

TEST_CASE("every truncation fails cleanly", "[dare][tamper]") {
  auto bob = udf::derive_key(udf::generate_key_seed(udf::key_alg::ed25519)).value();
  for (auto enc : {dare::enc_alg::xc20p, dare::enc_alg::a256cbc, dare::enc_alg::none}) {
    for (auto form : {dare::encoding::json, dare::encoding::jsonb, dare::encoding::mixed}) {
      dare::encode_options o;
      o.enc = enc;
      o.form = form;
      o.tagged = true;
      if (enc != dare::enc_alg::none) o.recipients = {dare::public_of(bob)};
      o.signers = {bob};
      auto env = dare::encode(bytes(100, 0x41), o).value();
      dare::decode_options d;
      d.keys = {bob};
      for (std::size_t n = 0; n < env.size(); ++n) {
        bytes out;
        auto r = dare::decode(byte_view(env).first(n), out, d);
        INFO(n);
        CHECK_FALSE(r.has_value());
      }
    }
  }
}
