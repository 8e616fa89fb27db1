// AES-256-GCM: the GCM specification's AES-256 test cases, differential checks against
// libsodium and OpenSSL over many message/AD lengths, in place and unaligned, tamper
// detection, and a proof of which kernel ran (the test runs once per kernel tier).
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "darekit/crypto/aes_gcm.hpp"
#include "darekit/crypto/random.hpp"
#include "test_util.hpp"

using namespace darekit;
using darekit::test::unhex;

namespace {

aes256gcm make(byte_view key) {
  auto g = aes256gcm::create(key);
  REQUIRE(g.has_value());
  return *g;
}

struct sealed {
  bytes ct;
  bytes tag;
};

sealed seal_darekit(const aes256gcm& g, byte_view m, byte_view ad, const std::uint8_t* nonce) {
  sealed s{bytes(m.size()), bytes(16)};
  REQUIRE(g.seal(s.ct.data(), s.tag.data(), m.data(), m.size(), ad.data(), ad.size(), nonce));
  return s;
}

sealed seal_openssl(byte_view key, byte_view m, byte_view ad, const std::uint8_t* nonce) {
  sealed s{bytes(m.size()), bytes(16)};
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  REQUIRE(EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), nonce) == 1);
  if (!ad.empty()) REQUIRE(EVP_EncryptUpdate(ctx, nullptr, &len, ad.data(), int(ad.size())) == 1);
  if (!m.empty()) REQUIRE(EVP_EncryptUpdate(ctx, s.ct.data(), &len, m.data(), int(m.size())) == 1);
  std::uint8_t fin[16];
  REQUIRE(EVP_EncryptFinal_ex(ctx, m.empty() ? fin : s.ct.data() + m.size(), &len) == 1);
  REQUIRE(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, s.tag.data()) == 1);
  EVP_CIPHER_CTX_free(ctx);
  return s;
}

sealed seal_sodium(byte_view key, byte_view m, byte_view ad, const std::uint8_t* nonce) {
  // libsodium declares its pointers nonnull: give empty inputs a real (unused) byte.
  static const std::uint8_t empty[1] = {0};
  sealed s{bytes(m.size() + 1), bytes(16)};
  unsigned long long taglen = 0;
  REQUIRE(crypto_aead_aes256gcm_encrypt_detached(s.ct.data(), s.tag.data(), &taglen, m.empty() ? empty : m.data(),
                                                 m.size(), ad.empty() ? empty : ad.data(), ad.size(), nullptr, nonce,
                                                 key.data()) == 0);
  REQUIRE(taglen == 16);
  s.ct.resize(m.size());
  return s;
}

bool sodium_has_gcm() {
  REQUIRE(sodium_init() >= 0);
  return crypto_aead_aes256gcm_is_available() != 0;
}

gcm_kernel expected_kernel() {
  const auto& f = cpu();
  if (active_kernel() == kernel::avx512 && f.vaes && f.vpclmulqdq && f.avx512f && f.avx512bw)
    return gcm_kernel::vaes_avx512;
  if (active_kernel() != kernel::scalar && f.avx) return gcm_kernel::aesni_pclmul_avx;
  return gcm_kernel::aesni_pclmul;
}

