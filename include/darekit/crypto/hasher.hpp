// The hash-function concept every darekit hash satisfies, and digest types.
#pragma once
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "darekit/core/bytes.hpp"

namespace darekit {

using digest256 = std::array<std::uint8_t, 32>;
using digest512 = std::array<std::uint8_t, 64>;

/// A streaming hash: default-constructible and copyable (copies fork the state),
/// update() any number of times, finish() once.
template <class H>
concept hash_function = std::default_initializable<H> && std::copyable<H> &&
    requires(H h, byte_view b) {
      { H::digest_size } -> std::convertible_to<std::size_t>;
      { H::block_size } -> std::convertible_to<std::size_t>;  // HMAC block (rate for SHA-3)
      { H::name } -> std::convertible_to<std::string_view>;
      typename H::digest_type;
      h.update(b);
      { h.finish() } -> std::same_as<typename H::digest_type>;
    };

/// One-shot hash of a byte string.
template <hash_function H>
typename H::digest_type hash(byte_view data) {
  H h;
  h.update(data);
  return h.finish();
}

}  // namespace darekit
