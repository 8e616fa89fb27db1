#include <catch2/catch.hpp>

#include <openssl/evp.h>

#include "darekit/codec/hex.hpp"
#include "darekit/crypto/aes.hpp"
#include "darekit/crypto/aes_cbc.hpp"
#include "darekit/crypto/key_wrap.hpp"
#include "darekit/crypto/random.hpp"
#include "test_util.hpp"

using namespace darekit;
using test::unhex;

namespace {
/// OpenSSL AES-256-CBC (PKCS#7 padding on, or off for raw blocks).
bytes ossl_cbc(bool encrypt, byte_view key, byte_view iv, byte_view in, bool padding = true) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key.data(), iv.data(), encrypt ? 1 : 0);
  EVP_CIPHER_CTX_set_padding(ctx, padding ? 1 : 0);
  bytes out(in.size() + 32);
  int n1 = 0, n2 = 0;
  EVP_CipherUpdate(ctx, out.data(), &n1, in.data(), int(in.size()));
  const int ok = EVP_CipherFinal_ex(ctx, out.data() + n1, &n2);
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return {};
  out.resize(std::size_t(n1 + n2));
  return out;
}

/// OpenSSL AES-256 key wrap (RFC 3394).
bytes ossl_wrap(byte_view kek, byte_view key) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, EVP_aes_256_wrap(), nullptr, kek.data(), nullptr);
  bytes out(key.size() + 16);
  int n1 = 0, n2 = 0;
  EVP_EncryptUpdate(ctx, out.data(), &n1, key.data(), int(key.size()));
  EVP_EncryptFinal_ex(ctx, out.data() + n1, &n2);
  EVP_CIPHER_CTX_free(ctx);
  out.resize(std::size_t(n1 + n2));
  return out;
}

// NIST SP 800-38A F.2.5 / F.2.6 (CBC-AES256).
const char* sp_key = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
const char* sp_iv = "000102030405060708090a0b0c0d0e0f";
const char* sp_pt =
    "6bc1bee22e409f96e93d7e117393172a" "ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef" "f69f2445df4f9b17ad2b417be66c3710";
const char* sp_ct =
    "f58c4c04d6e5f1ba779eabfb5f7bfbd6" "9cfc4e967edb808d679f777bc6702c7d"
    "39f23369a9d9bacfa530e26304231461" "b2eb05e2c39be9fcda6c19078c6a9d1b";
}  // namespace

TEST_CASE("AES-256: key length and availability are checked") {
  REQUIRE(aes_available());  // the CI machines have AES-NI
  CHECK(aes256::create(bytes(16)).code() == errc::invalid_argument);
  CHECK(aes256::create(bytes(31)).code() == errc::invalid_argument);
  CHECK(aes256::create(bytes(32)).has_value());
  CHECK(aes256_cbc_encrypt(bytes(32), bytes(15), bytes(3)).code() == errc::invalid_argument);
  CHECK(cbc_decryptor::create(bytes(32), bytes(17)).code() == errc::invalid_argument);
}

TEST_CASE("AES-256: a CPU without AES-NI gets a clear unsupported error") {
  detail::aes_force_unavailable() = true;
  auto k = aes256::create(bytes(32));
  CHECK(k.code() == errc::unsupported);
  CHECK(k.err().message.find("AES-NI") != std::string::npos);
  CHECK(aes256_cbc_encrypt(bytes(32), bytes(16), bytes(3)).code() == errc::unsupported);
  CHECK(aes256_cbc_decrypt(bytes(32), bytes(16), bytes(16)).code() == errc::unsupported);
  CHECK(cbc_encryptor::create(bytes(32), bytes(16)).code() == errc::unsupported);
  CHECK(key_wrap::wrap(bytes(32), bytes(16)).code() == errc::unsupported);
  CHECK(key_wrap::unwrap(bytes(32), bytes(24)).code() == errc::unsupported);
  detail::aes_force_unavailable() = false;
  CHECK(aes256::create(bytes(32)).has_value());
}

