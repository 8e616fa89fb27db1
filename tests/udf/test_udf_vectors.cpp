// UDF: every verified (✔) vector of spec/udf.md §13.
#include <catch2/catch.hpp>

#include "darekit/udf.hpp"
#include "test_util.hpp"

using namespace darekit;
using darekit::test::unhex;

namespace {
std::string at(const udf::value& v, std::size_t bits) {
  auto s = udf::present(v, bits);
  REQUIRE(s.has_value());
  return *s;
}
}  // namespace

TEST_CASE("TV-1 SHA-2-512 content digest", "[udf][vector]") {
  auto v = udf::content_digest(as_bytes("UDF Data Value"), "text/plain");
  REQUIRE(v);
  CHECK(v->type_code() == 0x60);
  CHECK(hex::encode(v->data()) ==
        "c6afb7c0febe04e5ae94e37baa5f1a405ba3cecc974d55c09e61e4b0ef9caef9"
        "eb83bb9d5f0f39f65faa06dc672a67714fff8f83c455383638ae427a829c85bb");
  CHECK(at(*v, 100) == "MDDK-7N6A-727A-JZNO-STRX");
  CHECK(at(*v, 120) == "MDDK-7N6A-727A-JZNO-STRX-XKS7");
  CHECK(at(*v, 140) == "MDDK-7N6A-727A-JZNO-STRX-XKS7-DJAF");
  CHECK(udf::to_string(*v) == "MDDK-7N6A-727A-JZNO-STRX-XKS7-DJAF");
  CHECK(at(*v, 200) == "MDDK-7N6A-727A-JZNO-STRX-XKS7-DJAF-XI6O-ZSLU-2VOA");
  CHECK(at(*v, 260) == "MDDK-7N6A-727A-JZNO-STRX-XKS7-DJAF-XI6O-ZSLU-2VOA-TZQ6-JMHP-TSXP");
  // The spec's 125-bit line ("MDDK-7N6A-727A-JZNO-STRX-X", 21 characters) contradicts its own
  // ceil(bits/5) rule; 125 bits are 25 characters.
  CHECK(at(*v, 125) == "MDDK-7N6A-727A-JZNO-STRX-XKS7-D");
  // Precomputed inner digest form.
  auto cdv = unhex("48DA47CCABFEA45C7661D321BA343E5810872A03B4029DAB847CCED222B69CAB"
                   "0238D4E91E2F6B36A09EED11098AEAAC99D9E0BDEA479315BD7AE9E12EADC415");
  auto w = udf::content_digest_of_digest(cdv, "text/plain");
  REQUIRE(w);
  CHECK(udf::to_string(*w) == "MDDK-7N6A-727A-JZNO-STRX-XKS7-DJAF");
}

TEST_CASE("TV-2 SHA-3-512 content digest", "[udf][vector]") {
  auto v = udf::content_digest(as_bytes("UDF Data Value"), "text/plain", udf::digest_alg::sha3_512);
  REQUIRE(v);
  CHECK(v->type_code() == 0x50);
  CHECK(hex::encode(v->data()) ==
        "8a868a061c546e7e3f755f3988f9fd2f8ec845931b80a82f29167ba3be211f8a"
        "756188a1d57f07d59d68a42d17f44d23f9e40bb21a8db9f58dfcecbd01f4377c");
  CHECK(udf::to_string(*v) == "KCFI-NCQG-DRKG-47R7-OVPT-TCHZ-7UXY");
}

TEST_CASE("TV-3 SHA-2-512 compressed, level 1", "[udf][vector]") {
  auto v = udf::content_digest(as_bytes("UDF Compressed Document 4187123"), "text/plain");
  REQUIRE(v);
  CHECK(v->type_code() == 0x61);
  CHECK(udf::trailing_zero_bits(v->data()) == 21);
  CHECK(udf::to_string(*v) == "MGHB-JWIZ-J3LA-EEWD-GCT3-WX6H-C5W2");
  CHECK(at(*v, 520) ==
        "MGHB-JWIZ-J3LA-EEWD-GCT3-WX6H-C5W2-5GSW-PSUC-UIY7-SZ26-2UYQ-5TUP-EYAU-ETIM-RPCV-HXAH-B526-QY4B-"
        "UC6L-KWOL-FB4B-E77T-Z3HC-6CIK-AAAA");
}

