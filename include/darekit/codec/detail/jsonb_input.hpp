// A buffered pull input over memory or any io::source (core/io.hpp), used by the
// JSON-B/JSON text lexer and by the streaming DARE decoders. Errors from the read
// function are sticky: peek()/get() then report end of input and error() says why.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/io.hpp"

namespace darekit::jsonb {

/// Buffered input with one byte of lookahead and bulk reads.
class input {
 public:
  /// Read from memory (no copy; `mem` must outlive the input).
  explicit input(byte_view mem) noexcept : view_(mem) {}
  /// Read from a source (a callable or any io::source, held by reference) through an
  /// internal buffer of `buffer_size` bytes.
  explicit input(io::source_fn fn, std::size_t buffer_size = std::size_t(1) << 16)
      : fn_(std::move(fn)), buf_(std::max<std::size_t>(buffer_size, 64)) {}

  /// Next byte without consuming it, or -1 at end of input (or after an I/O error).
  int peek() {
    if (pos_ == view_.size() && !refill()) return -1;
    return view_[pos_];
  }
  /// Consume and return the next byte, or -1.
  int get() {
    const int c = peek();
    if (c >= 0) { ++pos_; ++consumed_; }
    return c;
  }
  /// The bytes currently buffered (refilling if empty); empty only at end of input.
  byte_view available() {
    if (pos_ == view_.size()) refill();
    return view_.subspan(pos_);
  }
  /// Drop `n` bytes of what available() returned.
  void consume(std::size_t n) noexcept { pos_ += n; consumed_ += n; }
  /// Read exactly out.size() bytes.
  result<void> read(byte_span out) {
    std::size_t done = 0;
    while (done < out.size()) {
      auto a = available();
      if (a.empty()) return end_error();
      const std::size_t n = std::min(a.size(), out.size() - done);
      std::memcpy(out.data() + done, a.data(), n);
      consume(n);
      done += n;
    }
    return ok();
  }
  /// Bytes consumed so far.
  [[nodiscard]] std::uint64_t position() const noexcept { return consumed_; }
  /// The I/O error that stopped input, if any.
  [[nodiscard]] const std::optional<error>& io_error() const noexcept { return err_; }
  /// The error to report when input ended early: the I/O error, or "truncated".
  [[nodiscard]] error end_error() const {
    return err_ ? *err_ : fail(errc::truncated, "input ends early (at byte " + std::to_string(consumed_) + ")");
  }

 private:
  bool refill() {
    if (!fn_ || err_ || eof_) return false;
    auto r = fn_.read(byte_span(buf_));
    if (!r) { err_ = r.err(); return false; }
    if (*r == 0) { eof_ = true; return false; }
    view_ = byte_view(buf_.data(), std::min(*r, buf_.size()));
    pos_ = 0;
    return true;
  }
  io::source_fn fn_;
  bytes buf_;
  byte_view view_;
  std::size_t pos_ = 0;
  std::uint64_t consumed_ = 0;
  bool eof_ = false;
  std::optional<error> err_;
};

}  // namespace darekit::jsonb
