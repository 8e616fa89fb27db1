// darekit key: key seeds, public keys and key identifiers (X25519 / Ed25519).
#include <cstdio>
#include <string>

#include "cli.hpp"
#include "darekit/udf/key_file.hpp"
#include "darekit/udf/key_id.hpp"

namespace darekit::cli {
namespace {

constexpr const char* help_main =
    "usage: darekit key <subcommand> [options] [args]\n"
    "\n"
    "subcommands:\n"
    "  gen   a new key seed UDF (type Z)\n"
    "  pub   the public key of a key file, as a JWK\n"
    "  id    the key identifier (UDF) of a key file's public key\n"
    "\n"
    "Key files hold a seed UDF (X25519 or Ed25519), an RFC 8037 OKP JWK, or the\n"
    "reference {\"PrivateKeyECDH\":{\"crv\":...,\"Private\":...}} form.\n"
    "Run 'darekit key <subcommand> --help' for its options.\n";

constexpr const char* help_gen =
    "usage: darekit key gen --alg x25519|ed25519 [--bytes N]\n"
    "\n"
    "Print a new random key seed UDF (type Z, 0xC8) for the algorithm, with N random\n"
    "seed bytes (default 32). Keep it secret: it is the private key.\n";

constexpr const char* help_pub =
    "usage: darekit key pub [--ecdh] [--name NAME] KEYFILE\n"
    "\n"
    "Print the public key of KEYFILE ('-' = stdin) as an RFC 8037 JWK\n"
    "{\"kty\":\"OKP\",\"crv\":...,\"x\":...}.\n"
    "\n"
    "  --ecdh       print the reference {\"PublicKeyECDH\":{...}} form instead\n"
    "  --name NAME  key name for seed derivation (HKDF info suffix; default empty)\n";

constexpr const char* help_id =
    "usage: darekit key id [--form 2024|18|rfc8410] [--content-type CT] [--bits N] [--name NAME] KEYFILE\n"
    "\n"
    "Print the key identifier of KEYFILE's public key: the content-digest UDF of its\n"
    "key-info DER. Default: the 2024 reference layout, content type \"PKIXKey\", 140 bits.\n"
    "\n"
    "  --form F           2024 (default), 18 (draft -18 era) or rfc8410 (standard SPKI)\n"
    "  --content-type CT  default PKIXKey\n"
    "  --bits N           precision, 96..520 (default 140)\n";

result<udf::key_pair> load(const parsed& p) {
  if (p.pos.size() != 1) return fail(errc::invalid_argument, "expected one KEYFILE");
  const std::string name = p.get("--name").value_or("");
  return udf::load_private_key(p.pos[0], {.key_name = name});
}

int cmd_gen(const args& a) {
  auto p = parse(a, {{"--alg", true}, {"--bytes", true}});
  if (!p) return error(p.err().what());
  if (p->has("--help")) { std::fputs(help_gen, stdout); return exit_ok; }
  if (!p->pos.empty()) return error("key gen takes no arguments");
  auto alg_s = p->get("--alg");
  if (!alg_s) return error("key gen needs --alg x25519|ed25519");
  udf::key_alg alg;
  if (*alg_s == "x25519" || *alg_s == "X25519") alg = udf::key_alg::x25519;
  else if (*alg_s == "ed25519" || *alg_s == "Ed25519") alg = udf::key_alg::ed25519;
#if defined(DAREKIT_WITH_OPENSSL)
  else if (*alg_s == "x448" || *alg_s == "X448") alg = udf::key_alg::x448;
  else if (*alg_s == "ed448" || *alg_s == "Ed448") alg = udf::key_alg::ed448;
#endif
  else return error("unknown --alg '" + *alg_s + "' (x25519, ed25519)");
  std::uint64_t n = 32;
  if (auto b = p->get("--bytes")) {
    auto v = parse_uint(*b, "--bytes");
    if (!v) return error(v.err());
    n = *v;
  }
  if (n < 16 || n > 64) return error("--bytes must be 16..64");
  auto seed = udf::generate_key_seed(alg, n);
  std::string s = udf::to_string(seed) + "\n";
  std::fputs(s.c_str(), stdout);
  wipe(s.data(), s.size());
  return exit_ok;
}

int cmd_pub(const args& a) {
  auto p = parse(a, {{"--ecdh", false}, {"--name", true}});
  if (!p) return error(p.err().what());
  if (p->has("--help")) { std::fputs(help_pub, stdout); return exit_ok; }
  auto kp = load(*p);
  if (!kp) return error(kp.err());
  const std::string out = json::to_string(p->has("--ecdh") ? udf::public_of(*kp).to_json() : udf::public_of(*kp).to_jwk());
  std::fputs((out + "\n").c_str(), stdout);
  return exit_ok;
}

int cmd_id(const args& a) {
  auto p = parse(a, {{"--form", true}, {"--content-type", true}, {"--bits", true}, {"--name", true}});
  if (!p) return error(p.err().what());
  if (p->has("--help")) { std::fputs(help_id, stdout); return exit_ok; }
  udf::key_id_options o;
  const std::string form = p->get("--form").value_or("2024");
  if (form == "2024") o.form = udf::key_id_form::reference_2024;
  else if (form == "18") o.form = udf::key_id_form::reference_18;
  else if (form == "rfc8410") o.form = udf::key_id_form::rfc8410;
  else return error("unknown --form '" + form + "' (2024, 18, rfc8410)");
  const std::string ct = p->get("--content-type").value_or(std::string(udf::content_type_pkix_key));
  o.content_type = ct;
  if (auto b = p->get("--bits")) {
    auto v = parse_uint(*b, "--bits");
    if (!v) return error(v.err());
    o.bits = *v;
  }
  auto kp = load(*p);
  if (!kp) return error(kp.err());
  auto id = udf::key_identifier(*kp, o);
  if (!id) return error(id.err());
  std::fputs((*id + "\n").c_str(), stdout);
  return exit_ok;
}

int run(const args& a) {
  if (a.empty()) { std::fputs(help_main, stderr); return exit_error; }
  const std::string& sub = a[0];
  const args rest(a.begin() + 1, a.end());
  if (sub == "--help" || sub == "-h" || sub == "help") { std::fputs(help_main, stdout); return exit_ok; }
  if (sub == "gen") return cmd_gen(rest);
  if (sub == "pub") return cmd_pub(rest);
  if (sub == "id") return cmd_id(rest);
  return error("unknown key subcommand '" + sub + "' (see darekit key --help)");
}

const registrar reg{{"key", "key seeds, public keys and key identifiers (X25519, Ed25519)", &run}};

}  // namespace
}  // namespace darekit::cli
