// The optional offset index of a sequence (FILE.idx; DESIGN.md §3): a cache of the byte
// offset of every frame, never trusted. Writers keep it current; a missing or stale one is
// rebuilt on append (or on request), never by a read; every frame found through it is
// checked against its own Index before use.
//
//   "DKSEQIX1" | identity (16 bytes: SHA-512 of frame 0's header record, truncated) | offset_0 .. offset_{n-1} (u64 LE)
#pragma once
#include <cstring>
#include <optional>

#include "darekit/core/bytes.hpp"
#include "darekit/core/io.hpp"
#include "darekit/crypto/sha2.hpp"

namespace darekit::dare {

template <io::storage S>
class sequence_index {
 public:
  static constexpr std::size_t header_size = 24;
  static constexpr std::uint8_t magic[8] = {'D', 'K', 'S', 'E', 'Q', 'I', 'X', '1'};

  /// The identity of a sequence: its frame 0 header record, hashed.
  static std::array<std::uint8_t, 16> identity(byte_view frame0_header) {
    const auto d = hash<sha512>(frame0_header);
    std::array<std::uint8_t, 16> id{};
    std::memcpy(id.data(), d.data(), 16);
    return id;
  }

  sequence_index() = default;
  /// Attach `store` to the sequence of this identity: a store holding another sequence's
  /// index (or garbage) is treated as empty and rewritten by the next writer.
  sequence_index(S store, std::array<std::uint8_t, 16> id) : s_(std::move(store)), id_(id) {
    auto sz = s_->size();
    if (!sz || *sz < header_size) return;
    std::uint8_t h[header_size];
    if (!io::read_exact_at(*s_, 0, byte_span(h, header_size))) return;
    if (std::memcmp(h, magic, 8) != 0 || std::memcmp(h + 8, id_.data(), 16) != 0) return;
    valid_ = true;
    entries_ = (*sz - header_size) / 8;
  }

  [[nodiscard]] bool attached() const noexcept { return s_.has_value(); }
  /// Entries usable (0 when absent or stale).
  [[nodiscard]] std::uint64_t entries() const noexcept { return valid_ ? entries_ : 0; }

  /// The recorded offset of frame k, if any (to be checked by the caller).
  [[nodiscard]] std::optional<std::uint64_t> offset(std::uint64_t k) const {
    if (!valid_ || k >= entries_) return std::nullopt;
    std::uint8_t b[8];
    if (!io::read_exact_at(*s_, header_size + 8 * k, byte_span(b, 8))) return std::nullopt;
    return load_le64(b);
  }

  /// Record the offsets of frames first, first+1, ... (appended when the index is current
  /// up to `first`; otherwise ignored, to be rebuilt). Best effort: a cache.
  void record(std::uint64_t first, std::span<const std::uint64_t> offsets) {
    if (!s_ || entries() != first) return;
    if (!valid_) {
      if (first != 0 || !s_->truncate(0) || !write_header()) return;
      valid_ = true;
      entries_ = 0;
    }
    bytes b(offsets.size() * 8);
    for (std::size_t i = 0; i < offsets.size(); ++i) store_le64(b.data() + 8 * i, offsets[i]);
    if (s_->append(b)) entries_ += offsets.size();
    else invalidate();
  }
  /// Forget entries from k on (after a truncation by recover).
  void truncate(std::uint64_t k) {
    if (!valid_ || k >= entries_) return;
    if (s_->truncate(header_size + 8 * k)) entries_ = k;
    else invalidate();
  }
  void invalidate() noexcept { valid_ = false; entries_ = 0; }
  S* store() noexcept { return s_ ? &*s_ : nullptr; }

 private:
  bool write_header() {
    bytes h(magic, magic + 8);
    h.insert(h.end(), id_.begin(), id_.end());
    return bool(s_->append(h));
  }
  std::optional<S> s_;
  std::array<std::uint8_t, 16> id_{};
  bool valid_ = false;
  std::uint64_t entries_ = 0;
};

}  // namespace darekit::dare
