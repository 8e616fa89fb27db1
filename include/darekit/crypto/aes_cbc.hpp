// AES-256-CBC with PKCS#7 padding (SP 800-38A §6.2, RFC 5652 §6.3): one-shot functions
// and streaming encryptor/decryptor objects.
//
// CBC with PKCS#7 is not authenticated: use it only under a MAC (as DARE's A256CBC
// does) or for interop. To keep the API from being an obvious padding oracle, every bad
// padding is reported with the same code and message (errc::verification_failed,
// "bad ciphertext"), and the padding is checked without data-dependent branches.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/bytes.hpp"
#include "darekit/core/ct.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/aes.hpp"

namespace darekit {

namespace detail {
/// memcpy that accepts n == 0 with null pointers (empty spans have null data()).
inline void copy_bytes(std::uint8_t* dst, const std::uint8_t* src, std::size_t n) noexcept {
  if (n) std::memcpy(dst, src, n);
}

/// The one error for any bad padding.
inline error cbc_bad_ciphertext() { return fail(errc::verification_failed, "bad ciphertext"); }

/// Check the PKCS#7 padding of the final block in constant time; returns the number of
/// padding bytes (1..16) or 0 when the padding is bad.
inline std::size_t pkcs7_padding_length(const std::uint8_t* last) noexcept {
  const unsigned pad = last[15];
  // good = 1 <= pad <= 16, computed without branches.
  unsigned bad = ((pad - 1u) >> 8) & 1u;   // pad == 0 (wraps to a large value)
  bad |= ((16u - pad) >> 8) & 1u;          // pad > 16
  for (unsigned i = 0; i < 16; ++i) {
    const unsigned in_pad = ((15u - i) - pad) >> 31;         // 1 when 15 - i < pad
    const unsigned differs = ((last[i] ^ pad) + 0xffu) >> 8;  // 1 when last[i] != pad
    bad |= in_pad & differs;
  }
  const std::size_t mask = std::size_t(bad) - 1;  // all ones when good
  return pad & mask;
}
/// Run a streaming cipher's span-writing update() and append its output to a growable
/// byte vector (std::vector or any type with size/resize/data).
template <class Cipher, class Vec>
result<void> update_append(Cipher& c, byte_view in, Vec& out) {
  const std::size_t at = out.size();
  out.resize(at + c.update_size(in.size()));
  auto n = c.update(in, byte_span(out.data() + at, out.size() - at));
  out.resize(at + (n ? *n : 0));
  if (!n) return n.err();
  return ok();
}
}  // namespace detail

/// Streaming AES-256-CBC encryption with PKCS#7 padding.
///   DAREKIT_TRY(auto enc, cbc_encryptor::create(key, iv));
///   enc.update(chunk, out); ... enc.finish(out);   // appends ciphertext to `out`
class cbc_encryptor {
 public:
  /// Key of 32 bytes, IV of 16 bytes. Fails with errc::invalid_argument on other sizes
  /// and errc::unsupported without AES-NI.
  static result<cbc_encryptor> create(byte_view key, byte_view iv) {
    if (iv.size() != aes256::block_size) return fail(errc::invalid_argument, "AES-CBC needs a 16-byte IV");
    DAREKIT_TRY(auto k, aes256::create(key));
    return cbc_encryptor(std::move(k), iv);
  }

  /// Upper bound of the bytes update() writes for `n` more input bytes.
  [[nodiscard]] std::size_t update_size(std::size_t n) const noexcept { return (buffered_ + n) / 16 * 16; }

  /// Encrypt more plaintext into `out`, which must hold update_size(in.size()) bytes and
  /// must not overlap `in`. Returns the number of bytes written (a multiple of 16).
  result<std::size_t> update(byte_view in, byte_span out) {
    if (done_) return fail(errc::invalid_argument, "cbc_encryptor used after finish()");
    if (out.size() < update_size(in.size())) return fail(errc::invalid_argument, "output buffer too small");
    std::size_t written = 0;
    const std::uint8_t* p = in.data();
    std::size_t n = in.size();
    if (buffered_) {
      const std::size_t take = std::min(n, 16 - buffered_);
      detail::copy_bytes(buf_ + buffered_, p, take);
      buffered_ += take; p += take; n -= take;
      if (buffered_ < 16) return written;
      key_.cbc_encrypt(iv_, buf_, out.data(), 1);
      buffered_ = 0;
      written = 16;
    }
    const std::size_t blocks = n / 16;
    key_.cbc_encrypt(iv_, p, out.data() + written, blocks);
    written += blocks * 16;
    detail::copy_bytes(buf_, p + blocks * 16, n % 16);
    buffered_ = n % 16;
    return written;
  }
  /// Append the ciphertext of more plaintext to `out`.
  template <class Vec>
  result<void> update(byte_view in, Vec& out) { return detail::update_append(*this, in, out); }

