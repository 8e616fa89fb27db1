// The cryptographic state of one DARE item (an envelope, or a frame of a sequence):
// header + keys -> enc, Salt, base seed, the header binding, and the payload / EDS
// ciphers and witness derived from them (spec §5, docs/FORMAT.md §3). Envelopes and
// sequence frames share it unchanged.
//
//   Writer:  auto c = item_crypto::seal(h, enc_alg::xc20p, recipients);   // sets enc, Salt, recipients
//            auto e = c->encryptor(h);                                    // after the header is complete
//   Reader:  auto c = item_crypto::open(h, keys);                         // unwraps the seed from h's recipients
//            auto d = c->decryptor(h);
//
// A sequence frame that refers to another frame's key exchange (ExchangePosition) is
// sealed and opened with that frame's base seed (`with_seed`).
#pragma once
#include <optional>
#include <span>

#include "darekit/core/secure.hpp"
#include "darekit/crypto/random.hpp"
#include "darekit/dare/algorithms.hpp"
#include "darekit/dare/eds.hpp"
#include "darekit/dare/header.hpp"
#include "darekit/dare/payload.hpp"
#include "darekit/dare/recipient.hpp"
#include "darekit/dare/signature.hpp"

namespace darekit::dare {

class item_crypto {
 public:
  /// Salt bytes written by darekit.
  static constexpr std::size_t salt_size = 16;
  /// Base seed bytes written by darekit.
  static constexpr std::size_t seed_size = 32;

  /// The validated `enc` of a header: none when absent; malformed when `enc`/`dig` are
  /// not strings or when encryption parameters appear without an algorithm (so removing
  /// or retyping `enc` cannot turn ciphertext into "plaintext").
  static result<enc_alg> header_enc(const header& h) {
    for (auto f : {field::enc, field::dig})
      if (const auto* v = h.find(f); v && !v->is_string())
        return fail(errc::malformed, "header field " + std::string(f) + " must be a string");
    enc_alg enc = enc_alg::none;
    if (auto e = h.enc()) { DAREKIT_TRY(enc, parse_enc(*e)); }
    if (enc == enc_alg::none && (h.has(field::salt) || h.has(field::recipients) || h.has(field::cloaked) ||
                                 h.has(field::payload_tag)))
      return fail(errc::malformed, "encryption parameters without an encryption algorithm");
    return enc;
  }

  /// Writer: choose the item's parameters and record them in `h` (enc, Salt and, when
  /// `recipients` is not empty, one recipient entry each). `base_seed` reuses an existing
  /// key exchange (sequence frames) or fixes the seed (tests); default 32 random bytes.
  /// `salt` fixes the Salt (tests); default 16 random bytes.
  static result<item_crypto> seal(header& h, enc_alg enc, std::span<const public_key> recipients,
                                  std::optional<byte_view> base_seed = {}, std::optional<byte_view> salt = {}) {
    item_crypto c;
    c.enc_ = enc;
    if (enc == enc_alg::none) return c;
    if (recipients.empty() && !base_seed) return fail(errc::invalid_argument, "encryption needs recipients");
    if (base_seed) c.seed_.assign(*base_seed);
    else { c.seed_.resize(seed_size); random_fill(c.seed_.span()); }
    c.salt_ = salt ? to_bytes(*salt) : random_bytes(salt_size);
    h.set(field::enc, std::string(enc_name(enc)));
    h.set(field::salt, c.salt_);
    if (!recipients.empty()) {
      json::array rs;
      for (const auto& r : recipients) {
        DAREKIT_TRY(auto entry, make_recipient(r, c.seed_.view()));
        rs.push_back(std::move(entry));
      }
      h.set(field::recipients, std::move(rs));
    }
    return c;
  }

  /// Reader: the item's parameters from its header, the base seed unwrapped from its
  /// recipients with one of `keys`. An unencrypted header needs no keys.
  static result<item_crypto> open(const header& h, std::span<const udf::key_pair> keys) {
    DAREKIT_TRY(auto c, parameters(h));
    if (c.enc_ != enc_alg::none) { DAREKIT_TRY(c.seed_, unwrap_base_seed(h.recipients(), keys)); }
    return c;
  }
  /// Reader: the item's parameters, with a base seed known otherwise (the key exchange
  /// of another sequence frame).
  static result<item_crypto> with_seed(const header& h, byte_view base_seed) {
    DAREKIT_TRY(auto c, parameters(h));
    if (c.enc_ != enc_alg::none) c.seed_.assign(base_seed);
    return c;
  }
  /// Reader: the parameters only (enc, Salt), no key: enough to hash or inspect.
  static result<item_crypto> parameters(const header& h) {
    item_crypto c;
    DAREKIT_TRY(c.enc_, header_enc(h));
    if (c.enc_ != enc_alg::none) {
      auto s = h.salt();
      if (!s) return fail(errc::malformed, "encrypted item without Salt");
      c.salt_ = std::move(*s);
    }
    return c;
  }

  [[nodiscard]] enc_alg enc() const noexcept { return enc_; }
  [[nodiscard]] bool encrypted() const noexcept { return enc_ != enc_alg::none; }
  [[nodiscard]] bool authenticated() const noexcept { return enc_ == enc_alg::xc20p || enc_ == enc_alg::a256gcm; }
  [[nodiscard]] bool has_seed() const noexcept { return !seed_.empty(); }
  [[nodiscard]] byte_view seed() const noexcept { return seed_.view(); }
  [[nodiscard]] byte_view salt() const noexcept { return salt_; }

  /// The payload ciphers, bound (AEAD profiles) to the complete header `h`.
  [[nodiscard]] result<payload_encryptor> encryptor(const header& h) const {
    return payload_encryptor::create(enc_, seed_.view(), salt_, binding(h));
  }
  /// The same, for a header whose canonical JSON-B encoding the writer already made.
  [[nodiscard]] result<payload_encryptor> encryptor_for(byte_view header_jsonb) const {
    return payload_encryptor::create(enc_, seed_.view(), salt_,
                                     authenticated() ? header::binding_of(header_jsonb) : digest256{});
  }
  [[nodiscard]] result<payload_decryptor> decryptor(const header& h) const {
    if (encrypted() && !has_seed()) return fail(errc::no_key, "no base seed to decrypt with");
    return payload_decryptor::create(enc_, seed_.view(), salt_, binding(h));
  }

  /// EDS number `n` (cloaked header first, then the annotations) of `body`.
  [[nodiscard]] result<bytes> seal_eds(std::size_t n, byte_view body) const {
    return eds_encode(eds_prefix(n), body, enc_, seed_.view(), salt_);
  }
  [[nodiscard]] result<bytes> open_eds(byte_view eds) const { return eds_decode(eds, enc_, seed_.view(), salt_); }

  /// The 2024 witness over a signature manifest (needs the seed).
  [[nodiscard]] result<bytes> witness_of(byte_view manifest) const { return witness(seed_.view(), salt_, manifest); }

 private:
  [[nodiscard]] digest256 binding(const header& h) const { return authenticated() ? h.binding() : digest256{}; }
  enc_alg enc_ = enc_alg::none;
  secure_bytes seed_;
  bytes salt_;
};

}  // namespace darekit::dare
