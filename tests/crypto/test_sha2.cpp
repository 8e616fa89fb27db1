#include <catch2/catch.hpp>

#include "darekit/crypto/random.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/codec/hex.hpp"
#include "openssl_peer.hpp"
#include "test_util.hpp"

using namespace darekit;

TEST_CASE("SHA-2: FIPS 180-4 examples") {
  CHECK(hex::encode(hash<sha256>(as_bytes("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex::encode(hash<sha256>(as_bytes(""))) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex::encode(hash<sha512>(as_bytes("abc"))) ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  CHECK(hex::encode(hash<sha512>(as_bytes(
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))) ==
        "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
        "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
}

TEST_CASE("SHA-2: every length 0..300 and multi-megabyte inputs agree with OpenSSL") {
  const bytes data = random_bytes(3 * 1024 * 1024 + 17);
  for (std::size_t n = 0; n <= 300; ++n) {
    const byte_view v(data.data(), n);
    INFO("length " << n);
    CHECK(to_bytes(hash<sha256>(v)) == test::ossl_digest("SHA256", v));
    CHECK(to_bytes(hash<sha512>(v)) == test::ossl_digest("SHA512", v));
  }
  CHECK(to_bytes(hash<sha512>(data)) == test::ossl_digest("SHA512", data));
  CHECK(to_bytes(hash<sha256>(data)) == test::ossl_digest("SHA256", data));
}

TEST_CASE("SHA-2: streaming in odd pieces equals one shot") {
  const bytes data = random_bytes(100000);
  sha512 h;
  std::size_t off = 0, step = 1;
  while (off < data.size()) {
    const std::size_t n = std::min(step, data.size() - off);
    h.update(byte_view(data).subspan(off, n));
    off += n;
    step = step * 3 % 1031 + 1;
  }
  CHECK(h.finish() == hash<sha512>(data));
}
