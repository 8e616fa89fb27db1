// Helpers for the sequence tests, including an RFC 9162 tree and verifiers written here
// from the RFC's text (independent of darekit's merkle/ code).
#pragma once
#include <catch2/catch.hpp>

#include <bit>
#include <vector>

#include "darekit/dare/sequence.hpp"
#include "darekit/dare/sequence_proof.hpp"
#include "darekit/dare/sequence_verify.hpp"

namespace darekit::test {

using mem_seq = dare::sequence<io::memory_storage>;

inline udf::key_pair gen_key(udf::key_alg a) {
  auto k = udf::derive_key(udf::generate_key_seed(a));
  REQUIRE(k.has_value());
  return *k;
}
inline bytes ramp_bytes(std::size_t n, unsigned seed = 0) {
  bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = std::uint8_t(i * 31 + seed * 7 + (i >> 7));
  return b;
}

template <class T>
T must(result<T> r) {
  INFO(r.err().what());
  REQUIRE(r.has_value());
  return std::move(*r);
}
inline void must(result<void> r) {
  INFO(r.err().what());
  REQUIRE(r.has_value());
}

/// An independent RFC 9162 implementation over SHA-512 or SHA-256, chosen by digest size.
struct rfc9162 {
  std::size_t n;  // digest bytes
  bytes h(byte_view a, byte_view b = {}, byte_view c = {}) const {
    if (n == 32) { sha256 x; x.update(a); x.update(b); x.update(c); auto d = x.finish(); return bytes(d.begin(), d.end()); }
    sha512 x; x.update(a); x.update(b); x.update(c); auto d = x.finish(); return bytes(d.begin(), d.end());
  }
  bytes node(const bytes& l, const bytes& r) const { const std::uint8_t one = 1; return h(byte_view(&one, 1), l, r); }
  // MTH(D[lo:hi]) from leaf hashes (§2.1.1).
  bytes mth(const std::vector<bytes>& lh, std::size_t lo, std::size_t hi) const {
    if (hi - lo == 1) return lh[lo];
    std::size_t k = 1;
    while (k * 2 < hi - lo) k *= 2;
    return node(mth(lh, lo, lo + k), mth(lh, lo + k, hi));
  }
  // §2.1.3.2
  bool inclusion(std::uint64_t index, std::uint64_t size, const bytes& leaf, const std::vector<bytes>& path,
                 const bytes& root) const {
    if (index >= size) return false;
    std::uint64_t fn = index, sn = size - 1;
    bytes r = leaf;
    for (const auto& p : path) {
      if (sn == 0) return false;
      if ((fn & 1) == 1 || fn == sn) {
        r = node(p, r);
        if ((fn & 1) == 0)
          while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
      } else {
        r = node(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && r == root;
  }
  // §2.1.4.2
  bool consistency(std::uint64_t first, std::uint64_t second, const bytes& first_root, const bytes& second_root,
                   std::vector<bytes> path) const {
    if (first == second) return path.empty() && first_root == second_root;
    if (first == 0 || first > second || path.empty()) return false;
    if (std::has_single_bit(first)) path.insert(path.begin(), first_root);
    std::uint64_t fn = first - 1, sn = second - 1;
    while (fn & 1) { fn >>= 1; sn >>= 1; }
    bytes fr = path[0], sr = path[0];
    for (std::size_t i = 1; i < path.size(); ++i) {
      const auto& c = path[i];
      if (sn == 0) return false;
      if ((fn & 1) == 1 || fn == sn) {
        fr = node(c, fr);
        sr = node(c, sr);
        if ((fn & 1) == 0)
          while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
      } else {
        sr = node(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && fr == first_root && sr == second_root;
  }
};

/// The leaf hashes a linked Merkle sequence stores (MerkleNodes[0] of every frame).
template <class S>
std::vector<bytes> stored_leaves(dare::sequence<S>& s) {
  std::vector<bytes> v;
  for (std::uint64_t k = 0; k < s.size(); ++k) {
    auto f = must(s.frame(k));
    auto nodes = must(dare::detail::merkle_nodes(f.t, s.hash().size()));
    v.push_back(nodes.at(0));
  }
  return v;
}

}  // namespace darekit::test
