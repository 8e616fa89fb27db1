// Fuzz DARE envelope decoding (JSON, JSON-B, mixed; tagged or not) with a fixed
// X25519 and a fixed Ed25519 recipient key, plus header-only inspection. Decoding must
// never crash, hang or allocate without bound; a successful decode of an AEAD envelope
// must have authenticated it.
#include <cstdint>
#include <cstdlib>

#include "darekit/dare.hpp"

using namespace darekit;

namespace {
const dare::decode_options& options() {
  static const dare::decode_options o = [] {
    dare::decode_options d;
    std::uint8_t k[32];
    for (int i = 0; i < 32; ++i) k[i] = std::uint8_t(i);
    d.keys.push_back(udf::key_pair_from_private(udf::key_alg::x25519, byte_view(k, 32)).value());
    d.keys.push_back(udf::key_pair_from_private(udf::key_alg::ed25519, byte_view(k, 32)).value());
    d.allow_unauthenticated = true;  // reach the A256CBC decrypt path too
    d.lim.max_bytes = 1 << 20;
    d.lim.max_items = 1 << 12;
    return d;
  }();
  return o;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const byte_view in(data, size);
  (void)dare::inspect(in);
  bytes out;
  auto r = dare::decode(in, out, options());
  if (r && r->header.enc() && (*r->header.enc() == "XC20P" || *r->header.enc() == "A256GCM") && !r->authenticated)
    std::abort();
  // Without the opt-in an A256CBC payload must never decode.
  static const dare::decode_options strict = [] { auto d = options(); d.allow_unauthenticated = false; return d; }();
  bytes out2;
  auto s = dare::decode(in, out2, strict);
  if (s && s->header.enc() && *s->header.enc() == "A256CBC") std::abort();
  return 0;
}
