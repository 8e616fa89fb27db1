// HKDF (RFC 5869) over any darekit hash function; extract and expand exposed separately.
#pragma once
#include <algorithm>

#include "darekit/core/error.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/hmac.hpp"

namespace darekit::hkdf {

/// PRK = HMAC-H(salt, IKM). An empty salt means HashLen zero bytes (RFC 5869 §2.2).
template <hash_function H>
secret<H::digest_size> extract(byte_view salt, byte_view ikm) {
  std::array<std::uint8_t, H::digest_size> zeros{};
  hmac<H> m(salt.empty() ? byte_view(zeros) : salt);
  m.update(ikm);
  auto t = m.finish();
  secret<H::digest_size> prk{byte_view(t)};
  wipe(t.data(), t.size());
  return prk;
}

/// Fill `out` with T(1) || T(2) || ... (RFC 5869 §2.3). At most 255 * HashLen bytes.
template <hash_function H>
result<void> expand_into(byte_view prk, byte_view info, byte_span out) {
  if (out.size() > 255 * H::digest_size)
    return fail(errc::invalid_argument, "HKDF output longer than 255 * HashLen");
  typename H::digest_type t{};
  std::size_t done = 0;
  for (std::uint8_t i = 1; done < out.size(); ++i) {
    hmac<H> m(prk);
    if (i > 1) m.update(byte_view(t));
    m.update(info);
    m.update(byte_view(&i, 1));
    t = m.finish();
    const std::size_t n = std::min(out.size() - done, t.size());
    std::copy_n(t.begin(), n, out.begin() + std::ptrdiff_t(done));
    done += n;
  }
  wipe(t.data(), t.size());
  return ok();
}

/// OKM of `length` bytes in wiping memory.
template <hash_function H>
result<secure_bytes> expand(byte_view prk, byte_view info, std::size_t length) {
  secure_bytes okm(length);
  DAREKIT_CHECK(expand_into<H>(prk, info, okm.span()));
  return okm;
}

/// Extract then expand.
template <hash_function H>
result<secure_bytes> derive(byte_view salt, byte_view ikm, byte_view info, std::size_t length) {
  auto prk = extract<H>(salt, ikm);
  return expand<H>(prk.view(), info, length);
}

}  // namespace darekit::hkdf
