// Authenticator UDFs (draft -18 §5.2), type 0x00 ('A'), HMAC-SHA-2-512:
//
//   PRK = HMAC-SHA-512(key = "KeyedUDFMaster", msg = UTF8(key string))
//   OKM = HKDF-Expand-SHA-512(PRK, info = "KeyedUDFExpand", 64)
//   AV  = HMAC-SHA-512(key = OKM, msg = UTF8(content_type) || ':' || SHA-512(data))
//   UDF = 0x00 || AV      (never compressed)
//
// The key is the exact string (dashes included). Type 0x01 (HMAC-SHA-3-512) is
// specified without a key derivation and is reported as unsupported.
#pragma once
#include <string>
#include <string_view>

#include "darekit/crypto/hkdf.hpp"
#include "darekit/crypto/hmac.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/udf/content_digest.hpp"

namespace darekit::udf {

namespace detail {
inline result<secret<64>> authenticator_key(std::string_view key) {
  if (key.empty()) return fail(errc::invalid_argument, "authenticator key string is empty");
  if (!utf8::valid(key)) return fail(errc::invalid_argument, "authenticator key string is not valid UTF-8");
  auto prk = hkdf::extract<sha512>(as_bytes("KeyedUDFMaster"), as_bytes(key));
  secret<64> okm;
  DAREKIT_CHECK(hkdf::expand_into<sha512>(prk.view(), as_bytes("KeyedUDFExpand"), okm.span()));
  return okm;
}
}  // namespace detail

/// The authenticator UDF for data whose SHA-512 digest the caller already holds.
inline result<value> authenticator_of_digest(std::string_view key, byte_view cdv, std::string_view content_type) {
  if (cdv.size() != 64) return fail(errc::invalid_argument, "inner digest must be 64 bytes");
  DAREKIT_CHECK(detail::check_content_type(content_type));
  DAREKIT_TRY(secret<64> okm, detail::authenticator_key(key));
  hmac<sha512> m(okm.view());
  m.update(as_bytes(content_type));
  static constexpr std::uint8_t colon = 0x3A;
  m.update(byte_view(&colon, 1));
  m.update(cdv);
  auto av = m.finish();
  value v(type_id::authenticator_sha2_512, byte_view(av));
  wipe(av.data(), av.size());
  return v;
}

/// The authenticator UDF of `data` under the key string `key`.
inline result<value> authenticator(std::string_view key, byte_view data, std::string_view content_type) {
  return authenticator_of_digest(key, hash<sha512>(data), content_type);
}

/// Streaming authenticator: update() with the data, finish() once.
class authenticator_stream {
 public:
  authenticator_stream(std::string_view key, std::string_view content_type) : key_(as_bytes(key)), ct_(content_type) {}
  void update(byte_view b) { h_.update(b); }
  result<value> finish() { return authenticator_of_digest(as_chars(key_.view()), h_.finish(), ct_); }

 private:
  secure_bytes key_;
  std::string ct_;
  sha512 h_;
};

/// Check a presented authenticator UDF against freshly computed bits in constant
/// time, up to the presented precision (at least `min_bits`).
inline result<void> verify_authenticator(const value& presented, const value& fresh,
                                         std::size_t min_bits = minimum_bits) {
  if (presented.type_code() == std::uint8_t(type_id::authenticator_sha3_512))
    return fail(errc::unsupported, "HMAC-SHA-3-512 authenticator UDFs (type 0x01) are not supported");
  if (presented.type_code() != std::uint8_t(type_id::authenticator_sha2_512))
    return fail(errc::invalid_argument, "not an authenticator UDF (type byte must be 0x00)");
  return compare(presented, fresh, min_bits);
}

/// Verify `data` against a presented authenticator UDF under `key`.
inline result<void> verify_authenticator(const value& presented, std::string_view key, byte_view data,
                                         std::string_view content_type, std::size_t min_bits = minimum_bits) {
  if (presented.type_code() == std::uint8_t(type_id::authenticator_sha3_512))
    return fail(errc::unsupported, "HMAC-SHA-3-512 authenticator UDFs (type 0x01) are not supported");
  DAREKIT_TRY(value fresh, authenticator(key, data, content_type));
  return verify_authenticator(presented, fresh, min_bits);
}

}  // namespace darekit::udf
