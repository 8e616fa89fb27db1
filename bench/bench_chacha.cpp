// ChaCha20-Poly1305 / XChaCha20-Poly1305 (IETF, detached tag): darekit vs libsodium
// 1.0.18 and OpenSSL 3 (EVP_chacha20_poly1305; OpenSSL has no XChaCha, so it appears
// in the 12-byte-nonce rows), same run. Also the two primitives alone.
#include <openssl/evp.h>
#include <sodium.h>

#include "bench_util.hpp"
#include "darekit/crypto/chacha20.hpp"
#include "darekit/crypto/chacha20poly1305.hpp"
#include "darekit/crypto/poly1305.hpp"

using namespace darekit;

namespace {
void aead_sizes(benchmark::internal::Benchmark* b) {
  for (long n : {1024L, 65536L, 1048576L}) b->Arg(n);
}

struct fixture {
  const bytes& in;
  const bytes& key;
  const bytes& nonce;
  const bytes& ad;
  bytes out;
  std::uint8_t tag[16] = {};
  explicit fixture(std::size_t n)
      : in(bench::buffer(n)), key(bench::buffer(32)), nonce(bench::buffer(24)), ad(bench::buffer(16)), out(n) {}
};

enum class impl { darekit, libsodium, openssl };

template <bool X, bool Seal, impl I>
void run(benchmark::State& st) {
  detail::ensure_sodium();
  fixture f(std::size_t(st.range(0)));
  const std::size_t n = f.in.size();
  // For open, prepare a valid ciphertext and tag first.
  bytes ct(n);
  std::uint8_t tag[16];
  if (X) xchacha20poly1305::seal(ct.data(), tag, f.in.data(), n, f.ad.data(), f.ad.size(), f.nonce.data(), f.key.data());
  else chacha20poly1305::seal(ct.data(), tag, f.in.data(), n, f.ad.data(), f.ad.size(), f.nonce.data(), f.key.data());
  EVP_CIPHER_CTX* ctx = nullptr;
  if constexpr (I == impl::openssl) {
    ctx = EVP_CIPHER_CTX_new();
    EVP_CipherInit_ex(ctx, EVP_chacha20_poly1305(), nullptr, nullptr, nullptr, Seal ? 1 : 0);
  }
  bool ok = true;
  for (auto _ : st) {
    if constexpr (I == impl::darekit) {
      if constexpr (Seal) {
        if (X) xchacha20poly1305::seal(f.out.data(), f.tag, f.in.data(), n, f.ad.data(), f.ad.size(), f.nonce.data(), f.key.data());
        else chacha20poly1305::seal(f.out.data(), f.tag, f.in.data(), n, f.ad.data(), f.ad.size(), f.nonce.data(), f.key.data());
      } else {
        ok &= X ? xchacha20poly1305::open(f.out.data(), ct.data(), n, tag, f.ad.data(), f.ad.size(), f.nonce.data(), f.key.data())
                : chacha20poly1305::open(f.out.data(), ct.data(), n, tag, f.ad.data(), f.ad.size(), f.nonce.data(), f.key.data());
      }
    } else if constexpr (I == impl::libsodium) {
      unsigned long long maclen = 0;
      if constexpr (Seal) {
        if (X) crypto_aead_xchacha20poly1305_ietf_encrypt_detached(f.out.data(), f.tag, &maclen, f.in.data(), n, f.ad.data(), f.ad.size(), nullptr, f.nonce.data(), f.key.data());
        else crypto_aead_chacha20poly1305_ietf_encrypt_detached(f.out.data(), f.tag, &maclen, f.in.data(), n, f.ad.data(), f.ad.size(), nullptr, f.nonce.data(), f.key.data());
      } else {
        ok &= (X ? crypto_aead_xchacha20poly1305_ietf_decrypt_detached(f.out.data(), nullptr, ct.data(), n, tag, f.ad.data(), f.ad.size(), f.nonce.data(), f.key.data())
                 : crypto_aead_chacha20poly1305_ietf_decrypt_detached(f.out.data(), nullptr, ct.data(), n, tag, f.ad.data(), f.ad.size(), f.nonce.data(), f.key.data())) == 0;
      }
    } else {
      int len = 0;
      EVP_CipherInit_ex(ctx, nullptr, nullptr, f.key.data(), f.nonce.data(), Seal ? 1 : 0);
      EVP_CipherUpdate(ctx, nullptr, &len, f.ad.data(), int(f.ad.size()));
      if constexpr (Seal) {
        EVP_CipherUpdate(ctx, f.out.data(), &len, f.in.data(), int(n));
        EVP_CipherFinal_ex(ctx, f.out.data() + len, &len);
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, f.tag);
      } else {
        EVP_CipherUpdate(ctx, f.out.data(), &len, ct.data(), int(n));
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, tag);
        ok &= EVP_CipherFinal_ex(ctx, f.out.data() + len, &len) == 1;
      }
    }
    benchmark::DoNotOptimize(f.out.data());
    benchmark::ClobberMemory();
  }
  if (ctx) EVP_CIPHER_CTX_free(ctx);
  // Every open (OpenSSL's uses the first 12 bytes of the same nonce) must verify.
  if (!ok) st.SkipWithError("open failed");
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
  st.SetLabel(std::string(to_string(chacha20::last_kernel())) + "/poly:" + std::string(to_string(poly1305::last_kernel())));
}

