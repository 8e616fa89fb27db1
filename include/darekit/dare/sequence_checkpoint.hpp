// Signed checkpoints of a linked Merkle sequence (DESIGN.md §3): a C2SP tlog-checkpoint
// (origin, tree size, root = ApexDigest of frame size-1) in a C2SP signed note, signed
// with Ed25519 under the key name = origin; their verification with a public key; the
// check that a checkpoint belongs to a sequence; and the C2SP proof files
// (tlog-proof@v1 for inclusion, with the leaf hash as its `extra`; the tlog-witness body
// for consistency).
#pragma once
#include <optional>
#include <string>

#include "darekit/dare/sequence_proof.hpp"
#include "darekit/merkle/checkpoint.hpp"
#include "darekit/merkle/note.hpp"

namespace darekit::dare {

/// A note verifier for an Ed25519 public key under a key name.
inline result<merkle::note::verifier> note_verifier(const public_key& pub, std::string name) {
  if (pub.alg != udf::key_alg::ed25519 || pub.key.size() != 32)
    return fail(errc::unsupported, "checkpoints are signed with Ed25519 keys");
  merkle::note::verifier v;
  v.name = std::move(name);
  std::memcpy(v.pub.data(), pub.key.data(), 32);
  return v;
}

/// Sign a checkpoint of the first `size` frames (default: all) with an Ed25519 key.
template <io::storage S>
result<std::string> sign_checkpoint(sequence<S>& s, const udf::key_pair& signer, std::optional<std::uint64_t> size = {}) {
  if (signer.alg != udf::key_alg::ed25519) return fail(errc::unsupported, "checkpoints are signed with Ed25519 keys");
  prover<S> pv(s);
  merkle::checkpoint c;
  c.origin = s.info().origin();
  c.size = size.value_or(s.size());
  DAREKIT_TRY(c.root, pv.root(c.size));
  return merkle::note::sign(c.text(), c.origin, signer.private_key);
}

/// Verify a signed checkpoint with a key (name: the checkpoint's origin, unless given)
/// and return what it says.
inline result<merkle::checkpoint> open_checkpoint(std::string_view note_text, const public_key& pub,
                                                  std::optional<std::string> name = {}) {
  DAREKIT_TRY(auto n, merkle::note::parse(note_text));
  DAREKIT_TRY(auto c, merkle::checkpoint::parse(n.text));
  DAREKIT_TRY(auto v, note_verifier(pub, name.value_or(c.origin)));
  DAREKIT_CHECK(merkle::note::verify(n, std::span(&v, 1)));
  return c;
}

/// The checkpoint describes this sequence: same origin, a size it has, and the root its
/// stored tree gives at that size.
template <io::storage S>
result<void> check_checkpoint(sequence<S>& s, const merkle::checkpoint& c) {
  if (c.origin != s.info().origin()) return fail(errc::verification_failed, "checkpoint: origin " + c.origin + " is not this sequence's (" + s.info().origin() + ")");
  if (c.size == 0 || c.size > s.size()) return fail(errc::verification_failed, "checkpoint: tree size " + std::to_string(c.size) + " is not in this sequence");
  prover<S> pv(s);
  DAREKIT_TRY(auto root, pv.root(c.size));
  if (!ct_equal(root, c.root)) return fail(errc::verification_failed, "checkpoint: root differs from the sequence's at size " + std::to_string(c.size));
  return ok();
}

/// An inclusion proof as a C2SP tlog-proof@v1 file (the leaf hash in `extra`).
inline result<std::string> to_c2sp(const inclusion_proof& p, const std::string& signed_checkpoint) {
  DAREKIT_TRY(auto n, merkle::note::parse(signed_checkpoint));
  DAREKIT_TRY(auto c, merkle::checkpoint::parse(n.text));
  if (c.size != p.tree_size || !ct_equal(c.root, p.root)) return fail(errc::invalid_argument, "the checkpoint is not for this proof's tree");
  merkle::tlog_proof t;
  t.extra = p.leaf;
  t.index = p.index;
  t.path = p.path;
  t.signed_checkpoint = signed_checkpoint;
  return t.text();
}
/// A consistency proof as a tlog-witness add-checkpoint body.
inline result<std::string> to_c2sp(const consistency_proof& p, const std::string& signed_checkpoint) {
  DAREKIT_TRY(auto n, merkle::note::parse(signed_checkpoint));
  DAREKIT_TRY(auto c, merkle::checkpoint::parse(n.text));
  if (c.size != p.tree_size || !ct_equal(c.root, p.root)) return fail(errc::invalid_argument, "the checkpoint is not for this proof's tree");
  merkle::tlog_consistency t;
  t.old_size = p.old_size;
  t.path = p.path;
  t.signed_checkpoint = signed_checkpoint;
  return t.text();
}

/// Verify a C2SP tlog-proof@v1 file with the log's public key: the checkpoint signature,
/// then the path from the leaf hash (`extra`) to its root. Returns the inclusion proof.
inline result<inclusion_proof> verify_c2sp_inclusion(std::string_view file, const public_key& pub) {
  DAREKIT_TRY(auto t, merkle::tlog_proof::parse(file));
  DAREKIT_TRY(auto c, open_checkpoint(t.signed_checkpoint, pub));
  if (!t.extra) return fail(errc::malformed, "tlog-proof: no leaf hash (extra line)");
  inclusion_proof p{t.index, c.size, *t.extra, t.path, c.root};
  DAREKIT_CHECK(verify(p, c.root));
  return p;
}
/// Verify a tlog-witness consistency body with the log's key and the trusted old root.
inline result<consistency_proof> verify_c2sp_consistency(std::string_view body, const public_key& pub, byte_view old_root) {
  DAREKIT_TRY(auto t, merkle::tlog_consistency::parse(body));
  DAREKIT_TRY(auto c, open_checkpoint(t.signed_checkpoint, pub));
  consistency_proof p{t.old_size, c.size, t.path, to_bytes(old_root), c.root};
  DAREKIT_CHECK(verify(p, old_root, c.root));
  return p;
}

}  // namespace darekit::dare
