// Wycheproof: AES-256-CBC-PKCS5, AES-256-GCM, ChaCha20-Poly1305, XChaCha20-Poly1305 and
// AES-256 key wrap (RFC 3394), through darekit's one-shot and streaming APIs, under the
// forced kernel (the binary runs once per kernel tier); the kernels that served the
// vectors are recorded and checked against the tier.
#include <cstring>

#include "darekit/crypto/aes_cbc.hpp"
#include "darekit/crypto/aes_gcm.hpp"
#include "darekit/crypto/chacha20poly1305.hpp"
#include "darekit/crypto/key_wrap.hpp"
#include "wycheproof.hpp"

using namespace darekit;
namespace wp = darekit::wycheproof;

namespace {

/// Record a vector run through several APIs: they must agree; a valid vector passes
/// when all accept (with the right output), an invalid one is rejected when none does.
void record_all(wp::tally& t, const json::value& test, bool all, bool any, bool accept_acceptable = true) {
  INFO(t.file << " tcId " << wp::intf(test, "tcId") << ": the APIs disagree");
  CHECK(all == any);
  wp::record(t, test, wp::verdict_of(test) == wp::verdict::valid ? all : any, accept_acceptable);
}

/// The first want.size() bytes at `got` equal `want` (memcmp with empty inputs is UB).
bool same(const std::uint8_t* got, const bytes& want) {
  return want.empty() || std::memcmp(got, want.data(), want.size()) == 0;
}

/// The GCM kernel a tier must use on this CPU.
gcm_kernel gcm_kernel_for(kernel k) {
  const cpu_features& f = cpu();
  if (k == kernel::avx512 && f.vaes && f.vpclmulqdq && f.avx512f && f.avx512bw) return gcm_kernel::vaes_avx512;
  if (k != kernel::scalar && f.avx) return gcm_kernel::aesni_pclmul_avx;
  return gcm_kernel::aesni_pclmul;
}
std::string_view name_of(gcm_kernel k) {
  switch (k) {
    case gcm_kernel::vaes_avx512: return "vaes_avx512";
    case gcm_kernel::aesni_pclmul_avx: return "aesni_pclmul_avx";
    case gcm_kernel::aesni_pclmul: return "aesni_pclmul";
    case gcm_kernel::none: break;
  }
  return "none";
}

}  // namespace

TEST_CASE("wycheproof: AES-256-CBC-PKCS5", "[wycheproof][aes][cbc]") {
  const auto doc = wp::load("aes_cbc_pkcs5_test.json");
  auto& t = wp::registry::get().of("AES-256-CBC-PKCS5", "aes_cbc_pkcs5_test.json");
  REQUIRE(aes_available());
  REQUIRE(active_kernel() == wp::expected_kernel());
  for (const auto& g : wp::groups(doc)) {
    if (wp::intf(g, "keySize") != 256 || wp::intf(g, "ivSize") != 128) {
      wp::registry::get().skip_group("AES-256-CBC-PKCS5", wp::describe(g), long(wp::tests(g).size()),
                                     "darekit implements AES-256 only");
      continue;
    }
    for (const auto& test : wp::tests(g)) {
      const bytes key = wp::hexf(test, "key"), iv = wp::hexf(test, "iv"), msg = wp::hexf(test, "msg"),
                  ct = wp::hexf(test, "ct");
      // One-shot decryption.
      auto one = aes256_cbc_decrypt(key, iv, ct);
      const bool one_ok = one && *one == msg;
      // Streaming decryption, fed in two pieces.
      bool stream_ok = false;
      if (auto d = cbc_decryptor::create(key, iv)) {
        bytes out;
        const std::size_t cut = ct.size() / 3;
        stream_ok = d->update(byte_view(ct).first(cut), out) && d->update(byte_view(ct).subspan(cut), out) &&
                    d->finish(out) && out == msg;
      }
      // Encryption reproduces the ciphertext of valid vectors.
      bool enc_ok = true;
      if (wp::verdict_of(test) == wp::verdict::valid) {
        auto e = aes256_cbc_encrypt(key, iv, msg);
        enc_ok = e && *e == ct;
      }
      record_all(t, test, one_ok && stream_ok && enc_ok, one_ok || stream_ok);
      ++t.kernels["AES-NI"];
    }
  }
}

