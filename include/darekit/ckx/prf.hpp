// IKEv2 prf and prf+ (RFC 7296 §2.13) over HMAC with any darekit hash function.
#pragma once
#include <algorithm>
#include <initializer_list>

#include "darekit/ckx/types.hpp"
#include "darekit/core/error.hpp"
#include "darekit/crypto/hmac.hpp"
#include "darekit/crypto/sha2.hpp"

namespace darekit::ckx {

/// prf(K, S) = HMAC-H(K, S). Keys of any length (longer than a block are hashed).
template <hash_function H>
typename H::digest_type prf(byte_view key, byte_view data) {
  return hmac<H>::mac(key, data);
}

/// Largest prf+ output for hash H: 255 blocks (the counter is one octet).
template <hash_function H>
constexpr std::size_t prf_plus_max = 255 * H::digest_size;

/// prf+(K, S) = T1 | T2 | ... truncated to out.size(), where T1 = prf(K, S | 0x01) and
/// Tn = prf(K, Tn-1 | S | n). S is given as consecutive parts (concatenated logically).
/// Fails (errc::too_large) if more than 255 blocks are requested; `out` is then untouched.
template <hash_function H>
result<void> prf_plus(byte_view key, std::initializer_list<byte_view> seed, byte_span out) {
  if (out.size() > prf_plus_max<H>)
    return fail(errc::too_large, "prf+ output of " + std::to_string(out.size()) + " bytes exceeds 255 blocks");
  const hmac<H> keyed(key);  // key schedule once; each block forks a copy
  typename H::digest_type t{};
  std::size_t done = 0;
  for (unsigned n = 1; done < out.size(); ++n) {
    hmac<H> m = keyed;
    if (n > 1) m.update(byte_view(t));
    for (byte_view s : seed) m.update(s);
    const std::uint8_t ctr = std::uint8_t(n);
    m.update(byte_view(&ctr, 1));
    t = m.finish();
    const std::size_t take = std::min(t.size(), out.size() - done);
    std::copy_n(t.begin(), take, out.begin() + std::ptrdiff_t(done));
    done += take;
  }
  wipe(t.data(), t.size());
  return ok();
}

/// prf+ with a single seed string.
template <hash_function H>
result<void> prf_plus(byte_view key, byte_view seed, byte_span out) {
  return prf_plus<H>(key, {seed}, out);
}

/// prf selected at run time; `out` must hold prf_size(p) bytes.
inline void prf(prf_id p, byte_view key, byte_view data, byte_span out) {
  if (p == prf_id::hmac_sha2_512) { auto t = prf<sha512>(key, data); std::copy(t.begin(), t.end(), out.begin()); wipe(t.data(), t.size()); }
  else { auto t = prf<sha256>(key, data); std::copy(t.begin(), t.end(), out.begin()); wipe(t.data(), t.size()); }
}

/// prf+ selected at run time.
inline result<void> prf_plus(prf_id p, byte_view key, std::initializer_list<byte_view> seed, byte_span out) {
  return p == prf_id::hmac_sha2_512 ? prf_plus<sha512>(key, seed, out) : prf_plus<sha256>(key, seed, out);
}
/// prf+ selected at run time, returning wiping memory.
inline result<secure_bytes> prf_plus(prf_id p, byte_view key, byte_view seed, std::size_t len) {
  secure_bytes out(len);
  DAREKIT_CHECK(prf_plus(p, key, {seed}, out.span()));
  return out;
}

}  // namespace darekit::ckx
