// ChaCha20 (RFC 8439 §2.4) and HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2).
//
// Keystream kernels: scalar (any CPU), AVX2 (8 blocks per pass) and AVX-512 (16 blocks
// per pass), chosen per call from active_kernel() (DAREKIT_FORCE_KERNEL / force_kernel()
// cap it). chacha20::last_kernel() reports which one served the most recent call.
//
// The block counter is 32 bits as in RFC 8439: one (key, nonce) pair covers at most
// 2^32 blocks (256 GiB); past that the counter wraps. Callers (the AEADs) stay far below.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "darekit/core/cpu.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/detail/chacha20_scalar.hpp"
#include "darekit/crypto/detail/chacha20_x.hpp"

namespace darekit {
namespace detail {
inline std::atomic<int>& chacha20_last_slot() noexcept {
  static std::atomic<int> slot{-1};
  return slot;
}

/// XOR `n` bytes of keystream of state `st` (counter st[12], advanced per 64-byte
/// block consumed) in -> out with the kernel `k`. `in` may equal `out`.
inline void chacha20_xor_with(kernel k, std::uint32_t st[16], std::uint8_t* out, const std::uint8_t* in,
                              std::size_t n) noexcept {
#if DAREKIT_HAVE_CHACHA_SIMD
  if (k == kernel::avx512) {
    chacha20_xor_avx512(st, out, in, n);
  } else if (k == kernel::avx2) {
    chacha20_xor_avx2(st, out, in, n);
  } else {
    k = kernel::scalar;
    chacha20_xor_scalar(st, out, in, n);
  }
#else
  k = kernel::scalar;
  chacha20_xor_scalar(st, out, in, n);
#endif
  chacha20_last_slot().store(int(k), std::memory_order_relaxed);
}

/// The same with the kernel active for this call.
inline void chacha20_xor(std::uint32_t st[16], std::uint8_t* out, const std::uint8_t* in, std::size_t n) noexcept {
  chacha20_xor_with(active_kernel(), st, out, in, n);
}
}  // namespace detail

namespace chacha20 {

inline constexpr std::size_t key_size = 32;
inline constexpr std::size_t nonce_size = 12;
inline constexpr std::size_t block_size = 64;

/// HChaCha20: derive a 32-byte subkey from a 32-byte key and a 16-byte nonce.
inline void hchacha20(std::uint8_t out[32], const std::uint8_t key[32], const std::uint8_t nonce[16]) noexcept {
  detail::hchacha20(out, key, nonce);
}

/// The 64-byte ChaCha20 block for (key, nonce, counter) (RFC 8439 §2.3).
inline void block(std::uint8_t out[64], const std::uint8_t key[32], const std::uint8_t nonce[12],
                  std::uint32_t counter) noexcept {
  std::uint32_t st[16];
  detail::chacha20_init(st, key, nonce, counter);
  detail::chacha20_block(st, out);
  wipe(st, sizeof st);
}

/// ChaCha20 encryption/decryption (RFC 8439 §2.4): out = in XOR keystream starting at
/// block `counter`. `out` may equal `in`; `n` bytes, any length.
inline void xor_stream(std::uint8_t* out, const std::uint8_t* in, std::size_t n, const std::uint8_t key[32],
                       const std::uint8_t nonce[12], std::uint32_t counter) noexcept {
  std::uint32_t st[16];
  detail::chacha20_init(st, key, nonce, counter);
  detail::chacha20_xor(st, out, in, n);
  wipe(st, sizeof st);
}

/// The kernel family that served the most recent keystream call (scalar before any).
inline kernel last_kernel() noexcept {
  const int k = detail::chacha20_last_slot().load(std::memory_order_relaxed);
  return k < 0 ? kernel::scalar : kernel(k);
}
/// Forget the recorded kernel (tests).
inline void reset_last_kernel() noexcept { detail::chacha20_last_slot().store(-1, std::memory_order_relaxed); }

}  // namespace chacha20
}  // namespace darekit
