// RFC 9162 inclusion and consistency proofs of a linked Merkle sequence, assembled from the
// MerkleNodes that O(log n) frames store (DESIGN.md §3), and their verification with
// nothing but the proof and a trusted root. JSON forms as the `darekit seq prove` output:
//
//   {"index":K,"tree_size":N,"leaf":HEX,"path":[HEX...],"root":HEX}
//   {"old_size":M,"tree_size":N,"path":[HEX...],"old_root":HEX,"root":HEX}
#pragma once
#include <bit>
#include <optional>
#include <unordered_map>
#include <vector>

#include "darekit/codec/hex.hpp"
#include "darekit/codec/json.hpp"
#include "darekit/dare/sequence.hpp"
#include "darekit/merkle/proof.hpp"

namespace darekit::dare {

/// An inclusion proof: the leaf hash of frame `index` and its audit path in the tree of
/// the first `tree_size` frames, whose root is `root`.
struct inclusion_proof {
  std::uint64_t index = 0, tree_size = 0;
  bytes leaf;
  std::vector<bytes> path;
  bytes root;
};
/// A consistency proof between the trees of the first `old_size` and `tree_size` frames.
struct consistency_proof {
  std::uint64_t old_size = 0, tree_size = 0;
  std::vector<bytes> path;
  bytes old_root, root;
};

namespace detail {
// Run f.template operator()<H>() with H the hash of digests of `n` bytes (64: SHA-512, 32: SHA-256).
template <class F>
result<void> with_digest_size(std::size_t n, F&& f) {
  if (n == 64) return f.template operator()<sha512>();
  if (n == 32) return f.template operator()<sha256>();
  return fail(errc::malformed, "proof digests must be 32 or 64 bytes");
}
template <class H>
result<std::vector<typename H::digest_type>> typed(const std::vector<bytes>& v) {
  std::vector<typename H::digest_type> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i].size() != H::digest_size) return fail(errc::malformed, "proof digests differ in length");
    std::memcpy(out[i].data(), v[i].data(), H::digest_size);
  }
  return out;
}
template <class H>
result<typename H::digest_type> typed1(const bytes& b) {
  DAREKIT_TRY(auto v, typed<H>({b}));
  return v[0];
}
}  // namespace detail

/// Verify an inclusion proof against `trusted_root` (the root inside the proof is not
/// trusted; it must equal the trusted one). Errors: verification_failed, malformed.
inline result<void> verify(const inclusion_proof& p, byte_view trusted_root) {
  if (!ct_equal(p.root, trusted_root)) return fail(errc::verification_failed, "inclusion proof: not for the trusted root");
  if (p.path.size() > merkle::max_proof_path) return fail(errc::too_large, "inclusion proof: path too long");
  return detail::with_digest_size(p.leaf.size(), [&]<class H>() -> result<void> {
    DAREKIT_TRY(auto path, detail::typed<H>(p.path));
    DAREKIT_TRY(auto leaf, detail::typed1<H>(p.leaf));
    DAREKIT_TRY(auto root, detail::typed1<H>(to_bytes(trusted_root)));
    return merkle::verify_inclusion<H>(leaf, p.index, p.tree_size, std::span<const typename H::digest_type>(path), root);
  });
}
/// Verify a consistency proof between two trusted roots.
inline result<void> verify(const consistency_proof& p, byte_view trusted_old_root, byte_view trusted_root) {
  if (!ct_equal(p.root, trusted_root) || !ct_equal(p.old_root, trusted_old_root))
    return fail(errc::verification_failed, "consistency proof: not for the trusted roots");
  if (p.path.size() > merkle::max_proof_path) return fail(errc::too_large, "consistency proof: path too long");
  return detail::with_digest_size(p.root.size(), [&]<class H>() -> result<void> {
    DAREKIT_TRY(auto path, detail::typed<H>(p.path));
    DAREKIT_TRY(auto a, detail::typed1<H>(p.old_root));
    DAREKIT_TRY(auto b, detail::typed1<H>(p.root));
    return merkle::verify_consistency<H>(p.old_size, p.tree_size, a, b, std::span<const typename H::digest_type>(path));
  });
}

/// Proofs from a linked Merkle sequence. Keeps the MerkleNodes of the frames it read (the
/// upper tree levels recur in every proof), up to `cache_frames` frames.
template <io::storage S>
class prover {
 public:
  explicit prover(sequence<S>& s, std::size_t cache_frames = 1 << 14) : s_(s), cap_(cache_frames) {}

