// Building the bytes of sequence frames (spec §8.2, §8.7): the header of frame k with its
// position fields and per-frame crypto, the stored payload, and the trailer, whose length
// is fixed before the payload is streamed (digests have fixed sizes), so a frame is
// written front to back in one pass.
#pragma once
#include <optional>
#include <vector>

#include "darekit/dare/detail/sequence_digest.hpp"
#include "darekit/dare/detail/sequence_frame.hpp"
#include "darekit/dare/item_crypto.hpp"

namespace darekit::dare::detail {

/// Bytes of a frame's payload record for n plaintext bytes under `enc`. An AEAD frame
/// stores its final tag as the record's last 16 bytes (an envelope keeps it in the
/// trailer's PayloadTag), so PayloadDigest, and through it the Merkle leaf, covers every
/// ciphertext byte.
constexpr std::uint64_t stored_size(enc_alg enc, std::uint64_t n) noexcept {
  switch (enc) {
    case enc_alg::none: return n;
    case enc_alg::a256cbc: return (n / 16 + 1) * 16;
    case enc_alg::xc20p:
    case enc_alg::a256gcm: return aead_stored_size(n) + aead_tag_size;
  }
  return n;
}

/// The digests a frame's trailer carries.
struct trailer_values {
  std::optional<hval> pd;     ///< PayloadDigest
  std::optional<hval> chain;  ///< ChainDigest
  std::optional<hval> apex;   ///< ApexDigest
  std::vector<hval> nodes;    ///< MerkleNodes (linked Merkle)
  bool has_nodes = false;
};

inline trailer make_trailer(const trailer_values& v) {
  trailer t;
  if (v.pd) t.set(field::payload_digest, v.pd->to_bytes());
  if (v.chain) t.set(field::chain_digest, v.chain->to_bytes());
  if (v.apex) t.set(field::apex_digest, v.apex->to_bytes());
  if (v.has_nodes) {
    json::array a;
    for (const auto& n : v.nodes) a.push_back(n.to_bytes());
    t.set(field::merkle_nodes, std::move(a));
  }
  return t;
}

/// What the trailer of frame k will hold, with placeholder digests (for its length).
inline trailer_values trailer_shape(const sequence_info& s, const seq_hash& H, std::uint64_t k) {
  trailer_values v;
  const hval z = H.zero();
  if (s.digests()) v.pd = z;
  if (s.type == sequence_type::chain) v.chain = z;
  if (s.type == sequence_type::merkle) v.apex = z;
  if (s.type == sequence_type::merkle && s.mode == integrity::linked) {
    v.has_nodes = true;
    v.nodes.assign(merkle_node_count(k), z);
  }
  return v;
}

/// A frame under construction: header bytes, crypto, and the layout of its bytes.
struct frame_plan {
  std::uint64_t index = 0;
  header h;
  bytes head;                  ///< the header record
  item_crypto crypto;
  std::uint64_t stored = 0;    ///< payload record length
  std::optional<std::uint64_t> trailer_len;
  bool binary = false;         ///< header/trailer in JSON-B
  unsigned frame_ll = 0, payload_ll = 0;  ///< length-of-length codes (3 when patched later)

  [[nodiscard]] std::uint64_t body_length() const noexcept {
    std::uint64_t b = frame::tag_size(frame::ll_for(head.size())) + head.size() + frame::tag_size(payload_ll) + stored;
    if (trailer_len) b += frame::tag_size(frame::ll_for(*trailer_len)) + *trailer_len;
    return b;
  }
  /// The bytes before the payload: frame tag, header record, payload tag.
  void put_prefix(bytes& out) const {
    frame::put_tag(out, frame::frame_tag, body_length(), frame_ll);
    frame::put_tag(out, frame::record_tag, head.size(), frame::ll_for(head.size()));
    append(out, head);
    frame::put_tag(out, frame::record_tag, stored, payload_ll);
  }
  /// The bytes after the payload: trailer record (if any) and the reverse tag.
  result<void> put_suffix(bytes& out, const trailer& t) const {
    if (trailer_len) {
      const bytes tb = encode_record(t, binary);
      if (tb.size() != *trailer_len) return fail(errc::crypto_failure, "sequence: trailer length changed (internal error)");
      frame::put_tag(out, frame::record_tag, tb.size(), frame::ll_for(tb.size()));
      append(out, tb);
    }
    frame::put_reverse(out, body_length(), frame_ll);
    return ok();
  }
  [[nodiscard]] std::uint64_t suffix_size() const noexcept {
    return (trailer_len ? frame::tag_size(frame::ll_for(*trailer_len)) + *trailer_len : 0) + frame::tag_size(frame_ll);
  }
};

}  // namespace darekit::dare::detail
