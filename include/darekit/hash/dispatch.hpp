// Which multi-buffer kernel ran: a per-algorithm record (last kernel used and a hit
// counter per kernel family), in the style of BoringSSL's dispatch tests. Tests use it
// to prove that DAREKIT_FORCE_KERNEL / force_kernel() selected the expected kernel.
#pragma once
#include <array>
#include <atomic>
#include <cstdint>

#include "darekit/core/cpu.hpp"
#include "darekit/hash/detail/algorithms.hpp"

namespace darekit {

/// A snapshot of the dispatch record of one algorithm.
struct kernel_record {
  /// The kernel family used by the most recent call (scalar if none ran yet).
  kernel last = kernel::scalar;
  /// Number of multi-buffer calls served by each family, indexed by int(kernel).
  std::array<std::uint64_t, 3> hits{};
  /// True when at least one call ran.
  bool any = false;
};

namespace detail {
struct mb_record_slot {
  std::atomic<int> last{-1};
  std::atomic<std::uint64_t> hits[3] = {};
};
inline mb_record_slot& mb_record(mb_alg a) noexcept {
  static mb_record_slot slots[3];
  return slots[int(a)];
}
inline void mb_note(mb_alg a, kernel k) noexcept {
  auto& s = mb_record(a);
  s.last.store(int(k), std::memory_order_relaxed);
  s.hits[int(k)].fetch_add(1, std::memory_order_relaxed);
}
}  // namespace detail

/// The dispatch record of the multi-buffer hash of H (sha256, sha512, sha3_512).
template <class H>
kernel_record hash_kernel_stats() noexcept {
  using A = typename detail::mb_traits_for<H>::type;
  auto& s = detail::mb_record(A::id);
  kernel_record r;
  const int last = s.last.load(std::memory_order_relaxed);
  r.any = last >= 0;
  r.last = last >= 0 ? kernel(last) : kernel::scalar;
  for (int i = 0; i < 3; ++i) r.hits[std::size_t(i)] = s.hits[i].load(std::memory_order_relaxed);
  return r;
}

/// Reset every algorithm's dispatch record (tests).
inline void reset_hash_kernel_stats() noexcept {
  for (int a = 0; a < 3; ++a) {
    auto& s = detail::mb_record(detail::mb_alg(a));
    s.last.store(-1, std::memory_order_relaxed);
    for (auto& h : s.hits) h.store(0, std::memory_order_relaxed);
  }
}

/// Number of lanes of the kernel the next multi-buffer call of H would use.
template <class H>
std::size_t hash_lanes() noexcept {
  using A = typename detail::mb_traits_for<H>::type;
  return A::pick(active_kernel()).lanes;
}

}  // namespace darekit
