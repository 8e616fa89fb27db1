// RFC 9162 §2.1.1 Merkle Tree Hash over any darekit hash function:
//   MTH({})      = H("")
//   leaf hash    = H(0x00 || d)
//   node hash    = H(0x01 || left || right), split at the largest power of two below n.
// Batch building hashes all leaves, then each level, with the multi-buffer kernels when
// the hash has them (sha256, sha512, sha3_512).
#pragma once
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "darekit/core/bytes.hpp"
#include "darekit/crypto/hasher.hpp"
#include "darekit/hash/hash_many.hpp"

namespace darekit::merkle {

template <hash_function H>
using digest_t = typename H::digest_type;

/// Leaf hash H(0x00 || data).
template <hash_function H>
digest_t<H> leaf_hash(byte_view data) {
  H h;
  const std::uint8_t p = 0x00;
  h.update(byte_view(&p, 1));
  h.update(data);
  return h.finish();
}

/// Interior node hash H(0x01 || left || right).
template <hash_function H>
digest_t<H> node_hash(const digest_t<H>& left, const digest_t<H>& right) {
  H h;
  const std::uint8_t p = 0x01;
  h.update(byte_view(&p, 1));
  h.update(left);
  h.update(right);
  return h.finish();
}

/// The hash of the empty tree, H("").
template <hash_function H>
digest_t<H> empty_root() {
  H h;
  return h.finish();
}

/// Largest power of two strictly below n (n >= 2): the RFC 9162 split point.
constexpr std::uint64_t split_point(std::uint64_t n) noexcept { return std::bit_floor(n - 1); }

namespace detail {
/// Leaf hashes of `leaves` into out[0..n).
template <hash_function H>
void hash_leaves(std::span<const byte_view> leaves, digest_t<H>* out) {
  if constexpr (multi_buffer_hash<H>) {
    const std::uint8_t p = 0x00;
    (void)hash_batch_prefixed<H>(byte_view(&p, 1), leaves, std::span(out, leaves.size()));
  } else {
    for (std::size_t i = 0; i < leaves.size(); ++i) out[i] = leaf_hash<H>(leaves[i]);
  }
}

/// out[i] = node(in[2i], in[2i+1]) for i < pairs; `in` is contiguous so each message
/// 0x01 || in[2i] || in[2i+1] is read in place.
template <hash_function H>
void hash_pairs(const digest_t<H>* in, std::size_t pairs, digest_t<H>* out) {
  static_assert(sizeof(digest_t<H>) == H::digest_size);
  if constexpr (multi_buffer_hash<H>) {
    constexpr std::size_t G = 256;
    byte_view views[G];
    const std::uint8_t p = 0x01;
    for (std::size_t i = 0; i < pairs; i += G) {
      const std::size_t n = std::min(G, pairs - i);
      for (std::size_t j = 0; j < n; ++j)
        views[j] = byte_view(reinterpret_cast<const std::uint8_t*>(in + 2 * (i + j)), 2 * H::digest_size);
      (void)hash_batch_prefixed<H>(byte_view(&p, 1), std::span<const byte_view>(views, n), std::span(out + i, n));
    }
  } else {
    for (std::size_t i = 0; i < pairs; ++i) out[i] = node_hash<H>(in[2 * i], in[2 * i + 1]);
  }
}
}  // namespace detail

/// Root of the tree over `leaf_hashes` (already leaf-hashed), level by level: pairs are
/// hashed in SIMD lanes and an odd last node is promoted, which gives exactly the RFC 9162
/// left-balanced tree.
template <hash_function H>
digest_t<H> root_from_leaf_hashes(std::span<const digest_t<H>> leaf_hashes) {
  if (leaf_hashes.empty()) return empty_root<H>();
  if (leaf_hashes.size() == 1) return leaf_hashes[0];
  std::vector<digest_t<H>> a((leaf_hashes.size() + 1) / 2), b;
  const digest_t<H>* in = leaf_hashes.data();
  std::size_t n = leaf_hashes.size();
  std::vector<digest_t<H>>* out = &a;
  for (;;) {
    const std::size_t pairs = n / 2;
    out->resize(pairs + (n & 1));
    detail::hash_pairs<H>(in, pairs, out->data());
    if (n & 1) (*out)[pairs] = in[n - 1];
    n = out->size();
    if (n == 1) return (*out)[0];
    in = out->data();
    out = out == &a ? &b : &a;
  }
}

/// Leaf hashes of all `leaves` (batched).
template <hash_function H>
std::vector<digest_t<H>> leaf_hashes(std::span<const byte_view> leaves) {
  std::vector<digest_t<H>> out(leaves.size());
  detail::hash_leaves<H>(leaves, out.data());
  return out;
}

/// MTH(D[n]) of the leaf data `leaves` (batched).
template <hash_function H>
digest_t<H> tree_hash(std::span<const byte_view> leaves) {
  auto lh = leaf_hashes<H>(leaves);
  return root_from_leaf_hashes<H>(std::span<const digest_t<H>>(lh));
}

}  // namespace darekit::merkle
