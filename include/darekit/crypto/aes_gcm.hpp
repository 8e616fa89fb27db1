// AES-256-GCM (NIST SP 800-38D) with 96-bit nonces and 16-byte detached tags.
//
// Three kernels, chosen per call:
//  - vaes_avx512: VAES + VPCLMULQDQ on zmm registers, 32 blocks per iteration with one
//    GHASH reduction per 32 blocks (H^32..H^1 precomputed), CTR and GHASH stitched. Used
//    when the active kernel family is avx512 and the CPU has VAES and VPCLMULQDQ.
//  - aesni_pclmul_avx / aesni_pclmul: AES-NI + PCLMULQDQ on xmm registers, 8 blocks per
//    iteration with one reduction per 8 blocks, VEX-encoded in the avx2 tier (and avx512
//    without VAES), SSE-encoded in the scalar tier.
// Without AES-NI and PCLMULQDQ (or on non-x86 builds) create() fails with
// errc::unsupported; there is no table-based fallback (it would leak through timing).
// All kernels are branch-free on secret data and use no lookup tables.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/aes.hpp"
#include "darekit/crypto/detail/aes_gcm_aesni.hpp"
#include "darekit/crypto/detail/aes_gcm_vaes512.hpp"
#include "darekit/crypto/detail/ghash_clmul.hpp"

namespace darekit {

/// The GCM bulk kernels: xmm AES-NI + PCLMULQDQ with SSE encodings (scalar tier) or VEX
/// encodings (avx2 tier, and avx512 without VAES), and zmm VAES + VPCLMULQDQ.
enum class gcm_kernel : int { none = 0, aesni_pclmul = 1, aesni_pclmul_avx = 2, vaes_avx512 = 3 };

namespace detail {
/// Test hook: the kernel used by the most recent seal/open in this process.
inline std::atomic<int>& gcm_last_kernel_slot() noexcept {
  static std::atomic<int> slot{0};
  return slot;
}

#if DAREKIT_HAVE_GCM_VAES512
/// Whole GCM pass on zmm registers.
template <bool Encrypt>
DAREKIT_TARGET_GCM512 inline void gcm_vaes512(const gcm_key& k, const std::uint8_t* in, std::uint8_t* out,
                                              std::size_t n, const std::uint8_t* ad, std::size_t adlen,
                                              const std::uint8_t* nonce, std::uint8_t* tag) noexcept {
  alignas(16) std::uint8_t j0[16];
  const __m128i ctr = gcm_first_counter(nonce, j0);
  __m128i x = _mm_setzero_si128();
  if (adlen) x = gcm512_ghash(k, x, ad, adlen);
  if (n) x = gcm_crypt_vaes512<Encrypt>(k, x, ctr, in, out, n);
  gcm_finish(k, x, adlen, n, j0, tag);
}
#endif

/// The kernel a call made now would use.
inline gcm_kernel gcm_select() noexcept {
#if DAREKIT_HAVE_GCM_VAES512
  const cpu_features& f = cpu();
  if (active_kernel() == kernel::avx512 && f.vaes && f.vpclmulqdq && f.avx512f && f.avx512bw) return gcm_kernel::vaes_avx512;
#endif
#if DAREKIT_HAVE_GCM_XMM_AVX
  if (active_kernel() != kernel::scalar && cpu().avx) return gcm_kernel::aesni_pclmul_avx;
#endif
#if DAREKIT_HAVE_GCM_CLMUL
  return gcm_kernel::aesni_pclmul;
#else
  return gcm_kernel::none;
#endif
}

template <bool Encrypt>
inline void gcm_run(const gcm_key& k, const std::uint8_t* in, std::uint8_t* out, std::size_t n, const std::uint8_t* ad,
                    std::size_t adlen, const std::uint8_t* nonce, std::uint8_t* tag) noexcept {
  const gcm_kernel kk = gcm_select();
  gcm_last_kernel_slot().store(int(kk), std::memory_order_relaxed);
#if DAREKIT_HAVE_GCM_VAES512
  if (kk == gcm_kernel::vaes_avx512) return gcm_vaes512<Encrypt>(k, in, out, n, ad, adlen, nonce, tag);
#endif
#if DAREKIT_HAVE_GCM_CLMUL
#if DAREKIT_HAVE_GCM_XMM_AVX
  if (kk == gcm_kernel::aesni_pclmul_avx) return gcm_xmm_avx::run<Encrypt>(k, in, out, n, ad, adlen, nonce, tag);
#endif
  gcm_xmm_sse::run<Encrypt>(k, in, out, n, ad, adlen, nonce, tag);
#else
  (void)k; (void)in; (void)out; (void)n; (void)ad; (void)adlen; (void)nonce; (void)tag;
#endif
}

// ---- pieces for aes256gcm_stream (byte interfaces; the reflected state is 16 bytes) ----
#if DAREKIT_HAVE_GCM_CLMUL
/// x = GHASH of `len` bytes (zero-padded) continued from x.
DAREKIT_TARGET_GCM inline void gcm_stream_ghash(const gcm_key& k, std::uint8_t* x, const std::uint8_t* p,
                                                std::size_t len) noexcept {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
  v = gcm_xmm_sse::ghash(k, v, p, len);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(x), v);
}

/// CTR + GHASH over `n` bytes (a multiple of 16) starting at counter value `ctr`.
template <bool Encrypt>
DAREKIT_TARGET_GCM inline void gcm_stream_crypt(const gcm_key& k, std::uint8_t* x, const std::uint8_t* nonce,
                                                std::uint32_t ctr, const std::uint8_t* in, std::uint8_t* out,
                                                std::size_t n) noexcept {
  alignas(16) std::uint8_t cb[16];
  std::memcpy(cb, nonce, 12);
  store_be32(cb + 12, ctr);
  const __m128i c = gcm_bswap(_mm_load_si128(reinterpret_cast<const __m128i*>(cb)));
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
  const gcm_kernel kk = gcm_select();
  gcm_last_kernel_slot().store(int(kk), std::memory_order_relaxed);
#if DAREKIT_HAVE_GCM_VAES512
  if (kk == gcm_kernel::vaes_avx512) v = gcm_crypt_vaes512<Encrypt>(k, v, c, in, out, n); else
#endif
#if DAREKIT_HAVE_GCM_XMM_AVX
  if (kk == gcm_kernel::aesni_pclmul_avx) v = gcm_xmm_avx::crypt<Encrypt>(k, v, c, in, out, n); else
#endif
  v = gcm_xmm_sse::crypt<Encrypt>(k, v, c, in, out, n);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(x), v);
}

