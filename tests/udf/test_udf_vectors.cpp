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
    // X448 / Ed448 OKMs reproduce; the keys need the OpenSSL backend.
    auto x4 = udf::parse("ZAAA-FFQA-3LE5-SAHG-E6K6-HOTN-TVLB-K4A");
    REQUIRE(x4);
    auto okm = udf::derive_okm(*x4, 56);
    REQUIRE(okm);
    CHECK(hex::encode(okm->view()) ==
          "6879a7d6a62d06c569f3d23868f7072ae4f63ea3df05b6b86efa11981a44768edb660082647b07b1fe7426869fda0bef2f52b8405ae6f272");
#if defined(DAREKIT_WITH_OPENSSL)
    CHECK(udf::derive_key(*x4).value().private_bytes().size() == 56);  // X448 key = OKM (tests/dare/test_curve448.cpp)
#else
    CHECK(udf::derive_key(*x4).code() == errc::unsupported);
#endif
    auto e4 = udf::parse("ZAAA-ILZB-KTQV-YWUK-FO7E-MQVV-EWPR-UPA");
    REQUIRE(e4);
    auto okm4 = udf::derive_okm(*e4, 56);
    REQUIRE(okm4);
    CHECK(hex::encode(okm4->view()) ==
          "f9828f36a10c4115a5d64e8a476efae8655e80ceaa73a6351ef6ae6e4df2b854c905614e07d4333e6d7a3c8db3e78e3a8a42dac79736d3b6");
#if defined(DAREKIT_WITH_OPENSSL)
    CHECK(udf::derive_key(*e4).value().private_bytes().size() == 57);  // Ed448 seed = OKM || 00
#else
    CHECK(udf::derive_key(*e4).code() == errc::unsupported);
#endif
  }
}

TEST_CASE("TV-6/TV-7 authenticators", "[udf][vector]") {
  auto v = udf::authenticator("NDD7-6CMX-H2FW-ISAL-K4VB-DQ3E-PEDM", as_bytes("Konrad is the traitor"), "text/plain");
  REQUIRE(v);
  CHECK(v->type_code() == 0x00);
  CHECK(hex::encode(v->data()) ==
        "4cc37fd3f99e52cf079074538465" "95bc1a2ba5d1689d056d06c5cabf17cbe04995395708" "79c4e549d33a59a3320545a6302625ae8af447c61fb5337fad69a630");
  CHECK(udf::to_string(*v) == "ABGM-G76T-7GPF-FTYH-SB2F-HBDF-SW6B");
  struct row { const char* key; const char* out; };
  for (auto r : {row{"ND5L-Y3E6-GDDZ-KICR-NPDL-5WWM-4QSA", "AAOG-WMPP-ROVD-47TA-ZN5N-LOIN-EH3X"},
                 row{"NA3F-EQAS-PCNR-B7T2-YC5T-GJLA-ZNRA", "AATU-V2VR-5MHY-54G3-OKRN-OC5J-AEZM"},
                 row{"NAC6-LTCH-TH7H-CN5H-Q7NN-G4UE-FW7Q", "ABWJ-76ZY-RYNY-T5HN-NWTB-VE2D-YROX"}}) {
    auto a = udf::authenticator(r.key, as_bytes("UDF Content Data"), "text/plain");
    REQUIRE(a);
    CHECK(udf::to_string(*a) == r.out);
    auto p = udf::parse(r.out);
    REQUIRE(p);
    CHECK(udf::verify_authenticator(*p, r.key, as_bytes("UDF Content Data"), "text/plain"));
    CHECK(udf::verify_authenticator(*p, r.key, as_bytes("UDF Content Data!"), "text/plain").code() ==
          errc::verification_failed);
  }
  // Streaming form.
  udf::authenticator_stream s("NA3F-EQAS-PCNR-B7T2-YC5T-GJLA-ZNRA", "text/plain");
  s.update(as_bytes("UDF Con"));
  s.update(as_bytes("tent Data"));
  auto sv = s.finish();
  REQUIRE(sv);
  CHECK(udf::to_string(*sv) == "AATU-V2VR-5MHY-54G3-OKRN-OC5J-AEZM");
}

