// Shamir share generation: the candidates are evaluated in constant work (the same
// randomness whatever the secret), the coefficients come from a wide reduction that
// agrees with OpenSSL, and the share distribution is exactly that of rejection sampling
// over the encodable polynomials (a chi-square test on 1-byte secrets, p = 257, which
// catches any real sampling bias; the format's own exclusion is checked exactly).
#include <openssl/bn.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string>

#include "darekit/crypto/chacha20.hpp"
#include "darekit/udf.hpp"

using namespace darekit;
namespace mp = udf::detail::modp;

namespace {
/// Deterministic random bytes: the ChaCha20 keystream of a seed; counts what it gave.
struct seeded_rng {
  std::uint8_t key[32] = {};
  std::uint8_t nonce[12] = {};
  std::uint64_t used = 0;
  explicit seeded_rng(std::uint64_t seed) { std::memcpy(key, &seed, sizeof seed); }
  void operator()(byte_span out) {
    std::memset(out.data(), 0, out.size());
    // one fresh 32-bit counter range per call (calls are < 64 KiB)
    store_be64(nonce + 4, used);
    chacha20::xor_stream(out.data(), out.data(), out.size(), key, nonce, 0);
    used += out.size();
  }
};

/// Shares of `secret` (k of n) drawn from `rng`; REQUIREs success.
std::vector<udf::value> split(byte_view secret, unsigned k, unsigned n, seeded_rng& rng) {
  auto r = udf::detail::split_with(secret, k, n, [&](byte_span b) { rng(b); });
  REQUIRE(r);
  return std::move(*r);
}
}  // namespace

TEST_CASE("Shamir: candidates per size keep the failure probability below 2^-64", "[udf][shamir]") {
  using udf::detail::shamir_candidates;
  CHECK(shamir_candidates(1, 15) == 16);  // 15 shares of a 1-byte secret: each fails w.p. <= 15/257
  CHECK(shamir_candidates(1, 2) == 10);
  CHECK(shamir_candidates(2, 15) == 6);
  CHECK(shamir_candidates(16, 15) == 1);
  for (std::size_t B = 1; B <= 64; ++B)
    for (unsigned n = 2; n <= 15; ++n) {
      const unsigned T = shamir_candidates(B, n);
      // log2 of the union bound n * offset / 2^(8B) per candidate, times T, below -64
      const double per = std::log2(double(n) * mp::offset[B]) - 8.0 * double(B);
      INFO("B=" << B << " n=" << n << " T=" << T);
      CHECK(per * T <= -64.0);
    }
}

TEST_CASE("Shamir: split draws the same randomness and does the same work for every secret", "[udf][shamir]") {
  // The old redraw loop drew a new polynomial whenever a share came out >= 2^(8B), so
  // how much it drew (and how long it ran) depended on the secret.
  for (std::size_t B : {1, 2, 3, 16, 64}) {
    for (unsigned k : {1u, 2u, 3u, 15u}) {
      const unsigned n = 15;
      const std::uint64_t expect = k == 1 ? 0
                                          : std::uint64_t(udf::detail::shamir_candidates(B, n)) * (k - 1) *
                                                udf::detail::shamir_draw_bytes(B);
      for (std::uint64_t seed = 0; seed < 40; ++seed) {
        std::uint64_t used[3];
        for (int v = 0; v < 3; ++v) {
          bytes secret(B, std::uint8_t(v == 0 ? 0x00 : v == 1 ? 0xff : 0x5a));
          seeded_rng rng(seed);
          auto shares = split(secret, k, n, rng);
          used[v] = rng.used;
          std::vector<udf::value> pick(shares.begin(), shares.begin() + k);
          auto back = udf::recover(pick);
          REQUIRE(back);
          CHECK(bytes(back->view().begin(), back->view().end()) == secret);
        }
        INFO("B=" << B << " k=" << k << " seed=" << seed);
        CHECK(used[0] == expect);
        CHECK(used[1] == expect);
        CHECK(used[2] == expect);
      }
    }
  }
}

TEST_CASE("Shamir: the wide reduction agrees with OpenSSL BN_mod", "[udf][shamir]") {
  BN_CTX* ctx = BN_CTX_new();
  BIGNUM *p = BN_new(), *x = BN_new(), *r = BN_new();
  seeded_rng rng(7);
  for (std::size_t B = 1; B <= 64; ++B) {
    const auto& c = mp::prime_for(B);
    bytes pb(72);
    mp::to_be(c.p, pb);
    BN_bin2bn(pb.data(), int(pb.size()), p);
    for (int i = 0; i < 30; ++i) {
      bytes in(udf::detail::shamir_draw_bytes(B));
      rng(in);
      if (i == 0) std::fill(in.begin(), in.end(), 0xff);  // the largest input
      if (i == 1) std::fill(in.begin(), in.end(), 0x00);
      mp::num got;
      mp::reduce_be(got, in, c);
      BN_bin2bn(in.data(), int(in.size()), x);
      BN_mod(r, x, p, ctx);
      bytes want(72);
      BN_bn2binpad(r, want.data(), 72);
      INFO("B=" << B << " i=" << i);
      CHECK(got == mp::from_be(want));
    }
  }
  BN_free(p); BN_free(x); BN_free(r);
  BN_CTX_free(ctx);
}

