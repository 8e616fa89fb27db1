// Key seeds (type 0xC8, 'Z') and key-pair derivation from them (draft -18 §4.4).
//
//   BDS  = keySpec (2 bytes, big-endian algorithm id) || seed bytes
//   PRK  = HKDF-Extract-SHA-512(salt = none, IKM = BDS)
//   OKM  = HKDF-Expand-SHA-512(PRK, info = keySpec || UTF8(key_name), L)
//   X25519:  private scalar = OKM (clamped by the scalar multiplication), L = 32
//   Ed25519: RFC 8032 seed  = OKM, L = 32
//   X448:    private key = OKM, L = 56            (DAREKIT_WITH_OPENSSL only)
//   Ed448:   RFC 8032 seed = OKM || 00, L = 56    (DAREKIT_WITH_OPENSSL only; darekit
//            decision, the reference's 56-to-57-byte handling is unverified)
// Other algorithms (and X448/Ed448 without the OpenSSL backend) are recognised but give
// errc::unsupported.
#pragma once
#include <array>
#include <sodium.h>
#include <string>
#include <string_view>

#include "darekit/crypto/hkdf.hpp"
#include "darekit/crypto/ossl448.hpp"
#include "darekit/crypto/random.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/codec/utf8.hpp"
#include "darekit/udf/value.hpp"

namespace darekit::udf {

/// Key algorithm identifiers of the key specifier (draft -18 §4.4 table).
enum class key_alg : std::uint16_t {
  any = 0,
  x25519 = 1,
  x448 = 2,
  ed25519 = 3,
  ed448 = 4,
  p256 = 5,
  p384 = 6,
  p521 = 7,
  rsa2048 = 8,
  rsa3072 = 9,
  rsa4096 = 10,
  mesh_profile_device = 256,
  mesh_activation_device = 257,
  mesh_profile_account = 258,
  mesh_activation_account = 259,
  mesh_profile_service = 260,
  mesh_activation_service = 261,
};

/// JOSE/RFC 8037 name of an algorithm ("X25519", "Ed25519", ...), or "" when unnamed.
constexpr std::string_view key_alg_name(key_alg a) noexcept {
  switch (a) {
    case key_alg::x25519: return "X25519";
    case key_alg::x448: return "X448";
    case key_alg::ed25519: return "Ed25519";
    case key_alg::ed448: return "Ed448";
    case key_alg::p256: return "P-256";
    case key_alg::p384: return "P-384";
    case key_alg::p521: return "P-521";
    case key_alg::rsa2048: return "RSA-2048";
    case key_alg::rsa3072: return "RSA-3072";
    case key_alg::rsa4096: return "RSA-4096";
    case key_alg::any: return "Any";
    default: return "";
  }
}

/// A derived (or loaded) X25519 / Ed25519 key pair. For X25519 `private_key` is the
/// unclamped scalar as stored (the clamping happens in the multiplication); for
/// Ed25519 it is the 32-byte RFC 8032 seed. X448 / Ed448 pairs (OpenSSL backend only)
/// keep their 56/57-byte keys in `wide_private` / `wide_public` instead; use
/// private_bytes() / public_bytes() to handle every curve alike.
struct key_pair {
  key_alg alg = key_alg::x25519;
  secret<32> private_key;
  std::array<std::uint8_t, 32> public_key{};
  secure_bytes wide_private;  ///< X448 private key (56) or Ed448 seed (57); empty for 25519
  bytes wide_public;          ///< X448 (56) or Ed448 (57) public key; empty for 25519