struct spec_case {
  const char* name;
  const char* key;
  const char* iv;
  const char* pt;
  const char* ad;
  const char* ct;
  const char* tag;
};

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", Appendix B,
// test cases 13-16 (AES-256, 96-bit IV).
const spec_case spec_cases[] = {
    {"13", "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "", "",
     "530f8afbc74536b9a963b4f1c4cb738b"},
    {"14", "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
     "00000000000000000000000000000000", "", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"15", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657"
     "ba637b391aafd255",
     "",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0a"
     "bcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"16", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657"
     "ba637b39",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0a"
     "bcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

}  // namespace

TEST_CASE("gcm: the kernel that runs is the one the tier selects") {
  if (!aes256gcm_available()) { WARN("no AES-NI/PCLMULQDQ: skipping"); return; }
  const bytes key(32, 7);
  const std::uint8_t nonce[12] = {};
  auto g = make(key);
  std::uint8_t buf[64] = {}, tag[16];
  REQUIRE(g.seal(buf, tag, buf, sizeof buf, nullptr, 0, nonce));
  INFO("active kernel " << to_string(active_kernel()));
  CHECK(aes256gcm::last_kernel() == expected_kernel());
  CHECK(aes256gcm::selected_kernel() == expected_kernel());
  // On this project's machine (VAES + VPCLMULQDQ + AVX-512) the avx512 tier must use zmm.
  if (active_kernel() == kernel::avx512 && cpu().vaes && cpu().vpclmulqdq)
    CHECK(aes256gcm::last_kernel() == gcm_kernel::vaes_avx512);
  if (active_kernel() == kernel::avx2) CHECK(aes256gcm::last_kernel() == gcm_kernel::aesni_pclmul_avx);
  if (active_kernel() == kernel::scalar) CHECK(aes256gcm::last_kernel() == gcm_kernel::aesni_pclmul);
}

TEST_CASE("gcm: GCM spec test cases 13-16 (AES-256, 96-bit IV)") {
  if (!aes256gcm_available()) { WARN("no AES-NI/PCLMULQDQ: skipping"); return; }
  for (const auto& tc : spec_cases) {
    INFO("test case " << tc.name);
    const bytes key = unhex(tc.key), iv = unhex(tc.iv), pt = unhex(tc.pt), ad = unhex(tc.ad);
    const bytes ct = unhex(tc.ct), tag = unhex(tc.tag);
    auto g = make(key);
    auto s = seal_darekit(g, pt, ad, iv.data());
    CHECK(hex::encode(s.ct) == hex::encode(ct));
    CHECK(hex::encode(s.tag) == hex::encode(tag));
    bytes m(ct.size(), 0xaa);
    CHECK(g.open(m.data(), ct.data(), ct.size(), tag.data(), ad.data(), ad.size(), iv.data()));
    CHECK(m == pt);
  }
}

TEST_CASE("gcm: key size and availability") {
  CHECK(aes256gcm::create(bytes(31)).code() == errc::invalid_argument);
  CHECK(aes256gcm::create(bytes(16)).code() == errc::invalid_argument);
  detail::aes_force_unavailable().store(true);
  auto u = aes256gcm::create(bytes(32));
  detail::aes_force_unavailable().store(false);
  REQUIRE_FALSE(u.has_value());
  CHECK(u.code() == errc::unsupported);
}

TEST_CASE("gcm: differential vs libsodium and OpenSSL, lengths 0..1100, AD 0..70, unaligned, in place") {
  if (!aes256gcm_available()) { WARN("no AES-NI/PCLMULQDQ: skipping"); return; }
  const bool have_sodium = sodium_has_gcm();
  const bytes key = random_bytes(32);
  const bytes data = random_bytes(1100 + 64);
  const bytes adata = random_bytes(70 + 16);
  auto g = make(key);
  std::uint8_t nonce[12];
  randombytes_buf(nonce, sizeof nonce);

  auto check = [&](std::size_t n, std::size_t adlen, std::size_t align) {
    INFO("n=" << n << " adlen=" << adlen << " align=" << align);
    const byte_view m(data.data() + align, n), ad(adata.data() + (align % 16), adlen);
    auto ours = seal_darekit(g, m, ad, nonce);
    auto ref = seal_openssl(key, m, ad, nonce);
    REQUIRE(ours.ct == ref.ct);
    REQUIRE(ours.tag == ref.tag);
    if (have_sodium) {
      auto so = seal_sodium(key, m, ad, nonce);
      REQUIRE(ours.ct == so.ct);
      REQUIRE(ours.tag == so.tag);
    }
    // Unaligned buffers, in place: seal then open in the same (odd-offset) buffer.
    bytes buf(n + 8);
    std::uint8_t* p = buf.data() + 1 + (align % 7);
    std::memcpy(p, m.data(), n);
    std::uint8_t tag[16];
    REQUIRE(g.seal(p, tag, p, n, ad.data(), adlen, nonce));
    REQUIRE(std::equal(p, p + n, ref.ct.begin()));
    REQUIRE(std::memcmp(tag, ref.tag.data(), 16) == 0);
    REQUIRE(g.open(p, p, n, tag, ad.data(), adlen, nonce));
    REQUIRE(std::equal(p, p + n, m.begin()));
  };
  for (std::size_t n = 0; n <= 1100; ++n) check(n, n % 71, n % 13);
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 127u, 128u, 129u, 255u, 256u, 257u, 1024u, 1100u})
    for (std::size_t adlen = 0; adlen <= 70; ++adlen) check(n, adlen, adlen % 5);
}

