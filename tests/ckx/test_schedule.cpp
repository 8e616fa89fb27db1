// ckx layer 1: the worked example of spec §6.5 (both PRFs, both KEYMAT forms, SPN variant),
// mirror symmetry, nonce ties, reserved SPIs.
#include "darekit/ckx/schedule.hpp"
#include "test_util.hpp"

using namespace darekit;
using darekit::test::unhex;

namespace {
bytes seq_bytes(int from, int n) {
  bytes b;
  for (int i = 0; i < n; ++i) b.push_back(std::uint8_t(from + i));
  return b;
}
struct example {
  bytes na = seq_bytes(0x00, 32), nb = seq_bytes(0x20, 32);
  std::uint64_t rc_a = 0x0000000100000001ull, rc_b = 0x0000000100000002ull;
  ckx::x25519_secret a{unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")};
  ckx::x25519_secret b{unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")};
  ckx::x25519_shared gir() const { return *ckx::x25519_shared_secret(a, ckx::x25519_public_of(b)); }
  ckx::side side_a() const { return {na, rc_a, 1}; }
  ckx::side side_b() const { return {nb, rc_b, 1}; }
};
std::string h(byte_view b) { return hex::encode(b); }
}  // namespace

TEST_CASE("§6.5 worked example, HMAC-SHA-256, AES-GCM-16/256", "[ckx][schedule]") {
  example ex;
  ckx::profile prof;  // sha256, via_sk_d
  const ckx::policy pol{};
  auto d = ckx::derive_from_shared(prof, pol, ex.gir(), ex.side_a(), ex.side_b());
  REQUIRE(d);
  CHECK(d->local_role == ckx::role::responder);  // B has the larger nonce
  CHECK(h(d->ni_view()) == h(ex.nb));
  CHECK(h(d->skeyseed_view()) == "1f8c139b8a478c18103ff3dae389e9dec14e7b3707380469d12eecc5df64fe55");
  CHECK(h(d->spi_raw) == "a1de3d05b4a0cb0f");
  CHECK(d->spis.spi_i == 0xa1de3d06u);
  CHECK(d->spis.spi_r == 0xb4a0cb09u);
  CHECK(h(d->sk_d_view()) == "45c377aa0abfd348585449dad49bd88b6e16ca9c79967829733d264563007357");
  CHECK(h(d->keymat_view()) ==
        "e28e5fd6e758a5e49c7918999f631c4838de46b521c51bd947a9def1af1d77b2db14688d"
        "c8ff8c7ca27b26e98e33ed8488569ebfb530cf6989dfe8102de6c78e86dd13603bebe3c4");
  // A is the responder: A's inbound is I->R (B->A, SPI b4a0cb09), outbound R->I (SPI a1de3d06)
  CHECK(d->sas.inbound.spi == 0xb4a0cb09u);
  CHECK(h(d->sas.inbound.key_view()) == "e28e5fd6e758a5e49c7918999f631c4838de46b521c51bd947a9def1af1d77b2");
  CHECK(h(d->sas.inbound.salt) == "db14688d");
  CHECK(d->sas.outbound.spi == 0xa1de3d06u);
  CHECK(h(d->sas.outbound.key_view()) == "c8ff8c7ca27b26e98e33ed8488569ebfb530cf6989dfe8102de6c78e86dd1360");
  CHECK(h(d->sas.outbound.salt) == "3bebe3c4");

  prof.keymat = ckx::keymat_mode::direct;
  auto e = ckx::derive_from_shared(prof, pol, ex.gir(), ex.side_a(), ex.side_b());
  REQUIRE(e);
  CHECK(h(e->keymat_view()) ==
        "45c377aa0abfd348585449dad49bd88b6e16ca9c79967829733d264563007357"
        "9e421e78e2dce5cadf982a10a143941f5ef7a142660ebc670a8f248f52f135f6b5cb02b0fc13ea98");
  CHECK(e->sk_d_view().empty());
  // the §3.6 pitfall, shown: form-B I->R key == form-A SK_d
  CHECK(h(e->sas.inbound.key_view()) == h(d->sk_d_view()));

  // SPN variant
  std::array<std::uint8_t, 8> raw{};
  auto s = ckx::derive_spis(ckx::prf_id::hmac_sha2_256, ex.nb, ex.na, 2, 1, ckx::spn_pair{1, 1}, &raw);
  REQUIRE(s);
  CHECK(h(raw) == "c1382596649a7bf4");
  CHECK(s->spi_i == 0xc1382596u);  // low nibble RN_A<<2|RN_B = 6
  CHECK(s->spi_r == 0x649a7bf9u);  // low nibble RN_B<<2|RN_A = 9
  prof.spn_in_spi = true;
  auto f = ckx::derive_from_shared(prof, pol, ex.gir(), ex.side_a(), ex.side_b());
  REQUIRE(f);
  CHECK(f->spis == *s);
}

TEST_CASE("§6.5 worked example, HMAC-SHA-512", "[ckx][schedule]") {
  example ex;
  ckx::profile prof;
  prof.prf = ckx::prf_id::hmac_sha2_512;
  auto d = ckx::derive_from_shared(prof, {}, ex.gir(), ex.side_b(), ex.side_a());  // from B's side
  REQUIRE(d);
  CHECK(d->local_role == ckx::role::initiator);
  CHECK(h(d->skeyseed_view()) ==
        "1a9a60c73174c741364483fdce602bfc99a454ae1f561ff0921053b2d820fc5829af218e65cc98401ec72e67a1548db407bea31fa4bcc82aa8d5c7aefcf2bff1");
  CHECK(h(d->spi_raw) == "73ff8ae19564df9c");
  CHECK(d->spis.spi_i == 0x73ff8ae6u);
  CHECK(d->spis.spi_r == 0x9564df99u);
  CHECK(h(d->sk_d_view()) ==
        "b95ae6a5390c8b51cb6be90ee501a649122b17424a50ad60a22ff7273d1f8e7f6a7efb3e3ec17d3f2c46a10dccb00a2bffcfcff6b79722fbad954cb59c5f93fc");
  CHECK(h(d->keymat_view()) ==
        "8923f4f2ef971a4970d6e69b7b899c9046b43da3085d1de5624dee845be49600b255c52972c651b9ccfe4ba7ec6c6ffbbce39f649aef7f6737c0fdc712b70af56d36350fb3a5e8b6");
  prof.keymat = ckx::keymat_mode::direct;
  auto e = ckx::derive_from_shared(prof, {}, ex.gir(), ex.side_b(), ex.side_a());
  REQUIRE(e);
  CHECK(h(e->keymat_view()) ==
        "b95ae6a5390c8b51cb6be90ee501a649122b17424a50ad60a22ff7273d1f8e7f6a7efb3e3ec17d3f2c46a10dccb00a2bffcfcff6b79722fbad954cb59c5f93fcf1cdd711b3f37a1a");
  // B is the initiator: outbound I->R with SPIr, key = first 32 KEYMAT bytes
  CHECK(e->sas.outbound.spi == 0x9564df99u);
  CHECK(h(e->sas.outbound.key_view()) == h(e->keymat_view().first(32)));
}

TEST_CASE("mirror symmetry for every transform, PRF and form", "[ckx][schedule]") {
  example ex;
  for (auto prf : {ckx::prf_id::hmac_sha2_256, ckx::prf_id::hmac_sha2_512})
    for (auto mode : {ckx::keymat_mode::via_sk_d, ckx::keymat_mode::direct})
      for (auto pol : {ckx::policy{1, ckx::encr_id::aes_gcm_16, 128}, ckx::policy{2, ckx::encr_id::aes_gcm_16, 256},
                       ckx::policy{3, ckx::encr_id::chacha20_poly1305, 256}}) {
        ckx::profile prof{prf, mode, false, {}};
        auto a = ckx::derive_from_shared(prof, pol, ex.gir(), ex.side_a(), ex.side_b());
        auto b = ckx::derive_from_shared(prof, pol, ex.gir(), ex.side_b(), ex.side_a());
        REQUIRE(a);
        REQUIRE(b);
        CHECK(a->local_role == ckx::mirror(b->local_role));
        CHECK(h(a->keymat_view()) == h(b->keymat_view()));
        CHECK(a->keymat_len == 2 * ckx::keymat_per_direction(pol));
        CHECK(a->sas.outbound.same_as(b->sas.inbound));
        CHECK(a->sas.inbound.same_as(b->sas.outbound));
        CHECK_FALSE(a->sas.outbound.same_as(a->sas.inbound));
        CHECK(a->sas.outbound.key_len == ckx::encr_key_size(pol.encr, pol.key_bits));
      }
}

TEST_CASE("bumping RC_A changes only the SPI low nibbles, and KEYMAT", "[ckx][schedule]") {
  example ex;
  auto d1 = ckx::derive_from_shared({}, {}, ex.gir(), ex.side_a(), ex.side_b());
  ex.rc_a += 1;
  auto d2 = ckx::derive_from_shared({}, {}, ex.gir(), ex.side_a(), ex.side_b());
  REQUIRE(d1);
  REQUIRE(d2);
  CHECK((d1->spis.spi_i & ~0xFu) == (d2->spis.spi_i & ~0xFu));
  CHECK((d1->spis.spi_r & ~0xFu) == (d2->spis.spi_r & ~0xFu));
  CHECK(d2->spis.spi_i == 0xa1de3d0au);  // RN_A = 2: 2<<2 | 2
  CHECK(d2->spis.spi_r == 0xb4a0cb0au);
  CHECK(h(d1->keymat_view()) != h(d2->keymat_view()));
}

TEST_CASE("nonce ties, length mismatches and reserved SPIs are errors", "[ckx][schedule]") {
  example ex;
  CHECK(ckx::assign_role(ex.na, ex.na).code() == errc::invalid_argument);
  auto shortn = seq_bytes(1, 31);
  CHECK(ckx::assign_role(ex.na, shortn).code() == errc::invalid_argument);
  CHECK(ckx::derive_from_shared({}, {}, ex.gir(), {ex.na, 1, 1}, {ex.na, 2, 1}).code() == errc::invalid_argument);
  auto tiny = seq_bytes(1, 8), tiny2 = seq_bytes(2, 8);  // below the 16-byte minimum
  CHECK(ckx::derive_from_shared({}, {}, ex.gir(), {tiny, 1, 1}, {tiny2, 2, 1}).code() == errc::invalid_argument);
  CHECK(ckx::assign_role(ex.nb, ex.na)->local_role == ckx::role::initiator);

  // Find nonces whose prf+ SPI output has a high 24-bit prefix of zero: search a small space
  // of nonce pairs for an SPI below 256 (probability 2^-24 per SPI is too small to hit), so
  // instead check the rule on a crafted raw value through the public bit layout.
  std::array<std::uint8_t, 8> raw{};
  auto s = ckx::derive_spis(ckx::prf_id::hmac_sha2_256, ex.nb, ex.na, 3, 3, std::nullopt, &raw);
  REQUIRE(s);
  CHECK(s->spi_i >= 256);
  CHECK(ckx::derive_spis(ckx::prf_id::hmac_sha2_256, ex.nb, ex.na, 4, 0).code() == errc::invalid_argument);
  // reserved SPIs: prf+ output whose top 24 bits are zero (probability 2^-24 per SPI, so
  // checked on crafted prf+ bytes through the same substitution code derive_spis uses)
  CHECK(ckx::detail::spis_from_raw({0, 0, 0, 0x50, 0x12, 0x34, 0x56, 0x78}, 1, 2).code() == errc::crypto_failure);
  CHECK(ckx::detail::spis_from_raw({0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0xff}, 3, 3).code() == errc::crypto_failure);
  auto edge = ckx::detail::spis_from_raw({0, 0, 1, 0, 0, 0, 1, 0x0f}, 1, 2);  // 0x100 is the first valid SPI
  REQUIRE(edge);
  CHECK(edge->spi_i == 0x109u);  // RN_r<<2 | RN_i = 2<<2 | 1
  CHECK(edge->spi_r == 0x106u);
  CHECK(ckx::split_keymat({1, ckx::encr_id::aes_gcm_16, 192}, bytes(72), ckx::role::initiator, {}).code() == errc::unsupported);
  CHECK(ckx::split_keymat({}, bytes(71), ckx::role::initiator, {}).code() == errc::invalid_argument);
  bytes km(72);
  CHECK(ckx::derive_keymat(ckx::prf_id::hmac_sha2_256, ckx::keymat_mode::direct, bytes(32), ex.nb, ex.na, {}, km, {},
                           bytes(32, 1)).code() == errc::invalid_argument);
}
