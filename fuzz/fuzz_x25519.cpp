// Differential fuzzing of X25519 with fuzzer-chosen scalars and points: the batch API
// (the AVX-512 IFMA ladder on the avx512 tier, libsodium below it) and
// ckx::x25519_shared_secret under every kernel, against libsodium's crypto_scalarmult.
//
// Input: [0, 32) the scalar, then up to eight 32-byte u-coordinates (missing bytes read
// as zero; at least one point). A small-order point (libsodium returns -1) must give
// ok = 0 and an all-zero output; every other result must equal libsodium's.
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "darekit/ckx/batch.hpp"
#include "darekit/ckx/x25519.hpp"
#include "darekit/core/cpu.hpp"

using namespace darekit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (sodium_init() < 0) return 0;
  std::uint8_t k[32] = {};
  if (size) std::memcpy(k, data, std::min<std::size_t>(size, 32));
  const std::size_t rest = size > 32 ? size - 32 : 0;
  const std::size_t count = std::clamp<std::size_t>((rest + 31) / 32, 1, 8);
  std::vector<ckx::x25519_public> peers(count);
  for (std::size_t i = 0; i < count; ++i)
    if (32 * i < rest) std::memcpy(peers[i].data(), data + 32 + 32 * i, std::min<std::size_t>(32, rest - 32 * i));
  std::vector<std::array<std::uint8_t, 32>> want(count);
  std::vector<bool> want_ok(count);
  for (std::size_t i = 0; i < count; ++i) {
    want_ok[i] = crypto_scalarmult(want[i].data(), k, peers[i].data()) == 0;
    if (!want_ok[i]) want[i].fill(0);
  }
  std::array<std::uint8_t, 32> pub_want{};
  crypto_scalarmult_base(pub_want.data(), k);
  const ckx::x25519_secret sk{byte_view(k, 32)};
  for (kernel kt : {kernel::scalar, kernel::avx2, kernel::avx512}) {
    force_kernel(kt);
    if (ckx::x25519_public_of(sk) != pub_want) std::abort();
    std::array<ckx::x25519_shared, 8> out;
    std::array<std::uint8_t, 8> ok{};
    ckx::x25519_shared_batch(sk, peers, std::span(out).first(count), std::span(ok).first(count));
    for (std::size_t i = 0; i < count; ++i) {
      if (bool(ok[i]) != want_ok[i]) std::abort();
      if (std::memcmp(out[i].data(), want[i].data(), 32) != 0) std::abort();
      auto one = ckx::x25519_shared_secret(sk, peers[i]);
      if (one.has_value() != want_ok[i]) std::abort();
      if (one && std::memcmp(one->data(), want[i].data(), 32) != 0) std::abort();
    }
  }
  force_kernel(std::nullopt);
  return 0;
}