TEST_CASE("gcm: differential on large messages (64 KiB, 64 KiB + 1, 1 MiB + 7)") {
  if (!aes256gcm_available()) { WARN("no AES-NI/PCLMULQDQ: skipping"); return; }
  const bool have_sodium = sodium_has_gcm();
  const bytes key = random_bytes(32);
  const bytes ad = random_bytes(33);  // DARE's A256GCM chunk AD length
  auto g = make(key);
  std::uint8_t nonce[12];
  randombytes_buf(nonce, sizeof nonce);
  for (std::size_t n : {std::size_t(65536), std::size_t(65537), std::size_t(1048576 + 7)}) {
    INFO("n=" << n);
    const bytes m = random_bytes(n);
    auto ours = seal_darekit(g, m, ad, nonce);
    auto ref = seal_openssl(key, m, ad, nonce);
    CHECK(ours.ct == ref.ct);
    CHECK(ours.tag == ref.tag);
    if (have_sodium) {
      auto so = seal_sodium(key, m, ad, nonce);
      CHECK(ours.tag == so.tag);
      CHECK(ours.ct == so.ct);
    }
    bytes back(n);
    CHECK(g.open(back.data(), ours.ct.data(), n, ours.tag.data(), ad.data(), ad.size(), nonce));
    CHECK(back == m);
    // Flip one bit near the end: the tag no longer verifies and the output is zeroed.
    ours.ct[n - 3] ^= 0x10;
    CHECK_FALSE(g.open(back.data(), ours.ct.data(), n, ours.tag.data(), ad.data(), ad.size(), nonce));
    CHECK(std::all_of(back.begin(), back.end(), [](std::uint8_t b) { return b == 0; }));
  }
}

TEST_CASE("gcm: every bit of tag, ciphertext and AD is authenticated; failure zeroes m") {
  if (!aes256gcm_available()) { WARN("no AES-NI/PCLMULQDQ: skipping"); return; }
  const bytes key = random_bytes(32), m = random_bytes(45), ad = random_bytes(33);
  std::uint8_t nonce[12];
  randombytes_buf(nonce, sizeof nonce);
  auto g = make(key);
  auto s = seal_darekit(g, m, ad, nonce);
  auto rejects = [&](const bytes& ct, const bytes& tag, const bytes& a, const std::uint8_t* nc) {
    bytes out(ct.size(), 0xaa);
    const bool ok = g.open(out.data(), ct.data(), ct.size(), tag.data(), a.data(), a.size(), nc);
    return !ok && std::all_of(out.begin(), out.end(), [](std::uint8_t b) { return b == 0; });
  };
  bytes out(m.size());
  REQUIRE(g.open(out.data(), s.ct.data(), s.ct.size(), s.tag.data(), ad.data(), ad.size(), nonce));
  REQUIRE(out == m);
  int failures = 0;
  for (std::size_t bit = 0; bit < 8 * s.tag.size(); ++bit) {
    bytes t = s.tag;
    t[bit / 8] ^= std::uint8_t(1u << (bit % 8));
    failures += !rejects(s.ct, t, ad, nonce);
  }
  for (std::size_t bit = 0; bit < 8 * s.ct.size(); ++bit) {
    bytes c = s.ct;
    c[bit / 8] ^= std::uint8_t(1u << (bit % 8));
    failures += !rejects(c, s.tag, ad, nonce);
  }
  for (std::size_t bit = 0; bit < 8 * ad.size(); ++bit) {
    bytes a = ad;
    a[bit / 8] ^= std::uint8_t(1u << (bit % 8));
    failures += !rejects(s.ct, s.tag, a, nonce);
  }
  for (std::size_t bit = 0; bit < 96; ++bit) {
    std::uint8_t nc[12];
    std::memcpy(nc, nonce, 12);
    nc[bit / 8] ^= std::uint8_t(1u << (bit % 8));
    failures += !rejects(s.ct, s.tag, ad, nc);
  }
  CHECK(failures == 0);
  // Truncated ciphertext / dropped AD byte.
  CHECK(rejects(bytes(s.ct.begin(), s.ct.end() - 1), s.tag, ad, nonce));
  CHECK(rejects(s.ct, s.tag, bytes(ad.begin(), ad.end() - 1), nonce));
  // Wrong key.
  auto other = make(random_bytes(32));
  bytes o(m.size(), 0xaa);
  CHECK_FALSE(other.open(o.data(), s.ct.data(), s.ct.size(), s.tag.data(), ad.data(), ad.size(), nonce));
  CHECK(std::all_of(o.begin(), o.end(), [](std::uint8_t b) { return b == 0; }));
}

