// Wycheproof test vectors (github.com/C2SP/wycheproof, Apache-2.0) read from
// DAREKIT_WYCHEPROOF_VECTORS with darekit's own JSON reader; per-primitive tallies and
// the summary the test program prints at exit (visible in `ctest -V`).
//
// Policy: every "valid" vector must pass and every "invalid" one be rejected. For
// "acceptable" vectors each primitive states what darekit does (accept_policy) and the
// vector must get exactly that. Groups the API cannot express (other key, nonce or tag
// sizes) are counted as skipped and listed with the reason, never dropped silently.
#pragma once
#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "darekit/codec/hex.hpp"
#include "darekit/codec/json_simd.hpp"
#include "darekit/core/cpu.hpp"
#include "test_util.hpp"

namespace darekit::wycheproof {

enum class verdict { valid, invalid, acceptable };

struct tally {
  std::string file;
  long valid = 0, valid_passed = 0;
  long invalid = 0, invalid_rejected = 0;
  long acceptable = 0, acceptable_accepted = 0, acceptable_rejected = 0;
  long skipped = 0;
  std::string policy;                   ///< what darekit does with "acceptable" vectors
  std::map<std::string, long> kernels;  ///< which kernel served how many vectors
};

/// The tallies of this run, printed when the program ends.
class registry {
 public:
  static registry& get() {
    static registry r;
    return r;
  }
  tally& of(const std::string& primitive, const std::string& file) {
    auto it = index_.find(primitive);
    if (it == index_.end()) {
      order_.push_back(primitive);
      it = index_.emplace(primitive, tally{}).first;
      it->second.file = file;
    }
    return it->second;
  }
  void skip_group(const std::string& primitive, const std::string& group, long tests, const std::string& why) {
    of(primitive, "").skipped += tests;
    auto& s = skipped_[{primitive, why}];
    s.vectors += tests;
    s.groups += (s.groups.empty() ? "" : "; ") + group;
  }
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;
  ~registry() { print(); }

