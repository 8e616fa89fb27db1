// AES-256 (FIPS 197) on AES-NI: key schedule, single blocks, and raw CBC over whole
// blocks (SP 800-38A §6.2). Padding lives in aes_cbc.hpp, key wrap in key_wrap.hpp.
//
// The AES-NI code sits in functions compiled with target("aes,sse4.1") (no global -m
// flags; the binary runs on any x86-64). aes256::create() checks cpu().aesni at run
// time and fails with errc::unsupported where AES-NI is absent (and on non-x86 builds).
// AES-NI has no secret-dependent table lookups or branches.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "darekit/core/detail/simd_warnings.hpp"
#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/secure.hpp"

#if DAREKIT_X86 && (defined(__GNUC__) || defined(_MSC_VER))
#define DAREKIT_HAVE_AESNI 1
#include <immintrin.h>
#if defined(__GNUC__)
#define DAREKIT_TARGET_AESNI __attribute__((target("aes,sse4.1")))
#else
#define DAREKIT_TARGET_AESNI
#endif
#else
#define DAREKIT_HAVE_AESNI 0
#endif

namespace darekit {

namespace detail {
inline constexpr std::size_t aes_block = 16;
inline constexpr int aes256_rounds = 14;

#if DAREKIT_HAVE_AESNI
// ---- AES-NI kernels (each compiled for aes,sse4.1) ----

/// One step of the AES-256 key expansion: the next even round key from the previous
/// even key `a` and the (already shuffled) aeskeygenassist word `t`.
DAREKIT_TARGET_AESNI inline __m128i aes_expand_step(__m128i a, __m128i t) noexcept {
  a = _mm_xor_si128(a, _mm_slli_si128(a, 4));
  a = _mm_xor_si128(a, _mm_slli_si128(a, 4));
  a = _mm_xor_si128(a, _mm_slli_si128(a, 4));
  return _mm_xor_si128(a, t);
}

/// Expand a 32-byte key into 15 encryption round keys and 15 decryption round keys
/// (the equivalent inverse cipher's schedule).
DAREKIT_TARGET_AESNI inline void aes256_expand(const std::uint8_t* key, std::uint8_t* ek, std::uint8_t* dk) noexcept {
  __m128i k[15];
  k[0] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key));
  k[1] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key + 16));
  // Even keys: RotWord+SubWord+Rcon of the previous odd key (dword 3 of aeskeygenassist);
  // odd keys: SubWord of the previous even key (dword 2, with rcon 0).
#define DAREKIT_AES256_PAIR(i, rcon)                                                                     \
  k[i] = aes_expand_step(k[(i) - 2], _mm_shuffle_epi32(_mm_aeskeygenassist_si128(k[(i) - 1], rcon), 0xff)); \
  k[(i) + 1] = aes_expand_step(k[(i) - 1], _mm_shuffle_epi32(_mm_aeskeygenassist_si128(k[i], 0), 0xaa));
  DAREKIT_AES256_PAIR(2, 0x01)
  DAREKIT_AES256_PAIR(4, 0x02)
  DAREKIT_AES256_PAIR(6, 0x04)
  DAREKIT_AES256_PAIR(8, 0x08)
  DAREKIT_AES256_PAIR(10, 0x10)
  DAREKIT_AES256_PAIR(12, 0x20)
#undef DAREKIT_AES256_PAIR
  k[14] = aes_expand_step(k[12], _mm_shuffle_epi32(_mm_aeskeygenassist_si128(k[13], 0x40), 0xff));
  for (int i = 0; i < 15; ++i) _mm_storeu_si128(reinterpret_cast<__m128i*>(ek + 16 * i), k[i]);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(dk), k[14]);
  for (int i = 1; i < 14; ++i)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dk + 16 * i), _mm_aesimc_si128(k[14 - i]));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(dk + 16 * 14), k[0]);
  volatile unsigned char* w = reinterpret_cast<volatile unsigned char*>(k);
  for (std::size_t i = 0; i < sizeof k; ++i) w[i] = 0;
}

