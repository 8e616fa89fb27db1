// Extreme-limb property tests for the AVX-512 IFMA field arithmetic of the X25519 batch
// (ckx/detail/x25519_ifma.hpp: radix 2^51, five 64-bit limbs, 52-bit multipliers).
// Every operation gets inputs with limbs at the bounds the ladder can feed it (2^52 - 1
// into the multipliers, 2^51 + 2^17 out of a carry, 0, 1, values near p in canonical
// and non-canonical form) and is compared with OpenSSL BIGNUM mod p = 2^255 - 19; the
// outputs must also respect the documented limb bounds, so chains of operations stay
// exact. The whole ladder is compared with libsodium and with an independent BIGNUM
// Montgomery ladder (RFC 7748 §5) for u = 0, 1, p - 1, p, p + 1, 2^255 - 1, ... .
// Runs only where the CPU has IFMA (the kernel tiers below it do not use this code).
#include <openssl/bn.h>
#include <sodium.h>

#include <catch2/catch.hpp>

#include <array>
#include <random>
#include <vector>

#include "darekit/ckx/batch.hpp"
#include "darekit/ckx/detail/x25519_ifma.hpp"
#include "test_util.hpp"

#ifdef DAREKIT_CKX_HAVE_IFMA
using namespace darekit;
namespace ifma = darekit::ckx::detail::ifma;

