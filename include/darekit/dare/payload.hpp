// Payload protection (docs/FORMAT.md §3): per-item key derivation (spec §5.4) and the
// streaming payload ciphers.
//
//   PRK = HMAC-SHA-256(key = prefix || Salt, msg = base seed)      (prefix empty for the payload)
//   A256CBC: key = Expand(PRK, "encrypt", 32), IV = Expand(PRK, "iv", 16)  (reference)
//   XC20P:   key = Expand(PRK, "dare-xc20p-key", 32),  N = Expand(PRK, "dare-xc20p-nonce", 16)
//   A256GCM: key = Expand(PRK, "dare-a256gcm-key", 32), N = Expand(PRK, "dare-a256gcm-nonce", 4)
//
// The AEAD profiles split the plaintext into chunks of exactly 65536 bytes followed by
// one final chunk of 0..65535 bytes. Chunk i is sealed with nonce N || BE64(i) and
// associated data binding(32) || flag (0x00, or 0x01 for the final chunk), where
// binding = SHA-256(canonical JSON-B header). Stored payload bytes are
// ct_0 || tag_0 || ... || ct_{k-1} || tag_{k-1} || ct_final, and the final chunk's tag is
// the trailer's PayloadTag. Truncation, extension, reordering and any change to the
// header fail authentication. Memory use is one chunk, whatever the payload size.
#pragma once

#include <cstring>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>
#include <variant>

#include "darekit/core/secure.hpp"
#include "darekit/crypto/aes_cbc.hpp"
#include "darekit/crypto/aes_gcm.hpp"
#include "darekit/crypto/chacha20poly1305.hpp"
#include "darekit/crypto/hasher.hpp"
#include "darekit/crypto/hkdf.hpp"
#include "darekit/dare/algorithms.hpp"

namespace darekit::dare {

/// Plaintext bytes per AEAD chunk (every chunk but the last is exactly this long).
inline constexpr std::size_t aead_chunk_size = 65536;
/// Bytes of an AEAD tag.
inline constexpr std::size_t aead_tag_size = 16;

/// The per-item PRK of spec §5.4: HMAC-SHA-256(prefix || Salt, base seed).
inline secret<32> item_prk(byte_view base_seed, byte_view salt_item) {
  return hkdf::extract<sha256>(salt_item, base_seed);
}
/// One labelled value from an item PRK (a separate Expand per label).
inline result<secure_bytes> item_derive(const secret<32>& prk, std::string_view label, std::size_t n) {
  return hkdf::expand<sha256>(prk.view(), as_bytes(label), n);
}

/// The reference A256CBC profile: key and IV from HKDF-SHA-256 labels "encrypt" and "iv".
template <class Cbc>
result<Cbc> make_cbc(byte_view base_seed, byte_view salt_item) {
  auto prk = item_prk(base_seed, salt_item);
  DAREKIT_TRY(auto key, item_derive(prk, "encrypt", 32));
  DAREKIT_TRY(auto iv, item_derive(prk, "iv", 16));
  return Cbc::create(key, iv);
}

/// Stored-size of an AEAD payload of n plaintext bytes.
constexpr std::uint64_t aead_stored_size(std::uint64_t n) noexcept {
  return n + (n / aead_chunk_size) * aead_tag_size;
}

/// A byte vector whose resize() does not zero-fill (output buffers of the streaming
/// ciphers, overwritten right away).
template <class T>
struct default_init_allocator : std::allocator<T> {
  template <class U> struct rebind { using other = default_init_allocator<U>; };
  default_init_allocator() = default;
  template <class U> default_init_allocator(const default_init_allocator<U>&) noexcept {}  // NOLINT
  template <class U> void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) { ::new (static_cast<void*>(p)) U; }
  template <class U, class... A> void construct(U* p, A&&... a) { ::new (static_cast<void*>(p)) U(std::forward<A>(a)...); }
};
/// Output buffer type for the streaming ciphers (any std::vector<uint8_t, A> works).
using stream_buffer = std::vector<std::uint8_t, default_init_allocator<std::uint8_t>>;