#define DAREKIT_RK(p, i) _mm_load_si128(reinterpret_cast<const __m128i*>((p) + 16 * (i)))

/// Encrypt `n` independent blocks (ECB; used by key wrap and single-block calls).
DAREKIT_TARGET_AESNI inline void aes256_encrypt_blocks(const std::uint8_t* ek, const std::uint8_t* in,
                                                       std::uint8_t* out, std::size_t n) noexcept {
  for (std::size_t b = 0; b < n; ++b) {
    __m128i x = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 16 * b)), DAREKIT_RK(ek, 0));
    for (int r = 1; r < aes256_rounds; ++r) x = _mm_aesenc_si128(x, DAREKIT_RK(ek, r));
    x = _mm_aesenclast_si128(x, DAREKIT_RK(ek, 14));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * b), x);
  }
}

/// Decrypt `n` independent blocks.
DAREKIT_TARGET_AESNI inline void aes256_decrypt_blocks(const std::uint8_t* dk, const std::uint8_t* in,
                                                       std::uint8_t* out, std::size_t n) noexcept {
  for (std::size_t b = 0; b < n; ++b) {
    __m128i x = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 16 * b)), DAREKIT_RK(dk, 0));
    for (int r = 1; r < aes256_rounds; ++r) x = _mm_aesdec_si128(x, DAREKIT_RK(dk, r));
    x = _mm_aesdeclast_si128(x, DAREKIT_RK(dk, 14));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * b), x);
  }
}

/// CBC-encrypt `n` whole blocks; `iv` (16 bytes) is updated to the last ciphertext
/// block. `in` and `out` may be the same buffer.
///
/// The chain is inherently serial, so the loop keeps the 14 AES rounds alone on the
/// critical path: the next plaintext block and round key 0 are folded into the last
/// round key (aesenclast(s, k14 ^ p' ^ k0) = c ^ p' ^ k0, the next round input).
DAREKIT_TARGET_AESNI inline void aes256_cbc_encrypt(const std::uint8_t* ek, std::uint8_t* iv, const std::uint8_t* in,
                                                    std::uint8_t* out, std::size_t n) noexcept {
  if (n == 0) return;
  const __m128i k0 = DAREKIT_RK(ek, 0), k1 = DAREKIT_RK(ek, 1), k2 = DAREKIT_RK(ek, 2), k3 = DAREKIT_RK(ek, 3),
                k4 = DAREKIT_RK(ek, 4), k5 = DAREKIT_RK(ek, 5), k6 = DAREKIT_RK(ek, 6), k7 = DAREKIT_RK(ek, 7),
                k8 = DAREKIT_RK(ek, 8), k9 = DAREKIT_RK(ek, 9), k10 = DAREKIT_RK(ek, 10), k11 = DAREKIT_RK(ek, 11),
                k12 = DAREKIT_RK(ek, 12), k13 = DAREKIT_RK(ek, 13), k14 = DAREKIT_RK(ek, 14);
  const __m128i* src = reinterpret_cast<const __m128i*>(in);
  __m128i* dst = reinterpret_cast<__m128i*>(out);
  // s = round input for block 0: p0 ^ iv ^ k0.
  __m128i s = _mm_xor_si128(_mm_xor_si128(_mm_loadu_si128(src), _mm_loadu_si128(reinterpret_cast<const __m128i*>(iv))), k0);
  for (std::size_t b = 0;; ++b) {
    s = _mm_aesenc_si128(s, k1);
    s = _mm_aesenc_si128(s, k2);
    s = _mm_aesenc_si128(s, k3);
    s = _mm_aesenc_si128(s, k4);
    s = _mm_aesenc_si128(s, k5);
    s = _mm_aesenc_si128(s, k6);
    s = _mm_aesenc_si128(s, k7);
    s = _mm_aesenc_si128(s, k8);
    s = _mm_aesenc_si128(s, k9);
    s = _mm_aesenc_si128(s, k10);
    s = _mm_aesenc_si128(s, k11);
    s = _mm_aesenc_si128(s, k12);
    s = _mm_aesenc_si128(s, k13);
    if (b + 1 == n) {
      const __m128i c = _mm_aesenclast_si128(s, k14);
      _mm_storeu_si128(dst + b, c);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(iv), c);
      return;
    }
    const __m128i fold = _mm_xor_si128(_mm_loadu_si128(src + b + 1), k0);  // p' ^ k0, off the chain
    const __m128i next = _mm_aesenclast_si128(s, _mm_xor_si128(k14, fold));  // c ^ p' ^ k0
    _mm_storeu_si128(dst + b, _mm_xor_si128(next, fold));                    // c
    s = next;
  }
}