  /// The root over the first `n` frames, checked against frame n-1's ApexDigest.
  result<bytes> root(std::uint64_t n) {
    DAREKIT_CHECK(check_size(n, 1));
    DAREKIT_TRY(auto r, subtree(0, n));
    DAREKIT_TRY(auto f, s_.frame(n - 1));
    auto apex = f.t.apex_digest();
    if (!apex || !(detail::hval::of(*apex) == r))
      return fail(errc::verification_failed, "sequence: ApexDigest of frame " + std::to_string(n - 1) + " does not match its tree");
    return r.to_bytes();
  }

  result<inclusion_proof> inclusion(std::uint64_t index, std::optional<std::uint64_t> size = {}) {
    const std::uint64_t n = size.value_or(s_.size());
    DAREKIT_CHECK(check_size(n, 1));
    if (index >= n) return fail(errc::invalid_argument, "prove: index " + std::to_string(index) + " is not below the tree size");
    inclusion_proof p;
    p.index = index;
    p.tree_size = n;
    DAREKIT_TRY(auto leaf, node(0, index));
    p.leaf = leaf.to_bytes();
    std::vector<detail::hval> path;
    DAREKIT_CHECK(path_rec(index, 0, n, path));
    for (auto& h : path) p.path.push_back(h.to_bytes());
    DAREKIT_TRY(p.root, root(n));
    return p;
  }

  result<consistency_proof> consistency(std::uint64_t old_size, std::optional<std::uint64_t> size = {}) {
    const std::uint64_t n = size.value_or(s_.size());
    DAREKIT_CHECK(check_size(n, 1));
    if (old_size < 1 || old_size > n) return fail(errc::invalid_argument, "prove: old size must be 1..tree size");
    consistency_proof p;
    p.old_size = old_size;
    p.tree_size = n;
    std::vector<detail::hval> path;
    if (old_size < n) DAREKIT_CHECK(subproof_rec(old_size, 0, n, true, path));
    for (auto& h : path) p.path.push_back(h.to_bytes());
    DAREKIT_TRY(p.old_root, root(old_size));
    DAREKIT_TRY(p.root, root(n));
    return p;
  }

 private:
  result<void> check_size(std::uint64_t n, std::uint64_t min) const {
    if (!s_.info().merkle_proofs()) return fail(errc::unsupported, "proofs need a linked Merkle sequence");
    if (n < min || n > s_.size())
      return fail(errc::invalid_argument, "prove: tree size " + std::to_string(n) + " outside 1.." + std::to_string(s_.size()));
    return ok();
  }
  // The stored root of the perfect subtree of 2^h leaves starting at `start`.
  result<detail::hval> node(unsigned h, std::uint64_t start) {
    const std::uint64_t k = start + (std::uint64_t(1) << h) - 1;
    auto it = cache_.find(k);
    if (it == cache_.end()) {
      DAREKIT_TRY(auto f, s_.frame(k));
      DAREKIT_TRY(auto nodes, detail::merkle_nodes(f.t, s_.hash().size()));
      if (nodes.size() != detail::merkle_node_count(k))
        return fail(errc::malformed, "sequence: frame " + std::to_string(k) + " has the wrong number of MerkleNodes");
      if (cache_.size() >= cap_) cache_.clear();
      std::vector<detail::hval> v;
      for (auto& b : nodes) v.push_back(detail::hval::of(b));
      it = cache_.emplace(k, std::move(v)).first;
    }
    if (h >= it->second.size()) return fail(errc::malformed, "sequence: missing MerkleNodes level");
    return it->second[h];
  }
  // MTH of leaves [lo, hi): stored when perfect, else combined from its RFC 9162 split.
  result<detail::hval> subtree(std::uint64_t lo, std::uint64_t hi) {
    const std::uint64_t n = hi - lo;
    if (std::has_single_bit(n) && lo % n == 0) return node(unsigned(std::countr_zero(n)), lo);
    const std::uint64_t k = merkle::split_point(n);
    DAREKIT_TRY(auto l, subtree(lo, lo + k));
    DAREKIT_TRY(auto r, subtree(lo + k, hi));
    return s_.hash().node(l, r);
  }
  result<void> path_rec(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, std::vector<detail::hval>& out) {
    const std::uint64_t n = hi - lo;
    if (n <= 1) return ok();
    const std::uint64_t k = merkle::split_point(n);
    if (m < k) {
      DAREKIT_CHECK(path_rec(m, lo, lo + k, out));
      DAREKIT_TRY(auto h, subtree(lo + k, hi));
      out.push_back(h);
    } else {
      DAREKIT_CHECK(path_rec(m - k, lo + k, hi, out));
      DAREKIT_TRY(auto h, subtree(lo, lo + k));
      out.push_back(h);
    }
    return ok();
  }
  result<void> subproof_rec(std::uint64_t m, std::uint64_t lo, std::uint64_t hi, bool b, std::vector<detail::hval>& out) {
    const std::uint64_t n = hi - lo;
    if (m == n) {
      if (!b) { DAREKIT_TRY(auto h, subtree(lo, hi)); out.push_back(h); }
      return ok();
    }
    const std::uint64_t k = merkle::split_point(n);
    if (m <= k) {
      DAREKIT_CHECK(subproof_rec(m, lo, lo + k, b, out));
      DAREKIT_TRY(auto h, subtree(lo + k, hi));
      out.push_back(h);
    } else {
      DAREKIT_CHECK(subproof_rec(m - k, lo + k, hi, false, out));
      DAREKIT_TRY(auto h, subtree(lo, lo + k));
      out.push_back(h);
    }
    return ok();
  }

