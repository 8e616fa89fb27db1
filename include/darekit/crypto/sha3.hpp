// SHA3-256, SHA3-512 and the SHAKE128/SHAKE256 XOFs (FIPS 202), streaming, on darekit's
// own scalar Keccak-f[1600].
#pragma once
#include <cstddef>
#include <string_view>

#include "darekit/core/bytes.hpp"
#include "darekit/crypto/hasher.hpp"
#include "darekit/crypto/keccak.hpp"

namespace darekit {

namespace detail {
/// A fixed-output SHA-3 hash over a Keccak sponge of capacity 2*Digest bytes.
template <std::size_t Digest>
class sha3_hash {
 public:
  static constexpr std::size_t digest_size = Digest;
  static constexpr std::size_t block_size = 200 - 2 * Digest;  ///< the rate (used as the HMAC block)
  using digest_type = std::array<std::uint8_t, Digest>;

  /// Absorb more message bytes.
  void update(byte_view b) noexcept { sp_.absorb(b); }
  /// Pad and produce the digest. Call once.
  digest_type finish() noexcept {
    digest_type d;
    sp_.pad();
    sp_.squeeze(d);
    return d;
  }

 private:
  keccak_sponge<block_size, 0x06> sp_;
};

/// The squeezing half of a SHAKE: produced by finish(), reads the output stream.
template <std::size_t Rate>
class shake_reader {
 public:
  explicit shake_reader(const keccak_sponge<Rate, 0x1f>& padded) noexcept : sp_(padded) {}
  /// Fill `out` with the next output bytes; successive calls continue the stream.
  void squeeze(byte_span out) noexcept { sp_.squeeze(out); }
  /// The next `n` output bytes.
  bytes read(std::size_t n) {
    bytes out(n);
    sp_.squeeze(out);
    return out;
  }

 private:
  keccak_sponge<Rate, 0x1f> sp_;
};

/// The absorbing half of a SHAKE with capacity 2*Security bytes.
template <std::size_t Security>
class shake {
 public:
  static constexpr std::size_t rate = 200 - 2 * Security;
  using reader = shake_reader<rate>;

  /// Absorb more input bytes.
  void absorb(byte_view b) noexcept { sp_.absorb(b); }
  void update(byte_view b) noexcept { sp_.absorb(b); }
  /// End the input and return a reader of the output stream. The absorber is spent;
  /// absorbing more afterwards is not possible through the reader (type-enforced).
  reader finish() noexcept {
    sp_.pad();
    return reader(sp_);
  }
  /// One-shot: the first `n` output bytes for `data`.
  static bytes hash(byte_view data, std::size_t n) {
    shake s;
    s.absorb(data);
    return s.finish().read(n);
  }

 private:
  keccak_sponge<rate, 0x1f> sp_;
};
}  // namespace detail

/// SHA3-256 (FIPS 202): 32-byte digest, rate (block_size) 136 bytes.
class sha3_256 : public detail::sha3_hash<32> {
 public:
  static constexpr std::string_view name = "sha3-256";
};

/// SHA3-512 (FIPS 202): 64-byte digest, rate (block_size) 72 bytes.
class sha3_512 : public detail::sha3_hash<64> {
 public:
  static constexpr std::string_view name = "sha3-512";
};

/// SHAKE128 (FIPS 202) extendable-output function, rate 168 bytes.
///   shake128 x; x.absorb(a); x.absorb(b); auto r = x.finish(); r.squeeze(out1); r.squeeze(out2);
///   bytes o = shake128::hash(data, 64);
using shake128 = detail::shake<16>;

/// SHAKE256 (FIPS 202) extendable-output function, rate 136 bytes.
using shake256 = detail::shake<32>;

static_assert(hash_function<sha3_256> && hash_function<sha3_512>);

}  // namespace darekit
