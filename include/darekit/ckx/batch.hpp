// Many X25519 operations with one private scalar: a device deriving with all its peers.
// On AVX-512 IFMA hardware eight points go through one vectorised Montgomery ladder
// (detail/x25519_ifma.hpp); elsewhere, or under DAREKIT_FORCE_KERNEL=scalar|avx2, libsodium.
#pragma once
#include <span>

#include "darekit/ckx/detail/x25519_ifma.hpp"
#include "darekit/ckx/x25519.hpp"

namespace darekit::ckx {

/// Which implementation x25519_shared_batch uses on this machine ("avx512ifma" or "libsodium").
inline std::string_view x25519_batch_kernel() noexcept {
#ifdef DAREKIT_CKX_HAVE_IFMA
  if (detail::ifma::ifma_available()) return "avx512ifma";
#endif
  return "libsodium";
}

/// out[k] = X25519(sk, peers[k]); ok[k] = 0 when peers[k] has small order (all-zero output,
/// which is then also what out[k] holds). All spans must have the same size.
inline void x25519_shared_batch(const x25519_secret& sk, std::span<const x25519_public> peers, std::span<x25519_shared> out,
                                std::span<std::uint8_t> ok) {
  darekit::detail::ensure_sodium();
  std::size_t k = 0;
#ifdef DAREKIT_CKX_HAVE_IFMA
  if (peers.size() >= 2 && detail::ifma::ifma_available()) {
    std::array<std::uint8_t, 32> pad_in{}, pad_out{};
    pad_in[0] = 9;
    for (; k < peers.size(); k += 8) {
      const std::uint8_t* in[8];
      std::uint8_t* res[8];
      for (std::size_t n = 0; n < 8; ++n) {
        const bool real = k + n < peers.size();
        in[n] = real ? peers[k + n].data() : pad_in.data();
        res[n] = real ? out[k + n].data() : pad_out.data();
      }
      detail::ifma::x25519_x8(sk.data(), in, res);
    }
    for (std::size_t n = 0; n < peers.size(); ++n) ok[n] = !ct::declassify(sodium_is_zero(out[n].data(), 32));
    wipe(pad_out.data(), pad_out.size());
    return;
  }
#endif
  for (; k < peers.size(); ++k) {
    // Public: each peer's small-order accept/reject.
    const int rc = ct::declassify(crypto_scalarmult(out[k].data(), sk.data(), peers[k].data()));
    ok[k] = rc == 0 && !ct::declassify(sodium_is_zero(out[k].data(), 32));
    if (!ok[k]) wipe(out[k].data(), 32);
  }
}

}  // namespace darekit::ckx
