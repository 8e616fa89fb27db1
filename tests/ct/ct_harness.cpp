// Constant-time check (the ctgrind technique, as BoringSSL's CONSTTIME_SECRET): run under
// valgrind memcheck (scripts/ct.sh, CTest label "ct") with DAREKIT_FORCE_KERNEL=scalar and
// avx2 (valgrind cannot run AVX-512). Every key, plaintext, scalar and Shamir secret is
// marked undefined with ct::secret (VALGRIND_MAKE_MEM_UNDEFINED) before darekit touches
// it, so memcheck reports any branch or memory index that depends on a secret.
//
// The only permitted reports are the final public decisions; the library marks exactly
// these defined (ct::declassify) right before it branches on them:
//   - ct_equal's result: every tag / check-value comparison (AES-GCM open and stream
//     verify, (X)ChaCha20-Poly1305 open, Poly1305 verify, hmac_verify, key unwrap's ICV,
//     Shamir recover's extra-share check);
//   - the PKCS#7 padding length after AES-CBC decryption (accept/reject, and the
//     plaintext length returned to the caller);
//   - the X25519 small-order checks (libsodium's return code and the all-zero test) in
//     ckx::x25519_shared_secret and ckx::x25519_shared_batch;
//   - Shamir: split's "no candidate polynomial fitted" (probability < 2^-64), recover's
//     "the secret fits in B bytes" and "the extra share fits" checks.
// Everything the harness itself inspects (outputs compared with libsodium / OpenSSL)
// is declassified here first with ct::public_bytes. Without valgrind the program just
// runs the same operations and checks (exit 0 when every result is right).
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "darekit/ckx/batch.hpp"
#include "darekit/ckx/x25519.hpp"
#include "darekit/core/ct.hpp"
#include "darekit/crypto.hpp"
#include "darekit/udf/shamir.hpp"

using namespace darekit;

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

/// Deterministic test bytes (computed before anything is marked secret).
bytes pattern(std::size_t n, std::uint8_t seed) {
  bytes b(n);
  std::uint32_t x = 0x9e3779b9u * (seed + 1u);
  for (auto& v : b) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; v = std::uint8_t(x >> 24); }
  return b;
}

/// A copy of `v` marked secret.
bytes secret_copy(byte_view v) {
  bytes s(v.begin(), v.end());
  ct::secret(s.data(), s.size());
  return s;
}
/// `v` made public (to compare it).
template <class V>
const V& reveal(const V& v) {
  ct::public_bytes(v.data(), v.size() * sizeof(*v.data()));
  return v;
}
bool same(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  ct::public_bytes(a, n);
  return n == 0 || std::memcmp(a, b, n) == 0;
}

// Message lengths that reach every code path of the SIMD kernels: empty, partial block,
// one AVX2 / AVX-512 pass, the 512-byte stitched AVX2 bulk, several 4 KiB pieces.
constexpr std::size_t kLengths[] = {0, 1, 100, 448, 1000, 5000};