namespace detail {

/// One chunked AEAD (XChaCha20-Poly1305 or AES-256-GCM) key state, on darekit's own
/// kernels (crypto/chacha20poly1305.hpp, crypto/aes_gcm.hpp).
class chunk_aead {
 public:
  static result<chunk_aead> create(enc_alg a, byte_view base_seed, byte_view salt_item, const digest256& binding) {
    chunk_aead c;
    c.alg_ = a;
    auto prk = item_prk(base_seed, salt_item);
    const bool x = a == enc_alg::xc20p;
    DAREKIT_TRY(auto key, item_derive(prk, x ? "dare-xc20p-key" : "dare-a256gcm-key", 32));
    DAREKIT_TRY(auto n, item_derive(prk, x ? "dare-xc20p-nonce" : "dare-a256gcm-nonce", x ? 16 : 4));
    if (x) {
      std::memcpy(c.key_.data(), key.data(), 32);
    } else {
      DAREKIT_TRY(auto g, aes256gcm::create(key));
      c.gcm_ = std::make_shared<const aes256gcm>(std::move(g));
    }
    c.nonce_len_ = x ? 24 : 12;
    std::memcpy(c.nonce_.data(), n.data(), n.size());
    std::memcpy(c.ad_.data(), binding.data(), 32);
    return c;
  }

  /// Seal chunk `index` (final or not): writes n bytes of ciphertext to `ct` and the tag to
  /// `tag`. A chunk is at most 64 KiB, far below either AEAD's message limit, so the
  /// primitives' length refusal cannot happen here.
  void seal(std::uint64_t index, bool final, const std::uint8_t* m, std::size_t n, std::uint8_t* ct, std::uint8_t* tag) {
    set(index, final);
    if (alg_ == enc_alg::xc20p)
      (void)xchacha20poly1305::seal(ct, tag, m, n, ad_.data(), ad_.size(), nonce_.data(), key_.data());
    else
      (void)gcm_->seal(ct, tag, m, n, ad_.data(), ad_.size(), nonce_.data());
  }
  /// Open chunk `index`; false when authentication fails (the output is then zeroed).
  bool open(std::uint64_t index, bool final, const std::uint8_t* ct, std::size_t n, const std::uint8_t* tag, std::uint8_t* m) {
    set(index, final);
    if (alg_ == enc_alg::xc20p)
      return xchacha20poly1305::open(m, ct, n, tag, ad_.data(), ad_.size(), nonce_.data(), key_.data());
    return gcm_->open(m, ct, n, tag, ad_.data(), ad_.size(), nonce_.data());
  }

 private:
  void set(std::uint64_t index, bool final) {
    store_be64(nonce_.data() + nonce_len_ - 8, index);
    ad_[32] = final ? 1 : 0;
  }
  enc_alg alg_ = enc_alg::xc20p;
  secret<32> key_;  // XC20P key (the GCM key lives, expanded, in gcm_)
  std::array<std::uint8_t, 24> nonce_{};
  std::size_t nonce_len_ = 24;
  std::array<std::uint8_t, 33> ad_{};
  std::shared_ptr<const aes256gcm> gcm_;
};

}  // namespace detail

/// Which way a payload_cipher runs.
enum class direction { seal, open };

/// Streaming payload protection in one direction: plaintext in and stored bytes out
/// (seal), or stored bytes in and plaintext out (open). AEAD plaintext is only released
/// after its chunk authenticates; the final chunk is released by finish() once PayloadTag
/// verifies. CBC output is unauthenticated (the reference profile): the envelope and
/// sequence readers check PayloadDigest and signatures before releasing it.
template <direction D>
class payload_cipher {
  static constexpr bool sealing = D == direction::seal;
  using cbc_type = std::conditional_t<sealing, cbc_encryptor, cbc_decryptor>;
  /// Bytes in per whole AEAD chunk.
  static constexpr std::size_t whole = sealing ? aead_chunk_size : aead_chunk_size + aead_tag_size;

 public:
  /// `salt_item` is prefix || Salt (just Salt for the payload). `binding` is only used
  /// by the AEAD profiles.
  static result<payload_cipher> create(enc_alg a, byte_view base_seed, byte_view salt_item, const digest256& binding) {
    payload_cipher c;
    c.alg_ = a;
    if (a == enc_alg::xc20p || a == enc_alg::a256gcm) {
      DAREKIT_TRY(auto k, detail::chunk_aead::create(a, base_seed, salt_item, binding));
      c.aead_.emplace(std::move(k));
      c.buf_.reserve(whole);
    } else if (a == enc_alg::a256cbc) {
      DAREKIT_TRY(auto k, make_cbc<cbc_type>(base_seed, salt_item));
      c.cbc_.emplace(std::move(k));
    }
    return c;
  }

