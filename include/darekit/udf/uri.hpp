// UDF URIs (draft -18 §1.2, spec §12): the name form `udf:<UDF>` and the locator
// form `udf://<dns-name>/<UDF>`, Encrypted Authenticated Resource Locators (EARLs)
// and Strong Internet Names (`mm--<udf>` DNS labels).
//
// Decisions: the scheme is case-insensitive and written lower case; the locator
// host is a DNS name only (no IP literal, user info or port); an EARL's content
// identifier is the SHA-2-512 content digest, content type "UDFEncryption", of the
// canonical key string (upper case, dashes), presented at 280 bits as the reference
// does; the resolution URL is https://<host>/.well-known/mmm-udf/<identifier> (the
// draft's worked example; its IANA section says srv/mmm-udf).
#pragma once
#include <string>
#include <string_view>

#include "darekit/udf/content_digest.hpp"
#include "darekit/udf/presentation.hpp"

namespace darekit::udf {

/// Precision of an EARL content identifier (reference: min(2 * 140, 440)).
inline constexpr std::size_t earl_identifier_bits = 280;
/// Largest UDF precision that fits a Strong Internet Name label (63 characters).
inline constexpr std::size_t sin_max_bits = 240;

/// Is `host` a DNS name we accept in a locator (LDH labels of 1..63 characters, at
/// most 253 in all, not all-numeric)?
inline result<void> check_dns_name(std::string_view host) {
  if (host.empty()) return fail(errc::malformed, "empty host name");
  if (host.size() > 253) return fail(errc::malformed, "host name longer than 253 characters");
  std::size_t label = 0;
  bool all_digits = true;
  for (std::size_t i = 0; i <= host.size(); ++i) {
    const char c = i < host.size() ? host[i] : '.';
    if (c == '.') {
      if (label == 0) return fail(errc::malformed, "empty label in host name");
      if (host[i - 1] == '-') return fail(errc::malformed, "host name label ends with '-'");
      label = 0;
      continue;
    }
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !digit && c != '-')
      return fail(errc::malformed, std::string("host must be a DNS name (character '") + c + "' not allowed; no IP literal, user info or port)");
    if (c == '-' && label == 0) return fail(errc::malformed, "host name label starts with '-'");
    if (!digit && c != '-') all_digits = false;
    if (++label > 63) return fail(errc::malformed, "host name label longer than 63 characters");
  }
  if (all_digits) return fail(errc::malformed, "host must be a DNS name, not an IP address");
  return ok();
}

/// A parsed UDF URI.
struct uri {
  std::string host;      ///< empty for the name form
  std::string udf;       ///< the UDF string as written
  std::string query;     ///< after '?', without it
  std::string fragment;  ///< after '#', without it
  value parsed;          ///< the decoded UDF
  [[nodiscard]] bool is_locator() const noexcept { return !host.empty(); }
};

/// `udf:<UDF>` (the UDF string is checked by parse()).
inline result<std::string> name_uri(std::string_view udf_string) {
  DAREKIT_TRY(value v, parse(udf_string));
  (void)v;
  return "udf:" + std::string(udf_string);
}

/// `udf://<host>/<UDF>`.
inline result<std::string> locator_uri(std::string_view host, std::string_view udf_string) {
  DAREKIT_CHECK(check_dns_name(host));
  DAREKIT_TRY(value v, parse(udf_string));
  (void)v;
  return "udf://" + std::string(host) + "/" + std::string(udf_string);
}

/// Parse a `udf:` URI (scheme case-insensitive) in name or locator form.
inline result<uri> parse_uri(std::string_view s, const parse_options& o = {}) {
  if (s.size() > 4096) return fail(errc::too_large, "URI longer than 4096 characters");
  if (s.size() < 4 || !((s[0] | 0x20) == 'u' && (s[1] | 0x20) == 'd' && (s[2] | 0x20) == 'f' && s[3] == ':'))
    return fail(errc::malformed, "not a udf: URI");
  std::string_view rest = s.substr(4);
  uri u;
  if (auto h = rest.find('#'); h != std::string_view::npos) { u.fragment = rest.substr(h + 1); rest = rest.substr(0, h); }
  if (auto q = rest.find('?'); q != std::string_view::npos) { u.query = rest.substr(q + 1); rest = rest.substr(0, q); }
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return fail(errc::malformed, "udf: locator without '/<UDF>'");
    u.host = rest.substr(0, slash);
    DAREKIT_CHECK(check_dns_name(u.host));
    rest.remove_prefix(slash + 1);
  }
  if (rest.empty()) return fail(errc::malformed, "udf: URI without a UDF");
  u.udf = rest;
  DAREKIT_TRY(u.parsed, parse(rest, o));
  return u;
}

