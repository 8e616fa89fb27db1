// Curve448 primitives (RFC 7748 X448, RFC 8032 pure Ed448 with an empty context) from
// the optional OpenSSL 3 backend. Everything except `ossl448_available` exists only
// when the build defines DAREKIT_WITH_OPENSSL (CMake option of the same name);
// without it callers report errc::unsupported "unsupported curve".
#pragma once
#include <array>
#include <cstdint>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/secure.hpp"

#if defined(DAREKIT_WITH_OPENSSL)
#include <openssl/evp.h>
#endif

namespace darekit {

/// True when this build has the OpenSSL backend for X448 / Ed448.
#if defined(DAREKIT_WITH_OPENSSL)
inline constexpr bool ossl448_available = true;
#else
inline constexpr bool ossl448_available = false;
#endif

#if defined(DAREKIT_WITH_OPENSSL)
namespace ossl448 {

inline constexpr std::size_t x448_key_size = 56;     ///< X448 private and public keys
inline constexpr std::size_t ed448_key_size = 57;    ///< Ed448 seeds and public keys
inline constexpr std::size_t ed448_sig_size = 114;   ///< Ed448 signatures

namespace detail {
struct pkey {
  EVP_PKEY* p = nullptr;
  pkey() = default;
  explicit pkey(EVP_PKEY* k) : p(k) {}
  pkey(const pkey&) = delete;
  pkey& operator=(const pkey&) = delete;
  ~pkey() { EVP_PKEY_free(p); }
};
struct md_ctx {
  EVP_MD_CTX* c = EVP_MD_CTX_new();
  md_ctx() = default;
  md_ctx(const md_ctx&) = delete;
  md_ctx& operator=(const md_ctx&) = delete;
  ~md_ctx() { EVP_MD_CTX_free(c); }
};
struct pkey_ctx {
  EVP_PKEY_CTX* c = nullptr;
  explicit pkey_ctx(EVP_PKEY_CTX* x) : c(x) {}
  pkey_ctx(const pkey_ctx&) = delete;
  pkey_ctx& operator=(const pkey_ctx&) = delete;
  ~pkey_ctx() { EVP_PKEY_CTX_free(c); }
};
template <std::size_t N>
inline result<std::array<std::uint8_t, N>> raw_public(int type, byte_view priv) {
  if (priv.size() != N) return fail(errc::invalid_argument, "wrong Curve448 private key size");
  pkey k(EVP_PKEY_new_raw_private_key(type, nullptr, priv.data(), priv.size()));
  if (!k.p) return fail(errc::crypto_failure, "OpenSSL rejected the Curve448 private key");
  std::array<std::uint8_t, N> pub{};
  std::size_t len = N;
  if (EVP_PKEY_get_raw_public_key(k.p, pub.data(), &len) != 1 || len != N)
    return fail(errc::crypto_failure, "OpenSSL could not compute the Curve448 public key");
  return pub;
}
}  // namespace detail

/// The X448 public key (u-coordinate) of a 56-byte private key (clamped by OpenSSL).
inline result<std::array<std::uint8_t, 56>> x448_public(byte_view priv) {
  return detail::raw_public<56>(EVP_PKEY_X448, priv);
}

/// The Ed448 public key of a 57-byte RFC 8032 seed.
inline result<std::array<std::uint8_t, 57>> ed448_public(byte_view seed) {
  return detail::raw_public<57>(EVP_PKEY_ED448, seed);
}

/// X448(priv, peer): the 56-byte shared secret; fails on a low-order peer (all-zero output).
inline result<secret<56>> x448(byte_view priv, byte_view peer) {
  if (priv.size() != 56 || peer.size() != 56) return fail(errc::invalid_argument, "X448 keys are 56 bytes");
  detail::pkey mine(EVP_PKEY_new_raw_private_key(EVP_PKEY_X448, nullptr, priv.data(), priv.size()));
  detail::pkey theirs(EVP_PKEY_new_raw_public_key(EVP_PKEY_X448, nullptr, peer.data(), peer.size()));
  if (!mine.p || !theirs.p) return fail(errc::crypto_failure, "OpenSSL rejected an X448 key");
  detail::pkey_ctx ctx(EVP_PKEY_CTX_new(mine.p, nullptr));
  secret<56> z;
  std::size_t len = 56;
  if (!ctx.c || EVP_PKEY_derive_init(ctx.c) != 1 || EVP_PKEY_derive_set_peer(ctx.c, theirs.p) != 1 ||
      EVP_PKEY_derive(ctx.c, z.data(), &len) != 1 || len != 56)
    return fail(errc::crypto_failure, "X448 agreement failed (low-order point)");
  return z;
}

/// Pure Ed448 (empty context) signature of `msg` with a 57-byte seed: 114 bytes.
inline result<bytes> ed448_sign(byte_view seed, byte_view msg) {
  if (seed.size() != 57) return fail(errc::invalid_argument, "Ed448 seeds are 57 bytes");
  detail::pkey k(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED448, nullptr, seed.data(), seed.size()));
  detail::md_ctx md;
  if (!k.p || !md.c || EVP_DigestSignInit(md.c, nullptr, nullptr, nullptr, k.p) != 1)
    return fail(errc::crypto_failure, "OpenSSL Ed448 signing setup failed");
  bytes sig(ed448_sig_size);
  std::size_t len = sig.size();
  if (EVP_DigestSign(md.c, sig.data(), &len, msg.data(), msg.size()) != 1 || len != ed448_sig_size)
    return fail(errc::crypto_failure, "Ed448 signing failed");
  return sig;
}

/// Verify a pure Ed448 (empty context) signature.
inline bool ed448_verify(byte_view pub, byte_view msg, byte_view sig) {
  if (pub.size() != 57 || sig.size() != ed448_sig_size) return false;
  detail::pkey k(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED448, nullptr, pub.data(), pub.size()));
  detail::md_ctx md;
  if (!k.p || !md.c || EVP_DigestVerifyInit(md.c, nullptr, nullptr, nullptr, k.p) != 1) return false;
  return EVP_DigestVerify(md.c, sig.data(), sig.size(), msg.data(), msg.size()) == 1;
}

}  // namespace ossl448
#endif  // DAREKIT_WITH_OPENSSL

}  // namespace darekit
