// Fuzz the UDF parsers: presentation (strict and lenient), URIs, Strong Internet
// Names, key files and Shamir recovery. Invariants: a parsed value re-presents to a
// string that parses to the same bits; recovery never crashes on any share set.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "darekit/udf.hpp"
#include "darekit/udf/key_file.hpp"

using namespace darekit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  for (bool lenient : {false, true}) {
    udf::parse_options o;
    o.lenient = lenient;
    o.min_bits = 0;
    if (auto v = udf::parse(s, o)) {
      // Re-present at the parsed precision (allowed for any type at full precision).
      auto str = udf::present(*v, v->precision());
      if (!str) continue;  // e.g. a fingerprint shorter than 96 bits
      auto again = udf::parse(*str, {.lenient = false, .min_bits = 0, .allow_unknown_type = true});
      if (!again || again->precision() != v->precision() || !udf::matches(*again, *v, 0)) std::abort();
      (void)udf::decode_share(*v);
      (void)udf::seed_algorithm(*v);
      if (v->type_code() == 0xC8) (void)udf::derive_key(*v);
    }
  }
  (void)udf::parse_uri(s);
  (void)udf::strip_strong_name(s);
  (void)udf::earl_identifier(s);
  (void)udf::parse_private_key(s);
  // Lines as shares.
  std::vector<udf::value> shares;
  std::size_t start = 0;
  while (start < s.size() && shares.size() < 16) {
    auto nl = s.find('\n', start);
    if (nl == std::string_view::npos) nl = s.size();
    if (auto v = udf::parse(s.substr(start, nl - start))) shares.push_back(std::move(*v));
    start = nl + 1;
  }
  if (!shares.empty()) (void)udf::recover(shares);
  return 0;
}