TEST_CASE("TV-4 SHA-3-512 compressed, level 1", "[udf][vector]") {
  auto v = udf::content_digest(as_bytes("UDF Compressed Document 774665"), "text/plain", udf::digest_alg::sha3_512);
  REQUIRE(v);
  CHECK(v->type_code() == 0x51);
  CHECK(udf::to_string(*v) == "KEJI-Y225-BDUG-XX22-MXKE-5ITF-YVYM");
}

TEST_CASE("TV-5 short digests", "[udf][vector]") {
  auto a = udf::content_digest(as_bytes("UDF Content Data"), "text/plain");
  auto b = udf::content_digest(as_bytes("UDF Content Data"), "text/plain", udf::digest_alg::sha3_512);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(udf::to_string(*a) == "MB5S-R4AJ-3FBT-7NHO-T26Z-2E6Y-WFH4");
  CHECK(udf::to_string(*b) == "KCM5-7VB6-IJXJ-WKHX-NZQF-OKGZ-EWVN");
}

TEST_CASE("TV-9 OID fingerprint with PKIXKey", "[udf][vector]") {
  struct row { const char* der; const char* fp; };
  for (auto r : {row{"302e300706032b657005000323000420381D2CA15CE874E1505D275ABCA4D7648C27DD4F2A7DA7751535F0F4291F7CA7",
                     "MALR-MJJ7-FZZB-RJWW-I6V7-KRFR-L2PW"},
                 row{"302e300706032b657005000323000420AEA9B9D3BFC839D60D09DCDA8D25AB85E1431A6FD288739C68E8ECF0D793DFDD",
                     "MD2N-37QO-NPB6-HEOJ-UYOK-6BWT-RZ2Z"},
                 row{"302c300506032b6570032300042071266B00CCB7823CA15055107AAA6C04487F4BC5B98E2DA225A1665B17142BD4",
                     "MCCR-IPW7-AUHT-I7HV-FX4A-CLD3-LU7E"}}) {
    auto v = udf::content_digest(unhex(r.der), "PKIXKey");
    REQUIRE(v);
    CHECK(udf::to_string(*v) == r.fp);
  }
  auto spec = udf::content_digest(
      unhex("302e300706032b657005000323000420381D2CA15CE874E1505D275ABCA4D7648C27DD4F2A7DA7751535F0F4291F7CA7"),
      "application/pkix-keyinfo");
  REQUIRE(spec);
  CHECK(udf::to_string(*spec) == "MB45-KLRL-KAHC-3TJA-XEB5-53UU-NN2V");
}