namespace {
/// Which values share 1 = s + a (mod 257) can take for a 1-byte secret s, k = 2, n
/// shares: those whose polynomial has every share below 256 (brute force).
std::array<bool, 256> encodable_share1(std::uint8_t s, unsigned n) {
  std::array<bool, 256> allowed{};
  for (unsigned y1 = 0; y1 < 256; ++y1) {
    const unsigned a = (y1 + 257 - s) % 257;
    bool fits = true;
    for (unsigned x = 1; x <= n; ++x) fits = fits && (s + a * x) % 257 != 256;
    allowed[y1] = fits;
  }
  return allowed;
}

/// Whether a histogram of share-1 values looks uniform over `allowed` (and empty
/// elsewhere): chi-square below mean + 6 sd, and every bin within 5 sd of its
/// expectation. The seeds are fixed, so a correct sampler passes deterministically.
bool looks_uniform(const std::array<long, 256>& count, const std::array<bool, 256>& allowed, std::string& why) {
  long total = 0, outside = 0;
  int n_allowed = 0;
  for (int v = 0; v < 256; ++v) {
    total += count[std::size_t(v)];
    if (allowed[std::size_t(v)]) ++n_allowed; else outside += count[std::size_t(v)];
  }
  const double q = 1.0 / n_allowed, expect = double(total) * q, sd = std::sqrt(double(total) * q * (1 - q));
  double chi2 = 0, worst_z = 0;
  for (int v = 0; v < 256; ++v) {
    if (!allowed[std::size_t(v)]) continue;
    const double d = double(count[std::size_t(v)]) - expect;
    chi2 += d * d / expect;
    worst_z = std::max(worst_z, std::abs(d) / sd);
  }
  const int df = n_allowed - 1;
  const double bound = df + 6 * std::sqrt(2.0 * df);
  why = "chi2=" + std::to_string(chi2) + " (bound " + std::to_string(bound) + "), worst |z|=" +
        std::to_string(worst_z) + ", outside=" + std::to_string(outside);
  return outside == 0 && chi2 < bound && worst_z < 5.0;
}

/// Share 1 from a deliberately biased sampler (for the negative controls): the
/// coefficient from `bits` random bits mod 257, rejected unless every share fits.
std::array<long, 256> biased_histogram(std::uint8_t s, unsigned n, int bits, int splits, seeded_rng& rng) {
  std::array<long, 256> count{};
  for (int i = 0; i < splits;) {
    std::uint8_t b[2];
    rng(b);
    const unsigned a = ((unsigned(b[0]) << 8 | b[1]) & ((1u << bits) - 1)) % 257;
    bool fits = true;
    for (unsigned x = 1; x <= n; ++x) fits = fits && (s + a * x) % 257 != 256;
    if (!fits) continue;
    ++count[(s + a) % 257];
    ++i;
  }
  return count;
}
}  // namespace

TEST_CASE("Shamir: 1-byte share distribution is uniform over the encodable polynomials (chi-square)",
          "[udf][shamir][statistics]") {
  // p = 257, k = 2: f(x) = s + a x. Given s, share 1 = s + a must take each value whose
  // polynomial has every share below 256 equally often, and never the others. The
  // excluded values are a property of the format (see shamir.hpp), found by brute
  // force; a sampling bias (a narrow reduction of the coefficient, a clamp of 256, a
  // redraw of only the offending coefficient) shows up in the chi-square or one bin.
  constexpr int kSplits = 40000;
  struct { unsigned n; std::uint8_t s; } cases[] = {{2, 0xa7}, {15, 0x42}};
  for (const auto& cs : cases) {
    const auto allowed = encodable_share1(cs.s, cs.n);
    REQUIRE(std::count(allowed.begin(), allowed.end(), true) == 256 - int(cs.n - 1));  // n - 1 values excluded
    std::array<long, 256> count{};
    seeded_rng rng(1000 + cs.n);
    for (int i = 0; i < kSplits; ++i) ++count[split(bytes{cs.s}, 2, cs.n, rng)[0].data()[1]];
    std::string why;
    const bool ok = looks_uniform(count, allowed, why);
    INFO("split, n=" << cs.n << " s=" << int(cs.s) << ": " << why);
    CHECK(ok);
  }
  // Negative controls: the same statistic flags a coefficient of 8 random bits (256
  // never drawn) and one of 9 bits mod 257 (two values at half weight).
  for (int bits : {8, 9}) {
    seeded_rng rng(77);
    std::string why;
    const bool ok = looks_uniform(biased_histogram(0xa7, 2, bits, kSplits, rng), encodable_share1(0xa7, 2), why);
    INFO("biased sampler, " << bits << " bits: " << why);
    CHECK_FALSE(ok);
  }
}
