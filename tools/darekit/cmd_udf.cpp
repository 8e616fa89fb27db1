// darekit udf: Uniform Data Fingerprints (digest, mac, parse, verify, split, recover,
// nonce, key, earl, sin). The ★ lines of DESIGN.md §4 are contracts. MAC keys, secrets
// and shares are read from files or stdin, never from the command line.
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "darekit/codec/hex.hpp"
#include "darekit/udf.hpp"

namespace darekit::cli {
namespace {

constexpr const char* default_content_type = "application/octet-stream";

std::string hex_byte(unsigned b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", b & 0xFFu);
  return buf;
}

result<void> print_line(std::string s) {
  s += '\n';
  auto r = print(s);
  wipe(s.data(), s.size());  // some lines are secrets (keys, shares); wipe them all
  return r;
}

result<void> check_content_type(const std::string& ct) {
  if (!utf8::valid(ct)) return fail(errc::invalid_argument, "content type is not valid UTF-8");
  return ok();
}

CLI::Option* content_type_option(CLI::App& c, std::string& ct) {
  return c.add_option("--content-type", ct, "content type hashed with the data (default application/octet-stream; UTF-8)")
      ->type_name("CT");
}
CLI::Option* bits_option(CLI::App& c, std::size_t& bits) {
  return c.add_option("--bits", bits, "precision in bits including the type byte, 96..520 (default 140)")
      ->type_name("N")
      ->check(CLI::Range(udf::minimum_bits, udf::digest_max_bits));
}

/// The text of a secret file without one trailing newline ("\n" or "\r\n").
result<secure_bytes> read_secret_text(const std::string& path, std::string_view what) {
  DAREKIT_CHECK(secret_file(path, what));
  DAREKIT_TRY(secure_bytes t, io::read_secret_file(path));
  std::size_t n = t.size();
  if (n && t.view()[n - 1] == '\n') --n;
  if (n && t.view()[n - 1] == '\r') --n;
  t.resize(n);
  return t;
}

constexpr const char* key_on_argv =
    "--key takes no key on the command line (it would be visible to every user); put the key in a file and use "
    "--key-file FILE, or --key-file - for stdin";

// --- digest, mac, verify

struct digest_args {
  bool sha3 = false;
  std::string ct = default_content_type, file = "-";
  std::size_t bits = udf::default_bits;
};
result<void> digest(const digest_args& a) {
  DAREKIT_CHECK(check_content_type(a.ct));
  udf::digest_stream ds(a.ct, a.sha3 ? udf::digest_alg::sha3_512 : udf::digest_alg::sha2_512);
  DAREKIT_CHECK(each_block(a.file, [&](byte_view b) { ds.update(b); return ok(); }));
  DAREKIT_TRY(auto v, ds.finish());
  DAREKIT_TRY(auto s, udf::present(v, a.bits));
  return print_line(s);
}

struct mac_args {
  std::string key_file, ct = default_content_type, file = "-";
  std::size_t bits = udf::default_bits;
};
result<udf::authenticator_stream> authenticator_for(const std::string& key_file, const std::string& ct,
                                                    const std::string& file) {
  if (key_file == "-" && file == "-") return fail(errc::invalid_argument, "the key file and FILE cannot both be stdin");
  DAREKIT_TRY(auto key, read_secret_text(key_file, "KEYFILE"));
  return udf::authenticator_stream(as_chars(key.view()), ct);
}
result<void> mac(const mac_args& a) {
  DAREKIT_CHECK(check_content_type(a.ct));
  DAREKIT_TRY(auto as, authenticator_for(a.key_file, a.ct, a.file));
  DAREKIT_CHECK(each_block(a.file, [&](byte_view b) { as.update(b); return ok(); }));
  DAREKIT_TRY(auto v, as.finish());
  DAREKIT_TRY(auto s, udf::present(v, a.bits));
  return print_line(s);
}

struct verify_args {
  std::string udf, ct = default_content_type, key_file, file;
  std::size_t min_bits = udf::minimum_bits;
};
result<void> verify(const verify_args& a) {
  udf::parse_options o;
  o.min_bits = a.min_bits;
  DAREKIT_TRY(auto v, udf::parse(a.udf, o));
  DAREKIT_CHECK(check_content_type(a.ct));
  const auto fam = v.info()->fam;
  if (fam == udf::family::digest) {
    DAREKIT_TRY(auto alg, udf::digest_algorithm(v.type_code()));
    udf::digest_stream ds(a.ct, alg);
    DAREKIT_CHECK(each_block(a.file, [&](byte_view b) { ds.update(b); return ok(); }));
    DAREKIT_TRY(auto fresh, ds.finish());
    return udf::verify_digest(v, fresh, a.min_bits);
  }
  if (fam == udf::family::authenticator) {
    if (v.type_code() != 0) return fail(errc::unsupported, "HMAC-SHA-3-512 authenticators (type 0x01) are not supported");
    if (a.key_file.empty()) return fail(errc::invalid_argument, "verifying an authenticator UDF needs --key-file KEYFILE");
    DAREKIT_TRY(auto as, authenticator_for(a.key_file, a.ct, a.file));
    DAREKIT_CHECK(each_block(a.file, [&](byte_view b) { as.update(b); return ok(); }));
    DAREKIT_TRY(auto fresh, as.finish());
    return udf::verify_authenticator(v, fresh, a.min_bits);
  }
  return fail(errc::invalid_argument,
              "udf verify needs a content-digest (M, K) or authenticator (A) UDF, got type " + hex_byte(v.type_code()));
}

// --- parse

struct parse_args {
  bool lenient = false;
  std::size_t min_bits = udf::minimum_bits;
  std::string udf;
};
result<void> parse(const parse_args& a) {
  udf::parse_options o;
  o.lenient = a.lenient;
  o.min_bits = a.min_bits;
  DAREKIT_TRY(auto v, udf::parse(a.udf, o));
  std::string out = hex::encode(v.binary()) + "\n";
  const auto info = v.info();
  out += "type: " + hex_byte(v.type_code()) + " '" + std::string(1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[v.type_code() >> 3]) +
         "' " + (info ? std::string(info->name) : std::string("unassigned")) + "\n";
  out += "precision: " + std::to_string(v.precision()) + " bits\n";
  if (info) {
    switch (info->fam) {
      case udf::family::digest:
        out += "compression: level " + std::to_string(info->compression) + " (" +
               std::to_string(udf::level_zero_bits(info->compression)) + " trailing zero bits)\n";
        break;
      case udf::family::shamir_share: {
        auto f = udf::decode_share(v);
        if (f) out += "threshold: " + std::to_string(f->threshold) + "\nindex: " + std::to_string(f->x) +
                      "\nsecret bytes: " + std::to_string(f->y.size()) + "\n";
        break;
      }
      case udf::family::key_seed: {
        auto alg = udf::seed_algorithm(v);
        if (alg) {
          const auto n = udf::key_alg_name(*alg);
          out += "algorithm: " + std::to_string(unsigned(*alg)) + (n.empty() ? "" : " (" + std::string(n) + ")") + "\n";
        }
        out += "seed bytes: " + std::to_string(v.data().size() - 2) + "\n";
        break;
      }
      default:
        out += "data bytes: " + std::to_string(v.data().size()) + "\n";
        break;
    }
  }
  return print(out);
}

// --- split, recover

struct split_args {
  unsigned threshold = 0, shares = 0;
  std::string file = "-";
};
result<void> split(const split_args& a) {
  if (a.threshold > a.shares) return fail(errc::invalid_argument, "need 1 <= K <= N <= 15");
  DAREKIT_TRY(auto text, read_secret_text(a.file, "SECRET-FILE"));
  auto v = udf::parse(as_chars(text.view()));
  if (!v) return fail(v.code(), a.file + ": " + v.err().message);
  if (v->type_code() != std::uint8_t(udf::type_id::encryption_key))
    return fail(errc::invalid_argument, "the secret must be an E-type key UDF (type 0x20), got type " + hex_byte(v->type_code()));
  DAREKIT_TRY(auto shares, udf::split(v->data(), a.threshold, a.shares));
  std::string out;
  out.reserve(shares.size() * 160);  // no reallocation leaves unwiped copies of shares behind
  for (const auto& s : shares) {
    std::string line = udf::to_string(s);
    out += line;
    out += '\n';
    wipe(line.data(), line.size());
  }
  auto r = print(out);
  wipe(out.data(), out.size());
  return r;
}

struct recover_args {
  std::string file = "-";
  const CLI::App* cmd = nullptr;
};
result<void> recover(const recover_args& a) {
  if (!a.cmd->remaining().empty())
    return fail(errc::invalid_argument,
                "shares are read from a file (one a line) or stdin, never from the command line (every user of the "
                "machine can read it): darekit udf recover SHARES-FILE, or darekit udf recover - < SHARES-FILE");
  DAREKIT_TRY(auto text, read_secret_text(a.file, "SHARES-FILE"));
  std::vector<udf::value> shares;
  std::string_view rest = as_chars(text.view());
  for (std::size_t line = 1; !rest.empty(); ++line) {
    const std::size_t nl = rest.find('\n');
    std::string_view l = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
    if (l.empty()) continue;
    auto v = udf::parse(l);
    if (!v) return fail(v.code(), a.file + ": line " + std::to_string(line) + ": " + v.err().message);
    shares.push_back(std::move(*v));
  }
  if (shares.empty()) return fail(errc::invalid_argument, a.file + ": no shares (one share UDF a line)");
  DAREKIT_TRY(auto s, udf::recover(shares));
  DAREKIT_TRY(auto e, udf::make_encryption_key(s.view()));
  return print_line(udf::to_string(e));
}

// --- nonce, key, earl, sin

struct random_args {
  std::size_t bytes;
  bool signature = false;
};

struct earl_args {
  std::size_t bits = udf::earl_identifier_bits;
  std::string host, key;
};
result<void> earl(const earl_args& a) {
  result<udf::earl> e = fail(errc::invalid_argument, "");
  if (a.key.empty() && a.host.rfind("udf:", 0) == 0) {
    e = udf::parse_earl(a.host, a.bits);
  } else {
    std::string key = a.key;
    if (key.empty()) {
      DAREKIT_TRY(auto k, udf::encryption_key(32));
      key = udf::to_string(k);
    }
    e = udf::make_earl(a.host, key, a.bits);
  }
  if (!e) return e.err();
  return print(e->locator + "\n" + e->identifier + "\n" + e->url + "\n");
}

struct sin_args {
  bool prefix = false, strip = false;
  std::string name, udf;
};
result<void> sin(const sin_args& a) {
  if (a.strip) {
    if (!a.udf.empty()) return fail(errc::invalid_argument, "udf sin --strip takes one NAME");
    DAREKIT_TRY(auto r, udf::strip_strong_name(a.name));
    return print(r.name + "\n" + r.udf + "\n");
  }
  if (a.udf.empty()) return fail(errc::invalid_argument, "udf sin takes NAME and UDF (or --strip NAME)");
  DAREKIT_TRY(auto s, udf::strong_name(a.name, a.udf, a.prefix ? udf::sin_form::prefix : udf::sin_form::suffix));
  return print_line(s);
}

void declare(CLI::App& root) {
  CLI::App& f = family(root, "udf", "Uniform Data Fingerprints: digest, mac, parse, verify, split, recover, ...");
  f.footer("Uniform Data Fingerprints (draft-hallambaker-mesh-udf-18).");

  auto d = std::make_shared<digest_args>();
  CLI::App& dc = command(f, "digest", "content-digest UDF of a file (SHA-2-512 or SHA-3-512), streaming", [d] { return digest(*d); });
  dc.add_flag("--sha3", d->sha3, "SHA-3-512 (type K) instead of SHA-2-512 (type M)");
  content_type_option(dc, d->ct);
  bits_option(dc, d->bits);
  dc.add_option("FILE", d->file, "the data ('-' or none: stdin)");

  auto m = std::make_shared<mac_args>();
  CLI::App& mc = command(f, "mac", "authenticator UDF (HMAC-SHA-2-512, type A) of a file under a key string", [m] { return mac(*m); });
  mc.add_option("--key-file", m->key_file, "file holding the key string ('-' = stdin; one trailing newline is not part of it)")
      ->type_name("KEYFILE")
      ->required();
  content_type_option(mc, m->ct);
  bits_option(mc, m->bits);
  mc.add_option("FILE", m->file, "the data ('-' or none: stdin)");
  refuse(mc, "--key", key_on_argv);
  mc.footer("The key string is used exactly as the file holds it (dashes included; usually a nonce UDF).");

  auto p = std::make_shared<parse_args>();
  CLI::App& pc = command(f, "parse", "decode a UDF: binary value in hex, then its fields", [p] { return parse(*p); });
  pc.add_flag("--lenient", p->lenient, "reference mode: skip every non-Base32 character, allow unknown types");
  pc.add_option("--min-bits", p->min_bits, "floor for fingerprint precision (default 96; e.g. 200 for trust anchors)")->type_name("N");
  pc.add_option("UDF", p->udf, "the UDF")->required();
  pc.footer("First line: the binary value (type byte + data, whole bytes) in lowercase hex.\n"
            "Following lines: type, precision and the fields of the type.");

  auto v = std::make_shared<verify_args>();
  CLI::App& vc = command(f, "verify", "check a file against a content-digest or authenticator UDF (exit 0/1)", [v] { return verify(*v); });
  vc.add_option("UDF", v->udf, "content-digest (M, K) or authenticator (A) UDF")->required();
  content_type_option(vc, v->ct);
  vc.add_option("--key-file", v->key_file, "file holding the key string of an authenticator UDF ('-' = stdin)")->type_name("KEYFILE");
  vc.add_option("--min-bits", v->min_bits, "required precision (default 96)")->type_name("N");
  vc.add_option("FILE", v->file, "the data ('-' = stdin)")->required();
  refuse(vc, "--key", key_on_argv);
  vc.footer("Checks up to the precision of UDF, any compression level. Exit 0 on a match, 1 on a mismatch,\n"
            "2 on other errors.");

  auto s = std::make_shared<split_args>();
  CLI::App& sc = command(f, "split", "Shamir-split an E-type key UDF into share UDFs", [s] { return split(*s); });
  sc.add_option("--threshold", s->threshold, "shares needed to recover, 1..15")->type_name("K")->required()->check(CLI::Range(1u, 15u));
  sc.add_option("--shares", s->shares, "shares made, K..15")->type_name("N")->required()->check(CLI::Range(1u, 15u));
  sc.add_option("SECRET-FILE", s->file, "file holding the secret E-type UDF ('-' or none: stdin; one trailing newline allowed)");
  sc.footer("Splits the key of an E-type UDF (type 0x20, 1..64 bytes) into N Shamir share UDFs (type S),\n"
            "any K of which recover it. One share a line on stdout.");

  auto r = std::make_shared<recover_args>();
  CLI::App& rc = command(f, "recover", "recover an E-type key UDF from share UDFs", [r] { return recover(*r); });
  rc.add_option("SHARES-FILE", r->file, "file holding the share UDFs, one a line, blank lines ignored ('-' or none: stdin)");
  rc.allow_extras();  // so that shares given the old way (on the command line) get a message that says how
  r->cmd = &rc;
  rc.footer("Prints the secret as an E-type UDF (type 0x20). Shares beyond the threshold are checked for consistency.");

  auto n = std::make_shared<random_args>(random_args{16});
  CLI::App& nc = command(f, "nonce", "a random nonce UDF", [n]() -> result<void> {
    DAREKIT_TRY(auto u, udf::nonce(n->bytes));
    return print_line(udf::to_string(u));
  });
  nc.add_option("--bytes", n->bytes, "random bytes (default 16); printed untruncated")->type_name("N");

  auto k = std::make_shared<random_args>(random_args{32});
  CLI::App& kc = command(f, "key", "a random encryption/authentication key UDF (type E)", [k]() -> result<void> {
    DAREKIT_TRY(auto u, udf::encryption_key(k->bytes, k->signature));
    return print_line(udf::to_string(u));
  });
  kc.add_option("--bytes", k->bytes, "key bytes, 1..64 (default 32); printed untruncated")->type_name("N")->check(CLI::Range(1, 64));
  kc.add_flag("--signature", k->signature, "type 0x21 instead of 0x20");

  auto e = std::make_shared<earl_args>();
  CLI::App& ec = command(f, "earl", "an Encrypted Authenticated Resource Locator for a host", [e] { return earl(*e); });
  ec.add_option("--bits", e->bits, "identifier precision (default 280)")->type_name("N");
  ec.add_option("HOST", e->host, "the host, or a whole locator udf://HOST/KEY")->required();
  ec.add_option("KEY", e->key, "the key string (default: a fresh 32-byte E-type key)");
  ec.footer("Prints the locator udf://HOST/KEY, its content identifier (SHA-2-512 digest of the key string,\n"
            "content type \"UDFEncryption\") and the resolution URL https://HOST/.well-known/mmm-udf/IDENTIFIER,\n"
            "one a line.");

  auto si = std::make_shared<sin_args>();
  CLI::App& sic = command(f, "sin", "build or strip a Strong Internet Name (mm-- label)", [si] { return sin(*si); });
  sic.add_flag("--prefix", si->prefix, "put the label first in the domain (alice@mm--....example.com)");
  sic.add_flag("--strip", si->strip, "print NAME without its mm-- label, then the UDF");
  sic.add_option("NAME", si->name, "a name (user@domain or domain)")->required();
  sic.add_option("UDF", si->udf, "the content-digest UDF to add (not with --strip)");
  sic.footer("NAME gets the UDF (at most 240 bits, lower case) as an mm-- label; by default as the last label\n"
             "(reference form).");
}

const registrar reg{"udf", &declare};

}  // namespace
}  // namespace darekit::cli
