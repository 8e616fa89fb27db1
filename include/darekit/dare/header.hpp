// The DARE header/trailer model (spec §3.3). A header (and a trailer, which has the
// same schema: "header inherits from trailer") is a JSON object whose members are
// kept in order, unknown members included, so every field round-trips. Typed
// accessors cover the fields darekit interprets. Binary fields arrive as base64url
// strings in JSON text and as `88` values in JSON-B; normalise() turns the known
// binary fields into binary values so both encodings give the same model (and the
// same canonical JSON-B bytes, which the AEAD profiles authenticate).
#pragma once
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "darekit/codec/json.hpp"
#include "darekit/codec/jsonb.hpp"
#include "darekit/crypto/sha2.hpp"

namespace darekit::dare {

/// JSON member names of spec §3.3 (exact, case-sensitive).
namespace field {
inline constexpr std::string_view envelope_id = "EnvelopeId", enc = "enc", dig = "dig", kid = "kid", salt = "Salt",
                                  malt = "Malt", cloaked = "cloaked", annotations = "annotations",
                                  recipients = "recipients", policy = "policy", content_meta = "ContentMetaData",
                                  sequence_info = "SequenceInfo", sequence_index = "SequenceIndex",
                                  received = "Received", cover = "Cover", bitmask = "Bitmask", debug = "Debug",
                                  witness_value = "WitnessValue", payload_tag = "PayloadTag",
                                  payload_digest = "PayloadDigest", chain_digest = "ChainDigest",
                                  apex_digest = "ApexDigest", tree_digest = "TreeDigest",
                                  signatures = "signatures", application_context = "ApplicationContextValue",
                                  signed_data = "SignedData", sequence_signed_data = "SequenceSignedData";
}  // namespace field

namespace detail {
inline constexpr std::string_view top_binary[] = {
    "WitnessValue", "PayloadTag", "PayloadDigest", "ChainDigest", "ApexDigest", "TreeDigest",
    "ApplicationContextValue", "SignedData", "SequenceSignedData", "Salt", "Malt", "cloaked",
    "ContentMetaData", "Cover", "Bitmask"};
inline constexpr std::string_view recipient_binary[] = {"wmk", "ek"};
inline constexpr std::string_view signature_binary[] = {"signature", "witness", "Manifest"};

inline bool contains(std::span<const std::string_view> names, std::string_view n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}
inline result<void> to_binary(json::value& v, std::string_view what) {
  if (v.is_binary()) return ok();
  if (!v.is_string()) return fail(errc::malformed, std::string(what) + " must be binary data");
  auto b = v.to_bytes();
  if (!b) return fail(errc::malformed, std::string(what) + ": " + b.err().message);
  v = json::value(std::move(*b));
  return ok();
}
// {"PublicKeyECDH":{"Public":...}} / {"PrivateKeyECDH":{"Private":...}}
inline result<void> normalise_key(json::value& k) {
  if (!k.is_object()) return ok();
  for (auto& [name, inner] : k.as_object()) {
    if (!inner.is_object()) continue;
    for (auto& [n, v] : inner.as_object())
      if (n == "Public" || n == "Private") DAREKIT_CHECK(to_binary(v, n));
  }
  return ok();
}
}  // namespace detail

/// A DARE header or trailer.
class header {
 public:
  header() = default;
  /// Wrap a parsed object (call normalise() on data read from outside).
  explicit header(json::value obj) : v_(obj.is_object() ? std::move(obj) : json::value(json::object{})) {}

  /// Convert every known binary field given as a base64url string to binary; fails on
  /// a known field of the wrong type. Unknown fields are left as they are.
  static result<header> from_value(json::value v) {
    if (!v.is_object()) return fail(errc::malformed, "a DARE header/trailer must be an object");
    header h(std::move(v));
    DAREKIT_CHECK(h.normalise());
    return h;
  }

