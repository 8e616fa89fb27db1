// An incremental Merkle tree frontier (compact range [0, n)): O(log n) memory, appends in
// amortised O(1) node hashes, the RFC 9162 root at any size.
#pragma once
#include <cstdint>
#include <vector>

#include "darekit/core/error.hpp"
#include "darekit/merkle/tree_hash.hpp"

namespace darekit::merkle {

/// The roots of the perfect subtrees that make up the first n leaves, largest first
/// (one per set bit of n).
template <hash_function H>
class frontier {
 public:
  using digest_type = digest_t<H>;

  /// Append leaf data (hashed as H(0x00 || leaf)).
  void append(byte_view leaf) { append_leaf_hash(leaf_hash<H>(leaf)); }

  /// Append an already computed leaf hash.
  void append_leaf_hash(const digest_type& h) { push(h, 0); }

  /// Append the root of a perfect subtree of 2^height leaves. The current size must be a
  /// multiple of 2^height (errc::invalid_argument otherwise).
  [[nodiscard]] result<void> append_subtree(const digest_type& h, unsigned height) {
    if (height >= 63 || (size_ & ((std::uint64_t(1) << height) - 1)) != 0)
      return fail(errc::invalid_argument, "frontier: subtree not aligned to the current size");
    push(h, height);
    return ok();
  }

  /// Number of leaves appended.
  std::uint64_t size() const noexcept { return size_; }

  /// MTH of the leaves appended so far (H("") when empty).
  digest_type root() const {
    if (nodes_.empty()) return empty_root<H>();
    digest_type r = nodes_.back().hash;
    for (std::size_t i = nodes_.size() - 1; i-- > 0;) r = node_hash<H>(nodes_[i].hash, r);
    return r;
  }

  /// The root of the tree made of these leaves followed by a right-hand part whose MTH is
  /// `right` (covering fewer leaves than the smallest subtree held here).
  digest_type root_with(const digest_type& right) const {
    digest_type r = right;
    for (std::size_t i = nodes_.size(); i-- > 0;) r = node_hash<H>(nodes_[i].hash, r);
    return r;
  }

  /// The perfect-subtree roots, largest (leftmost) first.
  std::vector<digest_type> hashes() const {
    std::vector<digest_type> v;
    for (auto& n : nodes_) v.push_back(n.hash);
    return v;
  }

 private:
  struct node { digest_type hash; unsigned height; };

  void push(digest_type h, unsigned height) {
    size_ += std::uint64_t(1) << height;
    while (!nodes_.empty() && nodes_.back().height == height) {
      h = node_hash<H>(nodes_.back().hash, h);
      nodes_.pop_back();
      ++height;
    }
    nodes_.push_back({h, height});
  }

  std::vector<node> nodes_;
  std::uint64_t size_ = 0;
};

}  // namespace darekit::merkle
