// darekit udf: Uniform Data Fingerprints (digest, mac, parse, verify, split,
// recover, nonce, key, earl, sin). The ★ lines of DESIGN.md §4 are contracts.
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "darekit/codec/hex.hpp"
#include "darekit/udf.hpp"

namespace darekit::cli {
namespace {

constexpr const char* default_content_type = "application/octet-stream";

constexpr const char* help_main =
    "usage: darekit udf <subcommand> [options] [args]\n"
    "\n"
    "Uniform Data Fingerprints (draft-hallambaker-mesh-udf-18).\n"
    "\n"
    "subcommands:\n"
    "  digest   content-digest UDF of a file (SHA-2-512 or SHA-3-512), streaming\n"
    "  mac      authenticator UDF of a file under a key string\n"
    "  parse    decode a UDF: binary value in hex, then its fields\n"
    "  verify   check a file against a content-digest or authenticator UDF (exit 0/1)\n"
    "  split    Shamir-split an E-type key UDF into share UDFs\n"
    "  recover  recover an E-type key UDF from share UDFs\n"
    "  nonce    a random nonce UDF\n"
    "  key      a random encryption/authentication key UDF (type E)\n"
    "  earl     an Encrypted Authenticated Resource Locator for a host\n"
    "  sin      build or strip a Strong Internet Name (mm-- label)\n"
    "\n"
    "Run 'darekit udf <subcommand> --help' for its options.\n";

constexpr const char* help_digest =
    "usage: darekit udf digest [--sha3] [--content-type CT] [--bits N] [FILE|-]\n"
    "\n"
    "Print the content-digest UDF of FILE (stdin when absent or '-') on one line.\n"
    "The file is streamed; memory use is constant.\n"
    "\n"
    "  --sha3             SHA-3-512 (type K) instead of SHA-2-512 (type M)\n"
    "  --content-type CT  the content type hashed with the digest (default\n"
    "                     application/octet-stream); must be UTF-8\n"
    "  --bits N           precision in bits including the type byte, 96..520 (default 140)\n";

constexpr const char* help_mac =
    "usage: darekit udf mac --key KEY [--content-type CT] [--bits N] [FILE|-]\n"
    "\n"
    "Print the authenticator UDF (HMAC-SHA-2-512, type A) of FILE under the key\n"
    "string KEY (used exactly as given, dashes included; usually a nonce UDF).\n"
    "\n"
    "  --key KEY          the key string\n"
    "  --content-type CT  content type (default application/octet-stream)\n"
    "  --bits N           precision, 96..520 (default 140)\n";

constexpr const char* help_parse =
    "usage: darekit udf parse [--lenient] [--min-bits N] UDF\n"
    "\n"
    "First line: the binary value (type byte + data, whole bytes) in lowercase hex.\n"
    "Following lines: type, precision and the fields of the type.\n"
    "\n"
    "  --lenient     reference mode: skip every non-Base32 character, allow unknown types\n"
    "  --min-bits N  floor for fingerprint precision (default 96; e.g. 200 for trust anchors)\n";

constexpr const char* help_verify =
    "usage: darekit udf verify UDF [--content-type CT] [--key KEY] [--min-bits N] FILE\n"
    "\n"
    "Check FILE ('-' = stdin) against a content-digest UDF (types M and K, any\n"
    "compression level) or, with --key, an authenticator UDF (type A), up to the\n"
    "precision of UDF. Exit 0 on a match, 1 on a mismatch, 2 on other errors.\n"
    "\n"
    "  --content-type CT  content type (default application/octet-stream)\n"
    "  --key KEY          key string for authenticator UDFs\n"
    "  --min-bits N       required precision (default 96)\n";

constexpr const char* help_split =
    "usage: darekit udf split --threshold K --shares N SECRET-UDF\n"
    "\n"
    "Split the key of an E-type UDF (type 0x20, 1..64 bytes) into N Shamir share\n"
    "UDFs (type S), any K of which recover it; 1 <= K <= N <= 15. One share a line.\n";

constexpr const char* help_recover =
    "usage: darekit udf recover SHARE...\n"
    "\n"
    "Recover the secret from share UDFs and print it as an E-type UDF (type 0x20).\n"
    "Shares beyond the threshold are checked for consistency.\n";

constexpr const char* help_nonce =
    "usage: darekit udf nonce [--bytes N]\n"
    "\n"
    "Print a random nonce UDF (type N) of N bytes (default 16), untruncated.\n";

constexpr const char* help_key =
    "usage: darekit udf key [--bytes N] [--signature]\n"
    "\n"
    "Print a random encryption/authentication key UDF (type E, 0x20) of N bytes\n"
    "(default 32), untruncated. --signature makes type 0x21.\n";

constexpr const char* help_earl =
    "usage: darekit udf earl [--bits N] HOST [KEY]\n"
    "       darekit udf earl [--bits N] udf://HOST/KEY\n"
    "\n"
    "Print an EARL: the locator udf://HOST/KEY, its content identifier (SHA-2-512\n"
    "digest of the key string, content type \"UDFEncryption\", N bits, default 280)\n"
    "and the resolution URL https://HOST/.well-known/mmm-udf/IDENTIFIER, one a line.\n"
    "Without KEY a fresh 32-byte E-type key is generated.\n";

constexpr const char* help_sin =
    "usage: darekit udf sin [--prefix] NAME UDF\n"
    "       darekit udf sin --strip NAME\n"
    "\n"
    "Build a Strong Internet Name: NAME with the content-digest UDF as an mm-- label\n"
    "(at most 240 bits, lower case). Default: appended as the last label (reference\n"
    "form); --prefix puts it first in the domain (alice@mm--....example.com).\n"
    "--strip prints the name without its mm-- label and then the UDF.\n";

bool wants_help(const parsed& p, const char* text) {
  if (!p.has("--help")) return false;
  std::fputs(text, stdout);
  return true;
}

result<std::size_t> bits_option(const parsed& p, const char* name, std::size_t dflt) {
  auto v = p.get(name);
  if (!v) return dflt;
  DAREKIT_TRY(std::uint64_t n, parse_uint(*v, name));
  return std::size_t(n);
}

int print_line(const std::string& s) {
  std::fputs(s.c_str(), stdout);
  std::fputc('\n', stdout);
  return exit_ok;
}

int cmd_digest(const args& a) {
  auto p = parse(a, {{"--sha3", false}, {"--content-type", true}, {"--bits", true}});
  if (!p) return error(p.err().what());
  if (wants_help(*p, help_digest)) return exit_ok;
  if (p->pos.size() > 1) return error("udf digest takes at most one FILE");
  auto bits = bits_option(*p, "--bits", udf::default_bits);
  if (!bits) return error(bits.err());
  const std::string ct = p->get("--content-type").value_or(default_content_type);
  if (!utf8::valid(ct)) return error("content type is not valid UTF-8");
  if (*bits < udf::minimum_bits || *bits > udf::digest_max_bits) return error("--bits must be 96..520");
  udf::digest_stream ds(ct, p->has("--sha3") ? udf::digest_alg::sha3_512 : udf::digest_alg::sha2_512);
  const std::string file = p->pos.empty() ? "-" : p->pos[0];
  if (auto r = stream_file(file, [&](byte_view b) { ds.update(b); }); !r) return error(r.err());
  auto v = ds.finish();
  if (!v) return error(v.err());
  auto s = udf::present(*v, *bits);
  if (!s) return error(s.err());
  return print_line(*s);
}

int cmd_mac(const args& a) {
  auto p = parse(a, {{"--key", true}, {"--content-type", true}, {"--bits", true}});
  if (!p) return error(p.err().what());
  if (wants_help(*p, help_mac)) return exit_ok;
  auto key = p->get("--key");
  if (!key) return error("udf mac needs --key KEY");
  if (p->pos.size() > 1) return error("udf mac takes at most one FILE");
  auto bits = bits_option(*p, "--bits", udf::default_bits);
  if (!bits) return error(bits.err());
  if (*bits < udf::minimum_bits || *bits > udf::digest_max_bits) return error("--bits must be 96..520");
  const std::string ct = p->get("--content-type").value_or(default_content_type);
  if (!utf8::valid(ct)) return error("content type is not valid UTF-8");
  udf::authenticator_stream as(*key, ct);
  const std::string file = p->pos.empty() ? "-" : p->pos[0];
  if (auto r = stream_file(file, [&](byte_view b) { as.update(b); }); !r) return error(r.err());
  auto v = as.finish();
  if (!v) return error(v.err());
  auto s = udf::present(*v, *bits);
  if (!s) return error(s.err());
  return print_line(*s);
}

std::string hex_byte(unsigned b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", b & 0xFFu);
  return buf;
}

int cmd_parse(const args& a) {
  auto p = parse(a, {{"--lenient", false}, {"--min-bits", true}});
  if (!p) return error(p.err().what());
  if (wants_help(*p, help_parse)) return exit_ok;
  if (p->pos.size() != 1) return error("udf parse takes exactly one UDF");
  auto mb = bits_option(*p, "--min-bits", udf::minimum_bits);
  if (!mb) return error(mb.err());
  udf::parse_options o;
  o.lenient = p->has("--lenient");
  o.min_bits = *mb;
  auto v = udf::parse(p->pos[0], o);
  if (!v) return error(v.err());
  std::string out = hex::encode(v->binary()) + "\n";
  const auto info = v->info();
  out += "type: " + hex_byte(v->type_code()) + " '" + std::string(1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[v->type_code() >> 3]) +
         "' " + (info ? std::string(info->name) : std::string("unassigned")) + "\n";
  out += "precision: " + std::to_string(v->precision()) + " bits\n";
  if (info) {
    switch (info->fam) {
      case udf::family::digest:
        out += "compression: level " + std::to_string(info->compression) + " (" +
               std::to_string(udf::level_zero_bits(info->compression)) + " trailing zero bits)\n";
        break;
      case udf::family::shamir_share: {
        auto f = udf::decode_share(*v);
        if (f) out += "threshold: " + std::to_string(f->threshold) + "\nindex: " + std::to_string(f->x) +
                      "\nsecret bytes: " + std::to_string(f->y.size()) + "\n";
        break;
      }
      case udf::family::key_seed: {
        auto alg = udf::seed_algorithm(*v);
        if (alg) {
          const auto n = udf::key_alg_name(*alg);
          out += "algorithm: " + std::to_string(unsigned(*alg)) + (n.empty() ? "" : " (" + std::string(n) + ")") + "\n";
        }
        out += "seed bytes: " + std::to_string(v->data().size() - 2) + "\n";
        break;
      }
      default:
        out += "data bytes: " + std::to_string(v->data().size()) + "\n";
        break;
    }
  }
  std::fputs(out.c_str(), stdout);
  return exit_ok;
}

int cmd_verify(const args& a) {
  auto p = parse(a, {{"--content-type", true}, {"--key", true}, {"--min-bits", true}});
  if (!p) return error(p.err().what());
  if (wants_help(*p, help_verify)) return exit_ok;
  if (p->pos.size() != 2) return error("udf verify takes a UDF and a FILE");
  auto mb = bits_option(*p, "--min-bits", udf::minimum_bits);
  if (!mb) return error(mb.err());
  udf::parse_options o;
  o.min_bits = *mb;
  auto v = udf::parse(p->pos[0], o);
  if (!v) return error(v.err());
  const std::string ct = p->get("--content-type").value_or(default_content_type);
  if (!utf8::valid(ct)) return error("content type is not valid UTF-8");
  const auto fam = v->info()->fam;
  if (fam == udf::family::digest) {
    auto alg = udf::digest_algorithm(v->type_code());
    if (!alg) return error(alg.err());
    udf::digest_stream ds(ct, *alg);
    if (auto r = stream_file(p->pos[1], [&](byte_view b) { ds.update(b); }); !r) return error(r.err());
    auto fresh = ds.finish();
    if (!fresh) return error(fresh.err());
    if (auto r = udf::verify_digest(*v, *fresh, *mb); !r) return error(r.err());
    return exit_ok;
  }
  if (fam == udf::family::authenticator) {
    if (v->type_code() != 0) return error(fail(errc::unsupported, "HMAC-SHA-3-512 authenticators (type 0x01) are not supported"));
    auto key = p->get("--key");
    if (!key) return error("verifying an authenticator UDF needs --key KEY");
    udf::authenticator_stream as(*key, ct);
    if (auto r = stream_file(p->pos[1], [&](byte_view b) { as.update(b); }); !r) return error(r.err());
    auto fresh = as.finish();
    if (!fresh) return error(fresh.err());
    if (auto r = udf::verify_authenticator(*v, *fresh, *mb); !r) return error(r.err());
    return exit_ok;
  }
  return error("udf verify needs a content-digest (M, K) or authenticator (A) UDF, got type " + hex_byte(v->type_code()));
}

int cmd_split(const args& a) {
  auto p = parse(a, {{"--threshold", true}, {"--shares", true}});
  if (!p) return error(p.err().what());
  if (wants_help(*p, help_split)) return exit_ok;
  if (p->pos.size() != 1) return error("udf split takes exactly one SECRET-UDF");
  auto k = p->get("--threshold");
  auto n = p->get("--shares");
  if (!k || !n) return error("udf split needs --threshold K and --shares N");
  auto kv = parse_uint(*k, "--threshold");
  if (!kv) return error(kv.err());
  auto nv = parse_uint(*n, "--shares");
  if (!nv) return error(nv.err());
  if (*kv > 15 || *nv > 15 || *kv < 1 || *kv > *nv) return error("need 1 <= K <= N <= 15");
  auto v = udf::parse(p->pos[0]);
  if (!v) return error(v.err());
  if (v->type_code() != std::uint8_t(udf::type_id::encryption_key))
    return error("the secret must be an E-type key UDF (type 0x20), got type " + hex_byte(v->type_code()));
  auto shares = udf::split(v->data(), unsigned(*kv), unsigned(*nv));
  if (!shares) return error(shares.err());
  std::string out;
  for (const auto& s : *shares) out += udf::to_string(s) + "\n";
  std::fputs(out.c_str(), stdout);
  wipe(out.data(), out.size());
  return exit_ok;
}

int cmd_recover(const args& a) {
  auto p = parse(a, {});
  if (!p) return error(p.err().what());
  if (wants_help(*p, help_recover)) return exit_ok;
  if (p->pos.empty()) return error("udf recover needs share UDFs");
  std::vector<udf::value> shares;
  for (std::size_t i = 0; i < p->pos.size(); ++i) {
    auto v = udf::parse(p->pos[i]);
    if (!v) return error("share " + std::to_string(i + 1) + ": " + v.err().what());
    shares.push_back(std::move(*v));
  }
  auto s = udf::recover(shares);
  if (!s) return error(s.err());
  auto e = udf::make_encryption_key(s->view());
  if (!e) return error(e.err());
  return print_line(udf::to_string(*e));
}

int cmd_nonce(const args& a) {
  auto p = parse(a, {{"--bytes", true}});
  if (!p) return error(p.err().what());
  if (wants_help(*p, help_nonce)) return exit_ok;
  if (!p->pos.empty()) return error("udf nonce takes no arguments");
  auto n = bits_option(*p, "--bytes", 16);
  if (!n) return error(n.err());
  auto v = udf::nonce(*n);
  if (!v) return error(v.err());
  return print_line(udf::to_string(*v));
}

int cmd_key(const args& a) {
  auto p = parse(a, {{"--bytes", true}, {"--signature", false}});
  if (!p) return error(p.err().what());
  if (wants_help(*p, help_key)) return exit_ok;
  if (!p->pos.empty()) return error("udf key takes no arguments");
  auto n = bits_option(*p, "--bytes", 32);
  if (!n) return error(n.err());
  if (*n > 64) return error("--bytes must be 1..64");
  auto v = udf::encryption_key(*n, p->has("--signature"));
  if (!v) return error(v.err());
  return print_line(udf::to_string(*v));
}

int cmd_earl(const args& a) {
  auto p = parse(a, {{"--bits", true}});
  if (!p) return error(p.err().what());
  if (wants_help(*p, help_earl)) return exit_ok;
  auto bits = bits_option(*p, "--bits", udf::earl_identifier_bits);
  if (!bits) return error(bits.err());
  result<udf::earl> e = fail(errc::invalid_argument, "udf earl takes HOST [KEY] or udf://HOST/KEY");
  if (p->pos.size() == 1 && p->pos[0].rfind("udf:", 0) == 0) {
    e = udf::parse_earl(p->pos[0], *bits);
  } else if (p->pos.size() == 1 || p->pos.size() == 2) {
    std::string key;
    if (p->pos.size() == 2) {
      key = p->pos[1];
    } else {
      auto k = udf::encryption_key(32);
      if (!k) return error(k.err());
      key = udf::to_string(*k);
    }
    e = udf::make_earl(p->pos[0], key, *bits);
  }
  if (!e) return error(e.err());
  std::fputs((e->locator + "\n" + e->identifier + "\n" + e->url + "\n").c_str(), stdout);
  return exit_ok;
}

int cmd_sin(const args& a) {
  auto p = parse(a, {{"--prefix", false}, {"--strip", false}});
  if (!p) return error(p.err().what());
  if (wants_help(*p, help_sin)) return exit_ok;
  if (p->has("--strip")) {
    if (p->pos.size() != 1) return error("udf sin --strip takes one NAME");
    auto r = udf::strip_strong_name(p->pos[0]);
    if (!r) return error(r.err());
    std::fputs((r->name + "\n" + r->udf + "\n").c_str(), stdout);
    return exit_ok;
  }
  if (p->pos.size() != 2) return error("udf sin takes NAME and UDF");
  auto s = udf::strong_name(p->pos[0], p->pos[1], p->has("--prefix") ? udf::sin_form::prefix : udf::sin_form::suffix);
  if (!s) return error(s.err());
  return print_line(*s);
}

int run(const args& a) {
  if (a.empty()) { std::fputs(help_main, stderr); return exit_error; }
  const std::string& sub = a[0];
  const args rest(a.begin() + 1, a.end());
  if (sub == "--help" || sub == "-h" || sub == "help") { std::fputs(help_main, stdout); return exit_ok; }
  if (sub == "digest") return cmd_digest(rest);
  if (sub == "mac") return cmd_mac(rest);
  if (sub == "parse") return cmd_parse(rest);
  if (sub == "verify") return cmd_verify(rest);
  if (sub == "split") return cmd_split(rest);
  if (sub == "recover") return cmd_recover(rest);
  if (sub == "nonce") return cmd_nonce(rest);
  if (sub == "key") return cmd_key(rest);
  if (sub == "earl") return cmd_earl(rest);
  if (sub == "sin") return cmd_sin(rest);
  return error("unknown udf subcommand '" + sub + "' (see darekit udf --help)");
}

const registrar reg{{"udf", "Uniform Data Fingerprints: digest, mac, parse, verify, split, recover, ...", &run}};

}  // namespace
}  // namespace darekit::cli
