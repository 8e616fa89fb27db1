// Content-digest UDFs (draft -18 §5.1): SHA-2-512 (type 0x60..0x64, 'M') and
// SHA-3-512 (0x50..0x54, 'K').
//
//   CDV  = H(data)
//   TCDV = H(UTF8(content_type) || ':' || CDV)
//   UDF  = (base + compression level) || TCDV (all 64 bytes)
//
// The compression level counts trailing zero bits at the END of the TCDV (from the
// least significant bit of byte 63 towards byte 0): < 20 -> 0, 20-29 -> 1,
// 30-39 -> 2, 40-49 -> 3, >= 50 -> 4. darekit writes the correct level; when
// verifying it accepts any level 0-4 whose zero bits are really present (the
// reference's buggy levels 3-4 still verify: they claim no more zeros than exist
// except in rare cases, which then fail clearly).
#pragma once
#include <string>
#include <string_view>
#include <variant>

#include "darekit/crypto/sha2.hpp"
#include "darekit/crypto/sha3.hpp"
#include "darekit/codec/utf8.hpp"
#include "darekit/udf/presentation.hpp"

namespace darekit::udf {

/// The digest algorithm of a content-digest UDF.
enum class digest_alg { sha2_512, sha3_512 };

/// Type code of level 0 for `alg`.
constexpr std::uint8_t digest_base(digest_alg alg) noexcept { return alg == digest_alg::sha2_512 ? 0x60 : 0x50; }

/// Content types used by the reference for key identifiers and EARLs (spec §11).
inline constexpr std::string_view content_type_pkix_key = "PKIXKey";
inline constexpr std::string_view content_type_udf_encryption = "UDFEncryption";

/// Number of zero bits at the end of a digest (LSB of the last byte first).
inline std::size_t trailing_zero_bits(byte_view d) noexcept {
  std::size_t t = 0;
  for (std::size_t i = d.size(); i-- > 0;) {
    const std::uint8_t b = d[i];
    if (b == 0) { t += 8; continue; }
    for (std::uint8_t m = 1; !(b & m); m <<= 1) ++t;
    break;
  }
  return t;
}

/// Zero bits a compression level certifies: {0, 20, 30, 40, 50}.
constexpr std::size_t level_zero_bits(int level) noexcept {
  return level <= 0 ? 0 : std::size_t(10 + 10 * level);
}

/// The correct compression level of a TCDV (0..4).
inline int compression_level(byte_view tcdv) noexcept {
  const std::size_t t = trailing_zero_bits(tcdv);
  if (t >= 50) return 4;
  if (t >= 40) return 3;
  if (t >= 30) return 2;
  if (t >= 20) return 1;
  return 0;
}

namespace detail {
inline result<void> check_content_type(std::string_view ct) {
  if (auto off = utf8::error_offset(ct); off != std::string_view::npos)
    return fail(errc::invalid_argument, "content type is not valid UTF-8 (byte " + std::to_string(off) + ")");
  return ok();
}

template <hash_function H>
digest512 tcdv(std::string_view ct, byte_view cdv) {
  H h;
  h.update(as_bytes(ct));
  static constexpr std::uint8_t colon = 0x3A;
  h.update(byte_view(&colon, 1));
  h.update(cdv);
  return h.finish();
}

inline value digest_value(digest_alg alg, const digest512& t) {
  return value(std::uint8_t(digest_base(alg) + compression_level(t)), byte_view(t));
}
}  // namespace detail

/// The content-digest UDF of data whose inner digest CDV = H(data) the caller
/// already holds (64 bytes). Fails on a non-UTF-8 content type or a CDV that is
/// not 64 bytes.
inline result<value> content_digest_of_digest(byte_view cdv, std::string_view content_type,
                                              digest_alg alg = digest_alg::sha2_512) {
  if (cdv.size() != 64) return fail(errc::invalid_argument, "inner digest must be 64 bytes");
  DAREKIT_CHECK(detail::check_content_type(content_type));
  const digest512 t = alg == digest_alg::sha2_512 ? detail::tcdv<sha512>(content_type, cdv)
                                                   : detail::tcdv<sha3_512>(content_type, cdv);
  return detail::digest_value(alg, t);
}

/// The content-digest UDF of `data` (full 65-byte value; present() it at the
/// precision you want, 140 bits by default).
inline result<value> content_digest(byte_view data, std::string_view content_type,
                                    digest_alg alg = digest_alg::sha2_512) {
  DAREKIT_CHECK(detail::check_content_type(content_type));
  const digest512 cdv = alg == digest_alg::sha2_512 ? hash<sha512>(data) : hash<sha3_512>(data);
  return content_digest_of_digest(cdv, content_type, alg);
}

/// Streaming content digest: construct with the content type, update() with the
/// data in pieces of any size, finish() once. Memory use is constant.
class digest_stream {
 public:
  explicit digest_stream(std::string_view content_type, digest_alg alg = digest_alg::sha2_512)
      : ct_(content_type), alg_(alg) {
    if (alg == digest_alg::sha3_512) h_.emplace<sha3_512>();
  }
  void update(byte_view b) {
    std::visit([&](auto& h) { h.update(b); }, h_);
  }
  /// The UDF; fails only on a non-UTF-8 content type.
  result<value> finish() {
    const digest512 cdv = std::visit([](auto& h) { return h.finish(); }, h_);
    return content_digest_of_digest(cdv, ct_, alg_);
  }
  [[nodiscard]] digest_alg algorithm() const noexcept { return alg_; }

