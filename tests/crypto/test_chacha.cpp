// ChaCha20, Poly1305, ChaCha20-Poly1305 and XChaCha20-Poly1305: RFC 8439 and
// draft-irtf-cfrg-xchacha-03 vectors, differential checks against libsodium for every
// length 0..1100 and some large ones, in-place and unaligned buffers, tamper
// detection, and proof of which kernel ran (the binary runs once per forced kernel).
#include <catch2/catch.hpp>

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "darekit/core/cpu.hpp"
#include "darekit/crypto/chacha20.hpp"
#include "darekit/crypto/chacha20poly1305.hpp"
#include "darekit/crypto/poly1305.hpp"
#include "test_util.hpp"

using namespace darekit;
using test::unhex;

namespace {

const int sodium_ready = sodium_init();

// RFC 8439 Appendix A.1: ChaCha20 block function (key, nonce, counter, keystream).
const struct { const char* key; const char* nonce; std::uint32_t counter; const char* out; } kA1[] = {
    {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", 0,
      "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7da41597c5157488d7724e03fb8d84a37"
      "6a43b8f41518a11cc387b669b2ee6586"},
    {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", 1,
      "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed29b721769ce64e43d57133b074d839d5"
      "31ed1f28510afb45ace10a1f4b794d6f"},
    {"0000000000000000000000000000000000000000000000000000000000000001", "000000000000000000000000", 1,
      "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a8eca00bbb4a73bdad192b5c42f73f2fd"
      "4e273644c8b36125a64addeb006c13a0"},
    {"00ff000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", 2,
      "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca13b25aa26cb4a648cb9b9d1be65b2c09"
      "24a66c54d545ec1b7374f4872e99f096"},
    {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000002", 0,
      "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c78a970e0e955c14f3a88e741b97c286f7"
      "5f8fc299e8148362fa198a39531bed6d"},
};
// RFC 8439 Appendix A.2: ChaCha20 encryption.
const struct { const char* key; const char* nonce; std::uint32_t counter; const char* pt; const char* ct; } kA2[] = {
    {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", 0,
      "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000",
      "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7da41597c5157488d7724e03fb8d84a37"
      "6a43b8f41518a11cc387b669b2ee6586"},
    {"0000000000000000000000000000000000000000000000000000000000000001", "000000000000000000000002", 1,
      "416e79207375626d697373696f6e20746f20746865204945544620696e74656e6465642062792074686520436f6e7472"
      "696275746f7220666f72207075626c69636174696f6e20617320616c6c206f722070617274206f6620616e2049455446"
      "20496e7465726e65742d4472616674206f722052464320616e6420616e792073746174656d656e74206d616465207769"
      "7468696e2074686520636f6e74657874206f6620616e204945544620616374697669747920697320636f6e7369646572"
      "656420616e20224945544620436f6e747269627574696f6e222e20537563682073746174656d656e747320696e636c75"
      "6465206f72616c2073746174656d656e747320696e20494554462073657373696f6e732c2061732077656c6c20617320"
      "7772697474656e20616e6420656c656374726f6e696320636f6d6d756e69636174696f6e73206d61646520617420616e"
      "792074696d65206f7220706c6163652c207768696368206172652061646472657373656420746f",
      "a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec2a97948bd3722915c8f3d337f7d37005"
      "0e9e96d647b7c39f56e031ca5eb6250d4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950"
      "42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85ad00f8449ed8f72d0d662ab052691ca66"
      "424bc86d2df80ea41f43abf937d3259dc4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b"
      "0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6ccc3aaf9f3979c92b3720fc88dc95ed84"
      "a1be059c6499b9fda236e7e818b04b0bc39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f"
      "5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e698ced759c3ff9b6477338f3da4f9cd85"
      "14ea9982ccafb341b2384dd902f3d1ab7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221"},
    {"1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0", "000000000000000000000002", 42,
      "2754776173206272696c6c69672c20616e642074686520736c6974687920746f7665730a446964206779726520616e64"
      "2067696d626c6520696e2074686520776162653a0a416c6c206d696d737920776572652074686520626f726f676f7665"
      "732c0a416e6420746865206d6f6d65207261746873206f757467726162652e",
      "62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf166d3df2d721caf9b21e5fb14c616871"
      "fd84c54f9d65b283196c7fe4f60553ebf39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77"
      "04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1"},
};
// RFC 8439 Appendix A.3 #1-#4: Poly1305 (key, message, tag).
const struct { const char* key; const char* msg; const char* tag; } kA3[] = {
    {"0000000000000000000000000000000000000000000000000000000000000000",
      "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000",
     "00000000000000000000000000000000"},
    {"0000000000000000000000000000000036e5f6b5c5e06070f0efca96227a863e",
      "416e79207375626d697373696f6e20746f20746865204945544620696e74656e6465642062792074686520436f6e7472"
      "696275746f7220666f72207075626c69636174696f6e20617320616c6c206f722070617274206f6620616e2049455446"
      "20496e7465726e65742d4472616674206f722052464320616e6420616e792073746174656d656e74206d616465207769"
      "7468696e2074686520636f6e74657874206f6620616e204945544620616374697669747920697320636f6e7369646572"
      "656420616e20224945544620436f6e747269627574696f6e222e20537563682073746174656d656e747320696e636c75"
      "6465206f72616c2073746174656d656e747320696e20494554462073657373696f6e732c2061732077656c6c20617320"
      "7772697474656e20616e6420656c656374726f6e696320636f6d6d756e69636174696f6e73206d61646520617420616e"
      "792074696d65206f7220706c6163652c207768696368206172652061646472657373656420746f",
     "36e5f6b5c5e06070f0efca96227a863e"},
    {"36e5f6b5c5e06070f0efca96227a863e00000000000000000000000000000000",
      "416e79207375626d697373696f6e20746f20746865204945544620696e74656e6465642062792074686520436f6e7472"
      "696275746f7220666f72207075626c69636174696f6e20617320616c6c206f722070617274206f6620616e2049455446"
      "20496e7465726e65742d4472616674206f722052464320616e6420616e792073746174656d656e74206d616465207769"
      "7468696e2074686520636f6e74657874206f6620616e204945544620616374697669747920697320636f6e7369646572"
      "656420616e20224945544620436f6e747269627574696f6e222e20537563682073746174656d656e747320696e636c75"
      "6465206f72616c2073746174656d656e747320696e20494554462073657373696f6e732c2061732077656c6c20617320"
      "7772697474656e20616e6420656c656374726f6e696320636f6d6d756e69636174696f6e73206d61646520617420616e"
      "792074696d65206f7220706c6163652c207768696368206172652061646472657373656420746f",
     "f3477e7cd95417af89a6b8794c310cf0"},
    {"1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
      "2754776173206272696c6c69672c20616e642074686520736c6974687920746f7665730a446964206779726520616e64"
      "2067696d626c6520696e2074686520776162653a0a416c6c206d696d737920776572652074686520626f726f676f7665"
      "732c0a416e6420746865206d6f6d65207261746873206f757467726162652e",
     "4541669a7eaaee61e708dc7cbcc5eb62"},
};
// RFC 8439 Appendix A.4: Poly1305 key generation (key, nonce, one-time key).
const struct { const char* key; const char* nonce; const char* otk; } kA4[] = {
    {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
     "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"},
    {"0000000000000000000000000000000000000000000000000000000000000001", "000000000000000000000002",
     "ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739"},
    {"1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0", "000000000000000000000002",
     "965e3bc6f9ec7ed9560808f4d229f94b137ff275ca9b3fcbdd59deaad23310ae"},
};
// RFC 8439 Appendix A.5: AEAD decryption.
const char* kA5Key = "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0";
const char* kA5Ct =
      "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb24c6cfc18755d43eea09ee94e382d26b0"
      "bdb7b73c321b0100d4f03b7f355894cf332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
      "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4b9166c767b804d46a59b5216cde7a4e9"
      "9040c5a40433225ee282a1b0a06c523eaf4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
      "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a1049e617d91d361094fa68f0ff77987130"
      "305beaba2eda04df997b714d6c6f2c29a6ad5cb4022b02709b";
const char* kA5Nonce = "000000000102030405060708";
const char* kA5Ad = "f33388860000000000004e91";
const char* kA5Tag = "eead9d67890cbb22392336fea1851f38";
const char* kA5Otk = "bdf04aa95ce4de8995b14bb6a18fecaf26478f50c054f563dbc0a21e261572aa";
const char* kA5Pt =
      "496e7465726e65742d4472616674732061726520647261667420646f63756d656e74732076616c696420666f72206120"
      "6d6178696d756d206f6620736978206d6f6e74687320616e64206d617920626520757064617465642c207265706c6163"
      "65642c206f72206f62736f6c65746564206279206f7468657220646f63756d656e747320617420616e792074696d652e"
      "20497420697320696e617070726f70726961746520746f2075736520496e7465726e65742d4472616674732061732072"
      "65666572656e6365206d6174657269616c206f7220746f2063697465207468656d206f74686572207468616e20617320"
      "2fe2809c776f726b20696e2070726f67726573732e2fe2809d";
// RFC 8439 §2.4.2 plaintext and ciphertext (key 00..1f, nonce 000000000000004a00000000, counter 1).
const char* kSunscreen =
      "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a20496620492063"
      "6f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
      "637265656e20776f756c642062652069742e";
const char* kSunscreenCt =
      "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b357"
      "1639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
      "5af90bbf74a35be6b40b8eedf2785e42874d";
// RFC 8439 §2.8.2 AEAD.
const char* k282Ct =
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
      "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
      "3ff4def08e4b7a9de576d26586cec64b6116";
const char* k282Otk = "7bac2b252db447af09b67a55a4e955840ae1d6731075d9eb2a9375783ed553ff";

/// Deterministic pseudo-random bytes (xorshift64*), so failures reproduce.
bytes prng(std::size_t n, std::uint64_t seed) {
  bytes out(n);
  std::uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
  for (auto& b : out) {
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    b = std::uint8_t((x * 0x2545f4914f6cdd1dull) >> 56);
  }
  return out;
}

/// The kernel this process is expected to run: the hardware's best, capped by
/// DAREKIT_FORCE_KERNEL.
kernel expected_kernel() {
  kernel hw = detail::hardware_kernel(cpu());
  if (const char* e = std::getenv("DAREKIT_FORCE_KERNEL")) {
    if (auto k = parse_kernel(e); k && int(*k) < int(hw)) hw = *k;
  }
  return hw;
}

/// A non-null pointer for empty spans (libsodium declares its buffers nonnull).
const std::uint8_t* nz(const std::uint8_t* p) {
  static const std::uint8_t dummy[1] = {0};
  return p ? p : dummy;
}
std::uint8_t* nz(std::uint8_t* p) {
  static std::uint8_t dummy[1];
  return p ? p : dummy;
}

struct sealed {
  bytes ct;
  std::uint8_t tag[16];
};

sealed sodium_seal(bool x, byte_view m, byte_view ad, const std::uint8_t* nonce, const std::uint8_t* key) {
  sealed s;
  s.ct.resize(m.size());
  unsigned long long maclen = 0;
  if (x)
    crypto_aead_xchacha20poly1305_ietf_encrypt_detached(nz(s.ct.data()), s.tag, &maclen, nz(m.data()), m.size(), nz(ad.data()),
                                                        ad.size(), nullptr, nonce, key);
  else
    crypto_aead_chacha20poly1305_ietf_encrypt_detached(nz(s.ct.data()), s.tag, &maclen, nz(m.data()), m.size(), nz(ad.data()),
                                                       ad.size(), nullptr, nonce, key);
  return s;
}

sealed dk_seal(bool x, byte_view m, byte_view ad, const std::uint8_t* nonce, const std::uint8_t* key) {
  sealed s;
  s.ct.resize(m.size());
  if (x) xchacha20poly1305::seal(s.ct.data(), s.tag, m.data(), m.size(), ad.data(), ad.size(), nonce, key);
  else chacha20poly1305::seal(s.ct.data(), s.tag, m.data(), m.size(), ad.data(), ad.size(), nonce, key);
  return s;
}

bool dk_open(bool x, std::uint8_t* m, byte_view ct, const std::uint8_t* tag, byte_view ad, const std::uint8_t* nonce,
             const std::uint8_t* key) {
  if (x) return xchacha20poly1305::open(m, ct.data(), ct.size(), tag, ad.data(), ad.size(), nonce, key);
  return chacha20poly1305::open(m, ct.data(), ct.size(), tag, ad.data(), ad.size(), nonce, key);
}

bool all_zero(const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (p[i]) return false;
  return true;
}

}  // namespace

