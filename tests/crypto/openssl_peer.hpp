// OpenSSL as an independent peer for differential tests (test-only dependency).
#pragma once
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include <string>

#include "darekit/core/bytes.hpp"

namespace darekit::test {

/// Digest of `data` with the named OpenSSL digest ("SHA256", "SHA512", "SHA3-512", ...).
inline bytes ossl_digest(const char* name, byte_view data) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  bytes out(std::size_t(EVP_MD_get_size(md)));
  unsigned len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr);
  EVP_MD_free(md);
  out.resize(len);
  return out;
}

/// HMAC with the named digest.
inline bytes ossl_hmac(const char* name, byte_view key, byte_view data) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  bytes out(EVP_MAX_MD_SIZE);
  unsigned len = 0;
  static const std::uint8_t empty = 0;
  HMAC(md, key.empty() ? &empty : key.data(), int(key.size()), data.data(), data.size(), out.data(), &len);
  EVP_MD_free(md);
  out.resize(len);
  return out;
}

}  // namespace darekit::test