  sequence<S>& s_;
  std::size_t cap_;
  std::unordered_map<std::uint64_t, std::vector<detail::hval>> cache_;
};

// ---- JSON forms

inline std::string to_json(const inclusion_proof& p) {
  json::array path;
  for (auto& h : p.path) path.push_back(hex::encode(h));
  return json::to_string(json::value(json::object{{"index", p.index}, {"tree_size", p.tree_size}, {"leaf", hex::encode(p.leaf)},
                                                  {"path", std::move(path)}, {"root", hex::encode(p.root)}}));
}
inline std::string to_json(const consistency_proof& p) {
  json::array path;
  for (auto& h : p.path) path.push_back(hex::encode(h));
  return json::to_string(json::value(json::object{{"old_size", p.old_size}, {"tree_size", p.tree_size}, {"path", std::move(path)},
                                                  {"old_root", hex::encode(p.old_root)}, {"root", hex::encode(p.root)}}));
}

namespace detail {
inline result<std::uint64_t> json_u64(const json::value& o, std::string_view n) {
  const auto* v = o.find(n);
  auto i = v ? v->to_int64() : std::nullopt;
  if (!i || *i < 0) return fail(errc::malformed, "proof: \"" + std::string(n) + "\" must be a non-negative integer");
  return std::uint64_t(*i);
}
inline result<bytes> json_hex(const json::value& o, std::string_view n) {
  const auto* v = o.find(n);
  if (!v || !v->is_string()) return fail(errc::malformed, "proof: \"" + std::string(n) + "\" must be a hex string");
  auto b = hex::decode(v->as_string());
  if (!b || (b->size() != 32 && b->size() != 64)) return fail(errc::malformed, "proof: \"" + std::string(n) + "\" is not a 32- or 64-byte hex digest");
  return std::move(*b);
}
inline result<std::vector<bytes>> json_path(const json::value& o) {
  const auto* v = o.find("path");
  if (!v || !v->is_array()) return fail(errc::malformed, "proof: \"path\" must be an array");
  if (v->as_array().size() > merkle::max_proof_path) return fail(errc::too_large, "proof: path too long");
  std::vector<bytes> out;
  for (const auto& x : v->as_array()) {
    if (!x.is_string()) return fail(errc::malformed, "proof: path entries must be hex strings");
    auto b = hex::decode(x.as_string());
    if (!b || (b->size() != 32 && b->size() != 64)) return fail(errc::malformed, "proof: a path entry is not a hex digest");
    out.push_back(std::move(*b));
  }
  return out;
}
}  // namespace detail

/// Parse either JSON proof form (one of the two is set).
struct any_proof {
  std::optional<inclusion_proof> inclusion;
  std::optional<consistency_proof> consistency;
};
inline result<any_proof> proof_from_json(const json::value& o) {
  if (!o.is_object()) return fail(errc::malformed, "proof: not a JSON object");
  any_proof a;
  if (o.find("old_size")) {
    consistency_proof p;
    DAREKIT_TRY(p.old_size, detail::json_u64(o, "old_size"));
    DAREKIT_TRY(p.tree_size, detail::json_u64(o, "tree_size"));
    DAREKIT_TRY(p.path, detail::json_path(o));
    DAREKIT_TRY(p.old_root, detail::json_hex(o, "old_root"));
    DAREKIT_TRY(p.root, detail::json_hex(o, "root"));
    a.consistency = std::move(p);
  } else {
    inclusion_proof p;
    DAREKIT_TRY(p.index, detail::json_u64(o, "index"));
    DAREKIT_TRY(p.tree_size, detail::json_u64(o, "tree_size"));
    DAREKIT_TRY(p.leaf, detail::json_hex(o, "leaf"));
    DAREKIT_TRY(p.path, detail::json_path(o));
    DAREKIT_TRY(p.root, detail::json_hex(o, "root"));
    a.inclusion = std::move(p);
  }
  return a;
}

}  // namespace darekit::dare