// ---------------------------------------------------------------------------------------
void aes_block_and_cbc() {
  // FIPS 197 C.3 (AES-256), with the key and the plaintext secret.
  const bytes key = pattern(32, 1);
  bytes fkey(32), fpt(16);
  for (int i = 0; i < 32; ++i) fkey[std::size_t(i)] = std::uint8_t(i);
  for (int i = 0; i < 16; ++i) fpt[std::size_t(i)] = std::uint8_t(i * 0x11);
  const std::uint8_t fct[16] = {0x8e, 0xa2, 0xb7, 0xca, 0x51, 0x67, 0x45, 0xbf,
                                0xea, 0xfc, 0x49, 0x90, 0x4b, 0x49, 0x60, 0x89};
  {
    const bytes k = secret_copy(fkey), p = secret_copy(fpt);
    auto a = aes256::create(k);
    std::uint8_t c[16], back[16];
    a->encrypt_blocks(p.data(), c, 1);
    a->decrypt_blocks(c, back, 1);
    expect(same(c, fct, 16) && same(back, fpt.data(), 16), "AES-256 block encrypt/decrypt (FIPS 197 C.3)");
  }
  const bytes iv = pattern(16, 2);
  for (std::size_t n : kLengths) {
    const bytes m = pattern(n, 3);
    // Reference: OpenSSL on the public copies.
    bytes want(n + 16);
    int l1 = 0, l2 = 0;
    EVP_CIPHER_CTX* x = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(x, EVP_aes_256_cbc(), nullptr, key.data(), iv.data());
    EVP_EncryptUpdate(x, want.data(), &l1, m.data(), int(n));
    EVP_EncryptFinal_ex(x, want.data() + l1, &l2);
    EVP_CIPHER_CTX_free(x);
    want.resize(std::size_t(l1 + l2));
    const bytes k = secret_copy(key), sm = secret_copy(m);
    auto c = aes256_cbc_encrypt(k, iv, sm);
    const bool enc_ok = c && reveal(*c) == want;
    // Decryption: the key is secret, and so is the plaintext it produces.
    auto d = aes256_cbc_decrypt(k, iv, want);
    const bool dec_ok = d && reveal(*d) == m;
    // Streaming decryption, and a wrong key (bad padding, rejected).
    auto dec = cbc_decryptor::create(k, iv);
    bytes out;
    const bool stream_ok = dec && dec->update(want, out) && dec->finish(out) && reveal(out) == m;
    bytes wrong = secret_copy(pattern(32, 9));
    auto bad = aes256_cbc_decrypt(wrong, iv, want);
    // (a wrong key gives good padding about once in 256 tries; this one does not)
    expect(enc_ok && dec_ok && stream_ok && !bad, "AES-256-CBC encrypt/decrypt/stream, wrong key, n=" + std::to_string(n));
  }
}

// ---------------------------------------------------------------------------------------
std::string gcm_name(gcm_kernel k) {
  return k == gcm_kernel::vaes_avx512 ? "vaes_avx512" : k == gcm_kernel::aesni_pclmul_avx ? "aesni_pclmul_avx" : "aesni_pclmul";
}

void gcm() {
  if (!aes256gcm_available()) { expect(false, "AES-256-GCM unavailable"); return; }
  const bytes key = pattern(32, 4), nonce = pattern(12, 5), ad = pattern(20, 6);
  for (std::size_t n : kLengths) {
    const bytes m = pattern(n, 7);
    bytes want(n + 16);
    unsigned long long clen = 0;
    crypto_aead_aes256gcm_encrypt(want.data(), &clen, m.data(), n, ad.data(), ad.size(), nullptr, nonce.data(),
                                  key.data());
    const bytes k = secret_copy(key), sm = secret_copy(m);
    auto g = aes256gcm::create(k);
    bytes ct(n + 1), tag(16), back(n + 1);
    const bool sealed = g->seal(ct.data(), tag.data(), sm.data(), n, ad.data(), ad.size(), nonce.data());
    const bool seal_ok = sealed && same(ct.data(), want.data(), n) && same(tag.data(), want.data() + n, 16);
    const bool open_ok = g->open(back.data(), want.data(), n, want.data() + n, ad.data(), ad.size(), nonce.data()) &&
                         same(back.data(), m.data(), n);
    bytes bad_tag(want.begin() + std::ptrdiff_t(n), want.end());
    bad_tag[15] ^= 1;
    const bool reject = !g->open(back.data(), want.data(), n, bad_tag.data(), ad.data(), ad.size(), nonce.data());
    aes256gcm_stream s(*g, nonce.data(), ad.data(), ad.size());
    bytes sc(n + 1);
    std::uint8_t st[16];
    const std::size_t cut = n / 3;
    const bool stream_ok = s.update(sc.data(), sm.data(), cut) && s.update(sc.data() + cut, sm.data() + cut, n - cut);
    s.finish(st);
    // Streaming decryption and verification (right tag, then a wrong one).
    bytes sd(n + 1);
    auto stream_open = [&](const std::uint8_t* t) {
      aes256gcm_stream d(*g, nonce.data(), ad.data(), ad.size());
      return d.update_decrypt(sd.data(), want.data(), cut) &&
             d.update_decrypt(sd.data() + cut, want.data() + cut, n - cut) && d.verify(t);
    };
    const bool stream_open_ok = stream_open(want.data() + n) && same(sd.data(), m.data(), n) && !stream_open(bad_tag.data());
    expect(seal_ok && open_ok && reject && stream_ok && stream_open_ok && same(sc.data(), want.data(), n) &&
               same(st, want.data() + n, 16),
           "AES-256-GCM seal/open/wrong tag/stream (" + gcm_name(aes256gcm::last_kernel()) + "), n=" + std::to_string(n));
  }
}