/// The tag from the state x, the lengths and the nonce.
DAREKIT_TARGET_GCM inline void gcm_stream_tag(const gcm_key& k, const std::uint8_t* x, const std::uint8_t* nonce,
                                              std::uint64_t adlen, std::uint64_t n, std::uint8_t* tag) noexcept {
  alignas(16) std::uint8_t j0[16];
  (void)gcm_first_counter(nonce, j0);
  gcm_finish(k, _mm_loadu_si128(reinterpret_cast<const __m128i*>(x)), std::size_t(adlen), std::size_t(n), j0, tag);
}
#endif
}  // namespace detail

/// Whether this build and processor can run darekit's AES-256-GCM (AES-NI, PCLMULQDQ, SSSE3).
inline bool aes256gcm_available() noexcept {
#if DAREKIT_HAVE_GCM_CLMUL
  return aes_available() && cpu().pclmul && cpu().ssse3;
#else
  return false;
#endif
}

/// An AES-256-GCM key: the AES round keys and H^1..H^32, wiped on destruction.
/// Copyable (copies the schedule; no heap). Make one with create(); every other member
/// assumes a successfully created object. Calls are thread-safe on a shared object.
///
/// Nonces are 96 bits; a (key, nonce) pair must never be reused. Messages are limited
/// to max_message_size bytes (2^36 - 32, the GCM limit for 96-bit nonces). `ct` may
/// equal `m` (exactly the same buffer; partially overlapping buffers are not allowed).
class aes256gcm_stream;

class aes256gcm {
 public:
  static constexpr std::size_t key_size = 32;
  static constexpr std::size_t nonce_size = 12;
  static constexpr std::size_t tag_size = 16;
  static constexpr std::uint64_t max_message_size = (std::uint64_t(1) << 36) - 32;