TEST_CASE("TV-8 EARL identifiers", "[udf][vector]") {
  struct row { const char* key; const char* id; };
  for (auto r : {row{"EADA-YKC5-WSUK-AACN-WRRO-MJOQ-PVSK-SM", "MDQK-2L7C-OD5I-QJNG-ZJ3Y-OHAH-GMTW-USRH-ENGL-SG23-APAP-YH7I-ZIFA-J3UQ"},
                 row{"EDQB-6NYS-T57S-DVKF-4FHT-BHPO-ATC4-UL", "MCU7-43LV-OH4V-5JPL-4GT4-5TPW-DJ33-5BDH-MQMP-UPHQ-3XLX-4GGO-U34N-FWJK"},
                 row{"EAGB-5GUQ-A7VV-X4M7-5L6V-GAT6-CATI-YA", "MBZN-RAFJ-GCFE-FATS-Y2UH-2VJQ-RJOJ-KOV4-MKXM-OL52-XATJ-SY3J-3DIS-DYKP"}}) {
    auto id = udf::earl_identifier(r.key);
    REQUIRE(id);
    CHECK(*id == r.id);
  }
  auto e = udf::parse_earl("udf://example.com/EDQB-6NYS-T57S-DVKF-4FHT-BHPO-ATC4-UL");
  REQUIRE(e);
  CHECK(e->url == "https://example.com/.well-known/mmm-udf/MCU7-43LV-OH4V-5JPL-4GT4-5TPW-DJ33-5BDH-MQMP-UPHQ-3XLX-4GGO-U34N-FWJK");
  auto k = udf::parse("EDQB-6NYS-T57S-DVKF-4FHT-BHPO-ATC4-UL");
  REQUIRE(k);
  CHECK(hex::encode(k->binary()) == "20e01f37129f7f21d545e14f309dee04c5ca");
  // Spec-literal content type for comparison.
  auto lit = udf::content_digest(as_bytes("EDQB-6NYS-T57S-DVKF-4FHT-BHPO-ATC4-UL"), "application/udf");
  REQUIRE(lit);
  CHECK(udf::present(*lit, 280).value() == "MC5L-SKIA-2OTF-QXA6-WD3O-DOWV-JXTJ-MOHD-3V2B-BZA7-QBER-3PI3-4SOE-ZU22");
}

TEST_CASE("TV-9 OID UDF", "[udf][vector]") {
  struct row { const char* der; const char* udf; };
  for (auto r : {row{"302e300706032b657005000323000420381D2CA15CE874E1505D275ABCA4D7648C27DD4F2A7DA7751535F0F4291F7CA7",
                     "OAYC-4MAH-AYBS-WZLQ-AUAA-GIYA-AQQD-QHJM-UFOO-Q5HB-KBOS-OWV4-UTLW-JDBH-3VHS-U7NH-OUKT-L4HU-FEPX-ZJY"},
                 row{"302e300706032b657005000323000420AEA9B9D3BFC839D60D09DCDA8D25AB85E1431A6FD288739C68E8ECF0D793DFDD",
                     "OAYC-4MAH-AYBS-WZLQ-AUAA-GIYA-AQQK-5KNZ-2O74-QOOW-BUE5-ZWUN-EWVY-LYKD-DJX5-FCDT-TRUO-R3HQ-26J5-7XI"},
                 row{"302c300506032b6570032300042071266B00CCB7823CA15055107AAA6C04487F4BC5B98E2DA225A1665B17142BD4",
                     "OAYC-YMAF-AYBS-WZLQ-AMRQ-ABBA-OETG-WAGM-W6BD-ZIKQ-KUIH-VKTM-AREH-6S6F-XGHC-3IRF-UFTF-WFYU-FPKA"}}) {
    auto v = udf::make_oid(unhex(r.der));
    REQUIRE(v);
    CHECK(udf::to_string(*v) == r.udf);
    auto p = udf::parse(r.udf);
    REQUIRE(p);
    CHECK(p->data().size() == unhex(r.der).size());
    CHECK(hex::encode(p->data()) == hex::encode(unhex(r.der)));
  }
}

