// darekit version.
#pragma once
#include <string_view>

#define DAREKIT_VERSION_MAJOR 0
#define DAREKIT_VERSION_MINOR 1
#define DAREKIT_VERSION_PATCH 0

namespace darekit {
/// The library version as "MAJOR.MINOR.PATCH".
constexpr std::string_view version_string() noexcept { return "0.1.0"; }
}  // namespace darekit
