// Fuzz the AEADs under every kernel: XChaCha20-Poly1305, ChaCha20-Poly1305 and
// AES-256-GCM. Input: byte 0 = AD length (mod 64), then AD, then the message.
// - seal under every kernel gives the same ciphertext and tag, equal to libsodium's;
// - open of that output returns the message; with one bit flipped (chosen by the input)
//   it fails and zeroes the output;
// - the input itself, read as ciphertext || tag, never crashes; if it opens, re-sealing
//   gives it back.
#include <sodium.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "darekit/core/cpu.hpp"
#include "darekit/crypto/aes_gcm.hpp"
#include "darekit/crypto/chacha20poly1305.hpp"

using namespace darekit;

namespace {
const std::uint8_t key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                              17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
const std::uint8_t nonce[24] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab,
                                0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7};
constexpr kernel kernels[] = {kernel::scalar, kernel::avx2, kernel::avx512};

enum class aead { xchacha, chacha, gcm };

void seal(aead a, std::uint8_t* ct, std::uint8_t* tag, const std::uint8_t* m, std::size_t n, const std::uint8_t* ad,
          std::size_t adlen) {
  if (a == aead::xchacha) xchacha20poly1305::seal(ct, tag, m, n, ad, adlen, nonce, key);
  else if (a == aead::chacha) chacha20poly1305::seal(ct, tag, m, n, ad, adlen, nonce, key);
  else (void)aes256gcm::create(byte_view(key, 32))->seal(ct, tag, m, n, ad, adlen, nonce);
}
bool open(aead a, std::uint8_t* m, const std::uint8_t* ct, std::size_t n, const std::uint8_t* tag, const std::uint8_t* ad,
          std::size_t adlen) {
  if (a == aead::xchacha) return xchacha20poly1305::open(m, ct, n, tag, ad, adlen, nonce, key);
  if (a == aead::chacha) return chacha20poly1305::open(m, ct, n, tag, ad, adlen, nonce, key);
  return aes256gcm::create(byte_view(key, 32))->open(m, ct, n, tag, ad, adlen, nonce);
}
void sodium_seal(aead a, std::uint8_t* ct, std::uint8_t* tag, const std::uint8_t* m, std::size_t n,
                 const std::uint8_t* ad, std::size_t adlen) {
  // libsodium wants non-null pointers even for empty inputs
  static const std::uint8_t z = 0;
  if (!n) m = &z;
  if (!adlen) ad = &z;
  if (a == aead::xchacha)
    crypto_aead_xchacha20poly1305_ietf_encrypt_detached(ct, tag, nullptr, m, n, ad, adlen, nullptr, nonce, key);
  else if (a == aead::chacha)
    crypto_aead_chacha20poly1305_ietf_encrypt_detached(ct, tag, nullptr, m, n, ad, adlen, nullptr, nonce, key);
  else
    crypto_aead_aes256gcm_encrypt_detached(ct, tag, nullptr, m, n, ad, adlen, nullptr, nonce, key);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || sodium_init() < 0) return 0;
  const std::size_t adlen = std::min<std::size_t>(data[0] % 64, size - 1);
  const std::uint8_t* ad = data + 1;
  const std::uint8_t* m = data + 1 + adlen;
  const std::size_t n = size - 1 - adlen;
  const bool gcm_ok = aes256gcm_available();
  const bool sodium_gcm = crypto_aead_aes256gcm_is_available() != 0;
  for (aead a : {aead::xchacha, aead::chacha, aead::gcm}) {
    if (a == aead::gcm && !gcm_ok) continue;
    bytes ref(n + 16), ct(n + 16), out(n + 1);
    bool have_ref = false;
    if (a != aead::gcm || sodium_gcm) { sodium_seal(a, ref.data(), ref.data() + n, m, n, ad, adlen); have_ref = true; }
    for (kernel k : kernels) {
      force_kernel(k);
      seal(a, ct.data(), ct.data() + n, m, n, ad, adlen);
      if (have_ref && ct != ref) std::abort();
      if (!have_ref) { ref = ct; have_ref = true; }
      if (!open(a, out.data(), ct.data(), n, ct.data() + n, ad, adlen)) std::abort();
      if (n && std::memcmp(out.data(), m, n) != 0) std::abort();
      // one flipped bit (ciphertext or tag) must fail and leave zeros
      const std::size_t bit = (size * 131 + std::size_t(k)) % ((n + 16) * 8);
      ct[bit / 8] ^= std::uint8_t(1u << (bit % 8));
      std::memset(out.data(), 0x5a, out.size());
      if (open(a, out.data(), ct.data(), n, ct.data() + n, ad, adlen)) std::abort();
      for (std::size_t i = 0; i < n; ++i) if (out[i] != 0) std::abort();
      ct[bit / 8] ^= std::uint8_t(1u << (bit % 8));
      // the input read as ciphertext || tag: almost surely rejected; if it opens, it must
      // be exactly what sealing the plaintext gives back
      if (n >= 16 && open(a, out.data(), m, n - 16, m + n - 16, ad, adlen)) {
        bytes again(n);
        seal(a, again.data(), again.data() + n - 16, out.data(), n - 16, ad, adlen);
        if (std::memcmp(again.data(), m, n) != 0) std::abort();
      }
    }
  }
  force_kernel(std::nullopt);
  return 0;
}