  /// Pad and write the final 16-byte block into `out` (at least 16 bytes).
  result<std::size_t> finish(byte_span out) {
    if (done_) return fail(errc::invalid_argument, "cbc_encryptor finished twice");
    if (out.size() < 16) return fail(errc::invalid_argument, "output buffer too small");
    const auto pad = std::uint8_t(16 - buffered_);
    std::memset(buf_ + buffered_, pad, pad);
    key_.cbc_encrypt(iv_, buf_, out.data(), 1);
    wipe(buf_, sizeof buf_);
    buffered_ = 0;
    done_ = true;
    return std::size_t(16);
  }
  /// Append the final block to `out`.
  result<void> finish(bytes& out) {
    const std::size_t old = out.size();
    out.resize(old + 16);
    auto n = finish(byte_span(out.data() + old, 16));
    out.resize(old + n.value_or(0));
    if (!n) return n.err();
    return ok();
  }

  cbc_encryptor(const cbc_encryptor&) = default;
  cbc_encryptor& operator=(const cbc_encryptor&) = default;
  ~cbc_encryptor() { wipe(buf_, sizeof buf_); }

 private:
  cbc_encryptor(aes256 k, byte_view iv) noexcept : key_(std::move(k)) { std::memcpy(iv_, iv.data(), 16); }
  aes256 key_;
  std::uint8_t iv_[16];
  std::uint8_t buf_[16] = {};
  std::size_t buffered_ = 0;
  bool done_ = false;
};

/// Streaming AES-256-CBC decryption with PKCS#7 padding. The last block is held back
/// until finish(), which checks the padding; output before finish() is unauthenticated.
class cbc_decryptor {
 public:
  /// Key of 32 bytes, IV of 16 bytes.
  static result<cbc_decryptor> create(byte_view key, byte_view iv) {
    if (iv.size() != aes256::block_size) return fail(errc::invalid_argument, "AES-CBC needs a 16-byte IV");
    DAREKIT_TRY(auto k, aes256::create(key));
    return cbc_decryptor(std::move(k), iv);
  }

  /// Upper bound of the bytes update() writes for `n` more input bytes.
  [[nodiscard]] std::size_t update_size(std::size_t n) const noexcept {
    const std::size_t total = buffered_ + n;
    return total == 0 ? 0 : (total - 1) / 16 * 16;
  }

  /// Decrypt more ciphertext into `out`, which must hold update_size(in.size()) bytes and
  /// must not overlap `in`. Returns the number of bytes written.
  result<std::size_t> update(byte_view in, byte_span out) {
    if (done_) return fail(errc::invalid_argument, "cbc_decryptor used after finish()");
    if (out.size() < update_size(in.size())) return fail(errc::invalid_argument, "output buffer too small");
    std::size_t written = 0;
    const std::uint8_t* p = in.data();
    std::size_t n = in.size();
    if (n == 0) return written;
    if (buffered_) {
      const std::size_t take = std::min(n, 16 - buffered_);
      detail::copy_bytes(buf_ + buffered_, p, take);
      buffered_ += take; p += take; n -= take;
      if (n == 0) return written;  // keep the (possibly last) block
      key_.cbc_decrypt(iv_, buf_, out.data(), 1);
      buffered_ = 0;
      written = 16;
    }
    // Keep 1..16 bytes back: the final block may carry the padding.
    const std::size_t blocks = (n - 1) / 16;
    key_.cbc_decrypt(iv_, p, out.data() + written, blocks);
    written += blocks * 16;
    buffered_ = n - blocks * 16;
    detail::copy_bytes(buf_, p + blocks * 16, buffered_);
    return written;
  }
  /// Append the plaintext of more ciphertext to `out`.
  template <class Vec>
  result<void> update(byte_view in, Vec& out) { return detail::update_append(*this, in, out); }

