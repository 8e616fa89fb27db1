// Poly1305 one-time authenticator (RFC 8439 §2.5): a streaming class and one-shot
// helpers. A key must authenticate one message only.
//
// Kernels: scalar radix 2^64 (any 64-bit GCC/Clang target) and AVX-512 IFMA (eight
// blocks per step, radix 2^44), the latter when cpu().avx512ifma and active_kernel()
// is avx512 and an update brings at least 16 whole blocks. poly1305::last_kernel()
// reports which kernel absorbed the most recent such bulk run.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/detail/poly1305_scalar.hpp"
#include "darekit/crypto/detail/poly1305_x.hpp"

namespace darekit {
namespace detail {
inline std::atomic<int>& poly1305_last_slot() noexcept {
  static std::atomic<int> slot{-1};
  return slot;
}
/// Whether the IFMA kernel may run for this call.
inline bool poly1305_use_ifma() noexcept {
#if DAREKIT_HAVE_POLY_IFMA
  return active_kernel() == kernel::avx512 && cpu().avx512ifma;
#else
  return false;
#endif
}
/// Absorb `nblocks` full 16-byte blocks (pad bit set) with the best allowed kernel.
/// Runs of 16 blocks or more record their kernel in poly1305_last_slot().
inline void poly1305_blocks(poly1305_state& st, const std::uint8_t* m, std::size_t nblocks, bool ifma) noexcept {
#if DAREKIT_HAVE_POLY_IFMA
  if (ifma && nblocks >= 16) {
    if (!st.have_powers) poly1305_powers(st);
    const std::size_t done = poly1305_blocks_ifma(st, m, nblocks);
    m += 16 * done;
    nblocks -= done;
    poly1305_last_slot().store(int(kernel::avx512), std::memory_order_relaxed);
    if (nblocks) poly1305_blocks_scalar(st, m, nblocks, 1);
    return;
  }
#else
  (void)ifma;
#endif
  if (nblocks) {
    poly1305_blocks_scalar(st, m, nblocks, 1);
    if (nblocks >= 16) poly1305_last_slot().store(int(kernel::scalar), std::memory_order_relaxed);
  }
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
  ~poly1305() { wipe(this, sizeof *this); }

  /// (Re)start with a 32-byte one-time key; r is clamped as RFC 8439 §2.5 requires.
  void init(const std::uint8_t key[32]) noexcept {
    detail::poly1305_init(st_, key);
    buflen_ = 0;
    ifma_ = detail::poly1305_use_ifma();
  }

  /// Absorb `n` bytes.
  void update(const std::uint8_t* p, std::size_t n) noexcept {
    if (buflen_) {
      const std::size_t k = n < 16 - buflen_ ? n : 16 - buflen_;
      std::memcpy(buf_ + buflen_, p, k);
      buflen_ += k; p += k; n -= k;
      if (buflen_ < 16) return;
      detail::poly1305_blocks(st_, buf_, 1, false);
      buflen_ = 0;
    }
    const std::size_t nb = n / 16;
    if (nb) detail::poly1305_blocks(st_, p, nb, ifma_);
    p += 16 * nb; n -= 16 * nb;
    if (n) { std::memcpy(buf_, p, n); buflen_ = n; }
  }
  void update(byte_view v) noexcept { update(v.data(), v.size()); }

  /// Absorb zero bytes up to the next multiple of 16 (the RFC 8439 AEAD padding).
  void pad16() noexcept {
    if (buflen_) {
      std::memset(buf_ + buflen_, 0, 16 - buflen_);
      detail::poly1305_blocks(st_, buf_, 1, false);
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
    wipe(this, sizeof *this);
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
  detail::poly1305_state st_{};
  std::uint8_t buf_[16] = {};
  std::size_t buflen_ = 0;
  bool ifma_ = false;
};

}  // namespace darekit
