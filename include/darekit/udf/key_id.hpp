// Key identifiers (spec §9.4): the content-digest UDF (SHA-2-512, content type
// "PKIXKey", 140 bits) of a DER key-info structure for a public key.
//
// Three DER layouts exist; the 2024 reference form is the default, so reference
// readers find their recipient:
//   reference_2024: 30 2C 30 05 06 03 2B 65 70 03 23 00 04 20 <pk>   (always the Ed25519 OID)
//   reference_18:   30 2E 30 07 06 03 2B 65 <oid> 05 00 03 23 00 04 20 <pk>
//   rfc8410:        30 2A 30 05 06 03 2B 65 <oid> 03 21 00 <pk>     (standard SubjectPublicKeyInfo)
#pragma once
#include <string>

#include "darekit/udf/content_digest.hpp"
#include "darekit/udf/key_seed.hpp"

namespace darekit::udf {

/// Which DER layout a key identifier digests.
enum class key_id_form { reference_2024, reference_18, rfc8410 };

/// Options of key_identifier().
struct key_id_options {
  key_id_form form = key_id_form::reference_2024;
  std::string_view content_type = content_type_pkix_key;  ///< "PKIXKey" (reference); or e.g. "application/pkix-keyinfo"
  std::size_t bits = default_bits;                         ///< presentation precision
};

/// The key-info DER for an X25519/Ed25519 public key (X448/Ed448 too with the OpenSSL
/// backend: the same layouts with 56/57-byte keys, OIDs 1.3.101.111 / 1.3.101.113, and
/// the 2024 form again always using the Ed25519 OID as the reference does) in the
/// chosen layout.
inline result<bytes> key_info_der(key_alg alg, byte_view public_key, key_id_form form = key_id_form::reference_2024) {
  std::uint8_t oid_last;
  std::size_t n = 32;
  switch (alg) {
    case key_alg::x25519: oid_last = 0x6E; break;   // 1.3.101.110
    case key_alg::ed25519: oid_last = 0x70; break;  // 1.3.101.112
#if defined(DAREKIT_WITH_OPENSSL)
    case key_alg::x448: oid_last = 0x6F; n = 56; break;   // 1.3.101.111
    case key_alg::ed448: oid_last = 0x71; n = 57; break;  // 1.3.101.113
#endif
    default:
      return fail(errc::unsupported, ossl448_available ? "key identifiers only for X25519, X448, Ed25519 and Ed448 keys"
                                                       : "key identifiers only for X25519 and Ed25519 keys");
  }
  if (public_key.size() != n)
    return fail(errc::invalid_argument, "wrong public key size for " + std::string(key_alg_name(alg)));
  const auto b = [](std::size_t v) { return std::uint8_t(v); };
  bytes der;
  switch (form) {
    case key_id_form::reference_2024:
      der = {0x30, b(n + 12), 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, b(n + 3), 0x00, 0x04, b(n)};
      break;
    case key_id_form::reference_18:
      der = {0x30, b(n + 14), 0x30, 0x07, 0x06, 0x03, 0x2B, 0x65, oid_last, 0x05, 0x00, 0x03, b(n + 3), 0x00, 0x04, b(n)};
      break;
    case key_id_form::rfc8410:
      der = {0x30, b(n + 10), 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, oid_last, 0x03, b(n + 1), 0x00};
      break;
  }
  append(der, public_key);
  return der;
}

/// The key identifier as a full UDF value (present() it, or compare() it).
inline result<value> key_identifier_value(key_alg alg, byte_view public_key, const key_id_options& o = {}) {
  DAREKIT_TRY(bytes der, key_info_der(alg, public_key, o.form));
  return content_digest(der, o.content_type, digest_alg::sha2_512);
}

/// The key identifier of an X25519/Ed25519 public key as a UDF string (by default
/// the 2024 reference form, "PKIXKey", 140 bits, e.g. "MDU3-CHQ4-O737-ZZTH-XOF2-QFOU-U6SP").
inline result<std::string> key_identifier(key_alg alg, byte_view public_key, const key_id_options& o = {}) {
  DAREKIT_TRY(value v, key_identifier_value(alg, public_key, o));
  return present(v, o.bits);
}

/// The key identifier of a key pair.
inline result<std::string> key_identifier(const key_pair& kp, const key_id_options& o = {}) {
  return key_identifier(kp.alg, kp.public_bytes(), o);
}

}  // namespace darekit::udf
