// DARE key material: private keys (X25519 / Ed25519 key pairs) and public keys, read
// from the forms of DESIGN.md §4 (UDF key seed, RFC 8037 JWK, the reference's
// PrivateKeyECDH / PublicKeyECDH objects) and written as reference Key objects.
// X448/Ed448 keys parse (so they can be shown and skipped); without the OpenSSL backend
// (DAREKIT_WITH_OPENSSL) every operation on them reports errc::unsupported
// "unsupported curve", with it they work like their 25519 counterparts.
#pragma once
#include <string>
#include <string_view>

#include "darekit/codec/json.hpp"
#include "darekit/codec/jsonb.hpp"
#include "darekit/crypto/ossl448.hpp"
#include "darekit/udf/key_id.hpp"
#include "darekit/udf/key_seed.hpp"
#include "darekit/udf/presentation.hpp"

namespace darekit::dare {

/// A public key of a recipient or signer.
struct public_key {
  udf::key_alg alg = udf::key_alg::x25519;
  bytes key;  ///< 32 bytes for X25519/Ed25519, 56/57 for X448/Ed448

  /// The reference key identifier (UDF "PKIXKey", 2024 form); errors for curves
  /// without one.
  [[nodiscard]] result<std::string> kid() const { return udf::key_identifier(alg, key); }
  /// The reference Key object {"PublicKeyECDH":{"crv":...,"Public":...}}.
  [[nodiscard]] json::value to_json() const {
    return json::object{{"PublicKeyECDH", json::object{{"crv", std::string(udf::key_alg_name(alg))}, {"Public", key}}}};
  }
  /// RFC 8037 JWK.
  [[nodiscard]] json::value to_jwk() const {
    return json::object{{"kty", "OKP"}, {"crv", std::string(udf::key_alg_name(alg))}, {"x", base64::encode_url(key)}};
  }
};

/// The public half of a key pair.
inline public_key public_of(const udf::key_pair& kp) {
  const auto pk = kp.public_bytes();
  return {kp.alg, bytes(pk.begin(), pk.end())};
}

/// The error for X448/Ed448 and other curves this build cannot use.
inline error unsupported_curve(std::string_view crv) {
  if (ossl448_available)
    return fail(errc::unsupported, "unsupported curve " + std::string(crv) + " for this operation");
  return fail(errc::unsupported, "unsupported curve " + std::string(crv) +
                                     " (X448/Ed448 need DAREKIT_WITH_OPENSSL, which this build lacks)");
}

/// The public key size of a curve (0 for curves without a fixed size here).
constexpr std::size_t public_key_size(udf::key_alg a) noexcept {
  switch (a) {
    case udf::key_alg::x25519:
    case udf::key_alg::ed25519: return 32;
    case udf::key_alg::x448: return 56;
    case udf::key_alg::ed448: return 57;
    default: return 0;
  }
}

namespace detail {
inline result<udf::key_alg> curve_of(std::string_view crv) {
  if (crv == "X25519") return udf::key_alg::x25519;
  if (crv == "Ed25519") return udf::key_alg::ed25519;
  if (crv == "X448") return udf::key_alg::x448;
  if (crv == "Ed448") return udf::key_alg::ed448;
  return fail(errc::unsupported, "unsupported curve \"" + std::string(crv) + "\"");
}
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
// (crv, public?, private?) from a JWK or reference Key object.
struct key_fields { std::string crv; std::optional<bytes> pub, priv; };
inline result<key_fields> key_fields_of(const json::value& v) {
  if (!v.is_object()) return fail(errc::malformed, "a key must be a JSON object");
  key_fields f;
  auto str = [](const json::value* p) -> std::optional<std::string> {
    return p && p->is_string() ? std::optional<std::string>(p->as_string()) : std::nullopt;
  };
  auto bin = [](const json::value* p) -> result<std::optional<bytes>> {
    if (!p) return std::optional<bytes>{};
    DAREKIT_TRY(auto b, p->to_bytes());
    return std::optional<bytes>(std::move(b));
  };
  const json::value* inner = nullptr;
  if ((inner = v.find("PrivateKeyECDH")) || (inner = v.find("PublicKeyECDH"))) {
    auto c = str(inner->find("crv"));
    if (!c) return fail(errc::malformed, "key object without \"crv\"");
    f.crv = *c;
    DAREKIT_TRY(f.pub, bin(inner->find("Public")));
    DAREKIT_TRY(f.priv, bin(inner->find("Private")));
    return f;
  }
  if (auto kty = str(v.find("kty"))) {
    if (*kty != "OKP") return fail(errc::unsupported, "JWK key type \"" + *kty + "\" (OKP only)");
    auto c = str(v.find("crv"));
    if (!c) return fail(errc::malformed, "JWK without \"crv\"");
    f.crv = *c;
    DAREKIT_TRY(f.pub, bin(v.find("x")));
    DAREKIT_TRY(f.priv, bin(v.find("d")));
    return f;
  }
  return fail(errc::malformed, "not a JWK or a PublicKeyECDH/PrivateKeyECDH object");
}
}  // namespace detail

/// A public key from a parsed JWK / PublicKeyECDH object (or a private key object,
/// whose public half is computed).
inline result<public_key> public_key_from_json(const json::value& v) {
  DAREKIT_TRY(auto f, detail::key_fields_of(v));
  DAREKIT_TRY(auto alg, detail::curve_of(f.crv));
  if (!ossl448_available && (alg == udf::key_alg::x448 || alg == udf::key_alg::ed448)) {
    if (!f.pub) return unsupported_curve(f.crv);
    return public_key{alg, *f.pub};
  }
  if (f.priv) {
    DAREKIT_TRY(auto kp, udf::key_pair_from_private(alg, *f.priv));
    if (f.pub && !ct_equal(*f.pub, kp.public_bytes())) return fail(errc::invalid_argument, "public key does not match the private key");
    return public_of(kp);
  }
  if (!f.pub || f.pub->size() != public_key_size(alg))
    return fail(errc::malformed, f.crv + " public keys are " + std::to_string(public_key_size(alg)) + " bytes");
  return public_key{alg, *f.pub};
}

/// A private key pair from a parsed JWK / PrivateKeyECDH object.
inline result<udf::key_pair> private_key_from_json(const json::value& v) {
  DAREKIT_TRY(auto f, detail::key_fields_of(v));
  DAREKIT_TRY(auto alg, detail::curve_of(f.crv));
  if (!ossl448_available && (alg == udf::key_alg::x448 || alg == udf::key_alg::ed448)) return unsupported_curve(f.crv);
  if (!f.priv) return fail(errc::invalid_argument, "the key has no private part");
  DAREKIT_TRY(auto kp, udf::key_pair_from_private(alg, *f.priv));
  if (f.pub && !ct_equal(*f.pub, kp.public_bytes())) return fail(errc::invalid_argument, "public key does not match the private key");
  return kp;
}

/// Read a private key file: a UDF key seed (X25519 or Ed25519; X448 / Ed448 with the
/// OpenSSL backend), a JWK, or a
/// {"PrivateKeyECDH":...} object.
inline result<udf::key_pair> parse_private_key(std::string_view text) {
  text = detail::trim(text);
  if (!text.empty() && text.front() == '{') {
    DAREKIT_TRY(auto v, jsonb::parse(as_bytes(text)));
    return private_key_from_json(v);
  }
  DAREKIT_TRY(auto u, udf::parse(text));
  return udf::derive_key(u);
}

/// Read a public key file: a JWK or {"PublicKeyECDH":...} (a private key is accepted
/// and its public half used).
inline result<public_key> parse_public_key(std::string_view text) {
  text = detail::trim(text);
  if (!text.empty() && text.front() == '{') {
    DAREKIT_TRY(auto v, jsonb::parse(as_bytes(text)));
    return public_key_from_json(v);
  }
  DAREKIT_TRY(auto kp, parse_private_key(text));
  return public_of(kp);
}

}  // namespace darekit::dare
