// The Controller-IKE key schedule, layer 1 (spec §3): roles by nonce, SKEYSEED, SPIs with
// Rotation Numbers, KEYMAT in either form, and the split into the local SA pair.
// Every intermediate value is kept in `derivation` so tests can check each step.
#pragma once
#include <algorithm>
#include <cstring>
#include <optional>

#include "darekit/ckx/prf.hpp"
#include "darekit/ckx/types.hpp"
#include "darekit/ckx/x25519.hpp"

namespace darekit::ckx {

/// Nonce limits: RFC 7296 §2.10 wants >= 16 bytes (and >= half the PRF key size);
/// darekit caps them at 64 bytes. The pinned profile uses 32.
inline constexpr std::size_t min_nonce = 16, max_nonce = 64;
/// The label of SPI generation: 14 ASCII octets, no terminator [I].
inline constexpr std::string_view spi_label = "SPI generation";
/// Largest KEYMAT of a supported transform: 2 x (32-byte key + 4-byte salt).
inline constexpr std::size_t max_keymat = 72;

/// Which peer initiates for one (local DH, remote DH) combination.
struct role_assignment {
  role local_role = role::initiator;
  byte_view ni, nr;  ///< the initiator's and responder's nonces (views into the inputs)
};

/// The peer with the larger nonce (big-endian unsigned comparison) is the initiator.
/// Unequal lengths and equal nonces are errors [I].
inline result<role_assignment> assign_role(byte_view local_nonce, byte_view remote_nonce) {
  if (local_nonce.size() != remote_nonce.size())
    return fail(errc::invalid_argument, "nonces have different lengths (" + std::to_string(local_nonce.size()) + " vs " +
                                            std::to_string(remote_nonce.size()) + ")");
  if (local_nonce.empty()) return fail(errc::invalid_argument, "empty nonce");
  const int c = std::memcmp(local_nonce.data(), remote_nonce.data(), local_nonce.size());
  if (c == 0) return fail(errc::invalid_argument, "nonce tie: both peers use the same nonce");
  if (c > 0) return role_assignment{role::initiator, local_nonce, remote_nonce};
  return role_assignment{role::responder, remote_nonce, local_nonce};
}

/// Rotation Number of a rekey counter: its two low bits.
constexpr std::uint8_t rotation_number(std::uint64_t rekey_counter) noexcept { return std::uint8_t(rekey_counter & 3); }

namespace detail {
/// Ni | Nr in a stack buffer (nonces are public).
struct nonce_key {
  std::array<std::uint8_t, 2 * max_nonce> buf{};
  std::size_t n = 0;
  nonce_key(byte_view ni, byte_view nr) noexcept {
    std::copy(ni.begin(), ni.end(), buf.begin());
    std::copy(nr.begin(), nr.end(), buf.begin() + std::ptrdiff_t(ni.size()));
    n = ni.size() + nr.size();
  }
  [[nodiscard]] byte_view view() const noexcept { return {buf.data(), n}; }
};
inline result<void> check_nonces(byte_view ni, byte_view nr) {
  if (ni.size() < min_nonce || ni.size() > max_nonce || nr.size() != ni.size())
    return fail(errc::invalid_argument, "nonces must be of equal length between 16 and 64 bytes");
  return ok();
}
}  // namespace detail

namespace detail {
/// RN substitution and the reserved-range check on the 8 prf+ bytes of SPI generation.
inline result<spi_pair> spis_from_raw(const std::array<std::uint8_t, 8>& r, std::uint8_t rn_i, std::uint8_t rn_r) {
  spi_pair s;
  s.spi_i = (load_be32(r.data()) & ~0xFu) | std::uint32_t(rn_r) << 2 | rn_i;
  s.spi_r = (load_be32(r.data() + 4) & ~0xFu) | std::uint32_t(rn_i) << 2 | rn_r;
  if (s.spi_i < 256 || s.spi_r < 256)
    return fail(errc::crypto_failure, "derived SPI falls in the reserved range 0..255; roll a new DH pair and nonce");
  return s;
}
}  // namespace detail

/// SKEYSEED = prf(Ni | Nr, g^ir); `out` receives prf_size(p) bytes.
inline result<void> skeyseed(prf_id p, byte_view ni, byte_view nr, byte_view gir, byte_span out) {
  DAREKIT_CHECK(detail::check_nonces(ni, nr));
  if (out.size() < prf_size(p)) return fail(errc::invalid_argument, "SKEYSEED buffer too small");
  const detail::nonce_key k(ni, nr);
  prf(p, k.view(), gir, out);
  return ok();
}

/// Optional SA Proposal Numbers mixed into SPI generation (App. A.3.1 variant).
struct spn_pair {
  std::uint8_t spn_i = 1, spn_r = 1;  ///< the initiator's and responder's Proposal Numbers
};

/// {p_SPI_i | p_SPI_r} = prf+(Ni | Nr, "SPI generation" [| SPNi | SPNr]), then the 4 low bits
/// of each SPI are replaced by the Rotation Numbers: the SPI owned by X (X's inbound SPI) ends
/// in RN(other):2 | RN(X):2. `rn_i`/`rn_r` are the RNs of the initiator's and responder's DIMs.
/// `raw` (optional) receives the 8 prf+ bytes. Fails if either SPI is below 256 (reserved, RFC 4303).
inline result<spi_pair> derive_spis(prf_id p, byte_view ni, byte_view nr, std::uint8_t rn_i, std::uint8_t rn_r,
                                    std::optional<spn_pair> spn = std::nullopt, std::array<std::uint8_t, 8>* raw = nullptr) {
  DAREKIT_CHECK(detail::check_nonces(ni, nr));
  if (rn_i > 3 || rn_r > 3) return fail(errc::invalid_argument, "rotation numbers are 2-bit values");
  const detail::nonce_key k(ni, nr);
  std::array<std::uint8_t, 8> r{};
  const std::uint8_t spns[2] = {spn ? spn->spn_i : std::uint8_t(0), spn ? spn->spn_r : std::uint8_t(0)};
  if (spn) DAREKIT_CHECK(prf_plus(p, k.view(), {as_bytes(spi_label), byte_view(spns, 2)}, r));
  else DAREKIT_CHECK(prf_plus(p, k.view(), {as_bytes(spi_label)}, r));
  if (raw) *raw = r;
  return detail::spis_from_raw(r, rn_i, rn_r);
}

/// KEYMAT in the chosen form. The seed's SPIs are the final 32-bit ESP SPIs, big-endian,
/// SPIi then SPIr. In via_sk_d form `sk_d` (optional) receives SK_d (prf_size bytes); with a
/// `ppk` (RFC 8784 style) SK_d = prf+(PPK, SK_d')[0..prf_len). A PPK with the direct form is an
/// error (it would reuse KEYMAT bytes, spec §3.6).
inline result<void> derive_keymat(prf_id p, keymat_mode mode, byte_view skeyseed_v, byte_view ni, byte_view nr,
                                  spi_pair spis, byte_span keymat, byte_span sk_d = {}, byte_view ppk = {}) {
  DAREKIT_CHECK(detail::check_nonces(ni, nr));
  std::uint8_t spib[8];
  store_be32(spib, spis.spi_i);
  store_be32(spib + 4, spis.spi_r);
  const std::size_t hl = prf_size(p);
  if (mode == keymat_mode::direct) {
    if (!ppk.empty()) return fail(errc::invalid_argument, "a PPK can only be mixed in with the via-SK_d KEYMAT form");
    return prf_plus(p, skeyseed_v, {ni, nr, byte_view(spib, 8)}, keymat);
  }
  secret<64> skd;
  DAREKIT_CHECK(prf_plus(p, skeyseed_v, {ni, nr, byte_view(spib, 8)}, skd.span().first(hl)));
  if (!ppk.empty()) {
    secret<64> prime = skd;
    DAREKIT_CHECK(prf_plus(p, ppk, {prime.view().first(hl)}, skd.span().first(hl)));
  }
  if (!sk_d.empty()) std::copy_n(skd.data(), std::min(hl, sk_d.size()), sk_d.begin());
  return prf_plus(p, skd.view().first(hl), {ni, nr}, keymat);
}

/// Split KEYMAT (I->R key|salt, then R->I key|salt) into the local SA pair. I->R traffic is
/// inbound at the responder, so it uses SPIr; R->I uses SPIi.
inline result<sa_pair> split_keymat(const policy& pol, byte_view keymat, role local_role, spi_pair spis) {
  const std::size_t kl = encr_key_size(pol.encr, pol.key_bits), per = kl + 4;
  if (kl == 0) return fail(errc::unsupported, "unsupported ESP transform / key size");
  if (keymat.size() < 2 * per) return fail(errc::invalid_argument, "KEYMAT too short for the transform");
  auto fill = [&](esp_sa& sa, std::size_t off, std::uint32_t spi) {
    sa.spi = spi;
    sa.encr = pol.encr;
    sa.key_len = std::uint8_t(kl);
    std::copy_n(keymat.begin() + std::ptrdiff_t(off), kl, sa.key.data());
    std::copy_n(keymat.begin() + std::ptrdiff_t(off + kl), 4, sa.salt.data());
  };
  sa_pair out;
  out.local_role = local_role;
  if (local_role == role::initiator) { fill(out.outbound, 0, spis.spi_r); fill(out.inbound, per, spis.spi_i); }
  else { fill(out.outbound, per, spis.spi_i); fill(out.inbound, 0, spis.spi_r); }
  return out;
}

namespace detail {
/// SKEYSEED = prf(Ni|Nr, g^ir) and the first prf+ block of SPI generation, keying HMAC once.
template <hash_function H>
void seed_and_spi_raw(byte_view ni, byte_view nr, byte_view gir, byte_view spn, byte_span skeyseed_out,
                      std::array<std::uint8_t, 8>& raw) {
  const nonce_key k(ni, nr);
  const hmac<H> keyed(k.view());
  hmac<H> m = keyed;
  m.update(gir);
  auto t = m.finish();
  std::copy(t.begin(), t.end(), skeyseed_out.begin());
  hmac<H> s = keyed;
  s.update(as_bytes(spi_label));
  s.update(spn);
  const std::uint8_t one = 1;
  s.update(byte_view(&one, 1));
  auto u = s.finish();
  std::copy_n(u.begin(), 8, raw.begin());
  wipe(t.data(), t.size());
}
}  // namespace detail

/// Everything one derivation computes, for tests and tools (fixed size, no heap).
struct derivation {
  role local_role = role::initiator;
  prf_id prf = prf_id::hmac_sha2_256;
  keymat_mode mode = keymat_mode::via_sk_d;
  policy pol{};
  std::array<std::uint8_t, max_nonce> ni{}, nr{};
  std::uint8_t nonce_len = 0;
  std::uint8_t rn_i = 0, rn_r = 0;
  x25519_shared gir;                        ///< g^ir
  secret<64> skeyseed;                      ///< prf_size(prf) bytes used
  std::array<std::uint8_t, 8> spi_raw{};    ///< p_SPI_i | p_SPI_r before RN substitution
  spi_pair spis;
  secret<64> sk_d;                          ///< via_sk_d form only
  secret<max_keymat> keymat;
  std::uint8_t keymat_len = 0;
  sa_pair sas;

