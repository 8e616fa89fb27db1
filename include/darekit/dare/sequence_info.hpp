// What the headers of a DARE sequence say (spec §7, §8.3, DESIGN.md §3): the sequence
// description in frame 0 (type, integrity mode, digest, encryption policy and recipients,
// SequenceId, checkpoint origin) and the position fields of every frame (Index,
// TreePosition, ExchangePosition, the erased mark). Reads the 2023/2024 SequenceInfo form
// and the older one with top-level Index/ContainerType.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "darekit/codec/base64.hpp"
#include "darekit/dare/algorithms.hpp"
#include "darekit/dare/header.hpp"
#include "darekit/dare/keys.hpp"
#include "darekit/dare/recipient.hpp"
#include "darekit/udf/fixed.hpp"
#include "darekit/udf/presentation.hpp"

namespace darekit::dare {

/// Sequence types (SequenceInfo.ContainerType).
enum class sequence_type { list, digest, chain, tree, merkle };
/// How the digests of a sequence link frames (DESIGN.md §3).
enum class integrity {
  compat,  ///< the reference's digests, bit for bit (no cross-frame linkage)
  linked,  ///< real chain and RFC 9162 Merkle tree (darekit's default)
};
/// Incremental encryption policies (spec §7).
enum class key_policy { none, isolated, once, session };

constexpr std::string_view type_name(sequence_type t) noexcept {
  constexpr std::string_view n[] = {"List", "Digest", "Chain", "Tree", "Merkle"};
  return n[int(t)];
}
inline result<sequence_type> parse_type(std::string_view s) {
  for (int i = 0; i < 5; ++i)
    if (s == type_name(sequence_type(i))) return sequence_type(i);
  return fail(errc::unsupported, "unknown sequence type \"" + std::string(s) + "\"");
}
constexpr std::string_view policy_name(key_policy p) noexcept {
  constexpr std::string_view n[] = {"None", "Isolated", "Once", "Session"};
  return n[int(p)];
}
inline result<key_policy> parse_policy(std::string_view s) {
  for (int i = 0; i < 4; ++i)
    if (s == policy_name(key_policy(i))) return key_policy(i);
  return fail(errc::unsupported, "unknown encryption policy \"" + std::string(s) + "\"");
}

/// PreviousFrame of draft Appendix C: the frame a Tree/Merkle frame's TreePosition points at.
constexpr std::uint64_t previous_frame(std::uint64_t frame) noexcept {
  std::uint64_t x2 = frame + 1, d = 1;
  while (x2 > 0) {
    if (x2 & 1) return x2 == 1 ? d / 2 - 1 : frame - d;
    d *= 2;
    x2 /= 2;
  }
  return 0;
}

namespace field {
inline constexpr std::string_view erased = "Erased", merkle_nodes = "MerkleNodes";
}

/// The position fields of one frame header.
struct frame_position {
  std::optional<std::uint64_t> index;              ///< absent in the oldest reference files
  std::optional<std::uint64_t> tree_position;      ///< byte offset of frame previous_frame(index)
  std::optional<std::uint64_t> exchange_position;  ///< frame index of the key exchange
  bool erased = false;                             ///< the frame was erased (DESIGN.md §3)

  static result<frame_position> of(const header& h) {
    frame_position p;
    auto num = [](const json::value* v, const char* what) -> result<std::optional<std::uint64_t>> {
      if (!v) return std::optional<std::uint64_t>();
      auto i = v->to_int64();
      if (!i || *i < 0) return fail(errc::malformed, std::string("SequenceInfo.") + what + " must be a non-negative integer");
      return std::optional<std::uint64_t>(std::uint64_t(*i));
    };
    const json::value* si = h.find(field::sequence_info);
    if (si && !si->is_object()) return fail(errc::malformed, "SequenceInfo must be an object");
    const json::value& src = si ? *si : h.value();  // the oldest form: top-level Index
    DAREKIT_TRY(p.index, num(src.find("Index"), "Index"));
    DAREKIT_TRY(p.tree_position, num(src.find("TreePosition"), "TreePosition"));
    DAREKIT_TRY(p.exchange_position, num(src.find("ExchangePosition"), "ExchangePosition"));
    if (const auto* e = h.find(field::erased)) p.erased = e->is_bool() && e->as_bool();
    return p;
  }
};

/// The description of a sequence, from (and for) its frame 0.
struct sequence_info {
  sequence_type type = sequence_type::merkle;
  integrity mode = integrity::linked;
  digest_alg dig = digest_alg::s512;
  bool binary_headers = true;              ///< data frame headers/trailers in JSON-B ("JSON_B"), else JSON text
  key_policy policy = key_policy::none;
  enc_alg enc = enc_alg::none;             ///< frame encryption
  std::vector<public_key> encrypt_to;      ///< policy.EncryptKeys
  std::optional<error> key_problem;        ///< why a policy key could not be used (appends then fail)
  std::optional<bytes> id;                 ///< SequenceId (linked sequences)
  std::string name;                        ///< a user-given checkpoint origin, if any

  [[nodiscard]] bool tree() const noexcept { return type == sequence_type::tree || type == sequence_type::merkle; }
  [[nodiscard]] bool digests() const noexcept {
    return type == sequence_type::digest || type == sequence_type::chain || type == sequence_type::merkle;
  }
  [[nodiscard]] bool merkle_proofs() const noexcept { return mode == integrity::linked && type == sequence_type::merkle; }