/// CBC-decrypt `n` whole blocks, eight at a time in parallel; `iv` is updated to the
/// last ciphertext block. `in` and `out` may be the same buffer (exactly, not shifted).
DAREKIT_TARGET_AESNI inline void aes256_cbc_decrypt(const std::uint8_t* dk, std::uint8_t* iv, const std::uint8_t* in,
                                                    std::uint8_t* out, std::size_t n) noexcept {
  const __m128i* src = reinterpret_cast<const __m128i*>(in);
  __m128i* dst = reinterpret_cast<__m128i*>(out);
  __m128i prev = _mm_loadu_si128(reinterpret_cast<const __m128i*>(iv));
  std::size_t b = 0;
  for (; b + 8 <= n; b += 8) {
    const __m128i c0 = _mm_loadu_si128(src + b + 0), c1 = _mm_loadu_si128(src + b + 1),
                  c2 = _mm_loadu_si128(src + b + 2), c3 = _mm_loadu_si128(src + b + 3),
                  c4 = _mm_loadu_si128(src + b + 4), c5 = _mm_loadu_si128(src + b + 5),
                  c6 = _mm_loadu_si128(src + b + 6), c7 = _mm_loadu_si128(src + b + 7);
    __m128i k = DAREKIT_RK(dk, 0);
    __m128i x0 = _mm_xor_si128(c0, k), x1 = _mm_xor_si128(c1, k), x2 = _mm_xor_si128(c2, k),
            x3 = _mm_xor_si128(c3, k), x4 = _mm_xor_si128(c4, k), x5 = _mm_xor_si128(c5, k),
            x6 = _mm_xor_si128(c6, k), x7 = _mm_xor_si128(c7, k);
    for (int r = 1; r < aes256_rounds; ++r) {
      k = DAREKIT_RK(dk, r);
      x0 = _mm_aesdec_si128(x0, k); x1 = _mm_aesdec_si128(x1, k);
      x2 = _mm_aesdec_si128(x2, k); x3 = _mm_aesdec_si128(x3, k);
      x4 = _mm_aesdec_si128(x4, k); x5 = _mm_aesdec_si128(x5, k);
      x6 = _mm_aesdec_si128(x6, k); x7 = _mm_aesdec_si128(x7, k);
    }
    // aesdeclast XORs its key in last: fold the CBC chaining value into it.
    k = DAREKIT_RK(dk, 14);
    x0 = _mm_aesdeclast_si128(x0, _mm_xor_si128(k, prev));
    x1 = _mm_aesdeclast_si128(x1, _mm_xor_si128(k, c0));
    x2 = _mm_aesdeclast_si128(x2, _mm_xor_si128(k, c1));
    x3 = _mm_aesdeclast_si128(x3, _mm_xor_si128(k, c2));
    x4 = _mm_aesdeclast_si128(x4, _mm_xor_si128(k, c3));
    x5 = _mm_aesdeclast_si128(x5, _mm_xor_si128(k, c4));
    x6 = _mm_aesdeclast_si128(x6, _mm_xor_si128(k, c5));
    x7 = _mm_aesdeclast_si128(x7, _mm_xor_si128(k, c6));
    prev = c7;
    _mm_storeu_si128(dst + b + 0, x0); _mm_storeu_si128(dst + b + 1, x1);
    _mm_storeu_si128(dst + b + 2, x2); _mm_storeu_si128(dst + b + 3, x3);
    _mm_storeu_si128(dst + b + 4, x4); _mm_storeu_si128(dst + b + 5, x5);
    _mm_storeu_si128(dst + b + 6, x6); _mm_storeu_si128(dst + b + 7, x7);
  }
  for (; b < n; ++b) {
    const __m128i c = _mm_loadu_si128(src + b);
    __m128i x = _mm_xor_si128(c, DAREKIT_RK(dk, 0));
    for (int r = 1; r < aes256_rounds; ++r) x = _mm_aesdec_si128(x, DAREKIT_RK(dk, r));
    x = _mm_aesdeclast_si128(x, _mm_xor_si128(DAREKIT_RK(dk, 14), prev));
    prev = c;
    _mm_storeu_si128(dst + b, x);
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(iv), prev);
}
#if defined(__GNUC__)
#define DAREKIT_HAVE_VAES512 1
DAREKIT_SIMD_WARNINGS_BEGIN
/// CBC-decrypt with VAES on 512-bit registers: 32 blocks (8 zmm of 4 blocks) per
/// iteration, the rest by the AES-NI code. Same contract as aes256_cbc_decrypt.
__attribute__((target("aes,sse4.1,avx2,avx512f,vaes"))) inline void aes256_cbc_decrypt_vaes512(
    const std::uint8_t* dk, std::uint8_t* iv, const std::uint8_t* in, std::uint8_t* out, std::size_t n) noexcept {
  std::size_t b = 0;
  if (n >= 32) {
    __m512i k[15];  // broadcast round keys; kept in zmm registers (32 of them) by the compiler
    for (int r = 0; r < 15; ++r) k[r] = _mm512_broadcast_i32x4(DAREKIT_RK(dk, r));
    // Lane 3 of `prev4` holds the chaining block before the current group.
    __m512i prev4 = _mm512_broadcast_i32x4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(iv)));
    for (; b + 32 <= n; b += 32) {
      const std::uint8_t* p = in + 16 * b;
      __m512i c[8], x[8];
      for (int j = 0; j < 8; ++j) {
        c[j] = _mm512_loadu_si512(p + 64 * j);
        x[j] = _mm512_xor_si512(c[j], k[0]);
      }
      for (int r = 1; r < aes256_rounds; ++r)
        for (int j = 0; j < 8; ++j) x[j] = _mm512_aesdec_epi128(x[j], k[r]);
      // Chaining values: the ciphertext blocks shifted up by one block (valignq by 6 qwords).
      x[0] = _mm512_aesdeclast_epi128(x[0], _mm512_xor_si512(k[14], _mm512_alignr_epi64(c[0], prev4, 6)));
      for (int j = 1; j < 8; ++j)
        x[j] = _mm512_aesdeclast_epi128(x[j], _mm512_xor_si512(k[14], _mm512_alignr_epi64(c[j], c[j - 1], 6)));
      prev4 = c[7];
      std::uint8_t* q = out + 16 * b;
      for (int j = 0; j < 8; ++j) _mm512_storeu_si512(q + 64 * j, x[j]);
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(iv), _mm512_extracti32x4_epi32(prev4, 3));
  }
  aes256_cbc_decrypt(dk, iv, in + 16 * b, out + 16 * b, n - b);
}
DAREKIT_SIMD_WARNINGS_END
#else
#define DAREKIT_HAVE_VAES512 0
#endif