TEST_CASE("chacha20: RFC 8439 §2.3.2 block and §2.4.2 encryption", "[chacha]") {
  const bytes key = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  std::uint8_t out[64];
  chacha20::block(out, key.data(), unhex("000000090000004a00000000").data(), 1);
  CHECK(hex::encode({out, 64}) ==
        "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
  const bytes pt = unhex(kSunscreen);
  bytes ct(pt.size());
  chacha20::xor_stream(ct.data(), pt.data(), pt.size(), key.data(), unhex("000000000000004a00000000").data(), 1);
  CHECK(hex::encode(ct) == kSunscreenCt);
}

TEST_CASE("chacha20: RFC 8439 A.1 block functions and A.2 encryption", "[chacha]") {
  for (const auto& v : kA1) {
    std::uint8_t out[64];
    chacha20::block(out, unhex(v.key).data(), unhex(v.nonce).data(), v.counter);
    CHECK(hex::encode({out, 64}) == v.out);
  }
  for (const auto& v : kA2) {
    const bytes pt = unhex(v.pt);
    bytes ct(pt.size());
    chacha20::xor_stream(ct.data(), pt.data(), pt.size(), unhex(v.key).data(), unhex(v.nonce).data(), v.counter);
    CHECK(hex::encode(ct) == v.ct);
    chacha20::xor_stream(ct.data(), ct.data(), ct.size(), unhex(v.key).data(), unhex(v.nonce).data(), v.counter);
    CHECK(ct == pt);
  }
}

TEST_CASE("hchacha20: draft-irtf-cfrg-xchacha-03 §2.2.1", "[chacha]") {
  std::uint8_t out[32];
  chacha20::hchacha20(out, unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f").data(),
                      unhex("000000090000004a0000000031415927").data());
  CHECK(hex::encode({out, 32}) == "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc");
  // and against libsodium for a few random inputs
  for (std::uint64_t s = 0; s < 8; ++s) {
    const bytes k = prng(32, s), n = prng(16, s + 100);
    std::uint8_t want[32];
    crypto_core_hchacha20(want, n.data(), k.data(), nullptr);
    chacha20::hchacha20(out, k.data(), n.data());
    CHECK(std::memcmp(out, want, 32) == 0);
  }
}

TEST_CASE("chacha20: keystream matches libsodium at every length and counter", "[chacha]") {
  const bytes key = prng(32, 1), nonce = prng(12, 2);
  const bytes msg = prng(4200, 3);
  for (std::size_t n : {0, 1, 63, 64, 65, 127, 128, 255, 256, 511, 512, 513, 767, 1023, 1024, 1025, 1535, 1536,
                        2047, 2048, 2049, 4096, 4159, 4200}) {
    for (std::uint32_t ctr : {0u, 1u, 7u, 0xffffff00u}) {
      bytes want(n), got(n);
      crypto_stream_chacha20_ietf_xor_ic(nz(want.data()), msg.data(), n, nonce.data(), ctr, key.data());
      chacha20::xor_stream(got.data(), msg.data(), n, key.data(), nonce.data(), ctr);
      INFO("n=" << n << " ctr=" << ctr);
      CHECK(got == want);
    }
  }
  // The 32-bit counter wraps the same way in every lane of every kernel.
  for (std::size_t n : {256, 1024, 2048}) {
    bytes got(n);
    chacha20::xor_stream(got.data(), msg.data(), n, key.data(), nonce.data(), 0xfffffffdu);
    for (std::size_t b = 0; b < n / 64; ++b) {
      std::uint8_t ks[64];
      chacha20::block(ks, key.data(), nonce.data(), std::uint32_t(0xfffffffdu + b));
      for (int i = 0; i < 64; ++i) ks[i] ^= msg[64 * b + std::size_t(i)];
      CHECK(std::memcmp(ks, got.data() + 64 * b, 64) == 0);
    }
  }
}

TEST_CASE("chacha20: in place and unaligned, every kernel length class", "[chacha]") {
  const bytes key = prng(32, 61), nonce = prng(12, 62), msg = prng(3000, 63);
  for (std::size_t n : {1, 100, 511, 1000, 1024, 2049, 2999}) {
    bytes want(n);
    crypto_stream_chacha20_ietf_xor_ic(want.data(), msg.data(), n, nonce.data(), 5, key.data());
    for (std::size_t shift : {1, 3, 7}) {
      bytes buf(n + shift);
      std::memcpy(buf.data() + shift, msg.data(), n);
      chacha20::xor_stream(buf.data() + shift, buf.data() + shift, n, key.data(), nonce.data(), 5);
      INFO("n=" << n << " shift=" << shift);
      CHECK(std::memcmp(buf.data() + shift, want.data(), n) == 0);
    }
  }
}

TEST_CASE("poly1305: streaming object reuse and byte_view updates", "[chacha][poly1305]") {
  const bytes k1 = prng(32, 71), k2 = prng(32, 72), m = prng(1000, 73);
  std::uint8_t want1[16], want2[16], got[16];
  crypto_onetimeauth_poly1305(want1, m.data(), m.size(), k1.data());
  crypto_onetimeauth_poly1305(want2, m.data(), 333, k2.data());
  poly1305 p;
  p.init(k1.data());
  p.update(byte_view{m.data(), 500});
  p.update(byte_view{m.data() + 500, 500});
  p.finish(got);
  CHECK(std::memcmp(got, want1, 16) == 0);
  p.init(k2.data());  // a finished object starts over with a new key
  p.update(m.data(), 333);
  p.finish(got);
  CHECK(std::memcmp(got, want2, 16) == 0);
  CHECK(poly1305::verify(want1, m.data(), m.size(), k1.data()));
  std::uint8_t bad[16];
  std::memcpy(bad, want1, 16);
  bad[15] ^= 0x80;
  CHECK_FALSE(poly1305::verify(bad, m.data(), m.size(), k1.data()));
}

TEST_CASE("poly1305: RFC 8439 §2.5.2, A.3 and edge cases", "[chacha][poly1305]") {
  std::uint8_t tag[16];
  const bytes k252 = unhex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
  const std::string msg = "Cryptographic Forum Research Group";
  poly1305::mac(tag, reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size(), k252.data());
  CHECK(hex::encode({tag, 16}) == "a8061dc1305136c6c22b8baf0c0127a9");
  for (const auto& v : kA3) {
    const bytes m = unhex(v.msg);
    poly1305::mac(tag, m.data(), m.size(), unhex(v.key).data());
    CHECK(hex::encode({tag, 16}) == v.tag);
  }
  // A.3 #5-#11: R || S, data, tag.
  const struct { const char* r; const char* s; const char* data; const char* tag; } edge[] = {
      {"02000000000000000000000000000000", "00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff",
       "03000000000000000000000000000000"},
      {"02000000000000000000000000000000", "ffffffffffffffffffffffffffffffff", "02000000000000000000000000000000",
       "03000000000000000000000000000000"},
      {"01000000000000000000000000000000", "00000000000000000000000000000000",
       "ffffffffffffffffffffffffffffffff"
       "f0ffffffffffffffffffffffffffffff"
       "11000000000000000000000000000000",
       "05000000000000000000000000000000"},
      {"01000000000000000000000000000000", "00000000000000000000000000000000",
       "ffffffffffffffffffffffffffffffff"
       "fbfefefefefefefefefefefefefefefe"
       "01010101010101010101010101010101",
       "00000000000000000000000000000000"},
      {"02000000000000000000000000000000", "00000000000000000000000000000000", "fdffffffffffffffffffffffffffffff",
       "faffffffffffffffffffffffffffffff"},
      {"01000000000000000400000000000000", "00000000000000000000000000000000",
       "e33594d7505e43b90000000000000000"
       "3394d7505e4379cd0100000000000000"
       "00000000000000000000000000000000"
       "01000000000000000000000000000000",
       "14000000000000005500000000000000"},
      {"01000000000000000400000000000000", "00000000000000000000000000000000",
       "e33594d7505e43b90000000000000000"
       "3394d7505e4379cd0100000000000000"
       "00000000000000000000000000000000",
       "13000000000000000000000000000000"},
  };
  for (const auto& e : edge) {
    const bytes key = unhex(std::string(e.r) + e.s), m = unhex(e.data);
    poly1305::mac(tag, m.data(), m.size(), key.data());
    CHECK(hex::encode({tag, 16}) == e.tag);
    CHECK(poly1305::verify(unhex(e.tag).data(), m.data(), m.size(), key.data()));
  }
}

TEST_CASE("poly1305: matches libsodium (lengths 0..1100, streaming splits, extreme limbs)", "[chacha][poly1305]") {
  const bytes data = prng(70000, 7);
  std::uint8_t got[16], want[16];
  for (std::size_t n = 0; n <= 1100; ++n) {
    const bytes key = prng(32, 1000 + n);
    crypto_onetimeauth_poly1305(want, data.data(), n, key.data());
    poly1305::mac(got, data.data(), n, key.data());
    INFO("n=" << n);
    REQUIRE(std::memcmp(got, want, 16) == 0);
  }
  // Streaming with awkward split points gives the one-shot tag.
  for (std::size_t n : {300, 1100, 4097, 65536, 70000}) {
    const bytes key = prng(32, n);
    crypto_onetimeauth_poly1305(want, data.data(), n, key.data());
    for (std::size_t step : {1, 3, 15, 16, 17, 100, 256, 1000, 4099}) {
      poly1305 p(key.data());
      for (std::size_t off = 0; off < n; off += step) p.update(data.data() + off, std::min(step, n - off));
      p.finish(got);
      INFO("n=" << n << " step=" << step);
      CHECK(std::memcmp(got, want, 16) == 0);
    }
  }
  // All-ones messages with extreme keys (largest clamped r, s = all ones, r = 0): the
  // accumulator limbs run at their maximum in every kernel.
  const bytes ff(4096, 0xff);
  for (const char* kh : {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                         "0000000000000000000000000000000000000000000000000000000000000000",
                         "fffffffffffffffffffffffffffffffff0000000000000000000000000000000",
                         "0100000000000000000000000000000000000000000000000000000000000000",
                         "ffffff0ffcffff0ffcffff0ffcffff0fffffffffffffffffffffffffffffffff"}) {
    const bytes key = unhex(kh);
    for (std::size_t n : {16, 31, 128, 255, 256, 257, 1024, 4095, 4096}) {
      crypto_onetimeauth_poly1305(want, ff.data(), n, key.data());
      poly1305::mac(got, ff.data(), n, key.data());
      INFO("key=" << kh << " n=" << n);
      CHECK(std::memcmp(got, want, 16) == 0);
    }
  }
  // Messages that drive h towards 2^130-5: blocks of 0xff..fb fe.. with r = 1.
  bytes near(512);
  for (std::size_t i = 0; i < near.size(); i += 16) {
    std::memset(near.data() + i, 0xff, 16);
    near[i] = 0xfb;
  }
  const bytes r1 = unhex("0100000000000000000000000000000000000000000000000000000000000000");
  for (std::size_t n = 16; n <= near.size(); n += 16) {
    crypto_onetimeauth_poly1305(want, near.data(), n, r1.data());
    poly1305::mac(got, near.data(), n, r1.data());
    CHECK(std::memcmp(got, want, 16) == 0);
  }
}

TEST_CASE("chacha20poly1305: RFC 8439 §2.6.2, A.4 key generation, §2.8.2 and A.5", "[chacha][aead]") {
  std::uint8_t out[64];
  chacha20::block(out, unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f").data(),
                  unhex("000000000001020304050607").data(), 0);
  CHECK(hex::encode({out, 32}) == "8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646");
  for (const auto& v : kA4) {
    chacha20::block(out, unhex(v.key).data(), unhex(v.nonce).data(), 0);
    CHECK(hex::encode({out, 32}) == v.otk);
  }
  // §2.8.2
  const bytes key = unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const bytes nonce = unhex("070000004041424344454647"), ad = unhex("50515253c0c1c2c3c4c5c6c7");
  const bytes pt = unhex(kSunscreen);
  chacha20::block(out, key.data(), nonce.data(), 0);
  CHECK(hex::encode({out, 32}) == k282Otk);
  bytes ct(pt.size());
  std::uint8_t tag[16];
  chacha20poly1305::seal(ct.data(), tag, pt.data(), pt.size(), ad.data(), ad.size(), nonce.data(), key.data());
  CHECK(hex::encode(ct) == k282Ct);
  CHECK(hex::encode({tag, 16}) == "1ae10b594f09e26a7e902ecbd0600691");
  bytes back(pt.size());
  CHECK(chacha20poly1305::open(back.data(), ct.data(), ct.size(), tag, ad.data(), ad.size(), nonce.data(), key.data()));
  CHECK(back == pt);
  // A.5 decryption
  const bytes k5 = unhex(kA5Key), n5 = unhex(kA5Nonce), ad5 = unhex(kA5Ad), ct5 = unhex(kA5Ct);
  chacha20::block(out, k5.data(), n5.data(), 0);
  CHECK(hex::encode({out, 32}) == kA5Otk);
  bytes pt5(ct5.size());
  CHECK(chacha20poly1305::open(pt5.data(), ct5.data(), ct5.size(), unhex(kA5Tag).data(), ad5.data(), ad5.size(),
                               n5.data(), k5.data()));
  CHECK(hex::encode(pt5) == kA5Pt);
}

TEST_CASE("xchacha20poly1305: draft-irtf-cfrg-xchacha-03 A.3.1", "[chacha][aead]") {
  const bytes key = unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const bytes nonce = unhex("404142434445464748494a4b4c4d4e4f5051525354555657");
  const bytes ad = unhex("50515253c0c1c2c3c4c5c6c7");
  const bytes pt = unhex(kSunscreen);
  bytes ct(pt.size());
  std::uint8_t tag[16];
  xchacha20poly1305::seal(ct.data(), tag, pt.data(), pt.size(), ad.data(), ad.size(), nonce.data(), key.data());
  CHECK(hex::encode(ct) ==
        "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39"
        "ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
        "21f9664c97637da9768812f615c68b13b52e");
  CHECK(hex::encode({tag, 16}) == "c0875924c1c7987947deafd8780acf49");
  bytes back(pt.size());
  CHECK(xchacha20poly1305::open(back.data(), ct.data(), ct.size(), tag, ad.data(), ad.size(), nonce.data(), key.data()));
  CHECK(back == pt);
}

TEST_CASE("aead: matches libsodium for every length 0..1100 with AD 0..70", "[chacha][aead]") {
  const bytes msg = prng(1100, 11), adbuf = prng(70, 12);
  for (bool x : {false, true}) {
    for (std::size_t n = 0; n <= 1100; ++n) {
      const bytes key = prng(32, 2 * n + x), nonce = prng(24, 5000 + n);
      const std::size_t adlen = (n * 7) % 71;
      const byte_view m{msg.data(), n}, ad{adbuf.data(), adlen};
      const sealed want = sodium_seal(x, m, ad, nonce.data(), key.data());
      const sealed got = dk_seal(x, m, ad, nonce.data(), key.data());
      INFO("x=" << x << " n=" << n << " adlen=" << adlen);
      REQUIRE(got.ct == want.ct);
      REQUIRE(std::memcmp(got.tag, want.tag, 16) == 0);
      bytes back(n);
      REQUIRE(dk_open(x, back.data(), got.ct, got.tag, ad, nonce.data(), key.data()));
      REQUIRE(back == bytes(m.begin(), m.end()));
    }
    // every AD length with a fixed message
    for (std::size_t adlen = 0; adlen <= 70; ++adlen) {
      const bytes key = prng(32, 77), nonce = prng(24, 78);
      const byte_view m{msg.data(), 100}, ad{adbuf.data(), adlen};
      const sealed want = sodium_seal(x, m, ad, nonce.data(), key.data());
      const sealed got = dk_seal(x, m, ad, nonce.data(), key.data());
      CHECK(got.ct == want.ct);
      CHECK(std::memcmp(got.tag, want.tag, 16) == 0);
    }
  }
}

TEST_CASE("aead: large messages, in place and unaligned", "[chacha][aead]") {
  const bytes big = prng((1u << 20) + 64, 21);
  const bytes ad = prng(33, 22);
  for (bool x : {false, true}) {
    for (std::size_t n : {std::size_t(4095), std::size_t(4097), std::size_t(65536), std::size_t(65537),
                          std::size_t((1u << 20) + 7)}) {
      const bytes key = prng(32, n + x), nonce = prng(24, n + 9);
      const byte_view m{big.data(), n};
      const sealed want = sodium_seal(x, m, ad, nonce.data(), key.data());
      const sealed got = dk_seal(x, m, ad, nonce.data(), key.data());
      INFO("x=" << x << " n=" << n);
      CHECK(got.ct == want.ct);
      CHECK(std::memcmp(got.tag, want.tag, 16) == 0);
      // in place, at an odd offset
      bytes buf(3);
      buf.insert(buf.end(), big.begin(), big.begin() + std::ptrdiff_t(n));
      std::uint8_t* p = buf.data() + 3;
      std::uint8_t tag[16];
      if (x) xchacha20poly1305::seal(p, tag, p, n, ad.data() + 1, ad.size() - 1, nonce.data(), key.data());
      else chacha20poly1305::seal(p, tag, p, n, ad.data() + 1, ad.size() - 1, nonce.data(), key.data());
      const sealed want2 = sodium_seal(x, m, byte_view{ad.data() + 1, ad.size() - 1}, nonce.data(), key.data());
      CHECK(std::memcmp(p, want2.ct.data(), n) == 0);
      CHECK(std::memcmp(tag, want2.tag, 16) == 0);
      bool ok = x ? xchacha20poly1305::open(p, p, n, tag, ad.data() + 1, ad.size() - 1, nonce.data(), key.data())
                  : chacha20poly1305::open(p, p, n, tag, ad.data() + 1, ad.size() - 1, nonce.data(), key.data());
      CHECK(ok);
      CHECK(std::memcmp(p, big.data(), n) == 0);
    }
  }
  // unaligned small sizes in place
  for (std::size_t n = 0; n < 300; n += 7) {
    const bytes key = prng(32, n), nonce = prng(24, n + 1);
    bytes buf(n + 1);
    std::memcpy(buf.data() + 1, big.data(), n);
    std::uint8_t tag[16];
    xchacha20poly1305::seal(buf.data() + 1, tag, buf.data() + 1, n, nullptr, 0, nonce.data(), key.data());
    const sealed want = sodium_seal(true, {big.data(), n}, {}, nonce.data(), key.data());
    CHECK(std::memcmp(buf.data() + 1, nz(want.ct.data()), n) == 0);
    CHECK(std::memcmp(tag, want.tag, 16) == 0);
  }
}

TEST_CASE("aead: tampering with tag, ciphertext or AD fails and zeroes the output", "[chacha][aead]") {
  const bytes key = prng(32, 31), nonce = prng(24, 32), m = prng(40, 33), ad = prng(9, 34);
  for (bool x : {false, true}) {
    sealed s = dk_seal(x, m, ad, nonce.data(), key.data());
    bytes out(m.size());
    REQUIRE(dk_open(x, out.data(), s.ct, s.tag, ad, nonce.data(), key.data()));
    REQUIRE(out == m);
    int failures = 0, zeroed = 0, total = 0;
    auto attempt = [&](const bytes& ct, const std::uint8_t* tag, const bytes& a) {
      bytes o(ct.size(), 0xaa);
      const bool ok = dk_open(x, o.data(), ct, tag, a, nonce.data(), key.data());
      ++total;
      failures += !ok;
      zeroed += all_zero(o.data(), o.size());
    };
    for (int bit = 0; bit < 128; ++bit) {
      std::uint8_t t[16];
      std::memcpy(t, s.tag, 16);
      t[bit / 8] ^= std::uint8_t(1u << (bit % 8));
      attempt(s.ct, t, ad);
    }
    for (std::size_t bit = 0; bit < 8 * s.ct.size(); ++bit) {
      bytes c = s.ct;
      c[bit / 8] ^= std::uint8_t(1u << (bit % 8));
      attempt(c, s.tag, ad);
    }
    for (std::size_t bit = 0; bit < 8 * ad.size(); ++bit) {
      bytes a = ad;
      a[bit / 8] ^= std::uint8_t(1u << (bit % 8));
      attempt(s.ct, s.tag, a);
    }
    // wrong nonce, wrong key, truncated ciphertext, dropped AD
    bytes o(m.size(), 0xaa);
    bytes nonce2 = nonce; nonce2[x ? 20 : 3] ^= 1;
    bytes key2 = key; key2[31] ^= 0x80;
    CHECK_FALSE(dk_open(x, o.data(), s.ct, s.tag, ad, nonce2.data(), key.data()));
    CHECK_FALSE(dk_open(x, o.data(), s.ct, s.tag, ad, nonce.data(), key2.data()));
    CHECK_FALSE(dk_open(x, o.data(), byte_view{s.ct.data(), s.ct.size() - 1}, s.tag, ad, nonce.data(), key.data()));
    CHECK_FALSE(dk_open(x, o.data(), s.ct, s.tag, {}, nonce.data(), key.data()));
    CHECK(total == 128 + 8 * 40 + 8 * 9);
    CHECK(failures == total);
    CHECK(zeroed == total);
  }
}

TEST_CASE("aead: tampering with a multi-KiB message (bulk kernels) fails and zeroes the output", "[chacha][aead]") {
  const bytes key = prng(32, 51), nonce = prng(24, 52), m = prng(5000, 53), ad = prng(20, 54);
  for (bool x : {false, true}) {
    const sealed s = dk_seal(x, m, ad, nonce.data(), key.data());
    int checked = 0;
    for (std::size_t bit = 0; bit < 8 * s.ct.size(); bit += 331) {
      bytes c = s.ct;
      c[bit / 8] ^= std::uint8_t(1u << (bit % 8));
      bytes o(c.size(), 0x55);
      CHECK_FALSE(dk_open(x, o.data(), c, s.tag, ad, nonce.data(), key.data()));
      CHECK(all_zero(o.data(), o.size()));
      // in place as well
      CHECK_FALSE(dk_open(x, c.data(), c, s.tag, ad, nonce.data(), key.data()));
      CHECK(all_zero(c.data(), c.size()));
      ++checked;
    }
    CHECK(checked > 100);
    bytes o(m.size());
    CHECK(dk_open(x, o.data(), s.ct, s.tag, ad, nonce.data(), key.data()));
    CHECK(o == m);
  }
}

TEST_CASE("kernels: the forced kernel ran, and every kernel agrees", "[chacha][kernel]") {
  const kernel want = expected_kernel();
  REQUIRE(active_kernel() == want);
  // Poly1305: IFMA only on the avx512 tier of a CPU with IFMA, else AVX2 on any SIMD tier.
  const kernel poly_want = (want == kernel::avx512 && cpu().avx512ifma) ? kernel::avx512
                           : want == kernel::scalar                     ? kernel::scalar
                                                                        : kernel::avx2;
  const bytes key = prng(32, 41), nonce = prng(24, 42), m = prng(8192, 43);
  bytes out(m.size());
  chacha20::reset_last_kernel();
  poly1305::reset_last_kernel();
  chacha20::xor_stream(out.data(), m.data(), m.size(), key.data(), nonce.data(), 1);
  CHECK(chacha20::last_kernel() == want);
  std::uint8_t tag[16];
  poly1305::mac(tag, m.data(), m.size(), key.data());
  CHECK(poly1305::last_kernel() == poly_want);
  // The AEAD's bulk runs the stitched kernel of its Poly1305 tier (AVX-512+IFMA, or
  // AVX2 also on an AVX-512 CPU without IFMA), so its ChaCha20 kernel follows poly_want.
  chacha20::reset_last_kernel();
  poly1305::reset_last_kernel();
  (void)dk_seal(true, m, {}, nonce.data(), key.data());
  CHECK(chacha20::last_kernel() == poly_want);
  CHECK(poly1305::last_kernel() == poly_want);
  WARN("chacha20 kernel: " << to_string(chacha20::last_kernel())
                           << ", poly1305 kernel: " << to_string(poly1305::last_kernel()));

  // Cross-kernel agreement on lengths around every pass and piece boundary.
  const kernel hw = detail::hardware_kernel(cpu());
  for (int ki = 0; ki <= int(hw); ++ki) {
    force_kernel(kernel(ki));
    CHECK(active_kernel() == kernel(ki));
    for (std::size_t n : {0, 1, 64, 448, 449, 511, 512, 513, 960, 961, 1023, 1024, 1025, 1600, 4096, 4100, 8192}) {
      const sealed got = dk_seal(true, {m.data(), n}, {}, nonce.data(), key.data());
      const sealed ref = sodium_seal(true, {m.data(), n}, {}, nonce.data(), key.data());
      INFO("kernel=" << ki << " n=" << n);
      CHECK(got.ct == ref.ct);
      CHECK(std::memcmp(got.tag, ref.tag, 16) == 0);
    }
    chacha20::xor_stream(out.data(), m.data(), m.size(), key.data(), nonce.data(), 1);
    CHECK(chacha20::last_kernel() == kernel(ki));
  }
  force_kernel(std::nullopt);
}

TEST_CASE("aead: messages past the 32-bit block counter are refused before any byte is touched",
          "[chacha][aead][limits]") {
  // Blocks 1 .. 2^32 - 1 carry the message (block 0 keys Poly1305).
  STATIC_REQUIRE(chacha20poly1305::max_message_size == 274877906880ull);
  STATIC_REQUIRE(chacha20poly1305::max_message_size == ((std::uint64_t(1) << 32) - 1) * 64);
  STATIC_REQUIRE(xchacha20poly1305::max_message_size == chacha20poly1305::max_message_size);
  STATIC_REQUIRE(detail::aead_length_ok(chacha20poly1305::max_message_size));
  STATIC_REQUIRE(!detail::aead_length_ok(chacha20poly1305::max_message_size + 1));
  if constexpr (sizeof(std::size_t) >= 8) {
    // Sizes beyond the limit over 64-byte buffers: the functions must refuse before
    // reading or writing (ASan would flag any access past the buffers).
    const bytes key = prng(32, 61), nonce = prng(24, 62);
    for (std::uint64_t n : {chacha20poly1305::max_message_size + 1, chacha20poly1305::max_message_size + 64,
                            std::uint64_t(1) << 40, std::uint64_t(SIZE_MAX)}) {
      for (bool x : {false, true}) {
        INFO("n=" << n << " xchacha=" << x);
        std::uint8_t in[64] = {1, 2, 3}, out[64], tag[16];
        std::memset(out, 0x5a, sizeof out);
        std::memset(tag, 0x5a, sizeof tag);
        const bool sealed = x ? xchacha20poly1305::seal(out, tag, in, std::size_t(n), nullptr, 0, nonce.data(), key.data())
                              : chacha20poly1305::seal(out, tag, in, std::size_t(n), nullptr, 0, nonce.data(), key.data());
        CHECK_FALSE(sealed);
        CHECK(all_zero(tag, 16));                  // a zero tag, as aes256gcm::seal writes
        CHECK(std::count(out, out + 64, 0x5a) == 64);  // nothing written
        std::memset(tag, 0, sizeof tag);
        const bool opened = x ? xchacha20poly1305::open(out, in, std::size_t(n), tag, nullptr, 0, nonce.data(), key.data())
                              : chacha20poly1305::open(out, in, std::size_t(n), tag, nullptr, 0, nonce.data(), key.data());
        CHECK_FALSE(opened);
        CHECK(std::count(out, out + 64, 0x5a) == 64);  // not even zeroed: never touched
      }
    }
  }
  // Within the limit seal reports success.
  const bytes key = prng(32, 63), nonce = prng(24, 64), m = prng(100, 65);
  bytes ct(m.size());
  std::uint8_t tag[16];
  CHECK(chacha20poly1305::seal(ct.data(), tag, m.data(), m.size(), nullptr, 0, nonce.data(), key.data()));
  CHECK(xchacha20poly1305::seal(ct.data(), tag, m.data(), m.size(), nullptr, 0, nonce.data(), key.data()));
}
