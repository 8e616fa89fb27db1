// Key files (DESIGN.md §4): the one reader of private and public keys, used by every
// darekit command and by the DARE envelope code (dare/keys.hpp re-exports these names).
//
// A private-key file holds one of
//   - a key-seed UDF string (type Z, key spec X25519 = 1 or Ed25519 = 3; X448 = 2 and
//     Ed448 = 4 with the OpenSSL backend, DAREKIT_WITH_OPENSSL),
//   - an RFC 8037 JWK {"kty":"OKP","crv":"X25519"|"Ed25519"|"X448"|"Ed448","d":b64u[,"x":b64u]},
//   - the reference form {"PrivateKeyECDH":{"crv":...,"Private":b64u}};
// a public-key file a JWK (with "x") or {"PublicKeyECDH":{"crv":...,"Public":b64u}}, or any
// private-key form (its public half is used). JSON is read by the codec's reader, which
// tolerates the reference's line-wrapped base64 strings. X448/Ed448 public keys parse without
// the OpenSSL backend (so they can be shown and skipped); every operation on them then
// reports errc::unsupported "unsupported curve".
//
//   auto me = udf::load_private_key("bob.key");      // read, parse, wipe the text
//   auto to = udf::load_public_key("alice.pub");
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "darekit/codec/base64.hpp"
#include "darekit/codec/hex.hpp"
#include "darekit/codec/json.hpp"
#include "darekit/codec/jsonb.hpp"
#include "darekit/core/file.hpp"
#include "darekit/crypto/ossl448.hpp"
#include "darekit/udf/key_id.hpp"
#include "darekit/udf/key_seed.hpp"
#include "darekit/udf/presentation.hpp"

namespace darekit::udf {

/// Largest key file accepted.
inline constexpr std::size_t max_key_file = 64 * 1024;

/// A public key of a recipient or signer.
struct public_key {
  key_alg alg = key_alg::x25519;
  bytes key;  ///< 32 bytes for X25519/Ed25519, 56/57 for X448/Ed448