/// Whether to use the VAES-512 decryption: the CPU has VAES and AVX-512F and the
/// active kernel family (DAREKIT_FORCE_KERNEL / force_kernel) is avx512.
inline bool aes_use_vaes512() noexcept {
#if DAREKIT_HAVE_VAES512
  return cpu().vaes && cpu().avx512f && active_kernel() == kernel::avx512;
#else
  return false;
#endif
}

#undef DAREKIT_RK
#endif  // DAREKIT_HAVE_AESNI
}  // namespace detail

namespace detail {
/// Test hook: when set, aes_available() reports false, as on a CPU without AES-NI.
inline std::atomic<bool>& aes_force_unavailable() noexcept {
  static std::atomic<bool> flag{false};
  return flag;
}
}  // namespace detail

/// Whether this build and processor can run darekit's AES (AES-NI present).
inline bool aes_available() noexcept {
#if DAREKIT_HAVE_AESNI
  if (detail::aes_force_unavailable().load(std::memory_order_relaxed)) return false;
  return cpu().aesni && cpu().sse41;
#else
  return false;
#endif
}

/// An AES-256 key schedule (encryption and decryption round keys), wiped on destruction.
/// Make one with create(); every other member assumes a successfully created object.
class aes256 {
 public:
  static constexpr std::size_t key_size = 32;
  static constexpr std::size_t block_size = 16;

