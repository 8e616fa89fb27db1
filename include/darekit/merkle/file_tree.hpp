// The chunked file tree of `darekit hash --tree` (DESIGN.md §3): RFC 9162 MTH over
// consecutive chunks of a byte stream (default 4096 bytes; the last chunk may be short;
// empty input has no leaves and MTH = H("")).
//
// Bounded memory: data is processed in segments of 2^h chunks; each segment's leaves
// and levels are hashed with the multi-buffer kernels and only its subtree root is kept,
// in a frontier (O(log n)). file_tree_hash() / tree_hash_segments() hash segments on
// several threads, each reading (or mapping) its own segments.
#pragma once
#include <algorithm>
#include <bit>
#include <concepts>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"
#include "darekit/merkle/frontier.hpp"
#include "darekit/merkle/tree_hash.hpp"

namespace darekit::merkle {

/// Largest chunk size accepted (64 MiB).
inline constexpr std::size_t max_chunk_size = std::size_t(1) << 26;

namespace detail {
/// Chunks per segment: about 1 MiB of data, at most 16384 leaf digests, a power of two.
inline std::size_t segment_chunks(std::size_t chunk) noexcept {
  const std::size_t target = (std::size_t(1) << 20) / chunk;
  return std::clamp<std::size_t>(std::bit_floor(std::max<std::size_t>(target, 1)), 1, 16384);
}

/// MTH of the chunks of `data` (last chunk may be short; data non-empty).
template <hash_function H>
digest_t<H> segment_root(byte_view data, std::size_t chunk, std::vector<byte_view>& views,
                         std::vector<digest_t<H>>& leaves) {
  const std::size_t n = (data.size() + chunk - 1) / chunk;
  views.resize(n);
  for (std::size_t i = 0; i < n; ++i) views[i] = data.subspan(i * chunk, std::min(chunk, data.size() - i * chunk));
  leaves.resize(n);
  hash_leaves<H>(views, leaves.data());
  return root_from_leaf_hashes<H>(std::span<const digest_t<H>>(leaves));
}
}  // namespace detail

/// Streaming chunked tree hash (one thread): update() any number of times, finish() once.
template <hash_function H>
class chunk_tree {
 public:
  /// `chunk` must be in [1, max_chunk_size]; out-of-range values are clamped.
  explicit chunk_tree(std::size_t chunk = 4096)
      : chunk_(std::clamp<std::size_t>(chunk, 1, max_chunk_size)),
        seg_chunks_(detail::segment_chunks(chunk_)),
        height_(unsigned(std::countr_zero(seg_chunks_))),
        buf_(seg_chunks_ * chunk_) {}

  /// Absorb more bytes.
  void update(byte_view b) {
    while (!b.empty()) {
      const std::size_t take = std::min(b.size(), buf_.size() - fill_);
      std::memcpy(buf_.data() + fill_, b.data(), take);
      fill_ += take;
      b = b.subspan(take);
      if (fill_ == buf_.size()) flush_full();
    }
  }
  /// The free part of the internal buffer, to read into directly; then commit(n).
  byte_span reserve() noexcept { return byte_span(buf_.data() + fill_, buf_.size() - fill_); }
  /// Account for `n` bytes written into reserve().
  void commit(std::size_t n) noexcept {
    fill_ += std::min(n, buf_.size() - fill_);
    if (fill_ == buf_.size()) flush_full();
  }
  /// The tree hash of everything absorbed.
  digest_t<H> finish() {
    if (fill_ == 0) return front_.size() ? front_.root() : empty_root<H>();
    const auto tail = detail::segment_root<H>(byte_view(buf_.data(), fill_), chunk_, views_, leaves_);
    return front_.root_with(tail);
  }
  /// Number of leaves so far (complete segments only).
  std::uint64_t leaves_done() const noexcept { return front_.size(); }