  /// Expand a 32-byte key. errc::invalid_argument for another key length,
  /// errc::unsupported where AES-NI or PCLMULQDQ is missing.
  static result<aes256gcm> create(byte_view key) {
    if (key.size() != key_size)
      return fail(errc::invalid_argument, "AES-256-GCM needs a 32-byte key, got " + std::to_string(key.size()));
    if (!aes256gcm_available())
      return fail(errc::unsupported, "AES-256-GCM needs a processor with AES-NI and PCLMULQDQ, which this one lacks");
    aes256gcm g;
#if DAREKIT_HAVE_GCM_CLMUL
    alignas(16) std::uint8_t dk[15 * 16];
    detail::aes256_expand(key.data(), g.k_.ek, dk);
    wipe(dk, sizeof dk);
    alignas(16) std::uint8_t h[16] = {};
    detail::aes256_encrypt_blocks(g.k_.ek, h, h, 1);
    detail::gcm_init_powers(g.k_, h);
    wipe(h, sizeof h);
#endif
    return g;
  }

  aes256gcm(const aes256gcm&) = default;
  aes256gcm& operator=(const aes256gcm&) = default;
  ~aes256gcm() { wipe(&k_, sizeof k_); }

  /// Encrypt `n` bytes of `m` into `ct` and write the 16-byte tag over (`ad`, `adlen`)
  /// and the ciphertext. Returns false (writing nothing but a zero tag) only when `n`
  /// exceeds max_message_size. `m`/`ad` may be null when their length is 0.
  bool seal(std::uint8_t* ct, std::uint8_t tag[16], const std::uint8_t* m, std::size_t n, const std::uint8_t* ad,
            std::size_t adlen, const std::uint8_t nonce[12]) const noexcept {
    if (std::uint64_t(n) > max_message_size) {
      std::memset(tag, 0, tag_size);
      return false;
    }
    detail::gcm_run<true>(k_, m, ct, n, ad, adlen, nonce, tag);
    return true;
  }

  /// Decrypt `n` bytes of `ct` into `m` and check `tag` in constant time. On a wrong
  /// tag returns false with `m` zeroed (no unauthenticated plaintext is released).
  /// When `n` exceeds max_message_size returns false without reading or writing anything.
  [[nodiscard]] bool open(std::uint8_t* m, const std::uint8_t* ct, std::size_t n, const std::uint8_t tag[16],
                          const std::uint8_t* ad, std::size_t adlen, const std::uint8_t nonce[12]) const noexcept {
    if (std::uint64_t(n) > max_message_size) return false;
    std::uint8_t expect[16];
    detail::gcm_run<false>(k_, ct, m, n, ad, adlen, nonce, expect);
    const bool ok = ct_equal(byte_view(expect, 16), byte_view(tag, 16));
    wipe(expect, sizeof expect);
    if (!ok && n) wipe(m, n);
    return ok;
  }

  /// The kernel a call made now would use (depends on the CPU and active_kernel()).
  static gcm_kernel selected_kernel() noexcept { return detail::gcm_select(); }
  /// Test hook: the kernel the most recent seal/open in this process ran.
  static gcm_kernel last_kernel() noexcept {
    return gcm_kernel(detail::gcm_last_kernel_slot().load(std::memory_order_relaxed));
  }

 private:
  friend class aes256gcm_stream;
  aes256gcm() noexcept = default;
  detail::gcm_key k_{};
};

/// Incremental AES-256-GCM over one message of any length up to max_message_size, fed in
/// pieces of any size (the bulk of each piece runs through the same kernels as seal/open;
/// a partial block is carried between calls). Same output as aes256gcm::seal/open.
///
///   aes256gcm_stream s(key, nonce, ad, adlen);   // AD is given once, up front
///   s.update(out, in, n); ...                    // encrypt (or s.update_decrypt)
///   s.finish(tag);                               // or: if (!s.verify(tag)) discard output
///
/// Decryption in pieces necessarily releases plaintext before the tag is checked: callers
/// must not act on it until verify() returns true (use aes256gcm::open when the message
/// fits in memory). The key object must outlive the stream; the state is wiped on
/// destruction. A stream is either encrypting or decrypting: mixing the two (or calling
/// update after finish/verify) gives a meaningless tag.
class aes256gcm_stream {
 public:
  aes256gcm_stream(const aes256gcm& key, const std::uint8_t nonce[12], const std::uint8_t* ad,
                   std::size_t adlen) noexcept
      : key_(&key), adlen_(adlen) {
    std::memcpy(nonce_, nonce, 12);
#if DAREKIT_HAVE_GCM_CLMUL
    if (adlen) detail::gcm_stream_ghash(key_->k_, x_, ad, adlen);
#else
    (void)ad;
#endif
  }
  aes256gcm_stream(const aes256gcm_stream&) = delete;
  aes256gcm_stream& operator=(const aes256gcm_stream&) = delete;
  ~aes256gcm_stream() {
    wipe(x_, sizeof x_); wipe(ks_, sizeof ks_); wipe(part_, sizeof part_); wipe(nonce_, sizeof nonce_);
  }