namespace {

using lanes = std::array<std::array<std::uint64_t, 5>, 8>;  // [lane][limb]
constexpr std::uint64_t two51 = std::uint64_t(1) << 51;
constexpr std::uint64_t mul_max = (std::uint64_t(1) << 52) - 1;  // largest limb mul/sqr read
constexpr std::uint64_t carry_max = two51 + (std::uint64_t(1) << 17);  // carry() output bound (exclusive)

#define IFMA_TEST_FN __attribute__((target("avx512f,avx512ifma")))

IFMA_TEST_FN ifma::fe8 to_fe(const lanes& x) {
  alignas(64) std::uint64_t t[5][8];
  for (int n = 0; n < 8; ++n)
    for (int k = 0; k < 5; ++k) t[k][n] = x[std::size_t(n)][std::size_t(k)];
  ifma::fe8 r;
  for (int k = 0; k < 5; ++k) r.v[k] = _mm512_load_si512(t[k]);
  return r;
}
IFMA_TEST_FN lanes from_fe(const ifma::fe8& a) {
  alignas(64) std::uint64_t t[5][8];
  for (int k = 0; k < 5; ++k) _mm512_store_si512(t[k], a.v[k]);
  lanes x;
  for (int n = 0; n < 8; ++n)
    for (int k = 0; k < 5; ++k) x[std::size_t(n)][std::size_t(k)] = t[k][n];
  return x;
}

enum class op { mul, sqr, add, sub, mul121665, invert };
IFMA_TEST_FN lanes run(op o, const lanes& a, const lanes& b) {
  const ifma::fe8 x = to_fe(a), y = to_fe(b);
  switch (o) {
    case op::mul: return from_fe(ifma::mul(x, y));
    case op::sqr: return from_fe(ifma::sqr(x));
    case op::add: return from_fe(ifma::add(x, y));
    case op::sub: return from_fe(ifma::sub(x, y));
    case op::mul121665: return from_fe(ifma::mul_small(x, 121665));
    case op::invert: return from_fe(ifma::invert(x));
  }
  return {};
}
IFMA_TEST_FN void store8(const lanes& a, std::array<std::array<std::uint8_t, 32>, 8>& out) {
  std::uint8_t* p[8];
  for (int n = 0; n < 8; ++n) p[n] = out[std::size_t(n)].data();
  ifma::store(to_fe(a), p);
}
IFMA_TEST_FN lanes load8(const std::array<std::array<std::uint8_t, 32>, 8>& in) {
  const std::uint8_t* p[8];
  for (int n = 0; n < 8; ++n) p[n] = in[std::size_t(n)].data();
  return from_fe(ifma::load(p));
}

/// OpenSSL BIGNUM helpers (the independent reference).
struct bn {
  BIGNUM* v = BN_new();
  bn() = default;
  bn(const bn&) = delete;
  bn& operator=(const bn&) = delete;
  ~bn() { BN_free(v); }
};
struct field {
  BN_CTX* ctx = BN_CTX_new();
  bn p;
  field() {
    BN_set_bit(p.v, 255);
    BN_sub_word(p.v, 19);
  }
  field(const field&) = delete;
  field& operator=(const field&) = delete;
  ~field() { BN_CTX_free(ctx); }
  /// sum limb_k 2^(51k), reduced mod p.
  void value(BIGNUM* out, const std::array<std::uint64_t, 5>& l) const {
    BN_zero(out);
    for (int k = 4; k >= 0; --k) {
      BN_lshift(out, out, 51);
      BN_add_word(out, l[std::size_t(k)]);
    }
    BN_nnmod(out, out, p.v, ctx);
  }
  /// A little-endian 32-byte string as a number.
  static void from_le(BIGNUM* out, const std::uint8_t* b) {
    std::uint8_t be[32];
    for (int i = 0; i < 32; ++i) be[i] = b[31 - i];
    BN_bin2bn(be, 32, out);
  }
  static std::array<std::uint8_t, 32> to_le(const BIGNUM* x) {
    std::uint8_t be[32];
    BN_bn2binpad(x, be, 32);
    std::array<std::uint8_t, 32> le{};
    for (int i = 0; i < 32; ++i) le[std::size_t(i)] = be[31 - i];
    return le;
  }
};

/// Limbs of a value below 2^255 (any number, not reduced), radix 2^51.
std::array<std::uint64_t, 5> limbs_of(const BIGNUM* x) {
  std::array<std::uint64_t, 5> l{};
  bn t;
  BN_copy(t.v, x);
  for (auto& v : l) {
    bn lo;
    BN_copy(lo.v, t.v);
    BN_mask_bits(lo.v, 51);
    v = BN_get_word(lo.v);
    BN_rshift(t.v, t.v, 51);
  }
  return l;
}

/// The limb patterns the tests use: extremes, near-p values and random limbs.
std::vector<std::array<std::uint64_t, 5>> patterns(const field& f, std::uint64_t max_limb) {
  std::vector<std::array<std::uint64_t, 5>> v;
  v.push_back({0, 0, 0, 0, 0});
  v.push_back({1, 0, 0, 0, 0});
  v.push_back({max_limb, max_limb, max_limb, max_limb, max_limb});
  v.push_back({max_limb, 0, max_limb, 0, max_limb});
  v.push_back({0, max_limb, 0, max_limb, 0});
  v.push_back({two51 - 1, two51 - 1, two51 - 1, two51 - 1, two51 - 1});         // 2^255 - 1 (= 18 mod p)
  v.push_back({two51 - 19, two51 - 1, two51 - 1, two51 - 1, two51 - 1});        // p (= 0)
  v.push_back({two51 - 20, two51 - 1, two51 - 1, two51 - 1, two51 - 1});        // p - 1
  v.push_back({two51 - 18, two51 - 1, two51 - 1, two51 - 1, two51 - 1});        // p + 1
  v.push_back({max_limb, two51 - 1, two51 - 1, two51 - 1, two51 - 1});          // beyond 2^255
  v.push_back({0, 0, 0, 0, two51});                                              // 2^255 (= 19)
  {
    bn pm;  // p - 1 as limbs via BIGNUM (cross-check of the hand-written pattern above)
    BN_copy(pm.v, f.p.v);
    BN_sub_word(pm.v, 1);
    v.push_back(limbs_of(pm.v));
  }
  std::mt19937_64 rng(255);
  for (int i = 0; i < 200; ++i) {
    std::array<std::uint64_t, 5> l;
    for (auto& x : l) {
      const int kind = int(rng() % 4);
      x = kind == 0 ? max_limb - (rng() & 3) : kind == 1 ? rng() % (max_limb + 1) : kind == 2 ? (rng() & 3) : two51 - 1 - (rng() & 1);
      if (x > max_limb) x = max_limb;
    }
    v.push_back(l);
  }
  return v;
}

/// Check `o` on all pairs of patterns (eight per call) against BIGNUM, and the limb
/// bound of every output.
void check_op(op o, std::uint64_t max_a, std::uint64_t max_b, const char* name) {
  field f;
  const auto pa = patterns(f, max_a), pb = patterns(f, max_b);
  bn x, y, want, got;
  long checked = 0;
  for (std::size_t i = 0; i < pa.size(); i += 1) {
    for (std::size_t j0 = 0; j0 < pb.size(); j0 += 8) {
      lanes a, b;
      for (std::size_t n = 0; n < 8; ++n) {
        a[n] = pa[i];
        b[n] = pb[(j0 + n) % pb.size()];
      }
      const lanes r = run(o, a, b);
      for (std::size_t n = 0; n < 8; ++n) {
        f.value(x.v, a[n]);
        f.value(y.v, b[n]);
        switch (o) {
          case op::mul: BN_mod_mul(want.v, x.v, y.v, f.p.v, f.ctx); break;
          case op::sqr: BN_mod_sqr(want.v, x.v, f.p.v, f.ctx); break;
          case op::add: BN_mod_add(want.v, x.v, y.v, f.p.v, f.ctx); break;
          case op::sub: BN_mod_sub(want.v, x.v, y.v, f.p.v, f.ctx); break;
          case op::mul121665: {
            bn c;
            BN_set_word(c.v, 121665);
            BN_mod_mul(want.v, x.v, c.v, f.p.v, f.ctx);
            break;
          }
          case op::invert: {
            bn e;  // z^(p-2); 0 maps to 0
            BN_copy(e.v, f.p.v);
            BN_sub_word(e.v, 2);
            BN_mod_exp(want.v, x.v, e.v, f.p.v, f.ctx);
            break;
          }
        }
        f.value(got.v, r[n]);
        INFO(name << ": a pattern " << i << ", b pattern " << (j0 + n) % pb.size() << ", lane " << n);
        REQUIRE(BN_cmp(got.v, want.v) == 0);
        for (std::uint64_t l : r[n]) REQUIRE(l < carry_max);  // safe to feed into any operation again
        ++checked;
      }
      if (o == op::sqr || o == op::mul121665 || o == op::invert) break;  // b unused
    }
  }
  CHECK(checked >= long(pa.size()) * 8);
}

/// RFC 7748 §5 X25519 with BIGNUM (independent of libsodium and of the IFMA code).
std::array<std::uint8_t, 32> x25519_bn(const std::uint8_t k_in[32], const std::uint8_t u_in[32]) {
  field f;
  std::uint8_t k[32], u[32];
  std::memcpy(k, k_in, 32);
  std::memcpy(u, u_in, 32);
  k[0] &= 248; k[31] &= 127; k[31] |= 64;
  u[31] &= 127;
  bn x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t, a24;
  field::from_le(x1.v, u);
  BN_nnmod(x1.v, x1.v, f.p.v, f.ctx);
  BN_one(x2.v); BN_zero(z2.v); BN_copy(x3.v, x1.v); BN_one(z3.v);
  BN_set_word(a24.v, 121665);
  int swap = 0;
  for (int i = 254; i >= 0; --i) {
    const int bit = (k[i >> 3] >> (i & 7)) & 1;
    if (swap ^ bit) { BN_swap(x2.v, x3.v); BN_swap(z2.v, z3.v); }
    swap = bit;
    BN_mod_add(a.v, x2.v, z2.v, f.p.v, f.ctx);
    BN_mod_sqr(aa.v, a.v, f.p.v, f.ctx);
    BN_mod_sub(b.v, x2.v, z2.v, f.p.v, f.ctx);
    BN_mod_sqr(bb.v, b.v, f.p.v, f.ctx);
    BN_mod_sub(e.v, aa.v, bb.v, f.p.v, f.ctx);
    BN_mod_add(c.v, x3.v, z3.v, f.p.v, f.ctx);
    BN_mod_sub(d.v, x3.v, z3.v, f.p.v, f.ctx);
    BN_mod_mul(da.v, d.v, a.v, f.p.v, f.ctx);
    BN_mod_mul(cb.v, c.v, b.v, f.p.v, f.ctx);
    BN_mod_add(t.v, da.v, cb.v, f.p.v, f.ctx);
    BN_mod_sqr(x3.v, t.v, f.p.v, f.ctx);
    BN_mod_sub(t.v, da.v, cb.v, f.p.v, f.ctx);
    BN_mod_sqr(t.v, t.v, f.p.v, f.ctx);
    BN_mod_mul(z3.v, x1.v, t.v, f.p.v, f.ctx);
    BN_mod_mul(x2.v, aa.v, bb.v, f.p.v, f.ctx);
    BN_mod_mul(t.v, a24.v, e.v, f.p.v, f.ctx);
    BN_mod_add(t.v, aa.v, t.v, f.p.v, f.ctx);
    BN_mod_mul(z2.v, e.v, t.v, f.p.v, f.ctx);
  }
  if (swap) { BN_swap(x2.v, x3.v); BN_swap(z2.v, z3.v); }
  bn e2, inv, r;
  BN_copy(e2.v, f.p.v);
  BN_sub_word(e2.v, 2);
  BN_mod_exp(inv.v, z2.v, e2.v, f.p.v, f.ctx);
  BN_mod_mul(r.v, x2.v, inv.v, f.p.v, f.ctx);
  return field::to_le(r.v);
}

}  // namespace

