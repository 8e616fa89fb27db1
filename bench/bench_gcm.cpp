// AES-256-GCM seal/open: darekit vs libsodium (precomputed state, _afternm) vs OpenSSL 3
// EVP_aes_256_gcm, same run. Every side reuses its key state and output buffer, uses a
// fresh 12-byte nonce per message (changed in place) and 33 bytes of AD (DARE's chunk AD).
// The *_darekit_avx2 variants force the AES-NI/PCLMULQDQ xmm kernel.
#include <openssl/evp.h>
#include <sodium.h>

#include <optional>

#include "bench_util.hpp"
#include "darekit/crypto/aes_gcm.hpp"

using namespace darekit;

namespace {
void gcm_sizes(benchmark::internal::Benchmark* b) {
  for (long n : {1024L, 65536L, 1048576L}) b->Arg(n);
}

constexpr std::size_t ad_len = 33;

void bump(std::uint8_t* nonce) {
  for (int i = 11; i >= 0 && ++nonce[i] == 0; --i) {}
}

void darekit_gcm(benchmark::State& st, bool seal, std::optional<kernel> forced) {
  const auto& m = bench::buffer(std::size_t(st.range(0)));
  const auto& key = bench::buffer(32);
  const auto& ad = bench::buffer(ad_len);
  auto g = aes256gcm::create(key);
  if (!g) { st.SkipWithError(g.err().what().c_str()); return; }
  if (forced) force_kernel(*forced);
  std::uint8_t nonce[12] = {}, tag[16];
  bytes ct(m.size()), out(m.size());
  (void)g->seal(ct.data(), tag, m.data(), m.size(), ad.data(), ad.size(), nonce);
  bool ok = true;
  for (auto _ : st) {
    if (seal) {
      bump(nonce);
      (void)g->seal(ct.data(), tag, m.data(), m.size(), ad.data(), ad.size(), nonce);
      benchmark::DoNotOptimize(tag);
    } else {
      ok &= g->open(out.data(), ct.data(), ct.size(), tag, ad.data(), ad.size(), nonce);
    }
    benchmark::ClobberMemory();
  }
  const gcm_kernel used = aes256gcm::last_kernel();
  st.SetLabel(used == gcm_kernel::vaes_avx512        ? "vaes_avx512"
              : used == gcm_kernel::aesni_pclmul_avx ? "aesni_pclmul_avx"
                                                     : "aesni_pclmul");
  if (forced) force_kernel(std::nullopt);
  if (!ok) st.SkipWithError("open failed");
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}

void sodium_gcm(benchmark::State& st, bool seal) {
  if (sodium_init() < 0 || !crypto_aead_aes256gcm_is_available()) { st.SkipWithError("no libsodium AES-GCM"); return; }
  const auto& m = bench::buffer(std::size_t(st.range(0)));
  const auto& key = bench::buffer(32);
  const auto& ad = bench::buffer(ad_len);
  alignas(16) crypto_aead_aes256gcm_state state;
  crypto_aead_aes256gcm_beforenm(&state, key.data());
  std::uint8_t nonce[12] = {}, tag[16];
  unsigned long long taglen = 0;
  bytes ct(m.size()), out(m.size());
  crypto_aead_aes256gcm_encrypt_detached_afternm(ct.data(), tag, &taglen, m.data(), m.size(), ad.data(), ad.size(),
                                                 nullptr, nonce, &state);
  bool ok = true;
  for (auto _ : st) {
    if (seal) {
      bump(nonce);
      crypto_aead_aes256gcm_encrypt_detached_afternm(ct.data(), tag, &taglen, m.data(), m.size(), ad.data(), ad.size(),
                                                     nullptr, nonce, &state);
      benchmark::DoNotOptimize(tag);
    } else {
      ok &= crypto_aead_aes256gcm_decrypt_detached_afternm(out.data(), nullptr, ct.data(), ct.size(), tag, ad.data(),
                                                           ad.size(), nonce, &state) == 0;
    }
    benchmark::ClobberMemory();
  }
  if (!ok) st.SkipWithError("open failed");
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}

void openssl_gcm(benchmark::State& st, bool seal) {
  const auto& m = bench::buffer(std::size_t(st.range(0)));
  const auto& key = bench::buffer(32);
  const auto& ad = bench::buffer(ad_len);
  std::uint8_t nonce[12] = {}, tag[16];
  bytes ct(m.size() + 16), out(m.size() + 16);
  EVP_CIPHER_CTX* e = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX* d = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(e, EVP_aes_256_gcm(), nullptr, key.data(), nullptr);
  EVP_DecryptInit_ex(d, EVP_aes_256_gcm(), nullptr, key.data(), nullptr);
  int len = 0;
  auto do_seal = [&] {
    EVP_EncryptInit_ex(e, nullptr, nullptr, nullptr, nonce);
    EVP_EncryptUpdate(e, nullptr, &len, ad.data(), int(ad.size()));
    EVP_EncryptUpdate(e, ct.data(), &len, m.data(), int(m.size()));
    EVP_EncryptFinal_ex(e, ct.data() + m.size(), &len);
    EVP_CIPHER_CTX_ctrl(e, EVP_CTRL_GCM_GET_TAG, 16, tag);
  };
  do_seal();
  bool ok = true;
  for (auto _ : st) {
    if (seal) {
      bump(nonce);
      do_seal();
      benchmark::DoNotOptimize(tag);
    } else {
      EVP_DecryptInit_ex(d, nullptr, nullptr, nullptr, nonce);
      EVP_DecryptUpdate(d, nullptr, &len, ad.data(), int(ad.size()));
      EVP_DecryptUpdate(d, out.data(), &len, ct.data(), int(m.size()));
      EVP_CIPHER_CTX_ctrl(d, EVP_CTRL_GCM_SET_TAG, 16, tag);
      ok &= EVP_DecryptFinal_ex(d, out.data() + m.size(), &len) == 1;
    }
    benchmark::ClobberMemory();
  }
  EVP_CIPHER_CTX_free(e);
  EVP_CIPHER_CTX_free(d);
  if (!ok) st.SkipWithError("open failed");
  st.SetBytesProcessed(std::int64_t(st.iterations()) * st.range(0));
}
}  // namespace