  /// Encrypt the next `n` bytes of the message from `in` to `out` (may be the same buffer).
  /// Returns false, processing nothing, when the message would exceed max_message_size.
  [[nodiscard]] bool update(std::uint8_t* out, const std::uint8_t* in, std::size_t n) noexcept {
    return step<true>(out, in, n);
  }
  /// Decrypt the next `n` bytes of ciphertext from `in` to `out` (may be the same buffer).
  [[nodiscard]] bool update_decrypt(std::uint8_t* out, const std::uint8_t* in, std::size_t n) noexcept {
    return step<false>(out, in, n);
  }
  /// Encryption: write the 16-byte tag.
  void finish(std::uint8_t tag[16]) noexcept { compute_tag(tag); }
  /// Decryption: whether `tag` matches (constant-time comparison).
  [[nodiscard]] bool verify(const std::uint8_t tag[16]) noexcept {
    std::uint8_t t[16];
    compute_tag(t);
    const bool ok = ct_equal(byte_view(t, 16), byte_view(tag, 16));
    wipe(t, sizeof t);
    return ok;
  }

 private:
  template <bool Encrypt>
  bool step(std::uint8_t* out, const std::uint8_t* in, std::size_t n) noexcept {
    if (n > aes256gcm::max_message_size - total_) return false;
    total_ += n;
#if DAREKIT_HAVE_GCM_CLMUL
    const detail::gcm_key& k = key_->k_;
    // Finish a carried partial block byte by byte.
    while (used_ && used_ < 16 && n) {
      const std::uint8_t b = *in++;
      const std::uint8_t o = std::uint8_t(b ^ ks_[used_]);
      part_[used_++] = Encrypt ? o : b;
      *out++ = o;
      --n;
      if (used_ == 16) {
        detail::gcm_stream_ghash(k, x_, part_, 16);
        used_ = 0;
      }
    }
    const std::size_t bulk = n & ~std::size_t(15);
    if (bulk) {
      detail::gcm_stream_crypt<Encrypt>(k, x_, nonce_, ctr_, in, out, bulk);
      ctr_ += std::uint32_t(bulk / 16);
      in += bulk;
      out += bulk;
      n -= bulk;
    }
    if (n) {  // start a new partial block: one keystream block, n < 16 bytes of it used now
      alignas(16) std::uint8_t cb[16];
      std::memcpy(cb, nonce_, 12);
      store_be32(cb + 12, ctr_++);
      detail::aes256_encrypt_blocks(k.ek, cb, ks_, 1);
      std::memset(part_, 0, sizeof part_);
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t b = in[i];
        const std::uint8_t o = std::uint8_t(b ^ ks_[i]);
        part_[i] = Encrypt ? o : b;
        out[i] = o;
      }
      used_ = n;
    }
#else
    (void)out; (void)in;
#endif
    return true;
  }

  void compute_tag(std::uint8_t* tag) noexcept {
#if DAREKIT_HAVE_GCM_CLMUL
    if (used_) {  // the last partial block, zero-padded
      std::memset(part_ + used_, 0, 16 - used_);
      detail::gcm_stream_ghash(key_->k_, x_, part_, 16);
      used_ = 0;
    }
    detail::gcm_stream_tag(key_->k_, x_, nonce_, adlen_, total_, tag);
#else
    std::memset(tag, 0, 16);
#endif
  }

  const aes256gcm* key_;
  std::uint64_t adlen_ = 0;
  std::uint64_t total_ = 0;
  std::uint32_t ctr_ = 2;  // counter of the next keystream block (J0 + 1 first)
  std::size_t used_ = 0;   // bytes of part_/ks_ used by the carried partial block (0 = none)
  alignas(16) std::uint8_t x_[16] = {};     // reflected GHASH state
  alignas(16) std::uint8_t ks_[16] = {};    // keystream of the partial block
  alignas(16) std::uint8_t part_[16] = {};  // ciphertext of the partial block
  std::uint8_t nonce_[12] = {};
};

}  // namespace darekit