  result<void> normalise() {
    for (auto& [name, v] : v_.as_object()) {
      if (detail::contains(detail::top_binary, name)) {
        DAREKIT_CHECK(detail::to_binary(v, name));
      } else if (name == field::annotations) {
        if (!v.is_array()) return fail(errc::malformed, "annotations must be an array");
        for (auto& a : v.as_array()) DAREKIT_CHECK(detail::to_binary(a, "annotation"));
      } else if (name == field::recipients || name == field::signatures) {
        if (!v.is_array()) return fail(errc::malformed, name + " must be an array");
        const bool rec = name == field::recipients;
        for (auto& e : v.as_array()) {
          if (!e.is_object()) return fail(errc::malformed, name + " entries must be objects");
          for (auto& [n, x] : e.as_object()) {
            if (detail::contains(rec ? std::span<const std::string_view>(detail::recipient_binary)
                                    : std::span<const std::string_view>(detail::signature_binary), n))
              DAREKIT_CHECK(detail::to_binary(x, n));
            else if (n == "epk" || n == "SignatureKey")
              DAREKIT_CHECK(detail::normalise_key(x));
          }
        }
      }
    }
    return ok();
  }

  /// The underlying object (members in order).
  [[nodiscard]] const json::value& value() const noexcept { return v_; }
  [[nodiscard]] json::value& value() noexcept { return v_; }
  [[nodiscard]] bool empty() const { return v_.as_object().empty(); }

  [[nodiscard]] const json::value* find(std::string_view name) const { return v_.find(name); }
  [[nodiscard]] bool has(std::string_view name) const { return find(name) != nullptr; }
  void set(std::string_view name, json::value v) { v_.set(name, std::move(v)); }
  bool erase(std::string_view name) { return v_.erase(name); }

  /// A string member, if present and a string.
  [[nodiscard]] std::optional<std::string> get_string(std::string_view name) const {
    const auto* p = find(name);
    if (!p || !p->is_string()) return std::nullopt;
    return p->as_string();
  }
  /// A binary member (after normalise()), if present.
  [[nodiscard]] std::optional<bytes> get_binary(std::string_view name) const {
    const auto* p = find(name);
    if (!p) return std::nullopt;
    auto b = p->to_bytes();
    if (!b) return std::nullopt;
    return *b;
  }
  /// An array member (or an empty array).
  [[nodiscard]] const json::array& get_array(std::string_view name) const {
    static const json::array none;
    const auto* p = find(name);
    return p && p->is_array() ? p->as_array() : none;
  }

  // Typed accessors of the common fields.
  [[nodiscard]] std::optional<std::string> enc() const { return get_string(field::enc); }
  [[nodiscard]] std::optional<std::string> dig() const { return get_string(field::dig); }
  [[nodiscard]] std::optional<bytes> salt() const { return get_binary(field::salt); }
  [[nodiscard]] std::optional<bytes> payload_digest() const { return get_binary(field::payload_digest); }
  [[nodiscard]] std::optional<bytes> payload_tag() const { return get_binary(field::payload_tag); }
  [[nodiscard]] std::optional<bytes> chain_digest() const { return get_binary(field::chain_digest); }
  /// ApexDigest, or its pre-2024 name TreeDigest.
  [[nodiscard]] std::optional<bytes> apex_digest() const {
    auto a = get_binary(field::apex_digest);
    return a ? a : get_binary(field::tree_digest);
  }
  [[nodiscard]] std::optional<bytes> witness_value() const { return get_binary(field::witness_value); }
  [[nodiscard]] std::optional<bytes> content_meta() const { return get_binary(field::content_meta); }
  [[nodiscard]] const json::array& recipients() const { return get_array(field::recipients); }
  [[nodiscard]] const json::array& signatures() const { return get_array(field::signatures); }
  [[nodiscard]] const json::array& annotations() const { return get_array(field::annotations); }

  /// Strict compact JSON text.
  [[nodiscard]] std::string to_json() const { return json::to_string(v_); }
  /// JSON-B (reference writer form). This is also the canonical form authenticated by
  /// the AEAD profiles.
  [[nodiscard]] bytes to_jsonb() const { return jsonb::encode(v_); }

  /// The 32-byte header binding of the AEAD profiles: SHA-256 of the canonical JSON-B
  /// encoding of the (normalised) header (docs/FORMAT.md).
  [[nodiscard]] digest256 binding() const { return binding_of(to_jsonb()); }
  /// The binding of a header whose canonical JSON-B bytes are already at hand.
  [[nodiscard]] static digest256 binding_of(byte_view canonical_jsonb) {
    sha256 h;
    h.update(canonical_jsonb);
    return h.finish();
  }

 private:
  json::value v_{json::object{}};
};

/// A trailer has the header's schema.
using trailer = header;

}  // namespace darekit::dare
