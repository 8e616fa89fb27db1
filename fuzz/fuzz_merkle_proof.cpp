// Fuzz RFC 9162 proof verification: arbitrary bytes as an encoded inclusion proof (mode 0)
// or a consistency proof (mode 1) against a fixed 37-leaf SHA-512 tree. Must never crash,
// and a proof that verifies must be the genuine one (anything else is a forgery).
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "darekit/crypto/sha2.hpp"
#include "darekit/merkle/proof.hpp"

using namespace darekit;
using H = sha512;

namespace {
struct fixture {
  std::vector<digest512> leaves;
  std::vector<digest512> roots;  // roots[n] = MTH of the first n leaves
  fixture() {
    for (int i = 0; i < 37; ++i) {
      const std::uint8_t d[2] = {std::uint8_t(i), std::uint8_t(i * 7)};
      leaves.push_back(merkle::leaf_hash<H>(byte_view(d, 2)));
    }
    for (std::size_t n = 0; n <= leaves.size(); ++n)
      roots.push_back(merkle::root_from_leaf_hashes<H>(std::span<const digest512>(leaves).first(n)));
  }
};
const fixture& fx() {
  static const fixture f;
  return f;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto& f = fx();
  const byte_view in(data + 1, size - 1);
  if ((data[0] & 1) == 0) {
    auto p = merkle::decode_inclusion_proof<H>(in);
    if (!p) return 0;
    const bool known = p->tree_size <= f.leaves.size() && p->index < p->tree_size;
    const digest512 leaf = known ? f.leaves[std::size_t(p->index)] : digest512{};
    const digest512 root = p->tree_size <= f.leaves.size() ? f.roots[std::size_t(p->tree_size)] : digest512{};
    const bool ok = bool(merkle::verify_inclusion<H>(*p, leaf, root));
    (void)merkle::encode(*p);
    if (ok) {
      if (!known) std::abort();  // verified against a tree that does not contain the leaf
      auto genuine = merkle::prove_inclusion<H>(f.leaves, p->index, p->tree_size);
      if (!genuine || genuine->path != p->path) std::abort();  // forged path accepted
    }
  } else {
    // be64 first, be64 second, u8 count, count digests.
    if (in.size() < 17) return 0;
    const std::uint64_t first = load_be64(in.data()), second = load_be64(in.data() + 8);
    const std::size_t n = in[16];
    if (in.size() != 17 + n * 64 || n > merkle::max_proof_path) return 0;
    std::vector<digest512> path(n);
    for (std::size_t i = 0; i < n; ++i) std::memcpy(path[i].data(), in.data() + 17 + 64 * i, 64);
    const bool known = second <= f.leaves.size();
    const digest512 r1 = first <= f.leaves.size() ? f.roots[std::size_t(first)] : digest512{};
    const digest512 r2 = known ? f.roots[std::size_t(second)] : digest512{};
    const bool ok = bool(merkle::verify_consistency<H>(first, second, r1, r2, path));
    if (ok && known && first > 0 && first < second) {
      auto genuine = merkle::prove_consistency<H>(f.leaves, first, second);
      if (!genuine || genuine->path != path) std::abort();
    }
  }
  return 0;
}
