// Keccak-f[1600] (FIPS 202 §3) and the Keccak sponge with a byte-aligned rate.
//
// Portable scalar code with no secret-dependent branches or table lookups: every
// index below is a compile-time constant after unrolling, so the only operations on
// state are XOR, AND, NOT and fixed rotations.
//
// The round constants and rotation offsets are exposed in darekit::detail so the
// multi-lane kernels in darekit/hash/ use the same tables.
#pragma once
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/core/secure.hpp"

namespace darekit::detail {

/// Number of rounds of Keccak-f[1600].
inline constexpr int keccak_rounds = 24;

/// The iota round constants RC[0..23] (FIPS 202 §3.2.5).
inline constexpr std::array<std::uint64_t, 24> keccak_round_constants = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/// The rho rotation offsets, indexed by lane x + 5*y (FIPS 202 §3.2.2, Table 2).
inline constexpr std::array<unsigned, 25> keccak_rho_offsets = {
    0,  1,  62, 28, 27,   // y = 0
    36, 44, 6,  55, 20,   // y = 1
    3,  10, 43, 25, 39,   // y = 2
    41, 45, 15, 21, 8,    // y = 3
    18, 2,  61, 56, 14,   // y = 4
};

/// The pi step as a destination map: lane i = x + 5*y moves to lane
/// y + 5*((2x + 3y) mod 5) (FIPS 202 §3.2.3, written as B[y][2x+3y] = A[x][y]).
inline constexpr std::array<unsigned, 25> keccak_pi_dest = [] {
  std::array<unsigned, 25> d{};
  for (unsigned y = 0; y < 5; ++y)
    for (unsigned x = 0; x < 5; ++x) d[x + 5 * y] = y + 5 * ((2 * x + 3 * y) % 5);
  return d;
}();

/// One Keccak round on 25 lanes held in `a` (theta, rho, pi, chi, iota).
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
inline void keccak_round(std::uint64_t (&a)[25], std::uint64_t rc) noexcept {
  std::uint64_t c[5], d[5], b[25];
#if defined(__clang__)
#pragma unroll
#elif defined(__GNUC__)
#pragma GCC unroll 5
#endif
  for (unsigned x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#if defined(__clang__)
#pragma unroll
#elif defined(__GNUC__)
#pragma GCC unroll 5
#endif
  for (unsigned x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
#if defined(__clang__)
#pragma unroll
#elif defined(__GNUC__)
#pragma GCC unroll 25
#endif
  for (unsigned i = 0; i < 25; ++i)
    b[keccak_pi_dest[i]] = std::rotl(a[i] ^ d[i % 5], int(keccak_rho_offsets[i]));
#if defined(__clang__)
#pragma unroll
#elif defined(__GNUC__)
#pragma GCC unroll 5
#endif
  for (unsigned y = 0; y < 25; y += 5) {
#if defined(__clang__)
#pragma unroll
#elif defined(__GNUC__)
#pragma GCC unroll 5
#endif
    for (unsigned x = 0; x < 5; ++x)
      a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
  }
  a[0] ^= rc;
}

/// The 24 rounds on `state` (25 little-endian lanes, lane index x + 5*y).
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
inline void keccak_permute_body(std::uint64_t (&state)[25]) noexcept {
  std::uint64_t a[25];
  std::memcpy(a, state, sizeof a);
  for (int r = 0; r < keccak_rounds; r += 2) {
    keccak_round(a, keccak_round_constants[std::size_t(r)]);
    keccak_round(a, keccak_round_constants[std::size_t(r) + 1]);
  }
  std::memcpy(state, a, sizeof a);
}

/// XOR `nblocks` blocks of `Rate` bytes into the state, permuting after each.
template <std::size_t Rate>
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
inline void keccak_absorb_body(std::uint64_t (&s)[25], const std::uint8_t* p, std::size_t nblocks) noexcept {
  std::uint64_t a[25];
  std::memcpy(a, s, sizeof a);
  for (; nblocks; --nblocks, p += Rate) {
    for (std::size_t i = 0; i < Rate / 8; ++i) {
      std::uint64_t v;
      if constexpr (std::endian::native == std::endian::little) std::memcpy(&v, p + 8 * i, 8);
      else v = load_le64(p + 8 * i);
      a[i] ^= v;
    }
    for (int r = 0; r < keccak_rounds; r += 2) {
      keccak_round(a, keccak_round_constants[std::size_t(r)]);
      keccak_round(a, keccak_round_constants[std::size_t(r) + 1]);
    }
  }
  std::memcpy(s, a, sizeof a);
}

inline void keccak_f1600_portable(std::uint64_t (&s)[25]) noexcept { keccak_permute_body(s); }
template <std::size_t Rate>
void keccak_absorb_portable(std::uint64_t (&s)[25], const std::uint8_t* p, std::size_t n) noexcept {
  keccak_absorb_body<Rate>(s, p, n);
}

#if DAREKIT_X86 && defined(__GNUC__)
#define DAREKIT_KECCAK_BMI 1
// The same code compiled with BMI1/BMI2: ANDN makes chi one instruction shorter per lane
// and RORX rotates without a copy (not a SIMD kernel: chosen whenever the CPU has
// BMI1+BMI2, whatever the kernel cap).
__attribute__((target("bmi,bmi2"))) inline void keccak_f1600_bmi(std::uint64_t (&s)[25]) noexcept {
  keccak_permute_body(s);
}
template <std::size_t Rate>
__attribute__((target("bmi,bmi2"))) void keccak_absorb_bmi(std::uint64_t (&s)[25], const std::uint8_t* p,
                                                      std::size_t n) noexcept {
  keccak_absorb_body<Rate>(s, p, n);
}
/// Whether the CPU has BMI1 and BMI2 (CPUID.7.0:EBX bits 3 and 8), detected once.
inline bool keccak_has_bmi() noexcept {
  static const bool b = [] {
    unsigned r[4];
    cpuid(0, 0, r);
    if (r[0] < 7) return false;
    cpuid(7, 0, r);
    return (r[1] & (1u << 3)) != 0 && (r[1] & (1u << 8)) != 0;
  }();
  return b;
}
#else
#define DAREKIT_KECCAK_BMI 0
#endif

/// Keccak-f[1600] on a state of 25 little-endian lanes, lane index x + 5*y.
inline void keccak_f1600(std::uint64_t (&state)[25]) noexcept {
#if DAREKIT_KECCAK_BMI
  if (keccak_has_bmi()) return keccak_f1600_bmi(state);
#endif
  keccak_f1600_portable(state);
}

/// Absorb `nblocks` whole blocks of `Rate` bytes from `p` (XOR, then permute, per block).
template <std::size_t Rate>
inline void keccak_absorb_blocks(std::uint64_t (&state)[25], const std::uint8_t* p, std::size_t nblocks) noexcept {
#if DAREKIT_KECCAK_BMI
  if (keccak_has_bmi()) return keccak_absorb_bmi<Rate>(state, p, nblocks);
#endif
  keccak_absorb_portable<Rate>(state, p, nblocks);
}

/// A Keccak[c] sponge with a rate of `Rate` bytes (a multiple of 8, below 200) and the
/// FIPS 202 domain-separation + pad10*1 suffix `Suffix` (0x06 for SHA-3, 0x1f for SHAKE).
///
/// absorb() any number of times, then pad() once, then squeeze() any number of times.
/// The state is wiped on destruction.
template <std::size_t Rate, std::uint8_t Suffix>
class keccak_sponge {
  static_assert(Rate % 8 == 0 && Rate > 0 && Rate < 200);

 public:
  static constexpr std::size_t rate = Rate;

  keccak_sponge() noexcept { std::memset(s_, 0, sizeof s_); }
  keccak_sponge(const keccak_sponge&) = default;
  keccak_sponge& operator=(const keccak_sponge&) = default;
  ~keccak_sponge() { wipe(s_, sizeof s_); }

  /// Absorb bytes (before pad()).
  void absorb(byte_view in) noexcept {
    const std::uint8_t* p = in.data();
    std::size_t n = in.size();
    if (pos_ != 0) {
      while (n && pos_ < Rate) { xor_byte(pos_++, *p++); --n; }
      if (pos_ < Rate) return;
      keccak_f1600(s_);
      pos_ = 0;
    }
    if (n >= Rate) {
      keccak_absorb_blocks<Rate>(s_, p, n / Rate);
      p += n / Rate * Rate;
      n %= Rate;
    }
    while (n) { xor_byte(pos_++, *p++); --n; }
  }

  /// Apply the domain suffix and padding; switches the sponge to squeezing.
  void pad() noexcept {
    xor_byte(pos_, Suffix);
    xor_byte(Rate - 1, 0x80);
    keccak_f1600(s_);
    pos_ = 0;
  }

  /// Squeeze output bytes (after pad()); successive calls continue the stream.
  void squeeze(byte_span out) noexcept {
    std::uint8_t* p = out.data();
    std::size_t n = out.size();
    while (n) {
      if (pos_ == Rate) { keccak_f1600(s_); pos_ = 0; }
      if (pos_ == 0 && n >= Rate) {
        for (std::size_t i = 0; i < Rate / 8; ++i) store_le64(p + 8 * i, s_[i]);
        p += Rate; n -= Rate; pos_ = Rate;
        continue;
      }
      *p++ = std::uint8_t(s_[pos_ / 8] >> (8 * (pos_ % 8)));
      ++pos_; --n;
    }
  }

 private:
  void xor_byte(std::size_t i, std::uint8_t v) noexcept { s_[i / 8] ^= std::uint64_t(v) << (8 * (i % 8)); }

  std::uint64_t s_[25];
  std::size_t pos_ = 0;
};

}  // namespace darekit::detail
