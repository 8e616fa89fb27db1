// The I/O vocabulary every darekit module speaks: sources (read in order), sinks (write
// in order) and positional storage (read at an offset, append, overwrite in place,
// truncate, sync, exclusive lock), as concepts, with memory implementations here and
// POSIX files in core/file.hpp.
//
//   io::memory_storage log;                       // a sequence in memory (tests)
//   auto f = io::file::open("audit.dseq", io::open_mode::read_write);
//   io::sink_fn out = io::sink_fn(file_or_any_sink);   // type-erased, by reference
//
// A type models a concept by having the member functions below; nothing to inherit.
// `source_fn` / `sink_fn` erase the type (for a callback, or any source/sink object held
// by reference), so interfaces that store a sink need not be templates.
#pragma once
#include <algorithm>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <type_traits>
#include <utility>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"

namespace darekit::io {

/// Reads bytes in order: read(out) fills up to out.size() bytes; 0 means the end.
template <class S>
concept source = requires(S& s, byte_span out) {
  { s.read(out) } -> std::same_as<result<std::size_t>>;
};

/// Takes bytes in order; write() consumes all of `in` or fails.
template <class S>
concept sink = requires(S& s, byte_view in) {
  { s.write(in) } -> std::same_as<result<void>>;
};

/// Random-access reads: read_at() returns fewer bytes than asked only at the end.
/// read_at() on a const object must be safe to call from several threads at once.
template <class S>
concept positional_source = requires(const S& s, std::uint64_t off, byte_span out) {
  { s.read_at(off, out) } -> std::same_as<result<std::size_t>>;
  { s.size() } -> std::same_as<result<std::uint64_t>>;
};

/// Storage for an append-only file: positional reads, append at the end, overwrite of
/// existing bytes (never extending), truncate, durable sync, and an exclusive writer
/// lock (lock() blocks, try_lock() does not; both are advisory, between writers).
template <class S>
concept storage = positional_source<S> && requires(S& s, std::uint64_t n, byte_view in) {
  { s.append(in) } -> std::same_as<result<void>>;
  { s.write_at(n, in) } -> std::same_as<result<void>>;
  { s.truncate(n) } -> std::same_as<result<void>>;
  { s.sync() } -> std::same_as<result<void>>;
  { s.lock() } -> std::same_as<result<void>>;
  { s.try_lock() } -> std::same_as<result<bool>>;
  { s.unlock() } -> std::same_as<void>;
};

/// A type-erased sink: a callable `result<void>(byte_view)`, or any sink held by reference
/// (the object must outlive the sink_fn).
class sink_fn {
 public:
  sink_fn() = default;
  template <class F>
    requires(!std::same_as<std::remove_cvref_t<F>, sink_fn> && std::is_invocable_r_v<result<void>, F&, byte_view>)
  sink_fn(F f) : f_(std::move(f)) {}  // NOLINT implicit: lambdas convert
  template <sink S>
    requires(!std::same_as<std::remove_cvref_t<S>, sink_fn>)
  sink_fn(S& s) : f_([&s](byte_view b) { return s.write(b); }) {}  // NOLINT implicit
  result<void> write(byte_view b) const { return f_(b); }
  result<void> operator()(byte_view b) const { return f_(b); }
  explicit operator bool() const noexcept { return bool(f_); }
 private:
  std::function<result<void>(byte_view)> f_;
};

/// A type-erased source: a callable `result<size_t>(byte_span)`, or any source by reference.
class source_fn {
 public:
  source_fn() = default;
  template <class F>
    requires(!std::same_as<std::remove_cvref_t<F>, source_fn> &&
             std::is_invocable_r_v<result<std::size_t>, F&, byte_span>)
  source_fn(F f) : f_(std::move(f)) {}  // NOLINT implicit
  template <source S>
    requires(!std::same_as<std::remove_cvref_t<S>, source_fn>)
  source_fn(S& s) : f_([&s](byte_span b) { return s.read(b); }) {}  // NOLINT implicit
  result<std::size_t> read(byte_span out) const { return f_(out); }
  result<std::size_t> operator()(byte_span out) const { return f_(out); }
  explicit operator bool() const noexcept { return bool(f_); }
 private:
  std::function<result<std::size_t>(byte_span)> f_;
};

/// Read from memory (no copy; the bytes must outlive the source).
class memory_source {
 public:
  explicit memory_source(byte_view b) noexcept : b_(b) {}
  result<std::size_t> read(byte_span out) {
    const std::size_t n = std::min(out.size(), b_.size() - pos_);
    if (n) std::memcpy(out.data(), b_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  result<std::size_t> read_at(std::uint64_t off, byte_span out) const {
    if (off >= b_.size()) return std::size_t(0);
    const std::size_t n = std::min<std::uint64_t>(out.size(), b_.size() - off);
    std::memcpy(out.data(), b_.data() + off, n);
    return n;
  }
  result<std::uint64_t> size() const { return std::uint64_t(b_.size()); }
 private:
  byte_view b_;
  std::size_t pos_ = 0;
};

/// Append to a byte vector (held by reference).
class memory_sink {
 public:
  explicit memory_sink(bytes& out) noexcept : out_(&out) {}
  result<void> write(byte_view b) { append(*out_, b); return ok(); }
 private:
  bytes* out_;
};

/// Storage in memory: a byte vector with the storage operations (tests, and users who
/// keep a sequence in RAM). The lock is a flag: a second lock() on a locked object fails
/// instead of blocking (one process, so it would never be released). read_count() counts
/// read_at() calls, so tests can prove how many reads an operation needed.
class memory_storage {
 public:
  memory_storage() = default;
  explicit memory_storage(bytes initial) : b_(std::move(initial)) {}

  result<std::size_t> read_at(std::uint64_t off, byte_span out) const {
    ++reads_;
    if (off >= b_.size()) return std::size_t(0);
    const std::size_t n = std::min<std::uint64_t>(out.size(), b_.size() - off);
    std::memcpy(out.data(), b_.data() + off, n);
    return n;
  }
  result<std::uint64_t> size() const { return std::uint64_t(b_.size()); }
  result<void> append(byte_view in) {
    if (in.size() > max_size_ - b_.size()) return fail(errc::io_error, "memory storage: size limit reached");
    darekit::append(b_, in);
    return ok();
  }
  result<void> write_at(std::uint64_t off, byte_view in) {
    if (off > b_.size() || in.size() > b_.size() - off)
      return fail(errc::invalid_argument, "memory storage: write_at past the end");
    if (!in.empty()) std::memcpy(b_.data() + off, in.data(), in.size());
    return ok();
  }
  result<void> truncate(std::uint64_t n) {
    if (n > b_.size()) return fail(errc::invalid_argument, "memory storage: truncate past the end");
    b_.resize(std::size_t(n));
    return ok();
  }
  result<void> sync() { ++syncs_; return ok(); }
  result<void> lock() {
    if (locked_) return fail(errc::io_error, "memory storage: already locked");
    locked_ = true;
    return ok();
  }
  result<bool> try_lock() {
    if (locked_) return false;
    locked_ = true;
    return true;
  }
  void unlock() noexcept { locked_ = false; }

  /// The stored bytes.
  [[nodiscard]] const bytes& data() const noexcept { return b_; }
  [[nodiscard]] bytes& data() noexcept { return b_; }
  /// read_at() calls so far / sync() calls so far.
  [[nodiscard]] std::uint64_t read_count() const noexcept { return reads_; }
  [[nodiscard]] std::uint64_t sync_count() const noexcept { return syncs_; }
  void reset_counts() noexcept { reads_ = 0; syncs_ = 0; }
  /// Refuse appends beyond this many bytes (tests of full disks).
  void set_max_size(std::size_t n) noexcept { max_size_ = n; }

 private:
  bytes b_;
  mutable std::uint64_t reads_ = 0;
  std::uint64_t syncs_ = 0;
  std::size_t max_size_ = std::numeric_limits<std::size_t>::max();
  bool locked_ = false;
};

/// Read exactly out.size() bytes at `off`, or fail with errc::truncated.
template <positional_source S>
result<void> read_exact_at(const S& s, std::uint64_t off, byte_span out) {
  std::size_t got = 0;
  while (got < out.size()) {
    DAREKIT_TRY(std::size_t n, s.read_at(off + got, out.subspan(got)));
    if (n == 0) return fail(errc::truncated, "unexpected end of data at offset " + std::to_string(off + got));
    got += n;
  }
  return ok();
}

/// Fill `out` from a source; fewer bytes only at the end.
template <class S>
  requires source<S> || std::same_as<S, source_fn>
result<std::size_t> read_full(S& s, byte_span out) {
  std::size_t got = 0;
  while (got < out.size()) {
    DAREKIT_TRY(std::size_t n, s.read(out.subspan(got)));
    if (n == 0) break;
    got += n;
  }
  return got;
}

/// Call fn(byte_view) for consecutive blocks of up to `block` bytes of the source (every
/// block but the last is full), stopping at the end or at the first error of fn.
template <class S, class F>
  requires(source<S> || std::same_as<S, source_fn>) && std::is_invocable_r_v<result<void>, F&, byte_view>
result<void> for_each_block(S& s, F&& fn, std::size_t block = std::size_t(1) << 20) {
  bytes buf(std::max<std::size_t>(block, 1));
  for (;;) {
    DAREKIT_TRY(std::size_t n, read_full(s, buf));
    if (n) DAREKIT_CHECK(fn(byte_view(buf.data(), n)));
    if (n < buf.size()) return ok();
  }
}

/// Copy a source into a sink; returns the number of bytes copied.
template <class S, class K>
  requires(source<S> || std::same_as<S, source_fn>) && (sink<K> || std::same_as<K, sink_fn>)
result<std::uint64_t> copy(S& from, K& to, std::size_t block = std::size_t(1) << 20) {
  std::uint64_t total = 0;
  DAREKIT_CHECK(for_each_block(from, [&](byte_view b) { total += b.size(); return to.write(b); }, block));
  return total;
}

/// A read-ahead window over a positional source, for scans that read a file front to
/// back in small pieces: read_at() is served from one large buffer, refilled with one big
/// read when a request leaves it. Not thread-safe (the window is state).
template <positional_source P>
class read_window {
 public:
  explicit read_window(const P& src, std::size_t window = std::size_t(4) << 20) : src_(src), buf_(window) {}
  result<std::size_t> read_at(std::uint64_t off, byte_span out) const {
    std::size_t got = 0;
    while (got < out.size()) {
      DAREKIT_TRY(auto v, view(off + got, out.size() - got));
      if (v.empty()) break;
      std::memcpy(out.data() + got, v.data(), v.size());
      got += v.size();
    }
    return got;
  }
  result<std::uint64_t> size() const { return src_.size(); }
  /// Up to `n` bytes at `off` without copying (fewer at the end of the data or of the
  /// window; call again for the rest). Valid until the next call.
  result<byte_view> view(std::uint64_t off, std::size_t n) const {
    if (off < at_ || off >= at_ + len_) {
      DAREKIT_TRY(len_, src_.read_at(off, buf_));
      at_ = off;
      if (len_ == 0) return byte_view();
    }
    const std::size_t skip = std::size_t(off - at_);
    return byte_view(buf_.data() + skip, std::min(n, len_ - skip));
  }
 private:
  const P& src_;
  mutable bytes buf_;
  mutable std::uint64_t at_ = 0;
  mutable std::size_t len_ = 0;
};

}  // namespace darekit::io