  /// The reference key identifier (UDF "PKIXKey", 2024 form); errors for curves without one.
  [[nodiscard]] result<std::string> kid() const { return key_identifier(alg, key); }
  /// The reference Key object {"PublicKeyECDH":{"crv":...,"Public":...}}.
  [[nodiscard]] json::value to_json() const {
    return json::object{{"PublicKeyECDH", json::object{{"crv", std::string(key_alg_name(alg))}, {"Public", key}}}};
  }
  /// RFC 8037 JWK {"kty":"OKP","crv":...,"x":...}.
  [[nodiscard]] json::value to_jwk() const {
    return json::object{{"kty", "OKP"}, {"crv", std::string(key_alg_name(alg))}, {"x", base64::encode_url(key)}};
  }
};

/// The public half of a key pair.
inline public_key public_of(const key_pair& kp) {
  const auto pk = kp.public_bytes();
  return {kp.alg, bytes(pk.begin(), pk.end())};
}

/// The error for X448/Ed448 and other curves this build cannot use.
inline error unsupported_curve(std::string_view crv) {
  if (ossl448_available) return fail(errc::unsupported, "unsupported curve " + std::string(crv) + " for this operation");
  return fail(errc::unsupported,
              "unsupported curve " + std::string(crv) + " (X448/Ed448 need DAREKIT_WITH_OPENSSL, which this build lacks)");
}

/// The public key size of a curve (0 for curves without a fixed size here).
constexpr std::size_t public_key_size(key_alg a) noexcept {
  switch (a) {
    case key_alg::x25519:
    case key_alg::ed25519: return 32;
    case key_alg::x448: return 56;
    case key_alg::ed448: return 57;
    default: return 0;
  }
}

/// The private key as an RFC 8037 JWK (contains the secret: wipe the string after use).
inline std::string private_jwk(const key_pair& kp) {
  return "{\"kty\":\"OKP\",\"crv\":\"" + std::string(key_alg_name(kp.alg)) + "\",\"d\":\"" +
         base64::encode_url(kp.private_bytes()) + "\",\"x\":\"" + base64::encode_url(kp.public_bytes()) + "\"}";
}

namespace detail {
inline result<key_alg> curve_of(std::string_view crv) {
  for (auto a : {key_alg::x25519, key_alg::ed25519, key_alg::x448, key_alg::ed448})
    if (key_alg_name(a) == crv) return a;
  return fail(errc::unsupported, "unsupported curve \"" + std::string(crv) + "\" (X25519, Ed25519, X448, Ed448)");
}
inline bool is_448(key_alg a) noexcept { return a == key_alg::x448 || a == key_alg::ed448; }

inline std::string_view trim(std::string_view s) noexcept {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

/// Overwrite every string and binary value of a parsed document (it may hold a private key).
inline void wipe_json(json::value& v) noexcept {
  switch (v.kind()) {
    case json::kind::string: {
      // the tree is ours and not const; the accessor just has no mutable overload
      auto& s = const_cast<std::string&>(v.as_string());
      wipe(s.data(), s.size());
      break;
    }
    case json::kind::binary: {
      auto& b = const_cast<bytes&>(v.as_binary());
      wipe(b.data(), b.size());
      break;
    }
    case json::kind::array: for (auto& e : v.as_array()) wipe_json(e); break;
    case json::kind::object: for (auto& [k, e] : v.as_object()) wipe_json(e); break;
    default: break;
  }
}

/// Parse a JSON key document; the tree is wiped when this object dies.
struct key_document {
  json::value v;
  ~key_document() { wipe_json(v); }
};
inline result<void> parse_key_json(std::string_view text, key_document& doc) {
  auto r = jsonb::parse(as_bytes(text));
  if (!r) return fail(r.code() == errc::too_large ? errc::too_large : errc::malformed, "key file is not valid JSON: " + r.err().message);
  doc.v = std::move(*r);
  return ok();
}

/// (crv, public?, private?) of a JWK or reference Key object.
struct key_fields {
  std::string crv;
  std::optional<bytes> pub;
  std::optional<secure_bytes> priv;
};
inline result<key_fields> key_fields_of(const json::value& v) {
  if (!v.is_object()) return fail(errc::malformed, "a key must be a JSON object");
  key_fields f;
  auto str = [](const json::value* p) -> std::optional<std::string> {
    return p && p->is_string() ? std::optional<std::string>(p->as_string()) : std::nullopt;
  };
  auto decode = [](const json::value* p, const char* name) -> result<std::optional<bytes>> {
    if (!p) return std::optional<bytes>{};
    auto b = p->to_bytes();
    if (!b) return fail(errc::malformed, std::string("bad \"") + name + "\": " + b.err().message);
    return std::optional<bytes>(std::move(*b));
  };
  auto secret_of = [&](const json::value* p, const char* name) -> result<void> {
    DAREKIT_TRY(auto b, decode(p, name));
    if (b) {
      f.priv.emplace(byte_view(*b));
      wipe(b->data(), b->size());
    }
    return ok();
  };
  const json::value* inner = nullptr;
  if ((inner = v.find("PrivateKeyECDH")) || (inner = v.find("PublicKeyECDH"))) {
    auto c = str(inner->find("crv"));
    if (!c) return fail(errc::malformed, "key object without \"crv\"");
    f.crv = *c;
    DAREKIT_TRY(f.pub, decode(inner->find("Public"), "Public"));
    DAREKIT_CHECK(secret_of(inner->find("Private"), "Private"));
    return f;
  }
  if (auto kty = str(v.find("kty"))) {
    if (*kty != "OKP") return fail(errc::unsupported, "JWK key type \"" + *kty + "\" (OKP only)");
    auto c = str(v.find("crv"));
    if (!c) return fail(errc::malformed, "JWK without \"crv\"");
    f.crv = *c;
    DAREKIT_TRY(f.pub, decode(v.find("x"), "x"));
    DAREKIT_CHECK(secret_of(v.find("d"), "d"));
    return f;
  }
  return fail(errc::malformed, "not a JWK or a PublicKeyECDH/PrivateKeyECDH object");
}

inline result<key_pair> pair_of(key_alg alg, const key_fields& f) {
  DAREKIT_TRY(auto kp, key_pair_from_private(alg, f.priv->view()));
  if (f.pub && !ct_equal(*f.pub, kp.public_bytes()))
    return fail(errc::invalid_argument, "the public key does not match the private key");
  return kp;
}
}  // namespace detail

/// A private key pair from a parsed JWK / PrivateKeyECDH object.
inline result<key_pair> private_key_from_json(const json::value& v) {
  DAREKIT_TRY(auto f, detail::key_fields_of(v));
  DAREKIT_TRY(auto alg, detail::curve_of(f.crv));
  if (!ossl448_available && detail::is_448(alg)) return unsupported_curve(f.crv);
  if (!f.priv) return fail(errc::malformed, "the key has no private part");
  return detail::pair_of(alg, f);
}

/// A public key from a parsed JWK / PublicKeyECDH object (or a private key object, whose
/// public half is computed).
inline result<public_key> public_key_from_json(const json::value& v) {
  DAREKIT_TRY(auto f, detail::key_fields_of(v));
  DAREKIT_TRY(auto alg, detail::curve_of(f.crv));
  if (!ossl448_available && detail::is_448(alg)) {
    if (!f.pub) return unsupported_curve(f.crv);
    return public_key{alg, *f.pub};
  }
  if (f.priv) {
    DAREKIT_TRY(auto kp, detail::pair_of(alg, f));
    return public_of(kp);
  }
  if (!f.pub || f.pub->size() != public_key_size(alg))
    return fail(errc::malformed, f.crv + " public keys are " + std::to_string(public_key_size(alg)) + " bytes");
  return public_key{alg, *f.pub};
}

/// How to read a private key.
struct key_file_options {
  std::string_view key_name;          ///< seed UDFs: the key name (HKDF info suffix; default empty)
  std::optional<key_alg> raw_hex{};   ///< also accept a raw private key of this curve as hex digits
};

/// Read a private key from the text of a key file (any of the forms above).
inline result<key_pair> parse_private_key(std::string_view text, const key_file_options& o = {}) {
  if (text.size() > max_key_file) return fail(errc::too_large, "key file larger than 64 KiB");
  const std::string_view t = detail::trim(text);
  if (t.empty()) return fail(errc::malformed, "key file is empty");
  if (t.front() == '{') {
    detail::key_document doc;
    DAREKIT_CHECK(detail::parse_key_json(t, doc));
    return private_key_from_json(doc.v);
  }
  if (o.raw_hex && t.size() % 2 == 0 && t.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos) {
    auto d = hex::decode(t);
    if (!d) return d.err();
    secure_bytes k{byte_view(*d)};
    wipe(d->data(), d->size());
    return key_pair_from_private(*o.raw_hex, k.view());
  }
  auto v = parse(t);
  if (!v) return fail(errc::malformed, "key file is neither JSON nor a UDF: " + v.err().message);
  if (v->type_code() != std::uint8_t(type_id::key_seed))
    return fail(errc::invalid_argument, "key file UDF is not a key seed (type Z)");
  return derive_key(*v, o.key_name);
}

/// Read a public key from the text of a key file: a JWK or {"PublicKeyECDH":...}, or a
/// private key (its public half).
inline result<public_key> parse_public_key(std::string_view text) {
  if (text.size() > max_key_file) return fail(errc::too_large, "key file larger than 64 KiB");
  const std::string_view t = detail::trim(text);
  if (!t.empty() && t.front() == '{') {
    detail::key_document doc;
    DAREKIT_CHECK(detail::parse_key_json(t, doc));
    return public_key_from_json(doc.v);
  }
  DAREKIT_TRY(auto kp, parse_private_key(t));
  return public_of(kp);
}

#if DAREKIT_POSIX_IO
/// Read, parse and wipe a private-key file ("-" = stdin). Errors name the file.
inline result<key_pair> load_private_key(const std::string& path, const key_file_options& o = {}) {
  DAREKIT_TRY(secure_bytes text, io::read_secret_file(path, max_key_file));
  auto k = parse_private_key(as_chars(text.view()), o);
  if (!k) return fail(k.code(), path + ": " + k.err().message);
  return k;
}

/// Read, parse and wipe a public-key file ("-" = stdin); it may hold a private key.
inline result<public_key> load_public_key(const std::string& path) {
  DAREKIT_TRY(secure_bytes text, io::read_secret_file(path, max_key_file));
  auto k = parse_public_key(as_chars(text.view()));
  if (!k) return fail(k.code(), path + ": " + k.err().message);
  return k;
}
#endif

}  // namespace darekit::udf