void chacha20_darekit(benchmark::State& st) {
  const auto& in = bench::buffer(std::size_t(st.range(0)));
  const auto& key = bench::buffer(32);
  bytes out(in.size());
  for (auto _ : st) {
    chacha20::xor_stream(out.data(), in.data(), in.size(), key.data(), key.data(), 1);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}
void chacha20_libsodium(benchmark::State& st) {
  const auto& in = bench::buffer(std::size_t(st.range(0)));
  const auto& key = bench::buffer(32);
  bytes out(in.size());
  for (auto _ : st) {
    crypto_stream_chacha20_ietf_xor_ic(out.data(), in.data(), in.size(), key.data(), 1, key.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}
void poly1305_darekit(benchmark::State& st) {
  const auto& in = bench::buffer(std::size_t(st.range(0)));
  const auto& key = bench::buffer(32);
  std::uint8_t tag[16];
  for (auto _ : st) {
    poly1305::mac(tag, in.data(), in.size(), key.data());
    benchmark::DoNotOptimize(tag);
  }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}
void poly1305_libsodium(benchmark::State& st) {
  const auto& in = bench::buffer(std::size_t(st.range(0)));
  const auto& key = bench::buffer(32);
  std::uint8_t tag[16];
  for (auto _ : st) {
    crypto_onetimeauth_poly1305(tag, in.data(), in.size(), key.data());
    benchmark::DoNotOptimize(tag);
  }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}
}  // namespace

static void BM_xchacha20poly1305_seal_darekit(benchmark::State& st) { run<true, true, impl::darekit>(st); }
static void BM_xchacha20poly1305_seal_libsodium(benchmark::State& st) { run<true, true, impl::libsodium>(st); }
static void BM_xchacha20poly1305_open_darekit(benchmark::State& st) { run<true, false, impl::darekit>(st); }
static void BM_xchacha20poly1305_open_libsodium(benchmark::State& st) { run<true, false, impl::libsodium>(st); }
static void BM_chacha20poly1305_seal_darekit(benchmark::State& st) { run<false, true, impl::darekit>(st); }
static void BM_chacha20poly1305_seal_libsodium(benchmark::State& st) { run<false, true, impl::libsodium>(st); }
static void BM_chacha20poly1305_seal_openssl(benchmark::State& st) { run<false, true, impl::openssl>(st); }
static void BM_chacha20poly1305_open_darekit(benchmark::State& st) { run<false, false, impl::darekit>(st); }
static void BM_chacha20poly1305_open_libsodium(benchmark::State& st) { run<false, false, impl::libsodium>(st); }
static void BM_chacha20poly1305_open_openssl(benchmark::State& st) { run<false, false, impl::openssl>(st); }
static void BM_chacha20_xor_darekit(benchmark::State& st) { chacha20_darekit(st); }
static void BM_chacha20_xor_libsodium(benchmark::State& st) { chacha20_libsodium(st); }
static void BM_poly1305_darekit(benchmark::State& st) { poly1305_darekit(st); }
static void BM_poly1305_libsodium(benchmark::State& st) { poly1305_libsodium(st); }
BENCHMARK(BM_xchacha20poly1305_seal_darekit)->Apply(aead_sizes);
BENCHMARK(BM_xchacha20poly1305_seal_libsodium)->Apply(aead_sizes);
BENCHMARK(BM_xchacha20poly1305_open_darekit)->Apply(aead_sizes);
BENCHMARK(BM_xchacha20poly1305_open_libsodium)->Apply(aead_sizes);
BENCHMARK(BM_chacha20poly1305_seal_darekit)->Apply(aead_sizes);
BENCHMARK(BM_chacha20poly1305_seal_libsodium)->Apply(aead_sizes);
BENCHMARK(BM_chacha20poly1305_seal_openssl)->Apply(aead_sizes);
BENCHMARK(BM_chacha20poly1305_open_darekit)->Apply(aead_sizes);
BENCHMARK(BM_chacha20poly1305_open_libsodium)->Apply(aead_sizes);
BENCHMARK(BM_chacha20poly1305_open_openssl)->Apply(aead_sizes);
BENCHMARK(BM_chacha20_xor_darekit)->Apply(aead_sizes);
BENCHMARK(BM_chacha20_xor_libsodium)->Apply(aead_sizes);
BENCHMARK(BM_poly1305_darekit)->Apply(aead_sizes);
BENCHMARK(BM_poly1305_libsodium)->Apply(aead_sizes);