TEST_CASE("wycheproof: AES-256-GCM", "[wycheproof][aes][gcm]") {
  const auto doc = wp::load("aes_gcm_test.json");
  auto& t = wp::registry::get().of("AES-256-GCM", "aes_gcm_test.json");
  REQUIRE(aes256gcm_available());
  REQUIRE(active_kernel() == wp::expected_kernel());
  const gcm_kernel want = gcm_kernel_for(wp::expected_kernel());
  for (const auto& g : wp::groups(doc)) {
    const long ks = wp::intf(g, "keySize"), ivs = wp::intf(g, "ivSize"), ts = wp::intf(g, "tagSize");
    if (ks != 256 || ivs != 96 || ts != 128) {
      wp::registry::get().skip_group("AES-256-GCM", wp::describe(g), long(wp::tests(g).size()),
                                     ks != 256  ? "darekit implements AES-256 only"
                                     : ivs != 96 ? "aes256gcm takes 96-bit nonces only (the nonce is uint8_t[12])"
                                                 : "aes256gcm has 16-byte tags only");
      continue;
    }
    for (const auto& test : wp::tests(g)) {
      const bytes key = wp::hexf(test, "key"), iv = wp::hexf(test, "iv"), aad = wp::hexf(test, "aad"),
                  msg = wp::hexf(test, "msg"), ct = wp::hexf(test, "ct"), tag = wp::hexf(test, "tag");
      REQUIRE(iv.size() == 12);
      REQUIRE(tag.size() == 16);
      REQUIRE(ct.size() == msg.size());
      auto k = aes256gcm::create(key);
      REQUIRE(k);
      // One-shot open.
      bytes out(ct.size() + 1);
      const bool open_ok = k->open(out.data(), ct.data(), ct.size(), tag.data(), aad.data(), aad.size(), iv.data()) &&
                           same(out.data(), msg);
      CHECK(aes256gcm::last_kernel() == want);
      ++t.kernels[std::string(name_of(aes256gcm::last_kernel()))];
      // Streaming open in two pieces at an odd offset.
      bool stream_ok = false;
      {
        aes256gcm_stream s(*k, iv.data(), aad.data(), aad.size());
        const std::size_t cut = ct.size() / 2 + (ct.size() > 2);
        bytes o(ct.size() + 1);
        stream_ok = s.update_decrypt(o.data(), ct.data(), cut) &&
                    s.update_decrypt(o.data() + cut, ct.data() + cut, ct.size() - cut) && s.verify(tag.data()) &&
                    same(o.data(), msg);
      }
      // Sealing reproduces ciphertext and tag of valid vectors.
      bool seal_ok = true;
      if (wp::verdict_of(test) == wp::verdict::valid) {
        bytes c(msg.size() + 1);
        std::uint8_t tg[16];
        seal_ok = k->seal(c.data(), tg, msg.data(), msg.size(), aad.data(), aad.size(), iv.data()) &&
                  same(c.data(), ct) && std::memcmp(tg, tag.data(), 16) == 0;
      }
      record_all(t, test, open_ok && stream_ok && seal_ok, open_ok || stream_ok);
    }
  }
}

