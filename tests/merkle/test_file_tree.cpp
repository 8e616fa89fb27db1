// The chunked file tree: streaming and multi-threaded forms against the plain batch tree.
#include <atomic>
#include <catch2/catch.hpp>
#include <memory>

#include "darekit/crypto/sha2.hpp"
#include "darekit/merkle.hpp"
#include "test_util.hpp"

using namespace darekit;
using namespace darekit::merkle;

namespace {
bytes pattern(std::size_t n) {
  bytes b(n);
  std::uint32_t x = 12345;
  for (auto& c : b) { x = x * 1664525u + 1013904223u; c = std::uint8_t(x >> 24); }
  return b;
}
/// Reference: split into chunks, leaf-hash each, MTH.
template <class H>
digest_t<H> reference(byte_view data, std::size_t chunk) {
  std::vector<byte_view> v;
  for (std::size_t o = 0; o < data.size(); o += chunk) v.push_back(data.subspan(o, std::min(chunk, data.size() - o)));
  return tree_hash<H>(v);
}
}  // namespace

TEST_CASE("file tree: empty input is H(\"\")") {
  chunk_tree<sha512> t;
  CHECK(t.finish() == hash<sha512>({}));
  auto r = file_tree_hash<sha512>(byte_view{});
  REQUIRE(r);
  CHECK(*r == hash<sha512>({}));
}

TEST_CASE("file tree: one short chunk is its leaf hash") {
  const bytes d = pattern(100);
  auto r = file_tree_hash<sha512>(d);
  REQUIRE(r);
  CHECK(*r == leaf_hash<sha512>(d));
}

TEST_CASE("file tree: streaming and threaded forms agree with the batch tree") {
  const bytes data = pattern((2 << 20) + 12345);
  for (std::size_t chunk : {std::size_t(1), std::size_t(64), std::size_t(1000), std::size_t(4096), std::size_t(65536),
                            std::size_t(3 << 20)}) {
    for (std::size_t len : {std::size_t(0), std::size_t(1), chunk - 1 + (chunk == 1), chunk, chunk + 1,
                            std::size_t(1 << 20), std::size_t((1 << 20) + 1), data.size()}) {
      if (len > data.size() || (chunk == 1 && len > 70000)) continue;
      const byte_view d(data.data(), len);
      INFO("chunk " << chunk << " len " << len);
      const auto want = reference<sha512>(d, chunk);
      // Streaming in odd pieces.
      chunk_tree<sha512> t(chunk);
      for (std::size_t o = 0; o < len;) {
        const std::size_t n = std::min<std::size_t>(len - o, 7777 + o % 1000);
        t.update(d.subspan(o, n));
        o += n;
      }
      CHECK(t.finish() == want);
      // Positional reads on 1..3 threads.
      for (unsigned threads : {1u, 2u, 3u}) {
        auto read_at = [&](std::uint64_t off, byte_span out) -> result<std::size_t> {
          if (off >= len) return std::size_t(0);
          const std::size_t n = std::min<std::size_t>(out.size(), std::min<std::size_t>(len - std::size_t(off), 100000));
          std::memcpy(out.data(), d.data() + off, n);
          return n;
        };
        auto r = file_tree_hash<sha512>(read_at, chunk, threads);
        REQUIRE(r);
        CHECK(*r == want);
      }
    }
  }
}

TEST_CASE("file tree: read errors and bad chunk sizes are reported") {
  auto failing = [](std::uint64_t off, byte_span) -> result<std::size_t> {
    if (off > (1 << 20)) return fail(errc::io_error, "boom");
    return std::size_t(4096);
  };
  auto r = file_tree_hash<sha512>(failing, 4096, 2);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::io_error);
  CHECK(file_tree_hash<sha512>(byte_view{}, 0).code() == errc::invalid_argument);
  auto never = [](std::uint64_t, byte_span) -> result<std::size_t> { return std::size_t(0); };
  CHECK(file_tree_hash<sha512>(never, max_chunk_size + 1).code() == errc::invalid_argument);
}

TEST_CASE("file tree: segment fetchers may return their own (move-only) views") {
  const bytes data = pattern((1 << 20) * 2 + 777);
  struct owned {
    std::unique_ptr<bytes> b;
    byte_view data() const { return *b; }
  };
  std::atomic<int> fetched{0};
  auto fetch = [&](std::uint64_t off, std::size_t len, bytes&) -> result<owned> {
    ++fetched;
    auto b = std::make_unique<bytes>();
    if (off < data.size()) b->assign(data.begin() + std::ptrdiff_t(off), data.begin() + std::ptrdiff_t(std::min<std::uint64_t>(data.size(), off + len)));
    return owned{std::move(b)};
  };
  for (unsigned threads : {1u, 2u, 4u}) {
    auto r = tree_hash_segments<sha512>(fetch, 4096, threads);
    REQUIRE(r);
    CHECK(*r == reference<sha512>(data, 4096));
  }
  CHECK(fetched >= 9);
}
