// The JSON encoding of a DIM (compact, fixed key order on write; strict on read):
//   {"version":1,"peer_id":HEX,"nonce":HEX,"initial":BOOL,"rekey_counter":UINT64,
//    "kes":[{"group":31,"pub":HEX}],"lifetime":UINT32,"policies":[{"proposal":N,"encr":ID,"key_bits":N}]}
// "lifetime" and "policies" are optional; any other key, a duplicate key, a wrong type or an
// out-of-range number is an error.
#pragma once
#include <string>

#include "darekit/ckx/detail/strict_json.hpp"
#include "darekit/ckx/dim.hpp"
#include "darekit/codec/hex.hpp"

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
using jk = jvalue::kind;
inline result<const jvalue*> need(const jvalue& o, std::string_view key, jk kind, bool optional = false) {
  const jvalue* v = o.find(key);
  if (!v) {
    if (optional) return static_cast<const jvalue*>(nullptr);
    return fail(errc::malformed, "DIM JSON lacks \"" + std::string(key) + "\"");
  }
  if (v->k != kind) return fail(errc::malformed, "DIM JSON \"" + std::string(key) + "\" has the wrong type");
  return v;
}
inline result<std::uint64_t> need_uint(const jvalue& o, std::string_view key, std::uint64_t max) {
  DAREKIT_TRY(auto v, need(o, key, jk::number));
  if (v->num > max) return fail(errc::malformed, "DIM JSON \"" + std::string(key) + "\" out of range");
  return v->num;
}
inline result<bytes> need_hex(const jvalue& o, std::string_view key) {
  DAREKIT_TRY(auto v, need(o, key, jk::string));
  return hex::decode(v->str);
}
inline result<void> only_keys(const jvalue& o, std::initializer_list<std::string_view> allowed) {
  for (const auto& key : o.keys) {
    bool found = false;
    for (auto a : allowed) found = found || key == a;
    if (!found) return fail(errc::malformed, "DIM JSON has unknown key \"" + key + "\"");
  }
  return ok();
}
}  // namespace detail

/// Decode a JSON DIM strictly (size <= 16 KiB, depth <= 4, schema above), then validate().
inline result<dim> decode_json(std::string_view text) {
  using detail::jk;
  if (text.size() > dim_limits::max_json) return fail(errc::too_large, "JSON DIM larger than 16 KiB");
  DAREKIT_TRY(auto root, detail::jparser(text).parse());
  if (root.k != jk::object) return fail(errc::malformed, "DIM JSON is not an object");
  DAREKIT_CHECK(detail::only_keys(root, {"version", "peer_id", "nonce", "initial", "rekey_counter", "kes", "lifetime", "policies"}));
  DAREKIT_TRY(auto ver, detail::need_uint(root, "version", 255));
  if (ver != 1) return fail(errc::unsupported, "DIM JSON version " + std::to_string(ver));
  dim d;
  DAREKIT_TRY(d.peer_id, detail::need_hex(root, "peer_id"));
  DAREKIT_TRY(d.nonce, detail::need_hex(root, "nonce"));
  DAREKIT_TRY(auto init, detail::need(root, "initial", jk::boolean));
  d.initial = init->b;
  DAREKIT_TRY(d.rekey_counter, detail::need_uint(root, "rekey_counter", UINT64_MAX));
  DAREKIT_TRY(auto kes, detail::need(root, "kes", jk::array));
  if (kes->items.empty() || kes->items.size() > dim_limits::max_kes) return fail(errc::malformed, "DIM must carry 1..4 KE values");
  for (const auto& k : kes->items) {
    if (k.k != jk::object) return fail(errc::malformed, "DIM JSON KE is not an object");
    DAREKIT_CHECK(detail::only_keys(k, {"group", "pub"}));
    DAREKIT_TRY(auto g, detail::need_uint(k, "group", 65535));
    if (g != unsigned(dh_group::curve25519)) return fail(errc::unsupported, "DIM KE uses unsupported DH group " + std::to_string(g));
    DAREKIT_TRY(auto pub, detail::need_hex(k, "pub"));
    if (pub.size() != 32) return fail(errc::malformed, "X25519 KE value must be 32 bytes");
    ke_value kv;
    std::copy(pub.begin(), pub.end(), kv.pub.begin());
    d.kes.push_back(kv);
  }
  DAREKIT_TRY(auto lt, detail::need(root, "lifetime", jk::number, true));
  if (lt) {
    if (lt->num > UINT32_MAX) return fail(errc::malformed, "DIM JSON lifetime out of range");
    d.lifetime_s = std::uint32_t(lt->num);
  }
  DAREKIT_TRY(auto pols, detail::need(root, "policies", jk::array, true));
  if (pols) {
    if (pols->items.size() > dim_limits::max_policies) return fail(errc::too_large, "DIM carries more than 16 policies");
    for (const auto& p : pols->items) {
      if (p.k != jk::object) return fail(errc::malformed, "DIM JSON policy is not an object");
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
