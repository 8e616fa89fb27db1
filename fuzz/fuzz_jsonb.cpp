// Fuzz the JSON-B/JSON-C/mixed reader: every accepted document must re-encode to
// JSON-B that parses back to the same value, and to JSON text the reader accepts.
#include <cstdint>
#include <cstdlib>

#include "darekit/codec/jsonb.hpp"

using namespace darekit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const jsonb::dictionary dict{"enc", "dig", "Salt", "recipients"};
  jsonb::read_options o;
  o.lim.max_string = 1 << 20;
  o.lim.max_items = 1 << 14;
  o.dict = &dict;
  auto v = jsonb::parse(byte_view(data, size), o);
  if (!v) return 0;
  auto enc = jsonb::encode(*v);
  auto again = jsonb::parse(enc, o);
  if (!again || jsonb::encode(*again) != enc) std::abort();  // (NaN != NaN, so compare bytes)
  auto encc = jsonb::encode(*v, &dict);
  auto againc = jsonb::parse(encc, o);
  if (!againc || jsonb::encode(*againc) != enc) std::abort();
  auto text = json::to_string(*v);
  if (!jsonb::parse(as_bytes(text), o)) std::abort();
  return 0;
}