TEST_CASE("AES-256: FIPS 197 C.3 single block") {
  auto k = aes256::create(unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
  REQUIRE(k);
  bytes b = unhex("00112233445566778899aabbccddeeff");
  k->encrypt_blocks(b.data(), b.data(), 1);
  CHECK(hex::encode(b) == "8ea2b7ca516745bfeafc49904b496089");
  k->decrypt_blocks(b.data(), b.data(), 1);
  CHECK(hex::encode(b) == "00112233445566778899aabbccddeeff");
}

TEST_CASE("AES-256-CBC: NIST SP 800-38A F.2.5 encrypt and F.2.6 decrypt") {
  auto k = aes256::create(unhex(sp_key));
  REQUIRE(k);
  const bytes pt = unhex(sp_pt), ct = unhex(sp_ct);
  bytes iv = unhex(sp_iv), out(64);
  k->cbc_encrypt(iv.data(), pt.data(), out.data(), 4);
  CHECK(hex::encode(out) == sp_ct);
  CHECK(hex::encode(iv) == "b2eb05e2c39be9fcda6c19078c6a9d1b");  // chains to the last block
  iv = unhex(sp_iv);
  k->cbc_decrypt(iv.data(), ct.data(), out.data(), 4);
  CHECK(hex::encode(out) == sp_pt);
  // In place, and block by block chaining through the IV.
  bytes buf = ct;
  iv = unhex(sp_iv);
  for (int i = 0; i < 4; ++i) k->cbc_decrypt(iv.data(), buf.data() + 16 * i, buf.data() + 16 * i, 1);
  CHECK(hex::encode(buf) == sp_pt);
  // One-shot with padding: the four blocks then a full padding block.
  auto padded = aes256_cbc_encrypt(unhex(sp_key), unhex(sp_iv), pt);
  REQUIRE(padded);
  CHECK(hex::encode(byte_view(*padded).first(64)) == sp_ct);
  CHECK(padded->size() == 80);
  auto back = aes256_cbc_decrypt(unhex(sp_key), unhex(sp_iv), *padded);
  REQUIRE(back);
  CHECK(*back == pt);
}

TEST_CASE("AES-256-CBC: raw multi-block (8-way path and tail) agrees with OpenSSL") {
  const bytes key = random_bytes(32), iv0 = random_bytes(16);
  auto k = aes256::create(key);
  REQUIRE(k);
  for (std::size_t blocks : {1u, 7u, 8u, 9u, 15u, 16u, 17u, 31u, 32u, 33u, 40u, 64u, 71u, 1000u}) {
    INFO("blocks " << blocks);
    const bytes pt = random_bytes(16 * blocks);
    bytes ct(pt.size()), iv = iv0;
    k->cbc_encrypt(iv.data(), pt.data(), ct.data(), blocks);
    CHECK(ct == ossl_cbc(true, key, iv0, pt, false));
    bytes dec = ct;
    iv = iv0;
    k->cbc_decrypt(iv.data(), dec.data(), dec.data(), blocks);  // in place
    CHECK(dec == pt);
  }
}

TEST_CASE("AES-256-CBC: VAES-512 and AES-NI decryption agree, chaining across calls") {
  INFO("active kernel " << to_string(active_kernel()) << ", VAES " << cpu().vaes);
  const bytes key = random_bytes(32), iv0 = random_bytes(16);
  auto k = aes256::create(key);
  REQUIRE(k);
  const bytes pt = random_bytes(16 * 203);
  bytes ct(pt.size()), iv = iv0;
  k->cbc_encrypt(iv.data(), pt.data(), ct.data(), 203);
  for (auto kern : {kernel::scalar, kernel::avx2, kernel::avx512}) {
    force_kernel(kern);
    INFO("forced " << to_string(kern));
    bytes out(ct.size());
    iv = iv0;
    k->cbc_decrypt(iv.data(), ct.data(), out.data(), 70);  // 2x32 + 6, then the rest
    k->cbc_decrypt(iv.data(), ct.data() + 16 * 70, out.data() + 16 * 70, 133);
    CHECK(out == pt);
    CHECK(iv == bytes(ct.end() - 16, ct.end()));
  }
  force_kernel(std::nullopt);
}

TEST_CASE("AES-256-CBC: PKCS#7 round trips of every length 0..100 agree with OpenSSL") {
  const bytes key = random_bytes(32), iv = random_bytes(16);
  const bytes data = random_bytes(300);
  for (std::size_t n = 0; n <= 100; ++n) {
    INFO("length " << n);
    const byte_view pt(data.data(), n);
    auto ct = aes256_cbc_encrypt(key, iv, pt);
    REQUIRE(ct);
    CHECK(ct->size() == (n / 16 + 1) * 16);
    CHECK(*ct == ossl_cbc(true, key, iv, pt));
    auto back = aes256_cbc_decrypt(key, iv, *ct);
    REQUIRE(back);
    CHECK(*back == to_bytes(pt));
    CHECK(ossl_cbc(false, key, iv, *ct) == to_bytes(pt));
  }
}

TEST_CASE("AES-256-CBC: streaming in odd pieces equals one-shot") {
  const bytes key = random_bytes(32), iv = random_bytes(16);
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 127u, 128u, 129u, 1000u, 4096u, 10007u}) {
    const bytes pt = random_bytes(n);
    auto want = aes256_cbc_encrypt(key, iv, pt);
    REQUIRE(want);
    for (std::size_t piece : {1u, 5u, 16u, 17u, 33u, 128u, 129u, 5000u}) {
      INFO("length " << n << " piece " << piece);
      auto enc = cbc_encryptor::create(key, iv);
      REQUIRE(enc);
      bytes ct;
      for (std::size_t off = 0; off < n; off += piece)
        REQUIRE(enc->update(byte_view(pt.data() + off, std::min(piece, n - off)), ct));
      REQUIRE(enc->finish(ct));
      CHECK(ct == *want);
      CHECK(enc->finish(ct).code() == errc::invalid_argument);  // finished twice

      auto dec = cbc_decryptor::create(key, iv);
      REQUIRE(dec);
      bytes back;
      for (std::size_t off = 0; off < ct.size(); off += piece)
        REQUIRE(dec->update(byte_view(ct.data() + off, std::min(piece, ct.size() - off)), back));
      auto fin = dec->finish(back);
      INFO(fin.err().what());
      REQUIRE(fin);
      CHECK(back == pt);
    }
  }
}