  /// The C2SP checkpoint origin: the given name, or darekit/seq/ + the SequenceId as a UDF nonce.
  [[nodiscard]] std::string origin() const {
    if (!name.empty()) return name;
    if (id) {
      if (auto v = udf::make_nonce(*id)) return "darekit/seq/" + udf::to_string(*v);
    }
    return "darekit/seq/unnamed";
  }

  /// Read frame 0's header.
  static result<sequence_info> from_frame0(const header& h) {
    sequence_info s;
    const json::value* si = h.find(field::sequence_info);
    if (si && !si->is_object()) return fail(errc::malformed, "SequenceInfo must be an object");
    const json::value& src = si ? *si : h.value();
    auto str = [&](std::string_view n) -> std::optional<std::string> {
      const auto* v = src.find(n);
      return v && v->is_string() ? std::optional<std::string>(v->as_string()) : std::nullopt;
    };
    if (auto t = str("ContainerType")) { DAREKIT_TRY(s.type, parse_type(*t)); }
    else return fail(errc::malformed, "frame 0 names no sequence type (ContainerType)");
    s.mode = str("Integrity") == std::optional<std::string>("Linked") ? integrity::linked : integrity::compat;
    s.binary_headers = str("DataEncoding") == std::optional<std::string>("JSON_B");
    if (auto d = h.dig()) { DAREKIT_TRY(s.dig, parse_digest(*d)); }
    if (s.digests() && s.dig != digest_alg::s512 && s.dig != digest_alg::s256)
      return fail(errc::unsupported, "sequence digest must be S512 or S256");
    if (auto id = str("SequenceId")) {
      auto b = base64::decode_url(*id);
      if (!b || b->size() != 16) return fail(errc::malformed, "SequenceId must be 16 bytes of base64url");
      s.id = std::move(*b);
    }
    if (auto o = str("Origin")) s.name = *o;
    if (s.mode == integrity::linked && !s.id) return fail(errc::malformed, "a linked sequence needs a SequenceId");
    if (const auto* pol = h.find(field::policy)) {
      if (!pol->is_object()) return fail(errc::malformed, "policy must be an object");
      if (const auto* ks = pol->find("EncryptKeys")) {
        if (!ks->is_array()) return fail(errc::malformed, "policy.EncryptKeys must be an array");
        if (ks->as_array().size() > max_recipients) return fail(errc::too_large, "too many policy.EncryptKeys");
        for (const auto& k : ks->as_array()) {
          // A key we cannot use (the reference writes 57-byte "X448" keys here) leaves
          // the sequence readable; appending to it reports the problem.
          auto pk = public_key_from_json(k);
          if (pk) s.encrypt_to.push_back(std::move(*pk));
          else if (!s.key_problem) s.key_problem = pk.err();
        }
      }
      const auto* e = pol->find("Encryption");
      if (e && !e->is_string()) return fail(errc::malformed, "policy.Encryption must be a string");
      if (e) { DAREKIT_TRY(s.policy, parse_policy(e->as_string())); }
      else if (!s.encrypt_to.empty()) s.policy = key_policy::isolated;  // the reference's default
      const auto* pe = pol->find("enc");
      if (pe && !pe->is_string()) return fail(errc::malformed, "policy.enc must be a string");
      if (s.policy != key_policy::none) {
        // The reference writes "enc":"none" meaning its default, A256CBC.
        s.enc = enc_alg::a256cbc;
        if (pe && pe->as_string() != "none") { DAREKIT_TRY(s.enc, parse_enc(pe->as_string())); }
      }
    }
    return s;
  }

  /// Frame 0's header for a new sequence (the reference's member order).
  [[nodiscard]] header frame0_header() const {
    header h;
    json::object pol;
    if (policy != key_policy::none) {
      if (mode == integrity::compat) {
        pol = json::object{{"enc", "none"}, {"dig", "none"}};  // what the reference reads as A256CBC
      } else {
        pol.emplace_back("Encryption", std::string(policy_name(policy)));
        pol.emplace_back("enc", std::string(enc_name(enc)));
      }
      json::array ks;
      for (const auto& k : encrypt_to) ks.push_back(k.to_json());
      pol.emplace_back("EncryptKeys", std::move(ks));
      if (mode == integrity::compat && policy != key_policy::isolated)
        pol.emplace_back("Encryption", std::string(policy_name(policy)));
    }
    h.set(field::policy, std::move(pol));
    h.set(field::content_meta, bytes{'{', '}'});
    json::object si{{"DataEncoding", binary_headers ? "JSON_B" : "JSON"}, {"ContainerType", std::string(type_name(type))},
                    {"Index", 0}};
    if (mode == integrity::linked) {
      si.emplace_back("Integrity", "Linked");
      if (id) si.emplace_back("SequenceId", base64::encode_url(*id));
      if (!name.empty()) si.emplace_back("Origin", name);
    }
    h.set(field::sequence_info, std::move(si));
    if (digests()) h.set(field::dig, std::string(digest_name(dig)));
    return h;
  }
};

}  // namespace darekit::dare
