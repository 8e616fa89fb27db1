// Wycheproof: X25519 through ckx::x25519_shared_secret (libsodium) and through the
// batch API (the AVX-512 IFMA ladder on the avx512 tier, each vector in a different
// lane), Ed25519 through DARE's signature verification, and X448 / Ed448 through the
// optional OpenSSL backend (crypto/ossl448.hpp; the dev preset has it on).
#include <sodium.h>

#include <array>

#include "darekit/ckx/batch.hpp"
#include "darekit/ckx/x25519.hpp"
#include "darekit/crypto/ossl448.hpp"
#include "darekit/dare/signature.hpp"
#include "wycheproof.hpp"

using namespace darekit;
namespace wp = darekit::wycheproof;

TEST_CASE("wycheproof: X25519 (libsodium path and the batch / IFMA ladder)", "[wycheproof][x25519]") {
  const auto doc = wp::load("x25519_test.json");
  const char* policy =
      "accepted with the RFC 7748 result (twist points, non-canonical u with bit 255 masked), except an all-zero "
      "shared secret (ZeroSharedSecret: small-order peer), which is rejected as the IKE group-31 check requires";
  auto& t = wp::registry::get().of("X25519", "x25519_test.json");
  auto& tb = wp::registry::get().of("X25519 batch", "x25519_test.json");
  t.policy = tb.policy = policy;
  REQUIRE(sodium_init() >= 0);
  REQUIRE(active_kernel() == wp::expected_kernel());
  const std::string batch_kernel(ckx::x25519_batch_kernel());
  if (wp::expected_kernel() == kernel::avx512 && cpu().avx512ifma) CHECK(batch_kernel == "avx512ifma");
  else CHECK(batch_kernel == "libsodium");
  for (const auto& g : wp::groups(doc)) {
    REQUIRE(wp::strf(g, "curve") == "curve25519");
    for (const auto& test : wp::tests(g)) {
      const bytes priv = wp::hexf(test, "private"), pub = wp::hexf(test, "public"), shared = wp::hexf(test, "shared");
      const bool zero_expected = wp::has_flag(test, "ZeroSharedSecret");
      const ckx::x25519_secret sk{priv};
      REQUIRE(priv.size() == 32);
      auto s = ckx::x25519_shared_secret(sk, pub);
      wp::record(t, test, s && bytes(s->view().begin(), s->view().end()) == shared, !zero_expected);
      ++t.kernels["libsodium"];

      if (pub.size() != 32) {  // the batch takes 32-byte u-coordinates by type
        wp::record(tb, test, false, !zero_expected);
        continue;
      }
      // Eight lanes: this vector in lane tcId % 8, u = 9 in the others.
      std::array<ckx::x25519_public, 8> peers{};
      std::array<ckx::x25519_shared, 8> out;
      std::array<std::uint8_t, 8> ok{};
      const auto lane = std::size_t(wp::intf(test, "tcId")) % 8;
      for (auto& p : peers) p[0] = 9;
      std::copy(pub.begin(), pub.end(), peers[lane].begin());
      ckx::x25519_shared_batch(sk, peers, out, ok);
      std::array<std::uint8_t, 32> base{};
      crypto_scalarmult_base(base.data(), priv.data());
      bool others = true;
      for (std::size_t i = 0; i < 8; ++i)
        if (i != lane) others = others && ok[i] && std::equal(base.begin(), base.end(), out[i].data());
      INFO("tcId " << wp::intf(test, "tcId") << " lane " << lane);
      CHECK(others);
      const bool lane_ok = ok[lane] && bytes(out[lane].view().begin(), out[lane].view().end()) == shared;
      if (!ok[lane]) CHECK(sodium_is_zero(out[lane].data(), 32));  // rejected lanes hold zeros
      wp::record(tb, test, lane_ok, !zero_expected);
      ++tb.kernels[batch_kernel];
    }
  }
}

TEST_CASE("wycheproof: Ed25519 verification (dare::verify_signature)", "[wycheproof][ed25519]") {
  const auto doc = wp::load("ed25519_test.json");
  auto& t = wp::registry::get().of("Ed25519 verify", "ed25519_test.json");
  for (const auto& g : wp::groups(doc)) {
    const json::value* pk = g.find("publicKey");
    REQUIRE(pk);
    const dare::public_key signer{udf::key_alg::ed25519, wp::hexf(*pk, "pk")};
    for (const auto& test : wp::tests(g)) {
      const bytes msg = wp::hexf(test, "msg"), sig = wp::hexf(test, "sig");
      const json::value sigobj = json::object{{"alg", "ED25519"}, {"signature", sig}};
      const auto r = dare::verify_signature(sigobj, signer, msg, {});
      if (!r) {
        INFO("tcId " << wp::intf(test, "tcId"));
        CHECK(r.code() == errc::verification_failed);  // one code for every bad signature
      }
      wp::record(t, test, r.has_value());
      ++t.kernels["libsodium"];
    }
  }
}

TEST_CASE("wycheproof: X448 and Ed448 (OpenSSL backend)", "[wycheproof][x448][ed448]") {
#if defined(DAREKIT_WITH_OPENSSL)
  {
    const auto doc = wp::load("x448_test.json");
    auto& t = wp::registry::get().of("X448", "x448_test.json");
    t.policy = "as X25519: accepted with the RFC 7748 result, an all-zero shared secret rejected";
    for (const auto& g : wp::groups(doc)) {
      for (const auto& test : wp::tests(g)) {
        const bytes priv = wp::hexf(test, "private"), pub = wp::hexf(test, "public"), shared = wp::hexf(test, "shared");
        auto s = ossl448::x448(priv, pub);
        if (!s) {
          INFO("tcId " << wp::intf(test, "tcId") << ": " << s.err().what());
          CHECK((s.code() == errc::crypto_failure || s.code() == errc::invalid_argument));
        }
        wp::record(t, test, s && bytes(s->view().begin(), s->view().end()) == shared,
                   !wp::has_flag(test, "ZeroSharedSecret"));
        ++t.kernels["OpenSSL"];
      }
    }
  }
  {
    const auto doc = wp::load("ed448_test.json");
    auto& t = wp::registry::get().of("Ed448 verify", "ed448_test.json");
    for (const auto& g : wp::groups(doc)) {
      const bytes pk = wp::hexf(*g.find("publicKey"), "pk");
      for (const auto& test : wp::tests(g)) {
        wp::record(t, test, ossl448::ed448_verify(pk, wp::hexf(test, "msg"), wp::hexf(test, "sig")));
        ++t.kernels["OpenSSL"];
      }
    }
  }
#else
  for (const auto& [file, name] : {std::pair{"x448_test.json", "X448"}, std::pair{"ed448_test.json", "Ed448 verify"}}) {
    const auto doc = wp::load(file);
    long n = 0;
    for (const auto& g : wp::groups(doc)) n += long(wp::tests(g).size());
    wp::registry::get().of(name, file);
    wp::registry::get().skip_group(name, "all groups", n, "this build has no OpenSSL backend (DAREKIT_WITH_OPENSSL=OFF)");
  }
  WARN("X448/Ed448 vectors skipped: no OpenSSL backend in this build");
#endif
}
