// Many X25519 operations with one private scalar (a device deriving with all its peers).
#pragma once
#include <span>

#include "darekit/ckx/x25519.hpp"

namespace darekit::ckx {

/// out[k] = X25519(sk, peers[k]); ok[k] = 0 when peers[k] has small order (all-zero output).
inline void x25519_shared_batch(const x25519_secret& sk, std::span<const x25519_public> peers, std::span<x25519_shared> out,
                                std::span<std::uint8_t> ok) {
  darekit::detail::ensure_sodium();
  for (std::size_t k = 0; k < peers.size(); ++k) {
    const int rc = crypto_scalarmult(out[k].data(), sk.data(), peers[k].data());
    ok[k] = rc == 0 && !sodium_is_zero(out[k].data(), 32);
  }
}

}  // namespace darekit::ckx
