// C2SP transparency-log text formats:
//
//   tlog-checkpoint    origin \n decimal tree size \n base64(root) \n [extension lines]
//                      (the text of a signed note, merkle/note.hpp)
//   tlog-proof@v1      c2sp.org/tlog-proof@v1 \n [extra B64 \n] index N \n path lines \n \n signed checkpoint
//   consistency        old M \n path lines \n \n signed checkpoint   (the tlog-witness add-checkpoint body)
//
// Roots and path hashes are SHA-256 (32 bytes) in C2SP; a darekit S512 sequence writes
// the same forms with 64-byte SHA-512 hashes, which these readers accept too.
#pragma once
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "darekit/codec/base64.hpp"
#include "darekit/core/error.hpp"
#include "darekit/merkle/proof.hpp"

namespace darekit::merkle {

namespace detail {
// Canonical decimal: "0" or [1-9][0-9]*, within uint64.
inline result<std::uint64_t> decimal(std::string_view s, const char* what) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || (s.size() > 1 && s[0] == '0'))
    return fail(errc::malformed, std::string(what) + " is not a canonical decimal number");
  return v;
}
inline result<bytes> hash_line(std::string_view s) {
  auto b = base64::decode(s, {.padding_optional = false});
  if (!b || (b->size() != 32 && b->size() != 64)) return fail(errc::malformed, "not the base64 of a 32- or 64-byte hash");
  return std::move(*b);
}
// Next line (without its newline); fails when no newline is left.
inline result<std::string_view> take_line(std::string_view& s) {
  const auto nl = s.find('\n');
  if (nl == std::string_view::npos) return fail(errc::malformed, "a line does not end in a newline");
  const auto line = s.substr(0, nl);
  s.remove_prefix(nl + 1);
  return line;
}
}  // namespace detail

/// A checkpoint: the note text a log signs.
struct checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  bytes root;
  std::vector<std::string> extensions;

  [[nodiscard]] std::string text() const {
    std::string t = origin + "\n" + std::to_string(size) + "\n" + base64::encode(root) + "\n";
    for (const auto& e : extensions) t += e + "\n";
    return t;
  }
  static result<checkpoint> parse(std::string_view text) {
    checkpoint c;
    if (text.size() > (std::size_t(1) << 20)) return fail(errc::too_large, "checkpoint: larger than 1 MiB");
    DAREKIT_TRY(auto o, detail::take_line(text));
    DAREKIT_TRY(auto n, detail::take_line(text));
    DAREKIT_TRY(auto r, detail::take_line(text));
    if (o.empty()) return fail(errc::malformed, "checkpoint: empty origin");
    c.origin = std::string(o);
    DAREKIT_TRY(c.size, detail::decimal(n, "checkpoint tree size"));
    DAREKIT_TRY(c.root, detail::hash_line(r));
    while (!text.empty()) {
      DAREKIT_TRY(auto e, detail::take_line(text));
      if (e.empty()) return fail(errc::malformed, "checkpoint: empty extension line");
      c.extensions.emplace_back(e);
    }
    return c;
  }
};

/// A C2SP tlog-proof@v1 inclusion proof with its signed checkpoint.
struct tlog_proof {
  static constexpr std::string_view header = "c2sp.org/tlog-proof@v1";
  std::optional<bytes> extra;
  std::uint64_t index = 0;
  std::vector<bytes> path;
  std::string signed_checkpoint;  ///< the whole signed note

  [[nodiscard]] std::string text() const {
    std::string t = std::string(header) + "\n";
    if (extra) t += "extra " + base64::encode(*extra) + "\n";
    t += "index " + std::to_string(index) + "\n";
    for (const auto& h : path) t += base64::encode(h) + "\n";
    return t + "\n" + signed_checkpoint;
  }
  static result<tlog_proof> parse(std::string_view s) {
    tlog_proof p;
    if (s.size() > (std::size_t(1) << 20)) return fail(errc::too_large, "tlog-proof: larger than 1 MiB");
    DAREKIT_TRY(auto h, detail::take_line(s));
    if (h != header) return fail(errc::malformed, "tlog-proof: the first line must be c2sp.org/tlog-proof@v1");
    DAREKIT_TRY(auto l, detail::take_line(s));
    if (l.substr(0, 6) == "extra ") {
      auto b = base64::decode(l.substr(6), {.padding_optional = false});
      if (!b) return fail(errc::malformed, "tlog-proof: extra is not base64");
      p.extra = std::move(*b);
      DAREKIT_TRY(l, detail::take_line(s));
    }
    if (l.substr(0, 6) != "index ") return fail(errc::malformed, "tlog-proof: expected the index line");
    DAREKIT_TRY(p.index, detail::decimal(l.substr(6), "tlog-proof index"));
    for (;;) {
      DAREKIT_TRY(auto x, detail::take_line(s));
      if (x.empty()) break;
      if (p.path.size() == max_proof_path) return fail(errc::too_large, "tlog-proof: too many proof lines");
      DAREKIT_TRY(auto b, detail::hash_line(x));
      p.path.push_back(std::move(b));
    }
    p.signed_checkpoint = std::string(s);
    return p;
  }
};

/// A consistency proof in the tlog-witness add-checkpoint form.
struct tlog_consistency {
  std::uint64_t old_size = 0;
  std::vector<bytes> path;
  std::string signed_checkpoint;

  [[nodiscard]] std::string text() const {
    std::string t = "old " + std::to_string(old_size) + "\n";
    for (const auto& h : path) t += base64::encode(h) + "\n";
    return t + "\n" + signed_checkpoint;
  }
  static result<tlog_consistency> parse(std::string_view s) {
    tlog_consistency p;
    if (s.size() > (std::size_t(1) << 20)) return fail(errc::too_large, "consistency proof: larger than 1 MiB");
    DAREKIT_TRY(auto l, detail::take_line(s));
    if (l.substr(0, 4) != "old ") return fail(errc::malformed, "consistency proof: expected the old size line");
    DAREKIT_TRY(p.old_size, detail::decimal(l.substr(4), "old size"));
    for (;;) {
      DAREKIT_TRY(auto x, detail::take_line(s));
      if (x.empty()) break;
      if (p.path.size() == 63) return fail(errc::too_large, "consistency proof: more than 63 proof lines");
      DAREKIT_TRY(auto b, detail::hash_line(x));
      p.path.push_back(std::move(b));
    }
    p.signed_checkpoint = std::string(s);
    return p;
  }
};

}  // namespace darekit::merkle