// ---------------------------------------------------------------------------------------
void chacha_poly() {
  const bytes key = pattern(32, 10), nonce = pattern(24, 11), ad = pattern(13, 12);
  for (std::size_t n : kLengths) {
    const bytes m = pattern(n, 13);
    // ChaCha20 keystream.
    {
      bytes want(n + 1);
      if (n) crypto_stream_chacha20_ietf_xor_ic(want.data(), m.data(), n, nonce.data(), 1, key.data());
      const bytes k = secret_copy(key), sm = secret_copy(m);
      bytes out(n + 1);
      chacha20::xor_stream(out.data(), sm.data(), n, k.data(), nonce.data(), 1);
      expect(same(out.data(), want.data(), n), "ChaCha20 (" + std::string(to_string(chacha20::last_kernel())) +
                                                    "), n=" + std::to_string(n));
    }
    // Poly1305 mac and verify.
    {
      std::uint8_t want[16];
      crypto_onetimeauth_poly1305(want, n ? m.data() : key.data(), n, key.data());
      const bytes k = secret_copy(key), sm = secret_copy(m);
      std::uint8_t tag[16];
      poly1305::mac(tag, sm.data(), n, k.data());
      const bool ok = same(tag, want, 16) && poly1305::verify(want, sm.data(), n, k.data());
      std::uint8_t bad[16];
      std::memcpy(bad, want, 16);
      bad[0] ^= 0x80;
      expect(ok && !poly1305::verify(bad, sm.data(), n, k.data()),
             "Poly1305 mac/verify (" + std::string(to_string(poly1305::last_kernel())) + "), n=" + std::to_string(n));
    }
    // The AEADs.
    for (bool x : {false, true}) {
      bytes want(n + 16);
      unsigned long long clen = 0;
      const std::uint8_t z = 0;
      if (x)
        crypto_aead_xchacha20poly1305_ietf_encrypt(want.data(), &clen, n ? m.data() : &z, n, ad.data(), ad.size(),
                                                   nullptr, nonce.data(), key.data());
      else
        crypto_aead_chacha20poly1305_ietf_encrypt(want.data(), &clen, n ? m.data() : &z, n, ad.data(), ad.size(),
                                                  nullptr, nonce.data(), key.data());
      const bytes k = secret_copy(key), sm = secret_copy(m);
      bytes ct(n + 1), back(n + 1);
      std::uint8_t tag[16];
      if (x) xchacha20poly1305::seal(ct.data(), tag, sm.data(), n, ad.data(), ad.size(), nonce.data(), k.data());
      else chacha20poly1305::seal(ct.data(), tag, sm.data(), n, ad.data(), ad.size(), nonce.data(), k.data());
      const bool seal_ok = same(ct.data(), want.data(), n) && same(tag, want.data() + n, 16);
      auto open = [&](const std::uint8_t* t) {
        return x ? xchacha20poly1305::open(back.data(), want.data(), n, t, ad.data(), ad.size(), nonce.data(), k.data())
                 : chacha20poly1305::open(back.data(), want.data(), n, t, ad.data(), ad.size(), nonce.data(), k.data());
      };
      const bool open_ok = open(want.data() + n) && same(back.data(), m.data(), n);
      std::uint8_t bad[16];
      std::memcpy(bad, want.data() + n, 16);
      bad[7] ^= 4;
      expect(seal_ok && open_ok && !open(bad), std::string(x ? "XChaCha20" : "ChaCha20") +
                                                    "-Poly1305 seal/open/wrong tag (chacha20 " +
                                                    std::string(to_string(chacha20::last_kernel())) + ", poly1305 " +
                                                    std::string(to_string(poly1305::last_kernel())) +
                                                    "), n=" + std::to_string(n));
    }
  }
}

