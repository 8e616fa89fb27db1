// Fuzz RFC 3394 key unwrap and AES-256-CBC/PKCS#7 decryption with fixed keys.
// Input: arbitrary bytes, used both as a wrapped key and as a CBC ciphertext.
// Whatever unwraps or decrypts must wrap/encrypt back to exactly the input.
#include <cstdint>
#include <cstdlib>

#include "darekit/crypto/aes_cbc.hpp"
#include "darekit/crypto/key_wrap.hpp"

using namespace darekit;

namespace {
// The RFC 3394 §4 KEK, so the RFC's wrapped keys are valid seeds.
const std::uint8_t kek[32] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
                              0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
                              0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
const std::uint8_t iv[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                             0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (!aes_available()) return 0;
  const byte_view in(data, size);
  if (auto k = key_wrap::unwrap(kek, in)) {
    auto again = key_wrap::wrap(kek, k->view());
    if (!again || *again != to_bytes(in)) std::abort();
  }
  if (auto p = aes256_cbc_decrypt(kek, iv, in)) {
    auto again = aes256_cbc_encrypt(kek, iv, *p);
    if (!again || *again != to_bytes(in)) std::abort();
  }
  // The streaming decryptor must agree with the one-shot one, fed in 7-byte pieces.
  auto d = cbc_decryptor::create(kek, iv);
  if (!d) std::abort();
  bytes out;
  for (std::size_t off = 0; off < size; off += 7)
    if (!d->update(in.subspan(off, std::min<std::size_t>(7, size - off)), out)) std::abort();
  const bool ok = d->finish(out).has_value();
  auto one = aes256_cbc_decrypt(kek, iv, in);
  if (ok != one.has_value() || (ok && out != *one)) std::abort();
  return 0;
}
