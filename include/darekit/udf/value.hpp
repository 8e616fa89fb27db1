// UDF type codes (draft-hallambaker-mesh-udf-18 §3) and the binary UDF value:
// type byte || Binary Data Sequence (BDS), with the number of significant bits.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/secure.hpp"

namespace darekit::udf {

/// Presentation precision limits, in bits, counting the 8 type bits.
inline constexpr std::size_t default_bits = 140;  ///< 28 characters, 7 groups of 4
inline constexpr std::size_t minimum_bits = 96;   ///< shortest legitimate precision (draft §9)
inline constexpr std::size_t anchor_bits = 200;   ///< floor for trust anchors / PKIX (draft §9)
inline constexpr std::size_t digest_max_bits = 520;  ///< type byte + 512-bit digest

/// The first octet of a UDF. Content-digest and authenticator codes carry the
/// algorithm; the low three bits of a digest code are the compression level.
enum class type_id : std::uint8_t {
  authenticator_sha2_512 = 0x00,  ///< 'A' HMAC-SHA-2-512 authenticator
  authenticator_sha3_512 = 0x01,  ///< 'A' HMAC-SHA-3-512 (specified, unsupported)
  encryption_key = 0x20,          ///< 'E' encryption/authentication key
  encryption_signature_key = 0x21,///< 'E' encryption+signature key
  digest_sha3_512 = 0x50,         ///< 'K' SHA-3-512 content digest, level 0 (0x51..0x54: levels 1..4)
  digest_sha2_512 = 0x60,         ///< 'M' SHA-2-512 content digest, level 0 (0x61..0x64: levels 1..4)
  nonce = 0x68,                   ///< 'N' nonce
  oid = 0x70,                     ///< 'O' OID-identified sequence (DER)
  shamir_share = 0x90,            ///< 'S' Shamir secret share
  key_seed = 0xC8,                ///< 'Z' key-pair derivation seed
};

/// Broad families of UDF types.
enum class family { authenticator, encryption_key, digest, nonce, oid, shamir_share, key_seed };

/// What is known about one type code.
struct type_info {
  std::uint8_t code;
  family fam;
  char letter;              ///< first Base32 character of any presentation
  bool fixed_length;        ///< fixed-length UDFs are never truncated on presentation
  bool secret;              ///< the BDS is secret key material (compare in constant time)
  int compression;          ///< content digests: level 0..4; otherwise 0
  std::string_view name;
};

/// Describe a type code, or nullopt for codes the draft does not assign.
constexpr std::optional<type_info> describe(std::uint8_t code) noexcept {
  const char letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[code >> 3];
  switch (code) {
    case 0x00: return type_info{code, family::authenticator, letter, false, false, 0, "authenticator HMAC-SHA-2-512"};
    case 0x01: return type_info{code, family::authenticator, letter, false, false, 0, "authenticator HMAC-SHA-3-512"};
    case 0x20: return type_info{code, family::encryption_key, letter, true, true, 0, "encryption/authentication key"};
    case 0x21: return type_info{code, family::encryption_key, letter, true, true, 0, "encryption/signature key"};
    case 0x68: return type_info{code, family::nonce, letter, true, false, 0, "nonce"};
    case 0x70: return type_info{code, family::oid, letter, true, false, 0, "OID sequence"};
    case 0x90: return type_info{code, family::shamir_share, letter, true, true, 0, "Shamir secret share"};
    case 0xC8: return type_info{code, family::key_seed, letter, true, true, 0, "key seed"};
    default: break;
  }
  if (code >= 0x50 && code <= 0x54)
    return type_info{code, family::digest, letter, false, false, code - 0x50, "content digest SHA-3-512"};
  if (code >= 0x60 && code <= 0x64)
    return type_info{code, family::digest, letter, false, false, code - 0x60, "content digest SHA-2-512"};
  return std::nullopt;
}

/// The binary form of a UDF: type byte || BDS. A value computed by darekit holds
/// every bit; a value parsed from a presentation holds `precision()` bits (the last
/// byte zero-padded when the presentation ends mid-byte). The storage is wiped on
/// destruction because several types (keys, seeds, shares) are secret.
class value {
 public:
  value() = default;
  /// A complete value from its binary form (type byte first).
  explicit value(byte_view binary) : b_(binary.begin(), binary.end()), bits_(binary.size() * 8) {}
  /// type byte || bds, complete.
  value(std::uint8_t t, byte_view bds) : b_(1 + bds.size()), bits_(8 * (1 + bds.size())) {
    b_[0] = t;
    std::copy(bds.begin(), bds.end(), b_.begin() + 1);
  }
  value(type_id t, byte_view bds) : value(std::uint8_t(t), bds) {}
  /// A partial value: `bits` significant bits of `data` (bits <= 8 * data.size()).
  static value partial(bytes data, std::size_t bits) {
    value v;
    bits = std::min(bits, data.size() * 8);
    data.resize((bits + 7) / 8);
    if (bits % 8) data.back() &= std::uint8_t(0xFF00u >> (bits % 8));
    v.b_ = std::move(data);
    v.bits_ = bits;
    return v;
  }

