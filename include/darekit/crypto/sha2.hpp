// SHA-256 and SHA-512 (FIPS 180-4), streaming.
#pragma once
#include <cstring>
#include <type_traits>

#include "darekit/core/cpu.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/detail/sha2_compress.hpp"
#include "darekit/core/sodium.hpp"
#include "darekit/crypto/hasher.hpp"

namespace darekit {
namespace detail {

/// Merkle-Damgard streaming over a SHA-2 compression function: buffering, padding and
/// output are shared; Traits supply the word type, IV, compression and padding.
template <class Traits>
class sha2_hasher {
 public:
  static constexpr std::size_t digest_size = Traits::digest_size, block_size = Traits::block_size;
  static constexpr std::string_view name = Traits::name;
  using digest_type = std::array<std::uint8_t, digest_size>;
  sha2_hasher() noexcept { std::memcpy(h_, Traits::iv, sizeof h_); }
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
      Traits::compress(h_, buf_, 1);
      fill_ = 0;
    }
    if (n >= block_size) {
      Traits::compress(h_, p, n / block_size);
      p += n / block_size * block_size;
      n %= block_size;
    }
    if (n) { std::memcpy(buf_, p, n); fill_ = n; }
  }
  /// Pad and produce the digest. Call once.
  digest_type finish() noexcept {
    std::uint8_t tail[2 * block_size];
    const std::size_t nb = Traits::pad(buf_, fill_, total_, tail);
    Traits::compress(h_, tail, nb);
    digest_type d;
    constexpr std::size_t w = sizeof(word);
    for (std::size_t i = 0; i < 8; ++i) {
      if constexpr (w == 8) store_be64(d.data() + w * i, h_[i]);
      else store_be32(d.data() + w * i, h_[i]);
    }
    wipe(tail, sizeof tail);
    return d;
  }
  ~sha2_hasher() { wipe(h_, sizeof h_); wipe(buf_, sizeof buf_); }
  sha2_hasher(const sha2_hasher&) = default;
  sha2_hasher& operator=(const sha2_hasher&) = default;

 private:
  using word = std::remove_cv_t<std::remove_reference_t<decltype(Traits::iv[0])>>;
  word h_[8];
  std::uint8_t buf_[block_size];
  std::size_t fill_ = 0;
  std::uint64_t total_ = 0;
};

struct sha256_traits {
  static constexpr std::size_t digest_size = 32, block_size = 64;
  static constexpr std::string_view name = "sha256";
  static constexpr const auto& iv = sha256_iv;
  static void compress(std::uint32_t* h, const std::uint8_t* p, std::size_t n) noexcept { sha256_compress(h, p, n); }
  static std::size_t pad(const std::uint8_t* rem, std::size_t fill, std::uint64_t total, std::uint8_t* out) noexcept {
    return sha256_pad(rem, fill, total, out);
  }
};
struct sha512_traits {
  static constexpr std::size_t digest_size = 64, block_size = 128;
  static constexpr std::string_view name = "sha512";
  static constexpr const auto& iv = sha512_iv;
  static void compress(std::uint64_t* h, const std::uint8_t* p, std::size_t n) noexcept { sha512_compress(h, p, n); }
  static std::size_t pad(const std::uint8_t* rem, std::size_t fill, std::uint64_t total, std::uint8_t* out) noexcept {
    return sha512_pad(rem, fill, total, out);
  }
};

}  // namespace detail

/// SHA-256 (FIPS 180-4), darekit's own single-buffer implementation: the SHA extensions
/// (SHA-NI) where the CPU has them, portable scalar code otherwise; chosen once at first
/// use from the CPU and DAREKIT_FORCE_KERNEL (=scalar selects the portable code).
class sha256 : public detail::sha2_hasher<detail::sha256_traits> {};

/// SHA-512 (FIPS 180-4), darekit's own single-buffer implementation: portable scalar
/// code, plus AVX2/BMI2 and AVX-512VL paths (vectorised message schedule, `rorx` rounds)
/// chosen once at first use from the CPU and DAREKIT_FORCE_KERNEL (=scalar: portable).
class sha512 : public detail::sha2_hasher<detail::sha512_traits> {};

}  // namespace darekit
