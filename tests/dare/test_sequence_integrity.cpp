// Linked Merkle sequences under attack and accident: every single-bit flip is caught,
// truncation at every byte recovers to the last whole frame, erasure keeps every proof,
// proofs and consistency proofs check with an independent RFC 9162 verifier, random
// access stays within 2·log2(n) frame reads.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>

#include "darekit/codec/json_simd.hpp"
#include "sequence_util.hpp"

using namespace darekit;
using test::must;
using test::mem_seq;

namespace {
// A small encrypted linked Merkle sequence (XC20P, Session policy).
struct fixture {
  udf::key_pair bob = test::gen_key(udf::key_alg::x25519);
  dare::open_options oo;
  bytes data;
  fixture(std::size_t frames, bool encrypt) {
    oo.keys = {bob};
    dare::sequence_options o;
    if (encrypt) o.encrypt_to = {dare::public_of(bob)};
    auto s = must(mem_seq::create(io::memory_storage{}, o, oo));
    for (std::size_t i = 1; i < frames; ++i) must(s.append(test::ramp_bytes(i * 5, unsigned(i))));
    data = s.storage().data();
  }
};
// Damaged bytes are caught: the sequence does not open, or verify reports it.
bool caught(const bytes& b, const dare::open_options& oo) {
  auto s = mem_seq::open(io::memory_storage(b), oo);
  if (!s) return true;
  auto r = dare::verify(*s);
  return !r || !r->ok();
}
}  // namespace

TEST_CASE("every single-bit flip in a linked Merkle sequence is caught by verify", "[sequence][integrity]") {
  for (bool encrypt : {false, true}) {
    fixture fx(6, encrypt);
    INFO("encrypted " << encrypt << ", " << fx.data.size() << " bytes");
    REQUIRE_FALSE(caught(fx.data, fx.oo));
    std::size_t missed = 0;
    for (std::size_t i = 0; i < fx.data.size(); ++i)
      for (int bit = 0; bit < 8; ++bit) {
        bytes b = fx.data;
        b[i] ^= std::uint8_t(1 << bit);
        if (!caught(b, fx.oo)) { ++missed; UNSCOPED_INFO("missed flip at byte " << i << " bit " << bit); }
      }
    CHECK(missed == 0);
  }
}

TEST_CASE("truncation at every byte of the last frames recovers to the last whole frame", "[sequence][integrity]") {
  fixture fx(8, true);
  auto full = must(mem_seq::open(io::memory_storage(fx.data), fx.oo));
  const std::uint64_t last_start = full.last().offset();
  const std::uint64_t prev_start = must(full.prev(full.last()))->offset();
  for (std::uint64_t cut = prev_start + 1; cut < fx.data.size(); ++cut) {
    INFO("cut at " << cut);
    bytes b(fx.data.begin(), fx.data.begin() + std::ptrdiff_t(cut));
    auto s = must(mem_seq::open(io::memory_storage(b), fx.oo));
    const std::uint64_t whole = cut < last_start ? full.size() - 2 : cut == last_start ? full.size() - 1 : full.size() - 1;
    CHECK(s.torn() == (cut != last_start));
    CHECK(s.size() == whole);
    // a writer refuses until recover; recover keeps every whole frame, byte for byte
    if (s.torn()) CHECK(s.append(as_bytes("x")).code() == errc::malformed);
    CHECK(must(s.recover()) == whole);
    CHECK_FALSE(s.torn());
    const std::uint64_t kept = s.storage().data().size();
    CHECK(std::equal(s.storage().data().begin(), s.storage().data().end(), fx.data.begin()));
    CHECK(kept == (cut < last_start ? prev_start : last_start));
    CHECK(must(s.append(as_bytes("after recovery"))) == whole);
    auto rep = must(dare::verify(s));
    INFO(rep.problem);
    CHECK(rep.ok());
    CHECK(as_chars(must(s.get(whole))) == "after recovery");
  }
}