// ---------------------------------------------------------------------------------------
void key_wrap_check() {
  const bytes kek = pattern(32, 20);
  for (std::size_t n : {16, 32, 64}) {
    const bytes key = pattern(n, 21);
    const bytes k = secret_copy(kek), sk = secret_copy(key);
    auto w = key_wrap::wrap(k, sk);
    if (!w) { expect(false, "key wrap"); continue; }
    reveal(*w);  // the wrapped key is public
    auto u = key_wrap::unwrap(k, *w);
    const bool round = u && reveal(*u).view().size() == n && std::memcmp(u->data(), key.data(), n) == 0;
    const bytes wrong = secret_copy(pattern(32, 22));
    auto bad = key_wrap::unwrap(wrong, *w);
    expect(round && !bad && bad.code() == errc::verification_failed,
           "AES-256 key wrap/unwrap, wrong KEK, n=" + std::to_string(n));
  }
}

// ---------------------------------------------------------------------------------------
template <class H>
void hmac_hkdf(const char* name, const char* ossl) {
  for (std::size_t kl : {16, 32, 200}) {
    const bytes key = pattern(kl, 30), m = pattern(1000, 31);
    std::uint8_t want[EVP_MAX_MD_SIZE];
    unsigned wl = 0;
    EVP_MD* md = EVP_MD_fetch(nullptr, ossl, nullptr);
    HMAC(md, key.data(), int(kl), m.data(), m.size(), want, &wl);
    EVP_MD_free(md);
    const bytes k = secret_copy(key), sm = secret_copy(m);
    const auto t = hmac<H>::mac(k, sm);
    const bool mac_ok = same(t.data(), want, t.size()) && wl == t.size();
    const bool verify_ok = hmac_verify<H>(k, sm, byte_view(want, wl));
    bytes bad(want, want + wl);
    bad[3] ^= 1;
    const bool reject = !hmac_verify<H>(k, sm, bad);
    // HKDF: IKM secret, output secret; compare with OpenSSL's HKDF.
    bytes okm_want(100);
    EVP_PKEY_CTX* pc = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
    EVP_PKEY_derive_init(pc);
    EVP_PKEY_CTX_set_hkdf_md(pc, EVP_get_digestbyname(ossl));
    const bytes salt = pattern(16, 32), info = pattern(10, 33);
    EVP_PKEY_CTX_set1_hkdf_salt(pc, salt.data(), int(salt.size()));
    EVP_PKEY_CTX_set1_hkdf_key(pc, key.data(), int(kl));
    EVP_PKEY_CTX_add1_hkdf_info(pc, info.data(), int(info.size()));
    std::size_t ol = okm_want.size();
    EVP_PKEY_derive(pc, okm_want.data(), &ol);
    EVP_PKEY_CTX_free(pc);
    auto okm = hkdf::derive<H>(salt, k, info, 100);
    const bool hkdf_ok = okm && same(okm->data(), okm_want.data(), 100);
    expect(mac_ok && verify_ok && reject && hkdf_ok,
           std::string("HMAC/HKDF-") + name + " mac/verify/wrong tag/derive, key " + std::to_string(kl) + " bytes");
  }
}

