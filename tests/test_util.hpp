// Helpers shared by darekit's tests.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "darekit/codec/hex.hpp"
#include "darekit/core/bytes.hpp"

namespace darekit::test {

/// Hex string to bytes; fails the test on bad hex.
inline bytes unhex(std::string_view s) {
  auto r = hex::decode(s);
  REQUIRE(r.has_value());
  return *r;
}

/// The folder of reference fixtures, or empty when absent.
inline std::filesystem::path fixtures_dir() {
  std::filesystem::path p = DAREKIT_REFERENCE_FIXTURES;
  return std::filesystem::is_directory(p) ? p : std::filesystem::path{};
}

/// Read a reference fixture; when the fixture folder is absent the whole test
/// program exits with 4, which CTest reports as skipped (never passed).
inline bytes fixture(const std::string& name) {
  auto dir = fixtures_dir();
  if (dir.empty()) {
    WARN("reference fixtures not found at " DAREKIT_REFERENCE_FIXTURES "; skipping");
    std::exit(4);
  }
  std::ifstream f(dir / name, std::ios::binary);
  REQUIRE(f.good());
  return bytes(std::istreambuf_iterator<char>(f), {});
}

}  // namespace darekit::test
