// UDF presentation (Base32, 4-character groups, precision counts the type byte)
// and parsing (strict by default, the lenient reference mode on request).
#pragma once
#include <cstdio>
#include <string>
#include <string_view>

#include "darekit/codec/base32.hpp"
#include "darekit/udf/value.hpp"

namespace darekit::udf {

/// The precision a value is presented at when the caller does not choose one:
/// every bit for fixed-length types (and unassigned codes), otherwise
/// min(140, precision()).
inline std::size_t default_precision(const value& v) noexcept {
  auto i = v.info();
  if (!i || i->fixed_length) return v.precision();
  return std::min(default_bits, v.precision());
}

/// Present `v` as Base32 with a '-' every 4 characters: ceil(bits/5) characters
/// (bits = 0 means default_precision(v)). Errors (invalid_argument): an empty value,
/// a fixed-length value asked for fewer bits than it holds, fewer than
/// `minimum_bits` for a variable-length value, or more bits than the value holds.
inline result<std::string> present(const value& v, std::size_t bits = 0) {
  if (v.empty()) return fail(errc::invalid_argument, "empty UDF value");
  const auto info = v.info();
  const bool fixed = !info || info->fixed_length;
  if (bits == 0) bits = default_precision(v);
  if (bits > v.precision())
    return fail(errc::invalid_argument, "precision of " + std::to_string(bits) + " bits is above the " +
                                            std::to_string(v.precision()) + " bits the value holds");
  if (fixed && bits != v.precision())
    return fail(errc::invalid_argument, "a fixed-length UDF (" + std::string(info ? info->name : "unassigned type") +
                                            ") is never truncated: it holds " + std::to_string(v.precision()) + " bits");
  if (!fixed && bits < minimum_bits)
    return fail(errc::invalid_argument, "precision of " + std::to_string(bits) + " bits is below the minimum of " +
                                            std::to_string(minimum_bits) + " bits");
  return base32::encode(v.stored(), bits, 4);
}

/// present() at the default precision; empty string for an empty value.
inline std::string to_string(const value& v) {
  auto s = present(v);
  return s ? std::move(*s) : std::string{};
}

/// Options of parse().
struct parse_options {
  /// Reference mode: silently skip every character outside the Base32 alphabet
  /// (as the C# reference does) and accept unassigned type codes.
  bool lenient = false;
  /// Floor on the precision of variable-length UDFs (content digests and
  /// authenticators): 96 by default; e.g. anchor_bits (200) for trust anchors.
  std::size_t min_bits = minimum_bits;
  /// Accept type codes the draft does not assign (always true when lenient).
  bool allow_unknown_type = false;
  /// Limit on the input length in characters.
  std::size_t max_chars = 16384;
};

namespace detail {
/// Structural checks of a decoded value against its type.
inline result<void> check_structure(const value& v, const parse_options& o) {
  const std::uint8_t t = v.type_code();
  const auto info = describe(t);
  char hexbuf[8];
  std::snprintf(hexbuf, sizeof hexbuf, "0x%02x", t);
  if (!info) {
    if (o.lenient || o.allow_unknown_type) return ok();
    return fail(errc::malformed, std::string("unknown UDF type byte ") + hexbuf);
  }
  const std::size_t whole = v.binary().size();
  switch (info->fam) {
    case family::digest:
    case family::authenticator:
      if (v.precision() < o.min_bits)
        return fail(errc::truncated, "UDF has " + std::to_string(v.precision()) + " bits, below the minimum of " +
                                         std::to_string(o.min_bits) + " bits");
      if (whole > 65 || v.precision() > digest_max_bits)
        return fail(errc::malformed, std::string(info->name) + " UDF longer than 520 bits");
      break;
    case family::shamir_share: {
      if (whole < 3) return fail(errc::truncated, "Shamir share UDF too short (needs type, index byte and data)");
      if (whole > 66) return fail(errc::too_large, "Shamir share longer than 64 bytes of data");
      const unsigned k = v.binary()[1] >> 4, xm1 = v.binary()[1] & 15u;
      if (k == 0) return fail(errc::malformed, "Shamir share with threshold 0");
      if (xm1 >= 15) return fail(errc::malformed, "Shamir share index 16 (at most 15 shares)");
      break;
    }
    case family::key_seed:
      if (whole < 3) return fail(errc::truncated, "key seed UDF too short (needs a 2-byte key spec and seed bytes)");
      break;
    case family::encryption_key:
    case family::nonce:
    case family::oid:
      if (whole < 2) return fail(errc::truncated, std::string(info->name) + " UDF has no data");
      break;
  }
  return ok();
}
}  // namespace detail

/// Parse a UDF presentation. Strict (default): the Base32 alphabet in either case,
/// '-' separators and ASCII whitespace; anything else is an error naming the
/// character and its offset. The result holds 5 bits per character
/// (precision() = 5 * characters), whole bytes via binary(). The type byte must be
/// assigned, and the length must suit the type; variable-length UDFs must carry at
/// least `min_bits`.
inline result<value> parse(std::string_view s, const parse_options& o = {}) {
  if (s.size() > o.max_chars)
    return fail(errc::too_large, "UDF string longer than " + std::to_string(o.max_chars) + " characters");
  auto d = base32::decode_bits(s, o.lenient ? base32::mode::lenient : base32::mode::grouped);
  if (!d) return fail(errc::malformed, "invalid character in UDF: " + d.err().message.substr(sizeof("invalid Base32 character")));
  const std::size_t chars = d->bits / 5;
  if (chars < 2) return fail(errc::truncated, chars == 0 ? "empty UDF" : "UDF shorter than its type byte");
  value v = value::partial(std::move(d->data), d->bits);
  DAREKIT_CHECK(detail::check_structure(v, o));
  return v;
}

/// Parse and require a given family (e.g. a content digest where one is expected).
inline result<value> parse_as(std::string_view s, family want, const parse_options& o = {}) {
  DAREKIT_TRY(value v, parse(s, o));
  const auto info = v.info();
  if (!info || info->fam != want) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "unexpected UDF type byte 0x%02x", v.type_code());
    return fail(errc::invalid_argument, std::string(buf) + (info ? " (" + std::string(info->name) + ")" : ""));
  }
  return v;
}

}  // namespace darekit::udf
