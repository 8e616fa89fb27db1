// DARE recipients (spec §5.2): ephemeral-static key agreement on X25519 or on
// Edwards25519 (crv "Ed25519": Z is the compressed Edwards point s·P), KEK =
// HKDF-SHA-512(Z, no salt, info, 32), base seed wrapped with RFC 3394 AES-256 key wrap.
// X448 (OpenSSL backend only): the same with 56-byte keys and Z. Edwards448 agreement
// (crv "Ed448") is not implemented: such entries report "unsupported curve".
// Written with info ""; read with "", "master" and "dare-master" (the unwrap integrity
// check rejects a wrong guess). Decryption finds its recipient by key id first, then
// tries every recipient entry.
#pragma once
#include <sodium.h>

#include <span>
#include <string>
#include <vector>

#include "darekit/crypto/hkdf.hpp"
#include "darekit/crypto/key_wrap.hpp"
#include "darekit/crypto/random.hpp"
#include "darekit/dare/keys.hpp"

namespace darekit::dare {

namespace detail {

/// Z for our private key and a peer public key on the key's curve.
inline result<secure_bytes> agree(const udf::key_pair& mine, byte_view peer) {
#if defined(DAREKIT_WITH_OPENSSL)
  if (mine.alg == udf::key_alg::x448) {
    if (peer.size() != 56) return fail(errc::malformed, "X448 peer public key must be 56 bytes");
    DAREKIT_TRY(auto z, ossl448::x448(mine.private_bytes(), peer));
    return secure_bytes(z.view());
  }
#endif
  if (mine.alg != udf::key_alg::x25519 && mine.alg != udf::key_alg::ed25519)
    return unsupported_curve(udf::key_alg_name(mine.alg));
  darekit::detail::ensure_sodium();
  if (peer.size() != 32) return fail(errc::malformed, "peer public key must be 32 bytes");
  secure_bytes z(32);
  if (mine.alg == udf::key_alg::x25519) {
    if (crypto_scalarmult(z.data(), mine.private_key.data(), peer.data()) != 0)
      return fail(errc::crypto_failure, "X25519 agreement failed (low-order point)");
    return z;
  }
  if (mine.alg == udf::key_alg::ed25519) {
    secret<64> sk;
    std::uint8_t pk[32];
    crypto_sign_seed_keypair(pk, sk.data(), mine.private_key.data());
    secret<32> s;
    crypto_sign_ed25519_sk_to_curve25519(s.data(), sk.data());
    if (crypto_scalarmult_ed25519(z.data(), s.data(), peer.data()) != 0)
      return fail(errc::crypto_failure, "Edwards25519 agreement failed (invalid or small-order point)");
    return z;
  }
  return unsupported_curve(udf::key_alg_name(mine.alg));
}

inline result<secret<32>> kek(byte_view z, std::string_view info) {
  secret<32> k;
  auto prk = hkdf::extract<sha512>({}, z);
  DAREKIT_CHECK(hkdf::expand_into<sha512>(prk.view(), as_bytes(info), k.span()));
  return k;
}

}  // namespace detail

/// Most recipient entries a decoder will try (each costs a key agreement per key).
inline constexpr std::size_t max_recipients = 1024;

/// KEK info strings tried on read, in order (spec §5.2, DESIGN.md §3).
inline constexpr std::string_view kek_infos[] = {"", "master", "dare-master"};

/// Build the recipient entry {"kid","epk","wmk"} wrapping `base_seed` for `to`.
inline result<json::value> make_recipient(const public_key& to, byte_view base_seed) {
  const bool x448 = ossl448_available && to.alg == udf::key_alg::x448;
  if (to.alg != udf::key_alg::x25519 && to.alg != udf::key_alg::ed25519 && !x448)
    return unsupported_curve(udf::key_alg_name(to.alg));
  secure_bytes eseed(x448 ? 56 : 32);
  random_fill(eseed.span());
  DAREKIT_TRY(auto eph, udf::key_pair_from_private(to.alg, eseed.view()));
  DAREKIT_TRY(auto z, detail::agree(eph, to.key));
  DAREKIT_TRY(auto k, detail::kek(z, ""));
  DAREKIT_TRY(auto wmk, key_wrap::wrap(k.view(), base_seed));
  DAREKIT_TRY(auto kid, to.kid());
  return json::value(json::object{{"kid", kid}, {"epk", public_of(eph).to_json()}, {"wmk", std::move(wmk)}});
}

/// Try to unwrap the base seed of one recipient entry with one key.
inline result<secure_bytes> unwrap_recipient(const json::value& r, const udf::key_pair& key) {
  const auto* epk = r.find("epk");
  const auto* wmk = r.find("wmk");
  if (!epk || !wmk) return fail(errc::malformed, "recipient without epk or wmk");
  DAREKIT_TRY(auto f, detail::key_fields_of(*epk));
  DAREKIT_TRY(auto alg, detail::curve_of(f.crv));
  if (alg == udf::key_alg::ed448 || (!ossl448_available && alg == udf::key_alg::x448)) return unsupported_curve(f.crv);
  if (alg != key.alg) return fail(errc::no_key, "recipient curve " + f.crv + " does not match the key");
  if (!f.pub) return fail(errc::malformed, "recipient epk without a public key");
  DAREKIT_TRY(auto wrapped, wmk->to_bytes());
  DAREKIT_TRY(auto z, detail::agree(key, *f.pub));
  for (auto info : kek_infos) {
    DAREKIT_TRY(auto k, detail::kek(z, info));
    auto seed = key_wrap::unwrap(k.view(), wrapped);
    if (seed) return seed;
  }
  return fail(errc::no_key, "the key does not unwrap this recipient entry");
}

/// Find the base seed among `recipients` with any of `keys`: entries whose kid matches
/// a key's id first, then every entry with every key. Reports errc::unsupported
/// "unsupported curve" when only X448/Ed448 entries were present.
inline result<secure_bytes> unwrap_base_seed(const json::array& recipients, std::span<const udf::key_pair> keys) {
  if (recipients.empty()) return fail(errc::no_key, "the envelope has no recipients");
  if (recipients.size() > max_recipients) return fail(errc::too_large, "too many recipients");
  if (keys.empty()) return fail(errc::no_key, "no decryption key given");
  std::vector<std::string> kids;
  for (const auto& k : keys) kids.push_back(udf::key_identifier(k).value_or(std::string()));
  for (const auto& r : recipients) {
    const auto* kid = r.find("kid");
    if (!kid || !kid->is_string()) continue;
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (!kids[i].empty() && kids[i] == kid->as_string())
        if (auto s = unwrap_recipient(r, keys[i])) return s;
  }
  bool only_unsupported = true;
  for (const auto& r : recipients)
    for (const auto& k : keys) {
      auto s = unwrap_recipient(r, k);
      if (s) return s;
      if (s.code() != errc::unsupported) only_unsupported = false;
    }
  if (only_unsupported) return unsupported_curve("X448/Ed448");
  return fail(errc::no_key, "none of the keys is a recipient of this envelope");
}

}  // namespace darekit::dare
