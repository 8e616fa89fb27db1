// Fuzz the ckx DIM parsers (binary and JSON): never crash, and whatever parses must
// re-encode and re-parse to the same DIM in both encodings.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "darekit/ckx/dim_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace darekit;
  const byte_view in(data, size);
  for (int which = 0; which < 2; ++which) {
    auto d = which == 0 ? ckx::decode_binary(in) : ckx::decode_json(as_chars(in));
    if (!d) continue;
    auto bin = ckx::encode_binary(*d);
    auto js = ckx::encode_json(*d);
    if (!bin || !js) std::abort();
    auto b2 = ckx::decode_binary(*bin);
    auto j2 = ckx::decode_json(*js);
    if (!b2 || !j2 || !(*b2 == *d) || !(*j2 == *d)) std::abort();
  }
  return 0;
}
