// DARE signatures and witness values (spec §5.7, §5.8).
//
// 2024 (written): pure Ed25519 over the JSON-B manifest
//     80 len dig-id || 88 len PayloadDigest [|| 88 len ChainDigest]
// with "alg":"ED25519"; WitnessValue (trailer) = HKDF-SHA-256(seed, Salt, manifest, 32).
// Legacy 2021-2023 (verified only): Ed25519 with the dom2 prefix
// "SigEd25519 no Ed25519 collisions" 00 00 over the raw PayloadDigest, "alg":"S512";
// "witness" in the signature = HKDF-SHA-256(seed, Salt, signature, 32).
// Ed448 (OpenSSL backend only): pure Ed448, empty context, over the same manifest,
// "alg":"ED448", 114-byte signature.
#pragma once
#include <sodium.h>

#include <optional>
#include <span>
#include <string>

#include "darekit/codec/jsonb.hpp"
#include "darekit/crypto/hkdf.hpp"
#include "darekit/dare/header.hpp"
#include "darekit/dare/keys.hpp"

namespace darekit::dare {

/// The 2024 signature manifest.
inline bytes signature_manifest(std::string_view dig, byte_view payload_digest, std::optional<byte_view> chain_digest = {}) {
  bytes m;
  jsonb::put_string(m, dig);
  jsonb::put_binary(m, payload_digest);
  if (chain_digest) jsonb::put_binary(m, *chain_digest);
  return m;
}

/// The 32-byte witness HKDF-SHA-256(ikm = base seed, salt = Salt, info, 32).
inline result<bytes> witness(byte_view base_seed, byte_view salt, byte_view info) {
  DAREKIT_TRY(auto w, hkdf::derive<sha256>(salt, base_seed, info, 32));
  return bytes(w.view().begin(), w.view().end());
}

/// Sign a manifest with an Ed25519 key (or, with the OpenSSL backend, an Ed448 key:
/// pure Ed448, empty context, "alg":"ED448"): the signature object {"alg","kid","signature"}.
inline result<json::value> sign_manifest(const udf::key_pair& signer, byte_view manifest) {
  if (signer.alg != udf::key_alg::ed25519) {
#if defined(DAREKIT_WITH_OPENSSL)
    if (signer.alg == udf::key_alg::ed448) {
      DAREKIT_TRY(auto sig, ossl448::ed448_sign(signer.private_bytes(), manifest));
      DAREKIT_TRY(auto kid, udf::key_identifier(signer));
      return json::value(json::object{{"alg", "ED448"}, {"kid", kid}, {"signature", std::move(sig)}});
    }
#endif
    if (signer.alg == udf::key_alg::ed448) return unsupported_curve("Ed448");
    return fail(errc::invalid_argument, "signing needs an Ed25519 key");
  }
  darekit::detail::ensure_sodium();
  secret<64> sk;
  std::uint8_t pk[32];
  crypto_sign_seed_keypair(pk, sk.data(), signer.private_key.data());
  bytes sig(64);
  crypto_sign_detached(sig.data(), nullptr, manifest.data(), manifest.size(), sk.data());
  DAREKIT_TRY(auto kid, udf::key_identifier(signer));
  return json::value(json::object{{"alg", "ED25519"}, {"kid", kid}, {"signature", std::move(sig)}});
}

/// Verify a legacy (dom2 with empty context) Ed25519 signature over `m`.
inline bool verify_legacy_ed25519(byte_view sig, byte_view m, byte_view pk) {
  if (sig.size() != 64 || pk.size() != 32) return false;
  darekit::detail::ensure_sodium();
  static constexpr char dom[] = "SigEd25519 no Ed25519 collisions";
  const std::uint8_t* R = sig.data();
  const std::uint8_t* S = sig.data() + 32;
  // S must be canonical (< L): reduce and compare.
  std::uint8_t s64[64] = {};
  std::memcpy(s64, S, 32);
  std::uint8_t sred[32];
  crypto_core_ed25519_scalar_reduce(sred, s64);
  if (sodium_memcmp(sred, S, 32) != 0) return false;
  if (!crypto_core_ed25519_is_valid_point(pk.data())) return false;
  crypto_hash_sha512_state st;
  crypto_hash_sha512_init(&st);
  crypto_hash_sha512_update(&st, reinterpret_cast<const std::uint8_t*>(dom), sizeof dom - 1);
  const std::uint8_t zz[2] = {0, 0};
  crypto_hash_sha512_update(&st, zz, 2);
  crypto_hash_sha512_update(&st, R, 32);
  crypto_hash_sha512_update(&st, pk.data(), 32);
  crypto_hash_sha512_update(&st, m.data(), m.size());
  std::uint8_t h[64];
  crypto_hash_sha512_final(&st, h);
  std::uint8_t k[32];
  crypto_core_ed25519_scalar_reduce(k, h);
  // Check S·B == R + k·A.
  std::uint8_t sb[32], ka[32], rhs[32];
  if (crypto_scalarmult_ed25519_base_noclamp(sb, S) != 0) return false;
  if (crypto_scalarmult_ed25519_noclamp(ka, k, pk.data()) != 0) return false;
  if (!crypto_core_ed25519_is_valid_point(R)) return false;
  if (crypto_core_ed25519_add(rhs, R, ka) != 0) return false;
  return sodium_memcmp(sb, rhs, 32) == 0;
}

/// Verify one signature object against a signer public key: the 2024 form
/// ("alg":"ED25519", over the manifest) or the legacy form ("alg":"S512", over the
/// payload digest).
inline result<void> verify_signature(const json::value& sig, const public_key& signer, byte_view manifest,
                                     byte_view payload_digest) {
#if defined(DAREKIT_WITH_OPENSSL)
  if (signer.alg == udf::key_alg::ed448) {
    const auto* alg = sig.find("alg");
    const auto* s = sig.find("signature");
    if (!s) return fail(errc::malformed, "signature object without \"signature\"");
    if (!alg || !alg->is_string() || alg->as_string() != "ED448")
      return fail(errc::verification_failed, "an Ed448 signer needs an \"alg\":\"ED448\" signature");
    DAREKIT_TRY(auto sb, s->to_bytes());
    if (ossl448::ed448_verify(signer.key, manifest, sb)) return ok();
    return fail(errc::verification_failed, "signature does not verify");
  }
#endif
  if (signer.alg != udf::key_alg::ed25519) {
    if (signer.alg == udf::key_alg::ed448) return unsupported_curve("Ed448");
    return fail(errc::invalid_argument, "signature verification needs an Ed25519 key");
  }
  const auto* alg = sig.find("alg");
  const auto* s = sig.find("signature");
  if (!s) return fail(errc::malformed, "signature object without \"signature\"");
  DAREKIT_TRY(auto sb, s->to_bytes());
  const std::string a = alg && alg->is_string() ? alg->as_string() : "";
  darekit::detail::ensure_sodium();
  if (a == "ED25519") {
    if (sb.size() == 64 && crypto_sign_verify_detached(sb.data(), manifest.data(), manifest.size(), signer.key.data()) == 0)
      return ok();
    return fail(errc::verification_failed, "signature does not verify");
  }
  if (a == "ED448") return unsupported_curve("Ed448");
  if (a == "S512" || a == "S256" || a.empty()) {
    if (verify_legacy_ed25519(sb, payload_digest, signer.key)) return ok();
    return fail(errc::verification_failed, "legacy signature does not verify");
  }
  return fail(errc::unsupported, "unsupported signature algorithm \"" + a + "\"");
}

/// Check an item's signatures (trailer first, else header) over its PayloadDigest `pd`:
/// every key in `signers` must have a verifying signature (2024 manifest, with or without
/// ChainDigest, or legacy), matched by kid first and then against every signature. When
/// `seed` is not empty the witness values (2024 WitnessValue, legacy per-signature
/// "witness") are checked as well. Returns the number of signers verified.
inline result<std::size_t> check_signatures(const header& h, const trailer& t, std::span<const public_key> signers,
                                            byte_view pd, byte_view seed, byte_view salt) {
  const auto& sigs = t.signatures().empty() ? h.signatures() : t.signatures();
  auto dig = h.dig();
  if (!dig) dig = t.dig();
  const std::string dig_name = dig.value_or("S512");
  const bytes manifest = signature_manifest(dig_name, pd);
  std::optional<bytes> manifest_cd;
  if (auto cd = t.chain_digest()) manifest_cd = signature_manifest(dig_name, pd, byte_view(*cd));
  if (!seed.empty()) {
    if (auto wv = t.witness_value()) {
      DAREKIT_TRY(auto w, witness(seed, salt, manifest));
      bool good = ct_equal(w, *wv);
      if (!good && manifest_cd) { DAREKIT_TRY(auto w2, witness(seed, salt, *manifest_cd)); good = ct_equal(w2, *wv); }
      if (!good) return fail(errc::verification_failed, "WitnessValue does not match");
    }
    for (const auto& s : sigs) {
      const auto* w = s.find("witness");
      const auto* sv = s.find("signature");
      if (!w || !sv) continue;
      DAREKIT_TRY(auto wb, w->to_bytes());
      DAREKIT_TRY(auto sb, sv->to_bytes());
      DAREKIT_TRY(auto expect, witness(seed, salt, sb));
      if (!ct_equal(expect, wb)) return fail(errc::verification_failed, "signature witness does not match");
    }
  }
  std::size_t verified = 0;
  for (const auto& signer : signers) {
    const std::string kid = signer.kid().value_or("");
    bool found = false;
    for (int pass = 0; pass < 2 && !found; ++pass)  // kid matches first, then every signature
      for (const auto& s : sigs) {
        const auto* k = s.find("kid");
        const bool match = k && k->is_string() && k->as_string() == kid;
        if ((pass == 0) != match) continue;
        if (verify_signature(s, signer, manifest, pd) ||
            (manifest_cd && verify_signature(s, signer, *manifest_cd, pd))) { found = true; break; }
      }
    if (!found) return fail(errc::verification_failed, "no valid signature by signer " + kid);
    ++verified;
  }
  return verified;
}

}  // namespace darekit::dare
