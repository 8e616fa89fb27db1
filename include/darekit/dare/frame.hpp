// JBCD records and bidirectional frames (spec §8.1, §8.2), the byte framing of a DARE
// sequence:
//
//   F4+ll LEN  F0+ll HLEN header  F0+ll PLEN payload  [F0+ll TLEN trailer]  LEN(little-endian) F4+ll
//
// ll = 0..3 selects 1, 2, 4 or 8 big-endian length bytes; the trailing copy of the tag and
// length (in reverse byte order) lets a reader walk the file backwards from its end. A frame
// holds one to three records (old reference files have header-only frames); the records
// must fill the frame exactly and the reverse copy must equal the leading one, every byte
// of it (the reference checks only the low byte).
#pragma once
#include <array>
#include <cstdint>
#include <optional>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/io.hpp"

namespace darekit::dare::frame {

inline constexpr std::uint8_t record_tag = 0xF0;  ///< F0..F3: a record (forward only)
inline constexpr std::uint8_t frame_tag = 0xF4;   ///< F4..F7: a frame (both directions)

/// The length-of-length code darekit writes: the smallest that holds n.
constexpr unsigned ll_for(std::uint64_t n) noexcept {
  return n < 0x100 ? 0 : n < 0x10000 ? 1 : n <= 0xFFFFFFFFull ? 2 : 3;
}
/// Bytes of a tag with its length (1 + 1, 2, 4 or 8).
constexpr std::size_t tag_size(unsigned ll) noexcept { return 1 + (std::size_t(1) << ll); }

/// Append a tag (`base` = record_tag or frame_tag) with its big-endian length.
inline void put_tag(bytes& out, std::uint8_t base, std::uint64_t n, unsigned ll) {
  out.push_back(std::uint8_t(base | ll));
  for (std::size_t i = std::size_t(1) << ll; i-- > 0;) out.push_back(std::uint8_t(n >> (8 * i)));
}
/// Append the reverse copy of a frame tag: the length little-endian, then the tag.
inline void put_reverse(bytes& out, std::uint64_t n, unsigned ll) {
  for (std::size_t i = 0; i < (std::size_t(1) << ll); ++i) out.push_back(std::uint8_t(n >> (8 * i)));
  out.push_back(std::uint8_t(frame_tag | ll));
}

/// Limits on what a reader accepts.
struct limits {
  std::uint64_t max_frame = std::uint64_t(1) << 40;    ///< bytes of one frame body
  std::uint64_t max_metadata = std::uint64_t(1) << 24; ///< bytes of a header or trailer record
};

/// Where a record's data lies in the storage.
struct record {
  std::uint64_t offset = 0, length = 0;
};

/// A parsed frame: where it lies and where its records are.
struct extent {
  std::uint64_t offset = 0;  ///< of the leading tag
  std::uint64_t length = 0;  ///< LEN, the bytes of the records
  unsigned ll = 0;
  std::array<record, 3> records{};
  unsigned count = 0;        ///< records present (1..3)
  [[nodiscard]] std::uint64_t body() const noexcept { return offset + tag_size(ll); }
  [[nodiscard]] std::uint64_t end() const noexcept { return body() + length + tag_size(ll); }
  [[nodiscard]] const record& header() const noexcept { return records[0]; }
  /// The payload record (empty when absent).
  [[nodiscard]] record payload() const noexcept { return count > 1 ? records[1] : record{body() + length, 0}; }
  /// The trailer record, if any.
  [[nodiscard]] std::optional<record> trailer() const noexcept {
    if (count > 2) return records[2];
    return std::nullopt;
  }
};

/// Total size of a frame whose three records hold h, p and t bytes (t = none: two records).
constexpr std::uint64_t frame_size(std::uint64_t h, std::uint64_t p, std::optional<std::uint64_t> t) noexcept {
  std::uint64_t body = tag_size(ll_for(h)) + h + tag_size(ll_for(p)) + p;
  if (t) body += tag_size(ll_for(*t)) + *t;
  return body + 2 * tag_size(ll_for(body));
}

namespace detail {
// A tag and its length at `off`, not past `limit`.
template <io::positional_source P>
result<std::pair<unsigned, std::uint64_t>> read_tag(const P& src, std::uint64_t off, std::uint64_t limit,
                                                    std::uint8_t base) {
  std::uint8_t b[9];
  if (off >= limit) return fail(errc::truncated, "frame: tag expected at offset " + std::to_string(off));
  const std::size_t want = std::size_t(std::min<std::uint64_t>(9, limit - off));
  DAREKIT_TRY(std::size_t n, src.read_at(off, byte_span(b, want)));
  if (n == 0) return fail(errc::truncated, "frame: tag expected at offset " + std::to_string(off));
  if ((b[0] & 0xFC) != base)
    return fail(errc::malformed, "frame: bad tag 0x" + std::string(1, "0123456789abcdef"[b[0] >> 4]) +
                                     std::string(1, "0123456789abcdef"[b[0] & 15]) + " at offset " + std::to_string(off));
  const unsigned ll = b[0] & 3;
  const std::size_t lb = std::size_t(1) << ll;
  if (n < 1 + lb) return fail(errc::truncated, "frame: length cut short at offset " + std::to_string(off));
  std::uint64_t len = 0;
  for (std::size_t i = 0; i < lb; ++i) len = len << 8 | b[1 + i];
  return std::pair{ll, len};
}
}  // namespace detail

/// Parse the frame that starts at `off` in storage of `size` bytes: its tag, records and
/// reverse tag. Errors: truncated (the frame runs past `size`), malformed, too_large.
template <io::positional_source P>
result<extent> read_at(const P& src, std::uint64_t off, std::uint64_t size, const limits& lim = {}) {
  extent e;
  e.offset = off;
  DAREKIT_TRY(auto t, detail::read_tag(src, off, size, frame_tag));
  e.ll = t.first;
  e.length = t.second;
  if (e.length > lim.max_frame) return fail(errc::too_large, "frame: longer than the limit at offset " + std::to_string(off));
  const std::uint64_t body = e.body();
  if (e.length > size - std::min(size, body) || size - body - e.length < tag_size(e.ll))
    return fail(errc::truncated, "frame at offset " + std::to_string(off) + " runs past the end");
  const std::uint64_t body_end = body + e.length;
  // The reverse tag: every byte of it must equal the leading one.
  std::uint8_t rev[9];
  const std::size_t rn = tag_size(e.ll);
  DAREKIT_CHECK(io::read_exact_at(src, body_end, byte_span(rev, rn)));
  if (rev[rn - 1] != std::uint8_t(frame_tag | e.ll)) return fail(errc::malformed, "frame: reverse tag does not match at offset " + std::to_string(body_end));
  for (std::size_t i = 0; i + 1 < rn; ++i)
    if (rev[i] != std::uint8_t(e.length >> (8 * i)))
      return fail(errc::malformed, "frame: reverse length does not match at offset " + std::to_string(body_end));
  // Records: one to three, filling the body exactly.
  std::uint64_t p = body;
  while (p < body_end) {
    if (e.count == 3) return fail(errc::malformed, "frame: more than three records at offset " + std::to_string(off));
    DAREKIT_TRY(auto r, detail::read_tag(src, p, body_end, record_tag));
    const std::uint64_t data = p + tag_size(r.first);
    if (data > body_end || r.second > body_end - data)
      return fail(errc::malformed, "frame: record runs past its frame at offset " + std::to_string(p));
    if (e.count != 1 && r.second > lim.max_metadata)
      return fail(errc::too_large, "frame: header or trailer longer than the limit at offset " + std::to_string(p));
    e.records[e.count++] = {data, r.second};
    p = data + r.second;
  }
  if (e.count == 0) return fail(errc::malformed, "frame: no records at offset " + std::to_string(off));
  return e;
}

/// Parse the frame that ends at `end` (exclusive), read backwards from its reverse tag.
template <io::positional_source P>
result<extent> read_before(const P& src, std::uint64_t end, const limits& lim = {}) {
  if (end == 0) return fail(errc::truncated, "frame: nothing before offset 0");
  std::uint8_t last;
  DAREKIT_CHECK(io::read_exact_at(src, end - 1, byte_span(&last, 1)));
  if ((last & 0xFC) != frame_tag) return fail(errc::malformed, "frame: no reverse tag before offset " + std::to_string(end));
  const unsigned ll = last & 3;
  const std::size_t lb = std::size_t(1) << ll;
  if (end < 2 * tag_size(ll)) return fail(errc::malformed, "frame: reverse tag too close to the start");
  std::uint8_t b[8];
  DAREKIT_CHECK(io::read_exact_at(src, end - 1 - lb, byte_span(b, lb)));
  std::uint64_t len = 0;
  for (std::size_t i = lb; i-- > 0;) len = len << 8 | b[i];
  const std::uint64_t overhead = 2 * tag_size(ll);
  if (len > lim.max_frame || len > end - overhead)
    return fail(errc::malformed, "frame: reverse length before offset " + std::to_string(end) + " points before the start");
  const std::uint64_t start = end - overhead - len;
  DAREKIT_TRY(auto e, read_at(src, start, end, lim));
  if (e.end() != end || e.ll != ll) return fail(errc::malformed, "frame: the frame before offset " + std::to_string(end) + " does not end there");
  return e;
}

}  // namespace darekit::dare::frame