TEST_CASE("inclusion proofs for every index and consistency proofs for every (m, n) up to 64", "[sequence][proof]") {
  for (auto dig : {dare::digest_alg::s512, dare::digest_alg::s256}) {
    dare::sequence_options o;
    o.dig = dig;
    auto s = must(mem_seq::create(io::memory_storage{}, o));
    for (int i = 1; i < 64; ++i) must(s.append(test::ramp_bytes(std::size_t(i), unsigned(i))));
    REQUIRE(s.size() == 64);
    const test::rfc9162 ref{s.hash().size()};
    const auto leaves = test::stored_leaves(s);
    dare::prover<io::memory_storage> pv(s);
    for (std::uint64_t n = 1; n <= 64; ++n) {
      const bytes root = must(pv.root(n));
      CHECK(root == ref.mth(leaves, 0, n));                          // independent MTH
      CHECK(root == *must(s.frame(n - 1)).t.apex_digest());          // each frame's ApexDigest
      for (std::uint64_t k = 0; k < n; ++k) {
        auto p = must(pv.inclusion(k, n));
        CHECK(p.leaf == leaves[k]);
        CHECK(ref.inclusion(k, n, p.leaf, p.path, root));
        CHECK(dare::verify(p, root).has_value());
        if (!p.path.empty()) {
          auto q = p;
          q.path[0][3] ^= 1;
          CHECK_FALSE(ref.inclusion(k, n, q.leaf, q.path, root));
          CHECK_FALSE(dare::verify(q, root).has_value());
        }
      }
      for (std::uint64_t m = 1; m <= n; ++m) {
        auto c = must(pv.consistency(m, n));
        CHECK(ref.consistency(m, n, c.old_root, c.root, c.path));
        CHECK(dare::verify(c, c.old_root, c.root).has_value());
        CHECK(c.old_root == ref.mth(leaves, 0, m));
        if (!c.path.empty()) {
          auto q = c;
          q.path.back()[0] ^= 0x80;
          CHECK_FALSE(ref.consistency(m, n, q.old_root, q.root, q.path));
          CHECK_FALSE(dare::verify(q, q.old_root, q.root).has_value());
        }
      }
    }
    // JSON round trip of both forms
    auto p = must(pv.inclusion(17, 40));
    auto pj = must(dare::proof_from_json(must(json::parse_text(dare::to_json(p)))));
    REQUIRE(pj.inclusion);
    CHECK(pj.inclusion->path == p.path);
    CHECK(dare::verify(*pj.inclusion, p.root).has_value());
    auto c = must(pv.consistency(5, 40));
    auto cj = must(dare::proof_from_json(must(json::parse_text(dare::to_json(c)))));
    REQUIRE(cj.consistency);
    CHECK(dare::verify(*cj.consistency, c.old_root, c.root).has_value());
  }
}

