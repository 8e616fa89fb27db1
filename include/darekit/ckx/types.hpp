// Controller-IKE (draft-carrel-ipsecme-controller-ike-01) profile types: IKEv2 transform
// identifiers, the KEYMAT form, roles, policies and the ESP SA pair a derivation yields.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "darekit/core/secure.hpp"

namespace darekit::ckx {

/// IKEv2 PRF (Transform Type 2). darekit implements HMAC-SHA-256 and HMAC-SHA-512.
enum class prf_id : std::uint16_t { hmac_sha2_256 = 5, hmac_sha2_512 = 7 };
/// IKEv2 Diffie-Hellman group (Transform Type 4). Only Curve25519 (RFC 8031).
enum class dh_group : std::uint16_t { curve25519 = 31 };
/// ESP encryption transform (Transform Type 1).
enum class encr_id : std::uint16_t { aes_gcm_16 = 20, chacha20_poly1305 = 28 };

/// The two KEYMAT formulas of draft §5.2.1.4. Pick one per deployment; never mix them
/// (spec §3.6: the first bytes of `direct` KEYMAT equal the SK_d of `via_sk_d`).
enum class keymat_mode : std::uint8_t {
  via_sk_d,  ///< SK_d = prf+(SKEYSEED, Ni|Nr|SPIi|SPIr)[0..prf_len); KEYMAT = prf+(SK_d, Ni|Nr)  (default)
  direct,    ///< KEYMAT = prf+(SKEYSEED, Ni|Nr|SPIi|SPIr)
};

/// Our role for one (local DH, remote DH) combination: the larger nonce initiates.
enum class role : std::uint8_t { initiator, responder };

/// Output size of a PRF in bytes (also its preferred key length, the SK_d length).
constexpr std::size_t prf_size(prf_id p) noexcept { return p == prf_id::hmac_sha2_512 ? 64 : 32; }

constexpr std::string_view to_string(prf_id p) noexcept { return p == prf_id::hmac_sha2_512 ? "sha512" : "sha256"; }
constexpr std::string_view to_string(keymat_mode m) noexcept { return m == keymat_mode::direct ? "direct" : "via-skd"; }
constexpr std::string_view to_string(role r) noexcept { return r == role::initiator ? "initiator" : "responder"; }
constexpr role mirror(role r) noexcept { return r == role::initiator ? role::responder : role::initiator; }

/// One IPsec policy entry a device offers (an IKEv2 proposal with one ENCR transform).
/// The DH group is chosen separately from the KE list (same responder-first rule).
struct policy {
  std::uint8_t proposal_num = 1;          ///< IKEv2 Proposal Number (SPN), 1..255
  encr_id encr = encr_id::aes_gcm_16;
  std::uint16_t key_bits = 256;           ///< 128 or 256 for AES-GCM-16, 256 for ChaCha20-Poly1305
  /// Same transform (the proposal number does not take part in matching).
  [[nodiscard]] bool same_transform(const policy& o) const noexcept { return encr == o.encr && key_bits == o.key_bits; }
  friend bool operator==(const policy&, const policy&) = default;
};

/// Encryption key bytes of a policy's transform (0 if the combination is not supported).
constexpr std::size_t encr_key_size(encr_id e, std::uint16_t key_bits) noexcept {
  if (e == encr_id::aes_gcm_16) return key_bits == 128 ? 16 : key_bits == 256 ? 32 : 0;
  if (e == encr_id::chacha20_poly1305) return key_bits == 256 ? 32 : 0;
  return 0;
}
/// KEYMAT bytes per direction: key + 4-byte salt (RFC 4106 §8.1, RFC 7634 §2).
constexpr std::size_t keymat_per_direction(const policy& p) noexcept {
  const auto k = encr_key_size(p.encr, p.key_bits);
  return k ? k + 4 : 0;
}

/// The deployment profile the controller pins (spec §0.1).
struct profile {
  prf_id prf = prf_id::hmac_sha2_256;
  keymat_mode keymat = keymat_mode::via_sk_d;
  bool spn_in_spi = false;   ///< use the SPN variant of SPI generation (App. A.3.1)
  policy default_policy{};   ///< used when a DIM carries no policy list (pre-provisioned)
};

/// Initiator's and responder's inbound ESP SPIs, after Rotation-Number substitution.
struct spi_pair {
  std::uint32_t spi_i = 0;  ///< the initiator's inbound SPI (carries responder->initiator traffic)
  std::uint32_t spi_r = 0;  ///< the responder's inbound SPI (carries initiator->responder traffic)
  friend bool operator==(const spi_pair&, const spi_pair&) = default;
};

/// One direction of an ESP SA: SPI, key (16 or 32 bytes used) and 4-byte salt.
struct esp_sa {
  std::uint32_t spi = 0;
  encr_id encr = encr_id::aes_gcm_16;
  std::uint8_t key_len = 32;
  secret<32> key;   ///< only the first key_len bytes are meaningful (the rest is zero)
  secret<4> salt;
  [[nodiscard]] byte_view key_view() const noexcept { return key.view().first(key_len); }
  /// SPI, algorithm, key and salt all equal (key and salt compared in constant time).
  [[nodiscard]] bool same_as(const esp_sa& o) const noexcept {
    return spi == o.spi && encr == o.encr && key_len == o.key_len && key == o.key && salt == o.salt;
  }
};

/// The SA pair one device installs for one (local DH, remote DH) combination.
struct sa_pair {
  esp_sa outbound, inbound;
  role local_role = role::initiator;
};

}  // namespace darekit::ckx
