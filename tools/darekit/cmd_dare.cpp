// darekit dare: encode, decode, show and verify DARE envelopes, streaming.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "cli.hpp"
#include "darekit/core/file.hpp"
#include "darekit/dare.hpp"
#include "darekit/udf/key_file.hpp"

namespace darekit::cli {
namespace {

constexpr const char* help =
    "usage: darekit dare encode [--to PUBKEY]... [--sign KEYFILE]... [--enc XC20P|A256GCM|A256CBC]\n"
    "                           [--json|--jsonb] [--tagged] IN OUT\n"
    "       darekit dare decode --key KEYFILE... [--signer PUBKEY]... [--allow-unauthenticated] IN OUT\n"
    "       darekit dare show IN\n"
    "       darekit dare verify [--signer PUBKEY]... [--key KEYFILE] IN\n"
    "\n"
    "encode  Wrap IN in a DARE envelope. With --to (a public key file: JWK or\n"
    "        {\"PublicKeyECDH\":...}; repeatable) the payload is encrypted (default XC20P)\n"
    "        to every recipient; --sign adds a 2024 Ed25519 signature (and an S512 digest).\n"
    "        Output is JSON-B by default (--json: compact JSON text, body base64url).\n"
    "decode  Decrypt with a private key file (UDF seed, JWK or {\"PrivateKeyECDH\":...})\n"
    "        and write the payload to OUT. Every check (AEAD tags, PayloadDigest,\n"
    "        witness, --signer signatures) must pass; otherwise OUT is not created.\n"
    "        A256CBC payloads are unauthenticated: they are refused unless a --signer\n"
    "        vouches for them (checked before anything is decrypted or released) or\n"
    "        --allow-unauthenticated is given. On stdout, XC20P/A256GCM chunks stream\n"
    "        as each authenticates; the exit status decides.\n"
    "show    Print {\"tagged\",\"header\",\"trailer\",\"payload_length\"} as JSON (no key needed).\n"
    "verify  Exit 0 when the PayloadDigest matches the stored payload and every --signer\n"
    "        has a valid signature (and, with --key, the payload decrypts and\n"
    "        authenticates); exit 1 when a check fails.\n"
    "\n"
    "IN/OUT '-' mean stdin/stdout. Files are streamed; memory use does not grow with size.\n";

result<udf::key_pair> load_private(const std::string& path) {
  DAREKIT_TRY(bytes text, read_file(path, udf::max_key_file));
  auto k = udf::read_private_key(as_chars(text));
  if (k) return k;
  // The reference wraps long values inside strings; the DARE key reader tolerates that.
  auto d = dare::parse_private_key(as_chars(text));
  if (d) return d;
  return fail(k.code(), path + ": " + k.err().message);
}

result<dare::public_key> load_public(const std::string& path) {
  DAREKIT_TRY(bytes text, read_file(path, udf::max_key_file));
  auto k = dare::parse_public_key(as_chars(text));
  if (!k) return fail(k.code(), path + ": " + k.err().message);
  return k;
}

int encode_cmd(const parsed& p) {
  if (p.pos.size() != 2) return error("dare encode: need IN and OUT (see --help)");
  dare::encode_options o;
  for (const auto& t : p.all("--to")) {
    auto k = load_public(t);
    if (!k) return error(k.err());
    o.recipients.push_back(*k);
  }
  for (const auto& s : p.all("--sign")) {
    auto k = load_private(s);
    if (!k) return error(k.err());
    o.signers.push_back(*k);
  }
  if (auto e = p.get("--enc")) {
    auto a = dare::parse_enc(*e);
    if (!a || *a == dare::enc_alg::none) return error("dare encode: --enc must be XC20P, A256GCM or A256CBC");
    if (o.recipients.empty()) return error("dare encode: --enc needs at least one --to recipient");
    o.enc = *a;
  }
  if (p.has("--json") && p.has("--jsonb")) return error("dare encode: --json and --jsonb exclude each other");
  o.form = p.has("--json") ? dare::encoding::json : dare::encoding::jsonb;
  o.tagged = p.has("--tagged");
  auto out = io::output::open(p.pos[1]);
  if (!out) return error(out.err());
  auto w = dare::envelope_writer::create([&](byte_view b) { return out->write(b); }, o);
  if (!w) return error(w.err());
  result<void> wr;
  auto r = stream_file(p.pos[0], [&](byte_view b) { if (wr) wr = w->write(b); }, std::size_t(4) << 20);
  if (!r) return error(r.err());
  if (!wr) return error(wr.err());
  auto t = w->finish();
  if (!t) return error(t.err());
  auto c = out->commit();
  if (!c) return error(c.err());
  return exit_ok;
}

/// The --key private keys and --signer public keys of decode/verify.
result<void> load_keys(const parsed& p, dare::decode_options& o) {
  for (const auto& k : p.all("--key")) {
    DAREKIT_TRY(auto kp, load_private(k));
    o.keys.push_back(std::move(kp));
  }
  for (const auto& s : p.all("--signer")) {
    DAREKIT_TRY(auto k, load_public(s));
    o.signers.push_back(std::move(k));
  }
  return ok();
}

int decode_cmd(const parsed& p) {
  if (p.pos.size() != 2) return error("dare decode: need IN and OUT (see --help)");
  if (!p.has("--key")) return error("dare decode: --key KEYFILE is required");
  dare::decode_options o;
  o.allow_unauthenticated = p.has("--allow-unauthenticated");
  if (auto r = load_keys(p, o); !r) return error(r.err());
  auto r = dare::decode_file(p.pos[0], p.pos[1], o);
  if (!r) return error(r.err());
  return exit_ok;
}

int show_cmd(const parsed& p) {
  if (p.pos.size() != 1) return error("dare show: need IN (see --help)");
  auto in = io::file::open_input(p.pos[0]);
  if (!in) return error(in.err());
  dare::decode_options o;
  o.skip_payload = true;
  o.verify_digest = false;
  jsonb::input src(*in, std::size_t(1) << 20);
  auto r = dare::decode(src, [](byte_view) { return ok(); }, o);
  if (!r) return error(r.err());
  json::value v{json::object{{"tagged", r->tagged},
                             {"header", r->header.value()},
                             {"trailer", r->trailer.value()},
                             {"payload_length", std::uint64_t(r->stored_size)}}};
  std::string s = json::to_string(v);
  s += '\n';
  std::fputs(s.c_str(), stdout);
  return exit_ok;
}

int verify_cmd(const parsed& p) {
  if (p.pos.size() != 1) return error("dare verify: need IN (see --help)");
  dare::decode_options o;
  o.skip_payload = !p.has("--key");
  o.allow_unauthenticated = p.has("--allow-unauthenticated");
  if (auto r = load_keys(p, o); !r) return error(r.err());
  auto in = io::file::open_input(p.pos[0]);
  if (!in) return error(in.err());
  auto r = dare::decode(*in, [](byte_view) { return ok(); }, o);
  if (!r) return error(r.err());
  if (!r->digest_checked && !r->authenticated)
    return error("dare verify: nothing to verify (no PayloadDigest; give --key for an AEAD envelope)", exit_verify_failed);
  std::string msg = "verified:";
  if (r->digest_checked) msg += " PayloadDigest";
  if (r->authenticated) msg += " AEAD";
  if (r->signatures_verified) msg += " signatures=" + std::to_string(r->signatures_verified);
  msg += "\n";
  std::fputs(msg.c_str(), stderr);
  return exit_ok;
}

int run(const args& a) {
  if (a.empty() || a[0] == "--help" || a[0] == "-h") { std::fputs(help, a.empty() ? stderr : stdout); return a.empty() ? exit_error : exit_ok; }
  const std::string sub = a[0];
  const args rest(a.begin() + 1, a.end());
  auto p = parse(rest, {{"--to", true, true}, {"--sign", true, true}, {"--enc", true}, {"--json", false},
                        {"--jsonb", false}, {"--tagged", false}, {"--key", true, true}, {"--signer", true, true},
                        {"--allow-unauthenticated", false}});
  if (!p) return error(p.err().what());
  if (p->has("--help")) { std::fputs(help, stdout); return exit_ok; }
  if (sub == "encode") return encode_cmd(*p);
  if (sub == "decode") return decode_cmd(*p);
  if (sub == "show") return show_cmd(*p);
  if (sub == "verify") return verify_cmd(*p);
  return error("dare: unknown subcommand '" + sub + "' (encode, decode, show, verify)");
}

const registrar reg{{"dare", "DARE envelopes: encode, decode, show, verify", &run}};

}  // namespace
}  // namespace darekit::cli
