// Reading DARE envelopes (spec §3, §6) in every encoding the reference writes (JSON text
// with wrapped base64, JSON-B, the mixed form), tagged or untagged, with these rules
// (docs/SECURITY.md):
//
// - Nothing is reported verified that was not computed here: with signers, the stored
//   bytes are always hashed (skip_payload included) and each signature is checked over
//   that digest.
// - XC20P / A256GCM plaintext is released chunk by chunk, each chunk once it
//   authenticates; the envelope as a whole (truncation, trailer, digest, signatures) is
//   verified when decode() returns, so streamed output is provisional until then.
// - A256CBC plaintext (unauthenticated, the reference profile) is refused unless a given
//   signer vouches for it or allow_unauthenticated is set; PayloadDigest and signatures
//   are checked before any unpadding or release (two passes over a positional source,
//   a bounded spool for a stream); every A256CBC failure gives the same error.
// - A signed unencrypted payload is also verified before it is released.
//
//   dare::decode_options o; o.keys.push_back(bob_private);
//   auto info = dare::decode(file, plaintext_sink, o);     // any io::positional_source
//   auto info = dare::decode(envelope_bytes, plaintext, o); // in memory
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "darekit/codec/base64.hpp"
#include "darekit/codec/detail/jsonb_input.hpp"
#include "darekit/codec/jsonb.hpp"
#include "darekit/core/file.hpp"
#include "darekit/core/io.hpp"
#include "darekit/dare/envelope_writer.hpp"
#include "darekit/dare/item_crypto.hpp"

