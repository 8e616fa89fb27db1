// X25519 (RFC 7748) for IKEv2 group 31 (RFC 8031), with the peer-value checks the
// draft requires because DH values are reused with many peers (RFC 6989 style).
#pragma once
#include <sodium.h>

#include "darekit/core/ct.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/core/sodium.hpp"

namespace darekit::ckx {

using x25519_public = std::array<std::uint8_t, 32>;  ///< a KE value: the u-coordinate
using x25519_secret = secret<32>;                    ///< a DH private value (scalar)
using x25519_shared = secret<32>;                    ///< g^ir

/// A DH key pair.
struct x25519_keypair {
  x25519_secret sk;
  x25519_public pk{};
};

/// The public value of a private scalar (clamped as RFC 7748 specifies).
inline x25519_public x25519_public_of(const x25519_secret& sk) noexcept {
  darekit::detail::ensure_sodium();
  x25519_public pk{};
  crypto_scalarmult_base(pk.data(), sk.data());
  return pk;
}

/// A fresh random key pair.
inline x25519_keypair x25519_generate() {
  darekit::detail::ensure_sodium();
  x25519_keypair kp;
  randombytes_buf(kp.sk.data(), 32);
  kp.pk = x25519_public_of(kp.sk);
  return kp;
}

/// Raw RFC 7748 X25519(k, u) with no checks (used for test vectors such as the iterated one).
inline std::array<std::uint8_t, 32> x25519_raw(byte_view k, byte_view u) noexcept {
  darekit::detail::ensure_sodium();
  std::array<std::uint8_t, 32> out{};
  if (crypto_scalarmult(out.data(), k.data(), u.data()) != 0) out.fill(0);
  return out;
}

/// Validate a peer's KE value for group 31 before use: exactly 32 bytes. (For X25519 the
/// remaining RFC 6989-style check is on the result; see x25519_shared_secret.)
inline result<void> validate_peer_ke(byte_view pub) {
  if (pub.size() != 32) return fail(errc::malformed, "X25519 KE value must be 32 bytes, got " + std::to_string(pub.size()));
  return ok();
}

/// g^ir = X25519(sk, peer). Fails with errc::crypto_failure on a small-order peer value
/// (all-zero output), which libsodium reports and which we re-check in constant time.
inline result<x25519_shared> x25519_shared_secret(const x25519_secret& sk, byte_view peer) {
  DAREKIT_CHECK(validate_peer_ke(peer));
  darekit::detail::ensure_sodium();
  x25519_shared out;
  // Public: the small-order check's accept/reject (libsodium's rc is itself an all-zero test).
  const int rc = ct::declassify(crypto_scalarmult(out.data(), sk.data(), peer.data()));
  if (rc != 0 || ct::declassify(sodium_is_zero(out.data(), 32)))
    return fail(errc::crypto_failure, "X25519 output is all-zero: peer KE value has small order");
  return out;
}

}  // namespace darekit::ckx
