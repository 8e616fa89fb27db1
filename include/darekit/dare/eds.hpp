// EDS, the Encoded Data Sequence of encrypted annotations and cloaked headers (spec
// §5.6): JSONB-bin(prefix) || JSONB-bin(body) [|| JSONB-bin(tag)], keys from
// HKDF(base seed, prefix || Salt). Prefixes count from 0 per envelope (cloaked first).
// A256CBC: two fields (reference). XC20P/A256GCM: three fields, the third the AEAD tag
// (the payload cipher with a zero binding; the prefix already separates the keys).
#pragma once
#include "darekit/codec/jsonb.hpp"
#include "darekit/dare/payload.hpp"

namespace darekit::dare {

/// MakeSalt(n): the minimal little-endian bytes of n (one byte below 256, as the
/// reference; the reference repeats the low byte above 255, we do not).
inline bytes eds_prefix(std::size_t n) {
  bytes p;
  do { p.push_back(std::uint8_t(n & 0xFF)); n >>= 8; } while (n);
  return p;
}

/// Encode an EDS. With enc_alg::none (or no base seed) the body is stored in clear.
inline result<bytes> eds_encode(byte_view prefix, byte_view body, enc_alg alg, byte_view base_seed, byte_view salt) {
  bytes out;
  jsonb::put_binary(out, prefix);
  if (alg == enc_alg::none) { jsonb::put_binary(out, body); return out; }
  const bytes salt_item = concat(prefix, salt);
  DAREKIT_TRY(auto e, payload_encryptor::create(alg, base_seed, salt_item, digest256{}));
  bytes ct;
  DAREKIT_CHECK(e.update(body, ct));
  DAREKIT_CHECK(e.finish(ct));
  jsonb::put_binary(out, ct);
  if (e.tag()) jsonb::put_binary(out, *e.tag());
  return out;
}

/// A decoded EDS.
struct eds_fields {
  bytes prefix, body;
  std::optional<bytes> tag;  ///< third field (AEAD tag, or the reference's HS* MAC)
};

/// Split an EDS into its 2 or 3 binary fields.
inline result<eds_fields> eds_parse(byte_view eds) {
  jsonb::input in(eds);
  jsonb::read_options o;
  o.lim.max_string = eds.size();
  jsonb::reader r(in, o);
  eds_fields f;
  DAREKIT_TRY(auto p, r.value());
  DAREKIT_TRY(auto b, r.value());
  if (!p.is_binary() || !b.is_binary()) return fail(errc::malformed, "EDS fields must be binary");
  f.prefix = p.as_binary();
  f.body = b.as_binary();
  if (r.peek() >= 0) {
    DAREKIT_TRY(auto t, r.value());
    if (!t.is_binary()) return fail(errc::malformed, "EDS fields must be binary");
    f.tag = t.as_binary();
  }
  if (r.peek() >= 0) return fail(errc::malformed, "EDS has more than three fields");
  return f;
}

/// Decode (and decrypt) an EDS.
inline result<bytes> eds_decode(byte_view eds, enc_alg alg, byte_view base_seed, byte_view salt) {
  DAREKIT_TRY(auto f, eds_parse(eds));
  if (alg == enc_alg::none) return f.body;
  const bytes salt_item = concat(f.prefix, salt);
  DAREKIT_TRY(auto d, payload_decryptor::create(alg, base_seed, salt_item, digest256{}));
  bytes out;
  DAREKIT_CHECK(d.update(f.body, out));
  std::optional<byte_view> tag;
  if (f.tag) tag = byte_view(*f.tag);
  DAREKIT_CHECK(d.finish(tag, out));
  return out;
}

}  // namespace darekit::dare