  /// Decrypt the last block, check and strip the padding, and write the remaining 0..15
  /// bytes into `out` (at least 16 bytes). Any bad padding fails with
  /// errc::verification_failed "bad ciphertext"; a total length that is not a positive
  /// multiple of 16 fails with errc::malformed (the length is public).
  result<std::size_t> finish(byte_span out) {
    if (done_) return fail(errc::invalid_argument, "cbc_decryptor finished twice");
    done_ = true;
    if (buffered_ != 16) return fail(errc::malformed, "AES-CBC ciphertext is not a positive multiple of 16 bytes");
    if (out.size() < 16) return fail(errc::invalid_argument, "output buffer too small");
    std::uint8_t last[16];
    key_.cbc_decrypt(iv_, buf_, last, 1);
    // Public from here: accept/reject, and the plaintext length the caller gets.
    const std::size_t pad = ct::declassify(detail::pkcs7_padding_length(last));
    if (pad == 0) { wipe(last, 16); return detail::cbc_bad_ciphertext(); }
    detail::copy_bytes(out.data(), last, 16 - pad);
    wipe(last, 16);
    wipe(buf_, 16);
    return 16 - pad;
  }
  /// Append the final plaintext bytes to `out`.
  result<void> finish(bytes& out) {
    const std::size_t old = out.size();
    out.resize(old + 16);
    auto n = finish(byte_span(out.data() + old, 16));
    if (!n) { out.resize(old); return n.err(); }
    out.resize(old + *n);
    return ok();
  }

  cbc_decryptor(const cbc_decryptor&) = default;
  cbc_decryptor& operator=(const cbc_decryptor&) = default;
  ~cbc_decryptor() { wipe(buf_, sizeof buf_); }

 private:
  cbc_decryptor(aes256 k, byte_view iv) noexcept : key_(std::move(k)) { std::memcpy(iv_, iv.data(), 16); }
  aes256 key_;
  std::uint8_t iv_[16];
  std::uint8_t buf_[16] = {};
  std::size_t buffered_ = 0;
  bool done_ = false;
};

/// One-shot AES-256-CBC encryption with PKCS#7 padding: 16*(floor(n/16)+1) bytes out.
inline result<bytes> aes256_cbc_encrypt(byte_view key, byte_view iv, byte_view plaintext) {
  if (iv.size() != aes256::block_size) return fail(errc::invalid_argument, "AES-CBC needs a 16-byte IV");
  DAREKIT_TRY(auto k, aes256::create(key));
  const std::size_t whole = plaintext.size() / 16;
  bytes out(16 * (whole + 1));
  std::uint8_t chain[16];
  std::memcpy(chain, iv.data(), 16);
  k.cbc_encrypt(chain, plaintext.data(), out.data(), whole);
  std::uint8_t last[16];
  const std::size_t rest = plaintext.size() % 16;
  detail::copy_bytes(last, plaintext.data() + 16 * whole, rest);
  std::memset(last + rest, int(16 - rest), 16 - rest);
  k.cbc_encrypt(chain, last, out.data() + 16 * whole, 1);
  wipe(last, 16);
  return out;
}

/// One-shot AES-256-CBC decryption with PKCS#7 padding. Errors: errc::malformed for a
/// length that is not a positive multiple of 16; errc::verification_failed
/// ("bad ciphertext") for any bad padding.
inline result<bytes> aes256_cbc_decrypt(byte_view key, byte_view iv, byte_view ciphertext) {
  if (iv.size() != aes256::block_size) return fail(errc::invalid_argument, "AES-CBC needs a 16-byte IV");
  DAREKIT_TRY(auto k, aes256::create(key));
  if (ciphertext.empty() || ciphertext.size() % 16)
    return fail(errc::malformed, "AES-CBC ciphertext is not a positive multiple of 16 bytes");
  bytes out(ciphertext.size());
  std::uint8_t chain[16];
  std::memcpy(chain, iv.data(), 16);
  k.cbc_decrypt(chain, ciphertext.data(), out.data(), ciphertext.size() / 16);
  // Public from here: accept/reject, and the plaintext length the caller gets.
  const std::size_t pad = ct::declassify(detail::pkcs7_padding_length(out.data() + out.size() - 16));
  if (pad == 0) { wipe(out); return detail::cbc_bad_ciphertext(); }
  wipe(byte_span(out.data() + out.size() - pad, pad));
  out.resize(out.size() - pad);
  return out;
}

}  // namespace darekit