TEST_CASE("TV-10 key derivation and key identifiers", "[udf][vector]") {
  SECTION("TEST1 Ed25519") {
    auto seed = udf::make_key_seed(udf::key_alg::ed25519, as_bytes("test1"));
    CHECK(udf::to_string(seed) == "ZAAA-G5DF-ON2D-C");
    auto okm = udf::derive_okm(seed, 32);
    REQUIRE(okm);
    CHECK(hex::encode(okm->view()) == "b106eb392b8decb6ca6ea52ca3d7b6ec4d2a2e17b472a5e116afc79c54e27a80");
    auto kp = udf::derive_key(seed);
    REQUIRE(kp);
    CHECK(hex::encode(kp->public_key) == "cf4243274b25c59e7eabd7b481381d48954e0051c0a4bd183cbd33cc5991ed6a");
    CHECK(udf::key_identifier(*kp).value() == "MDU3-CHQ4-O737-ZZTH-XOF2-QFOU-U6SP");
    CHECK(udf::key_identifier(*kp, {.form = udf::key_id_form::reference_18}).value() ==
          "MB2W-MYKD-RT2Q-VZD4-76ER-ER5O-3WH2");
    CHECK(udf::key_identifier(*kp, {.form = udf::key_id_form::rfc8410}).value() ==
          "MCNL-SOLM-ZTWR-OPNR-RKI7-D624-Q35C");
    CHECK(udf::key_identifier(*kp, {.form = udf::key_id_form::rfc8410, .content_type = "application/pkix-keyinfo"})
              .value() == "MDKM-ZA6W-7EVS-FM7G-5GHW-EWBS-VSAY");
  }
  SECTION("TEST3 X25519") {
    auto seed = udf::make_key_seed(udf::key_alg::x25519, as_bytes("test3"));
    CHECK(udf::to_string(seed) == "ZAAA-C5DF-ON2D-G");
    auto okm = udf::derive_okm(seed, 32);
    REQUIRE(okm);
    CHECK(hex::encode(okm->view()) == "2f4ce4b183c05257093ba137ffe15341ba184334a7cf92d5a0ba99b70f050373");
    auto kp = udf::derive_key(seed);
    REQUIRE(kp);
    CHECK(hex::encode(kp->public_key) == "e6998186e7d11e1b0ec519cc4287856ea88ff42b707a42ac600de42d6b60170d");
    CHECK(udf::key_identifier(*kp).value() == "MBOY-CJP6-5JYY-PTYL-HRZB-PYN3-ZLC5");
    CHECK(udf::key_identifier(*kp, {.form = udf::key_id_form::reference_18}).value() ==
          "MDID-WXVE-4ZC7-JJYZ-CEWP-DN3W-BIFG");
    CHECK(udf::key_identifier(*kp, {.form = udf::key_id_form::rfc8410}).value() ==
          "MA5D-FICV-5TIT-IPB6-ZCNM-IBLN-TKLO");
    CHECK(udf::key_identifier(*kp, {.form = udf::key_id_form::rfc8410, .content_type = "application/pkix-keyinfo"})
              .value() == "MAWK-FGNI-5QT4-SGTR-ONPE-7T2A-CLGI");
  }
  SECTION("2024 documentation examples") {
    auto x = udf::parse("ZAAA-CDJ5-DHPA-DUUW-WIPQ-UXNC-DSAR-U7A");
    REQUIRE(x);
    CHECK(hex::encode(x->data()) == "00010d3d19de01d296b21f0a5da21c811a7c");
    auto xk = udf::derive_key(*x);
    REQUIRE(xk);
    CHECK(hex::encode(xk->private_key.view()) == "cfc537609e9ba084d2c1e31dfbadf939dec2614cbc33410b70d4af33320eb6cb");
    CHECK(hex::encode(xk->public_key) == "ef5729e8b89260cb8081a70f7b6199ba518e5a6e77a5b59da61dee829a3e5050");
    CHECK(udf::key_identifier(*xk).value() == "MBAA-AFM2-7STR-HZ6B-X6LO-2RHH-C3YX");
    auto e = udf::parse("ZAAA-GZ5N-PSNF-7LMS-QJZN-3O2X-GJXV-X6I");
    REQUIRE(e);
    auto ek = udf::derive_key(*e);
    REQUIRE(ek);
    CHECK(hex::encode(ek->private_key.view()) == "a3752eeb64952e7fcf98880fb0a54e33ca3a9ca266219236c63a9ac9198926a9");
    CHECK(hex::encode(ek->public_key) == "e9a2186cd72f2f06252423e0f4e28173ec682f04f7dc0009708cb8876ecc871b");
    CHECK(udf::key_identifier(*ek).value() == "MDON-QYXO-ZNJ6-3TAX-QZIZ-SYSF-EW5D");
    // X448 / Ed448 OKMs reproduce; the keys themselves are unsupported here.
    auto x4 = udf::parse("ZAAA-FFQA-3LE5-SAHG-E6K6-HOTN-TVLB-K4A");
    REQUIRE(x4);
    auto okm = udf::derive_okm(*x4, 56);
    REQUIRE(okm);
    CHECK(hex::encode(okm->view()) ==
          "6879a7d6a62d06c569f3d23868f7072ae4f63ea3df05b6b86efa11981a44768edb660082647b07b1fe7426869fda0bef2f52b8405ae6f272");
    CHECK(udf::derive_key(*x4).code() == errc::unsupported);
    auto e4 = udf::parse("ZAAA-ILZB-KTQV-YWUK-FO7E-MQVV-EWPR-UPA");
    REQUIRE(e4);
    auto okm4 = udf::derive_okm(*e4, 56);
    REQUIRE(okm4);
    CHECK(hex::encode(okm4->view()) ==
          "f9828f36a10c4115a5d64e8a476efae8655e80ceaa73a6351ef6ae6e4df2b854c905614e07d4333e6d7a3c8db3e78e3a8a42dac79736d3b6");
    CHECK(udf::derive_key(*e4).code() == errc::unsupported);
  }
}
