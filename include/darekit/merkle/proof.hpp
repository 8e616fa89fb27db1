// RFC 9162 inclusion proofs (§2.1.3) and consistency proofs (§2.1.4): generation from
// leaf hashes and verification, plus a compact binary encoding with strict limits.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/merkle/tree_hash.hpp"

namespace darekit::merkle {

/// Longest proof path accepted anywhere (a tree of 2^64 leaves needs at most 64 + 1).
inline constexpr std::size_t max_proof_path = 65;

/// An inclusion proof: leaf `index` in the tree of `tree_size` leaves, audit path
/// leaf-to-root (RFC 9162 PATH order).
template <hash_function H>
struct inclusion_proof {
  std::uint64_t index = 0;
  std::uint64_t tree_size = 0;
  std::vector<digest_t<H>> path;
};

/// A consistency proof between tree sizes `first` <= `second` (RFC 9162 PROOF order).
template <hash_function H>
struct consistency_proof {
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  std::vector<digest_t<H>> path;
};

namespace detail {
template <hash_function H>
digest_t<H> subtree_root(std::span<const digest_t<H>> lh) { return root_from_leaf_hashes<H>(lh); }

template <hash_function H>
void path_rec(std::span<const digest_t<H>> d, std::uint64_t m, std::vector<digest_t<H>>& out) {
  const std::uint64_t n = d.size();
  if (n <= 1) return;
  const std::uint64_t k = split_point(n);
  if (m < k) {
    path_rec<H>(d.first(k), m, out);
    out.push_back(subtree_root<H>(d.subspan(k)));
  } else {
    path_rec<H>(d.subspan(k), m - k, out);
    out.push_back(subtree_root<H>(d.first(k)));
  }
}

template <hash_function H>
void subproof_rec(std::span<const digest_t<H>> d, std::uint64_t m, bool b, std::vector<digest_t<H>>& out) {
  const std::uint64_t n = d.size();
  if (m == n) {
    if (!b) out.push_back(subtree_root<H>(d));
    return;
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    subproof_rec<H>(d.first(k), m, b, out);
    out.push_back(subtree_root<H>(d.subspan(k)));
  } else {
    subproof_rec<H>(d.subspan(k), m - k, false, out);
    out.push_back(subtree_root<H>(d.first(k)));
  }
}

template <class D>
bool digest_equal(const D& a, const D& b) noexcept { return ct_equal(byte_view(a), byte_view(b)); }
}  // namespace detail

/// Inclusion proof for leaf `index` in the tree formed by the first `tree_size` of
/// `leaf_hashes`. Errors: invalid_argument when index >= tree_size or tree_size is larger
/// than the leaves given.
template <hash_function H>
[[nodiscard]] result<inclusion_proof<H>> prove_inclusion(std::span<const digest_t<H>> leaf_hashes,
                                                         std::uint64_t index, std::uint64_t tree_size) {
  if (tree_size > leaf_hashes.size()) return fail(errc::invalid_argument, "prove_inclusion: tree size beyond the leaves");
  if (index >= tree_size) return fail(errc::invalid_argument, "prove_inclusion: index outside the tree");
  inclusion_proof<H> p{index, tree_size, {}};
  detail::path_rec<H>(leaf_hashes.first(std::size_t(tree_size)), index, p.path);
  return p;
}

/// The root implied by an inclusion proof of `leaf` (a leaf hash), RFC 9162 §2.1.3.2.
/// Errors: verification_failed when the proof is malformed for the index/size.
template <hash_function H>
[[nodiscard]] result<digest_t<H>> root_from_inclusion(const digest_t<H>& leaf, std::uint64_t index,
                                                      std::uint64_t tree_size, std::span<const digest_t<H>> path) {
  if (index >= tree_size) return fail(errc::verification_failed, "inclusion proof: index outside the tree");
  if (path.size() > max_proof_path) return fail(errc::verification_failed, "inclusion proof: path too long");
  std::uint64_t fn = index, sn = tree_size - 1;
  digest_t<H> r = leaf;
  for (const auto& p : path) {
    if (sn == 0) return fail(errc::verification_failed, "inclusion proof: path too long for the tree size");
    if ((fn & 1) || fn == sn) {
      r = node_hash<H>(p, r);
      if (!(fn & 1))
        while (!(fn & 1) && fn != 0) { fn >>= 1; sn >>= 1; }
    } else {
      r = node_hash<H>(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return fail(errc::verification_failed, "inclusion proof: path too short for the tree size");
  return r;
}

/// Verify that `leaf` (a leaf hash) is at `index` of the tree of `tree_size` leaves whose
/// root is `root`. Errors: verification_failed.
template <hash_function H>
[[nodiscard]] result<void> verify_inclusion(const digest_t<H>& leaf, std::uint64_t index, std::uint64_t tree_size,
                                            std::span<const digest_t<H>> path, const digest_t<H>& root) {
  DAREKIT_TRY(auto r, (root_from_inclusion<H>(leaf, index, tree_size, path)));
  if (!detail::digest_equal(r, root)) return fail(errc::verification_failed, "inclusion proof: root mismatch");
  return ok();
}
/// Same, with a proof object.
template <hash_function H>
[[nodiscard]] result<void> verify_inclusion(const inclusion_proof<H>& p, const digest_t<H>& leaf, const digest_t<H>& root) {
  return verify_inclusion<H>(leaf, p.index, p.tree_size, std::span<const digest_t<H>>(p.path), root);
}

/// Verify many inclusion proofs against one root at once: the node hashes of every
/// proof's next path step are computed together with the multi-buffer kernels.
/// `valid[i]` is set to whether proof i (with leaf hash leaves[i]) verifies.
/// Errors: invalid_argument when the spans differ in length.
template <hash_function H>
[[nodiscard]] result<void> verify_inclusion_batch(std::span<const inclusion_proof<H>> proofs,
                                                  std::span<const digest_t<H>> leaves, const digest_t<H>& root,
                                                  std::span<bool> valid) {
  if (leaves.size() != proofs.size() || valid.size() != proofs.size())
    return fail(errc::invalid_argument, "verify_inclusion_batch: spans differ in length");
  constexpr std::size_t D = H::digest_size;
  struct state { std::uint64_t fn, sn; std::size_t step; bool live; };
  std::vector<state> st(proofs.size());
  std::vector<digest_t<H>> r(leaves.begin(), leaves.end());
  for (std::size_t i = 0; i < proofs.size(); ++i) {
    const auto& p = proofs[i];
    const bool sane = p.index < p.tree_size && p.path.size() <= max_proof_path;
    st[i] = {p.index, sane ? p.tree_size - 1 : 0, 0, sane};
    valid[i] = false;
  }
  std::vector<std::uint8_t> msgs;
  std::vector<byte_view> views;
  std::vector<std::size_t> who;
  std::vector<digest_t<H>> out;
  for (;;) {
    msgs.clear(); views.clear(); who.clear();
    for (std::size_t i = 0; i < proofs.size(); ++i) {
      auto& s = st[i];
      if (!s.live || s.step == proofs[i].path.size()) continue;
      if (s.sn == 0) { s.live = false; continue; }  // path longer than the tree allows
      const auto& c = proofs[i].path[s.step];
      const bool left = (s.fn & 1) || s.fn == s.sn;
      const std::size_t at = msgs.size();
      msgs.resize(at + 2 * D);
      std::memcpy(msgs.data() + at, left ? c.data() : r[i].data(), D);
      std::memcpy(msgs.data() + at + D, left ? r[i].data() : c.data(), D);
      who.push_back(i);
      if (left && !(s.fn & 1))
        while (!(s.fn & 1) && s.fn != 0) { s.fn >>= 1; s.sn >>= 1; }
      s.fn >>= 1;
      s.sn >>= 1;
      ++s.step;
    }
    if (who.empty()) break;
    for (std::size_t k = 0; k < who.size(); ++k) views.emplace_back(msgs.data() + k * 2 * D, 2 * D);
    out.resize(who.size());
    if constexpr (multi_buffer_hash<H>) {
      const std::uint8_t one = 0x01;
      DAREKIT_CHECK((hash_batch_prefixed<H>(byte_view(&one, 1), views, out)));
    } else {
      for (std::size_t k = 0; k < who.size(); ++k) {
        H h;
        const std::uint8_t one = 0x01;
        h.update(byte_view(&one, 1));
        h.update(views[k]);
        out[k] = h.finish();
      }
    }
    for (std::size_t k = 0; k < who.size(); ++k) r[who[k]] = out[k];
  }
  for (std::size_t i = 0; i < proofs.size(); ++i)
    valid[i] = st[i].live && st[i].sn == 0 && detail::digest_equal(r[i], root);
  return ok();
}

/// Consistency proof between the trees of the first `first` and `second` leaves.
/// Errors: invalid_argument unless first <= second <= leaf_hashes.size().
template <hash_function H>
[[nodiscard]] result<consistency_proof<H>> prove_consistency(std::span<const digest_t<H>> leaf_hashes,
                                                             std::uint64_t first, std::uint64_t second) {
  if (second > leaf_hashes.size() || first > second)
    return fail(errc::invalid_argument, "prove_consistency: sizes out of range");
  consistency_proof<H> p{first, second, {}};
  if (first > 0 && first < second) detail::subproof_rec<H>(leaf_hashes.first(std::size_t(second)), first, true, p.path);
  return p;
}

/// Verify that the tree of `first` leaves with root `first_root` is a prefix of the tree
/// of `second` leaves with root `second_root` (RFC 9162 §2.1.4.2). A tree of size 0 is
/// consistent with everything (empty proof). Errors: verification_failed.
template <hash_function H>
[[nodiscard]] result<void> verify_consistency(std::uint64_t first, std::uint64_t second,
                                              const digest_t<H>& first_root, const digest_t<H>& second_root,
                                              std::span<const digest_t<H>> path) {
  auto bad = [](const char* why) { return fail(errc::verification_failed, std::string("consistency proof: ") + why); };
  if (first > second) return bad("first size after second");
  if (path.size() > max_proof_path) return bad("path too long");
  if (first == second) {
    if (!path.empty()) return bad("non-empty proof for equal sizes");
    if (!detail::digest_equal(first_root, second_root)) return bad("roots differ for equal sizes");
    return ok();
  }
  if (first == 0) {
    if (!path.empty()) return bad("non-empty proof from the empty tree");
    return ok();
  }
  if (path.empty()) return bad("empty proof");
  // If first is a power of two, the first subtree root is first_root itself.
  std::size_t start = 0;
  digest_t<H> fr, sr;
  if ((first & (first - 1)) == 0) {
    fr = sr = first_root;
  } else {
    fr = sr = path[0];
    start = 1;
  }
  std::uint64_t fn = first - 1, sn = second - 1;
  while (fn & 1) { fn >>= 1; sn >>= 1; }
  for (std::size_t i = start; i < path.size(); ++i) {
    const auto& c = path[i];
    if (sn == 0) return bad("path too long for the sizes");
    if ((fn & 1) || fn == sn) {
      fr = node_hash<H>(c, fr);
      sr = node_hash<H>(c, sr);
      if (!(fn & 1))
        while (!(fn & 1) && fn != 0) { fn >>= 1; sn >>= 1; }
    } else {
      sr = node_hash<H>(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return bad("path too short for the sizes");
  if (!detail::digest_equal(fr, first_root)) return bad("first root mismatch");
  if (!detail::digest_equal(sr, second_root)) return bad("second root mismatch");
  return ok();
}
/// Same, with a proof object.
template <hash_function H>
[[nodiscard]] result<void> verify_consistency(const consistency_proof<H>& p, const digest_t<H>& first_root,
                                              const digest_t<H>& second_root) {
  return verify_consistency<H>(p.first, p.second, first_root, second_root, std::span<const digest_t<H>>(p.path));
}

/// Binary form of an inclusion proof: be64 index, be64 tree_size, u8 path count, then
/// count digests.
template <hash_function H>
bytes encode(const inclusion_proof<H>& p) {
  bytes out(17);
  store_be64(out.data(), p.index);
  store_be64(out.data() + 8, p.tree_size);
  out[16] = std::uint8_t(p.path.size());
  for (auto& d : p.path) append(out, d);
  return out;
}

/// Parse the binary form; exact length, at most max_proof_path digests.
/// Errors: truncated, malformed, too_large.
template <hash_function H>
[[nodiscard]] result<inclusion_proof<H>> decode_inclusion_proof(byte_view b) {
  if (b.size() < 17) return fail(errc::truncated, "inclusion proof: shorter than its header");
  inclusion_proof<H> p;
  p.index = load_be64(b.data());
  p.tree_size = load_be64(b.data() + 8);
  const std::size_t n = b[16];
  if (n > max_proof_path) return fail(errc::too_large, "inclusion proof: too many path entries");
  if (b.size() != 17 + n * H::digest_size) return fail(errc::malformed, "inclusion proof: length does not match its path count");
  p.path.resize(n);
  for (std::size_t i = 0; i < n; ++i) std::memcpy(p.path[i].data(), b.data() + 17 + i * H::digest_size, H::digest_size);
  return p;
}

}  // namespace darekit::merkle
