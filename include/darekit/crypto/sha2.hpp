// SHA-256 and SHA-512 (FIPS 180-4), streaming.
#pragma once
#include <sodium.h>

#include "darekit/core/secure.hpp"
#include "darekit/core/sodium.hpp"
#include "darekit/crypto/hasher.hpp"

namespace darekit {

/// SHA-256 (libsodium).
class sha256 {
 public:
  static constexpr std::size_t digest_size = 32, block_size = 64;
  static constexpr std::string_view name = "sha256";
  using digest_type = digest256;
  sha256() noexcept { detail::ensure_sodium(); crypto_hash_sha256_init(&st_); }
  void update(byte_view b) noexcept { crypto_hash_sha256_update(&st_, b.data(), b.size()); }
  digest_type finish() noexcept { digest_type d; crypto_hash_sha256_final(&st_, d.data()); return d; }
  ~sha256() { wipe(&st_, sizeof st_); }
  sha256(const sha256&) = default;
  sha256& operator=(const sha256&) = default;
 private:
  crypto_hash_sha256_state st_;
};

/// SHA-512 (libsodium).
class sha512 {
 public:
  static constexpr std::size_t digest_size = 64, block_size = 128;
  static constexpr std::string_view name = "sha512";
  using digest_type = digest512;
  sha512() noexcept { detail::ensure_sodium(); crypto_hash_sha512_init(&st_); }
  void update(byte_view b) noexcept { crypto_hash_sha512_update(&st_, b.data(), b.size()); }
  digest_type finish() noexcept { digest_type d; crypto_hash_sha512_final(&st_, d.data()); return d; }
  ~sha512() { wipe(&st_, sizeof st_); }
  sha512(const sha512&) = default;
  sha512& operator=(const sha512&) = default;
 private:
  crypto_hash_sha512_state st_;
};

}  // namespace darekit
