// Poly1305 one-time authenticator (RFC 8439 §2.5): a streaming class and one-shot
// helpers. A key must authenticate one message only.
//
// Kernels: scalar radix 2^64 (any 64-bit GCC/Clang target), AVX2 (four blocks per
// step, radix 2^26, when the active kernel is avx2, or avx512 without IFMA) and
// AVX-512 IFMA (eight blocks per step, radix 2^44, when cpu().avx512ifma and the
// active kernel is avx512). The vector kernels serve updates of at least 16 blocks;
// poly1305::last_kernel() reports which kernel absorbed the most recent such bulk run
// (a process-wide record for tests and benchmarks).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/detail/poly1305_avx2.hpp"
#include "darekit/crypto/detail/poly1305_scalar.hpp"
#include "darekit/crypto/detail/poly1305_x.hpp"

namespace darekit {
namespace detail {
inline std::atomic<int>& poly1305_last_slot() noexcept {
  static std::atomic<int> slot{-1};
  return slot;
}
/// The Poly1305 kernel for this call: avx512 (IFMA) when the active kernel is avx512
/// and the CPU has IFMA, avx2 when the active kernel is avx2 or avx512, else scalar.
inline kernel poly1305_pick() noexcept {
  [[maybe_unused]] const kernel k = active_kernel();
#if DAREKIT_HAVE_POLY_IFMA
  if (k == kernel::avx512 && cpu().avx512ifma) return kernel::avx512;
#endif
#if DAREKIT_HAVE_POLY_AVX2
  if (k != kernel::scalar) return kernel::avx2;
#endif
  return kernel::scalar;
}
/// Absorb `nblocks` full 16-byte blocks (pad bit set) with kernel `pk` (from
/// poly1305_pick()). Runs of 16 blocks or more record their kernel in
/// poly1305_last_slot(); shorter runs are scalar.
inline void poly1305_blocks(poly1305_state& st, const std::uint8_t* m, std::size_t nblocks, kernel pk) noexcept {
  if (nblocks >= 16) {
#if DAREKIT_HAVE_POLY_IFMA
    if (pk == kernel::avx512) {
      if (!st.have_powers) poly1305_powers(st);
      const std::size_t done = poly1305_blocks_ifma(st, m, nblocks);
      m += 16 * done;
      nblocks -= done;
    }
#endif
#if DAREKIT_HAVE_POLY_AVX2
    if (pk == kernel::avx2) {
      if (!st.have_v4) poly1305_powers4(st);
      const std::size_t done = poly1305_blocks_avx2(st, m, nblocks);
      m += 16 * done;
      nblocks -= done;
    }
#endif
    poly1305_last_slot().store(int(pk), std::memory_order_relaxed);
  }
  if (nblocks) poly1305_blocks_scalar(st, m, nblocks, 1);
}
}  // namespace detail

/// Streaming Poly1305: init(key), update(...)*, finish(tag). The object wipes its
/// state on finish and on destruction.
class poly1305 {
 public:
  static constexpr std::size_t key_size = 32;
  static constexpr std::size_t tag_size = 16;

  poly1305() noexcept = default;
  /// Start with a 32-byte one-time key (r || s).
  explicit poly1305(const std::uint8_t key[32]) noexcept { init(key); }
  poly1305(const poly1305&) = delete;
  poly1305& operator=(const poly1305&) = delete;
  ~poly1305() { clear(); }

  /// (Re)start with a 32-byte one-time key; r is clamped as RFC 8439 §2.5 requires.
  void init(const std::uint8_t key[32]) noexcept {
    detail::poly1305_init(st_, key);
    buflen_ = 0;
    pk_ = detail::poly1305_pick();
  }

  /// Absorb `n` bytes.
  void update(const std::uint8_t* p, std::size_t n) noexcept {
    if (buflen_) {
      const std::size_t k = n < 16 - buflen_ ? n : 16 - buflen_;
      std::memcpy(buf_ + buflen_, p, k);
      buflen_ += k; p += k; n -= k;
      if (buflen_ < 16) return;
      detail::poly1305_blocks_scalar(st_, buf_, 1, 1);
      buflen_ = 0;
    }
    const std::size_t nb = n / 16;
    if (nb) detail::poly1305_blocks(st_, p, nb, pk_);
    p += 16 * nb; n -= 16 * nb;
    if (n) { std::memcpy(buf_, p, n); buflen_ = n; }
  }
  void update(byte_view v) noexcept { update(v.data(), v.size()); }

  /// Absorb zero bytes up to the next multiple of 16 (the RFC 8439 AEAD padding).
  void pad16() noexcept {
    if (buflen_) {
      std::memset(buf_ + buflen_, 0, 16 - buflen_);
      detail::poly1305_blocks_scalar(st_, buf_, 1, 1);
      buflen_ = 0;
    }
  }

  /// Write the 16-byte tag and wipe the state.
  void finish(std::uint8_t tag[16]) noexcept {
    if (buflen_) {
      buf_[buflen_] = 1;  // the final short block carries its pad bit after the data
      std::memset(buf_ + buflen_ + 1, 0, 15 - buflen_);
      detail::poly1305_blocks_scalar(st_, buf_, 1, 0);
    }
    detail::poly1305_final(st_, tag);
    clear();
  }

  /// One-shot: tag = Poly1305(key, m).
  static void mac(std::uint8_t tag[16], const std::uint8_t* m, std::size_t n, const std::uint8_t key[32]) noexcept {
    poly1305 p(key);
    p.update(m, n);
    p.finish(tag);
  }
  /// One-shot check of a tag in constant time.
  [[nodiscard]] static bool verify(const std::uint8_t tag[16], const std::uint8_t* m, std::size_t n,
                                   const std::uint8_t key[32]) noexcept {
    std::uint8_t t[16];
    mac(t, m, n, key);
    const bool ok = ct_equal({t, 16}, {tag, 16});
    wipe(t, sizeof t);
    return ok;
  }

  /// The kernel family that absorbed the most recent bulk run (an update of at least
/// 256 bytes; shorter runs and the final partial block are always scalar and not
/// recorded). scalar before any.
  static kernel last_kernel() noexcept {
    const int k = detail::poly1305_last_slot().load(std::memory_order_relaxed);
    return k < 0 ? kernel::scalar : kernel(k);
  }
  static void reset_last_kernel() noexcept { detail::poly1305_last_slot().store(-1, std::memory_order_relaxed); }

 private:
  void clear() noexcept {
    detail::poly1305_wipe(st_);
    wipe(buf_, sizeof buf_);
    buflen_ = 0;
  }
  detail::poly1305_state st_;
  std::uint8_t buf_[16] = {};
  std::size_t buflen_ = 0;
  kernel pk_ = kernel::scalar;
};

}  // namespace darekit