namespace {
/// ChaCha20-Poly1305 (x = false, 12-byte nonce) or XChaCha20-Poly1305 (x = true, 24 bytes).
void chacha_file(bool x) {
  const char* file = x ? "xchacha20_poly1305_test.json" : "chacha20_poly1305_test.json";
  const char* name = x ? "XChaCha20-Poly1305" : "ChaCha20-Poly1305";
  const auto doc = wp::load(file);
  auto& t = wp::registry::get().of(name, file);
  const kernel tier = wp::expected_kernel();
  REQUIRE(active_kernel() == tier);
  // Poly1305 bulk kernel of the tier (IFMA only with avx512 + IFMA); ChaCha20 kernels the
  // tier may use (on avx512 short messages take one 8-block AVX2 pass).
  const kernel poly_want = tier == kernel::scalar                          ? kernel::scalar
                           : tier == kernel::avx512 && cpu().avx512ifma ? kernel::avx512
                                                                         : kernel::avx2;
  long chacha_at_tier = 0, long_messages = 0, poly_recorded = 0;
  const long nonce_bits = x ? 192 : 96;
  for (const auto& g : wp::groups(doc)) {
    if (wp::intf(g, "keySize") != 256 || wp::intf(g, "ivSize") != nonce_bits || wp::intf(g, "tagSize") != 128) {
      wp::registry::get().skip_group(name, wp::describe(g), long(wp::tests(g).size()),
                                     x ? "the nonce is uint8_t[24] by type" : "the nonce is uint8_t[12] by type");
      continue;
    }
    for (const auto& test : wp::tests(g)) {
      const bytes key = wp::hexf(test, "key"), iv = wp::hexf(test, "iv"), aad = wp::hexf(test, "aad"),
                  msg = wp::hexf(test, "msg"), ct = wp::hexf(test, "ct"), tag = wp::hexf(test, "tag");
      REQUIRE(key.size() == 32);
      REQUIRE(tag.size() == 16);
      REQUIRE(ct.size() == msg.size());
      chacha20::reset_last_kernel();
      darekit::detail::poly1305_last_slot().store(-1);
      bytes out(ct.size() + 1);
      const bool open_ok = (x ? xchacha20poly1305::open(out.data(), ct.data(), ct.size(), tag.data(), aad.data(),
                                                        aad.size(), iv.data(), key.data())
                              : chacha20poly1305::open(out.data(), ct.data(), ct.size(), tag.data(), aad.data(),
                                                       aad.size(), iv.data(), key.data())) &&
                           same(out.data(), msg);
      const kernel ck = chacha20::last_kernel();
      const int pk = darekit::detail::poly1305_last_slot().load();
      ++t.kernels["chacha20 " + std::string(to_string(ck))];
      INFO(file << " tcId " << wp::intf(test, "tcId") << " n=" << ct.size());
      if (tier == kernel::avx512) CHECK((ck == kernel::avx512 || ck == kernel::avx2));
      else CHECK(ck == tier);
      chacha_at_tier += ck == tier;
      if (pk >= 0) {
        ++poly_recorded;
        ++t.kernels["poly1305 bulk " + std::string(to_string(kernel(pk)))];
        CHECK(kernel(pk) == poly_want);
      }
      long_messages += ct.size() >= 256;  // 16 blocks: the bulk Poly1305 kernel runs
      bool seal_ok = true;
      if (wp::verdict_of(test) == wp::verdict::valid) {
        bytes c(msg.size() + 1);
        std::uint8_t tg[16];
        seal_ok = (x ? xchacha20poly1305::seal(c.data(), tg, msg.data(), msg.size(), aad.data(), aad.size(),
                                               iv.data(), key.data())
                     : chacha20poly1305::seal(c.data(), tg, msg.data(), msg.size(), aad.data(), aad.size(),
                                              iv.data(), key.data())) &&
                  same(c.data(), ct) && std::memcmp(tg, tag.data(), 16) == 0;
      }
      record_all(t, test, open_ok && seal_ok, open_ok);
    }
  }
  // The tier's own ChaCha20 kernel served some vectors (avx512: those over 448 bytes),
  // and the bulk Poly1305 ran on every vector long enough for it.
  CHECK(chacha_at_tier > 0);
  CHECK(poly_recorded >= long_messages);
  CHECK(long_messages > 0);
}
}  // namespace

TEST_CASE("wycheproof: ChaCha20-Poly1305", "[wycheproof][chacha]") { chacha_file(false); }
TEST_CASE("wycheproof: XChaCha20-Poly1305", "[wycheproof][chacha]") { chacha_file(true); }

TEST_CASE("wycheproof: AES-256 key wrap (RFC 3394)", "[wycheproof][aes][keywrap]") {
  const auto doc = wp::load("aes_wrap_test.json");
  auto& t = wp::registry::get().of("AES-256-KW", "aes_wrap_test.json");
  t.policy = "keys of 8 bytes (ShortKey) are rejected: RFC 3394 §2 wraps n >= 2 64-bit blocks";
  REQUIRE(aes_available());
  for (const auto& g : wp::groups(doc)) {
    if (wp::intf(g, "keySize") != 256) {
      wp::registry::get().skip_group("AES-256-KW", wp::describe(g), long(wp::tests(g).size()),
                                     "darekit implements AES-256 key wrap only (32-byte KEK)");
      continue;
    }
    for (const auto& test : wp::tests(g)) {
      const bytes kek = wp::hexf(test, "key"), msg = wp::hexf(test, "msg"), ct = wp::hexf(test, "ct");
      auto u = key_wrap::unwrap(kek, ct);
      const bool unwrap_ok = u && bytes(u->view().begin(), u->view().end()) == msg;
      bool wrap_ok = true;
      if (wp::verdict_of(test) != wp::verdict::invalid) {
        auto w = key_wrap::wrap(kek, msg);
        wrap_ok = w && *w == ct;
      }
      record_all(t, test, unwrap_ok && wrap_ok, unwrap_ok, /*accept_acceptable=*/false);
      ++t.kernels["AES-NI"];
    }
  }
}
