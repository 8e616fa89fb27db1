#include <catch2/catch.hpp>

#include <openssl/evp.h>

#include <cstring>

#include "darekit/codec/hex.hpp"
#include "darekit/crypto/hmac.hpp"
#include "darekit/crypto/random.hpp"
#include "darekit/crypto/sha3.hpp"
#include "openssl_peer.hpp"
#include "test_util.hpp"

using namespace darekit;

namespace {
/// SHAKE output of `n` bytes from OpenSSL ("SHAKE128" / "SHAKE256").
bytes ossl_xof(const char* name, byte_view data, std::size_t n) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bytes out(n);
  EVP_DigestInit_ex(ctx, md, nullptr);
  EVP_DigestUpdate(ctx, data.data(), data.size());
  EVP_DigestFinalXOF(ctx, out.data(), n);
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  return out;
}
}  // namespace

TEST_CASE("Keccak: tables match FIPS 202 definitions") {
  // rho offsets: t-th lane on the (x,y) -> (y, 2x+3y) walk from (1,0) rotates by (t+1)(t+2)/2.
  unsigned x = 1, y = 0;
  CHECK(detail::keccak_rho_offsets[0] == 0);
  for (unsigned t = 0; t < 24; ++t) {
    CHECK(detail::keccak_rho_offsets[x + 5 * y] == ((t + 1) * (t + 2) / 2) % 64);
    const unsigned nx = y, ny = (2 * x + 3 * y) % 5;
    x = nx; y = ny;
  }
  // round constants from the rc(t) LFSR (FIPS 202 Algorithm 5).
  auto rc_bit = [](unsigned t) {
    if (t % 255 == 0) return 1u;
    unsigned r = 0x01;
    for (unsigned i = 1; i <= t % 255; ++i) {
      r <<= 1;
      if (r & 0x100) r ^= 0x171;
    }
    return r & 1u;
  };
  for (unsigned ir = 0; ir < 24; ++ir) {
    std::uint64_t rc = 0;
    for (unsigned j = 0; j <= 6; ++j)
      if (rc_bit(j + 7 * ir)) rc |= std::uint64_t(1) << ((1u << j) - 1);
    CHECK(detail::keccak_round_constants[ir] == rc);
  }
}