TEST_CASE("gcm: all kernels agree (forced), copies behave like the original, length limit") {
  if (!aes256gcm_available()) { WARN("no AES-NI/PCLMULQDQ: skipping"); return; }
  const bytes key = random_bytes(32), data = random_bytes(5000), ad = random_bytes(300);
  std::uint8_t nonce[12];
  randombytes_buf(nonce, sizeof nonce);
  auto g = make(key);
  const aes256gcm copy = g;
  for (std::size_t n : {0u, 31u, 256u, 511u, 4096u, 4999u}) {
    INFO("n=" << n);
    const byte_view m(data.data(), n), a(ad.data(), n % 300);
    force_kernel(kernel::scalar);
    auto x = seal_darekit(g, m, a, nonce);
    CHECK(aes256gcm::last_kernel() == gcm_kernel::aesni_pclmul);
    force_kernel(kernel::avx2);
    auto v = seal_darekit(g, m, a, nonce);
    if (cpu().avx2) CHECK(aes256gcm::last_kernel() == gcm_kernel::aesni_pclmul_avx);
    force_kernel(std::nullopt);
    auto y = seal_darekit(copy, m, a, nonce);
    CHECK(x.ct == y.ct);
    CHECK(x.tag == y.tag);
    CHECK(v.ct == y.ct);
    CHECK(v.tag == y.tag);
  }
  force_kernel(std::nullopt);
  // Over the GCM limit: refused without touching the buffers.
  std::uint8_t tag[16];
  std::memset(tag, 0x55, sizeof tag);
  const std::size_t too_long = std::size_t(aes256gcm::max_message_size + 1);
  CHECK_FALSE(g.seal(nullptr, tag, nullptr, too_long, nullptr, 0, nonce));
  CHECK(std::all_of(tag, tag + 16, [](std::uint8_t b) { return b == 0; }));
  CHECK_FALSE(g.open(nullptr, nullptr, too_long, tag, nullptr, 0, nonce));
}

TEST_CASE("gcm: aes256gcm_stream in random pieces equals one-shot seal/open") {
  if (!aes256gcm_available()) { WARN("no AES-NI/PCLMULQDQ: skipping"); return; }
  const bytes key = random_bytes(32), data = random_bytes(3000), ad = random_bytes(100);
  auto g = make(key);
  std::uint8_t nonce[12];
  randombytes_buf(nonce, sizeof nonce);
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 100u, 255u, 256u, 513u, 1024u, 2999u, 3000u}) {
    for (int trial = 0; trial < 8; ++trial) {
      const std::size_t adlen = (n + std::size_t(trial) * 13) % 101;
      INFO("n=" << n << " adlen=" << adlen << " trial=" << trial);
      const byte_view m(data.data(), n), a(ad.data(), adlen);
      auto ref = seal_darekit(g, m, a, nonce);
      // Encrypt in random pieces (0..600 bytes, with many tiny ones), in place.
      bytes buf(m.begin(), m.end());
      aes256gcm_stream enc(g, nonce, a.data(), adlen);
      for (std::size_t off = 0; off < n;) {
        std::size_t piece = randombytes_uniform(trial % 2 ? 40 : 600);
        if (piece > n - off) piece = n - off;
        REQUIRE(enc.update(buf.data() + off, buf.data() + off, piece));
        off += piece;
      }
      std::uint8_t tag[16];
      enc.finish(tag);
      REQUIRE(buf == ref.ct);
      REQUIRE(std::memcmp(tag, ref.tag.data(), 16) == 0);
      // Decrypt in other random pieces, out of place.
      bytes back(n);
      aes256gcm_stream dec(g, nonce, a.data(), adlen);
      for (std::size_t off = 0; off < n;) {
        std::size_t piece = 1 + randombytes_uniform(trial % 2 ? 600 : 40);
        if (piece > n - off) piece = n - off;
        REQUIRE(dec.update_decrypt(back.data() + off, ref.ct.data() + off, piece));
        off += piece;
      }
      CHECK(dec.verify(ref.tag.data()));
      CHECK(back == bytes(m.begin(), m.end()));
    }
  }
  // A flipped tag bit fails verify.
  const byte_view m(data.data(), 777);
  auto ref = seal_darekit(g, m, ad, nonce);
  ref.tag[5] ^= 1;
  bytes back(m.size());
  aes256gcm_stream dec(g, nonce, ad.data(), ad.size());
  REQUIRE(dec.update_decrypt(back.data(), ref.ct.data(), m.size()));
  CHECK_FALSE(dec.verify(ref.tag.data()));
  // Over the GCM limit: refused.
  aes256gcm_stream big(g, nonce, nullptr, 0);
  CHECK_FALSE(big.update(nullptr, nullptr, std::size_t(aes256gcm::max_message_size + 1)));
}
