// Fuzz the simdjson adapter (with the reference line-wrap normalisation): accepted
// documents must write back to strict JSON that both readers accept.
#include <cstdint>
#include <cstdlib>

#include "darekit/codec/json_simd.hpp"
#include "darekit/codec/jsonb.hpp"

using namespace darekit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  json::limits lim;
  lim.max_items = 1 << 14;
  auto v = json::parse_text(std::string_view(reinterpret_cast<const char*>(data), size), lim);
  if (!v) return 0;
  const auto text = json::to_string(*v);
  auto a = json::parse_text(text, lim);
  if (!a) std::abort();
  auto b = jsonb::parse(as_bytes(text));
  if (!b) std::abort();
  return 0;
}
