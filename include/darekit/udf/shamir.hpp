// Shamir secret sharing UDFs (draft -18 §4.5, spec §10): type 0x90 ('S').
//
//   share = 0x90 || (threshold << 4 | (x - 1)) || f(x)   (f(x) big-endian, as long as the secret)
//   f(x)  = secret + a1 x + ... + a(k-1) x^(k-1) mod p,  p = 2^(8B) + offset[B]
//
// Secrets of 1..64 bytes, 1 <= threshold <= shares <= 15. The coefficients are
// drawn uniformly below p and drawn again whenever some share would not fit in B
// bytes. Arithmetic is fixed-width and constant time in the secret values.
#pragma once
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "darekit/crypto/random.hpp"
#include "darekit/udf/detail/modp.hpp"
#include "darekit/udf/value.hpp"

namespace darekit::udf {

/// Largest secret that can be shared, in bytes.
inline constexpr std::size_t shamir_max_secret = 64;
/// Largest number of shares (and threshold).
inline constexpr unsigned shamir_max_shares = 15;

/// The fields of a share UDF.
struct share_fields {
  unsigned threshold = 0;  ///< shares needed to recover
  unsigned x = 0;          ///< share index, 1..15
  byte_view y;             ///< f(x), big-endian, secret length
};

/// Decode the fields of a share UDF (errors: wrong type, too short, bad index byte).
inline result<share_fields> decode_share(const value& v) {
  if (v.type_code() != std::uint8_t(type_id::shamir_share))
    return fail(errc::invalid_argument, "not a Shamir share UDF (type byte must be 0x90)");
  const auto d = v.data();
  if (d.size() < 2) return fail(errc::truncated, "Shamir share has no data");
  if (d.size() - 1 > shamir_max_secret) return fail(errc::too_large, "Shamir share longer than 64 bytes of data");
  share_fields f;
  f.threshold = d[0] >> 4;
  f.x = (d[0] & 15u) + 1;
  f.y = d.subspan(1);
  if (f.threshold == 0) return fail(errc::malformed, "Shamir share with threshold 0");
  if (f.x > shamir_max_shares) return fail(errc::malformed, "Shamir share index 16 (at most 15 shares)");
  return f;
}

namespace detail {
/// A uniform random value below p.
inline void random_below(modp::num& r, const modp::context& c) {
  darekit::secret<shamir_max_secret + 1> buf;  // stack, wiped (no mlock per call)
  const auto b = buf.span().first(c.bytes + 1);
  for (;;) {
    random_fill(b);
    b[0] &= 1;  // 8B + 1 bits; accept about half the draws
    r = modp::from_be(b);
    if (modp::less(r, c.p)) return;
  }
}

/// Lagrange weight of point xs[i] at X among the points xs (public values).
inline modp::num lagrange(std::span<const unsigned> xs, std::size_t i, unsigned X, const modp::context& c) {
  std::int64_t n = 1, d = 1;
  for (std::size_t j = 0; j < xs.size(); ++j) {
    if (j == i) continue;
    n *= std::int64_t(X) - std::int64_t(xs[j]);
    d *= std::int64_t(xs[i]) - std::int64_t(xs[j]);
  }
  return modp::fraction(n, d, c);
}

/// Σ y_i · λ_i(X) mod p over the first k shares.
inline void interpolate(modp::num& out, std::span<const modp::num> ys, std::span<const unsigned> xs, unsigned X,
                        const modp::context& c) {
  modp::num acc{}, term;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const modp::num l = lagrange(xs, i, X, c);
    modp::mul_mod(term, ys[i], l, c);
    modp::add_mod(acc, acc, term, c.p);
  }
  out = acc;
  wipe(acc.data(), sizeof acc);
  wipe(term.data(), sizeof term);
}
}  // namespace detail

