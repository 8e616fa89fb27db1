// SHA-256 and SHA-512 (FIPS 180-4), streaming.
#pragma once
#include <sodium.h>

#include <cstring>

#include "darekit/core/cpu.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/detail/sha2_compress.hpp"
#include "darekit/core/sodium.hpp"
#include "darekit/crypto/hasher.hpp"

namespace darekit {

/// SHA-256 (FIPS 180-4), darekit's own single-buffer implementation: the SHA extensions
/// (SHA-NI) where the CPU has them, portable scalar code otherwise; chosen once at first
/// use from the CPU and DAREKIT_FORCE_KERNEL (=scalar selects the portable code).
class sha256 {
 public:
  static constexpr std::size_t digest_size = 32, block_size = 64;
  static constexpr std::string_view name = "sha256";
  using digest_type = digest256;
  sha256() noexcept { std::memcpy(h_, detail::sha256_iv, sizeof h_); }
  /// Absorb more message bytes.
  void update(byte_view b) noexcept {
    const std::uint8_t* p = b.data();
    std::size_t n = b.size();
    total_ += n;
    if (fill_) {
      const std::size_t take = n < block_size - fill_ ? n : block_size - fill_;
      if (take) std::memcpy(buf_ + fill_, p, take);  // p may be null when b is empty
      fill_ += take; p += take; n -= take;
      if (fill_ < block_size) return;
      detail::sha256_compress(h_, buf_, 1);
      fill_ = 0;
    }
    if (n >= block_size) {
      detail::sha256_compress(h_, p, n / block_size);
      p += n / block_size * block_size;
      n %= block_size;
    }
    if (n) { std::memcpy(buf_, p, n); fill_ = n; }
  }
  /// Pad and produce the digest. Call once.
  digest_type finish() noexcept {
    std::uint8_t tail[2 * block_size];
    const std::size_t nb = detail::sha256_pad(buf_, fill_, total_, tail);
    detail::sha256_compress(h_, tail, nb);
    digest_type d;
    for (int i = 0; i < 8; ++i) store_be32(d.data() + 4 * i, h_[i]);
    wipe(tail, sizeof tail);
    return d;
  }
  ~sha256() { wipe(h_, sizeof h_); wipe(buf_, sizeof buf_); }
  sha256(const sha256&) = default;
  sha256& operator=(const sha256&) = default;

 private:
  std::uint32_t h_[8];
  std::uint8_t buf_[block_size];
  std::size_t fill_ = 0;
  std::uint64_t total_ = 0;
};

/// SHA-512 (FIPS 180-4), darekit's own single-buffer implementation: portable scalar
/// code, plus an AVX2/BMI2 path (vectorised message schedule, `rorx` rounds) chosen once
/// at first use from the CPU and DAREKIT_FORCE_KERNEL (=scalar selects the portable code).
class sha512 {
 public:
  static constexpr std::size_t digest_size = 64, block_size = 128;
  static constexpr std::string_view name = "sha512";
  using digest_type = digest512;
  sha512() noexcept { std::memcpy(h_, detail::sha512_iv, sizeof h_); }
  /// Absorb more message bytes.
  void update(byte_view b) noexcept {
    const std::uint8_t* p = b.data();
    std::size_t n = b.size();
    total_ += n;
    if (fill_) {
      const std::size_t take = n < block_size - fill_ ? n : block_size - fill_;
      if (take) std::memcpy(buf_ + fill_, p, take);  // p may be null when b is empty
      fill_ += take; p += take; n -= take;
      if (fill_ < block_size) return;
      detail::sha512_compress(h_, buf_, 1);
      fill_ = 0;
    }
    if (n >= block_size) {
      detail::sha512_compress(h_, p, n / block_size);
      p += n / block_size * block_size;
      n %= block_size;
    }
    if (n) { std::memcpy(buf_, p, n); fill_ = n; }
  }
  /// Pad and produce the digest. Call once.
  digest_type finish() noexcept {
    std::uint8_t tail[2 * block_size];
    const std::size_t nb = detail::sha512_pad(buf_, fill_, total_, tail);
    detail::sha512_compress(h_, tail, nb);
    digest_type d;
    for (int i = 0; i < 8; ++i) store_be64(d.data() + 8 * i, h_[i]);
    wipe(tail, sizeof tail);
    return d;
  }
  ~sha512() { wipe(h_, sizeof h_); wipe(buf_, sizeof buf_); }
  sha512(const sha512&) = default;
  sha512& operator=(const sha512&) = default;

 private:
  std::uint64_t h_[8];
  std::uint8_t buf_[block_size];
  std::size_t fill_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace darekit