 private:
  registry() = default;
  void print() const {
    if (order_.empty()) return;
    const char* forced = std::getenv("DAREKIT_FORCE_KERNEL");
    std::printf("\n== Wycheproof conformance, active kernel %s (DAREKIT_FORCE_KERNEL=%s, hardware %s)\n",
                std::string(to_string(active_kernel())).c_str(), forced ? forced : "unset",
                std::string(to_string(darekit::detail::hardware_kernel(cpu()))).c_str());
    std::printf("%-22s %-14s %-16s %-20s %-7s %s\n", "primitive", "valid passed", "invalid rejected",
                "acceptable acc/rej", "skipped", "kernels (vectors)");
    for (const auto& name : order_) {
      const tally& t = index_.at(name);
      std::string ks;
      for (const auto& [k, n] : t.kernels) ks += (ks.empty() ? "" : ", ") + k + " x" + std::to_string(n);
      std::printf("%-22s %6ld/%-7ld %7ld/%-8ld %7ld/%ld of %-6ld %-7ld %s\n", name.c_str(), t.valid_passed, t.valid,
                  t.invalid_rejected, t.invalid, t.acceptable_accepted, t.acceptable_rejected, t.acceptable,
                  t.skipped, ks.c_str());
    }
    std::printf("acceptable-vector policy:\n");
    for (const auto& name : order_)
      if (!index_.at(name).policy.empty()) std::printf("  %s: %s\n", name.c_str(), index_.at(name).policy.c_str());
    std::printf("skipped groups (the API cannot express them):\n");
    for (const auto& [key, s] : skipped_)
      std::printf("  %s: %ld vectors, %s: %s\n", key.first.c_str(), s.vectors, key.second.c_str(), s.groups.c_str());
    if (skipped_.empty()) std::printf("  none\n");
    std::fflush(stdout);
  }
  std::vector<std::string> order_;
  std::map<std::string, tally> index_;
  struct skipped { long vectors = 0; std::string groups; };
  std::map<std::pair<std::string, std::string>, skipped> skipped_;  // (primitive, reason)
};

/// A vector file parsed with darekit's simdjson reader (exit 4, skipped, when the
/// vector folder is absent).
inline json::value load(const std::string& file) {
  const bytes text = test::data_file_or_skip(DAREKIT_WYCHEPROOF_VECTORS, file);
  auto v = json::parse_text(as_chars(text));
  INFO(file << ": " << v.err().what());
  REQUIRE(v.has_value());
  REQUIRE(v->find("testGroups"));
  return std::move(*v);
}

/// The groups of a parsed file.
inline const json::array& groups(const json::value& doc) { return doc.find("testGroups")->as_array(); }
/// The tests of a group.
inline const json::array& tests(const json::value& group) { return group.find("tests")->as_array(); }

/// A hex field of a test (empty string -> empty bytes).
inline bytes hexf(const json::value& t, const char* name) {
  const json::value* f = t.find(name);
  REQUIRE(f);
  REQUIRE(f->is_string());
  auto b = hex::decode(f->as_string());
  REQUIRE(b.has_value());
  return std::move(*b);
}
/// An integer field (e.g. "keySize", "tcId").
inline long intf(const json::value& v, const char* name) {
  const json::value* f = v.find(name);
  REQUIRE(f);
  REQUIRE(f->to_int64().has_value());
  return long(*f->to_int64());
}
inline std::string strf(const json::value& v, const char* name) {
  const json::value* f = v.find(name);
  return f && f->is_string() ? f->as_string() : std::string{};
}
inline bool has_flag(const json::value& t, std::string_view flag) {
  const json::value* f = t.find("flags");
  if (!f || !f->is_array()) return false;
  for (const auto& x : f->as_array())
    if (x.is_string() && x.as_string() == flag) return true;
  return false;
}
inline verdict verdict_of(const json::value& t) {
  const std::string r = strf(t, "result");
  REQUIRE((r == "valid" || r == "invalid" || r == "acceptable"));
  return r == "valid" ? verdict::valid : r == "invalid" ? verdict::invalid : verdict::acceptable;
}

/// A group's parameters for the skip list, e.g. "keySize 128 ivSize 96 tagSize 128".
inline std::string describe(const json::value& g) {
  std::string s;
  for (const char* k : {"keySize", "ivSize", "tagSize"})
    if (const json::value* f = g.find(k)) s += (s.empty() ? "" : " ") + std::string(k) + " " + std::to_string(*f->to_int64());
  return s.empty() ? strf(g, "type") : s;
}

/// Record one vector. `accepted`: darekit accepted it and produced the expected output
/// (a valid vector that darekit accepts with a different output is a failure);
/// `accept_acceptable`: what the policy says for an "acceptable" vector.
inline void record(tally& t, const json::value& test, bool accepted, bool accept_acceptable = true) {
  const verdict v = verdict_of(test);
  INFO(t.file << " tcId " << intf(test, "tcId") << " (" << strf(test, "result") << ") " << strf(test, "comment"));
  switch (v) {
    case verdict::valid:
      ++t.valid;
      t.valid_passed += accepted;
      CHECK(accepted);
      break;
    case verdict::invalid:
      ++t.invalid;
      t.invalid_rejected += !accepted;
      CHECK_FALSE(accepted);
      break;
    case verdict::acceptable:
      ++t.acceptable;
      (accepted ? t.acceptable_accepted : t.acceptable_rejected) += 1;
      CHECK(accepted == accept_acceptable);
      break;
  }
}

/// The kernel this run was forced to (DAREKIT_FORCE_KERNEL capped by the hardware).
inline kernel expected_kernel() {
  kernel hw = darekit::detail::hardware_kernel(cpu());
  if (const char* e = std::getenv("DAREKIT_FORCE_KERNEL"))
    if (auto k = parse_kernel(e); k && int(*k) < int(hw)) hw = *k;
  return hw;
}

}  // namespace darekit::wycheproof