namespace darekit::dare {

/// How to decode.
struct decode_options {
  std::vector<udf::key_pair> keys;      ///< private keys to try on the recipients
  std::vector<public_key> signers;      ///< each must have a verifying signature
  bool skip_payload = false;            ///< neither decrypt nor release the payload (no keys needed); it is still hashed
  bool verify_digest = true;            ///< compare PayloadDigest with the stored bytes (always on with signers)
  bool allow_unauthenticated = false;   ///< accept A256CBC payloads no given signer vouches for
  bool allow_trailing_data = false;     ///< accept bytes after the envelope
  std::size_t spool_limit = std::size_t(1) << 26;  ///< most stored bytes held to verify a stream before release
  json::limits lim{json::limits{64, std::size_t(1) << 24, std::size_t(1) << 16, std::size_t(1) << 26}};
};

/// What decode() found.
struct envelope_info {
  dare::header header;
  dare::trailer trailer;
  bool tagged = false;
  bool encrypted = false;
  bool authenticated = false;   ///< payload authenticated by an AEAD tag
  bool digest_checked = false;  ///< PayloadDigest present and equal to the digest of the stored bytes
  std::optional<bytes> computed_digest;
  std::uint64_t stored_size = 0, plaintext_size = 0;
  std::vector<bytes> annotations;          ///< decoded annotation bodies
  std::optional<json::value> cloaked;      ///< decoded cloaked header
  std::size_t signatures_verified = 0;
};

namespace detail {

using consume_fn = std::function<result<void>(byte_view)>;
/// Replays the body starting at a byte offset of the input (the second pass), or empty
/// for a stream that cannot be read again.
using replay_fn = std::function<result<void>(std::uint64_t offset, const consume_fn&)>;

inline error cbc_failure() {
  return fail(errc::verification_failed, "the A256CBC payload did not verify");
}
inline error cbc_refused() {
  return fail(errc::verification_failed,
              "refusing to decrypt an unauthenticated A256CBC payload: no given signer vouches for it "
              "(--signer PUBKEY; or --allow-unauthenticated / decode_options::allow_unauthenticated to read it anyway)");
}

/// The body: a base64url JSON string or JSON-B binary chunks; every stored byte goes to
/// `consume`, in order.
inline result<void> read_body(jsonb::input& in, jsonb::reader& r, const consume_fn& consume) {
  const int c = r.peek();
  if (c == '"') {
    in.get();
    base64::url_stream_decoder b64;
    bytes stored;
    for (;;) {
      auto a = in.available();
      if (a.empty()) return in.end_error();
      DAREKIT_TRY(std::size_t q, b64.update(a, stored));
      const bool done = q != std::size_t(-1);
      in.consume(done ? q + 1 : a.size());
      if (done) DAREKIT_CHECK(b64.finish(stored));
      if (done || stored.size() >= body_flush) { DAREKIT_CHECK(consume(stored)); stored.clear(); }
      if (done) return ok();
    }
  }
  if (c >= jsonb::tag::data_term && c <= jsonb::tag::data_chunk + 3) {
    for (;;) {
      DAREKIT_TRY(auto ch, r.binary_chunk());
      std::uint64_t left = ch.length;
      while (left) {
        auto a = in.available();
        if (a.empty()) return in.end_error();
        const std::size_t k = std::size_t(std::min<std::uint64_t>(left, a.size()));
        DAREKIT_CHECK(consume(a.first(k)));
        in.consume(k);
        left -= k;
      }
      if (ch.final) return ok();
    }
  }
  if (c < 0) return in.end_error();
  return fail(errc::malformed, "expected the envelope payload");
}

/// Decode from `in`; `replay` (when set) re-reads the body for payloads that are verified
/// before release, otherwise they are spooled. Plaintext goes to `direct` when given (in
/// memory, no copy), else to `plaintext`.
inline result<envelope_info> decode_impl(jsonb::input& in, const replay_fn& replay, const sink_fn& plaintext,
                                         bytes* direct, const decode_options& o) {
  envelope_info info;
  jsonb::read_options ro;
  ro.lim = o.lim;
  jsonb::reader r(in, ro);
  if (r.peek() < 0) return in.end_error();
  if (r.peek() == '{') {
    in.get();
    DAREKIT_TRY(auto n, r.name());
    if (n != "DareEnvelope") return fail(errc::malformed, "expected a DareEnvelope, found \"" + n + "\"");
    info.tagged = true;
  }
  DAREKIT_CHECK(r.expect('['));
  if (r.peek() != '{') return fail(errc::malformed, "the envelope header must be an object");
  DAREKIT_TRY(auto hv, r.value());
  DAREKIT_TRY(info.header, header::from_value(std::move(hv)));
  (void)r.accept(',');

  DAREKIT_TRY(auto crypto, item_crypto::parameters(info.header));
  const enc_alg enc = crypto.enc();
  const bool cbc = enc == enc_alg::a256cbc;
  const bool release = !o.skip_payload;
  info.encrypted = crypto.encrypted();
  if (release && cbc && o.signers.empty() && !o.allow_unauthenticated) return cbc_refused();

  // The digest. With signers the stored bytes are always hashed; a `dig` named only in
  // the trailer comes too late for one pass, so S512 is hashed speculatively then.
  const bool hash = o.verify_digest || !o.signers.empty();
  any_digest dg;
  bool speculative = false;
  if (auto d = info.header.dig()) {
    auto a = parse_digest(*d);
    if (!a && (release || !o.signers.empty())) return a.err();
    if (a && hash) dg = any_digest(*a);
  } else if (!o.signers.empty()) {
    dg = any_digest(digest_alg::s512);
    speculative = true;
  }

  std::optional<payload_decryptor> dec;
  if (release) {
    if (info.encrypted) { DAREKIT_TRY(crypto, item_crypto::open(info.header, o.keys)); }
    DAREKIT_TRY(auto d, crypto.decryptor(info.header));
    dec.emplace(std::move(d));
    info.authenticated = dec->authenticated();
  }
  // Payloads released only after verification: A256CBC, and a signed plaintext.
  const bool verify_first = release && (cbc || (enc == enc_alg::none && !o.signers.empty()));

  // Pass 1: hash; AEAD chunks decrypt and stream; verify-first payloads wait.
  stream_buffer plain;
  plain.reserve(2 * body_flush + aead_chunk_size);
  auto deliver = [&](byte_view chunk) -> result<void> {
    if (direct) return dec->update(chunk, *direct);
    while (!chunk.empty()) {
      const std::size_t k = std::min(chunk.size(), body_flush);
      DAREKIT_CHECK(dec->update(chunk.first(k), plain));
      chunk = chunk.subspan(k);
      if (plain.size() >= body_flush) {
        info.plaintext_size += plain.size();
        DAREKIT_CHECK(plaintext(plain));
        plain.clear();
      }
    }
    return ok();
  };
  bytes spool;
  const std::uint64_t body_at = in.position();
  DAREKIT_CHECK(read_body(in, r, [&](byte_view chunk) -> result<void> {
    info.stored_size += chunk.size();
    dg.update(chunk);
    if (!dec) return ok();
    if (!verify_first) return deliver(chunk);
    if (!replay) {
      if (chunk.size() > o.spool_limit - spool.size())
        return fail(errc::too_large, "the payload must be verified before release and exceeds the spool limit (" +
                                         std::to_string(o.spool_limit) + " bytes) on a stream; read it from a file");
      append(spool, chunk);
    }
    return ok();
  }));

  // Trailer and closing brackets.
  (void)r.accept(',');
  {
    jsonb::reader tr(in, ro);
    if (tr.peek() == '{') {
      DAREKIT_TRY(auto tv, tr.value());
      DAREKIT_TRY(info.trailer, header::from_value(std::move(tv)));
    }
    DAREKIT_CHECK(tr.expect(']'));
    if (info.tagged) DAREKIT_CHECK(tr.expect('}'));
    if (!o.allow_trailing_data && tr.peek() >= 0) return fail(errc::malformed, "data after the envelope");
    if (in.io_error()) return *in.io_error();
  }
  if (!info.authenticated && info.trailer.has(field::payload_tag) && release)
    return fail(errc::malformed, "PayloadTag in an envelope without an AEAD profile");
  if (dec && !verify_first) {
    auto tag = info.trailer.payload_tag();
    if (!tag) tag = info.header.payload_tag();
    std::optional<byte_view> tv;
    if (tag) tv = byte_view(*tag);
    if (direct) { DAREKIT_CHECK(dec->finish(tv, *direct)); }
    else { DAREKIT_CHECK(dec->finish(tv, plain)); }
  }

  // Digest, signatures, witness: all before a verify-first payload is released.
  auto verify = [&]() -> result<void> {
    if (speculative)
      if (auto td = info.trailer.dig()) {
        DAREKIT_TRY(auto a, parse_digest(*td));
        if (a != digest_alg::s512)
          return fail(errc::unsupported, "the digest algorithm is named only in the trailer (" + *td +
                                             "), too late to hash the payload in one pass");
      }
    std::optional<bytes> pd = info.trailer.payload_digest();
    if (!pd) pd = info.header.payload_digest();
    if (dg.active()) {
      info.computed_digest = dg.finish();
      if (pd) {
        if (!ct_equal(*info.computed_digest, *pd)) return fail(errc::verification_failed, "PayloadDigest does not match the payload");
        info.digest_checked = true;
      }
    }
    if (!o.signers.empty()) {
      if (!pd) return fail(errc::verification_failed, "the envelope has no PayloadDigest to verify signatures over");
      if (!info.digest_checked) return fail(errc::verification_failed, "PayloadDigest was not checked against the payload");
      DAREKIT_TRY(info.signatures_verified,
                  check_signatures(info.header, info.trailer, o.signers, *pd, crypto.seed(), crypto.salt()));
    } else if (release && pd && crypto.has_seed()) {
      DAREKIT_CHECK(check_signatures(info.header, info.trailer, {}, *pd, crypto.seed(), crypto.salt()));
    }
    return ok();
  };
  if (auto v = verify(); !v) return cbc && v.code() == errc::verification_failed ? cbc_failure() : v.err();

  if (release) {
    for (const auto& a : info.header.annotations()) {
      DAREKIT_TRY(auto ab, a.to_bytes());
      DAREKIT_TRY(auto body, crypto.open_eds(ab));
      info.annotations.push_back(std::move(body));
    }
    if (auto cl = info.header.get_binary(field::cloaked)) {
      DAREKIT_TRY(auto body, crypto.open_eds(*cl));
      DAREKIT_TRY(auto cv, jsonb::parse(body, ro));
      info.cloaked = std::move(cv);
    }
  }

  // Pass 2: release a verify-first payload.
  if (verify_first) {
    auto r2 = replay ? replay(body_at, deliver) : deliver(spool);
    if (r2) r2 = direct ? dec->finish(std::nullopt, *direct) : dec->finish(std::nullopt, plain);
    if (!r2) return cbc && r2.code() != errc::io_error ? cbc_failure() : r2.err();
  }
  if (!plain.empty()) {
    info.plaintext_size += plain.size();
    DAREKIT_CHECK(plaintext(plain));
  }
  return info;
}

/// A replay over a positional source: a fresh input at the body's offset.
template <io::positional_source P>
replay_fn replay_from(const P& src, const decode_options& o) {
  return [&src, &o](std::uint64_t at, const consume_fn& consume) -> result<void> {
    std::uint64_t pos = at;
    jsonb::input in(io::source_fn([&](byte_span out) -> result<std::size_t> {
      DAREKIT_TRY(std::size_t n, src.read_at(pos, out));
      pos += n;
      return n;
    }), std::size_t(1) << 20);
    jsonb::read_options ro;
    ro.lim = o.lim;
    jsonb::reader r(in, ro);
    return read_body(in, r, consume);
  };
}

}  // namespace detail

/// Decode from a stream (a jsonb::input over any io::source), plaintext to `plaintext`.
/// Payloads verified before release are spooled in memory (decode_options::spool_limit).
inline result<envelope_info> decode(jsonb::input& in, const sink_fn& plaintext, const decode_options& o = {}) {
  return detail::decode_impl(in, {}, plaintext, nullptr, o);
}

/// Decode from positional storage (a file, memory): verify-first payloads are read twice
/// instead of spooled.
template <io::positional_source P>
result<envelope_info> decode(const P& src, const sink_fn& plaintext, const decode_options& o = {}) {
  std::uint64_t pos = 0;
  jsonb::input in(io::source_fn([&](byte_span out) -> result<std::size_t> {
    DAREKIT_TRY(std::size_t n, src.read_at(pos, out));
    pos += n;
    return n;
  }), std::size_t(1) << 20);
  return detail::decode_impl(in, detail::replay_from(src, o), plaintext, nullptr, o);
}

/// Decode an envelope held in memory; the plaintext is appended to `plaintext`
/// (decrypted in place, no intermediate copy). On failure `plaintext` is left as it was.
inline result<envelope_info> decode(byte_view envelope, bytes& plaintext, const decode_options& o = {}) {
  jsonb::input in(envelope);
  io::memory_source src(envelope);
  const std::size_t before = plaintext.size();
  auto r = detail::decode_impl(in, detail::replay_from(src, o), [](byte_view) { return ok(); }, &plaintext, o);
  if (!r) {
    if (plaintext.size() > before) wipe(plaintext.data() + before, plaintext.size() - before);
    plaintext.resize(before);
    return r;
  }
  r->plaintext_size = plaintext.size() - before;
  return r;
}

/// Parse only the header and trailer (no keys needed, nothing verified).
inline result<envelope_info> inspect(byte_view envelope) {
  decode_options o;
  o.skip_payload = true;
  o.verify_digest = false;
  bytes none;
  return decode(envelope, none, o);
}

#if DAREKIT_POSIX_IO
/// Decode from an open file: positional (two passes where needed) when it is a regular
/// file, a stream otherwise (stdin, a pipe).
inline result<envelope_info> decode(io::file& in, const sink_fn& plaintext, const decode_options& o) {
  if (in.is_regular()) return decode(std::as_const(in), plaintext, o);
  jsonb::input src(in, std::size_t(1) << 20);
  return decode(src, plaintext, o);
}

/// Open the envelope file `in_path` ("-" = stdin) and write its payload to `out_path`
/// ("-" = stdout): a file appears only when every check passed (io::output); on stdout
/// AEAD chunks stream as they authenticate and the result decides.
inline result<envelope_info> decode_file(const std::string& in_path, const std::string& out_path,
                                         const decode_options& o) {
  DAREKIT_TRY(auto in, io::file::open_input(in_path));
  DAREKIT_TRY(auto out, io::output::open(out_path));
  auto r = decode(in, sink_fn(out), o);
  if (!r) { out.abort(); return r; }
  DAREKIT_CHECK(out.commit());
  return r;
}
#endif

}  // namespace darekit::dare