  /// Expand a 32-byte key. Fails with errc::invalid_argument for another key length and
  /// errc::unsupported where AES-NI is not available.
  static result<aes256> create(byte_view key) {
    if (key.size() != key_size)
      return fail(errc::invalid_argument, "AES-256 needs a 32-byte key, got " + std::to_string(key.size()));
    if (!aes_available())
      return fail(errc::unsupported, "AES-256 needs a processor with AES-NI, which this one lacks");
    aes256 a;
#if DAREKIT_HAVE_AESNI
    detail::aes256_expand(key.data(), a.ek_, a.dk_);
#endif
    return a;
  }

  aes256(const aes256&) = default;
  aes256& operator=(const aes256&) = default;
  ~aes256() { wipe(ek_, sizeof ek_); wipe(dk_, sizeof dk_); }

  /// Encrypt `n` independent 16-byte blocks from `in` to `out` (may alias exactly).
  void encrypt_blocks(const std::uint8_t* in, std::uint8_t* out, std::size_t n) const noexcept {
#if DAREKIT_HAVE_AESNI
    detail::aes256_encrypt_blocks(ek_, in, out, n);
#else
    (void)in; (void)out; (void)n;
#endif
  }
  /// Decrypt `n` independent 16-byte blocks from `in` to `out` (may alias exactly).
  void decrypt_blocks(const std::uint8_t* in, std::uint8_t* out, std::size_t n) const noexcept {
#if DAREKIT_HAVE_AESNI
    detail::aes256_decrypt_blocks(dk_, in, out, n);
#else
    (void)in; (void)out; (void)n;
#endif
  }

  /// Raw CBC encryption of `n` whole blocks (no padding). `iv` (16 bytes) is the
  /// chaining value: read, then replaced by the last ciphertext block so calls chain.
  void cbc_encrypt(std::uint8_t* iv, const std::uint8_t* in, std::uint8_t* out, std::size_t n) const noexcept {
#if DAREKIT_HAVE_AESNI
    detail::aes256_cbc_encrypt(ek_, iv, in, out, n);
#else
    (void)iv; (void)in; (void)out; (void)n;
#endif
  }
  /// Raw CBC decryption of `n` whole blocks (no padding), eight blocks in parallel
  /// (32 with VAES on AVX-512 when the active kernel is avx512). `iv` chains as for
  /// cbc_encrypt.
  void cbc_decrypt(std::uint8_t* iv, const std::uint8_t* in, std::uint8_t* out, std::size_t n) const noexcept {
#if DAREKIT_HAVE_AESNI
#if DAREKIT_HAVE_VAES512
    if (n >= 32 && detail::aes_use_vaes512()) return detail::aes256_cbc_decrypt_vaes512(dk_, iv, in, out, n);
#endif
    detail::aes256_cbc_decrypt(dk_, iv, in, out, n);
#else
    (void)iv; (void)in; (void)out; (void)n;
#endif
  }

 private:
  aes256() noexcept = default;
  alignas(16) std::uint8_t ek_[15 * 16] = {};
  alignas(16) std::uint8_t dk_[15 * 16] = {};
};

}  // namespace darekit