  value(const value&) = default;
  value(value&& o) noexcept : b_(std::move(o.b_)), bits_(std::exchange(o.bits_, 0)) {}
  value& operator=(const value& o) { if (this != &o) { clear(); b_ = o.b_; bits_ = o.bits_; } return *this; }
  value& operator=(value&& o) noexcept {
    if (this != &o) { clear(); b_ = std::move(o.b_); bits_ = std::exchange(o.bits_, 0); }
    return *this;
  }
  ~value() { clear(); }

  [[nodiscard]] bool empty() const noexcept { return b_.empty(); }
  /// The type code (first octet); 0 for an empty value.
  [[nodiscard]] std::uint8_t type_code() const noexcept { return b_.empty() ? 0 : b_[0]; }
  [[nodiscard]] type_id type() const noexcept { return type_id(type_code()); }
  /// Type information, or nullopt for an unassigned code.
  [[nodiscard]] std::optional<type_info> info() const noexcept { return describe(type_code()); }
  /// Number of significant bits held (type byte included).
  [[nodiscard]] std::size_t precision() const noexcept { return bits_; }
  /// True when every bit of the whole bytes is significant (not a truncated presentation).
  [[nodiscard]] bool complete() const noexcept { return bits_ == b_.size() * 8; }
  /// The binary value in whole bytes (type byte + BDS); a trailing partial byte of a
  /// parsed presentation is not included (as the reference parser does).
  [[nodiscard]] byte_view binary() const noexcept { return byte_view(b_).first(bits_ / 8); }
  /// The BDS in whole bytes (binary() without the type byte).
  [[nodiscard]] byte_view data() const noexcept {
    auto b = binary();
    return b.empty() ? b : b.subspan(1);
  }
  /// All stored bytes, including a trailing partial byte (zero-padded).
  [[nodiscard]] byte_view stored() const noexcept { return b_; }

  /// Bit i (0 = most significant bit of the type byte); 0 beyond precision().
  [[nodiscard]] unsigned bit(std::size_t i) const noexcept {
    return i < bits_ ? (b_[i / 8] >> (7 - i % 8)) & 1u : 0u;
  }

 private:
  void clear() noexcept { if (!b_.empty()) wipe(b_.data(), b_.size()); b_.clear(); bits_ = 0; }
  bytes b_;
  std::size_t bits_ = 0;
};

namespace detail {
/// Constant-time comparison of the first `bits` bits of two byte strings (both
/// must hold at least ceil(bits/8) bytes).
inline bool ct_equal_bits(byte_view a, byte_view b, std::size_t bits) noexcept {
  const std::size_t whole = bits / 8;
  unsigned diff = ct_equal(a.first(whole), b.first(whole)) ? 0u : 1u;
  if (bits % 8) {
    const auto mask = std::uint8_t(0xFF00u >> (bits % 8));
    diff |= unsigned((a[whole] ^ b[whole]) & mask);
  }
  return diff == 0;
}
}  // namespace detail

/// Do `a` and `b` agree on their first min(a.precision(), b.precision()) bits
/// (decoded bits, not strings)? Fails with verification_failed when they differ and
/// with invalid_argument when the shorter precision is below `min_bits` (the
/// caller's floor: 96 by default, 200 for trust anchors). The comparison is
/// constant time in the bit values.
inline result<void> compare(const value& a, const value& b, std::size_t min_bits = minimum_bits) {
  const std::size_t n = std::min(a.precision(), b.precision());
  if (n < min_bits)
    return fail(errc::invalid_argument, "UDF precision " + std::to_string(n) + " bits is below the minimum of " +
                                            std::to_string(min_bits) + " bits");
  if (!detail::ct_equal_bits(a.stored(), b.stored(), n))
    return fail(errc::verification_failed, "UDF values differ");
  return ok();
}

/// compare() as a boolean: true only when the values agree and the precision is enough.
inline bool matches(const value& a, const value& b, std::size_t min_bits = minimum_bits) {
  return compare(a, b, min_bits).has_value();
}

}  // namespace darekit::udf