/// An Encrypted Authenticated Resource Locator: an E-type key UDF and a host.
struct earl {
  std::string key;         ///< the key UDF string (canonical: upper case, dashes)
  std::string locator;     ///< udf://host/KEY
  std::string identifier;  ///< content identifier (280 bits)
  std::string url;         ///< https://host/.well-known/mmm-udf/IDENTIFIER
};

/// The EARL content identifier of a key string: content digest of its canonical
/// form, content type "UDFEncryption", at `bits` (280 by default).
inline result<std::string> earl_identifier(std::string_view key_udf, std::size_t bits = earl_identifier_bits) {
  DAREKIT_TRY(value k, parse(key_udf));
  if (k.info()->fam != family::encryption_key)
    return fail(errc::invalid_argument, "an EARL needs an encryption-key UDF (type 0x20 or 0x21, 'E')");
  DAREKIT_TRY(std::string canon, present(k));
  DAREKIT_TRY(value id, content_digest(as_bytes(canon), content_type_udf_encryption));
  return present(id, bits);
}

/// Build the EARL for `host` and an E-type key UDF string.
inline result<earl> make_earl(std::string_view host, std::string_view key_udf, std::size_t bits = earl_identifier_bits) {
  DAREKIT_CHECK(check_dns_name(host));
  DAREKIT_TRY(value k, parse(key_udf));
  DAREKIT_TRY(std::string canon, present(k));
  earl e;
  DAREKIT_TRY(e.identifier, earl_identifier(canon, bits));
  e.key = canon;
  e.locator = "udf://" + std::string(host) + "/" + canon;
  e.url = "https://" + std::string(host) + "/.well-known/mmm-udf/" + e.identifier;
  return e;
}

/// Parse an EARL locator `udf://host/KEY`.
inline result<earl> parse_earl(std::string_view locator, std::size_t bits = earl_identifier_bits) {
  DAREKIT_TRY(uri u, parse_uri(locator));
  if (!u.is_locator()) return fail(errc::invalid_argument, "an EARL is a locator: udf://host/KEY");
  return make_earl(u.host, u.udf, bits);
}

/// Where a Strong Internet Name puts the `mm--` label.
enum class sin_form {
  suffix,  ///< reference: name + ".mm--udf" (needs a SIN-aware resolver)
  prefix,  ///< backwards compatible: the label goes first in the domain ("alice@mm--udf.example.com")
};

/// Embed a content-digest UDF in a DNS name or e-mail address as an `mm--` label
/// (lower case, at most 240 bits; longer UDFs are shortened to 240 bits).
inline result<std::string> strong_name(std::string_view name, std::string_view udf_string, sin_form form = sin_form::suffix) {
  if (name.empty() || name.size() > 253) return fail(errc::invalid_argument, "name must have 1..253 characters");
  DAREKIT_TRY(value v, parse(udf_string));
  if (v.info()->fam != family::digest)
    return fail(errc::invalid_argument, "a Strong Internet Name embeds a content-digest UDF");
  DAREKIT_TRY(std::string u, present(v, std::min(v.precision(), sin_max_bits)));
  for (auto& ch : u) ch = char(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  const std::string label = "mm--" + u;
  if (form == sin_form::suffix) return std::string(name) + "." + label;
  const auto at = name.find('@');
  if (at == std::string_view::npos) return label + "." + std::string(name);
  return std::string(name.substr(0, at + 1)) + label + "." + std::string(name.substr(at + 1));
}

/// A name with its `mm--` label removed, and the UDF it carried.
struct stripped_name {
  std::string name;  ///< the name without the label
  std::string udf;   ///< the UDF (upper case), empty when there was no `mm--` label
};

/// Remove the `mm--` label (case-insensitive) of a Strong Internet Name.
inline result<stripped_name> strip_strong_name(std::string_view name) {
  if (name.size() > 512) return fail(errc::too_large, "name longer than 512 characters");
  const auto at = name.find('@');
  const std::size_t dom = at == std::string_view::npos ? 0 : at + 1;
  stripped_name r;
  r.name = std::string(name.substr(0, dom));
  std::string_view rest = name.substr(dom);
  bool first = true;
  while (true) {
    const auto dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    const bool is_sin = label.size() > 4 && (label[0] | 0x20) == 'm' && (label[1] | 0x20) == 'm' && label[2] == '-' && label[3] == '-';
    if (is_sin) {
      if (!r.udf.empty()) return fail(errc::malformed, "more than one mm-- label");
      DAREKIT_TRY(value v, parse(label.substr(4)));
      if (v.info()->fam != family::digest) return fail(errc::malformed, "mm-- label does not hold a content-digest UDF");
      DAREKIT_TRY(r.udf, present(v));
      r.udf = std::string(label.substr(4));
      for (auto& ch : r.udf) ch = char(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    } else {
      if (!first) r.name += '.';
      r.name += label;
      first = false;
    }
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return r;
}

}  // namespace darekit::udf
