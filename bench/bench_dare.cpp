// DARE envelopes: encode+decode of one buffer (JSON-B form, one X25519 recipient,
// streaming writer and reader) against raw libsodium AEAD encrypt+decrypt of the same
// bytes in the same run. Sizes 1 MiB and 64 MiB. The in-memory forms of the API are
// used (encrypting into / decrypting into a byte vector, 1 MiB writes).
#include <sodium.h>

#include "bench_util.hpp"
#include "darekit/dare.hpp"

using namespace darekit;

namespace {
const udf::key_pair& bob() {
  static const udf::key_pair k = udf::derive_key(udf::generate_key_seed(udf::key_alg::x25519)).value();
  return k;
}
void sizes(benchmark::internal::Benchmark* b) { b->Arg(1 << 20)->Arg(64 << 20)->Unit(benchmark::kMillisecond); }

void envelope_roundtrip(benchmark::State& st, dare::enc_alg enc) {
  if (enc == dare::enc_alg::a256gcm && !darekit::aes256gcm_available()) { st.SkipWithError("no AES-NI"); return; }
  const auto n = std::size_t(st.range(0));
  const bytes& p = bench::buffer(n);
  bytes env, out;
  // touch the output pages once, as the peer's value-initialised buffers are
  env.resize(n + n / 32 + 4096);
  out.resize(n);
  dare::encode_options o;
  o.enc = enc;
  o.form = dare::encoding::jsonb;
  o.recipients = {dare::public_of(bob())};
  dare::decode_options d;
  d.keys = {bob()};
  for (auto _ : st) {
    env.clear();
    out.clear();
    auto w = dare::envelope_writer::create(env, o);
    for (std::size_t at = 0; at < n; at += 1 << 20) (void)w->write(byte_view(p).subspan(at, std::min<std::size_t>(1 << 20, n - at)));
    (void)w->finish();
    auto r = dare::decode(env, out, d);
    if (!r || out.size() != n) st.SkipWithError("decode failed");
    benchmark::DoNotOptimize(out.data());
  }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * std::int64_t(n));
}

template <bool Gcm>
void raw_roundtrip(benchmark::State& st) {
  if (Gcm && !crypto_aead_aes256gcm_is_available()) { st.SkipWithError("no AES-NI"); return; }
  const auto n = std::size_t(st.range(0));
  const bytes& p = bench::buffer(n);
  bytes c(n + 16), m(n);
  std::uint8_t key[32], nonce[24];
  random_fill(byte_span(key, 32));
  random_fill(byte_span(nonce, 24));
  for (auto _ : st) {
    unsigned long long cl = 0, ml = 0;
    if constexpr (Gcm) {
      crypto_aead_aes256gcm_encrypt(c.data(), &cl, p.data(), n, nullptr, 0, nullptr, nonce, key);
      if (crypto_aead_aes256gcm_decrypt(m.data(), &ml, nullptr, c.data(), cl, nullptr, 0, nonce, key) != 0) st.SkipWithError("bad");
    } else {
      crypto_aead_xchacha20poly1305_ietf_encrypt(c.data(), &cl, p.data(), n, nullptr, 0, nullptr, nonce, key);
      if (crypto_aead_xchacha20poly1305_ietf_decrypt(m.data(), &ml, nullptr, c.data(), cl, nullptr, 0, nonce, key) != 0) st.SkipWithError("bad");
    }
    benchmark::DoNotOptimize(m.data());
  }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * std::int64_t(n));
}

void BM_dare_envelope_xc20p(benchmark::State& st) { envelope_roundtrip(st, dare::enc_alg::xc20p); }
void BM_dare_envelope_a256gcm(benchmark::State& st) { envelope_roundtrip(st, dare::enc_alg::a256gcm); }
void BM_dare_raw_sodium_xc20p(benchmark::State& st) { raw_roundtrip<false>(st); }
void BM_dare_raw_sodium_a256gcm(benchmark::State& st) { raw_roundtrip<true>(st); }
}  // namespace

BENCHMARK(BM_dare_envelope_xc20p)->Apply(sizes);
BENCHMARK(BM_dare_raw_sodium_xc20p)->Apply(sizes);
BENCHMARK(BM_dare_envelope_a256gcm)->Apply(sizes);
BENCHMARK(BM_dare_raw_sodium_a256gcm)->Apply(sizes);