  [[nodiscard]] enc_alg alg() const noexcept { return alg_; }
  [[nodiscard]] bool authenticated() const noexcept { return aead_.has_value(); }

  /// Process more input, appending output to `out`.
  template <class Vec>
  result<void> update(byte_view in, Vec& out) {
    if (alg_ == enc_alg::none) { out.insert(out.end(), in.begin(), in.end()); return ok(); }
    if (cbc_) return darekit::detail::update_append(*cbc_, in, out);
    while (!in.empty()) {
      if (buf_.empty() && in.size() >= whole) {
        DAREKIT_CHECK(process_whole(in.data(), out));
        in = in.subspan(whole);
        continue;
      }
      const std::size_t k = std::min(in.size(), whole - buf_.size());
      buf_.insert(buf_.end(), in.begin(), in.begin() + std::ptrdiff_t(k));
      in = in.subspan(k);
      if (buf_.size() == whole) {
        DAREKIT_CHECK(process_whole(buf_.data(), out));
        wipe_buffer();
      }
    }
    return ok();
  }

  /// Seal: finish the payload; for AEAD profiles tag() is then PayloadTag.
  template <class Vec>
    requires sealing
  result<void> finish(Vec& out) {
    if (cbc_) return finish_cbc(out);
    if (!aead_) return ok();
    const std::size_t at = out.size();
    out.resize(at + buf_.size());
    tag_.emplace(aead_tag_size);
    aead_->seal(index_++, true, buf_.data(), buf_.size(), out.data() + at, tag_->data());
    wipe_buffer();
    return ok();
  }
  /// Open: finish with the trailer's PayloadTag (AEAD profiles; ignored otherwise).
  template <class Vec>
    requires(!sealing)
  result<void> finish(std::optional<byte_view> tag, Vec& out) {
    if (cbc_) return finish_cbc(out);
    if (!aead_) return ok();
    if (!tag) return fail(errc::verification_failed, "the trailer has no PayloadTag");
    if (tag->size() != aead_tag_size || buf_.size() >= aead_chunk_size)
      return fail(errc::verification_failed, "payload authentication failed");
    const std::size_t at = out.size();
    out.resize(at + buf_.size());
    if (!aead_->open(index_, true, buf_.data(), buf_.size(), tag->data(), out.data() + at)) {
      out.resize(at);
      return fail(errc::verification_failed, "payload authentication failed");
    }
    buf_.clear();
    return ok();
  }
  /// The final chunk's tag (PayloadTag), after a sealing finish().
  [[nodiscard]] const std::optional<bytes>& tag() const noexcept { return tag_; }

 private:
  template <class Vec>
  result<void> finish_cbc(Vec& out) {
    const std::size_t at = out.size();
    out.resize(at + 16);
    DAREKIT_TRY(std::size_t n, cbc_->finish(byte_span(out.data() + at, 16)));
    out.resize(at + n);
    return ok();
  }
  // One whole chunk: seal 65536 bytes to ct || tag, or open ct || tag to 65536 bytes.
  template <class Vec>
  result<void> process_whole(const std::uint8_t* in, Vec& out) {
    const std::size_t at = out.size();
    out.resize(at + aead_chunk_size + (sealing ? aead_tag_size : 0));
    std::uint8_t* o = out.data() + at;
    if constexpr (sealing) {
      aead_->seal(index_++, false, in, aead_chunk_size, o, o + aead_chunk_size);
    } else if (!aead_->open(index_++, false, in, aead_chunk_size, in + aead_chunk_size, o)) {
      out.resize(at);
      return fail(errc::verification_failed, "payload authentication failed");
    }
    return ok();
  }
  void wipe_buffer() {
    if (!buf_.empty()) darekit::wipe(buf_.data(), buf_.size());
    buf_.clear();
  }
  enc_alg alg_ = enc_alg::none;
  std::optional<detail::chunk_aead> aead_;
  std::optional<cbc_type> cbc_;
  bytes buf_;
  std::uint64_t index_ = 0;
  std::optional<bytes> tag_;
};

/// Plaintext in, stored bytes out.
using payload_encryptor = payload_cipher<direction::seal>;
/// Stored bytes in, plaintext out.
using payload_decryptor = payload_cipher<direction::open>;

}  // namespace darekit::dare
