// C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures:
//
//   <text ending in \n>\n
//   — <key name> base64(key ID (4 bytes, big-endian) || signature)\n      (one or more)
//
// key ID = SHA-256(name || 0x0A || 0x01 || 32-byte public key)[:4]; the signature is pure
// Ed25519 over the text. A verifier key ("vkey") is name+hex(key ID)+base64(0x01 || key).
// Verification follows the spec: signatures by unknown keys are ignored; a known key's
// signature that fails rejects the note; at least one known key must verify.
#pragma once
#include <sodium.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "darekit/codec/base64.hpp"
#include "darekit/codec/json.hpp"
#include "darekit/core/secure.hpp"
#include "darekit/crypto/sha2.hpp"

namespace darekit::merkle::note {

/// Most signature lines read (the spec asks for at least 16; Go takes 100).
inline constexpr std::size_t max_signatures = 100;
/// Most bytes of a note read.
inline constexpr std::size_t max_note_bytes = std::size_t(1) << 20;
inline constexpr std::string_view dash = "\xe2\x80\x94 ";  // U+2014 EM DASH, space

/// A valid key name: non-empty, no '+', no Unicode space (U+0009..000D, U+0020, U+0085,
/// U+00A0, U+1680, U+2000..200A, U+2028, U+2029, U+202F, U+205F, U+3000).
inline bool valid_name(std::string_view n) {
  if (n.empty() || n.find('+') != std::string_view::npos || !json::detail::valid_utf8(n)) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const auto c = std::uint8_t(n[i]);
    if (c <= 0x20 || c == 0x7F) return false;
    auto at = [&](std::string_view seq) { return n.substr(i, seq.size()) == seq; };
    if (at("\xc2\x85") || at("\xc2\xa0") || at("\xe1\x9a\x80") || at("\xe2\x80\xa8") || at("\xe2\x80\xa9") ||
        at("\xe2\x80\xaf") || at("\xe2\x81\x9f") || at("\xe3\x80\x80"))
      return false;
    if (c == 0xE2 && i + 2 < n.size() && std::uint8_t(n[i + 1]) == 0x80 && std::uint8_t(n[i + 2]) <= 0x8A) return false;
  }
  return true;
}

/// The Ed25519 key ID of a name and public key.
inline std::uint32_t key_id(std::string_view name, byte_view pub) {
  sha256 h;
  h.update(as_bytes(name));
  const std::uint8_t sep[2] = {0x0A, 0x01};
  h.update(byte_view(sep, 2));
  h.update(pub);
  const auto d = h.finish();
  return load_be32(d.data());
}

/// An Ed25519 verifier: a key name and its public key.
struct verifier {
  std::string name;
  std::array<std::uint8_t, 32> pub{};
  [[nodiscard]] std::uint32_t id() const { return key_id(name, pub); }
  /// name+hex(id)+base64(0x01 || pub)
  [[nodiscard]] std::string vkey() const {
    static constexpr char hx[] = "0123456789abcdef";
    std::string s = name + "+";
    const std::uint32_t i = id();
    for (int b = 28; b >= 0; b -= 4) s += hx[(i >> b) & 15];
    bytes k{0x01};
    k.insert(k.end(), pub.begin(), pub.end());
    return s + "+" + base64::encode(k);
  }
  static result<verifier> from_vkey(std::string_view s) {
    const auto p1 = s.find('+');
    const auto p2 = p1 == std::string_view::npos ? p1 : s.find('+', p1 + 1);
    if (p2 == std::string_view::npos) return fail(errc::malformed, "verifier key: expected name+id+key");
    verifier v;
    v.name = std::string(s.substr(0, p1));
    if (!valid_name(v.name)) return fail(errc::malformed, "verifier key: invalid key name");
    const auto idh = s.substr(p1 + 1, p2 - p1 - 1);
    std::uint32_t id = 0;
    if (idh.size() != 8) return fail(errc::malformed, "verifier key: the key ID must be 8 hex digits");
    for (char c : idh) {
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return fail(errc::malformed, "verifier key: the key ID must be 8 hex digits");
      id = id << 4 | std::uint32_t(d);
    }
    auto k = base64::decode(s.substr(p2 + 1), {.padding_optional = false});
    if (!k || k->size() != 33 || (*k)[0] != 0x01) return fail(errc::unsupported, "verifier key: not an Ed25519 (type 0x01) key");
    std::memcpy(v.pub.data(), k->data() + 1, 32);
    if (v.id() != id) return fail(errc::malformed, "verifier key: the key ID does not match the name and key");
    return v;
  }
};

