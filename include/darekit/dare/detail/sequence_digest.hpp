// The digests of a DARE sequence (spec §8.6, DESIGN.md §3), with the sequence hash (S512
// or S256) chosen at run time:
//
//   compat  ChainDigest_n = H(Z || PD_n);  ApexDigest_k = A^m(PD_k), A(x) = H(Z || x),
//           m = tz(n+1)+1 with n = max(k, 1)   (the reference's degenerate digests)
//   linked  C_0 = H(Z || PD_0), C_n = H(C_{n-1} || PD_n);
//           leaf_i = H(header record of frame i) || PD_i, RFC 9162 leaf H(0x00 || leaf_i),
//           node H(0x01 || l || r); frame i stores the nodes it completes (levels 0..tz(i+1))
//           and the root over leaves 0..i
//
// Z is a zero block of the digest's length.
#pragma once
#include <array>
#include <bit>
#include <cstring>
#include <span>
#include <vector>

#include "darekit/crypto/sha2.hpp"
#include "darekit/dare/algorithms.hpp"
#include "darekit/hash/hash_many.hpp"

namespace darekit::dare::detail {

/// A digest of the sequence hash, held inline (no allocation).
struct hval {
  std::array<std::uint8_t, 64> b{};
  std::uint8_t n = 0;
  [[nodiscard]] byte_view view() const noexcept { return {b.data(), n}; }
  [[nodiscard]] bytes to_bytes() const { return bytes(b.begin(), b.begin() + n); }
  static hval of(byte_view v) noexcept {
    hval h;
    h.n = std::uint8_t(std::min<std::size_t>(v.size(), 64));
    std::memcpy(h.b.data(), v.data(), h.n);
    return h;
  }
  /// Constant-time equality.
  friend bool operator==(const hval& x, const hval& y) noexcept { return ct_equal(x.view(), y.view()); }
};

/// The sequence hash (S512 or S256) and the digests built from it.
class seq_hash {
 public:
  explicit seq_hash(digest_alg a = digest_alg::s512) : s256_(a == digest_alg::s256) {}
  [[nodiscard]] std::size_t size() const noexcept { return s256_ ? 32 : 64; }
  [[nodiscard]] digest_alg alg() const noexcept { return s256_ ? digest_alg::s256 : digest_alg::s512; }

  /// H(a || b || c).
  [[nodiscard]] hval operator()(byte_view a, byte_view b = {}, byte_view c = {}) const {
    return s256_ ? run<sha256>(a, b, c) : run<sha512>(a, b, c);
  }
  [[nodiscard]] hval zero() const noexcept { hval z; z.n = std::uint8_t(size()); return z; }
  [[nodiscard]] hval leaf(byte_view leaf_input) const {
    static constexpr std::uint8_t p = 0x00;
    return (*this)(byte_view(&p, 1), leaf_input);
  }
  [[nodiscard]] hval node(const hval& l, const hval& r) const {
    static constexpr std::uint8_t p = 0x01;
    return (*this)(byte_view(&p, 1), l.view(), r.view());
  }
  /// Many independent digests at once (multi-buffer kernels), `prefix` before each message.
  void many(byte_view prefix, std::span<const byte_view> msgs, std::span<hval> out) const {
    if (s256_) many_as<sha256>(prefix, msgs, out);
    else many_as<sha512>(prefix, msgs, out);
  }

  // compat
  [[nodiscard]] hval compat_chain(const hval& pd) const { return (*this)(zero().view(), pd.view()); }
  [[nodiscard]] hval compat_apex(const hval& pd, std::uint64_t k) const {
    const std::uint64_t n = k == 0 ? 1 : k;
    const int m = std::countr_zero(n + 1) + 1;
    hval x = pd;
    for (int i = 0; i < m; ++i) x = (*this)(zero().view(), x.view());
    return x;
  }
  // linked
  [[nodiscard]] hval chain(const hval* previous, const hval& pd) const {
    return (*this)(previous ? previous->view() : zero().view(), pd.view());
  }

 private:
  template <class H>
  static hval run(byte_view a, byte_view b, byte_view c) {
    H h;
    h.update(a);
    h.update(b);
    h.update(c);
    return hval::of(h.finish());
  }
  template <class H>
  static void many_as(byte_view prefix, std::span<const byte_view> msgs, std::span<hval> out) {
    std::vector<typename H::digest_type> d(msgs.size());
    if (prefix.empty()) (void)hash_batch<H>(msgs, d);
    else (void)hash_batch_prefixed<H>(prefix, msgs, d);
    for (std::size_t i = 0; i < msgs.size(); ++i) out[i] = hval::of(d[i]);
  }
  bool s256_ = false;
};

/// The Merkle frontier of a linked sequence: the roots of the perfect subtrees over the
/// leaves so far, largest first. push() returns the nodes a new leaf completes.
class seq_frontier {
 public:
  struct node { hval h; unsigned height; };
  /// Append leaf hash `leaf`; `completed` receives its leaf hash and every node it
  /// completes, level 0 upwards (tz(size+1)+1 digests).
  void push(const seq_hash& H, const hval& leaf, std::vector<hval>& completed) {
    completed.clear();
    completed.push_back(leaf);
    hval h = leaf;
    unsigned height = 0;
    while (!nodes_.empty() && nodes_.back().height == height) {
      h = H.node(nodes_.back().h, h);
      nodes_.pop_back();
      completed.push_back(h);
      ++height;
    }
    nodes_.push_back({h, height});
    ++size_;
  }
  /// Add a perfect subtree root read back from storage (rebuilding on open), largest first.
  void restore(const hval& h, unsigned height) {
    nodes_.push_back({h, height});
    size_ += std::uint64_t(1) << height;
  }
  [[nodiscard]] hval root(const seq_hash& H) const {
    if (nodes_.empty()) return H(byte_view{});
    hval r = nodes_.back().h;
    for (std::size_t i = nodes_.size() - 1; i-- > 0;) r = H.node(nodes_[i].h, r);
    return r;
  }
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  [[nodiscard]] const std::vector<node>& nodes() const noexcept { return nodes_; }
  void clear() noexcept { nodes_.clear(); size_ = 0; }

 private:
  std::vector<node> nodes_;
  std::uint64_t size_ = 0;
};

/// MerkleNodes of frame i: tz(i+1)+1 digests.
constexpr std::size_t merkle_node_count(std::uint64_t i) noexcept { return std::size_t(std::countr_zero(i + 1)) + 1; }

/// The frames whose stored perfect-subtree roots make up the frontier of size n, largest
/// subtree first: for each set bit h of n (high to low), the frame a + 2^h - 1 storing
/// subtree [a, a + 2^h) at level h.
inline std::vector<std::pair<std::uint64_t, unsigned>> frontier_frames(std::uint64_t n) {
  std::vector<std::pair<std::uint64_t, unsigned>> v;
  std::uint64_t a = 0;
  for (int h = 63; h >= 0; --h)
    if (n >> h & 1) {
      v.emplace_back(a + (std::uint64_t(1) << h) - 1, unsigned(h));
      a += std::uint64_t(1) << h;
    }
  return v;
}

}  // namespace darekit::dare::detail