  /// True for X448 / Ed448 pairs.
  [[nodiscard]] bool wide() const noexcept { return alg == key_alg::x448 || alg == key_alg::ed448; }
  /// The private key bytes of any curve.
  [[nodiscard]] byte_view private_bytes() const noexcept { return wide() ? wide_private.view() : private_key.view(); }
  /// The public key bytes of any curve.
  [[nodiscard]] byte_view public_bytes() const noexcept {
    return wide() ? byte_view(wide_public) : byte_view(public_key);
  }
};

/// The error for X448/Ed448 in a build without the OpenSSL backend.
inline error unsupported_448(key_alg alg) {
  return fail(errc::unsupported, "unsupported curve " + std::string(key_alg_name(alg)) +
                                     " (X448/Ed448 need DAREKIT_WITH_OPENSSL, which this build lacks)");
}

/// The key pair for a 32-byte X25519 private scalar or Ed25519 seed, or (OpenSSL
/// backend) a 56-byte X448 private key or 57-byte Ed448 seed.
inline result<key_pair> key_pair_from_private(key_alg alg, byte_view priv) {
  if (alg == key_alg::x448 || alg == key_alg::ed448) {
#if defined(DAREKIT_WITH_OPENSSL)
    key_pair kp;
    kp.alg = alg;
    if (alg == key_alg::x448) {
      if (priv.size() != 56) return fail(errc::invalid_argument, "X448 private keys are 56 bytes");
      DAREKIT_TRY(auto pub, ossl448::x448_public(priv));
      kp.wide_public.assign(pub.begin(), pub.end());
    } else {
      if (priv.size() != 57) return fail(errc::invalid_argument, "Ed448 seeds are 57 bytes");
      DAREKIT_TRY(auto pub, ossl448::ed448_public(priv));
      kp.wide_public.assign(pub.begin(), pub.end());
    }
    kp.wide_private = secure_bytes(priv);
    return kp;
#else
    (void)priv;
    return unsupported_448(alg);
#endif
  }
  if (alg != key_alg::x25519 && alg != key_alg::ed25519)
    return fail(errc::unsupported, "key algorithm " + std::string(key_alg_name(alg)) +
                                       " is not supported (X25519 and Ed25519 only)");
  if (priv.size() != 32) return fail(errc::invalid_argument, "X25519/Ed25519 private keys are 32 bytes");
  darekit::detail::ensure_sodium();
  key_pair kp;
  kp.alg = alg;
  kp.private_key = secret<32>(priv);
  if (alg == key_alg::x25519) {
    if (crypto_scalarmult_base(kp.public_key.data(), kp.private_key.data()) != 0)
      return fail(errc::crypto_failure, "X25519 base multiplication failed");
  } else {
    secret<crypto_sign_SECRETKEYBYTES> sk;
    if (crypto_sign_seed_keypair(kp.public_key.data(), sk.data(), kp.private_key.data()) != 0)
      return fail(errc::crypto_failure, "Ed25519 key generation failed");
  }
  return kp;
}

/// A key-seed UDF: 0xC8 || be16(alg) || seed.
inline value make_key_seed(key_alg alg, byte_view seed) {
  const std::uint8_t spec[2] = {std::uint8_t(std::uint16_t(alg) >> 8), std::uint8_t(std::uint16_t(alg))};
  secure_bytes bds(byte_view(spec, 2));
  bds.append(seed);
  return value(type_id::key_seed, bds.view());
}

/// A fresh key-seed UDF with `seed_bytes` random bytes (default 32 = 256 bits).
inline value generate_key_seed(key_alg alg, std::size_t seed_bytes = 32) {
  secure_bytes s(seed_bytes);
  random_fill(s.span());
  return make_key_seed(alg, s.view());
}

/// The algorithm of a key-seed UDF (errors: not a seed, too short, key-use bits set).
inline result<key_alg> seed_algorithm(const value& seed) {
  if (seed.type_code() != std::uint8_t(type_id::key_seed))
    return fail(errc::invalid_argument, "not a key-seed UDF (type byte must be 0xc8)");
  const auto d = seed.data();
  if (d.size() < 3) return fail(errc::truncated, "key seed needs a 2-byte key spec and at least one seed byte");
  if (d[0] & 0xC0) return fail(errc::unsupported, "key seed with key-use bits set in its key specifier");
  return key_alg((std::uint16_t(d[0]) << 8) | d[1]);
}

/// Write the HKDF output (spec §9.2) for a seed into `out`.
inline result<void> derive_okm_into(const value& seed, byte_span out, std::string_view key_name = {}) {
  DAREKIT_TRY(key_alg alg, seed_algorithm(seed));
  (void)alg;
  if (!utf8::valid(key_name)) return fail(errc::invalid_argument, "key name is not valid UTF-8");
  const auto bds = seed.data();
  bytes info(bds.begin(), bds.begin() + 2);  // key spec || key name: not secret
  append(info, as_bytes(key_name));
  auto prk = hkdf::extract<sha512>({}, bds);
  return hkdf::expand_into<sha512>(prk.view(), info, out);
}

/// The HKDF output (spec §9.2) for a seed: `length` bytes in wiping memory.
inline result<secure_bytes> derive_okm(const value& seed, std::size_t length, std::string_view key_name = {}) {
  secure_bytes okm(length);
  DAREKIT_CHECK(derive_okm_into(seed, okm.span(), key_name));
  return okm;
}

/// Derive the X25519 or Ed25519 key pair of a seed UDF; X448 / Ed448 with the OpenSSL
/// backend (other algorithms: errc::unsupported). `key_name` selects one of many keys
/// from one seed.
inline result<key_pair> derive_key(const value& seed, std::string_view key_name = {}) {
  DAREKIT_TRY(key_alg alg, seed_algorithm(seed));
  if (alg == key_alg::x448 || alg == key_alg::ed448) {
#if defined(DAREKIT_WITH_OPENSSL)
    secure_bytes okm(57);  // L = 56; Ed448 appends one zero byte to make the 57-byte seed
    DAREKIT_CHECK(derive_okm_into(seed, okm.span().first(56), key_name));
    okm.span()[56] = 0;
    return key_pair_from_private(alg, alg == key_alg::x448 ? okm.view().first(56) : okm.view());
#else
    return unsupported_448(alg);
#endif
  }
  if (alg != key_alg::x25519 && alg != key_alg::ed25519) {
    const auto n = key_alg_name(alg);
    return fail(errc::unsupported, "key derivation for algorithm " +
                                       (n.empty() ? std::to_string(unsigned(alg)) : std::string(n)) +
                                       " is not supported (X25519 and Ed25519 only)");
  }
  secret<32> okm;
  DAREKIT_CHECK(derive_okm_into(seed, okm.span(), key_name));
  return key_pair_from_private(alg, okm.view());
}

}  // namespace darekit::udf
