// darekit_dudect: dudect-style timing tests (Reparaz, Balasch, Verbauwhede, "Dude, is my
// code constant time?", DATE 2017) for the AVX-512 tiers that valgrind cannot run.
//
// For each operation two classes of inputs are timed, interleaved at random: class 0 a
// fixed secret, class 1 a fresh random secret per measurement (the public inputs and
// the outcome are the same in both classes). Cycle counts (rdtscp) go into Welch's
// t-test, on all measurements and on the measurements below several percentiles
// (cropping the long tail of interrupts and migrations, as dudect does). |t| above 4.5
// is the dudect threshold for "probably not constant time"; a control that compares a
// tag byte by byte with an early exit shows what a leak looks like.
//
//   build/release/bin/darekit_dudect [measurements per test, default 200000] [filter]
//
// The active kernel is forced to avx512 and each test checks the kernel it timed.
#include <sodium.h>
#include <x86intrin.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "darekit/ckx/batch.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/crypto/aes_gcm.hpp"
#include "darekit/crypto/chacha20poly1305.hpp"
#include "darekit/crypto/poly1305.hpp"

using namespace darekit;

namespace {

/// Welford mean/variance per class and Welch's t.
struct welch {
  double n[2] = {0, 0}, mean[2] = {0, 0}, m2[2] = {0, 0};
  void add(int c, double x) {
    n[c] += 1;
    const double d = x - mean[c];
    mean[c] += d / n[c];
    m2[c] += d * (x - mean[c]);
  }
  [[nodiscard]] double t() const {
    if (n[0] < 2 || n[1] < 2) return 0;
    const double v0 = m2[0] / (n[0] - 1), v1 = m2[1] / (n[1] - 1);
    const double den = std::sqrt(v0 / n[0] + v1 / n[1]);
    return den > 0 ? (mean[0] - mean[1]) / den : 0;
  }
};

inline std::uint64_t cycles() noexcept {
  unsigned aux;
  _mm_lfence();
  const std::uint64_t t = __rdtscp(&aux);
  _mm_lfence();
  return t;
}

/// One test: prepare(i, cls) sets up input slot i of a batch for class cls (outside the
/// timing), run(i) is the timed operation.
struct test_case {
  std::string name;
  std::size_t batch;
  std::function<void(std::size_t, int)> prepare;
  std::function<void(std::size_t)> run;
  std::function<std::string()> kernel;  // what ran (checked after the test)
};

struct outcome {
  double t_all = 0, t_max = 0;
  long measurements = 0;
  double median_cycles = 0;
};

outcome measure(const test_case& tc, long total, std::mt19937_64& rng) {
  const double pct[] = {0.50, 0.75, 0.90, 0.95, 0.99};
  std::vector<double> thresholds;
  std::vector<welch> crops(std::size(pct));
  welch all;
  std::vector<int> cls(tc.batch);
  std::vector<std::uint64_t> d(tc.batch);
  long done = 0;
  std::vector<double> first;
  while (done < total) {
    for (std::size_t i = 0; i < tc.batch; ++i) {
      cls[i] = int(rng() & 1);
      tc.prepare(i, cls[i]);
    }
    for (std::size_t i = 0; i < tc.batch; ++i) {
      const std::uint64_t t0 = cycles();
      tc.run(i);
      d[i] = cycles() - t0;
    }
    if (thresholds.empty()) {  // the first batch warms up and fixes the crop thresholds
      first.assign(d.begin(), d.end());
      std::sort(first.begin(), first.end());
      for (double p : pct) thresholds.push_back(first[std::size_t(p * double(first.size() - 1))]);
      continue;
    }
    for (std::size_t i = 0; i < tc.batch; ++i) {
      const double x = double(d[i]);
      all.add(cls[i], x);
      for (std::size_t c = 0; c < crops.size(); ++c)
        if (x <= thresholds[c]) crops[c].add(cls[i], x);
    }
    done += long(tc.batch);
  }
  outcome r;
  r.t_all = all.t();
  r.t_max = std::abs(r.t_all);
  for (const auto& c : crops) r.t_max = std::max(r.t_max, std::abs(c.t()));
  r.measurements = done;
  r.median_cycles = first[first.size() / 2];
  return r;
}

bytes random_bytes_from(std::mt19937_64& rng, std::size_t n) {
  bytes b(n);
  for (auto& x : b) x = std::uint8_t(rng());
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  const long total = argc > 1 ? std::atol(argv[1]) : 200000;
  const std::string filter = argc > 2 ? argv[2] : "";
  if (sodium_init() < 0) return 2;
  if (!(cpu().avx512f && cpu().avx512ifma && cpu().vaes && cpu().vpclmulqdq)) {
    std::printf("darekit_dudect: needs AVX-512 with IFMA, VAES and VPCLMULQDQ; skipping\n");
    return 0;
  }
  force_kernel(kernel::avx512);
  std::mt19937_64 rng(20261204);
  constexpr std::size_t B = 1000;        // inputs per batch
  constexpr std::size_t msg = 1024;      // bytes per AEAD / MAC message
  const bytes fixed_key = random_bytes_from(rng, 32), nonce = random_bytes_from(rng, 24), ad = random_bytes_from(rng, 16),
              m = random_bytes_from(rng, msg);
  std::vector<test_case> tests;

  // ---- AES-256-GCM open (VAES-512): the key is the secret; every open succeeds.
  std::vector<aes256gcm> gkeys;
  std::vector<bytes> gct(B, bytes(msg + 16));
  bytes gout(msg);
  for (std::size_t i = 0; i < B; ++i) gkeys.push_back(*aes256gcm::create(fixed_key));
  tests.push_back({"AES-256-GCM open 1 KiB, fixed vs random key", B,
                   [&](std::size_t i, int c) {
                     const bytes k = c ? random_bytes_from(rng, 32) : fixed_key;
                     gkeys[i] = *aes256gcm::create(k);
                     (void)gkeys[i].seal(gct[i].data(), gct[i].data() + msg, m.data(), msg, ad.data(), ad.size(), nonce.data());
                   },
                   [&](std::size_t i) {
                     if (!gkeys[i].open(gout.data(), gct[i].data(), msg, gct[i].data() + msg, ad.data(), ad.size(), nonce.data()))
                       std::abort();
                   },
                   [] { return aes256gcm::last_kernel() == gcm_kernel::vaes_avx512 ? "vaes_avx512" : "OTHER"; }});
  // ---- AES-256-GCM open with a wrong tag: which tag bits are wrong is the secret.
  const aes256gcm gk = *aes256gcm::create(fixed_key);
  bytes gc(msg), gtag(16);
  (void)gk.seal(gc.data(), gtag.data(), m.data(), msg, ad.data(), ad.size(), nonce.data());
  std::vector<bytes> gbad(B, bytes(16));
  tests.push_back({"AES-256-GCM open 1 KiB, wrong tag: fixed (byte 0) vs random", B,
                   [&](std::size_t i, int c) {
                     gbad[i] = gtag;
                     if (c == 0) gbad[i][0] ^= 1;
                     else { const auto r = random_bytes_from(rng, 16); for (int j = 0; j < 16; ++j) gbad[i][j] ^= r[j]; gbad[i][15] ^= 0x80; }
                   },
                   [&](std::size_t i) {
                     if (gk.open(gout.data(), gc.data(), msg, gbad[i].data(), ad.data(), ad.size(), nonce.data())) std::abort();
                   },
                   [] { return aes256gcm::last_kernel() == gcm_kernel::vaes_avx512 ? "vaes_avx512" : "OTHER"; }});

  // ---- Poly1305 (IFMA): the one-time key is the secret.
  std::vector<bytes> pkeys(B, bytes(32));
  std::uint8_t ptag[16];
  tests.push_back({"Poly1305 1 KiB (IFMA), fixed vs random key", B,
                   [&](std::size_t i, int c) { pkeys[i] = c ? random_bytes_from(rng, 32) : fixed_key; },
                   [&](std::size_t i) { poly1305::mac(ptag, m.data(), msg, pkeys[i].data()); },
                   [] { return std::string(to_string(poly1305::last_kernel())); }});

  // ---- ChaCha20-Poly1305 open (stitched AVX-512 + IFMA): key secret, correct tags.
  std::vector<bytes> ckeys(B, bytes(32)), cct(B, bytes(msg + 16));
  tests.push_back({"ChaCha20-Poly1305 open 1 KiB (stitched), fixed vs random key", B,
                   [&](std::size_t i, int c) {
                     ckeys[i] = c ? random_bytes_from(rng, 32) : fixed_key;
                     (void)chacha20poly1305::seal(cct[i].data(), cct[i].data() + msg, m.data(), msg, ad.data(), ad.size(),
                                                  nonce.data(), ckeys[i].data());
                   },
                   [&](std::size_t i) {
                     if (!chacha20poly1305::open(gout.data(), cct[i].data(), msg, cct[i].data() + msg, ad.data(), ad.size(),
                                                 nonce.data(), ckeys[i].data()))
                       std::abort();
                   },
                   [] { return "chacha20 " + std::string(to_string(chacha20::last_kernel())) + ", poly1305 " +
                               std::string(to_string(poly1305::last_kernel())); }});
  // ---- ChaCha20-Poly1305 open with a wrong tag.
  bytes cc(msg), ctag(16);
  (void)chacha20poly1305::seal(cc.data(), ctag.data(), m.data(), msg, ad.data(), ad.size(), nonce.data(), fixed_key.data());
  std::vector<bytes> cbad(B, bytes(16));
  tests.push_back({"ChaCha20-Poly1305 open 1 KiB, wrong tag: fixed vs random", B,
                   [&](std::size_t i, int c) {
                     cbad[i] = ctag;
                     if (c == 0) cbad[i][0] ^= 1;
                     else { const auto r = random_bytes_from(rng, 16); for (int j = 0; j < 16; ++j) cbad[i][j] ^= r[j]; cbad[i][15] ^= 0x80; }
                   },
                   [&](std::size_t i) {
                     if (chacha20poly1305::open(gout.data(), cc.data(), msg, cbad[i].data(), ad.data(), ad.size(), nonce.data(),
                                                fixed_key.data()))
                       std::abort();
                   },
                   [] { return "chacha20 " + std::string(to_string(chacha20::last_kernel())); }});

  // ---- X25519 IFMA batch: the scalar is the secret, eight fixed peers.
  std::vector<ckx::x25519_public> peers(8);
  for (auto& p : peers) { const auto s = random_bytes_from(rng, 32); crypto_scalarmult_base(p.data(), s.data()); }
  constexpr std::size_t XB = 100;
  std::vector<ckx::x25519_secret> xs(XB);
  std::vector<ckx::x25519_shared> xout(8);
  std::vector<std::uint8_t> xok(8);
  tests.push_back({"X25519 batch of 8 (IFMA), fixed vs random scalar", XB,
                   [&](std::size_t i, int c) { xs[i] = ckx::x25519_secret(c ? random_bytes_from(rng, 32) : fixed_key); },
                   [&](std::size_t i) { ckx::x25519_shared_batch(xs[i], peers, xout, xok); },
                   [] { return std::string(ckx::x25519_batch_kernel()); }});

  // ---- Control: a byte loop that returns at the first difference (what a leak looks like).
  std::vector<bytes> mbad(B, bytes(16));
  volatile int sink = 0;
  auto early_exit_equal = [](const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      if (static_cast<const volatile std::uint8_t*>(a)[i] != b[i]) return false;
    return true;
  };
  tests.push_back({"control: early-exit compare of a 16-byte tag, wrong at byte 0 vs 15", B,
                   [&](std::size_t i, int c) { mbad[i] = gtag; mbad[i][c ? 15 : 0] ^= 1; },
                   [&](std::size_t i) { sink = sink + early_exit_equal(mbad[i].data(), gtag.data(), 16); },
                   [] { return std::string("-"); }});

  std::printf("darekit_dudect: %ld measurements per test, kernel %s (|t| > 4.5: timing depends on the secret)\n", total,
              std::string(to_string(active_kernel())).c_str());
  std::printf("%-70s %8s %8s %9s  %s\n", "test", "|t| all", "max |t|", "cycles", "kernel");
  int leaks = 0;
  for (const auto& tc : tests) {
    if (!filter.empty() && tc.name.find(filter) == std::string::npos) continue;
    const outcome r = measure(tc, total, rng);
    const bool control = tc.name.rfind("control", 0) == 0;
    const bool leak = r.t_max > 4.5;
    if (leak && !control) ++leaks;
    std::printf("%-70s %8.2f %8.2f %9.0f  %s%s\n", tc.name.c_str(), std::abs(r.t_all), r.t_max, r.median_cycles,
                tc.kernel().c_str(), leak ? (control ? "  (leak, as expected)" : "  LEAK?") : "");
    std::fflush(stdout);
  }
  force_kernel(std::nullopt);
  return leaks ? 1 : 0;
}
