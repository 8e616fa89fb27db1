// Multi-buffer hashing against OpenSSL: every length 0..4096, every lane position,
// large messages, prefixed messages, for whichever kernel this process runs
// (CTest runs this binary once per forced kernel).
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <numeric>

#include "darekit/crypto/sha2.hpp"
#include "darekit/crypto/sha3.hpp"
#include "darekit/hash.hpp"
#include "hash_test_util.hpp"

using namespace darekit;


namespace {

template <class H>
const char* ossl_name() {
  if constexpr (H::name == std::string_view("sha512")) return "SHA512";
  else if constexpr (H::name == std::string_view("sha256")) return "SHA256";
  else return "SHA3-512";
}

template <class H>
bytes oracle(byte_view m) { return test::ossl_digest(ossl_name<H>(), m); }

template <class H>
void check_all(const std::vector<byte_view>& views, const std::vector<typename H::digest_type>& out,
               byte_view prefix = {}) {
  std::size_t bad = 0;
  for (std::size_t i = 0; i < views.size(); ++i) {
    bytes m(prefix.begin(), prefix.end());
    append(m, views[i]);
    if (to_bytes(out[i]) != oracle<H>(m)) {
      if (bad++ < 5) FAIL_CHECK(std::string(H::name) << " message " << i << " of length " << views[i].size());
    }
  }
  CHECK(bad == 0);
}

template <class H>
void every_length_batch() {
  // One message of every length 0..4096 in one batch (lanes refill as messages end),
  // in increasing, decreasing and shuffled order.
  const bytes data = test::prng_bytes(4096 + 64, 7);
  std::vector<byte_view> views;
  for (std::size_t n = 0; n <= 4096; ++n) views.emplace_back(data.data() + (n % 61), n);
  for (int order = 0; order < 3; ++order) {
    if (order == 1) std::reverse(views.begin(), views.end());
    if (order == 2) std::shuffle(views.begin(), views.end(), std::mt19937(3));
    std::vector<typename H::digest_type> out(views.size());
    REQUIRE(hash_batch<H>(views, out));
    check_all<H>(views, out);
  }
}

template <class H>
void every_lane_position() {
  // Equal lengths around the block boundaries; 2*lanes+3 distinct messages so every lane
  // position and the remainder path are used.
  const std::size_t count = 2 * 16 + 3;
  const std::size_t B = H::block_size;
  for (std::size_t len : {std::size_t(0), std::size_t(1), B - 18, B - 17, B - 16, B - 9, B - 8, B - 1, B, B + 1,
                          2 * B - 17, 2 * B, std::size_t(1000), std::size_t(4096)}) {
    const bytes data = test::prng_bytes(count * len + 1, len);
    std::vector<byte_view> views;
    for (std::size_t i = 0; i < count; ++i) views.emplace_back(data.data() + i * len, len);
    for (std::size_t n : {std::size_t(1), std::size_t(3), std::size_t(4), std::size_t(8), std::size_t(9),
                          std::size_t(16), std::size_t(17), count}) {
      std::vector<typename H::digest_type> out(n);
      REQUIRE(hash_many<H>(std::span(views).first(n), out));
      check_all<H>({views.begin(), views.begin() + std::ptrdiff_t(n)}, out);
    }
  }
}

template <class H>
void large_and_mixed() {
  const bytes big = test::prng_bytes((3 << 20) + 5, 11);
  std::vector<byte_view> views;
  views.emplace_back(big.data(), big.size());
  for (std::size_t i = 0; i < 20; ++i) views.emplace_back(big.data() + i * 101, 300 + i * 57);
  views.emplace_back(big.data() + 1, 1 << 20);
  views.emplace_back(big.data() + 3, (1 << 20) + 129);
  std::vector<typename H::digest_type> out(views.size());
  REQUIRE(hash_batch<H>(views, out));
  check_all<H>(views, out);
}

template <class H>
void prefixed() {
  const bytes data = test::prng_bytes(9000, 5);
  std::vector<byte_view> views;
  for (std::size_t n : {0, 1, 63, 64, 70, 71, 72, 127, 128, 129, 255, 256, 4095, 4096, 8191})
    views.emplace_back(data.data() + 3, n);
  for (std::size_t pl : {std::size_t(1), std::size_t(2), std::size_t(17), std::size_t(63)}) {
    const bytes prefix = test::prng_bytes(pl, pl);
    std::vector<typename H::digest_type> out(views.size());
    REQUIRE(hash_batch_prefixed<H>(prefix, views, out));
    check_all<H>(views, out, prefix);
  }
}

template <class H>
void all_checks() {
  every_length_batch<H>();
  every_lane_position<H>();
  large_and_mixed<H>();
  prefixed<H>();
}

}  // namespace

TEST_CASE("hash_many SHA-512 agrees with OpenSSL") { all_checks<sha512>(); }
TEST_CASE("hash_many SHA-256 agrees with OpenSSL") { all_checks<sha256>(); }
TEST_CASE("hash_many SHA3-512 agrees with OpenSSL") { all_checks<sha3_512>(); }

TEST_CASE("hash_many agrees with darekit's single-buffer hashes") {
  const bytes data = test::prng_bytes(5000, 9);
  std::vector<byte_view> views;
  for (std::size_t i = 0; i < 37; ++i) views.emplace_back(data.data() + i, 4096);
  std::vector<digest512> out(views.size());
  REQUIRE(hash_many<sha512>(views, out));
  for (std::size_t i = 0; i < views.size(); ++i) CHECK(out[i] == hash<sha512>(views[i]));
  std::vector<digest256> out2(views.size());
  REQUIRE(hash_many<sha256>(views, out2));
  for (std::size_t i = 0; i < views.size(); ++i) CHECK(out2[i] == hash<sha256>(views[i]));
  std::vector<digest512> out3(views.size());
  REQUIRE(hash_many<sha3_512>(views, out3));
  for (std::size_t i = 0; i < views.size(); ++i) CHECK(out3[i] == hash<sha3_512>(views[i]));
}

TEST_CASE("hash_many rejects bad arguments") {
  const bytes data = test::prng_bytes(100, 1);
  std::vector<byte_view> views{byte_view(data.data(), 10), byte_view(data.data(), 11)};
  std::vector<digest512> out(2), short_out(1);
  auto r = hash_many<sha512>(views, out);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::invalid_argument);
  CHECK_FALSE(hash_batch<sha512>(views, short_out));
  CHECK(hash_batch<sha512>(views, out));
  std::vector<byte_view> none;
  std::vector<digest512> none_out;
  CHECK(hash_many<sha512>(none, none_out));
  const bytes long_prefix(128, 0);
  CHECK_FALSE(hash_batch_prefixed<sha512>(long_prefix, views, out));
}