// ---------------------------------------------------------------------------------------
void x25519() {
  const bytes sk_bytes = pattern(32, 40);
  std::vector<ckx::x25519_public> peers(5);
  std::vector<std::array<std::uint8_t, 32>> want(peers.size());
  for (std::size_t i = 0; i < peers.size(); ++i) {
    const bytes s = pattern(32, std::uint8_t(41 + i));
    crypto_scalarmult_base(peers[i].data(), s.data());
    if (crypto_scalarmult(want[i].data(), sk_bytes.data(), peers[i].data()) != 0) want[i].fill(0);
  }
  peers[4] = {};  // u = 0: small order, all-zero output, rejected
  want[4].fill(0);
  std::array<std::uint8_t, 32> pub_want{};
  crypto_scalarmult_base(pub_want.data(), sk_bytes.data());

  const ckx::x25519_secret sk{sk_bytes};
  ct::secret(sk.data(), 32);
  const auto pub = ckx::x25519_public_of(sk);
  const bool pub_ok = same(pub.data(), pub_want.data(), 32);
  auto z = ckx::x25519_shared_secret(sk, peers[0]);
  const bool shared_ok = z && same(z->data(), want[0].data(), 32);
  const bool small_rejected = !ckx::x25519_shared_secret(sk, peers[4]);
  std::vector<ckx::x25519_shared> out(peers.size());
  std::vector<std::uint8_t> ok(peers.size());
  ckx::x25519_shared_batch(sk, peers, out, ok);
  bool batch_ok = true;
  for (std::size_t i = 0; i < peers.size(); ++i)
    batch_ok = batch_ok && same(out[i].data(), want[i].data(), 32) && ok[i] == (i != 4);
  expect(pub_ok && shared_ok && small_rejected && batch_ok,
         "X25519 public/shared/small-order/batch (" + std::string(ckx::x25519_batch_kernel()) + ")");
}

// ---------------------------------------------------------------------------------------
void shamir() {
  for (std::size_t B : {1, 2, 16, 32}) {
    const bytes secret = pattern(B, std::uint8_t(50 + B));
    const bytes s = secret_copy(secret);
    // Deterministic coefficients, marked secret as they are drawn: the whole polynomial
    // (and which candidate fits) must stay out of branches and addresses.
    std::uint8_t ctr = 0;
    auto fill = [&](byte_span b) {
      const bytes r = pattern(b.size(), ++ctr);
      std::memcpy(b.data(), r.data(), b.size());
      ct::secret(b.data(), b.size());
    };
    auto shares = udf::detail::split_with(s, 3, 5, fill);
    if (!shares) { expect(false, "Shamir split"); continue; }
    for (auto& v : *shares) ct::secret(v.data().data() + 1, v.data().size() - 1);  // f(x); the index byte is public
    // Recover from shares 5, 1, 3 and check a consistent fourth.
    std::vector<udf::value> pick = {(*shares)[4], (*shares)[0], (*shares)[2], (*shares)[1]};
    auto r = udf::recover(pick);
    const bool round = r && same(r->data(), secret.data(), B);
    // A changed fourth share is detected (one public decision).
    bytes changed(pick[3].data().begin(), pick[3].data().end());
    changed.back() ^= 1;
    ct::secret(changed.data() + 1, changed.size() - 1);
    pick[3] = udf::value(udf::type_id::shamir_share, changed);
    auto bad = udf::recover(pick);
    expect(round && !bad && bad.code() == errc::verification_failed,
           "Shamir split/recover/inconsistent share, " + std::to_string(B) + "-byte secret");
  }
}

}  // namespace

/// The self-test scripts/ct.sh runs after the harness: a deliberate branch on a secret,
/// which valgrind must report (proving the marking works in this build).
int canary() {
  volatile std::uint8_t v = 0x5a;
  std::uint8_t s = v;
  ct::secret(&s, 1);
  if (s & 1) std::puts("odd");  // secret-dependent branch
  return 0;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--canary") == 0) return canary();
  if (sodium_init() < 0) return 2;
  const char* forced = std::getenv("DAREKIT_FORCE_KERNEL");
  std::printf("darekit constant-time harness: active kernel %s (DAREKIT_FORCE_KERNEL=%s), valgrind %s\n",
              std::string(to_string(active_kernel())).c_str(), forced ? forced : "unset",
              RUNNING_ON_VALGRIND ? "yes" : "no (hooks inactive)");
  aes_block_and_cbc();
  gcm();
  chacha_poly();
  key_wrap_check();
  hmac_hkdf<sha256>("SHA-256", "SHA256");
  hmac_hkdf<sha512>("SHA-512", "SHA512");
  hmac_hkdf<sha3_256>("SHA3-256", "SHA3-256");
  hmac_hkdf<sha3_512>("SHA3-512", "SHA3-512");
  x25519();
  shamir();
  std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
  return failures ? 1 : 0;
}