 private:
  void flush_full() {
    const auto r = detail::segment_root<H>(byte_view(buf_), chunk_, views_, leaves_);
    (void)front_.append_subtree(r, height_);
    fill_ = 0;
  }
  std::size_t chunk_, seg_chunks_;
  unsigned height_;
  bytes buf_;
  std::size_t fill_ = 0;
  frontier<H> front_;
  std::vector<byte_view> views_;
  std::vector<digest_t<H>> leaves_;
};

/// Tree hash over a source fetched in segments, on `threads` threads (0 = hardware
/// concurrency). `fetch(offset, len, scratch)` returns result<S> for a movable S with
/// `byte_view data() const`: the `len` bytes at `offset` (fewer only where the data ends,
/// none past it). `scratch` is the calling thread's own buffer, which the fetcher may
/// fill and point into (or it may return a memory mapping instead). S is destroyed as soon
/// as the segment is hashed. `fetch` must be callable from several threads at once.
/// Memory: one segment (about 1 MiB) plus its leaf digests per thread.
template <hash_function H, class Fetch>
[[nodiscard]] result<digest_t<H>> tree_hash_segments(Fetch&& fetch, std::size_t chunk = 4096, unsigned threads = 1) {
  if (chunk == 0 || chunk > max_chunk_size) return fail(errc::invalid_argument, "tree hash: chunk size out of range");
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, 64u);
  const std::size_t seg_chunks = detail::segment_chunks(chunk);
  const unsigned height = unsigned(std::countr_zero(seg_chunks));
  const std::size_t seg_bytes = seg_chunks * chunk;

  std::mutex m;
  std::condition_variable cv;
  std::uint64_t next_seg = 0;  // next segment to append, in order
  bool stop = false;           // end of data reached or an error
  std::optional<error> err;
  std::optional<digest_t<H>> tail;
  frontier<H> front;

  auto worker = [&](unsigned t) {
    bytes scratch;
    std::vector<byte_view> views;
    std::vector<digest_t<H>> leaves;
    for (std::uint64_t seg = t;; seg += threads) {
      {
        std::lock_guard<std::mutex> lk(m);
        if (stop) return;
      }
      std::size_t got = 0;
      std::optional<digest_t<H>> root;
      {
        auto s = fetch(seg * seg_bytes, seg_bytes, scratch);
        if (!s) {
          std::lock_guard<std::mutex> lk(m);
          if (!err) err = s.err();
          stop = true;
          cv.notify_all();
          return;
        }
        const byte_view d = s->data();
        got = std::min(d.size(), seg_bytes);
        if (got) root = detail::segment_root<H>(d.first(got), chunk, views, leaves);
      }
      std::unique_lock<std::mutex> lk(m);
      cv.wait(lk, [&] { return next_seg == seg || stop; });
      if (stop) return;  // the data ended before this segment, or an error
      if (got == seg_bytes) {
        (void)front.append_subtree(*root, height);
      } else {
        if (root) tail = *root;
        stop = true;  // this segment ended the data
      }
      ++next_seg;
      cv.notify_all();
      if (got != seg_bytes) return;
    }
  };

  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();
  if (err) return *err;
  if (tail) return front.root_with(*tail);
  return front.size() ? front.root() : empty_root<H>();
}

/// Tree hash of a seekable source read through `read_at(offset, byte_span) -> result<size_t>`
/// (bytes read, 0 at end; must be callable from several threads at once, like pread), using
/// `threads` threads (0 = hardware concurrency). Memory: about 1 MiB per thread.
template <hash_function H, class ReadAt>
  requires std::invocable<ReadAt&, std::uint64_t, byte_span>
[[nodiscard]] result<digest_t<H>> file_tree_hash(ReadAt&& read_at, std::size_t chunk = 4096, unsigned threads = 1) {
  struct segment {
    byte_view v;
    byte_view data() const noexcept { return v; }
  };
  auto fetch = [&](std::uint64_t off, std::size_t len, bytes& scratch) -> result<segment> {
    scratch.resize(len);
    std::size_t got = 0;
    while (got < len) {  // short reads only at the end
      auto r = read_at(off + got, byte_span(scratch.data() + got, len - got));
      if (!r) return r.err();
      if (*r == 0) break;
      got += std::min(*r, len - got);
    }
    return segment{byte_view(scratch.data(), got)};
  };
  return tree_hash_segments<H>(fetch, chunk, threads);
}

/// Tree hash of an in-memory buffer (batched, one thread).
template <hash_function H>
[[nodiscard]] result<digest_t<H>> file_tree_hash(byte_view data, std::size_t chunk = 4096) {
  if (chunk == 0 || chunk > max_chunk_size) return fail(errc::invalid_argument, "tree hash: chunk size out of range");
  chunk_tree<H> t(chunk);
  t.update(data);
  return t.finish();
}

}  // namespace darekit::merkle
