// DARE algorithm identifiers (spec §4) and a run-time selected streaming digest for
// PayloadDigest.
#pragma once
#include <optional>
#include <string_view>
#include <variant>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/crypto/sha3.hpp"

namespace darekit::dare {

/// Payload / EDS encryption (`enc`).
enum class enc_alg {
  none,
  xc20p,    ///< XChaCha20-Poly1305, chunked, darekit profile (default)
  a256gcm,  ///< AES-256-GCM, chunked, darekit profile (not the reference's "A256GCM", which is CBC)
  a256cbc,  ///< AES-256-CBC + PKCS#7, reference-compatible, unauthenticated
};

/// The wire name of an encryption algorithm.
constexpr std::string_view enc_name(enc_alg a) noexcept {
  switch (a) {
    case enc_alg::xc20p: return "XC20P";
    case enc_alg::a256gcm: return "A256GCM";
    case enc_alg::a256cbc: return "A256CBC";
    case enc_alg::none: break;
  }
  return "none";
}
/// Parse an `enc` value.
inline result<enc_alg> parse_enc(std::string_view s) {
  if (s == "XC20P") return enc_alg::xc20p;
  if (s == "A256GCM") return enc_alg::a256gcm;
  if (s == "A256CBC") return enc_alg::a256cbc;
  if (s == "none") return enc_alg::none;
  return fail(errc::unsupported, "unsupported encryption algorithm \"" + std::string(s) + "\"");
}

/// Payload digest (`dig`).
enum class digest_alg { none, s512, s256, sha3_512, sha3_256 };

constexpr std::string_view digest_name(digest_alg a) noexcept {
  switch (a) {
    case digest_alg::s512: return "S512";
    case digest_alg::s256: return "S256";
    case digest_alg::sha3_512: return "SHA3512";
    case digest_alg::sha3_256: return "SHA3256";
    case digest_alg::none: break;
  }
  return "none";
}
/// Parse a `dig` value ("SHA2"/"SHA3" are the reference's read aliases for SHA-2-512 /
/// SHA-3-512; the reference's own SHA3512 maps to SHA-3-256 by a bug we do not copy).
inline result<digest_alg> parse_digest(std::string_view s) {
  if (s == "S512" || s == "SHA2") return digest_alg::s512;
  if (s == "S256") return digest_alg::s256;
  if (s == "SHA3512" || s == "SHA3") return digest_alg::sha3_512;
  if (s == "SHA3256") return digest_alg::sha3_256;
  if (s == "none") return digest_alg::none;
  return fail(errc::unsupported, "unsupported digest algorithm \"" + std::string(s) + "\"");
}

/// A streaming digest chosen at run time.
class any_digest {
 public:
  any_digest() = default;
  explicit any_digest(digest_alg a) : alg_(a) {
    switch (a) {
      case digest_alg::s512: h_.emplace<sha512>(); break;
      case digest_alg::s256: h_.emplace<sha256>(); break;
      case digest_alg::sha3_512: h_.emplace<sha3_512>(); break;
      case digest_alg::sha3_256: h_.emplace<sha3_256>(); break;
      case digest_alg::none: break;
    }
  }
  [[nodiscard]] digest_alg alg() const noexcept { return alg_; }
  [[nodiscard]] bool active() const noexcept { return alg_ != digest_alg::none; }
  void update(byte_view b) {
    std::visit([&](auto& h) {
      if constexpr (!std::is_same_v<std::decay_t<decltype(h)>, std::monostate>) h.update(b);
    }, h_);
  }
  bytes finish() {
    return std::visit([&](auto& h) -> bytes {
      if constexpr (std::is_same_v<std::decay_t<decltype(h)>, std::monostate>) return {};
      else { auto d = h.finish(); return bytes(d.begin(), d.end()); }
    }, h_);
  }
  static bytes of(digest_alg a, byte_view b) { any_digest d(a); d.update(b); return d.finish(); }

 private:
  digest_alg alg_ = digest_alg::none;
  std::variant<std::monostate, sha512, sha256, sha3_512, sha3_256> h_;
};

}  // namespace darekit::dare
