// Shamir secret sharing UDFs (draft -18 §4.5, spec §10): type 0x90 ('S').
//
//   share = 0x90 || (threshold << 4 | (x - 1)) || f(x)   (f(x) big-endian, as long as the secret)
//   f(x)  = secret + a1 x + ... + a(k-1) x^(k-1) mod p,  p = 2^(8B) + offset[B]
//
// Secrets of 1..64 bytes, 1 <= threshold <= shares <= 15.
//
// A share must fit in B bytes, but f(x) mod p can reach p - 1 >= 2^(8B): the spec
// (draft -18 §4.5) replaces such polynomials. split() therefore draws a fixed number T
// of candidate polynomials (coefficients uniform mod p by a wide reduction of 8B + 64
// random bits, no rejection loop), evaluates all of them and keeps the first whose
// shares all fit, selected with masks: the same work and the same amount of randomness
// whatever the secret, no branch on a share value. The output is distributed as
// rejection sampling would give it (uniform over the encodable polynomials); T is
// chosen from B and the share count so that all T candidates fail with probability
// below 2^-64 (T = 16 for a 1-byte secret and 15 shares, 1 from about 10 bytes up).
//
// The format leaks a little for short secrets, whatever the sampler: the n - k + 1
// shares beyond any k - 1 must fit too, so k - 1 shares rule out up to n - k + 1 of the
// 2^(8B) secrets (for B = 1: a 1-byte secret, 2-of-2, one share excludes one of the 256
// values, and no distribution of fitting shares avoids that). docs/SECURITY.md.
// Arithmetic is fixed-width and constant time in the secret values.
#pragma once
#include <bit>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "darekit/core/ct.hpp"
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
/// Random bytes drawn per coefficient: 8B + 64 bits, reduced mod p.
constexpr std::size_t shamir_draw_bytes(std::size_t B) noexcept { return B + 8; }

/// Candidate polynomials split() evaluates for a B-byte secret and n shares (k >= 2):
/// each fails with probability at most n * offset[B] / p < 2^-bits, so T candidates
/// all fail with probability below 2^-64. Public (depends on sizes only).
constexpr unsigned shamir_candidates(std::size_t B, unsigned n) noexcept {
  const std::uint64_t worst = std::uint64_t(n) * modp::offset[B];  // >= 1
  const unsigned bits = unsigned(8 * B) - unsigned(std::bit_width(worst - 1));  // 8B - ceil(log2 worst)
  return bits >= 64 ? 1 : (64 + bits - 1) / bits;
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

namespace detail {
/// split() with the random bytes taken from `fill(byte_span)` (tests inject a
/// deterministic source; split() passes random_fill). Draws exactly
/// shamir_candidates(B, shares) * (threshold - 1) * shamir_draw_bytes(B) bytes.
template <class Fill>
result<std::vector<value>> split_with(byte_view secret, unsigned threshold, unsigned shares, Fill&& fill) {
  if (secret.empty()) return fail(errc::invalid_argument, "the secret is empty");
  if (secret.size() > shamir_max_secret)
    return fail(errc::too_large, "secrets up to 64 bytes can be split, got " + std::to_string(secret.size()));
  if (threshold < 1 || shares < 1 || threshold > shares || shares > shamir_max_shares)
    return fail(errc::invalid_argument, "need 1 <= threshold <= shares <= 15, got threshold " +
                                            std::to_string(threshold) + " and " + std::to_string(shares) + " shares");
  const std::size_t B = secret.size();
  namespace mp = modp;
  const auto& c = mp::prime_for(B);
  // Coefficients a0 = secret, a1..a(k-1) random mod p; candidate shares; chosen shares.
  std::vector<mp::num> a(threshold), cand(shares), ys(shares);
  struct wiper {
    std::vector<mp::num>& v;
    ~wiper() { if (!v.empty()) wipe(v.data(), v.size() * sizeof(mp::num)); }
  } wa{a}, wc{cand}, wy{ys};
  a[0] = mp::from_be(secret);
  darekit::secret<shamir_draw_bytes(shamir_max_secret)> draw;
  const auto rnd = draw.span().first(shamir_draw_bytes(B));
  const std::size_t top_bit = 8 * B;  // a share fits in B bytes when this bit (and above) is clear
  const unsigned tries = threshold == 1 ? 1 : shamir_candidates(B, shares);
  std::uint64_t found = 0;  // all ones once a candidate fitted
  for (unsigned t = 0; t < tries; ++t) {
    for (unsigned i = 1; i < threshold; ++i) {
      fill(rnd);
      mp::reduce_be(a[i], rnd, c);
    }
    std::uint64_t too_big = 0;
    for (unsigned x = 1; x <= shares; ++x) {
      mp::num& acc = cand[x - 1];
      acc = a[threshold - 1];  // Horner
      for (unsigned i = threshold - 1; i-- > 0;) {
        mp::mul_small_mod(acc, acc, x, c);
        mp::add_mod(acc, acc, a[i], c.p);
      }
      too_big |= (acc[top_bit / 64] >> (top_bit % 64)) & 1u;
    }
    const std::uint64_t fits = too_big - 1;  // all ones when every share fits
    const std::uint64_t take = fits & ~found;
    for (unsigned x = 0; x < shares; ++x) mp::select(ys[x], take, cand[x], ys[x]);
    found |= fits;
  }
  // Public decision: no candidate fitted (probability below 2^-64).
  if (!ct::declassify(found)) return fail(errc::crypto_failure, "could not draw a polynomial whose shares fit");
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
}  // namespace detail

/// Split `secret` (1..64 bytes) into `shares` share UDFs, any `threshold` of which
/// recover it. Errors: invalid_argument / too_large for bad sizes, crypto_failure
/// (probability below 2^-64) when no candidate polynomial had fitting shares.
inline result<std::vector<value>> split(byte_view secret, unsigned threshold, unsigned shares) {
  return detail::split_with(secret, threshold, shares, [](byte_span b) { random_fill(b); });
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
  const bool fits = ct::declassify(((s[top_bit / 64] >> (top_bit % 64)) & 1u) == 0);  // public: accept/reject
  wipe(s.data(), sizeof s);
  if (!fits) return fail(errc::verification_failed, "shares do not encode a secret (inconsistent shares)");
  for (std::size_t e = k; e < f.size(); ++e) {
    mp::num y;
    detail::interpolate(y, ys, xs, f[e].x, c);
    darekit::secret<shamir_max_secret> buf;
    const auto want = buf.span().first(B);
    mp::to_be(y, want);
    const bool same = ct::declassify(((y[top_bit / 64] >> (top_bit % 64)) & 1u) == 0) && ct_equal(want, f[e].y);
    wipe(y.data(), sizeof y);
    if (!same)
      return fail(errc::verification_failed, "share " + std::to_string(f[e].x) +
                                                 " is inconsistent with the other shares");
  }
  return out;
}

}  // namespace darekit::udf
