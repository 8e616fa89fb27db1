// Differential fuzzing of the AEADs under every kernel: XChaCha20-Poly1305,
// ChaCha20-Poly1305 and AES-256-GCM against libsodium, with fuzzer-chosen key, nonce,
// AD and message (up to 1 MiB plus 4 KiB).
//
// Input (missing header bytes read as zero, so any input is valid):
//   [0, 32)   key
//   [32, 56)  nonce (24 bytes for XChaCha20; the first 12 for ChaCha20 and GCM)
//   56        AD length (0..255, capped by what follows)
//   57        extension: 16 * b57 bytes (up to 4080: the kernels' block, pass and
//             piece boundaries), or (b57 + 1) * 4 KiB (up to 1 MiB) when the FNV-1a
//             hash of the key ends in a zero byte: one key in 256, which comparison
//             tracing cannot steer towards, so the fuzzer stays fast (the corpus has
//             such keys); the message is the rest of the input stretched by the
//             extension, by repeating it, each repetition XORed with its index
//   58        reserved (ignored)
//   then      AD, message
// Checks, for each AEAD and each kernel tier:
// - seal gives the same ciphertext and tag as libsodium;
// - open of that output returns the message; with one bit flipped (chosen by the input)
//   it fails and zeroes the output;
// - the message read as ciphertext || tag never crashes; if it opens, re-sealing gives it back.
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "darekit/core/cpu.hpp"
#include "darekit/crypto/aes_gcm.hpp"
#include "darekit/crypto/chacha20poly1305.hpp"

using namespace darekit;

namespace {
constexpr kernel kernels[] = {kernel::scalar, kernel::avx2, kernel::avx512};
constexpr std::size_t header = 59;

enum class aead { xchacha, chacha, gcm };

struct params {
  std::uint8_t key[32] = {};
  std::uint8_t nonce[24] = {};
  bytes ad, m;
};

params parse(const std::uint8_t* data, std::size_t size) {
  params p;
  std::uint8_t h[header] = {};
  if (size) std::memcpy(h, data, std::min(size, header));
  std::memcpy(p.key, h, 32);
  std::memcpy(p.nonce, h + 32, 24);
  const std::size_t rest = size > header ? size - header : 0;
  const std::size_t adlen = std::min<std::size_t>(h[56], rest);
  std::uint32_t fnv = 2166136261u;
  for (int i = 0; i < 32; ++i) fnv = (fnv ^ h[i]) * 16777619u;
  const std::size_t ext = (fnv & 0xff) == 0 ? (std::size_t(h[57]) + 1) << 12 : 16 * std::size_t(h[57]);
  const std::uint8_t* body = data + std::min(size, header);
  p.ad.assign(body, body + adlen);
  const std::size_t mlen = rest - adlen;
  p.m.resize(mlen + ext);
  if (mlen) {
    std::memcpy(p.m.data(), body + adlen, mlen);
    for (std::size_t i = mlen; i < p.m.size(); ++i) p.m[i] = std::uint8_t(p.m[i % mlen] ^ (i / mlen));
  }
  return p;
}

bool seal(aead a, const params& p, std::uint8_t* ct, std::uint8_t* tag, const std::uint8_t* m, std::size_t n) {
  if (a == aead::xchacha) return xchacha20poly1305::seal(ct, tag, m, n, p.ad.data(), p.ad.size(), p.nonce, p.key);
  if (a == aead::chacha) return chacha20poly1305::seal(ct, tag, m, n, p.ad.data(), p.ad.size(), p.nonce, p.key);
  return aes256gcm::create(byte_view(p.key, 32))->seal(ct, tag, m, n, p.ad.data(), p.ad.size(), p.nonce);
}
bool open(aead a, const params& p, std::uint8_t* m, const std::uint8_t* ct, std::size_t n, const std::uint8_t* tag) {
  if (a == aead::xchacha) return xchacha20poly1305::open(m, ct, n, tag, p.ad.data(), p.ad.size(), p.nonce, p.key);
  if (a == aead::chacha) return chacha20poly1305::open(m, ct, n, tag, p.ad.data(), p.ad.size(), p.nonce, p.key);
  return aes256gcm::create(byte_view(p.key, 32))->open(m, ct, n, tag, p.ad.data(), p.ad.size(), p.nonce);
}
void sodium_seal(aead a, const params& p, std::uint8_t* ct, std::uint8_t* tag) {
  // libsodium wants non-null pointers even for empty inputs
  static const std::uint8_t z = 0;
  const std::uint8_t* m = p.m.empty() ? &z : p.m.data();
  const std::uint8_t* ad = p.ad.empty() ? &z : p.ad.data();
  const std::size_t n = p.m.size(), adlen = p.ad.size();
  if (a == aead::xchacha)
    crypto_aead_xchacha20poly1305_ietf_encrypt_detached(ct, tag, nullptr, m, n, ad, adlen, nullptr, p.nonce, p.key);
  else if (a == aead::chacha)
    crypto_aead_chacha20poly1305_ietf_encrypt_detached(ct, tag, nullptr, m, n, ad, adlen, nullptr, p.nonce, p.key);
  else
    crypto_aead_aes256gcm_encrypt_detached(ct, tag, nullptr, m, n, ad, adlen, nullptr, p.nonce, p.key);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (sodium_init() < 0) return 0;
  const params p = parse(data, size);
  const std::size_t n = p.m.size();
  const bool gcm_ok = aes256gcm_available();
  const bool sodium_gcm = crypto_aead_aes256gcm_is_available() != 0;
  for (aead a : {aead::xchacha, aead::chacha, aead::gcm}) {
    if (a == aead::gcm && !gcm_ok) continue;
    bytes ref(n + 16), ct(n + 16), out(n + 1);
    bool have_ref = false;
    if (a != aead::gcm || sodium_gcm) { sodium_seal(a, p, ref.data(), ref.data() + n); have_ref = true; }
    for (kernel k : kernels) {
      force_kernel(k);
      if (!seal(a, p, ct.data(), ct.data() + n, p.m.data(), n)) std::abort();
      if (have_ref && ct != ref) std::abort();
      if (!have_ref) { ref = ct; have_ref = true; }
      if (!open(a, p, out.data(), ct.data(), n, ct.data() + n)) std::abort();
      if (n && std::memcmp(out.data(), p.m.data(), n) != 0) std::abort();
      // one flipped bit (ciphertext or tag) must fail and leave zeros
      const std::size_t bit = (size * 131 + std::size_t(k) + (size ? data[size - 1] : 0)) % ((n + 16) * 8);
      ct[bit / 8] ^= std::uint8_t(1u << (bit % 8));
      std::memset(out.data(), 0x5a, out.size());
      if (open(a, p, out.data(), ct.data(), n, ct.data() + n)) std::abort();
      for (std::size_t i = 0; i < n; ++i) if (out[i] != 0) std::abort();
      ct[bit / 8] ^= std::uint8_t(1u << (bit % 8));
      // the message read as ciphertext || tag: almost surely rejected; if it opens, it
      // must be exactly what sealing the plaintext gives back
      if (n >= 16 && open(a, p, out.data(), p.m.data(), n - 16, p.m.data() + n - 16)) {
        bytes again(n);
        (void)seal(a, p, again.data(), again.data() + n - 16, out.data(), n - 16);
        if (std::memcmp(again.data(), p.m.data(), n) != 0) std::abort();
      }
    }
  }
  force_kernel(std::nullopt);
  return 0;
}
