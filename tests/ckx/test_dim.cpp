// ckx layer 2: DIM encodings (round trips, strictness), policy selection, derive_pair.
#include "darekit/ckx/derive.hpp"
#include "darekit/ckx/dim_json.hpp"
#include "test_util.hpp"

using namespace darekit;
using darekit::test::unhex;

namespace {
bytes seq_bytes(int from, int n) {
  bytes b;
  for (int i = 0; i < n; ++i) b.push_back(std::uint8_t(from + i));
  return b;
}
const ckx::x25519_secret alice{*hex::decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")};
const ckx::x25519_secret bob{*hex::decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")};
ckx::dim dim_a(std::vector<ckx::policy> pols = {}) {
  return ckx::make_dim(as_bytes("node-a"), ckx::x25519_public_of(alice), seq_bytes(0, 32), 0x0000000100000001ull, std::move(pols));
}
ckx::dim dim_b(std::vector<ckx::policy> pols = {}) {
  return ckx::make_dim(as_bytes("node-b"), ckx::x25519_public_of(bob), seq_bytes(0x20, 32), 0x0000000100000002ull, std::move(pols));
}
}  // namespace

TEST_CASE("DIM binary and JSON round trips", "[ckx][dim]") {
  auto d = dim_a({{1, ckx::encr_id::aes_gcm_16, 256}, {2, ckx::encr_id::chacha20_poly1305, 256}});
  d.initial = true;
  d.lifetime_s = 3600;
  d.rekey_counter = 0xfedcba9876543210ull;
  auto bin = ckx::encode_binary(d);
  REQUIRE(bin);
  CHECK(hex::encode(byte_view(*bin).first(14)) == "434b58440103fedcba9876543210");
  auto back = ckx::decode_binary(*bin);
  REQUIRE(back);
  CHECK(*back == d);
  auto js = ckx::encode_json(d);
  REQUIRE(js);
  CHECK(js->find("\"rekey_counter\":18364758544493064720") != std::string::npos);
  auto jback = ckx::decode_json(*js);
  REQUIRE(jback);
  CHECK(*jback == d);
  CHECK(*ckx::decode_any(as_bytes(*js)) == d);
  CHECK(*ckx::decode_any(*bin) == d);
  auto plain = dim_b();
  CHECK(*ckx::decode_json(*ckx::encode_json(plain)) == plain);
  CHECK(*ckx::decode_binary(*ckx::encode_binary(plain)) == plain);
  // whitespace and key order do not matter on read
  const std::string loose = " { \"nonce\" : \"" + hex::encode(plain.nonce) + "\", \"version\":1, \"peer_id\":\"6e6f64652d62\",\n"
                            "\"kes\":[ {\"pub\":\"" + hex::encode(plain.kes[0].pub) + "\",\"group\":31} ],\"initial\":false,"
                            "\"rekey_counter\":4294967298 }";
  CHECK(*ckx::decode_json(loose) == plain);
}

TEST_CASE("malformed binary DIMs are clear errors", "[ckx][dim]") {
  const bytes good = *ckx::encode_binary(dim_a({{1, ckx::encr_id::aes_gcm_16, 256}}));
  for (std::size_t n = 0; n < good.size(); ++n) {
    auto r = ckx::decode_binary(byte_view(good).first(n));
    CHECK_FALSE(r);
  }
  auto mut = [&](std::size_t off, std::uint8_t v) { bytes b = good; b[off] = v; return ckx::decode_binary(b).code(); };
  CHECK(mut(0, 'X') == errc::malformed);          // magic
  CHECK(mut(4, 2) == errc::unsupported);          // version
  CHECK(mut(5, 0x80) == errc::malformed);         // reserved flag
  CHECK(mut(14, 15) != errc::ok);                 // nonce too short
  CHECK(mut(14, 65) == errc::malformed);          // nonce too long
  bytes extra = good;
  extra.push_back(0);
  CHECK(ckx::decode_binary(extra).code() == errc::malformed);
  CHECK(ckx::decode_binary(bytes(5000, 0)).code() == errc::too_large);
  // group 19 KE
  auto d = dim_a();
  bytes b = *ckx::encode_binary(d);
  const std::size_t kpos = 4 + 1 + 1 + 8 + 1 + 32 + 1 + 6 + 1;
  b[kpos + 1] = 19;
  CHECK(ckx::decode_binary(b).code() == errc::unsupported);
  // duplicate proposal numbers
  CHECK(ckx::encode_binary(dim_a({{1, ckx::encr_id::aes_gcm_16, 256}, {1, ckx::encr_id::aes_gcm_16, 128}})).code() == errc::malformed);
  auto noid = dim_a();
  noid.peer_id.clear();
  CHECK(ckx::encode_binary(noid).code() == errc::malformed);
}

TEST_CASE("malformed JSON DIMs are clear errors", "[ckx][dim]") {
  const std::string good = *ckx::encode_json(dim_a({{1, ckx::encr_id::aes_gcm_16, 256}}));
  REQUIRE(ckx::decode_json(good));
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    auto p = s.find(from);
    REQUIRE(p != std::string::npos);
    s.replace(p, from.size(), to);
    return ckx::decode_json(s).code();
  };
  CHECK(with("\"version\":1", "\"version\":2") == errc::unsupported);
  CHECK(with("\"version\":1", "\"version\":1,\"version\":1") == errc::malformed);  // duplicate
  CHECK(with("\"version\":1", "\"version\":1,\"extra\":0") == errc::malformed);    // unknown key
  CHECK(with("\"initial\":false", "\"initial\":0") == errc::malformed);            // type
  CHECK(with("\"initial\":false,", "") == errc::malformed);                         // missing
  CHECK(with("\"group\":31", "\"group\":19") == errc::unsupported);
  CHECK(with("\"rekey_counter\":4294967297", "\"rekey_counter\":18446744073709551616") == errc::too_large);
  CHECK(with("\"rekey_counter\":4294967297", "\"rekey_counter\":-1") == errc::malformed);
  CHECK(with("\"rekey_counter\":4294967297", "\"rekey_counter\":1.5") == errc::malformed);
  CHECK(with("\"rekey_counter\":4294967297", "\"rekey_counter\":01") == errc::malformed);
  CHECK(with("\"peer_id\":\"", "\"peer_id\":\"\\u0041") == errc::malformed);
  CHECK(with("\"peer_id\":\"6e", "\"peer_id\":\"6") == errc::malformed);            // odd hex
  CHECK(with("}]}", "}]}x") == errc::malformed);                                    // trailing
  CHECK(with("\"kes\":[", "\"kes\":[[[[[") != errc::ok);                            // depth/type
  for (std::size_t n = 0; n < good.size(); ++n) CHECK_FALSE(ckx::decode_json(good.substr(0, n)));
  CHECK(ckx::decode_json(std::string(20000, ' ')).code() == errc::too_large);
  CHECK(ckx::decode_json("[1,2]").code() == errc::malformed);
}

TEST_CASE("policy selection takes the responder's preference", "[ckx][dim]") {
  using ckx::encr_id;
  const std::vector<ckx::policy> resp{{7, encr_id::chacha20_poly1305, 256}, {8, encr_id::aes_gcm_16, 256}};
  const std::vector<ckx::policy> init{{1, encr_id::aes_gcm_16, 256}, {2, encr_id::chacha20_poly1305, 256}};
  auto s = ckx::select_policy(resp, init);
  REQUIRE(s);
  CHECK(s->pol.encr == encr_id::chacha20_poly1305);
  CHECK(s->spn_r == 7);
  CHECK(s->spn_i == 2);
  auto t = ckx::select_policy(init, resp);
  CHECK(t->pol.encr == encr_id::aes_gcm_16);
  CHECK(ckx::select_policy({{1, encr_id::aes_gcm_16, 128}}, init).code() == errc::unsupported);
  CHECK(ckx::select_policy({}, {}).value().pol == ckx::policy{});
  // unsupported transforms never match, even when both list them
  CHECK(ckx::select_policy({{1, encr_id(12), 256}}, {{1, encr_id(12), 256}}).code() == errc::unsupported);
}

TEST_CASE("derive_pair reproduces §6.5 from DIMs and is mirror-symmetric", "[ckx][dim]") {
  ckx::profile prof;
  auto a = ckx::derive_pair(prof, alice, dim_a(), dim_b());
  auto b = ckx::derive_pair(prof, bob, dim_b(), dim_a());
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->local_role == ckx::role::responder);
  CHECK(b->local_role == ckx::role::initiator);
  CHECK(hex::encode(a->skeyseed_view()) == "1f8c139b8a478c18103ff3dae389e9dec14e7b3707380469d12eecc5df64fe55");
  CHECK(a->spis.spi_i == 0xa1de3d06u);
  CHECK(a->spis.spi_r == 0xb4a0cb09u);
  CHECK(a->sas.outbound.same_as(b->sas.inbound));
  CHECK(a->sas.inbound.same_as(b->sas.outbound));
  // SPN variant uses the selected proposals' numbers
  prof.spn_in_spi = true;
  auto c = ckx::derive_pair(prof, alice, dim_a({{1, ckx::encr_id::aes_gcm_16, 256}}), dim_b({{1, ckx::encr_id::aes_gcm_16, 256}}));
  REQUIRE(c);
  CHECK(hex::encode(c->spi_raw) == "c1382596649a7bf4");
}

