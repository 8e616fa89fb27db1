// RFC 9162 Merkle trees: Certificate Transparency reference vectors, a plain recursive
// MTH as oracle for sizes 0..1000, proofs for every leaf and size pair, and every
// mutated proof rejected.
#include <catch2/catch.hpp>
#include <memory>

#include "darekit/crypto/sha2.hpp"
#include "darekit/merkle.hpp"
#include "test_util.hpp"

using namespace darekit;
using namespace darekit::merkle;

namespace {
// The 8-leaf test tree used by Certificate Transparency implementations (RFC 6962,
// SHA-256; transcribed from the published CT / transparency-dev test data).
const char* const ct_leaves[] = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                 "606162636465666768696a6b6c6d6e6f"};
const char* const ct_roots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};
struct path_vector { std::uint64_t index, size; std::vector<const char*> path; };
const path_vector ct_inclusion[] = {
    {0, 8, {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5, 8, {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1, 5, {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};
const path_vector ct_consistency[] = {  // {first, second, path}
    {1, 8, {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6, 8, {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 5, {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {1, 1, {}},
};

template <class H>
digest_t<H> dg(const char* hexs) {
  auto b = test::unhex(hexs);
  digest_t<H> d{};
  REQUIRE(b.size() == d.size());
  std::copy(b.begin(), b.end(), d.begin());
  return d;
}
template <class H>
std::vector<digest_t<H>> dgs(const std::vector<const char*>& v) {
  std::vector<digest_t<H>> out;
  for (auto s : v) out.push_back(dg<H>(s));
  return out;
}

/// Plain recursive RFC 9162 MTH over leaf hashes (the oracle).
template <class H>
digest_t<H> oracle(std::span<const digest_t<H>> d) {
  if (d.empty()) return hash<H>({});
  if (d.size() == 1) return d[0];
  std::uint64_t k = 1;
  while (k * 2 < d.size()) k *= 2;
  return node_hash<H>(oracle<H>(d.first(k)), oracle<H>(d.subspan(k)));
}

template <class H>
std::vector<digest_t<H>> make_leaves(std::size_t n) {
  std::vector<bytes> data;
  std::vector<byte_view> views;
  for (std::size_t i = 0; i < n; ++i) {
    bytes b(i % 37);
    for (std::size_t j = 0; j < b.size(); ++j) b[j] = std::uint8_t(i * 31 + j);
    data.push_back(b);
  }
  for (auto& b : data) views.emplace_back(b);
  return leaf_hashes<H>(views);
}
}  // namespace

TEST_CASE("merkle: Certificate Transparency reference tree (SHA-256)") {
  std::vector<bytes> data;
  for (auto s : ct_leaves) data.push_back(test::unhex(s));
  std::vector<byte_view> views(data.begin(), data.end());
  const auto lh = leaf_hashes<sha256>(views);
  frontier<sha256> f;
  CHECK(hex::encode(f.root()) == ct_roots[0]);
  for (std::size_t n = 0; n <= 8; ++n) {
    CHECK(hex::encode(tree_hash<sha256>(std::span(views).first(n))) == ct_roots[n]);
    CHECK(hex::encode(root_from_leaf_hashes<sha256>(std::span(lh).first(n))) == ct_roots[n]);
    if (n) {
      f.append(views[n - 1]);
      CHECK(hex::encode(f.root()) == ct_roots[n]);
      CHECK(f.size() == n);
    }
  }
  for (const auto& v : ct_inclusion) {
    INFO("inclusion " << v.index << " of " << v.size);
    const auto want = dgs<sha256>(v.path);
    auto p = prove_inclusion<sha256>(lh, v.index, v.size);
    REQUIRE(p);
    CHECK(p->path == want);
    CHECK(verify_inclusion<sha256>(lh[v.index], v.index, v.size, want, dg<sha256>(ct_roots[v.size])));
  }
  for (const auto& v : ct_consistency) {
    INFO("consistency " << v.index << " -> " << v.size);
    const auto want = dgs<sha256>(v.path);
    auto p = prove_consistency<sha256>(lh, v.index, v.size);
    REQUIRE(p);
    CHECK(p->path == want);
    CHECK(verify_consistency<sha256>(v.index, v.size, dg<sha256>(ct_roots[v.index]), dg<sha256>(ct_roots[v.size]), want));
  }
}

TEST_CASE("merkle: batched tree, frontier and oracle agree for sizes 0..1000 (SHA-512)") {
  const auto lh = make_leaves<sha512>(1000);
  frontier<sha512> f;
  std::size_t bad = 0;
  for (std::size_t n = 0; n <= 1000; ++n) {
    if (n) f.append_leaf_hash(lh[n - 1]);
    const auto want = oracle<sha512>(std::span(lh).first(n));
    if (root_from_leaf_hashes<sha512>(std::span(lh).first(n)) != want || f.root() != want) ++bad;
  }
  CHECK(bad == 0);
  CHECK(f.size() == 1000);
  CHECK(f.hashes().size() == 6);  // 1000 = 0b1111101000
}

TEST_CASE("merkle: SHA-256 and SHA3-like non-multi-buffer hashes also build trees") {
  const auto lh = make_leaves<sha256>(77);
  CHECK(root_from_leaf_hashes<sha256>(std::span(lh)) == oracle<sha256>(std::span(lh)));
}

TEST_CASE("merkle: frontier subtree appends must be aligned") {
  frontier<sha512> f;
  f.append(as_bytes("a"));
  CHECK_FALSE(f.append_subtree(digest512{}, 1));
  f.append(as_bytes("b"));
  CHECK(f.append_subtree(digest512{}, 1));
  CHECK(f.size() == 4);
}

TEST_CASE("merkle: inclusion proofs for every leaf of sizes 1..70; every mutation rejected") {
  using H = sha512;
  const auto lh = make_leaves<H>(70);
  const digest512 some = hash<H>(as_bytes("some hash"));
  std::size_t accepted_bad = 0, rejected_good = 0, checks = 0;
  for (std::uint64_t n = 1; n <= 70; ++n) {
    const auto root = oracle<H>(std::span(lh).first(n));
    for (std::uint64_t i = 0; i < n; ++i) {
      auto p = prove_inclusion<H>(lh, i, n);
      REQUIRE(p);
      if (!verify_inclusion<H>(*p, lh[i], root)) ++rejected_good;
      auto expect_bad = [&](std::uint64_t idx, std::uint64_t size, const std::vector<digest512>& path,
                            const digest512& leaf, const digest512& r) {
        ++checks;
        if (verify_inclusion<H>(leaf, idx, size, path, r)) ++accepted_bad;
      };
      const auto& path = p->path;
      expect_bad(i - 1, n, path, lh[i], root);
      expect_bad(i + 1, n, path, lh[i], root);
      expect_bad(i ^ 2, n, path, lh[i], root);
      expect_bad(i, n * 2, path, lh[i], root);
      expect_bad(i, n / 2, path, lh[i], root);
      expect_bad(i, n, path, some, root);
      expect_bad(i, n, path, lh[i], some);
      expect_bad(i, n, path, lh[i], hash<H>({}));
      auto ext = path; ext.push_back(root); expect_bad(i, n, ext, lh[i], root);
      auto ext0 = path; ext0.push_back(digest512{}); expect_bad(i, n, ext0, lh[i], root);
      auto pre = path; pre.insert(pre.begin(), root); expect_bad(i, n, pre, lh[i], root);
      if (!path.empty()) {
        auto tr = path; tr.pop_back(); expect_bad(i, n, tr, lh[i], root);
        for (std::size_t k = 0; k < path.size(); ++k)
          for (int bit : {0, 3, 511}) {
            auto m = path; m[k][std::size_t(bit / 8)] ^= std::uint8_t(1u << (bit % 8));
            expect_bad(i, n, m, lh[i], root);
          }
      }
      if (path.size() > 1) {
        auto ins = path; ins.insert(ins.begin() + 1, some); expect_bad(i, n, ins, lh[i], root);
      }
    }
  }
  CHECK(rejected_good == 0);
  CHECK(accepted_bad == 0);
  CHECK(checks > 40000);
  CHECK_FALSE(prove_inclusion<H>(lh, 5, 5));
  CHECK_FALSE(prove_inclusion<H>(lh, 0, 71));
}

TEST_CASE("merkle: consistency proofs for every size pair up to 40; every mutation rejected") {
  using H = sha512;
  const auto lh = make_leaves<H>(40);
  std::vector<digest512> roots;
  for (std::size_t n = 0; n <= 40; ++n) roots.push_back(oracle<H>(std::span(lh).first(n)));
  const digest512 some = hash<H>(as_bytes("some hash"));
  std::size_t accepted_bad = 0, rejected_good = 0;
  for (std::uint64_t m = 0; m <= 40; ++m)
    for (std::uint64_t n = m; n <= 40; ++n) {
      auto p = prove_consistency<H>(lh, m, n);
      REQUIRE(p);
      if (!verify_consistency<H>(*p, roots[m], roots[n])) ++rejected_good;
      if (m == 0 || m == n) continue;
      const auto& path = p->path;
      auto bad = [&](std::uint64_t a, std::uint64_t b, const digest512& ra, const digest512& rb,
                     const std::vector<digest512>& pp) {
        if (verify_consistency<H>(a, b, ra, rb, pp)) ++accepted_bad;
      };
      bad(m - 1, n, roots[m], roots[n], path);
      bad(m + 1, n, roots[m], roots[n], path);
      bad(m ^ 2, n, roots[m], roots[n], path);
      bad(m, n * 2, roots[m], roots[n], path);
      bad(m, n / 2, roots[m], roots[n], path);
      bad(m, n, some, roots[n], path);
      bad(m, n, roots[m], some, path);
      bad(m, n, roots[n], roots[m], path);
      bad(m, n, roots[m], roots[n], {});
      auto e1 = path; e1.push_back(digest512{}); bad(m, n, roots[m], roots[n], e1);
      auto e2 = path; e2.push_back(roots[m]); bad(m, n, roots[m], roots[n], e2);
      auto p1 = path; p1.insert(p1.begin(), roots[n]); bad(m, n, roots[m], roots[n], p1);
      auto p2 = path; p2.insert(p2.begin(), path[0]); bad(m, n, roots[m], roots[n], p2);
      auto tr = path; tr.pop_back(); bad(m, n, roots[m], roots[n], tr);
      for (std::size_t k = 0; k < path.size(); ++k) {
        auto mm = path; mm[k][0] ^= 16; bad(m, n, roots[m], roots[n], mm);
      }
    }
  CHECK(rejected_good == 0);
  CHECK(accepted_bad == 0);
  // Sizes and roots that are trivially consistent, and ones that are not.
  CHECK(verify_consistency<H>(0, 0, roots[0], roots[0], {}));
  CHECK(verify_consistency<H>(0, 5, some, roots[5], {}));
  CHECK_FALSE(verify_consistency<H>(1, 1, roots[1], roots[2], {}));
  CHECK_FALSE(verify_consistency<H>(2, 1, roots[2], roots[1], {}));
  CHECK_FALSE(verify_consistency<H>(0, 0, roots[0], roots[0], std::vector<digest512>{roots[0]}));
  CHECK_FALSE(prove_consistency<H>(lh, 5, 4));
  CHECK_FALSE(prove_consistency<H>(lh, 5, 41));
}

TEST_CASE("merkle: inclusion proof encoding round-trips and rejects malformed bytes") {
  using H = sha512;
  const auto lh = make_leaves<H>(13);
  auto p = prove_inclusion<H>(lh, 6, 13);
  REQUIRE(p);
  const bytes enc = encode(*p);
  auto q = decode_inclusion_proof<H>(enc);
  REQUIRE(q);
  CHECK(q->index == 6);
  CHECK(q->tree_size == 13);
  CHECK(q->path == p->path);
  CHECK(decode_inclusion_proof<H>(byte_view(enc).first(16)).code() == errc::truncated);
  CHECK(decode_inclusion_proof<H>(byte_view(enc).first(enc.size() - 1)).code() == errc::malformed);
  bytes big = enc;
  big[16] = 200;
  CHECK(decode_inclusion_proof<H>(big).code() == errc::too_large);
}

TEST_CASE("merkle: stored tree gives the same roots and proofs as the recursive definitions") {
  using H = sha512;
  const auto lh = make_leaves<H>(100);
  for (std::size_t n = 0; n <= 100; ++n) {
    auto t = tree<H>::from_leaf_hashes({lh.begin(), lh.begin() + std::ptrdiff_t(n)});
    CHECK(t.size() == n);
    CHECK(t.root() == oracle<H>(std::span(lh).first(n)));
    for (std::uint64_t i = 0; i < n; ++i) {
      auto a = t.prove(i);
      auto b = prove_inclusion<H>(lh, i, n);
      REQUIRE(a);
      REQUIRE(b);
      CHECK(a->path == b->path);
    }
    CHECK_FALSE(t.prove(n));
  }
}

TEST_CASE("merkle: batched inclusion verification agrees with one-by-one verification") {
  using H = sha512;
  const auto lh = make_leaves<H>(300);
  const auto t = tree<H>::from_leaf_hashes(lh);
  const auto root = t.root();
  std::vector<inclusion_proof<H>> proofs;
  std::vector<digest512> leaves;
  for (std::uint64_t i = 0; i < 300; i += 7) {
    proofs.push_back(*t.prove(i));
    leaves.push_back(lh[i]);
  }
  // Some broken ones: flipped bit, wrong index, wrong leaf, extended, truncated, bad size.
  auto bad1 = proofs[3]; bad1.path[1][5] ^= 1;
  auto bad2 = proofs[4]; bad2.index ^= 1;
  auto bad3 = proofs[5]; bad3.path.push_back(root);
  auto bad4 = proofs[6]; bad4.path.pop_back();
  auto bad5 = proofs[7]; bad5.tree_size = 0;
  auto bad6 = proofs[8]; bad6.tree_size *= 2;
  for (auto* b : {&bad1, &bad2, &bad3, &bad4, &bad5, &bad6}) proofs.push_back(*b);
  for (std::size_t k : {3u, 4u, 5u, 6u, 7u, 8u}) leaves.push_back(leaves[k]);
  leaves.push_back(lh[1]);
  proofs.push_back(*t.prove(2));  // wrong leaf
  std::vector<char> want;
  for (std::size_t i = 0; i < proofs.size(); ++i) want.push_back(bool(verify_inclusion<H>(proofs[i], leaves[i], root)));
  std::unique_ptr<bool[]> got(new bool[proofs.size()]);
  REQUIRE(verify_inclusion_batch<H>(proofs, leaves, root, std::span<bool>(got.get(), proofs.size())));
  std::size_t valid = 0;
  for (std::size_t i = 0; i < proofs.size(); ++i) {
    CHECK(bool(want[i]) == got[i]);
    valid += got[i];
  }
  CHECK(valid == 43);  // 43 genuine proofs, 7 broken ones
  CHECK_FALSE(verify_inclusion_batch<H>(proofs, std::span(leaves).first(3), root, std::span<bool>(got.get(), proofs.size())));
}
