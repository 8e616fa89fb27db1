// CPU feature detection (CPUID + XGETBV) and kernel selection.
//
// The best kernel is chosen once, at first use. DAREKIT_FORCE_KERNEL=scalar|avx2|avx512
// in the environment, or darekit::force_kernel() at run time, caps the choice; a forced
// kernel the CPU lacks falls back to the best one it has below it.
#pragma once
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#define DAREKIT_X86 1
#if defined(_MSC_VER)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#else
#define DAREKIT_X86 0
#endif

namespace darekit {

/// What the processor (and OS, for register state) supports.
struct cpu_features {
  bool sse41 = false, ssse3 = false, aesni = false, pclmul = false, bmi2 = false;
  bool avx = false, avx2 = false;
  bool avx512f = false, avx512bw = false, avx512vl = false, avx512dq = false;
  bool vaes = false, vpclmulqdq = false, sha_ni = false, avx512ifma = false;
};

/// SIMD kernel families, ordered from least to most capable.
enum class kernel : int { scalar = 0, avx2 = 1, avx512 = 2 };

constexpr std::string_view to_string(kernel k) noexcept {
  switch (k) {
    case kernel::scalar: return "scalar";
    case kernel::avx2: return "avx2";
    case kernel::avx512: return "avx512";
  }
  return "scalar";
}
constexpr std::optional<kernel> parse_kernel(std::string_view s) noexcept {
  if (s == "scalar") return kernel::scalar;
  if (s == "avx2") return kernel::avx2;
  if (s == "avx512") return kernel::avx512;
  return std::nullopt;
}

namespace detail {
#if DAREKIT_X86
inline void cpuid(unsigned leaf, unsigned sub, unsigned r[4]) noexcept {
#if defined(_MSC_VER)
  int x[4]; __cpuidex(x, int(leaf), int(sub)); for (int i = 0; i < 4; ++i) r[i] = unsigned(x[i]);
#else
  __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
#endif
}
inline std::uint64_t xgetbv0() noexcept {
#if defined(_MSC_VER)
  return _xgetbv(0);
#else
  std::uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (std::uint64_t(hi) << 32) | lo;
#endif
}
#endif

inline cpu_features detect_cpu() noexcept {
  cpu_features f;
#if DAREKIT_X86
  unsigned r[4];
  cpuid(0, 0, r);
  const unsigned max_leaf = r[0];
  if (max_leaf < 1) return f;
  cpuid(1, 0, r);
  const unsigned ecx1 = r[2];
  f.ssse3 = ecx1 & (1u << 9);
  f.sse41 = ecx1 & (1u << 19);
  f.pclmul = ecx1 & (1u << 1);
  f.aesni = ecx1 & (1u << 25);
  const bool osxsave = ecx1 & (1u << 27);
  const bool cpu_avx = ecx1 & (1u << 28);
  std::uint64_t xcr0 = osxsave ? xgetbv0() : 0;
  const bool ymm_ok = (xcr0 & 0x6) == 0x6;
  const bool zmm_ok = (xcr0 & 0xE6) == 0xE6;
  f.avx = cpu_avx && ymm_ok;
  if (max_leaf >= 7) {
    cpuid(7, 0, r);
    const unsigned ebx = r[1], ecx = r[2];
    f.bmi2 = ebx & (1u << 8);
    f.avx2 = f.avx && (ebx & (1u << 5));
    f.avx512f = zmm_ok && (ebx & (1u << 16));
    f.avx512dq = f.avx512f && (ebx & (1u << 17));
    f.avx512bw = f.avx512f && (ebx & (1u << 30));
    f.avx512vl = f.avx512f && (ebx & (1u << 31));
    f.avx512ifma = f.avx512f && (ebx & (1u << 21));
    f.sha_ni = ebx & (1u << 29);
    f.vaes = f.avx && (ecx & (1u << 9));
    f.vpclmulqdq = f.avx && (ecx & (1u << 10));
  }
#endif
  return f;
}

/// The best kernel the hardware supports.
inline kernel hardware_kernel(const cpu_features& f) noexcept {
  if (f.avx512f && f.avx512bw && f.avx512vl && f.avx2) return kernel::avx512;
  if (f.avx2) return kernel::avx2;
  return kernel::scalar;
}

inline kernel env_kernel_cap(kernel hw) noexcept {
  const char* env = std::getenv("DAREKIT_FORCE_KERNEL");
  if (!env) return hw;
  auto k = parse_kernel(env);
  if (!k) return hw;
  return int(*k) < int(hw) ? *k : hw;
}

inline std::atomic<int>& forced_kernel_slot() noexcept {
  static std::atomic<int> slot{-1};
  return slot;
}
}  // namespace detail

/// The processor's features, detected once.
inline const cpu_features& cpu() noexcept {
  static const cpu_features f = detail::detect_cpu();
  return f;
}

/// The kernel family in use: the hardware's best, capped by DAREKIT_FORCE_KERNEL
/// (read once) or by force_kernel().
inline kernel active_kernel() noexcept {
  static const kernel from_env = detail::env_kernel_cap(detail::hardware_kernel(cpu()));
  const int forced = detail::forced_kernel_slot().load(std::memory_order_relaxed);
  if (forced >= 0) {
    const kernel hw = detail::hardware_kernel(cpu());
    return int(forced) < int(hw) ? kernel(forced) : hw;
  }
  return from_env;
}

/// Force a kernel family (capped by what the hardware has); std::nullopt returns
/// to the automatic choice. Thread-safe; affects calls that start afterwards.
inline void force_kernel(std::optional<kernel> k) noexcept {
  detail::forced_kernel_slot().store(k ? int(*k) : -1, std::memory_order_relaxed);
}

}  // namespace darekit