TEST_CASE("derive_pair error cases (spec §0.3)", "[ckx][dim]") {
  ckx::profile prof;
  using ckx::encr_id;
  // no common policy
  auto r = ckx::derive_pair(prof, alice, dim_a({{1, encr_id::aes_gcm_16, 128}}), dim_b({{1, encr_id::chacha20_poly1305, 256}}));
  CHECK(r.code() == errc::unsupported);
  // all-zero / small-order peer KE
  auto bad = dim_b();
  bad.kes[0].pub.fill(0);
  CHECK(ckx::derive_pair(prof, alice, dim_a(), bad).code() == errc::crypto_failure);
  bad.kes[0].pub[0] = 1;
  CHECK(ckx::derive_pair(prof, alice, dim_a(), bad).code() == errc::crypto_failure);
  // nonce tie
  auto tie = dim_b();
  tie.nonce = dim_a().nonce;
  CHECK(ckx::derive_pair(prof, alice, dim_a(), tie).code() == errc::invalid_argument);
  // nonce length mismatch
  auto shortn = dim_b();
  shortn.nonce.resize(16);
  CHECK(ckx::derive_pair(prof, alice, dim_a(), shortn).code() == errc::invalid_argument);
  // invalid DIM
  auto nokes = dim_b();
  nokes.kes.clear();
  CHECK(ckx::derive_pair(prof, alice, dim_a(), nokes).code() == errc::malformed);
  // PPK only with the via-SK_d form
  auto p1 = ckx::derive_pair(prof, alice, dim_a(), dim_b(), bytes(32, 7));
  auto p2 = ckx::derive_pair(prof, bob, dim_b(), dim_a(), bytes(32, 7));
  REQUIRE(p1);
  REQUIRE(p2);
  CHECK(p1->sas.outbound.same_as(p2->sas.inbound));
  CHECK(hex::encode(p1->keymat_view()) != hex::encode(ckx::derive_pair(prof, alice, dim_a(), dim_b())->keymat_view()));
  prof.keymat = ckx::keymat_mode::direct;
  CHECK(ckx::derive_pair(prof, alice, dim_a(), dim_b(), bytes(32, 7)).code() == errc::invalid_argument);
}
