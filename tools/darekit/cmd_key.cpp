// darekit key: key seeds, public keys and key identifiers (X25519 / Ed25519; X448 / Ed448
// with the OpenSSL backend).
#include <memory>
#include <string>

#include "cli.hpp"
#include "darekit/udf/key_file.hpp"
#include "darekit/udf/key_id.hpp"

namespace darekit::cli {
namespace {

struct gen_args {
  std::string alg;
  std::size_t bytes = 32;
};
result<void> gen(const gen_args& a) {
  udf::key_alg alg;
  if (a.alg == "x25519" || a.alg == "X25519") alg = udf::key_alg::x25519;
  else if (a.alg == "ed25519" || a.alg == "Ed25519") alg = udf::key_alg::ed25519;
#if defined(DAREKIT_WITH_OPENSSL)
  else if (a.alg == "x448" || a.alg == "X448") alg = udf::key_alg::x448;
  else if (a.alg == "ed448" || a.alg == "Ed448") alg = udf::key_alg::ed448;
#endif
  else return fail(errc::invalid_argument, "unknown --alg '" + a.alg + "' (x25519, ed25519)");
  std::string s = udf::to_string(udf::generate_key_seed(alg, a.bytes)) + "\n";
  auto r = print(s);
  wipe(s.data(), s.size());
  return r;
}

/// The key file and key name every key command reads.
struct key_args {
  std::string file, name;
  CLI::App& declare(CLI::App& c) {
    c.add_option("--name", name, "key name for seed derivation (HKDF info suffix; default empty)")->type_name("NAME");
    c.add_option("KEYFILE", file, "private key file ('-' = stdin)")->required();
    return c;
  }
  result<udf::key_pair> load() const { return udf::load_private_key(file, {.key_name = name}); }
};

struct pub_args : key_args {
  bool ecdh = false;
};
result<void> pub(const pub_args& a) {
  DAREKIT_TRY(auto kp, a.load());
  const auto p = udf::public_of(kp);
  return print(json::to_string(a.ecdh ? p.to_json() : p.to_jwk()) + "\n");
}

struct id_args : key_args {
  std::string form = "2024", content_type{udf::content_type_pkix_key};
  std::size_t bits = udf::default_bits;
};
result<void> id(const id_args& a) {
  udf::key_id_options o;
  o.form = a.form == "2024" ? udf::key_id_form::reference_2024
           : a.form == "18" ? udf::key_id_form::reference_18
                            : udf::key_id_form::rfc8410;
  o.content_type = a.content_type;
  o.bits = a.bits;
  DAREKIT_TRY(auto kp, a.load());
  DAREKIT_TRY(auto s, udf::key_identifier(kp, o));
  return print(s + "\n");
}

void declare(CLI::App& root) {
  CLI::App& f = family(root, "key", "key seeds, public keys and key identifiers (X25519, Ed25519)");
  f.footer("Key files hold a seed UDF (X25519 or Ed25519), an RFC 8037 OKP JWK, or the\n"
           "reference {\"PrivateKeyECDH\":{\"crv\":...,\"Private\":...}} form.");

  auto g = std::make_shared<gen_args>();
  CLI::App& gc = command(f, "gen", "a new key seed UDF (type Z)", [g] { return gen(*g); });
  gc.add_option("--alg", g->alg, "x25519 or ed25519 (x448, ed448 with the OpenSSL backend)")->type_name("ALG")->required();
  gc.add_option("--bytes", g->bytes, "random seed bytes, 16..64 (default 32)")->type_name("N")->check(CLI::Range(16, 64));
  gc.footer("Prints a new random key seed UDF (type Z, 0xC8). Keep it secret: it is the private key.");

  auto p = std::make_shared<pub_args>();
  CLI::App& pc = p->declare(command(f, "pub", "the public key of a key file, as a JWK", [p] { return pub(*p); }));
  pc.add_flag("--ecdh", p->ecdh, "print the reference {\"PublicKeyECDH\":{...}} form instead");
  pc.footer("Prints the public key of KEYFILE as an RFC 8037 JWK {\"kty\":\"OKP\",\"crv\":...,\"x\":...}.");

  auto i = std::make_shared<id_args>();
  CLI::App& ic = i->declare(command(f, "id", "the key identifier (UDF) of a key file's public key", [i] { return id(*i); }));
  ic.add_option("--form", i->form, "2024 (default), 18 (draft -18 era) or rfc8410 (standard SPKI)")
      ->type_name("F")
      ->check(CLI::IsMember({"2024", "18", "rfc8410"}));
  ic.add_option("--content-type", i->content_type, "default PKIXKey")->type_name("CT");
  ic.add_option("--bits", i->bits, "precision, 96..520 (default 140)")->type_name("N");
  ic.footer("Prints the content-digest UDF of the public key's key-info DER. Default: the 2024 reference\n"
            "layout, content type \"PKIXKey\", 140 bits.");
}

const registrar reg{"key", &declare};

}  // namespace
}  // namespace darekit::cli
