// Layer 2: policy selection and derive_pair, from a local DH secret and two DIMs.
#pragma once
#include "darekit/ckx/dim.hpp"
#include "darekit/ckx/schedule.hpp"

namespace darekit::ckx {

/// The selected policy: the responder's entry, plus both sides' Proposal Numbers.
struct selected_policy {
  policy pol;                       ///< the responder's entry (its proposal_num is SPNr)
  std::uint8_t spn_i = 1, spn_r = 1;
};

/// The first entry of the responder's list whose transform also appears in the initiator's
/// list (RFC 7296 §2.7 style) and that darekit supports. Empty lists stand for the
/// pre-provisioned profile default. No match: errc::unsupported (MUST NOT create SAs).
inline result<selected_policy> select_policy(const std::vector<policy>& responder, const std::vector<policy>& initiator,
                                             const policy& fallback = {}) {
  const std::vector<policy> dflt{fallback};
  const auto& r = responder.empty() ? dflt : responder;
  const auto& i = initiator.empty() ? dflt : initiator;
  for (const auto& rp : r) {
    if (keymat_per_direction(rp) == 0) continue;
    for (const auto& ip : i)
      if (rp.same_transform(ip)) return selected_policy{rp, ip.proposal_num, rp.proposal_num};
  }
  return fail(errc::unsupported, "no common policy between the two DIMs: no SAs may be created");
}

/// The DH group: the first of the responder's KE groups also offered by the initiator.
inline result<dh_group> select_group(const dim& responder, const dim& initiator) {
  for (const auto& r : responder.kes)
    for (const auto& i : initiator.kes)
      if (r.group == i.group) return r.group;
  return fail(errc::unsupported, "no common DH group between the two DIMs");
}

namespace detail {
inline const ke_value* ke_for(const dim& d, dh_group g) {
  for (const auto& k : d.kes) if (k.group == g) return &k;
  return nullptr;
}
}  // namespace detail

/// Derive the local SA pair for one (local DH, remote DH) combination. Errors: nonce tie or
/// length mismatch (invalid_argument), no common group or policy (unsupported), a bad or
/// small-order peer KE (malformed / crypto_failure), a reserved SPI (crypto_failure), or a
/// DIM that fails validation. `local_sk` must be the secret behind `local`'s KE value (not
/// re-checked here: that would cost a second scalar multiplication per peer).
inline result<derivation> derive_pair(const profile& prof, const x25519_secret& local_sk, const dim& local, const dim& remote,
                                      byte_view ppk = {}) {
  DAREKIT_CHECK(validate(local));
  DAREKIT_CHECK(validate(remote));
  DAREKIT_TRY(auto ra, assign_role(local.nonce, remote.nonce));
  const dim& di = ra.local_role == role::initiator ? local : remote;
  const dim& dr = ra.local_role == role::initiator ? remote : local;
  DAREKIT_TRY(auto group, select_group(dr, di));
  DAREKIT_TRY(auto sel, select_policy(dr.policies, di.policies, prof.default_policy));
  const ke_value* peer = detail::ke_for(remote, group);
  DAREKIT_TRY(auto gir, x25519_shared_secret(local_sk, peer->pub));
  const bool local_init = ra.local_role == role::initiator;
  const side ls{local.nonce, local.rekey_counter, local_init ? sel.spn_i : sel.spn_r};
  const side rs{remote.nonce, remote.rekey_counter, local_init ? sel.spn_r : sel.spn_i};
  return derive_from_shared(prof, sel.pol, gir, ls, rs, ppk);
}

}  // namespace darekit::ckx
