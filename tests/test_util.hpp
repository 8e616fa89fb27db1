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

/// `folder` if it is a directory, else empty.
inline std::filesystem::path data_dir(const char* folder) {
  std::filesystem::path p = folder;
  return std::filesystem::is_directory(p) ? p : std::filesystem::path{};
}

/// Read `name` from an external data folder; when the folder is absent the whole test
/// program exits with 4, which CTest reports as skipped (never passed).
inline bytes data_file_or_skip(const char* folder, const std::string& name) {
  auto dir = data_dir(folder);
  if (dir.empty()) {
    WARN("data folder " << folder << " not found; skipping");
    std::exit(4);
  }
  std::ifstream f(dir / name, std::ios::binary);
  REQUIRE(f.good());
  return bytes(std::istreambuf_iterator<char>(f), {});
}

/// The folder of reference fixtures, or empty when absent.
inline std::filesystem::path fixtures_dir() { return data_dir(DAREKIT_REFERENCE_FIXTURES); }

/// Read a reference fixture (exit 4, skipped, when the fixture folder is absent).
inline bytes fixture(const std::string& name) { return data_file_or_skip(DAREKIT_REFERENCE_FIXTURES, name); }

}  // namespace darekit::test
