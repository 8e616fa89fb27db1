// libsodium initialisation, done once on first use from any darekit function that needs it.
#pragma once
#include <sodium.h>

namespace darekit::detail {
/// Call sodium_init() exactly once (thread-safe; sodium_init is itself idempotent).
inline void ensure_sodium() noexcept {
  static const int rc = sodium_init();
  (void)rc;
}
}  // namespace darekit::detail
