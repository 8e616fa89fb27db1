// Proof of which kernel ran: the dispatch record of every algorithm names the kernel
// expected from the hardware and DAREKIT_FORCE_KERNEL, and force_kernel() switches it.
#include <catch2/catch.hpp>

#include "darekit/crypto/sha2.hpp"
#include "darekit/crypto/sha3.hpp"
#include "darekit/hash.hpp"
#include "hash_test_util.hpp"

using namespace darekit;


namespace {
template <class H>
typename H::digest_type run_once(const bytes& data) {
  std::vector<byte_view> views(9, byte_view(data));
  std::vector<typename H::digest_type> out(views.size());
  REQUIRE(hash_many<H>(views, out));
  for (auto& d : out) CHECK(d == out[0]);
  return out[0];
}

template <class H>
void check_dispatch(std::size_t lanes_avx2, std::size_t lanes_avx512) {
  const bytes data = test::prng_bytes(1000, 42);
  const kernel want = test::expected_kernel();
  INFO(std::string(H::name) << ": expecting kernel " << to_string(want) << " (hardware "
                            << to_string(detail::hardware_kernel(cpu())) << ")");
  reset_hash_kernel_stats();
  CHECK_FALSE(hash_kernel_stats<H>().any);
  const auto ref = run_once<H>(data);
  auto rec = hash_kernel_stats<H>();
  CHECK(rec.any);
  CHECK(rec.last == want);
  CHECK(rec.hits[std::size_t(want)] == 1);
  CHECK(hash_lanes<H>() == (want == kernel::avx512 ? lanes_avx512 : want == kernel::avx2 ? lanes_avx2 : 1));

  // Every kernel the hardware has, forced at run time, is the one that runs, and agrees.
  const kernel hw = detail::hardware_kernel(cpu());
  for (int k = 0; k <= int(hw); ++k) {
    force_kernel(kernel(k));
    reset_hash_kernel_stats();
    CHECK(run_once<H>(data) == ref);
    rec = hash_kernel_stats<H>();
    CHECK(rec.last == kernel(k));
    CHECK(rec.hits[std::size_t(k)] == 1);
  }
  force_kernel(std::nullopt);
  CHECK(active_kernel() == want);
}
}  // namespace

TEST_CASE("dispatch: the expected kernel runs for SHA-512") { check_dispatch<sha512>(4, 8); }
TEST_CASE("dispatch: the expected kernel runs for SHA-256") { check_dispatch<sha256>(8, 16); }
TEST_CASE("dispatch: the expected kernel runs for SHA3-512") { check_dispatch<sha3_512>(4, 8); }

TEST_CASE("dispatch: this machine's kernel is reported") {
  // On the project's AVX-512 machine, an unforced run must use the AVX-512 kernels.
  WARN("hardware kernel: " << to_string(detail::hardware_kernel(cpu())) << ", active: " << to_string(active_kernel()));
  if (cpu().avx512f && cpu().avx512bw && cpu().avx512vl && !std::getenv("DAREKIT_FORCE_KERNEL"))
    CHECK(active_kernel() == kernel::avx512);
}

TEST_CASE("dispatch: the single-buffer SHA-512 path follows DAREKIT_FORCE_KERNEL") {
  const bool bmi = cpu().bmi2 && detail::cpu_has_bmi1();
  const kernel want = test::expected_kernel() >= kernel::avx512 && bmi && cpu().avx512vl ? kernel::avx512
                      : test::expected_kernel() >= kernel::avx2 && bmi              ? kernel::avx2
                                                                                    : kernel::scalar;
  CHECK(detail::sha512_single_buffer_kernel() == want);
  // And it is chosen once: a later force_kernel() does not change it.
  force_kernel(kernel::scalar);
  CHECK(detail::sha512_single_buffer_kernel() == want);
  force_kernel(std::nullopt);
}

TEST_CASE("dispatch: the single-buffer SHA-256 path uses SHA-NI when present and not forced scalar") {
  const bool want = test::expected_kernel() >= kernel::avx2 && cpu().sha_ni && cpu().sse41 && cpu().ssse3;
  CHECK(detail::sha256_uses_shani() == want);
}
