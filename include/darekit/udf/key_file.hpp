// Private-key files (DESIGN.md §4): one of
//   - a key-seed UDF string (type Z, key spec X25519 = 1 or Ed25519 = 3; X448 = 2 and
//     Ed448 = 4 with the OpenSSL backend, DAREKIT_WITH_OPENSSL),
//   - an RFC 8037 JWK {"kty":"OKP","crv":"X25519"|"Ed25519"(|"X448"|"Ed448"),"d":b64u[,"x":b64u]},
//   - the reference form {"PrivateKeyECDH":{"crv":...,"Private":b64u}}.
// and the public-key JWK / reference PublicKeyECDH writers. Shared by the udf,
// dare and ckx command-line tools.
#pragma once
#include <simdjson.h>

#include <string>
#include <string_view>

#include "darekit/codec/base64.hpp"
#include "darekit/udf/key_seed.hpp"
#include "darekit/udf/presentation.hpp"

namespace darekit::udf {

/// Largest key file accepted.
inline constexpr std::size_t max_key_file = 64 * 1024;

namespace detail {
inline result<key_alg> curve_alg(std::string_view crv) {
  if (crv == "X25519") return key_alg::x25519;
  if (crv == "Ed25519") return key_alg::ed25519;
#if defined(DAREKIT_WITH_OPENSSL)
  if (crv == "X448") return key_alg::x448;
  if (crv == "Ed448") return key_alg::ed448;
#endif
  if (crv == "X448" || crv == "Ed448" || crv == "P256" || crv == "P384" || crv == "P521" || crv == "P-256" ||
      crv == "P-384" || crv == "P-521")
    return fail(errc::unsupported, "curve " + std::string(crv) + " is not supported (X25519 and Ed25519 only)");
  return fail(errc::malformed, "unknown curve '" + std::string(crv) + "'");
}

/// Base64url with optional padding and whitespace (the reference wraps long values).
inline result<secure_bytes> b64u_secret(std::string_view s) {
  auto r = base64::decode(s, {.abc = base64::alphabet::url, .skip_whitespace = true, .padding_optional = true});
  if (!r) return r.err();
  secure_bytes out{byte_view(*r)};
  wipe(r->data(), r->size());
  return out;
}

inline result<std::string_view> get_string(simdjson::dom::object o, std::string_view key, bool required = true) {
  std::string_view v;
  auto e = o[key].get(v);
  if (e == simdjson::NO_SUCH_FIELD && !required) return std::string_view{};
  if (e == simdjson::NO_SUCH_FIELD) return fail(errc::malformed, "key file: missing \"" + std::string(key) + "\"");
  if (e) return fail(errc::malformed, "key file: \"" + std::string(key) + "\" is not a string");
  return v;
}

inline result<key_pair> from_json(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element doc;
  if (auto e = parser.parse(padded).get(doc); e)
    return fail(errc::malformed, std::string("key file is not valid JSON: ") + simdjson::error_message(e));
  simdjson::dom::object obj;
  if (doc.get(obj)) return fail(errc::malformed, "key file: JSON is not an object");
  key_pair kp;
  simdjson::dom::object inner;
  if (obj["PrivateKeyECDH"].get(inner) == simdjson::SUCCESS) {
    DAREKIT_TRY(std::string_view crv, get_string(inner, "crv"));
    DAREKIT_TRY(key_alg alg, curve_alg(crv));
    DAREKIT_TRY(std::string_view priv, get_string(inner, "Private"));
    DAREKIT_TRY(secure_bytes d, b64u_secret(priv));
    DAREKIT_TRY(kp, key_pair_from_private(alg, d.view()));
  } else {
    DAREKIT_TRY(std::string_view kty, get_string(obj, "kty"));
    if (kty != "OKP") return fail(errc::unsupported, "key file: JWK kty '" + std::string(kty) + "' (only OKP)");
    DAREKIT_TRY(std::string_view crv, get_string(obj, "crv"));
    DAREKIT_TRY(key_alg alg, curve_alg(crv));
    DAREKIT_TRY(std::string_view dv, get_string(obj, "d"));
    DAREKIT_TRY(secure_bytes d, b64u_secret(dv));
    DAREKIT_TRY(kp, key_pair_from_private(alg, d.view()));
    DAREKIT_TRY(std::string_view xv, get_string(obj, "x", false));
    if (!xv.empty()) {
      auto x = base64::decode(xv, {.abc = base64::alphabet::url, .skip_whitespace = true, .padding_optional = true});
      if (!x) return fail(errc::malformed, "key file: bad \"x\": " + x.err().message);
      if (!ct_equal(*x, kp.public_bytes()))
        return fail(errc::verification_failed, "key file: \"x\" does not match the private key \"d\"");
    }
  }
  return kp;
}
}  // namespace detail

/// Read a private key from the text of a key file (any of the three forms).
/// `key_name` applies to seed UDFs (derivation info suffix).
inline result<key_pair> read_private_key(std::string_view text, std::string_view key_name = {}) {
  if (text.size() > max_key_file) return fail(errc::too_large, "key file larger than 64 KiB");
  std::size_t b = 0, e = text.size();
  while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r' || text[b] == '\n')) ++b;
  while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r' || text[e - 1] == '\n')) --e;
  const std::string_view t = text.substr(b, e - b);
  if (t.empty()) return fail(errc::malformed, "key file is empty");
  if (t[0] == '{') return detail::from_json(t);
  auto v = parse(t);
  if (!v) return fail(v.code(), "key file is neither JSON nor a UDF: " + v.err().message);
  if (v->type_code() != std::uint8_t(type_id::key_seed))
    return fail(errc::invalid_argument, "key file UDF is not a key seed (type Z)");
  return derive_key(*v, key_name);
}

/// The public key as an RFC 8037 JWK: {"kty":"OKP","crv":"X25519","x":"..."}.
inline std::string public_jwk(key_alg alg, byte_view public_key) {
  return "{\"kty\":\"OKP\",\"crv\":\"" + std::string(key_alg_name(alg)) + "\",\"x\":\"" +
         base64::encode_url(public_key) + "\"}";
}
inline std::string public_jwk(const key_pair& kp) { return public_jwk(kp.alg, kp.public_bytes()); }

/// The public key in the reference form {"PublicKeyECDH":{"crv":...,"Public":...}}.
inline std::string public_key_ecdh(const key_pair& kp) {
  return "{\"PublicKeyECDH\":{\"crv\":\"" + std::string(key_alg_name(kp.alg)) + "\",\"Public\":\"" +
         base64::encode_url(kp.public_bytes()) + "\"}}";
}

/// The private key as an RFC 8037 JWK (contains the secret!).
inline std::string private_jwk(const key_pair& kp) {
  return "{\"kty\":\"OKP\",\"crv\":\"" + std::string(key_alg_name(kp.alg)) + "\",\"d\":\"" +
         base64::encode_url(kp.private_bytes()) + "\",\"x\":\"" + base64::encode_url(kp.public_bytes()) + "\"}";
}

}  // namespace darekit::udf