TEST_CASE("SHA-3: FIPS 202 examples") {
  const bytes a3(200, 0xa3);  // the 1600-bit message
  CHECK(hex::encode(hash<sha3_256>(as_bytes(""))) ==
        "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  CHECK(hex::encode(hash<sha3_256>(as_bytes("abc"))) ==
        "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  CHECK(hex::encode(hash<sha3_256>(a3)) ==
        "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787");
  CHECK(hex::encode(hash<sha3_512>(as_bytes(""))) ==
        "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a6"
        "15b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26");
  CHECK(hex::encode(hash<sha3_512>(as_bytes("abc"))) ==
        "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
        "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0");
  CHECK(hex::encode(hash<sha3_512>(a3)) ==
        "e76dfad22084a8b1467fcf2ffa58361bec7628edf5f3fdc0e4805dc48caeeca8"
        "1b7c13c30adf52a3659584739a2df46be589c51ca1a4a8416df6545a1ce8ba00");
  CHECK(hex::encode(shake128::hash(as_bytes(""), 32)) ==
        "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
  CHECK(hex::encode(shake128::hash(a3, 32)) ==
        "131ab8d2b594946b9c81333f9bb6e0ce75c3b93104fa3469d3917457385da037");
  CHECK(hex::encode(shake256::hash(as_bytes(""), 64)) ==
        "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f"
        "d75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be");
  CHECK(hex::encode(shake256::hash(a3, 32)) ==
        "cd8a920ed141aa0407a22d59288652e9d9f1a7ee0c1e7c1ca699424da84a904d");
  CHECK(sha3_256::block_size == 136);
  CHECK(sha3_512::block_size == 72);
  CHECK(sha3_512::name == "sha3-512");
}

TEST_CASE("SHA-3: every length 0..300 and multi-megabyte inputs agree with OpenSSL") {
  const bytes data = random_bytes(3 * 1024 * 1024 + 17);
  for (std::size_t n = 0; n <= 300; ++n) {
    const byte_view v(data.data(), n);
    INFO("length " << n);
    CHECK(to_bytes(hash<sha3_256>(v)) == test::ossl_digest("SHA3-256", v));
    CHECK(to_bytes(hash<sha3_512>(v)) == test::ossl_digest("SHA3-512", v));
    CHECK(shake128::hash(v, 32) == ossl_xof("SHAKE128", v, 32));
    CHECK(shake256::hash(v, 64) == ossl_xof("SHAKE256", v, 64));
  }
  for (std::size_t n : {std::size_t(1024 * 1024), data.size()}) {
    const byte_view v(data.data(), n);
    INFO("length " << n);
    CHECK(to_bytes(hash<sha3_256>(v)) == test::ossl_digest("SHA3-256", v));
    CHECK(to_bytes(hash<sha3_512>(v)) == test::ossl_digest("SHA3-512", v));
    CHECK(shake128::hash(v, 200) == ossl_xof("SHAKE128", v, 200));
    CHECK(shake256::hash(v, 200) == ossl_xof("SHAKE256", v, 200));
  }
}

TEST_CASE("SHA-3: streaming in odd pieces equals one-shot") {
  const bytes data = random_bytes(100000);
  const auto want512 = hash<sha3_512>(data);
  const auto want256 = hash<sha3_256>(data);
  const auto want_x = shake256::hash(data, 1000);
  for (std::size_t piece : {1u, 3u, 7u, 71u, 72u, 73u, 135u, 136u, 137u, 168u, 1000u, 4099u}) {
    INFO("piece " << piece);
    sha3_512 h512;
    sha3_256 h256;
    shake256 x;
    for (std::size_t off = 0; off < data.size(); off += piece) {
      const byte_view v(data.data() + off, std::min(piece, data.size() - off));
      h512.update(v);
      h256.update(v);
      x.absorb(v);
    }
    CHECK(h512.finish() == want512);
    CHECK(h256.finish() == want256);
    // Squeeze in odd pieces too.
    auto r = x.finish();
    bytes got(want_x.size());
    for (std::size_t off = 0; off < got.size(); off += piece)
      r.squeeze(byte_span(got.data() + off, std::min(piece, got.size() - off)));
    CHECK(got == want_x);
  }
}

TEST_CASE("SHAKE: long outputs and continued squeezing agree with OpenSSL") {
  const bytes msg = random_bytes(500);
  for (std::size_t n : {0u, 1u, 167u, 168u, 169u, 336u, 1000u, 5000u}) {
    INFO("output " << n);
    CHECK(shake128::hash(msg, n) == ossl_xof("SHAKE128", msg, n));
    CHECK(shake256::hash(msg, n) == ossl_xof("SHAKE256", msg, n));
  }
  shake128 x;
  x.absorb(msg);
  auto r = x.finish();
  bytes a = r.read(100), b = r.read(300);
  CHECK(concat(a, b) == ossl_xof("SHAKE128", msg, 400));
}

TEST_CASE("SHA-3: copies fork the state; HMAC-SHA3 agrees with OpenSSL") {
  sha3_512 h;
  h.update(as_bytes("hello "));
  sha3_512 fork = h;
  h.update(as_bytes("world"));
  fork.update(as_bytes("there"));
  CHECK(to_bytes(h.finish()) == test::ossl_digest("SHA3-512", as_bytes("hello world")));
  CHECK(to_bytes(fork.finish()) == test::ossl_digest("SHA3-512", as_bytes("hello there")));
  const bytes data = random_bytes(777);
  for (std::size_t klen : {0u, 16u, 72u, 73u, 136u, 137u, 200u}) {
    const bytes key = random_bytes(klen);
    INFO("key length " << klen);
    CHECK(to_bytes(hmac<sha3_512>::mac(key, data)) == test::ossl_hmac("SHA3-512", key, data));
    CHECK(to_bytes(hmac<sha3_256>::mac(key, data)) == test::ossl_hmac("SHA3-256", key, data));
  }
}

TEST_CASE("Keccak: portable and BMI builds of the permutation agree") {
  std::uint64_t a[25], b[25];
  const bytes seed = random_bytes(sizeof a);
  std::memcpy(a, seed.data(), sizeof a);
  std::memcpy(b, seed.data(), sizeof b);
  detail::keccak_f1600_portable(a);
  detail::keccak_f1600(b);  // BMI build where the CPU has it
  CHECK(std::memcmp(a, b, sizeof a) == 0);
  const bytes msg = random_bytes(72 * 5);
  detail::keccak_absorb_portable<72>(a, msg.data(), 5);
  detail::keccak_absorb_blocks<72>(b, msg.data(), 5);
  CHECK(std::memcmp(a, b, sizeof a) == 0);
  // Keccak-f[1600] of the all-zero state: first lane from the Keccak team's KeccakF-1600 test output.
  std::uint64_t z[25] = {};
  detail::keccak_f1600_portable(z);
  CHECK(z[0] == 0xF1258F7940E1DDE7ULL);
  CHECK(z[24] == 0xEAF1FF7B5CECA249ULL);
}
