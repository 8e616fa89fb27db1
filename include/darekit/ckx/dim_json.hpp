// The JSON encoding of a DIM (compact, fixed key order on write; strict on read):
//   {"version":1,"peer_id":HEX,"nonce":HEX,"initial":BOOL,"rekey_counter":UINT64,
//    "kes":[{"group":31,"pub":HEX}],"lifetime":UINT32,"policies":[{"proposal":N,"encr":ID,"key_bits":N}]}
// "lifetime" and "policies" are optional; any other key, a duplicate key, a wrong type or an
// out-of-range number is an error. Read by the codec's JSON reader in strict-text mode.
#pragma once
#include <string>

#include "darekit/ckx/dim.hpp"
#include "darekit/codec/hex.hpp"
#include "darekit/codec/jsonb.hpp"

namespace darekit::ckx {

inline result<std::string> encode_json(const dim& d) {
  DAREKIT_CHECK(validate(d));
  std::string s = "{\"version\":1,\"peer_id\":\"" + hex::encode(d.peer_id) + "\",\"nonce\":\"" + hex::encode(d.nonce) +
                  "\",\"initial\":" + (d.initial ? "true" : "false") + ",\"rekey_counter\":" + std::to_string(d.rekey_counter) +
                  ",\"kes\":[";
  for (std::size_t i = 0; i < d.kes.size(); ++i)
    s += std::string(i ? "," : "") + "{\"group\":" + std::to_string(unsigned(d.kes[i].group)) + ",\"pub\":\"" + hex::encode(d.kes[i].pub) + "\"}";
  s += "]";
  if (d.lifetime_s) s += ",\"lifetime\":" + std::to_string(*d.lifetime_s);
  if (!d.policies.empty()) {
    s += ",\"policies\":[";
    for (std::size_t i = 0; i < d.policies.size(); ++i) {
      const auto& p = d.policies[i];
      s += std::string(i ? "," : "") + "{\"proposal\":" + std::to_string(unsigned(p.proposal_num)) + ",\"encr\":" +
           std::to_string(unsigned(p.encr)) + ",\"key_bits\":" + std::to_string(unsigned(p.key_bits)) + "}";
    }
    s += "]";
  }
  s += "}";
  return s;
}

namespace detail {
inline error dim_json_error(std::string_view key, const char* what) {
  return fail(errc::malformed, "DIM JSON \"" + std::string(key) + "\" " + what);
}
inline result<const json::value*> need(const json::value& o, std::string_view key, json::kind kind, bool optional = false) {
  const json::value* v = o.find(key);
  if (!v) {
    if (optional) return static_cast<const json::value*>(nullptr);
    return fail(errc::malformed, "DIM JSON lacks \"" + std::string(key) + "\"");
  }
  if (v->kind() != kind) return dim_json_error(key, "has the wrong type");
  return v;
}
inline result<std::uint64_t> uint_of(const json::value& v, std::string_view key, std::uint64_t max) {
  if (!v.is_integer() || (v.as_integer().negative && v.as_integer().magnitude)) return dim_json_error(key, "is not a non-negative integer");
  if (v.as_integer().magnitude > max) return dim_json_error(key, "out of range");
  return v.as_integer().magnitude;
}
inline result<std::uint64_t> need_uint(const json::value& o, std::string_view key, std::uint64_t max) {
  const json::value* v = o.find(key);
  if (!v) return fail(errc::malformed, "DIM JSON lacks \"" + std::string(key) + "\"");
  return uint_of(*v, key, max);
}
inline result<bytes> need_hex(const json::value& o, std::string_view key) {
  DAREKIT_TRY(auto v, need(o, key, json::kind::string));
  return hex::decode(v->as_string());
}
inline result<void> only_keys(const json::value& o, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, v] : o.as_object()) {
    bool found = false;
    for (auto a : allowed) found = found || key == a;
    if (!found) return fail(errc::malformed, "DIM JSON has unknown key \"" + key + "\"");
  }
  return ok();
}
}  // namespace detail

