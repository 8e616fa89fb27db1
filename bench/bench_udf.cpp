// UDF: streaming content digest vs plain streaming SHA-512 (the UDF layer must add
// nothing measurable), and ns/op of the small operations.
//   darekit_bench --benchmark_filter='udf' --benchmark_min_time=0.2
#include "bench_util.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/udf.hpp"

using namespace darekit;

namespace {
constexpr std::size_t big = std::size_t(256) << 20;  // 256 MiB, streamed in 1 MiB pieces
constexpr std::size_t piece = std::size_t(1) << 20;

void BM_udf_stream_256MiB_udf_digest(benchmark::State& st) {
  const auto& in = bench::buffer(big);
  for (auto _ : st) {
    udf::digest_stream ds("application/octet-stream");
    for (std::size_t off = 0; off < big; off += piece) ds.update(byte_view(in).subspan(off, piece));
    auto v = ds.finish();
    auto s = udf::to_string(*v);
    benchmark::DoNotOptimize(s);
  }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * std::int64_t(big));
}
void BM_udf_stream_256MiB_hash_sha512(benchmark::State& st) {  // peer: what `darekit hash` does
  const auto& in = bench::buffer(big);
  for (auto _ : st) {
    sha512 h;
    for (std::size_t off = 0; off < big; off += piece) h.update(byte_view(in).subspan(off, piece));
    auto d = h.finish();
    benchmark::DoNotOptimize(d);
  }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * std::int64_t(big));
}

void BM_udf_content_digest_64B(benchmark::State& st) {  // digest + 140-bit presentation
  const auto& in = bench::buffer(64);
  for (auto _ : st) {
    auto v = udf::content_digest(in, "text/plain");
    auto s = udf::to_string(*v);
    benchmark::DoNotOptimize(s);
  }
  st.SetItemsProcessed(std::int64_t(st.iterations()));
}
void BM_udf_content_digest_64B_peer_two_sha512(benchmark::State& st) {  // the two hashes alone
  const auto& in = bench::buffer(64);
  for (auto _ : st) {
    auto cdv = hash<sha512>(in);
    sha512 h;
    h.update(as_bytes("text/plain:"));
    h.update(cdv);
    auto t = h.finish();
    benchmark::DoNotOptimize(t);
  }
  st.SetItemsProcessed(std::int64_t(st.iterations()));
}
void BM_udf_parse_140(benchmark::State& st) {
  for (auto _ : st) {
    auto v = udf::parse("MDDK-7N6A-727A-JZNO-STRX-XKS7-DJAF");
    benchmark::DoNotOptimize(v);
  }
  st.SetItemsProcessed(std::int64_t(st.iterations()));
}
void BM_udf_parse_520(benchmark::State& st) {
  const std::string s =
      "MGHB-JWIZ-J3LA-EEWD-GCT3-WX6H-C5W2-5GSW-PSUC-UIY7-SZ26-2UYQ-5TUP-EYAU-ETIM-RPCV-HXAH-B526-QY4B-"
      "UC6L-KWOL-FB4B-E77T-Z3HC-6CIK-AAAA";
  for (auto _ : st) {
    auto v = udf::parse(s);
    benchmark::DoNotOptimize(v);
  }
  st.SetItemsProcessed(std::int64_t(st.iterations()));
}
void BM_udf_shamir_split_3of5_32B(benchmark::State& st) {
  const auto& secret = bench::buffer(32);
  (void)udf::split(secret, 3, 5);  // per-prime constants computed once, outside the loop
  for (auto _ : st) {
    auto s = udf::split(secret, 3, 5);
    benchmark::DoNotOptimize(s);
  }
  st.SetItemsProcessed(std::int64_t(st.iterations()));
}
void BM_udf_shamir_recover_3of5_32B(benchmark::State& st) {
  const auto& secret = bench::buffer(32);
  auto shares = *udf::split(secret, 3, 5);
  const std::vector<udf::value> pick = {shares[0], shares[2], shares[4]};
  for (auto _ : st) {
    auto r = udf::recover(pick);
    benchmark::DoNotOptimize(r);
  }
  st.SetItemsProcessed(std::int64_t(st.iterations()));
}
void BM_udf_key_identifier_from_seed(benchmark::State& st) {
  const auto seed = udf::make_key_seed(udf::key_alg::x25519, bench::buffer(32));
  for (auto _ : st) {
    auto kp = udf::derive_key(seed);
    auto id = udf::key_identifier(*kp);
    benchmark::DoNotOptimize(id);
  }
  st.SetItemsProcessed(std::int64_t(st.iterations()));
}
}  // namespace

BENCHMARK(BM_udf_stream_256MiB_udf_digest)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_udf_stream_256MiB_hash_sha512)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_udf_content_digest_64B);
BENCHMARK(BM_udf_content_digest_64B_peer_two_sha512);
BENCHMARK(BM_udf_parse_140);
BENCHMARK(BM_udf_parse_520);
BENCHMARK(BM_udf_shamir_split_3of5_32B);
BENCHMARK(BM_udf_shamir_recover_3of5_32B);
BENCHMARK(BM_udf_key_identifier_from_seed);