namespace {
bytes share_y(const udf::value& v) { return to_bytes(v.data().subspan(1)); }
}  // namespace

TEST_CASE("TV-12/TV-13 Shamir shares recover", "[udf][vector][shamir]") {
  struct set { const char* secret; std::vector<const char*> shares; unsigned k; };
  const std::vector<set> sets = {
      {"3EAF8C7C4A85F7EC7EFCF0B2DF9CF5F0",
       {"SAYA-2C7G-6BHA-5SR2-6EVG-6OU3-Z3U7-O", "SAY7-QM6F-SBAS-HU5K-67S6-AC53-NU6O-O", "SAZA-AJZI-LQR4-KFB4-SMXU-GJR6-O7XC-O",
        "SAZS-JZQP-KP27-FC7P-YMDJ-RCRE-537F-A", "SA2G-M4D2-O632-YOWE-Q5V6-AN3O-2JWS-6"}, 3},
      {"4B02B6CDFE73C59295F12283BD892EC4",
       {"SAYK-THYN-RIAO-FMRS-A4BO-YLLY-AWPB-W", "SAYR-COU7-KF6B-XY4M-HIIA-KOEE-ZEEB-M", "SAZI-DVLM-ERYB-6WNB-F4MG-3JHD-2NWR-W",
        "SAZ7-W33U-ALOO-2FDQ-4YOC-K4UV-ETGP-O", "SA2H-4CFW-5TBI-KE73-L4NS-ZIMY-XUTX-O"}, 3},
      {"237A7C7609B7B4EFB882E548AC2A4135",
       {"SAQJ-Q3WI-I2VY-LJJL-4AOE-NO46-6P5T-Y", "SAQQ-2YYU-C5GV-HFLI-A622-QLUR-XW2R-A", "SARI-EV27-47XS-DBNE-F5HQ-TIME-Q5XR-O"}, 2},
  };
  for (const auto& st : sets) {
    std::vector<udf::value> all;
    for (auto s : st.shares) {
      auto p = udf::parse(s);
      REQUIRE(p);
      all.push_back(*p);
    }
    // every k-subset (and the full set) recovers the secret
    const std::size_t n = all.size();
    for (unsigned mask = 1; mask < (1u << n); ++mask) {
      std::vector<udf::value> pick;
      for (std::size_t i = 0; i < n; ++i) if (mask & (1u << i)) pick.push_back(all[i]);
      auto r = udf::recover(pick);
      if (pick.size() < st.k) {
        CHECK(r.code() == errc::invalid_argument);
        continue;
      }
      REQUIRE(r);
      CHECK(hex::encode(r->view()) == hex::encode(unhex(st.secret)));
    }
  }
  // TV-12 f(3) needs leading-zero padding
  auto p3 = udf::parse("SAZA-AJZI-LQR4-KFB4-SMXU-GJR6-O7XC-O");
  REQUIRE(p3);
  CHECK(hex::encode(share_y(*p3)) == "0027285c23c5143c932f43263e77ee27");
  // the 2024 TV-13 key and shares
  auto key = udf::parse("7KIV-SMI2-WRDR-2XHJ-ECBB-YC6C-YQ", {.allow_unknown_type = true});
  REQUIRE(key);
  std::vector<udf::value> s24;
  for (auto s : {"SAQP-COY2-MLPI-RZLI-ZDJK-VIIQ-77KD-W", "SARN-5DU4-YZTD-EIP7-UCS3-5XX2-473S-S"}) s24.push_back(*udf::parse(s));
  auto r24 = udf::recover(s24);
  REQUIRE(r24);
  CHECK(hex::encode(r24->view()) == hex::encode(key->binary()));
}