  [[nodiscard]] byte_view ni_view() const noexcept { return {ni.data(), nonce_len}; }
  [[nodiscard]] byte_view nr_view() const noexcept { return {nr.data(), nonce_len}; }
  [[nodiscard]] byte_view skeyseed_view() const noexcept { return skeyseed.view().first(prf_size(prf)); }
  [[nodiscard]] byte_view sk_d_view() const noexcept { return mode == keymat_mode::via_sk_d ? sk_d.view().first(prf_size(prf)) : byte_view{}; }
  [[nodiscard]] byte_view keymat_view() const noexcept { return keymat.view().first(keymat_len); }
};

/// Inputs of one side of a derivation besides g^ir.
struct side {
  byte_view nonce;
  std::uint64_t rekey_counter = 0;
  std::uint8_t proposal_num = 1;  ///< SPN of the selected policy in this side's list
};

/// Layer 1 end to end: roles, SKEYSEED, SPIs, KEYMAT and the local SA pair from g^ir.
inline result<derivation> derive_from_shared(const profile& prof, const policy& pol, const x25519_shared& gir,
                                             const side& local, const side& remote, byte_view ppk = {}) {
  DAREKIT_TRY(auto ra, assign_role(local.nonce, remote.nonce));
  DAREKIT_CHECK(detail::check_nonces(ra.ni, ra.nr));
  const std::size_t per = keymat_per_direction(pol);
  if (per == 0) return fail(errc::unsupported, "unsupported ESP transform / key size");
  derivation d;
  d.local_role = ra.local_role;
  d.prf = prof.prf;
  d.mode = prof.keymat;
  d.pol = pol;
  d.nonce_len = std::uint8_t(ra.ni.size());
  std::copy(ra.ni.begin(), ra.ni.end(), d.ni.begin());
  std::copy(ra.nr.begin(), ra.nr.end(), d.nr.begin());
  const side& si = ra.local_role == role::initiator ? local : remote;
  const side& sr = ra.local_role == role::initiator ? remote : local;
  d.rn_i = rotation_number(si.rekey_counter);
  d.rn_r = rotation_number(sr.rekey_counter);
  d.gir = gir;
  // SKEYSEED and SPI generation share the HMAC key Ni | Nr: key it once (same values as
  // skeyseed() and derive_spis(), which the tests check separately).
  const std::uint8_t spns[2] = {si.proposal_num, sr.proposal_num};
  const byte_view spn = prof.spn_in_spi ? byte_view(spns, 2) : byte_view{};
  if (prof.prf == prf_id::hmac_sha2_512) detail::seed_and_spi_raw<sha512>(ra.ni, ra.nr, gir, spn, d.skeyseed.span(), d.spi_raw);
  else detail::seed_and_spi_raw<sha256>(ra.ni, ra.nr, gir, spn, d.skeyseed.span(), d.spi_raw);
  DAREKIT_TRY(d.spis, detail::spis_from_raw(d.spi_raw, d.rn_i, d.rn_r));
  d.keymat_len = std::uint8_t(2 * per);
  DAREKIT_CHECK(derive_keymat(prof.prf, prof.keymat, d.skeyseed_view(), ra.ni, ra.nr, d.spis,
                              d.keymat.span().first(d.keymat_len), d.sk_d.span(), ppk));
  DAREKIT_TRY(d.sas, split_keymat(pol, d.keymat_view(), d.local_role, d.spis));
  return d;
}

}  // namespace darekit::ckx
