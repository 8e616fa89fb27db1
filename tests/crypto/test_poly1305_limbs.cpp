// Poly1305 extreme-limb tests for every kernel (scalar radix 2^64, AVX2 radix 2^26,
// AVX-512 IFMA radix 2^44), each forced in turn and proven by poly1305::last_kernel():
// keys with r and s at their extremes (largest clamped r, r = 1, r = 0, s all ones, so
// the final addition wraps) and messages that drive the accumulator limbs to their
// maxima (blocks of 0xff) or leave the unreduced sum exactly at k*p + d for d around 0
// (r = 1 makes the tag the plain sum of the blocks mod p: constructed with BIGNUM),
// compared with libsodium's crypto_onetimeauth_poly1305.
#include <openssl/bn.h>
#include <sodium.h>

#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "darekit/core/cpu.hpp"
#include "darekit/crypto/poly1305.hpp"
#include "test_util.hpp"

using namespace darekit;

namespace {

/// The bulk kernel a tier uses (runs of 16 blocks or more).
kernel poly_kernel_for(kernel k) {
  if (k == kernel::avx512 && cpu().avx512ifma) return kernel::avx512;
  return k == kernel::scalar ? kernel::scalar : kernel::avx2;
}

/// n >= 4 blocks whose full values c_i = m_i + 2^128 (r = 1: h = sum c_i) sum to exactly
/// k*p + d, for the largest such sum: all blocks 0xff except the last few, lowered by
/// the difference (less than p < 4 * 2^128).
bytes blocks_summing_to(std::size_t n, long d) {
  REQUIRE(n >= 4);
  BN_CTX* ctx = BN_CTX_new();
  BIGNUM *p = BN_new(), *smax = BN_new(), *c = BN_new(), *t = BN_new(), *k = BN_new(), *ones = BN_new(), *take = BN_new();
  BN_set_bit(p, 130);
  BN_sub_word(p, 5);
  BN_set_bit(c, 129);
  BN_sub_word(c, 1);  // a block of 0xff, plus 2^128
  BN_zero(smax);
  for (std::size_t i = 0; i < n; ++i) BN_add(smax, smax, c);
  auto add_d = [&](BIGNUM* x, long v) {
    if (v >= 0) BN_add_word(x, static_cast<BN_ULONG>(v)); else BN_sub_word(x, static_cast<BN_ULONG>(-v));
  };
  BN_copy(t, smax);
  add_d(t, -d);
  BN_div(k, nullptr, t, p, ctx);  // k = floor((smax - d) / p)
  BN_mul(t, k, p, ctx);
  add_d(t, d);                    // the target sum k*p + d <= smax
  BN_sub(t, smax, t);             // the deficit, spread over the last blocks
  BN_set_bit(ones, 128);
  BN_sub_word(ones, 1);
  bytes m(16 * n, 0xff);
  for (std::size_t b = n; b-- > 0 && !BN_is_zero(t);) {
    if (BN_cmp(t, ones) > 0) BN_copy(take, ones); else BN_copy(take, t);
    BN_sub(t, t, take);
    BIGNUM* mb = BN_new();
    BN_sub(mb, ones, take);
    std::uint8_t be[16];
    BN_bn2binpad(mb, be, 16);
    for (int i = 0; i < 16; ++i) m[16 * b + std::size_t(i)] = be[15 - i];  // little endian
    BN_free(mb);
  }
  REQUIRE(BN_is_zero(t));
  BN_free(p); BN_free(smax); BN_free(c); BN_free(t); BN_free(k); BN_free(ones); BN_free(take);
  BN_CTX_free(ctx);
  return m;
}

}  // namespace

TEST_CASE("poly1305: extreme keys and accumulators, every kernel, against libsodium", "[chacha][poly1305][limbs]") {
  REQUIRE(sodium_init() >= 0);
  const std::vector<bytes> keys = {
      test::unhex("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),  // largest r, s = 2^128 - 1
      test::unhex("0100000000000000000000000000000000000000000000000000000000000000"),  // r = 1, s = 0
      test::unhex("01000000000000000000000000000000ffffffffffffffffffffffffffffffff"),  // r = 1, s all ones
      test::unhex("0000000000000000000000000000000000000000000000000000000000000000"),  // r = 0
      test::unhex("fcffff0ffcffff0ffcffff0ffcffff0f0000000000000000000000000000ff00"),  // top r bits only
      test::unhex("ffffff0f0000000000000000000000000100000000000000ffffffffffffffff"),  // r0 max, r1 = 0
  };
  std::vector<bytes> msgs;
  for (std::size_t n : {16, 17, 31, 32, 64, 127, 128, 300}) msgs.push_back(bytes(16 * n, 0xff));
  for (std::size_t n : {16, 24, 33, 64, 257})
    for (long d : {-1L, 0L, 1L, 4L, 5L, 6L}) msgs.push_back(blocks_summing_to(n, d));
  // The construction is right: with r = 1 and s = 0 the tag is (k*p + d mod p) mod 2^128.
  for (long d : {-1L, 0L, 1L, 4L, 5L, 6L}) {
    const bytes m = blocks_summing_to(16, d);
    std::uint8_t tag[16], want[16] = {};
    crypto_onetimeauth_poly1305(tag, m.data(), m.size(), keys[1].data());
    if (d >= 0) want[0] = std::uint8_t(d);
    else { std::memset(want, 0xff, 16); want[0] = 0xfa; }  // p - 1 = 2^130 - 6 -> 2^128 - 6
    INFO("d=" << d);
    CHECK(std::memcmp(tag, want, 16) == 0);
  }
  // 0xff blocks with a partial tail (the final block without the 2^128 bit).
  for (std::size_t tail : {1, 8, 15}) msgs.push_back(bytes(16 * 40 + tail, 0xff));
  const kernel hw = darekit::detail::hardware_kernel(cpu());
  int runs = 0;
  for (int ki = 0; ki <= int(hw); ++ki) {
    force_kernel(kernel(ki));
    const kernel want_kernel = poly_kernel_for(kernel(ki));
    for (const auto& key : keys) {
      for (const auto& m : msgs) {
        std::uint8_t want[16], got[16];
        crypto_onetimeauth_poly1305(want, m.data(), m.size(), key.data());
        poly1305::reset_last_kernel();
        poly1305::mac(got, m.data(), m.size(), key.data());
        INFO("kernel " << to_string(kernel(ki)) << " key " << hex::encode(key) << " n " << m.size());
        CHECK(poly1305::last_kernel() == want_kernel);
        CHECK(hex::encode(byte_view(got, 16)) == hex::encode(byte_view(want, 16)));
        // Streamed in odd pieces through the same kernel.
        poly1305 p(key.data());
        for (std::size_t off = 0; off < m.size(); off += 333) p.update(m.data() + off, std::min<std::size_t>(333, m.size() - off));
        p.finish(got);
        CHECK(std::memcmp(got, want, 16) == 0);
        ++runs;
      }
    }
  }
  force_kernel(std::nullopt);
  CHECK(runs == int(keys.size() * msgs.size()) * (int(hw) + 1));
}