TEST_CASE("AES-256-CBC: short, truncated, tampered and badly padded ciphertext is rejected") {
  // Fixed inputs: a random key would give valid padding after tampering or with a wrong key
  // about once in 256 runs. With these, the tampered and wrong-key last blocks end in 0xda and
  // 0x44 (checked with Python's cryptography package), which no padding accepts.
  bytes key(32), iv(16), pt(40);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = std::uint8_t(i);
  for (std::size_t i = 0; i < iv.size(); ++i) iv[i] = std::uint8_t(0x40 + i);
  for (std::size_t i = 0; i < pt.size(); ++i) pt[i] = std::uint8_t(i * 7 + 3);
  auto ct = aes256_cbc_encrypt(key, iv, pt);
  REQUIRE(ct);
  CHECK(aes256_cbc_decrypt(key, iv, {}).code() == errc::malformed);
  CHECK(aes256_cbc_decrypt(key, iv, byte_view(*ct).first(15)).code() == errc::malformed);
  CHECK(aes256_cbc_decrypt(key, iv, byte_view(*ct).first(47)).code() == errc::malformed);
  auto dec = cbc_decryptor::create(key, iv);
  REQUIRE(dec);
  bytes sink;
  REQUIRE(dec->update(byte_view(*ct).first(40), sink));
  CHECK(dec->finish(sink).code() == errc::malformed);

  // Every bad padding gives the same code and message.
  std::string msg;
  auto expect_bad = [&](const bytes& c) {
    auto r = aes256_cbc_decrypt(key, iv, c);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::verification_failed);
    if (msg.empty()) msg = r.err().message;
    CHECK(r.err().message == msg);
    auto d = cbc_decryptor::create(key, iv);
    bytes out;
    REQUIRE(d->update(c, out));
    auto f = d->finish(out);
    CHECK(f.code() == errc::verification_failed);
    CHECK(f.err().message == msg);
  };
  // Forge final plaintext blocks with chosen bad paddings by raw-encrypting them.
  auto k = aes256::create(key);
  REQUIRE(k);
  const std::vector<bytes> bad_last = {
      bytes(16, 0x00),                                            // pad 0
      bytes(16, 0x11),                                            // pad 17
      bytes(16, 0xff),                                            // pad 255
      concat(bytes(13, 0x41), bytes{0x02, 0x03, 0x03}),           // one wrong pad byte
      concat(bytes(8, 0x41), bytes(7, 0x09), bytes{0x09}),        // 8 of 9 pad bytes
      concat(bytes{0x0f}, bytes(15, 0x10)),                       // pad 16, first byte wrong
  };
  for (const auto& last : bad_last) {
    bytes c(16), chain = iv;
    k->cbc_encrypt(chain.data(), last.data(), c.data(), 1);
    expect_bad(c);
    CHECK(ossl_cbc(false, key, iv, c).empty());  // OpenSSL agrees it is bad
  }
  // Good edge paddings are accepted: pad 16 and pad 1.
  for (const auto& last : {bytes(16, 0x10), concat(bytes(15, 0x10), bytes{0x01})}) {
    bytes c(16), chain = iv;
    k->cbc_encrypt(chain.data(), last.data(), c.data(), 1);
    auto r = aes256_cbc_decrypt(key, iv, c);
    REQUIRE(r);
    CHECK(r->size() == std::size_t(16 - last[15]));
  }
  // Tampering with the last ciphertext block scrambles the padding.
  bytes t = *ct;
  t[t.size() - 1] ^= 0x80;
  expect_bad(t);
  CHECK(ossl_cbc(false, key, iv, t).empty());
  // Wrong key.
  bytes wrong(32);
  for (std::size_t i = 0; i < wrong.size(); ++i) wrong[i] = std::uint8_t(0x80 + i);
  CHECK(aes256_cbc_decrypt(wrong, iv, *ct).code() == errc::verification_failed);
  CHECK(ossl_cbc(false, wrong, iv, *ct).empty());
}