/// One signature line.
struct signature {
  std::string name;
  std::uint32_t id = 0;
  bytes sig;  ///< the signature after the key ID
};

/// A note split into its text and signature lines (nothing verified yet).
struct parsed {
  std::string text;  ///< including its final newline
  std::vector<signature> sigs;
};

/// Split and check the syntax of a signed note.
inline result<parsed> parse(std::string_view msg) {
  auto bad = [](const char* why) { return fail(errc::malformed, std::string("signed note: ") + why); };
  if (msg.size() > max_note_bytes) return fail(errc::too_large, "signed note: larger than 1 MiB");
  if (!json::detail::valid_utf8(msg)) return bad("not UTF-8");
  for (char c : msg)
    if (std::uint8_t(c) < 0x20 && c != '\n') return bad("contains a control character");
  if (msg.empty() || msg.back() != '\n') return bad("does not end in a newline");
  const auto split = msg.rfind("\n\n");
  if (split == std::string_view::npos) return bad("no blank line before the signatures");
  parsed p;
  p.text = std::string(msg.substr(0, split + 1));
  std::string_view rest = msg.substr(split + 2);
  if (rest.empty()) return bad("no signatures");
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
    if (p.sigs.size() == max_signatures) return fail(errc::too_large, "signed note: too many signatures");
    if (line.substr(0, dash.size()) != dash) return bad("a signature line must start with an em dash and a space");
    const std::string_view body = line.substr(dash.size());
    const auto sp = body.find(' ');
    if (sp == std::string_view::npos) return bad("a signature line needs a name and a signature");
    signature s;
    s.name = std::string(body.substr(0, sp));
    if (!valid_name(s.name)) return bad("invalid key name");
    auto b = base64::decode(body.substr(sp + 1), {.padding_optional = false});
    if (!b || b->size() < 5) return bad("a signature is not base64 of a key ID and a signature");
    s.id = load_be32(b->data());
    s.sig.assign(b->begin() + 4, b->end());
    p.sigs.push_back(std::move(s));
  }
  return p;
}

/// Sign `text` (ending in a newline) as `name` with the Ed25519 key of 32-byte `seed`:
/// text, a blank line, one signature line.
inline result<std::string> sign(std::string_view text, std::string_view name, byte_view seed) {
  if (text.empty() || text.back() != '\n') return fail(errc::invalid_argument, "signed note: the text must end in a newline");
  if (!valid_name(name)) return fail(errc::invalid_argument, "signed note: invalid key name");
  if (seed.size() != 32) return fail(errc::invalid_argument, "signed note: an Ed25519 seed is 32 bytes");
  darekit::detail::ensure_sodium();
  secret<64> sk;
  std::uint8_t pk[32];
  crypto_sign_seed_keypair(pk, sk.data(), seed.data());
  bytes sig(68);
  store_be32(sig.data(), key_id(name, byte_view(pk, 32)));
  crypto_sign_detached(sig.data() + 4, nullptr, reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), sk.data());
  return std::string(text) + "\n" + std::string(dash) + std::string(name) + " " + base64::encode(sig) + "\n";
}

/// Verify a parsed note against known keys: every signature whose (name, key ID) matches
/// a known key must verify, and at least one must. Returns the number that verified.
inline result<std::size_t> verify(const parsed& p, std::span<const verifier> known) {
  darekit::detail::ensure_sodium();
  std::size_t good = 0;
  for (const auto& s : p.sigs)
    for (const auto& k : known) {
      if (k.name != s.name || k.id() != s.id) continue;
      if (s.sig.size() != 64 || crypto_sign_verify_detached(s.sig.data(), reinterpret_cast<const std::uint8_t*>(p.text.data()),
                                                            p.text.size(), k.pub.data()) != 0)
        return fail(errc::verification_failed, "signed note: the signature of " + s.name + " does not verify");
      ++good;
    }
  if (good == 0) return fail(errc::verification_failed, "signed note: no signature by a known key");
  return good;
}

}  // namespace darekit::merkle::note
