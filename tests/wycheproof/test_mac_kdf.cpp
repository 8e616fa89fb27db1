// Wycheproof: HMAC-SHA-256/512, HMAC-SHA3-256/512 (full and truncated tags through
// hmac_verify) and HKDF-SHA-256/512, with darekit's own SHA-2 / Keccak kernels.
#include "darekit/crypto/detail/sha2_compress.hpp"
#include "darekit/crypto/hkdf.hpp"
#include "darekit/crypto/hmac.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/crypto/sha3.hpp"
#include "wycheproof.hpp"

using namespace darekit;
namespace wp = darekit::wycheproof;

namespace {

/// Which single-buffer compression serves H in this run.
template <class H>
std::string hash_kernel() {
  namespace d = darekit::detail;
  if constexpr (std::is_same_v<H, sha256>) return d::sha256_uses_shani() ? "sha256 SHA-NI" : "sha256 portable";
  else if constexpr (std::is_same_v<H, sha512>) {
#if DAREKIT_S512_HAVE_ASM
    if (d::sha512_compress_selected() == &d::sha512_compress_avx512) return "sha512 avx512";
    if (d::sha512_compress_selected() == &d::sha512_compress_avx2) return "sha512 avx2";
#endif
    return "sha512 portable";
  } else {
    return "keccak-f[1600] scalar";
  }
}

template <class H>
void hmac_file(const char* file, const char* name) {
  const auto doc = wp::load(file);
  auto& t = wp::registry::get().of(name, file);
  REQUIRE(active_kernel() == wp::expected_kernel());
  for (const auto& g : wp::groups(doc)) {
    const long tag_bits = wp::intf(g, "tagSize");
    if (tag_bits % 8 || tag_bits / 8 < 16 || std::size_t(tag_bits / 8) > H::digest_size) {
      wp::registry::get().skip_group(name, wp::describe(g), long(wp::tests(g).size()),
                                     "hmac_verify takes tags of 16 bytes up to the digest size");
      continue;
    }
    for (const auto& test : wp::tests(g)) {
      const bytes key = wp::hexf(test, "key"), msg = wp::hexf(test, "msg"), tag = wp::hexf(test, "tag");
      const bool verified = hmac_verify<H>(key, msg, tag);
      // The one-shot and the streaming MAC (in two pieces) agree with the tag too.
      const auto full = hmac<H>::mac(key, msg);
      hmac<H> m(key);
      m.update(byte_view(msg).first(msg.size() / 2));
      m.update(byte_view(msg).subspan(msg.size() / 2));
      const auto streamed = m.finish();
      const bool computed = tag.size() <= full.size() && std::equal(tag.begin(), tag.end(), full.begin());
      INFO(file << " tcId " << wp::intf(test, "tcId"));
      CHECK(streamed == full);
      CHECK(computed == verified);
      wp::record(t, test, verified);
      ++t.kernels[hash_kernel<H>()];
    }
  }
}

template <class H>
void hkdf_file(const char* file, const char* name) {
  const auto doc = wp::load(file);
  auto& t = wp::registry::get().of(name, file);
  for (const auto& g : wp::groups(doc)) {
    for (const auto& test : wp::tests(g)) {
      const bytes ikm = wp::hexf(test, "ikm"), salt = wp::hexf(test, "salt"), info = wp::hexf(test, "info"),
                  okm = wp::hexf(test, "okm");
      const auto size = std::size_t(wp::intf(test, "size"));
      auto d = hkdf::derive<H>(salt, ikm, info, size);
      const bool accepted = d && d->size() == size && bytes(d->view().begin(), d->view().end()) == okm;
      if (wp::verdict_of(test) == wp::verdict::invalid) {
        INFO(file << " tcId " << wp::intf(test, "tcId") << ": " << d.err().what());
        CHECK((d ? errc::ok : d.code()) == errc::invalid_argument);  // output longer than 255 * HashLen
      }
      wp::record(t, test, accepted);
      ++t.kernels[hash_kernel<H>()];
    }
  }
}

}  // namespace

TEST_CASE("wycheproof: HMAC-SHA-256", "[wycheproof][hmac]") { hmac_file<sha256>("hmac_sha256_test.json", "HMAC-SHA-256"); }
TEST_CASE("wycheproof: HMAC-SHA-512", "[wycheproof][hmac]") { hmac_file<sha512>("hmac_sha512_test.json", "HMAC-SHA-512"); }
TEST_CASE("wycheproof: HMAC-SHA3-256", "[wycheproof][hmac]") {
  hmac_file<sha3_256>("hmac_sha3_256_test.json", "HMAC-SHA3-256");
}
TEST_CASE("wycheproof: HMAC-SHA3-512", "[wycheproof][hmac]") {
  hmac_file<sha3_512>("hmac_sha3_512_test.json", "HMAC-SHA3-512");
}
TEST_CASE("wycheproof: HKDF-SHA-256", "[wycheproof][hkdf]") { hkdf_file<sha256>("hkdf_sha256_test.json", "HKDF-SHA-256"); }
TEST_CASE("wycheproof: HKDF-SHA-512", "[wycheproof][hkdf]") { hkdf_file<sha512>("hkdf_sha512_test.json", "HKDF-SHA-512"); }
