// Per-algorithm descriptions for the multi-lane scheduler: state layout, initial value,
// padding, output and the kernel (with its lane count) for each kernel family.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "darekit/core/bytes.hpp"
#include "darekit/core/cpu.hpp"
#include "darekit/crypto/detail/sha2_compress.hpp"
#include "darekit/crypto/hasher.hpp"
#include "darekit/hash/detail/keccak_x.hpp"
#include "darekit/hash/detail/sha256_x.hpp"
#include "darekit/hash/detail/sha512_x.hpp"

namespace darekit::detail {

/// A lane kernel: compress `n` consecutive blocks from each lane pointer into the
/// transposed state st[word * lanes + lane].
template <class Word>
using lane_kernel_fn = void (*)(Word* st, const std::uint8_t* const* p, std::size_t n) noexcept;

template <class Word>
struct lane_kernel {
  lane_kernel_fn<Word> fn;
  std::size_t lanes;
  kernel family;
};

/// Algorithm ids used for the dispatch record.
enum class mb_alg : int { sha256 = 0, sha512 = 1, sha3_512 = 2 };

inline void sha512_scalar_kernel(std::uint64_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  sha512_compress(st, p[0], n);
}
inline void sha256_scalar_kernel(std::uint32_t* st, const std::uint8_t* const* p, std::size_t n) noexcept {
  sha256_compress(st, p[0], n);
}

struct mb_sha512 {
  using word = std::uint64_t;
  static constexpr mb_alg id = mb_alg::sha512;
  static constexpr std::size_t state_words = 8, block = 128, digest = 64, max_lanes = 8;
  static void init(word* st, std::size_t stride, std::size_t lane) noexcept {
    for (std::size_t i = 0; i < 8; ++i) st[i * stride + lane] = sha512_iv[i];
  }
  static std::size_t pad(const std::uint8_t* rem, std::size_t fill, std::uint64_t total, std::uint8_t* out) noexcept {
    return sha512_pad(rem, fill, total, out);
  }
  static void output(const word* st, std::size_t stride, std::size_t lane, std::uint8_t* out) noexcept {
    for (std::size_t i = 0; i < 8; ++i) store_be64(out + 8 * i, st[i * stride + lane]);
  }
  static lane_kernel<word> pick(kernel k) noexcept {
#if DAREKIT_X86
    if (k == kernel::avx512) return {&sha512x8_avx512::compress, 8, kernel::avx512};
    if (k == kernel::avx2) return {&sha512x4_avx2::compress, 4, kernel::avx2};
#endif
    (void)k;
    return {&sha512_scalar_kernel, 1, kernel::scalar};
  }
  static constexpr lane_kernel_fn<word> scalar = &sha512_scalar_kernel;
};

struct mb_sha256 {
  using word = std::uint32_t;
  static constexpr mb_alg id = mb_alg::sha256;
  static constexpr std::size_t state_words = 8, block = 64, digest = 32, max_lanes = 16;
  static void init(word* st, std::size_t stride, std::size_t lane) noexcept {
    for (std::size_t i = 0; i < 8; ++i) st[i * stride + lane] = sha256_iv[i];
  }
  static std::size_t pad(const std::uint8_t* rem, std::size_t fill, std::uint64_t total, std::uint8_t* out) noexcept {
    return sha256_pad(rem, fill, total, out);
  }
  static void output(const word* st, std::size_t stride, std::size_t lane, std::uint8_t* out) noexcept {
    for (std::size_t i = 0; i < 8; ++i) store_be32(out + 4 * i, st[i * stride + lane]);
  }
  static lane_kernel<word> pick(kernel k) noexcept {
#if DAREKIT_X86
    if (k == kernel::avx512) return {&sha256x16_avx512::compress, 16, kernel::avx512};
    if (k == kernel::avx2) return {&sha256x8_avx2::compress, 8, kernel::avx2};
#endif
    (void)k;
    return {&sha256_scalar_kernel, 1, kernel::scalar};
  }
  static constexpr lane_kernel_fn<word> scalar = &sha256_scalar_kernel;
};

struct mb_sha3_512 {
  using word = std::uint64_t;
  static constexpr mb_alg id = mb_alg::sha3_512;
  static constexpr std::size_t state_words = 25, block = keccak_x::rate, digest = 64, max_lanes = 8;
  static void init(word* st, std::size_t stride, std::size_t lane) noexcept {
    for (std::size_t i = 0; i < 25; ++i) st[i * stride + lane] = 0;
  }
  /// SHA-3 padding: domain bits 01, then pad10*1; always one block.
  static std::size_t pad(const std::uint8_t* rem, std::size_t fill, std::uint64_t, std::uint8_t* out) noexcept {
    if (fill) std::memcpy(out, rem, fill);
    std::memset(out + fill, 0, block - fill);
    out[fill] ^= 0x06;
    out[block - 1] ^= 0x80;
    return 1;
  }
  static void output(const word* st, std::size_t stride, std::size_t lane, std::uint8_t* out) noexcept {
    for (std::size_t i = 0; i < 8; ++i) store_le64(out + 8 * i, st[i * stride + lane]);
  }
  static lane_kernel<word> pick(kernel k) noexcept {
#if DAREKIT_X86
    if (k == kernel::avx512) return {&keccak_x::absorb_x8, 8, kernel::avx512};
    if (k == kernel::avx2) return {&keccak_x::absorb_x4, 4, kernel::avx2};
#endif
    (void)k;
    return {&keccak_x::absorb_scalar, 1, kernel::scalar};
  }
  static constexpr lane_kernel_fn<word> scalar = &keccak_x::absorb_scalar;
};

/// The multi-lane description for a darekit hash type, chosen by its name.
template <class H>
struct mb_traits_for {};
template <class H>
  requires(H::name == std::string_view("sha512") && H::digest_size == 64)
struct mb_traits_for<H> { using type = mb_sha512; };
template <class H>
  requires(H::name == std::string_view("sha256") && H::digest_size == 32)
struct mb_traits_for<H> { using type = mb_sha256; };
template <class H>
  requires((H::name == std::string_view("sha3-512") || H::name == std::string_view("sha3_512")) && H::digest_size == 64)
struct mb_traits_for<H> { using type = mb_sha3_512; };

}  // namespace darekit::detail