/// Decode a JSON DIM strictly (size <= 16 KiB, depth <= 4, at most 256 values, strict
/// RFC 8259 text, the schema above), then validate().
inline result<dim> decode_json(std::string_view text) {
  using json::kind;
  if (text.size() > dim_limits::max_json) return fail(errc::too_large, "JSON DIM larger than 16 KiB");
  jsonb::read_options ro;
  ro.lim = {.max_depth = 4, .max_string = dim_limits::max_json, .max_items = 256, .max_bytes = dim_limits::max_json};
  ro.strict_text = true;
  auto parsed = jsonb::parse(as_bytes(text), ro);
  if (!parsed) return fail(parsed.code(), "DIM JSON: " + parsed.err().message);
  const json::value& root = *parsed;
  if (!root.is_object()) return fail(errc::malformed, "DIM JSON is not an object");
  DAREKIT_CHECK(detail::only_keys(root, {"version", "peer_id", "nonce", "initial", "rekey_counter", "kes", "lifetime", "policies"}));
  DAREKIT_TRY(auto ver, detail::need_uint(root, "version", 255));
  if (ver != 1) return fail(errc::unsupported, "DIM JSON version " + std::to_string(ver));
  dim d;
  DAREKIT_TRY(d.peer_id, detail::need_hex(root, "peer_id"));
  DAREKIT_TRY(d.nonce, detail::need_hex(root, "nonce"));
  DAREKIT_TRY(auto init, detail::need(root, "initial", kind::boolean));
  d.initial = init->as_bool();
  DAREKIT_TRY(d.rekey_counter, detail::need_uint(root, "rekey_counter", UINT64_MAX));
  DAREKIT_TRY(auto kes, detail::need(root, "kes", kind::array));
  if (kes->as_array().empty() || kes->as_array().size() > dim_limits::max_kes) return fail(errc::malformed, "DIM must carry 1..4 KE values");
  for (const auto& k : kes->as_array()) {
    if (!k.is_object()) return fail(errc::malformed, "DIM JSON KE is not an object");
    DAREKIT_CHECK(detail::only_keys(k, {"group", "pub"}));
    DAREKIT_TRY(auto g, detail::need_uint(k, "group", 65535));
    if (g != unsigned(dh_group::curve25519)) return fail(errc::unsupported, "DIM KE uses unsupported DH group " + std::to_string(g));
    DAREKIT_TRY(auto pub, detail::need_hex(k, "pub"));
    if (pub.size() != 32) return fail(errc::malformed, "X25519 KE value must be 32 bytes");
    ke_value kv;
    std::copy(pub.begin(), pub.end(), kv.pub.begin());
    d.kes.push_back(kv);
  }
  if (const auto* lt = root.find("lifetime")) {
    DAREKIT_TRY(auto v, detail::uint_of(*lt, "lifetime", UINT32_MAX));
    d.lifetime_s = std::uint32_t(v);
  }
  DAREKIT_TRY(auto pols, detail::need(root, "policies", kind::array, true));
  if (pols) {
    if (pols->as_array().size() > dim_limits::max_policies) return fail(errc::too_large, "DIM carries more than 16 policies");
    for (const auto& p : pols->as_array()) {
      if (!p.is_object()) return fail(errc::malformed, "DIM JSON policy is not an object");
      DAREKIT_CHECK(detail::only_keys(p, {"proposal", "encr", "key_bits"}));
      policy pol;
      DAREKIT_TRY(auto pn, detail::need_uint(p, "proposal", 255));
      DAREKIT_TRY(auto e, detail::need_uint(p, "encr", 65535));
      DAREKIT_TRY(auto kb, detail::need_uint(p, "key_bits", 65535));
      pol.proposal_num = std::uint8_t(pn);
      pol.encr = encr_id(e);
      pol.key_bits = std::uint16_t(kb);
      d.policies.push_back(pol);
    }
  }
  DAREKIT_CHECK(validate(d));
  return d;
}

/// Decode either encoding: JSON when the first non-blank byte is '{', binary otherwise.
inline result<dim> decode_any(byte_view in) {
  std::size_t i = 0;
  while (i < in.size() && (in[i] == ' ' || in[i] == '\t' || in[i] == '\n' || in[i] == '\r')) ++i;
  if (i < in.size() && in[i] == '{') return decode_json(as_chars(in));
  return decode_binary(in);
}

}  // namespace darekit::ckx