TEST_CASE("erasure: nobody can decrypt the frame, everything else still holds", "[sequence][erase]") {
  fixture fx(12, true);
  auto s = must(mem_seq::open(io::memory_storage(fx.data), fx.oo));
  dare::prover<io::memory_storage> pv(s);
  const auto before = must(pv.inclusion(5));
  const auto before_c = must(pv.consistency(6));
  const bytes root = before.root;
  const bytes payload5 = must(s.get(5));
  must(s.erase(5));
  must(s.erase(5));  // idempotent
  CHECK(s.erase(0).code() == errc::invalid_argument);
  CHECK(s.storage().data().size() == fx.data.size());  // same length, in place
  // frame 5: gone for everyone, its key material and payload overwritten
  auto r = must(mem_seq::open(io::memory_storage(s.storage().data()), fx.oo));
  CHECK(r.get(5).code() == errc::verification_failed);
  auto f5 = must(r.frame(5));
  CHECK(f5.pos.erased);
  CHECK_FALSE(f5.h.has(dare::field::salt));
  const auto& d = r.storage().data();
  const auto pl = f5.e.payload();
  CHECK(std::all_of(d.begin() + std::ptrdiff_t(pl.offset), d.begin() + std::ptrdiff_t(pl.offset + pl.length), [](auto c) { return c == 0; }));
  const std::string tail(as_chars(payload5).substr(0, 4));
  CHECK(std::search(d.begin(), d.end(), payload5.begin(), payload5.end()) == d.end());
  // every other frame still decrypts
  for (std::uint64_t k = 1; k < r.size(); ++k)
    if (k != 5) CHECK(must(r.get(k)) == test::ramp_bytes(k * 5, unsigned(k)));
  // verify passes and lists the erased frame
  auto rep = must(dare::verify(r, {.decrypt = true}));
  INFO(rep.problem);
  CHECK(rep.ok());
  CHECK(rep.erased == std::vector<std::uint64_t>{5});
  // proofs issued before the erasure still verify, and new ones are identical
  dare::prover<io::memory_storage> pv2(r);
  CHECK(must(pv2.root(r.size())) == root);
  CHECK(dare::verify(before, root).has_value());
  CHECK(must(pv2.inclusion(5)).path == before.path);
  CHECK(must(pv2.consistency(6)).path == before_c.path);
  // a bit flip anywhere outside the erased frame's header and payload is still caught
  const auto hd = f5.e.header();
  const bytes erased = r.storage().data();
  std::size_t missed = 0;
  for (std::size_t i = 0; i < erased.size(); i += 3) {
    if ((i >= hd.offset && i < hd.offset + hd.length) || (i >= pl.offset && i < pl.offset + pl.length)) continue;
    bytes b = erased;
    b[i] ^= 0x10;
    if (!caught(b, fx.oo)) ++missed;
  }
  CHECK(missed == 0);
  // un-erasing (restoring bytes under the erased mark) is caught too: payload must stay zero
  bytes b = erased;
  b[std::size_t(pl.offset)] = 1;
  CHECK(caught(b, fx.oo));
}

TEST_CASE("random access: frame k in at most 2·log2(n) frame reads; with the index in one", "[sequence][access]") {
  dare::sequence_options o;
  auto s = must(mem_seq::create(io::memory_storage{}, o, {}, io::memory_storage{}));
  std::vector<bytes> p;
  std::vector<byte_view> v;
  for (int i = 0; i < 1500; ++i) p.push_back(test::ramp_bytes(std::size_t(i % 50), unsigned(i)));
  for (auto& x : p) v.push_back(x);
  must(s.append_batch(v));
  const double bound = 2 * std::log2(double(s.size()));
  auto r = must(mem_seq::open(io::memory_storage(s.storage().data())));  // no index
  std::uint64_t worst = 0;
  for (std::uint64_t k = 0; k < r.size(); ++k) {
    const std::uint64_t before = r.frame_reads();
    auto f = must(r.frame(k));
    CHECK(f.index() == k);
    worst = std::max(worst, r.frame_reads() - before);
  }
  INFO("worst " << worst << " bound " << bound);
  CHECK(double(worst) <= bound);
  // with the index: one read per frame
  REQUIRE(s.index_storage());
  const bytes ixb = s.index_storage()->data();
  CHECK(ixb.size() == 24 + 8 * s.size());
  auto ix = must(mem_seq::open(io::memory_storage(s.storage().data()), {}, io::memory_storage(ixb)));
  for (std::uint64_t k = 1; k + 1 < ix.size(); k += 7) {
    const std::uint64_t before = ix.frame_reads();
    CHECK(must(ix.frame(k)).index() == k);
    CHECK(ix.frame_reads() - before == 1);
  }
  // a stale index (entries pointing at other frames, or garbage) is never trusted
  bytes bad = ixb;
  for (std::size_t i = 24; i + 16 <= bad.size(); i += 8) std::swap_ranges(bad.begin() + std::ptrdiff_t(i), bad.begin() + std::ptrdiff_t(i + 4), bad.begin() + std::ptrdiff_t(i + 8));
  auto st = must(mem_seq::open(io::memory_storage(s.storage().data()), {}, io::memory_storage(bad)));
  for (std::uint64_t k = 1; k < st.size(); k += 11) CHECK(must(st.get(k)) == p[k - 1]);
  auto junk = must(mem_seq::open(io::memory_storage(s.storage().data()), {}, io::memory_storage(bytes(100, 0x5A))));
  CHECK(must(junk.get(700)) == p[699]);
  // a writer rewrites a foreign index from scratch: appended frames are indexed again
  must(junk.append(as_bytes("x")));
}