 private:
  std::string ct_;
  digest_alg alg_;
  std::variant<sha512, sha3_512> h_;
};

/// The algorithm of a content-digest type code, or an error for other types.
inline result<digest_alg> digest_algorithm(std::uint8_t code) {
  if (code >= 0x60 && code <= 0x64) return digest_alg::sha2_512;
  if (code >= 0x50 && code <= 0x54) return digest_alg::sha3_512;
  char buf[80];
  std::snprintf(buf, sizeof buf, "UDF type byte 0x%02x is not a content digest", code);
  return fail(errc::invalid_argument, buf);
}

/// Check a presented content-digest UDF against a freshly computed one (`fresh`,
/// from content_digest*): same algorithm, the presented compression level's zero
/// bits present in the fresh TCDV, and the presented digest bits equal up to the
/// presented precision (at least `min_bits`). verification_failed on a mismatch.
inline result<void> verify_digest(const value& presented, const value& fresh, std::size_t min_bits = minimum_bits) {
  DAREKIT_TRY(digest_alg pa, digest_algorithm(presented.type_code()));
  DAREKIT_TRY(digest_alg fa, digest_algorithm(fresh.type_code()));
  if (pa != fa) return fail(errc::verification_failed, "content digest algorithms differ");
  if (presented.precision() < min_bits)
    return fail(errc::invalid_argument, "UDF precision " + std::to_string(presented.precision()) +
                                            " bits is below the minimum of " + std::to_string(min_bits) + " bits");
  const int level = presented.type_code() - digest_base(pa);
  if (trailing_zero_bits(fresh.data()) < level_zero_bits(level))
    return fail(errc::verification_failed, "content digest does not have the " +
                                               std::to_string(level_zero_bits(level)) +
                                               " trailing zero bits its compression level claims");
  // Compare the BDS bits (the type bytes may differ by compression level).
  const value rebased(presented.type_code(), fresh.data());
  return compare(presented, rebased, min_bits);
}

/// Verify `data` against a presented content-digest UDF.
inline result<void> verify_content(const value& presented, byte_view data, std::string_view content_type,
                                   std::size_t min_bits = minimum_bits) {
  DAREKIT_TRY(digest_alg alg, digest_algorithm(presented.type_code()));
  DAREKIT_TRY(value fresh, content_digest(data, content_type, alg));
  return verify_digest(presented, fresh, min_bits);
}

}  // namespace darekit::udf
