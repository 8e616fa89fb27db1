// AES-256-CBC encrypt and decrypt: darekit (AES-NI) vs OpenSSL EVP, same run.
// Both sides reuse a key schedule and an output buffer, and process whole blocks
// (the PKCS#7 block at the end costs the same on both sides and is left out).
#include <openssl/evp.h>

#include "bench_util.hpp"
#include "darekit/crypto/aes.hpp"

using namespace darekit;

namespace {
void cbc_sizes(benchmark::internal::Benchmark* b) {
  for (long n : {1024L, 16384L, 1048576L}) b->Arg(n);
}

void darekit_cbc(benchmark::State& st, bool encrypt) {
  const auto& in = bench::buffer(std::size_t(st.range(0)));
  const auto& key = bench::buffer(32);
  auto k = aes256::create(key);
  if (!k) { st.SkipWithError(k.err().what().c_str()); return; }
  bytes out(in.size());
  std::uint8_t iv[16] = {};
  const std::size_t blocks = in.size() / 16;
  for (auto _ : st) {
    if (encrypt) k->cbc_encrypt(iv, in.data(), out.data(), blocks);
    else k->cbc_decrypt(iv, in.data(), out.data(), blocks);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}

void openssl_cbc(benchmark::State& st, bool encrypt) {
  const auto& in = bench::buffer(std::size_t(st.range(0)));
  const auto& key = bench::buffer(32);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  std::uint8_t iv[16] = {};
  EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key.data(), iv, encrypt ? 1 : 0);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  bytes out(in.size() + 16);
  int len = 0;
  for (auto _ : st) {
    EVP_CipherUpdate(ctx, out.data(), &len, in.data(), int(in.size()));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  EVP_CIPHER_CTX_free(ctx);
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}
}  // namespace

static void BM_aes256_cbc_encrypt_darekit(benchmark::State& st) { darekit_cbc(st, true); }
static void BM_aes256_cbc_encrypt_openssl(benchmark::State& st) { openssl_cbc(st, true); }
static void BM_aes256_cbc_decrypt_darekit(benchmark::State& st) { darekit_cbc(st, false); }
static void BM_aes256_cbc_decrypt_openssl(benchmark::State& st) { openssl_cbc(st, false); }
BENCHMARK(BM_aes256_cbc_encrypt_darekit)->Apply(cbc_sizes);
BENCHMARK(BM_aes256_cbc_encrypt_openssl)->Apply(cbc_sizes);
BENCHMARK(BM_aes256_cbc_decrypt_darekit)->Apply(cbc_sizes);
BENCHMARK(BM_aes256_cbc_decrypt_openssl)->Apply(cbc_sizes);
