// Fuzz the text codecs: hex, Base32 (all modes), Base64 (strict, url, RFC 8951).
// Every successful decode must re-encode to something that decodes to the same bytes.
#include <cstdint>
#include <cstdlib>

#include "darekit/codec.hpp"

using namespace darekit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  if (auto r = hex::decode(s)) {
    if (hex::encode(*r).size() != s.size()) std::abort();
  }
  for (auto m : {base32::mode::strict, base32::mode::grouped, base32::mode::lenient}) {
    if (auto r = base32::decode(s, m)) {
      auto again = base32::decode(base32::encode(*r));
      if (!again || *again != *r) std::abort();
    }
  }
  if (auto r = base64::decode(s)) {
    if (*base64::decode(base64::encode(*r)) != *r) std::abort();
  }
  if (auto r = base64::decode_url(s)) {
    if (*base64::decode_url(base64::encode_url(*r)) != *r) std::abort();
  }
  (void)base64::decode_rfc8951(s);
  (void)base64::decode_rfc8951(s, true);
  return 0;
}
