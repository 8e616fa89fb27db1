// The xmm AES-256-GCM kernel body, included twice by aes_gcm_aesni.hpp (deliberately
// no include guard) with DAREKIT_GCM_XMM_NS naming the namespace and
// DAREKIT_GCM_XMM_TARGET the target attribute (SSE or VEX encodings).
#if !defined(DAREKIT_GCM_XMM_NS) || !defined(DAREKIT_GCM_XMM_TARGET)
#error "include darekit/crypto/detail/aes_gcm_aesni.hpp instead"
#endif

namespace darekit::detail::DAREKIT_GCM_XMM_NS {

/// GHASH `len` bytes (zero-padded to whole blocks) into x, eight blocks per reduction.
DAREKIT_GCM_XMM_TARGET inline __m128i ghash(const gcm_key& k, __m128i x, const std::uint8_t* p,
                                            std::size_t len) noexcept {
  __m128i b[8];
  while (len >= 128) {
    DAREKIT_UNROLL
    for (int j = 0; j < 8; ++j) b[j] = gcm_bswap(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * j)));
    x = gcm_ghash_group(k, x, b, 8);
    p += 128;
    len -= 128;
  }
  if (len) {
    alignas(16) std::uint8_t buf[128] = {};
    std::memcpy(buf, p, len);
    const std::size_t r = (len + 15) / 16;
    for (std::size_t j = 0; j < r; ++j) b[j] = gcm_bswap(_mm_load_si128(reinterpret_cast<const __m128i*>(buf + 16 * j)));
    x = gcm_ghash_group(k, x, b, r);
  }
  return x;
}

/// Encrypt eight counter blocks from the reflected counter `ctr` (not advanced) into s.
DAREKIT_GCM_XMM_TARGET inline void keystream8(const gcm_key& k, __m128i ctr, __m128i* s) noexcept {
  const __m128i k0 = gcm_rk(k, 0);
  DAREKIT_UNROLL
  for (int j = 0; j < 8; ++j) s[j] = _mm_xor_si128(gcm_bswap(_mm_add_epi32(ctr, _mm_set_epi32(0, 0, 0, j))), k0);
  DAREKIT_UNROLL
  for (int r = 1; r < 14; ++r) {
    const __m128i kr = gcm_rk(k, r);
    DAREKIT_UNROLL
    for (int j = 0; j < 8; ++j) s[j] = _mm_aesenc_si128(s[j], kr);
  }
  const __m128i kl = gcm_rk(k, 14);
  DAREKIT_UNROLL
  for (int j = 0; j < 8; ++j) s[j] = _mm_aesenclast_si128(s[j], kl);
}

/// CTR-encrypt (Encrypt) or decrypt `n` bytes from `in` to `out` (which may be the
/// same buffer) starting at the reflected counter block `ctr`, and GHASH the
/// ciphertext into the reflected state `x`; returns the new state.
template <bool Encrypt>
DAREKIT_GCM_XMM_TARGET inline __m128i crypt(const gcm_key& k, __m128i x, __m128i ctr, const std::uint8_t* in,
                                            std::uint8_t* out, std::size_t n) noexcept {
  const __m128i eight = _mm_set_epi32(0, 0, 0, 8);
  __m128i s[8];
  std::size_t i = 0;
  if (n >= 128) {
    // Encryption hashes the previous group's ciphertext while making this group's
    // keystream; decryption hashes this group's ciphertext (loaded before the store).
    if (Encrypt) {
      keystream8(k, ctr, s);
      ctr = _mm_add_epi32(ctr, eight);
      DAREKIT_UNROLL
      for (int j = 0; j < 8; ++j) {
        const __m128i p = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 16 * j));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * j), _mm_xor_si128(p, s[j]));
      }
      i = 128;
    }
    for (; i + 128 <= n; i += 128) {
      const std::uint8_t* h = Encrypt ? out + i - 128 : in + i;  // the blocks to hash
      const __m128i k0 = gcm_rk(k, 0);
      DAREKIT_UNROLL
      for (int j = 0; j < 8; ++j) s[j] = _mm_xor_si128(gcm_bswap(_mm_add_epi32(ctr, _mm_set_epi32(0, 0, 0, j))), k0);
      ctr = _mm_add_epi32(ctr, eight);
      __m128i lo = _mm_setzero_si128(), mi = lo, hi = lo;
      DAREKIT_UNROLL
      for (int r = 1; r < 14; ++r) {
        const __m128i kr = gcm_rk(k, r);
        DAREKIT_UNROLL
        for (int j = 0; j < 8; ++j) s[j] = _mm_aesenc_si128(s[j], kr);
        if (r <= 8) {
          __m128i b = gcm_bswap(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h + 16 * (r - 1))));
          if (r == 1) b = _mm_xor_si128(b, x);
          gcm_mul_acc(b, gcm_htab(k, gcm_powers - 8 + std::size_t(r - 1)), lo, mi, hi);
        }
        if (r == 9) x = gcm_reduce(lo, mi, hi);
      }
      const __m128i kl = gcm_rk(k, 14);
      DAREKIT_UNROLL
      for (int j = 0; j < 8; ++j) {
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i + 16 * j));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i + 16 * j), _mm_aesenclast_si128(s[j], _mm_xor_si128(kl, c)));
      }
    }
    if (Encrypt) x = ghash(k, x, out + i - 128, 128);
  }
  if (i < n) {
    // Tail of 1..127 bytes through a zero-padded buffer: the keystream bytes past the
    // end are cleared before hashing (encryption) or never written (decryption).
    const std::size_t rem = n - i;
    alignas(16) std::uint8_t buf[128] = {};
    std::memcpy(buf, in + i, rem);
    if (!Encrypt) x = ghash(k, x, buf, rem);
    keystream8(k, ctr, s);
    const std::size_t r = (rem + 15) / 16;
    for (std::size_t j = 0; j < r; ++j) {
      __m128i* q = reinterpret_cast<__m128i*>(buf + 16 * j);
      _mm_store_si128(q, _mm_xor_si128(_mm_load_si128(q), s[j]));
    }
    std::memcpy(out + i, buf, rem);
    if (Encrypt) {
      std::memset(buf + rem, 0, sizeof buf - rem);
      x = ghash(k, x, buf, rem);
    }
    wipe(buf, sizeof buf);
    wipe(s, sizeof s);
  }
  return x;
}

/// Whole GCM pass: GHASH(AD), CTR + GHASH(C), tag.
template <bool Encrypt>
DAREKIT_GCM_XMM_TARGET inline void run(const gcm_key& k, const std::uint8_t* in, std::uint8_t* out, std::size_t n,
                                       const std::uint8_t* ad, std::size_t adlen, const std::uint8_t* nonce,
                                       std::uint8_t* tag) noexcept {
  alignas(16) std::uint8_t j0[16];
  const __m128i ctr = gcm_first_counter(nonce, j0);
  __m128i x = _mm_setzero_si128();
  if (adlen) x = ghash(k, x, ad, adlen);
  if (n) x = crypt<Encrypt>(k, x, ctr, in, out, n);
  gcm_finish(k, x, adlen, n, j0, tag);
}

}  // namespace darekit::detail::DAREKIT_GCM_XMM_NS