/// Split `secret` (1..64 bytes) into `shares` share UDFs, any `threshold` of which
/// recover it.
inline result<std::vector<value>> split(byte_view secret, unsigned threshold, unsigned shares) {
  if (secret.empty()) return fail(errc::invalid_argument, "the secret is empty");
  if (secret.size() > shamir_max_secret)
    return fail(errc::too_large, "secrets up to 64 bytes can be split, got " + std::to_string(secret.size()));
  if (threshold < 1 || shares < 1 || threshold > shares || shares > shamir_max_shares)
    return fail(errc::invalid_argument, "need 1 <= threshold <= shares <= 15, got threshold " +
                                            std::to_string(threshold) + " and " + std::to_string(shares) + " shares");
  const std::size_t B = secret.size();
  namespace mp = detail::modp;
  const auto& c = mp::prime_for(B);
  // Coefficients a0 = secret, a1..a(k-1) random below p; wiped on exit.
  std::vector<mp::num> a(threshold);
  std::vector<mp::num> ys(shares);
  struct wiper {
    std::vector<mp::num>& v;
    ~wiper() { if (!v.empty()) wipe(v.data(), v.size() * sizeof(mp::num)); }
  } wa{a}, wy{ys};
  a[0] = mp::from_be(secret);
  const std::size_t top_bit = 8 * B;  // a share fits in B bytes when this bit (and above) is clear
  for (int attempt = 0;; ++attempt) {
    if (attempt == 1000) return fail(errc::crypto_failure, "could not draw a polynomial whose shares fit");
    for (unsigned i = 1; i < threshold; ++i) detail::random_below(a[i], c);
    bool fits = true;
    for (unsigned x = 1; x <= shares; ++x) {
      mp::num acc = a[threshold - 1];  // Horner
      for (unsigned i = threshold - 1; i-- > 0;) {
        mp::mul_small_mod(acc, acc, x, c);
        mp::add_mod(acc, acc, a[i], c.p);
      }
      ys[x - 1] = acc;
      wipe(acc.data(), sizeof acc);
      fits = fits && ((ys[x - 1][top_bit / 64] >> (top_bit % 64)) & 1u) == 0;
    }
    if (fits) break;
  }
  std::vector<value> out;
  out.reserve(shares);
  darekit::secret<shamir_max_secret + 1> buf;
  const auto bds = buf.span().first(1 + B);
  for (unsigned x = 1; x <= shares; ++x) {
    bds[0] = std::uint8_t((threshold << 4) | (x - 1));
    mp::to_be(ys[x - 1], bds.subspan(1));
    out.emplace_back(type_id::shamir_share, bds);
  }
  return out;
}

/// Recover the secret from share UDFs. All shares must carry the same threshold
/// and length and distinct indices, and at least `threshold` of them must be
/// given. The first `threshold` shares determine the secret; every further share
/// is checked to lie on the same polynomial (verification_failed if not).
inline result<secure_bytes> recover(std::span<const value> shares) {
  namespace mp = detail::modp;
  if (shares.empty()) return fail(errc::invalid_argument, "no shares given");
  if (shares.size() > shamir_max_shares)
    return fail(errc::invalid_argument, "more than 15 shares given");
  std::vector<share_fields> f;
  f.reserve(shares.size());
  for (std::size_t i = 0; i < shares.size(); ++i) {
    auto d = decode_share(shares[i]);
    if (!d) return fail(d.code(), "share " + std::to_string(i + 1) + ": " + d.err().message);
    f.push_back(*d);
  }
  const unsigned k = f[0].threshold;
  const std::size_t B = f[0].y.size();
  for (std::size_t i = 1; i < f.size(); ++i) {
    if (f[i].threshold != k)
      return fail(errc::invalid_argument, "mismatched shares: thresholds " + std::to_string(k) + " and " +
                                              std::to_string(f[i].threshold));
    if (f[i].y.size() != B)
      return fail(errc::invalid_argument, "mismatched shares: lengths " + std::to_string(B) + " and " +
                                              std::to_string(f[i].y.size()) + " bytes");
    for (std::size_t j = 0; j < i; ++j)
      if (f[j].x == f[i].x) return fail(errc::invalid_argument, "duplicate share index " + std::to_string(f[i].x));
  }
  if (f.size() < k)
    return fail(errc::invalid_argument, "too few shares: threshold " + std::to_string(k) + " needs " +
                                            std::to_string(k) + ", got " + std::to_string(f.size()));
  const auto& c = mp::prime_for(B);
  std::vector<mp::num> ys(k);
  std::vector<unsigned> xs(k);
  struct wiper {
    std::vector<mp::num>& v;
    ~wiper() { if (!v.empty()) wipe(v.data(), v.size() * sizeof(mp::num)); }
  } wy{ys};
  for (unsigned i = 0; i < k; ++i) {
    ys[i] = mp::from_be(f[i].y);
    xs[i] = f[i].x;
  }
  mp::num s;
  detail::interpolate(s, ys, xs, 0, c);
  secure_bytes out(B);
  mp::to_be(s, out.span());
  // The secret must fit in B bytes (it did when split), then check extra shares.
  const std::size_t top_bit = 8 * B;
  const bool fits = ((s[top_bit / 64] >> (top_bit % 64)) & 1u) == 0;
  wipe(s.data(), sizeof s);
  if (!fits) return fail(errc::verification_failed, "shares do not encode a secret (inconsistent shares)");
  for (std::size_t e = k; e < f.size(); ++e) {
    mp::num y;
    detail::interpolate(y, ys, xs, f[e].x, c);
    darekit::secret<shamir_max_secret> buf;
    const auto want = buf.span().first(B);
    mp::to_be(y, want);
    const bool same = ((y[top_bit / 64] >> (top_bit % 64)) & 1u) == 0 && ct_equal(want, f[e].y);
    wipe(y.data(), sizeof y);
    if (!same)
      return fail(errc::verification_failed, "share " + std::to_string(f[e].x) +
                                                 " is inconsistent with the other shares");
  }
  return out;
}

}  // namespace darekit::udf
