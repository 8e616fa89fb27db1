// darekit seq: DARE sequences (DESIGN.md §3, §4): create, append, get, list, verify, prove,
// check-proof, checkpoint, check-checkpoint, erase, recover.
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "darekit/codec/hex.hpp"
#include "darekit/codec/json_simd.hpp"
#include "darekit/dare.hpp"

namespace darekit::cli {
namespace {

using file_seq = dare::sequence<io::file>;

/// --key private keys and the CBC opt-in of the reading commands.
struct read_keys {
  std::vector<std::string> keys;
  bool allow_unauthenticated = false;
  result<dare::open_options> options() const {
    dare::open_options o;
    for (const auto& k : keys) {
      DAREKIT_TRY(auto kp, udf::load_private_key(k));
      o.keys.push_back(std::move(kp));
    }
    o.allow_unauthenticated = allow_unauthenticated;
    return o;
  }
  void declare(CLI::App& c) {
    repeatable(c.add_option("--key", keys, "private key file of a recipient (repeatable)")->type_name("KEYFILE"));
    c.add_flag("--allow-unauthenticated", allow_unauthenticated, "read A256CBC frames (compat sequences; unauthenticated)");
  }
};

// A damaged sequence is a failed verification (exit 1); a missing file is not (exit 2).
result<file_seq> open_seq(const std::string& path, const dare::open_options& o, bool writable = false) {
  auto s = file_seq::open_file(path, o, writable);
  if (!s && (s.code() == errc::malformed || s.code() == errc::truncated))
    return fail(errc::verification_failed, path + ": not a whole sequence: " + s.err().message);
  return s;
}

result<std::uint64_t> index_arg(const std::string& s, const char* what) { return parse_uint(s, what); }

// --- create

struct create_args {
  std::string file, type = "merkle", dig = "S512", name, policy = "session", enc;
  std::vector<std::string> to;
  bool compat = false;
};
result<void> create(const create_args& a) {
  dare::sequence_options o;
  DAREKIT_TRY(o.type, dare::parse_type(std::string(1, char(a.type[0] - 32)) + a.type.substr(1)));
  o.mode = a.compat ? dare::integrity::compat : dare::integrity::linked;
  DAREKIT_TRY(o.dig, dare::parse_digest(a.dig));
  o.name = a.name;
  if (!a.name.empty() && !merkle::note::valid_name(a.name))
    return fail(errc::invalid_argument, "--name must be non-empty without spaces or '+' (it names the checkpoint key)");
  for (const auto& t : a.to) {
    DAREKIT_TRY(auto k, udf::load_public_key(t));
    o.encrypt_to.push_back(std::move(k));
  }
  o.policy = a.policy == "isolated" ? dare::key_policy::isolated : a.policy == "once" ? dare::key_policy::once : dare::key_policy::session;
  if (!a.enc.empty()) { DAREKIT_TRY(o.enc, dare::parse_enc(a.enc)); }
  DAREKIT_TRY(auto s, file_seq::create_file(a.file, o));
  return s.close();
}

// --- append

struct append_args : read_keys {
  std::string file, sync = "close";
  std::vector<std::string> data;
  bool lines = false;
  std::size_t chunk = 0;
};
result<void> append(const append_args& a) {
  DAREKIT_TRY(auto o, a.options());
  o.sync = a.sync == "none" ? dare::durability::none : a.sync == "frame" ? dare::durability::frame
         : a.sync == "batch" ? dare::durability::batch : dare::durability::close;
  DAREKIT_TRY(auto s, open_seq(a.file, o, true));
  std::vector<std::string> data = a.data;
  if (data.empty()) data.push_back("-");
  for (const auto& d : data) {
    if (d != "-") {
      DAREKIT_CHECK(s.append(as_bytes(d)));
      continue;
    }
    auto in = io::file::standard_input();
    if (!a.lines && a.chunk == 0) {  // all of stdin, one frame
      progress p("seq append " + a.file, input_size(in));
      DAREKIT_CHECK(s.append_stream(io::source_fn([&](byte_span b) -> result<std::size_t> {
        DAREKIT_TRY(std::size_t n, in.read(b));
        p.add(n);
        return n;
      })));
      continue;
    }
    // --lines / --chunk N: frames as the input arrives (each read's whole frames are one
    // batch: one lock, one group of multi-buffer digests), so `tail -f | seq append` is live.
    progress p("seq append " + a.file, input_size(in));
    bytes buf(std::size_t(4) << 20), carry;
    std::vector<byte_view> frames;
    for (;;) {
      DAREKIT_TRY(std::size_t n, in.read(byte_span(buf)));
      p.add(n);
      if (n == 0) break;
      darekit::append(carry, byte_view(buf.data(), n));
      frames.clear();
      std::size_t used = 0;
      if (a.lines) {
        for (std::size_t i = 0; i < carry.size(); ++i)
          if (carry[i] == '\n') { frames.push_back(byte_view(carry).subspan(used, i - used)); used = i + 1; }
      } else {
        for (; carry.size() - used >= a.chunk; used += a.chunk) frames.push_back(byte_view(carry).subspan(used, a.chunk));
      }
      if (!frames.empty()) DAREKIT_CHECK(s.append_batch(frames));
      carry.erase(carry.begin(), carry.begin() + std::ptrdiff_t(used));
    }
    if (!carry.empty()) DAREKIT_CHECK(s.append(carry));  // a last line without newline, a short last chunk
  }
  return s.close();
}

// --- get, list, verify

struct get_args : read_keys {
  std::string file, index;
};
result<void> get(const get_args& a) {
  DAREKIT_TRY(auto o, a.options());
  DAREKIT_TRY(auto s, open_seq(a.file, o));
  DAREKIT_TRY(auto k, index_arg(a.index, "INDEX"));
  auto out = io::file::standard_output();
  DAREKIT_CHECK(s.get(k, io::sink_fn(out)));
  return ok();
}

struct list_args {
  std::string file;
  bool json = false;
};
result<void> list(const list_args& a) {
  DAREKIT_TRY(auto s, open_seq(a.file, {}));
  json::array arr;
  std::string text;
  std::optional<dare::detail::stored_frame> f;
  DAREKIT_TRY(f, s.frame(0));
  while (f) {
    json::object o{{"index", f->index()}, {"offset", f->offset()}, {"payload_length", f->e.payload().length}};
    auto dig = [&](const char* name, std::optional<bytes> t, std::optional<bytes> h) {
      if (!t) t = h;
      if (t) o.emplace_back(name, hex::encode(*t));
    };
    dig("payload_digest", f->t.payload_digest(), f->h.payload_digest());
    dig("chain_digest", f->t.chain_digest(), f->h.chain_digest());
    dig("apex_digest", f->t.apex_digest(), f->h.apex_digest());
    if (f->pos.erased) o.emplace_back("erased", true);
    if (a.json) arr.push_back(std::move(o));
    else text += std::to_string(f->index()) + "\t" + std::to_string(f->offset()) + "\t" +
                 std::to_string(f->e.payload().length) + (f->pos.erased ? "\terased" : "") + "\n";
    DAREKIT_TRY(f, s.next(*f));
  }
  if (a.json) text = json::to_string(json::value(std::move(arr))) + "\n";
  return print(text);
}

struct verify_args : read_keys {
  std::string file;
};
result<void> verify(const verify_args& a) {
  DAREKIT_TRY(auto o, a.options());
  DAREKIT_TRY(auto s, open_seq(a.file, o));
  progress p("seq verify " + a.file, s.size(), "frames");
  dare::verify_options vo;
  vo.decrypt = !a.keys.empty();
  vo.progress = [&](std::uint64_t done, std::uint64_t) { p.set(done); };
  DAREKIT_TRY(auto rep, dare::verify(s, vo));
  p.done();
  if (!rep.ok()) return fail(errc::verification_failed, rep.problem);
  std::string out = "verified " + std::to_string(rep.frames) + " frames (" + std::string(dare::type_name(s.info().type)) +
                    (s.info().mode == dare::integrity::linked ? ", linked" : ", compat") + ", " +
                    std::string(dare::digest_name(s.info().dig)) + (vo.decrypt ? ", decrypted" : "") + ")\n";
  for (auto k : rep.erased) out += "erased " + std::to_string(k) + "\n";
  return print(out);
}

// --- proofs and checkpoints

/// A checkpoint verifier key: a public key file (JWK, PublicKeyECDH) or a C2SP vkey.
struct note_key {
  udf::public_key key;
  std::optional<std::string> name;  // from a vkey
};
result<note_key> load_note_key(const std::string& path) {
  auto k = udf::load_public_key(path);
  if (k) return note_key{std::move(*k), std::nullopt};
  DAREKIT_TRY(auto text, io::read_file(path, 1 << 16));
  std::string_view t = as_chars(text);
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.remove_suffix(1);
  auto v = merkle::note::verifier::from_vkey(t);
  if (!v) return k.err();
  udf::public_key p;
  p.alg = udf::key_alg::ed25519;
  p.key.assign(v->pub.begin(), v->pub.end());
  return note_key{std::move(p), v->name};
}
result<merkle::checkpoint> open_checkpoint_file(const std::string& path, const std::string& pub) {
  DAREKIT_TRY(auto nk, load_note_key(pub));
  DAREKIT_TRY(auto text, io::read_file(path, merkle::note::max_note_bytes));
  return dare::open_checkpoint(as_chars(text), nk.key, nk.name);
}
result<bytes> hex_arg(const std::string& s, const char* what) {
  auto b = hex::decode(s);
  if (!b || (b->size() != 32 && b->size() != 64)) return fail(errc::invalid_argument, std::string(what) + " must be a 32- or 64-byte hex digest");
  return std::move(*b);
}

struct prove_args {
  std::string file, index, sign, checkpoint;
  std::optional<std::uint64_t> size, consistency;
  bool c2sp = false;
};
result<void> prove(const prove_args& a) {
  DAREKIT_TRY(auto s, open_seq(a.file, {}));
  dare::prover<io::file> pv(s);
  if (a.consistency.has_value() == !a.index.empty()) return fail(errc::invalid_argument, "give INDEX or --consistency M (one of them)");
  std::optional<dare::inclusion_proof> inc;
  std::optional<dare::consistency_proof> con;
  if (a.consistency) { DAREKIT_TRY(con, pv.consistency(*a.consistency, a.size)); }
  else {
    DAREKIT_TRY(auto k, index_arg(a.index, "INDEX"));
    DAREKIT_TRY(inc, pv.inclusion(k, a.size));
  }
  if (!a.c2sp) return print((inc ? dare::to_json(*inc) : dare::to_json(*con)) + "\n");
  std::string cp;
  if (!a.sign.empty()) {
    DAREKIT_TRY(auto key, udf::load_private_key(a.sign));
    DAREKIT_TRY(cp, dare::sign_checkpoint(s, key, inc ? inc->tree_size : con->tree_size));
  } else if (!a.checkpoint.empty()) {
    DAREKIT_TRY(auto t, io::read_file(a.checkpoint, merkle::note::max_note_bytes));
    cp = std::string(as_chars(t));
  } else {
    return fail(errc::invalid_argument, "--c2sp needs the checkpoint: --sign KEYFILE, or --checkpoint FILE (a signed checkpoint of that size)");
  }
  DAREKIT_TRY(auto text, inc ? dare::to_c2sp(*inc, cp) : dare::to_c2sp(*con, cp));
  return print(text);
}

struct check_proof_args {
  std::string proof, root, checkpoint, pub, old_root;
};
result<void> check_proof(const check_proof_args& a) {
  DAREKIT_TRY(auto text, io::read_file(a.proof, 1 << 20));
  const std::string_view t = as_chars(text);
  if (!a.checkpoint.empty() && a.pub.empty()) return fail(errc::invalid_argument, "--checkpoint needs --pub KEY");
  if (!a.root.empty() && !a.checkpoint.empty()) return fail(errc::invalid_argument, "give --root or --checkpoint, not both");
  std::optional<bytes> trusted, old_trusted;
  if (!a.root.empty()) { DAREKIT_TRY(trusted, hex_arg(a.root, "--root")); }
  if (!a.old_root.empty()) { DAREKIT_TRY(old_trusted, hex_arg(a.old_root, "--old-root")); }
  std::optional<merkle::checkpoint> cp;
  if (!a.checkpoint.empty()) { DAREKIT_TRY(cp, open_checkpoint_file(a.checkpoint, a.pub)); }
  auto untrusted = [&] {
    if (!trusted && !cp)
      std::fputs("darekit: seq check-proof: checked against the root inside the proof; give --root HEX or "
                 "--checkpoint FILE --pub KEY to check it against a root you trust\n", stderr);
  };
  const bool c2sp = t.substr(0, merkle::tlog_proof::header.size()) == merkle::tlog_proof::header;
  if (c2sp || t.substr(0, 4) == "old ") {  // C2SP forms carry their own signed checkpoint
    if (a.pub.empty()) return fail(errc::invalid_argument, "a C2SP proof is checked with the log's key: --pub KEY");
    DAREKIT_TRY(auto nk, load_note_key(a.pub));
    auto check_cp = [&](const merkle::checkpoint& mine) -> result<void> {
      if (trusted && !ct_equal(*trusted, mine.root)) return fail(errc::verification_failed, "the proof's checkpoint root is not --root");
      if (cp && (cp->size != mine.size || !ct_equal(cp->root, mine.root)))
        return fail(errc::verification_failed, "the proof's checkpoint differs from --checkpoint");
      return ok();
    };
    if (c2sp) {
      DAREKIT_TRY(auto p, dare::verify_c2sp_inclusion(t, nk.key));
      return check_cp(merkle::checkpoint{"", p.tree_size, p.root, {}});
    }
    if (!old_trusted) return fail(errc::invalid_argument, "a consistency proof needs the old root: --old-root HEX");
    DAREKIT_TRY(auto p, dare::verify_c2sp_consistency(t, nk.key, *old_trusted));
    return check_cp(merkle::checkpoint{"", p.tree_size, p.root, {}});
  }
  DAREKIT_TRY(auto v, json::parse_text(t));
  DAREKIT_TRY(auto any, dare::proof_from_json(v));
  const std::uint64_t size = any.inclusion ? any.inclusion->tree_size : any.consistency->tree_size;
  if (cp && cp->size != size) return fail(errc::verification_failed, "the checkpoint is for tree size " + std::to_string(cp->size) + ", the proof for " + std::to_string(size));
  const bytes root = trusted ? *trusted : cp ? cp->root : any.inclusion ? any.inclusion->root : any.consistency->root;
  untrusted();
  if (any.inclusion) return dare::verify(*any.inclusion, root);
  return dare::verify(*any.consistency, old_trusted ? *old_trusted : any.consistency->old_root, root);
}

struct checkpoint_args {
  std::string file, sign;
  std::optional<std::uint64_t> size;
};
result<void> checkpoint(const checkpoint_args& a) {
  DAREKIT_TRY(auto key, udf::load_private_key(a.sign));
  DAREKIT_TRY(auto s, open_seq(a.file, {}));
  DAREKIT_TRY(auto note, dare::sign_checkpoint(s, key, a.size));
  return print(note);
}

struct check_checkpoint_args {
  std::string checkpoint, pub, file;
};
result<void> check_checkpoint(const check_checkpoint_args& a) {
  DAREKIT_TRY(auto c, open_checkpoint_file(a.checkpoint, a.pub));
  if (!a.file.empty()) {
    DAREKIT_TRY(auto s, open_seq(a.file, {}));
    DAREKIT_CHECK(dare::check_checkpoint(s, c));
  }
  return print(c.origin + " " + std::to_string(c.size) + " " + hex::encode(c.root) + "\n");
}

// --- erase, recover

struct index_args {
  std::string file, index;
};
result<void> erase(const index_args& a) {
  DAREKIT_TRY(auto k, index_arg(a.index, "INDEX"));
  DAREKIT_TRY(auto s, open_seq(a.file, {}, true));
  DAREKIT_CHECK(s.erase(k));
  return s.close();
}
result<void> recover(const std::string& file) {
  auto s = file_seq::open_file(file, {}, true);
  if (!s) return s.err();
  const std::uint64_t before = s->committed();
  DAREKIT_TRY(auto size, io::file::open(file));
  DAREKIT_TRY(std::uint64_t bytes_now, size.size());
  DAREKIT_TRY(auto n, s->recover());
  if (bytes_now > before)
    std::fprintf(stderr, "darekit: seq recover: removed %llu bytes of a torn tail\n", (unsigned long long)(bytes_now - before));
  return print(std::to_string(n) + "\n");
}

void declare(CLI::App& root) {
  CLI::App& f = family(root, "seq", "DARE sequences: create, append, get, list, verify, prove, checkpoint, erase, recover");
  f.footer("A sequence is an append-only file of DARE frames, encrypted frame by frame and, as a linked\n"
           "Merkle sequence (the default), an RFC 9162 tree whose every frame can be proven with a few\n"
           "hundred bytes. FILE.idx beside it is an offset cache. See docs/FORMAT.md.");

  auto c = std::make_shared<create_args>();
  CLI::App& cc = command(f, "create", "create a new sequence (frame 0)", [c] { return create(*c); });
  cc.add_option("--type", c->type, "list, digest, chain, tree or merkle (default)")->check(CLI::IsMember({"list", "digest", "chain", "tree", "merkle"}));
  cc.add_flag("--compat", c->compat, "the reference implementation's digests (no cross-frame integrity), A256CBC");
  cc.add_option("--dig", c->dig, "S512 (default) or S256 (RFC 6962-compatible trees)")->check(CLI::IsMember({"S512", "S256"}));
  cc.add_option("--name", c->name, "checkpoint origin (default darekit/seq/<SequenceId UDF>)")->type_name("ORIGIN");
  repeatable(cc.add_option("--encrypt-to", c->to, "recipient public key file (repeatable): encrypt every frame")->type_name("PUBKEY"));
  cc.add_option("--policy", c->policy, "key exchange per frame (isolated), once (frame 0), or per writer session (default)")
      ->check(CLI::IsMember({"isolated", "once", "session"}));
  cc.add_option("--enc", c->enc, "frame cipher: XC20P (default), A256GCM, A256CBC (default with --compat)")
      ->check(CLI::IsMember({"XC20P", "A256GCM", "A256CBC"}));
  cc.add_option("FILE", c->file, "the new sequence (never overwritten)")->required();

  auto ap = std::make_shared<append_args>();
  CLI::App& ac = command(f, "append", "append frames: each DATA, each line, each N bytes, or all of stdin", [ap] { return append(*ap); });
  ac.add_option("FILE", ap->file, "the sequence")->required();
  repeatable(ac.add_option("--key", ap->keys, "private key file (needed to append under the Once policy)")->type_name("KEYFILE"));
  auto* ln = ac.add_flag("--lines", ap->lines, "one frame per input line (without its newline), appended as lines arrive");
  ac.add_option("--chunk", ap->chunk, "one frame per N bytes of input")->type_name("N")->check(CLI::Range(std::size_t(1), std::size_t(1) << 30))->excludes(ln);
  ac.add_option("--sync", ap->sync, "durability: none, frame, batch, close (default: fdatasync when done)")
      ->check(CLI::IsMember({"none", "frame", "batch", "close"}));
  ac.add_option("DATA", ap->data, "frame contents; '-' (the default) reads stdin");
  ac.footer("Example: tail -f app.log | darekit seq append audit.dseq --lines -");

  auto g = std::make_shared<get_args>();
  CLI::App& gc = command(f, "get", "write the payload of frame INDEX to stdout (decrypted, checked)", [g] { return get(*g); });
  g->declare(gc);
  gc.add_option("FILE", g->file, "the sequence")->required();
  gc.add_option("INDEX", g->index, "frame index (0 is the sequence header frame)")->required();

  auto l = std::make_shared<list_args>();
  CLI::App& lc = command(f, "list", "one line (or --json object) per frame", [l] { return list(*l); });
  lc.add_flag("--json", l->json, "a JSON array: index, offset, payload_length, digests (hex), erased");
  lc.add_option("FILE", l->file, "the sequence")->required();

  auto v = std::make_shared<verify_args>();
  CLI::App& vc = command(f, "verify", "check every frame and the whole chain/tree (exit 0/1); erased frames are listed", [v] { return verify(*v); });
  v->declare(vc);
  vc.add_option("FILE", v->file, "the sequence")->required();
  vc.footer("With --key every frame is also decrypted and authenticated.");

  auto p = std::make_shared<prove_args>();
  CLI::App& pc = command(f, "prove", "an RFC 9162 inclusion proof of INDEX, or --consistency M, as JSON (hex)", [p] { return prove(*p); });
  pc.add_option("FILE", p->file, "the sequence")->required();
  pc.add_option("INDEX", p->index, "the frame to prove");
  pc.add_option("--consistency", p->consistency, "prove that the first M frames are a prefix")->type_name("M");
  pc.add_option("--size", p->size, "tree size N (default: every frame)")->type_name("N");
  pc.add_flag("--c2sp", p->c2sp, "write a C2SP tlog-proof@v1 file (consistency: the tlog-witness body) instead");
  pc.add_option("--sign", p->sign, "with --c2sp: sign its checkpoint with this Ed25519 key")->type_name("KEYFILE");
  pc.add_option("--checkpoint", p->checkpoint, "with --c2sp: embed this signed checkpoint")->type_name("FILE");

  auto cp = std::make_shared<check_proof_args>();
  CLI::App& cpc = command(f, "check-proof", "check a proof with nothing but it and a trusted root (exit 0/1)", [cp] { return check_proof(*cp); });
  cpc.add_option("PROOF", cp->proof, "the proof (JSON from seq prove, or C2SP)")->required();
  auto* ro = cpc.add_option("--root", cp->root, "the trusted root (hex)")->type_name("HEX");
  cpc.add_option("--checkpoint", cp->checkpoint, "a signed checkpoint giving the trusted root")->type_name("FILE")->excludes(ro);
  cpc.add_option("--pub", cp->pub, "the log's public key (JWK, PublicKeyECDH or C2SP vkey)")->type_name("KEY");
  cpc.add_option("--old-root", cp->old_root, "consistency proofs: the trusted old root (hex)")->type_name("HEX");

  auto k = std::make_shared<checkpoint_args>();
  CLI::App& kc = command(f, "checkpoint", "a C2SP signed checkpoint (origin, size, root) on stdout", [k] { return checkpoint(*k); });
  kc.add_option("FILE", k->file, "the sequence")->required();
  kc.add_option("--sign", k->sign, "Ed25519 private key file")->type_name("KEYFILE")->required();
  kc.add_option("--size", k->size, "tree size (default: every frame)")->type_name("N");

  auto ck = std::make_shared<check_checkpoint_args>();
  CLI::App& ckc = command(f, "check-checkpoint", "verify a signed checkpoint (and, with FILE, that it is this sequence's)", [ck] { return check_checkpoint(*ck); });
  ckc.add_option("CHECKPOINT", ck->checkpoint, "the signed checkpoint ('-' = stdin)")->required();
  ckc.add_option("--pub", ck->pub, "the log's public key (JWK, PublicKeyECDH or C2SP vkey)")->type_name("PUBKEY")->required();
  ckc.add_option("FILE", ck->file, "the sequence it must match");

  auto e = std::make_shared<index_args>();
  CLI::App& ec = command(f, "erase", "erase frame INDEX in place: undecryptable for everyone, proofs intact", [e] { return erase(*e); });
  ec.add_option("FILE", e->file, "the sequence")->required();
  ec.add_option("INDEX", e->index, "the frame")->required();

  auto r = std::make_shared<std::string>();
  CLI::App& rc = command(f, "recover", "truncate a torn tail to the last whole frame; prints the frames that remain", [r] { return recover(*r); });
  rc.add_option("FILE", *r, "the sequence")->required();
}

const registrar reg{"seq", &declare};

}  // namespace
}  // namespace darekit::cli
