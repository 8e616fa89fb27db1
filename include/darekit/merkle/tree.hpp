// A fully stored Merkle tree: every level kept (built level by level with the multi-buffer
// kernels), so the root is O(1) and an inclusion proof O(log n) to produce. Memory: about
// 2n digests. For O(log n) memory use frontier<H>.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "darekit/core/error.hpp"
#include "darekit/merkle/proof.hpp"
#include "darekit/merkle/tree_hash.hpp"

namespace darekit::merkle {

template <hash_function H>
class tree {
 public:
  using digest_type = digest_t<H>;

  /// Build from leaf hashes (H(0x00 || leaf) each).
  static tree from_leaf_hashes(std::vector<digest_type> leaf_hashes) {
    tree t;
    t.levels_.push_back(std::move(leaf_hashes));
    while (t.levels_.back().size() > 1) {
      const auto& in = t.levels_.back();
      const std::size_t pairs = in.size() / 2;
      std::vector<digest_type> out(pairs + (in.size() & 1));
      detail::hash_pairs<H>(in.data(), pairs, out.data());
      if (in.size() & 1) out[pairs] = in.back();
      t.levels_.push_back(std::move(out));
    }
    return t;
  }
  /// Build from leaf data.
  static tree from_leaves(std::span<const byte_view> leaves) { return from_leaf_hashes(leaf_hashes<H>(leaves)); }

  /// Number of leaves.
  std::uint64_t size() const noexcept { return levels_.empty() ? 0 : levels_[0].size(); }
  /// MTH of all leaves (H("") when empty).
  digest_type root() const {
    if (size() == 0) return empty_root<H>();
    return levels_.back()[0];
  }
  /// Leaf hash `i` (i < size()).
  const digest_type& leaf(std::uint64_t i) const { return levels_[0][std::size_t(i)]; }

  /// Inclusion proof of leaf `index` in the whole tree. Errors: invalid_argument.
  [[nodiscard]] result<inclusion_proof<H>> prove(std::uint64_t index) const {
    if (index >= size()) return fail(errc::invalid_argument, "tree: index outside the tree");
    inclusion_proof<H> p{index, size(), {}};
    std::uint64_t j = index;
    for (std::size_t l = 0; l + 1 < levels_.size(); ++l, j >>= 1) {
      const std::uint64_t sib = j ^ 1;
      if (sib < levels_[l].size()) p.path.push_back(levels_[l][std::size_t(sib)]);  // else: promoted
    }
    return p;
  }

 private:
  std::vector<std::vector<digest_type>> levels_;
};

}  // namespace darekit::merkle