static void BM_aes256gcm_seal_darekit(benchmark::State& st) { darekit_gcm(st, true, std::nullopt); }
static void BM_aes256gcm_seal_darekit_avx2(benchmark::State& st) { darekit_gcm(st, true, kernel::avx2); }
static void BM_aes256gcm_seal_libsodium(benchmark::State& st) { sodium_gcm(st, true); }
static void BM_aes256gcm_seal_openssl(benchmark::State& st) { openssl_gcm(st, true); }
static void BM_aes256gcm_open_darekit(benchmark::State& st) { darekit_gcm(st, false, std::nullopt); }
static void BM_aes256gcm_open_darekit_avx2(benchmark::State& st) { darekit_gcm(st, false, kernel::avx2); }
static void BM_aes256gcm_open_libsodium(benchmark::State& st) { sodium_gcm(st, false); }
static void BM_aes256gcm_open_openssl(benchmark::State& st) { openssl_gcm(st, false); }
BENCHMARK(BM_aes256gcm_seal_darekit)->Apply(gcm_sizes);
BENCHMARK(BM_aes256gcm_seal_darekit_avx2)->Apply(gcm_sizes);
BENCHMARK(BM_aes256gcm_seal_libsodium)->Apply(gcm_sizes);
BENCHMARK(BM_aes256gcm_seal_openssl)->Apply(gcm_sizes);
BENCHMARK(BM_aes256gcm_open_darekit)->Apply(gcm_sizes);
BENCHMARK(BM_aes256gcm_open_darekit_avx2)->Apply(gcm_sizes);
BENCHMARK(BM_aes256gcm_open_libsodium)->Apply(gcm_sizes);
BENCHMARK(BM_aes256gcm_open_openssl)->Apply(gcm_sizes);
