// darekit dare: encode, decode, show and verify DARE envelopes, streaming.
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "darekit/core/file.hpp"
#include "darekit/dare.hpp"

namespace darekit::cli {
namespace {

/// The key files of a command: --key private keys, --signer / --to public keys.
struct key_files {
  std::vector<std::string> keys, signers;
  result<void> load(dare::decode_options& o) const {
    for (const auto& k : keys) {
      DAREKIT_TRY(auto kp, udf::load_private_key(k));
      o.keys.push_back(std::move(kp));
    }
    for (const auto& s : signers) {
      DAREKIT_TRY(auto pk, udf::load_public_key(s));
      o.signers.push_back(std::move(pk));
    }
    return ok();
  }
};

/// Decode the envelope in `path` into `sink`, with progress over the envelope bytes. A
/// regular file is read positionally (payloads verified before release are read twice,
/// not spooled); stdin and pipes are streamed.
result<dare::envelope_info> decode_file(const std::string& path, const io::sink_fn& sink, const dare::decode_options& o) {
  DAREKIT_TRY(auto in, io::file::open_input(path));
  progress p(std::string(current_command()) + " " + path, input_size(in));
  if (in.is_regular()) {
    struct counted {
      const io::file& f;
      progress& p;
      result<std::size_t> read_at(std::uint64_t off, byte_span b) const {
        DAREKIT_TRY(std::size_t n, f.read_at(off, b));
        p.add(n);
        return n;
      }
      result<std::uint64_t> size() const { return f.size(); }
    } src{in, p};
    return dare::decode(src, sink, o);
  }
  jsonb::input src(
      [&](byte_span b) -> result<std::size_t> {
        DAREKIT_TRY(std::size_t n, in.read(b));
        p.add(n);
        return n;
      },
      std::size_t(1) << 20);
  return dare::decode(src, sink, o);
}

struct encode_args {
  std::vector<std::string> to, sign;
  std::string enc, in, out;
  bool json = false, jsonb = false, tagged = false;
};
result<void> encode(const encode_args& a) {
  dare::encode_options o;
  for (const auto& t : a.to) {
    DAREKIT_TRY(auto k, udf::load_public_key(t));
    o.recipients.push_back(std::move(k));
  }
  for (const auto& s : a.sign) {
    DAREKIT_TRY(auto k, udf::load_private_key(s));
    o.signers.push_back(std::move(k));
  }
  if (!a.enc.empty()) {
    DAREKIT_TRY(o.enc, dare::parse_enc(a.enc));
  }
  o.form = a.json ? dare::encoding::json : dare::encoding::jsonb;
  o.tagged = a.tagged;
  DAREKIT_TRY(auto out, io::output::open(a.out));
  DAREKIT_TRY(auto w, dare::envelope_writer::create(out, o));
  DAREKIT_CHECK(each_block(a.in, [&](byte_view b) { return w.write(b); }));
  DAREKIT_CHECK(w.finish());
  return out.commit();
}

struct decode_args : key_files {
  std::string in, out;
  bool allow_unauthenticated = false;
};
result<void> decode(const decode_args& a) {
  dare::decode_options o;
  o.allow_unauthenticated = a.allow_unauthenticated;
  DAREKIT_CHECK(a.load(o));
  DAREKIT_TRY(auto out, io::output::open(a.out));
  DAREKIT_CHECK(decode_file(a.in, out, o));
  return out.commit();
}

result<void> show(const std::string& in) {
  dare::decode_options o;
  o.skip_payload = true;
  o.verify_digest = false;
  DAREKIT_TRY(auto r, decode_file(in, [](byte_view) { return ok(); }, o));
  json::value v{json::object{{"tagged", r.tagged},
                             {"header", r.header.value()},
                             {"trailer", r.trailer.value()},
                             {"payload_length", std::uint64_t(r.stored_size)}}};
  return print(json::to_string(v) + "\n");
}

struct verify_args : key_files {
  std::string in;
  bool allow_unauthenticated = false;
};
result<void> verify(const verify_args& a) {
  dare::decode_options o;
  o.skip_payload = a.keys.empty();
  o.allow_unauthenticated = a.allow_unauthenticated;
  DAREKIT_CHECK(a.load(o));
  DAREKIT_TRY(auto r, decode_file(a.in, [](byte_view) { return ok(); }, o));
  if (!r.digest_checked && !r.authenticated)
    return fail(errc::verification_failed, "nothing to verify (no PayloadDigest; give --key for an AEAD envelope)");
  std::string msg = "verified:";
  if (r.digest_checked) msg += " PayloadDigest";
  if (r.authenticated) msg += " AEAD";
  if (r.signatures_verified) msg += " signatures=" + std::to_string(r.signatures_verified);
  msg += "\n";
  std::fputs(msg.c_str(), stderr);
  return ok();
}

CLI::Option* signer_option(CLI::App& c, std::vector<std::string>& signers, const char* what) {
  return repeatable(c.add_option("--signer", signers, what)->type_name("PUBKEY"));
}

void declare(CLI::App& root) {
  CLI::App& f = family(root, "dare", "DARE envelopes: encode, decode, show, verify");
  f.footer("IN/OUT '-' mean stdin/stdout. Files are streamed; memory use does not grow with size.\n"
           "Private key files: UDF seed, JWK or {\"PrivateKeyECDH\":...}; public: JWK or {\"PublicKeyECDH\":...}.");

  auto e = std::make_shared<encode_args>();
  CLI::App& ec = command(f, "encode", "wrap IN in a DARE envelope (encrypted to --to, signed by --sign)", [e] { return encode(*e); });
  auto* to = repeatable(ec.add_option("--to", e->to, "recipient public key file (repeatable): encrypts the payload")->type_name("PUBKEY"));
  repeatable(ec.add_option("--sign", e->sign, "signer private key file (repeatable): a 2024 Ed25519 signature and an S512 digest")
                 ->type_name("KEYFILE"));
  ec.add_option("--enc", e->enc, "payload cipher with --to (default XC20P)")
      ->type_name("ALG")
      ->check(CLI::IsMember({"XC20P", "A256GCM", "A256CBC"}))
      ->needs(to);
  auto* js = ec.add_flag("--json", e->json, "compact JSON text, body base64url");
  ec.add_flag("--jsonb", e->jsonb, "JSON-B (the default)")->excludes(js);
  ec.add_flag("--tagged", e->tagged, "the tagged envelope form");
  ec.add_option("IN", e->in, "the payload ('-' = stdin)")->required();
  ec.add_option("OUT", e->out, "the envelope ('-' = stdout); a file appears only when complete")->required();

  auto d = std::make_shared<decode_args>();
  CLI::App& dc = command(f, "decode", "decrypt and check an envelope, write its payload to OUT", [d] { return decode(*d); });
  repeatable(dc.add_option("--key", d->keys, "private key file (repeatable)")->type_name("KEYFILE")->required());
  signer_option(dc, d->signers, "public key file of a signer that must have signed (repeatable)");
  dc.add_flag("--allow-unauthenticated", d->allow_unauthenticated,
              "accept A256CBC payloads that no given --signer vouches for (reference files)");
  dc.add_option("IN", d->in, "the envelope ('-' = stdin)")->required();
  dc.add_option("OUT", d->out, "the payload ('-' = stdout)")->required();
  dc.footer("Every check (AEAD tags, PayloadDigest, witness, --signer signatures) must pass; otherwise OUT\n"
            "is not created. A256CBC payloads are unauthenticated: refused unless a --signer vouches for them\n"
            "(checked before anything is decrypted or released) or --allow-unauthenticated is given. Written to\n"
            "stdout or a pipe, XC20P/A256GCM chunks stream as each authenticates: provisional until exit 0.");

  auto s = std::make_shared<std::string>();
  CLI::App& sc = command(f, "show", "print the header and trailer as JSON (no key needed)", [s] { return show(*s); });
  sc.add_option("IN", *s, "the envelope ('-' = stdin)")->required();
  sc.footer("Prints {\"tagged\",\"header\",\"trailer\",\"payload_length\"}.");

  auto v = std::make_shared<verify_args>();
  CLI::App& vc = command(f, "verify", "check PayloadDigest, signatures and (with --key) the AEAD tag (exit 0/1)", [v] { return verify(*v); });
  signer_option(vc, v->signers, "public key file of a signer that must have signed (repeatable)");
  repeatable(vc.add_option("--key", v->keys, "private key file: also decrypt and authenticate the payload")->type_name("KEYFILE"));
  vc.add_flag("--allow-unauthenticated", v->allow_unauthenticated, "with --key: decrypt A256CBC payloads no --signer vouches for");
  vc.add_option("IN", v->in, "the envelope ('-' = stdin)")->required();
  vc.footer("Exit 0 when the PayloadDigest matches the stored payload and every --signer has a valid\n"
            "signature (and, with --key, the payload decrypts and authenticates); exit 1 when a check fails.");
}

const registrar reg{"dare", &declare};

}  // namespace
}  // namespace darekit::cli