TEST_CASE("IFMA field: mul, sqr, add, sub, *121665 and invert at extreme limbs agree with BIGNUM",
          "[ckx][x25519][ifma][limbs]") {
  if (!cpu().avx512ifma) { WARN("no AVX-512 IFMA on this CPU: the IFMA field code cannot run here"); return; }
  // mul/sqr/mul_small read 52 bits per limb; add takes any limbs whose sums stay below
  // 2^63; sub's subtrahend is a carried value (limbs below 2^51 + 2^17, under 4p's).
  check_op(op::mul, mul_max, mul_max, "mul");
  check_op(op::sqr, mul_max, mul_max, "sqr");
  check_op(op::mul121665, mul_max, mul_max, "mul_small(121665)");
  check_op(op::add, mul_max, mul_max, "add");
  check_op(op::sub, mul_max, carry_max - 1, "sub");
  check_op(op::invert, carry_max - 1, carry_max - 1, "invert");
}

TEST_CASE("IFMA field: load masks bit 255 and store writes the canonical value", "[ckx][x25519][ifma][limbs]") {
  if (!cpu().avx512ifma) { WARN("no AVX-512 IFMA on this CPU"); return; }
  field f;
  // store(): limb vectors whose value is p - 1, p, p + 1, 2p - 1, 2^255 - 1, the maximum
  // carried limbs, ... must come out fully reduced.
  const auto pats = patterns(f, carry_max - 1);
  bn want, got;
  for (std::size_t i = 0; i < pats.size(); i += 8) {
    lanes a;
    for (std::size_t n = 0; n < 8; ++n) a[n] = pats[(i + n) % pats.size()];
    std::array<std::array<std::uint8_t, 32>, 8> out;
    store8(a, out);
    for (std::size_t n = 0; n < 8; ++n) {
      f.value(want.v, a[n]);
      field::from_le(got.v, out[n].data());
      INFO("pattern " << (i + n) % pats.size());
      CHECK(BN_cmp(got.v, want.v) == 0);  // equal as numbers: canonical, below p
    }
  }
  // load(): bit 255 ignored, non-canonical u (>= p) kept as the same residue.
  std::array<std::array<std::uint8_t, 32>, 8> in{};
  in[0].fill(0xff);                                            // 2^256 - 1 -> 2^255 - 1
  in[1].fill(0xff); in[1][0] = 0xed; in[1][31] = 0x7f;         // p
  in[2].fill(0xff); in[2][0] = 0xec; in[2][31] = 0x7f;         // p - 1
  in[3].fill(0xff); in[3][0] = 0xee; in[3][31] = 0xff;         // p + 1 with bit 255 set
  in[4][31] = 0x80;                                            // 2^255 -> 0
  in[5][0] = 9;
  in[6][0] = 1; in[6][31] = 0x80;                              // 1 with bit 255 set
  in[7].fill(0x5a);
  const lanes l = load8(in);
  for (std::size_t n = 0; n < 8; ++n) {
    auto u = in[n];
    u[31] &= 0x7f;
    field::from_le(want.v, u.data());
    BN_nnmod(want.v, want.v, f.p.v, f.ctx);
    f.value(got.v, l[n]);
    INFO("u " << n);
    CHECK(BN_cmp(got.v, want.v) == 0);
    for (std::uint64_t x : l[n]) CHECK(x < two51);
  }
}