TEST_CASE("Key wrap: RFC 3394 section 4 vectors with a 256-bit KEK") {
  const bytes kek = unhex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
  struct v { const char* key; const char* wrapped; };
  const v vectors[] = {
      // 4.3: 128 bits of key data with a 256-bit KEK
      {"00112233445566778899AABBCCDDEEFF", "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7"},
      // 4.5: 192 bits of key data with a 256-bit KEK
      {"00112233445566778899AABBCCDDEEFF0001020304050607",
       "A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1"},
      // 4.6: 256 bits of key data with a 256-bit KEK
      {"00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F",
       "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21"},
  };
  for (const auto& t : vectors) {
    INFO(t.key);
    auto w = key_wrap::wrap(kek, unhex(t.key));
    REQUIRE(w);
    CHECK(*w == unhex(t.wrapped));
    auto u = key_wrap::unwrap(kek, unhex(t.wrapped));
    REQUIRE(u);
    CHECK(to_bytes(u->view()) == unhex(t.key));
  }
}

TEST_CASE("Key wrap: agrees with OpenSSL; corrupted, short and oversized input is rejected") {
  const bytes kek = random_bytes(32);
  for (std::size_t n = 16; n <= 128; n += 8) {
    INFO("key length " << n);
    const bytes key = random_bytes(n);
    auto w = key_wrap::wrap(kek, key);
    REQUIRE(w);
    CHECK(*w == ossl_wrap(kek, key));
    auto u = key_wrap::unwrap(kek, *w);
    REQUIRE(u);
    CHECK(to_bytes(u->view()) == key);
    for (std::size_t i = 0; i < w->size(); i += 7) {  // flip a bit anywhere
      bytes bad = *w;
      bad[i] ^= 0x01;
      CHECK(key_wrap::unwrap(kek, bad).code() == errc::verification_failed);
    }
  }
  const bytes key = random_bytes(32);
  auto w = key_wrap::wrap(kek, key);
  REQUIRE(w);
  CHECK(key_wrap::unwrap(random_bytes(32), *w).code() == errc::verification_failed);  // wrong KEK
  CHECK(key_wrap::unwrap(kek, byte_view(*w).first(16)).code() == errc::malformed);
  CHECK(key_wrap::unwrap(kek, byte_view(*w).first(39)).code() == errc::malformed);
  CHECK(key_wrap::unwrap(kek, {}).code() == errc::malformed);
  CHECK(key_wrap::unwrap(kek, bytes(key_wrap::max_key_size + 16)).code() == errc::too_large);
  CHECK(key_wrap::unwrap(bytes(16), *w).code() == errc::invalid_argument);
  CHECK(key_wrap::wrap(kek, bytes(8)).code() == errc::invalid_argument);
  CHECK(key_wrap::wrap(kek, bytes(20)).code() == errc::invalid_argument);
  CHECK(key_wrap::wrap(kek, bytes(key_wrap::max_key_size + 8)).code() == errc::too_large);
}
