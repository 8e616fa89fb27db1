// One frame of a DARE sequence as stored: its extent, header and trailer records parsed,
// and the position fields resolved; plus encoding of header/trailer records.
#pragma once
#include <optional>

#include "darekit/codec/jsonb.hpp"
#include "darekit/dare/frame.hpp"
#include "darekit/dare/header.hpp"
#include "darekit/dare/sequence_info.hpp"

namespace darekit::dare::detail {

/// Limits on the JSON of sequence headers and trailers.
inline constexpr json::limits sequence_json_limits{32, std::size_t(1) << 24, std::size_t(1) << 16, std::size_t(1) << 24};

/// A header or trailer record: JSON text or JSON-B (spaces after the value allowed, as
/// an erased header has them).
inline result<header> parse_record(byte_view rec) {
  jsonb::read_options ro;
  ro.lim = sequence_json_limits;
  DAREKIT_TRY(auto v, jsonb::parse(rec, ro));
  if (!v.is_object()) return fail(errc::malformed, "a sequence header/trailer must be an object");
  return header::from_value(std::move(v));
}
inline bytes encode_record(const header& h, bool binary) {
  return binary ? h.to_jsonb() : to_bytes(h.to_json());
}

/// A frame read from storage (the payload itself is left where it is).
struct stored_frame {
  frame::extent e;
  bytes head;             ///< the header record's bytes
  bytes tail;             ///< the trailer record's bytes
  header h;
  trailer t;              ///< empty when the frame has no trailer
  frame_position pos;
  [[nodiscard]] std::uint64_t offset() const noexcept { return e.offset; }
  [[nodiscard]] std::uint64_t index() const noexcept { return pos.index.value_or(0); }
};

/// Read and parse the frame at `off`. `expect_index`: the index it must have (the
/// oldest files, without Index fields, get it assigned).
template <io::positional_source P>
result<stored_frame> load_frame(const P& src, std::uint64_t off, std::uint64_t size,
                                std::optional<std::uint64_t> expect_index = {}, const frame::limits& lim = {}) {
  stored_frame f;
  DAREKIT_TRY(f.e, frame::read_at(src, off, size, lim));
  const auto hr = f.e.header();
  f.head.resize(std::size_t(hr.length));
  DAREKIT_CHECK(io::read_exact_at(src, hr.offset, f.head));
  DAREKIT_TRY(f.h, parse_record(f.head));
  if (auto tr = f.e.trailer(); tr && tr->length) {
    f.tail.resize(std::size_t(tr->length));
    DAREKIT_CHECK(io::read_exact_at(src, tr->offset, f.tail));
    DAREKIT_TRY(f.t, parse_record(f.tail));
  }
  DAREKIT_TRY(f.pos, frame_position::of(f.h));
  if (expect_index) {
    if (!f.pos.index) f.pos.index = *expect_index;
    else if (*f.pos.index != *expect_index)
      return fail(errc::malformed, "frame at offset " + std::to_string(off) + " has Index " + std::to_string(*f.pos.index) +
                                       ", expected " + std::to_string(*expect_index));
  }
  return f;
}

/// The frame that ends at `end`.
template <io::positional_source P>
result<stored_frame> load_frame_before(const P& src, std::uint64_t end, const frame::limits& lim = {}) {
  DAREKIT_TRY(auto e, frame::read_before(src, end, lim));
  return load_frame(src, e.offset, end, std::nullopt, lim);
}

/// The trailer's MerkleNodes as digests of `n` bytes.
inline result<std::vector<bytes>> merkle_nodes(const trailer& t, std::size_t n) {
  std::vector<bytes> out;
  const auto* v = t.find(field::merkle_nodes);
  if (!v || !v->is_array()) return fail(errc::malformed, "the trailer has no MerkleNodes");
  for (const auto& x : v->as_array()) {
    DAREKIT_TRY(auto b, x.to_bytes());
    if (b.size() != n) return fail(errc::malformed, "a MerkleNodes digest has the wrong length");
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace darekit::dare::detail
