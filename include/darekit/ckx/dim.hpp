// The Device Information Message (draft §6): what a device publishes through the controller
// for each DH pair, and its versioned binary encoding (strict, bounded parser).
#pragma once
#include <optional>
#include <vector>

#include "darekit/ckx/schedule.hpp"
#include "darekit/ckx/types.hpp"
#include "darekit/ckx/x25519.hpp"
#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"

namespace darekit::ckx {

/// One KE value: a DH group and its public value (group 31: the 32-byte u-coordinate).
struct ke_value {
  dh_group group = dh_group::curve25519;
  x25519_public pub{};
  friend bool operator==(const ke_value&, const ke_value&) = default;
};

/// A Device Information Message.
struct dim {
  bytes peer_id;                         ///< identity matched against the local PAD (1..255 bytes)
  bytes nonce;                           ///< fresh with every DH pair (16..64 bytes; the profile uses 32)
  bool initial = false;                  ///< "initial contact": discard earlier state of this peer
  std::uint64_t rekey_counter = 0;       ///< high 32 bits boot count, low 32 a counter from 1 [D A.3.2]
  std::vector<ke_value> kes;             ///< >= 1, preference order, one per group
  std::optional<std::uint32_t> lifetime_s;  ///< bounds the use of this DH value
  std::vector<policy> policies;          ///< preference order; empty = pre-provisioned (profile default)
  friend bool operator==(const dim&, const dim&) = default;
};

/// Limits every DIM parser enforces.
struct dim_limits {
  static constexpr std::size_t max_peer_id = 255, max_kes = 4, max_policies = 16;
  static constexpr std::size_t max_binary = 4096, max_json = 16384;
};

/// Build a DIM for a key pair (the `dim_builder` of spec §0.3).
inline dim make_dim(byte_view peer_id, const x25519_public& pub, byte_view nonce, std::uint64_t rekey_counter,
                    std::vector<policy> policies = {}, bool initial = false,
                    std::optional<std::uint32_t> lifetime_s = std::nullopt) {
  dim d;
  d.peer_id = to_bytes(peer_id);
  d.nonce = to_bytes(nonce);
  d.initial = initial;
  d.rekey_counter = rekey_counter;
  d.kes.push_back({dh_group::curve25519, pub});
  d.lifetime_s = lifetime_s;
  d.policies = std::move(policies);
  return d;
}

/// Semantic checks shared by every decoder (and run before encoding).
inline result<void> validate(const dim& d) {
  if (d.peer_id.empty() || d.peer_id.size() > dim_limits::max_peer_id)
    return fail(errc::malformed, "DIM peer_id must be 1..255 bytes");
  if (d.nonce.size() < min_nonce || d.nonce.size() > max_nonce) return fail(errc::malformed, "DIM nonce must be 16..64 bytes");
  if (d.kes.empty() || d.kes.size() > dim_limits::max_kes) return fail(errc::malformed, "DIM must carry 1..4 KE values");
  for (std::size_t i = 0; i < d.kes.size(); ++i) {
    if (d.kes[i].group != dh_group::curve25519) return fail(errc::unsupported, "DIM KE uses an unsupported DH group");
    for (std::size_t j = 0; j < i; ++j)
      if (d.kes[j].group == d.kes[i].group) return fail(errc::malformed, "DIM repeats a DH group");
  }
  if (d.policies.size() > dim_limits::max_policies) return fail(errc::too_large, "DIM carries more than 16 policies");
  for (std::size_t i = 0; i < d.policies.size(); ++i) {
    if (d.policies[i].proposal_num == 0) return fail(errc::malformed, "DIM policy proposal number 0");
    for (std::size_t j = 0; j < i; ++j)
      if (d.policies[j].proposal_num == d.policies[i].proposal_num) return fail(errc::malformed, "DIM repeats a proposal number");
  }
  return ok();
}

/// Binary encoding, version 1 (all integers big-endian):
///   "CKXD" | version 1 | flags (bit0 initial, bit1 lifetime; others 0) | rekey_counter:8 |
///   nonce_len:1 | nonce | peer_id_len:1 | peer_id | ke_count:1 | { group:2 | len:2 | value } |
///   [lifetime_s:4] | policy_count:1 | { proposal_num:1 | encr:2 | key_bits:2 }
/// and nothing after it.
inline constexpr std::uint8_t dim_binary_version = 1;
inline constexpr std::string_view dim_magic = "CKXD";

inline result<bytes> encode_binary(const dim& d) {
  DAREKIT_CHECK(validate(d));
  bytes out;
  append(out, as_bytes(dim_magic));
  out.push_back(dim_binary_version);
  out.push_back(std::uint8_t((d.initial ? 1 : 0) | (d.lifetime_s ? 2 : 0)));
  std::uint8_t b8[8];
  store_be64(b8, d.rekey_counter);
  append(out, byte_view(b8, 8));
  out.push_back(std::uint8_t(d.nonce.size()));
  append(out, d.nonce);
  out.push_back(std::uint8_t(d.peer_id.size()));
  append(out, d.peer_id);
  out.push_back(std::uint8_t(d.kes.size()));
  for (const auto& k : d.kes) {
    out.push_back(0); out.push_back(std::uint8_t(k.group));
    out.push_back(0); out.push_back(32);
    append(out, k.pub);
  }
  if (d.lifetime_s) { std::uint8_t b4[4]; store_be32(b4, *d.lifetime_s); append(out, byte_view(b4, 4)); }
  out.push_back(std::uint8_t(d.policies.size()));
  for (const auto& p : d.policies) {
    out.push_back(p.proposal_num);
    out.push_back(std::uint8_t(std::uint16_t(p.encr) >> 8)); out.push_back(std::uint8_t(p.encr));
    out.push_back(std::uint8_t(p.key_bits >> 8)); out.push_back(std::uint8_t(p.key_bits));
  }
  return out;
}

namespace detail {
/// Bounds-checked big-endian reader.
struct reader {
  byte_view in;
  std::size_t pos = 0;
  result<byte_view> take(std::size_t n) {
    if (n > in.size() - pos) return fail(errc::truncated, "DIM ends early");
    auto v = in.subspan(pos, n);
    pos += n;
    return v;
  }
  result<std::uint8_t> u8() { DAREKIT_TRY(auto v, take(1)); return v[0]; }
  result<std::uint16_t> u16() { DAREKIT_TRY(auto v, take(2)); return std::uint16_t(v[0] << 8 | v[1]); }
  result<std::uint32_t> u32() { DAREKIT_TRY(auto v, take(4)); return load_be32(v.data()); }
  result<std::uint64_t> u64() { DAREKIT_TRY(auto v, take(8)); return load_be64(v.data()); }
};
}  // namespace detail

/// Decode a binary DIM strictly: magic, version, reserved flag bits, every length and count
/// bounded, no trailing bytes, then validate().
inline result<dim> decode_binary(byte_view in) {
  if (in.size() > dim_limits::max_binary) return fail(errc::too_large, "binary DIM larger than 4096 bytes");
  detail::reader r{in};
  DAREKIT_TRY(auto magic, r.take(4));
  if (as_chars(magic) != dim_magic) return fail(errc::malformed, "not a binary DIM (magic)");
  DAREKIT_TRY(auto ver, r.u8());
  if (ver != dim_binary_version) return fail(errc::unsupported, "binary DIM version " + std::to_string(ver));
  DAREKIT_TRY(auto flags, r.u8());
  if (flags & ~3u) return fail(errc::malformed, "binary DIM has reserved flag bits set");
  dim d;
  d.initial = flags & 1;
  DAREKIT_TRY(d.rekey_counter, r.u64());
  DAREKIT_TRY(auto nl, r.u8());
  if (nl < min_nonce || nl > max_nonce) return fail(errc::malformed, "DIM nonce must be 16..64 bytes");
  DAREKIT_TRY(auto nonce, r.take(nl));
  d.nonce = to_bytes(nonce);
  DAREKIT_TRY(auto il, r.u8());
  DAREKIT_TRY(auto id, r.take(il));
  d.peer_id = to_bytes(id);
  DAREKIT_TRY(auto nk, r.u8());
  if (nk == 0 || nk > dim_limits::max_kes) return fail(errc::malformed, "DIM must carry 1..4 KE values");
  for (unsigned i = 0; i < nk; ++i) {
    DAREKIT_TRY(auto g, r.u16());
    DAREKIT_TRY(auto len, r.u16());
    if (g != std::uint16_t(dh_group::curve25519)) return fail(errc::unsupported, "DIM KE uses unsupported DH group " + std::to_string(g));
    if (len != 32) return fail(errc::malformed, "X25519 KE value must be 32 bytes");
    DAREKIT_TRY(auto v, r.take(32));
    ke_value k;
    std::copy(v.begin(), v.end(), k.pub.begin());
    d.kes.push_back(k);
  }
  if (flags & 2) { DAREKIT_TRY(auto lt, r.u32()); d.lifetime_s = lt; }
  DAREKIT_TRY(auto np, r.u8());
  if (np > dim_limits::max_policies) return fail(errc::too_large, "DIM carries more than 16 policies");
  for (unsigned i = 0; i < np; ++i) {
    policy p;
    DAREKIT_TRY(p.proposal_num, r.u8());
    DAREKIT_TRY(auto e, r.u16());
    p.encr = encr_id(e);
    DAREKIT_TRY(p.key_bits, r.u16());
    d.policies.push_back(p);
  }
  if (r.pos != in.size()) return fail(errc::malformed, "trailing bytes after binary DIM");
  DAREKIT_CHECK(validate(d));
  return d;
}

}  // namespace darekit::ckx
