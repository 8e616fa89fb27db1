// HMAC (RFC 2104) over any darekit hash function, keys of any length.
#pragma once
#include <algorithm>

#include "darekit/core/secure.hpp"
#include "darekit/crypto/hasher.hpp"

namespace darekit {

/// Streaming HMAC-H. Keys longer than the block size are hashed first (RFC 2104).
template <hash_function H>
class hmac {
 public:
  static constexpr std::size_t tag_size = H::digest_size;
  using tag_type = typename H::digest_type;

  explicit hmac(byte_view key) {
    secret<H::block_size> k;
    if (key.size() > H::block_size) {
      auto d = hash<H>(key);
      std::copy(d.begin(), d.end(), k.data());
      wipe(d.data(), d.size());
    } else {
      std::copy(key.begin(), key.end(), k.data());
    }
    secret<H::block_size> pad;
    for (std::size_t i = 0; i < H::block_size; ++i) pad[i] = k[i] ^ 0x36;
    inner_.update(pad.view());
    for (std::size_t i = 0; i < H::block_size; ++i) pad[i] = k[i] ^ 0x5c;
    outer_.update(pad.view());
  }
  void update(byte_view b) { inner_.update(b); }
  tag_type finish() {
    auto ih = inner_.finish();
    outer_.update(byte_view(ih));
    wipe(ih.data(), ih.size());
    return outer_.finish();
  }

  /// One-shot HMAC.
  static tag_type mac(byte_view key, byte_view data) {
    hmac m(key);
    m.update(data);
    return m.finish();
  }

 private:
  H inner_, outer_;
};

/// Constant-time check of a (possibly truncated, at least 16 bytes) tag.
template <hash_function H>
bool hmac_verify(byte_view key, byte_view data, byte_view tag) {
  if (tag.size() < 16 || tag.size() > H::digest_size) return false;
  auto t = hmac<H>::mac(key, data);
  return ct_equal(byte_view(t).first(tag.size()), tag);
}

}  // namespace darekit