TEST_CASE("IFMA ladder: special u and scalars agree with libsodium and a BIGNUM ladder", "[ckx][x25519][ifma][limbs]") {
  if (!cpu().avx512ifma) { WARN("no AVX-512 IFMA on this CPU"); return; }
  REQUIRE(sodium_init() >= 0);
  std::vector<std::array<std::uint8_t, 32>> us;
  auto add = [&](std::array<std::uint8_t, 32> u) { us.push_back(u); u[31] ^= 0x80; us.push_back(u); };  // and with bit 255 flipped
  std::array<std::uint8_t, 32> u{};
  add(u);                                                  // 0
  u[0] = 1; add(u);                                        // 1
  u[0] = 9; add(u);                                        // the base point
  u.fill(0xff); u[31] = 0x7f; u[0] = 0xec; add(u);         // p - 1 (order 2)
  u[0] = 0xed; add(u);                                     // p (= 0)
  u[0] = 0xee; add(u);                                     // p + 1 (= 1)
  u[0] = 0xf6; add(u);                                     // p + 9 (= 9)
  u[0] = 0xff; add(u);                                     // 2^255 - 1 (= 18)
  u.fill(0); u[31] = 0x40; add(u);                         // 2^254
  std::mt19937_64 rng(7748);
  for (int i = 0; i < 14; ++i) { for (auto& b : u) b = std::uint8_t(rng()); add(u); }
  std::vector<std::array<std::uint8_t, 32>> ks(4);
  ks[0].fill(0x00);
  ks[1].fill(0xff);
  for (auto& b : ks[2]) b = std::uint8_t(rng());
  ks[3].fill(0); ks[3][0] = 8;  // clamps to 2^254 + 8
  int compared_sodium = 0;
  INFO("batch kernel " << ckx::x25519_batch_kernel());
  for (const auto& k : ks) {
    const ckx::x25519_secret sk{byte_view(k)};
    for (std::size_t i = 0; i < us.size(); i += 8) {
      std::vector<ckx::x25519_public> peers(8);
      for (std::size_t n = 0; n < 8; ++n) peers[n] = us[(i + n) % us.size()];
      std::vector<ckx::x25519_shared> out(8);
      std::vector<std::uint8_t> ok(8);
      ckx::x25519_shared_batch(sk, peers, out, ok);
      for (std::size_t n = 0; n < 8; ++n) {
        const auto want = x25519_bn(k.data(), peers[n].data());
        std::array<std::uint8_t, 32> lib{};
        const bool lib_ok = crypto_scalarmult(lib.data(), k.data(), peers[n].data()) == 0;
        INFO("u " << hex::encode(peers[n]) << " k " << hex::encode(k));
        CHECK(hex::encode(out[n].view()) == hex::encode(want));
        const bool zero = sodium_is_zero(want.data(), 32);
        CHECK(ok[n] == !zero);
        if (lib_ok) { CHECK(lib == want); ++compared_sodium; }
      }
    }
  }
  CHECK(compared_sodium > 100);
}
#endif
