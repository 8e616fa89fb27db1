// DARE envelopes (spec §3, §6): [header, payload, trailer] in JSON text, JSON-B, or
// the reference's mixed form (JSON text header/trailer around a JSON-B body), tagged
// ({"DareEnvelope":[...]}) or untagged. Encoding and decoding stream: the payload
// length need not be known in advance and memory stays bounded (one AEAD chunk plus
// one output block), whatever the payload size.
//
//   auto w = dare::envelope_writer::create(sink, {.recipients = {bob}});
//   w->write(chunk1); w->write(chunk2); w->finish();
//
//   dare::decode_options o; o.keys.push_back(bob_private);
//   auto info = dare::decode(input, plaintext_sink, o);
//
// Plaintext handed to the sink before decode() returns successfully is authenticated
// chunk by chunk for XC20P/A256GCM, but the envelope as a whole (truncation, trailer,
// digest, signatures) is only verified when decode() returns: treat output as
// provisional until then.
#pragma once
#include <array>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "darekit/codec/detail/jsonb_input.hpp"
#include "darekit/codec/jsonb.hpp"
#include "darekit/crypto/random.hpp"
#include "darekit/dare/algorithms.hpp"
#include "darekit/dare/eds.hpp"
#include "darekit/dare/header.hpp"
#include "darekit/dare/keys.hpp"
#include "darekit/dare/payload.hpp"
#include "darekit/dare/recipient.hpp"
#include "darekit/dare/signature.hpp"

namespace darekit::dare {

/// Envelope encodings.
enum class encoding {
  json,   ///< strict compact JSON text, body base64url
  jsonb,  ///< JSON-B throughout (reference JsonBWriter form, body in 88/8C chunks)
  mixed,  ///< JSON text header and trailer, JSON-B body (reference .dare files)
};

/// Receives output bytes (core/io.hpp: a callable or any io::sink by reference).
using io::sink_fn;

/// What to put in an envelope.
struct encode_options {
  std::vector<public_key> recipients;   ///< X25519 / Ed25519 recipients
  std::optional<enc_alg> enc;           ///< default: XC20P with recipients, none without
  std::vector<udf::key_pair> signers;   ///< Ed25519 signers (2024 manifest signatures)
  std::optional<digest_alg> dig;        ///< default: S512 when signing, none otherwise
  std::vector<bytes> annotations;       ///< annotation plaintexts (EDS, encrypted with the payload cipher)
  std::optional<json::value> cloaked;   ///< header fields to hide in `cloaked` (an object)
  std::optional<bytes> content_meta;    ///< ContentMetaData bytes (a JSON ContentMeta object)
  json::object extra_header;            ///< further header members, written as given
  encoding form = encoding::json;
  bool tagged = false;                  ///< wrap as {"DareEnvelope":[...]}
  std::optional<bytes> base_seed;       ///< use this base seed (default: 32 random bytes)
  std::optional<bytes> salt;            ///< use this Salt (default: 16 random bytes)
};

namespace detail {
inline constexpr std::size_t body_flush = std::size_t(1) << 18;
inline constexpr std::size_t direct_chunk_max = std::size_t(1) << 30;

/// Streaming base64url (no padding) encoder.
class b64_stream {
 public:
  void update(byte_view in, std::string& out) {
    while (n_ && n_ < 3 && !in.empty()) { carry_[n_++] = in[0]; in = in.subspan(1); }
    if (n_ == 3) { put(carry_, 3, out); n_ = 0; }
    const std::size_t whole = in.size() / 3 * 3;
    put(in.data(), whole, out);
    for (std::size_t i = whole; i < in.size(); ++i) carry_[n_++] = in[i];
  }
  void finish(std::string& out) { out += base64::encode_url(byte_view(carry_, n_)); n_ = 0; }
 private:
  // n a multiple of 3: table-driven, straight into the string's storage.
  static void put(const std::uint8_t* p, std::size_t n, std::string& out) {
    static constexpr char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const std::size_t at = out.size();
    out.resize(at + n / 3 * 4);
    char* o = out.data() + at;
    for (std::size_t i = 0; i < n; i += 3, o += 4) {
      const std::uint32_t v = std::uint32_t(p[i]) << 16 | std::uint32_t(p[i + 1]) << 8 | p[i + 2];
      o[0] = t[v >> 18]; o[1] = t[(v >> 12) & 63]; o[2] = t[(v >> 6) & 63]; o[3] = t[v & 63];
    }
  }
  std::uint8_t carry_[3] = {};
  std::size_t n_ = 0;
};
}  // namespace detail

/// Streaming envelope encoder.
class envelope_writer {
 public:
  /// Build and write the header; the payload follows with write(), then finish().
  static result<envelope_writer> create(sink_fn sink, encode_options o) {
    envelope_writer w;
    w.sink_ = std::move(sink);
    w.form_ = o.form;
    w.tagged_ = o.tagged;
    const enc_alg enc = o.enc.value_or(o.recipients.empty() && !o.base_seed ? enc_alg::none : enc_alg::xc20p);
    const digest_alg dig = o.dig.value_or(o.signers.empty() ? digest_alg::none : digest_alg::s512);
    w.enc_ = enc;
    w.digest_ = any_digest(dig);
    w.signers_ = std::move(o.signers);
    dare::header& h = w.header_;
    if (enc != enc_alg::none) {
      if (o.recipients.empty() && !o.base_seed) return fail(errc::invalid_argument, "encryption needs recipients");
      w.seed_ = o.base_seed ? secure_bytes(*o.base_seed) : secure_bytes(32);
      if (!o.base_seed) random_fill(w.seed_.span());
      w.salt_ = o.salt ? *o.salt : random_bytes(16);
      h.set(field::enc, std::string(enc_name(enc)));
      h.set(field::salt, w.salt_);
      if (!o.recipients.empty()) {
        json::array rs;
        for (const auto& r : o.recipients) {
          DAREKIT_TRY(auto entry, make_recipient(r, w.seed_.view()));
          rs.push_back(std::move(entry));
        }
        h.set(field::recipients, std::move(rs));
      }
    }
    std::size_t prefix = 0;
    const enc_alg eds_alg = enc;
    if (o.cloaked) {
      if (enc == enc_alg::none) return fail(errc::invalid_argument, "a cloaked header needs encryption");
      DAREKIT_TRY(auto e, eds_encode(eds_prefix(prefix++), jsonb::encode(*o.cloaked), eds_alg, w.seed_.view(), w.salt_));
      h.set(field::cloaked, std::move(e));
    }
    if (!o.annotations.empty()) {
      json::array as;
      for (const auto& a : o.annotations) {
        DAREKIT_TRY(auto e, eds_encode(eds_prefix(prefix++), a, eds_alg, w.seed_.view(), w.salt_));
        as.push_back(std::move(e));
      }
      h.set(field::annotations, std::move(as));
    }
    if (o.content_meta) h.set(field::content_meta, *o.content_meta);
    if (dig != digest_alg::none) h.set(field::dig, std::string(digest_name(dig)));
    for (auto& [k, v] : o.extra_header) h.set(k, std::move(v));

    DAREKIT_TRY(auto pe, payload_encryptor::create(enc, w.seed_.view(), w.salt_, h.binding()));
    w.enc_state_.emplace(std::move(pe));

    // Opening bytes and the header.
    bytes head;
    const bool bin = w.form_ == encoding::jsonb;
    if (w.tagged_) {
      if (bin) { head.push_back('{'); jsonb::put_tag(head, jsonb::tag::tag_string, 12); append(head, as_bytes("DareEnvelope")); }
      else append(head, as_bytes("{\"DareEnvelope\":"));
    }
    head.push_back('[');
    if (bin) append(head, h.to_jsonb());
    else append(head, as_bytes(h.to_json()));
    if (w.form_ == encoding::json) append(head, as_bytes(",\""));
    else if (w.form_ == encoding::mixed) head.push_back(',');
    DAREKIT_CHECK(w.sink_(head));
    w.stored_.reserve(2 * detail::body_flush + aead_chunk_size + aead_tag_size);
    return w;
  }

  /// Encode straight into a byte vector: for the JSON-B and mixed forms the payload is
  /// encrypted in place at the end of `out` (no intermediate copy).
  static result<envelope_writer> create(bytes& out, encode_options o) {
    const bool direct = o.form != encoding::json;
    DAREKIT_TRY(auto w, create([&out](byte_view b) { append(out, b); return ok(); }, std::move(o)));
    if (direct) w.direct_ = &out;
    return w;
  }

  /// The header as written.
  [[nodiscard]] const dare::header& header() const noexcept { return header_; }

  /// Append payload plaintext.
  result<void> write(byte_view plaintext) {
    if (finished_) return fail(errc::invalid_argument, "envelope_writer used after finish()");
    // Bounded slices keep the output buffer within its reserved size (no reallocation,
    // memory flat in the payload size).
    if (direct_) {
      // Chunks carry a 4-byte length: close one before it reaches 1 GiB.
      while (!plaintext.empty()) {
        if (!chunk_open_) open_direct_chunk();
        const std::size_t k = std::min(plaintext.size(), detail::direct_chunk_max / 2);
        const std::size_t at = direct_->size();
        DAREKIT_CHECK(enc_state_->update(plaintext.first(k), *direct_));
        if (digest_.active()) digest_.update(byte_view(*direct_).subspan(at));
        if (direct_->size() - chunk_start_ >= detail::direct_chunk_max) close_direct_chunk(false);
        plaintext = plaintext.subspan(k);
      }
      return ok();
    }
    while (!plaintext.empty()) {
      const std::size_t k = std::min(plaintext.size(), detail::body_flush);
      DAREKIT_CHECK(enc_state_->update(plaintext.first(k), stored_));
      plaintext = plaintext.subspan(k);
      if (stored_.size() >= detail::body_flush) DAREKIT_CHECK(flush(false));
    }
    return ok();
  }

  /// Finish the payload, write the trailer (PayloadTag, signatures, WitnessValue,
  /// PayloadDigest; omitted when empty) and the closing brackets. Returns the trailer.
  result<trailer> finish() {
    if (finished_) return fail(errc::invalid_argument, "envelope_writer used after finish()");
    finished_ = true;
    if (direct_) {
      if (!chunk_open_) open_direct_chunk();
      const std::size_t at = direct_->size();
      DAREKIT_CHECK(enc_state_->finish(*direct_));
      if (digest_.active()) digest_.update(byte_view(*direct_).subspan(at));
      close_direct_chunk(true);
    } else {
      DAREKIT_CHECK(enc_state_->finish(stored_));
      DAREKIT_CHECK(flush(true));
    }
    trailer t;
    if (enc_state_->tag()) t.set(field::payload_tag, *enc_state_->tag());
    if (digest_.active()) {
      const bytes pd = digest_.finish();
      if (!signers_.empty()) {
        const bytes manifest = signature_manifest(digest_name(digest_.alg()), pd);
        json::array sigs;
        for (const auto& s : signers_) {
          DAREKIT_TRY(auto so, sign_manifest(s, manifest));
          sigs.push_back(std::move(so));
        }
        t.set(field::signatures, std::move(sigs));
        if (enc_ != enc_alg::none) {
          DAREKIT_TRY(auto wv, witness(seed_.view(), salt_, manifest));
          t.set(field::witness_value, std::move(wv));
        }
      }
      t.set(field::payload_digest, pd);
    }
    bytes tail;
    const bool bin = form_ == encoding::jsonb;
    if (!t.empty()) {
      if (form_ != encoding::jsonb) tail.push_back(',');
      if (bin) append(tail, t.to_jsonb());
      else append(tail, as_bytes(t.to_json()));
    }
    tail.push_back(']');
    if (tagged_) tail.push_back('}');
    DAREKIT_CHECK(sink_(tail));
    return t;
  }

 private:
  envelope_writer() = default;

  // Direct mode: a chunk tag with a fixed 4-byte length, patched when the chunk closes.
  void open_direct_chunk() {
    direct_->insert(direct_->end(), {std::uint8_t(jsonb::tag::data_chunk | 2), 0, 0, 0, 0});
    chunk_start_ = direct_->size();
    chunk_open_ = true;
  }
  void close_direct_chunk(bool final) {
    const std::size_t len = direct_->size() - chunk_start_;
    std::uint8_t* t = direct_->data() + chunk_start_ - 5;
    t[0] = std::uint8_t((final ? jsonb::tag::data_term : jsonb::tag::data_chunk) | 2);
    store_be32(t + 1, std::uint32_t(len));
    chunk_open_ = false;
  }

  result<void> flush(bool final) {
    if (digest_.active()) digest_.update(stored_);
    if (form_ == encoding::json) {
      text_.clear();
      b64_.update(stored_, text_);
      if (final) { b64_.finish(text_); text_ += '"'; }
      stored_.clear();
      return sink_(as_bytes(text_));
    }
    if (stored_.empty() && !final) return ok();
    bytes t;
    jsonb::put_tag(t, final ? jsonb::tag::data_term : jsonb::tag::data_chunk, stored_.size());
    DAREKIT_CHECK(sink_(t));
    if (!stored_.empty()) DAREKIT_CHECK(sink_(stored_));
    stored_.clear();
    return ok();
  }

  sink_fn sink_;
  bytes* direct_ = nullptr;
  std::size_t chunk_start_ = 0;
  bool chunk_open_ = false;
  encoding form_ = encoding::json;
  bool tagged_ = false, finished_ = false;
  enc_alg enc_ = enc_alg::none;
  any_digest digest_;
  std::vector<udf::key_pair> signers_;
  secure_bytes seed_;
  bytes salt_;
  dare::header header_;
  std::optional<payload_encryptor> enc_state_;
  stream_buffer stored_;
  std::string text_;
  detail::b64_stream b64_;
};

/// Encode a whole payload in memory.
inline result<bytes> encode(byte_view payload, encode_options o) {
  bytes out;
  DAREKIT_TRY(auto w, envelope_writer::create(out, std::move(o)));
  DAREKIT_CHECK(w.write(payload));
  DAREKIT_CHECK(w.finish());
  return out;
}

// ---------------------------------------------------------------------------------
// Decoding

/// How to decode.
struct decode_options {
  std::vector<udf::key_pair> keys;      ///< private keys to try on the recipients
  std::vector<public_key> signers;      ///< each must have a verifying signature
  bool skip_payload = false;            ///< do not decrypt (no keys needed); the digest is still checked
  bool verify_digest = true;            ///< hash the stored bytes and compare with PayloadDigest
  bool allow_trailing_data = false;     ///< accept bytes after the envelope
  bool allow_unauthenticated = false;  ///< accept A256CBC payloads no given signer vouches for
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

/// Streaming base64url decoder for a JSON string body (whitespace ignored).
class b64_decoder {
 public:
  /// Feed characters; returns the index of the closing quote, or npos.
  result<std::size_t> update(byte_view in, bytes& out) {
    static constexpr auto table = [] {
      std::array<std::int8_t, 256> t{};
      for (auto& x : t) x = -1;
      const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      for (int i = 0; i < 64; ++i) t[std::uint8_t(a[i])] = std::int8_t(i);
      t[' '] = t['\n'] = t['\r'] = t['\t'] = -2;  // skipped
      t['"'] = -3;                                 // end of string
      return t;
    }();
    const std::size_t at = out.size();
    out.resize(at + in.size() / 4 * 3 + 3);
    std::uint8_t* o = out.data() + at;
    std::size_t i = 0;
    std::size_t result_pos = std::size_t(-1);
    const std::uint8_t* p = in.data();
    const std::size_t n = in.size();
    while (i < n) {
      // fast path: whole quanta of four alphabet characters
      if (n_ == 0) {
        while (i + 4 <= n) {
          const int a = table[p[i]], b = table[p[i + 1]], c = table[p[i + 2]], d = table[p[i + 3]];
          if ((a | b | c | d) < 0) break;
          const std::uint32_t v = std::uint32_t(a) << 18 | std::uint32_t(b) << 12 | std::uint32_t(c) << 6 | std::uint32_t(d);
          o[0] = std::uint8_t(v >> 16); o[1] = std::uint8_t(v >> 8); o[2] = std::uint8_t(v);
          o += 3;
          i += 4;
        }
        if (i >= n) break;
      }
      const int v = table[p[i]];
      if (v == -3) { result_pos = i; break; }
      ++i;
      if (v == -2) continue;
      if (v < 0) { out.resize(at); return fail(errc::malformed, "invalid base64url character in the payload"); }
      acc_ = (acc_ << 6) | unsigned(v);
      if (++n_ == 4) {
        o[0] = std::uint8_t(acc_ >> 16); o[1] = std::uint8_t(acc_ >> 8); o[2] = std::uint8_t(acc_);
        o += 3;
        acc_ = 0; n_ = 0;
      }
    }
    out.resize(std::size_t(o - out.data()));
    return result_pos;
  }
  result<void> finish(bytes& out) {
    if (n_ == 1) return fail(errc::malformed, "bad base64url payload length");
    if (n_ == 2) { if (acc_ & 15) return fail(errc::malformed, "non-zero base64url tail"); out.push_back(std::uint8_t(acc_ >> 4)); }
    if (n_ == 3) { if (acc_ & 3) return fail(errc::malformed, "non-zero base64url tail"); out.push_back(std::uint8_t(acc_ >> 10)); out.push_back(std::uint8_t(acc_ >> 2)); }
    n_ = 0;
    return ok();
  }
 private:
  unsigned acc_ = 0;
  int n_ = 0;
};

inline result<void> check_signatures(envelope_info& info, const decode_options& o, byte_view pd, byte_view seed,
                                     byte_view salt) {
  const auto& sigs = info.trailer.signatures().empty() ? info.header.signatures() : info.trailer.signatures();
  auto dig = info.header.dig();
  if (!dig) dig = info.trailer.dig();
  const std::string dig_name = dig.value_or("S512");
  const bytes manifest = signature_manifest(dig_name, pd);
  std::optional<bytes> manifest_cd;
  if (auto cd = info.trailer.chain_digest()) manifest_cd = signature_manifest(dig_name, pd, byte_view(*cd));
  // Witness values, when we know the base seed.
  if (!seed.empty()) {
    if (auto wv = info.trailer.witness_value()) {
      DAREKIT_TRY(auto w, witness(seed, salt, manifest));
      bool good = ct_equal(w, *wv);
      if (!good && manifest_cd) { DAREKIT_TRY(auto w2, witness(seed, salt, *manifest_cd)); good = ct_equal(w2, *wv); }
      if (!good) return fail(errc::verification_failed, "WitnessValue does not match");
    }
    for (const auto& s : sigs) {
      const auto* w = s.find("witness");
      const auto* sv = s.find("signature");
      if (!w || !sv) continue;
      DAREKIT_TRY(auto wb, w->to_bytes());
      DAREKIT_TRY(auto sb, sv->to_bytes());
      DAREKIT_TRY(auto expect, witness(seed, salt, sb));
      if (!ct_equal(expect, wb)) return fail(errc::verification_failed, "signature witness does not match");
    }
  }
  for (const auto& signer : o.signers) {
    const std::string kid = signer.kid().value_or("");
    bool found = false;
    // kid matches first, then every signature
    for (int pass = 0; pass < 2 && !found; ++pass)
      for (const auto& s : sigs) {
        const auto* k = s.find("kid");
        const bool match = k && k->is_string() && k->as_string() == kid;
        if ((pass == 0) != match) continue;
        if (verify_signature(s, signer, manifest, pd) ||
            (manifest_cd && verify_signature(s, signer, *manifest_cd, pd))) { found = true; break; }
      }
    if (!found) return fail(errc::verification_failed, "no valid signature by signer " + kid);
    ++info.signatures_verified;
  }
  return ok();
}

}  // namespace detail

namespace detail {
inline result<envelope_info> decode_impl(jsonb::input& in, const sink_fn& plaintext, bytes* direct,
                                         const decode_options& o) {
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

  // Crypto set-up. A header that carries encryption parameters without a usable `enc`
  // is rejected, so that removing or retyping `enc` cannot turn ciphertext into
  // "plaintext".
  enc_alg enc = enc_alg::none;
  for (auto f : {field::enc, field::dig})
    if (const auto* v = info.header.find(f); v && !v->is_string())
      return fail(errc::malformed, "header field " + std::string(f) + " must be a string");
  if (auto e = info.header.enc()) { DAREKIT_TRY(enc, parse_enc(*e)); }
  if (enc == enc_alg::none && (info.header.has(field::salt) || info.header.has(field::recipients) ||
                               info.header.has(field::cloaked) || info.header.has(field::payload_tag)))
    return fail(errc::malformed, "encryption parameters without an encryption algorithm");
  info.encrypted = enc != enc_alg::none;
  any_digest dg;
  // A `dig` named only in the trailer comes too late for a one-pass decoder. When
  // signatures are to be verified, hash with the default (S512) anyway, so a signature
  // is never accepted over a PayloadDigest that was not checked against the payload.
  bool speculative_digest = false;
  if (auto d = info.header.dig()) {
    auto a = parse_digest(*d);
    if (a && o.verify_digest) dg = any_digest(*a);
    else if (!a && !o.skip_payload) return a.err();
  } else if (!o.signers.empty() && !o.skip_payload && o.verify_digest) {
    dg = any_digest(digest_alg::s512);
    speculative_digest = true;
  }
  secure_bytes seed;
  bytes salt;
  std::optional<payload_decryptor> dec;
  if (info.encrypted) {
    auto s = info.header.salt();
    if (!s) return fail(errc::malformed, "encrypted envelope without Salt");
    salt = *s;
  }
  if (!o.skip_payload) {
    if (info.encrypted) {
      DAREKIT_TRY(seed, unwrap_base_seed(info.header.recipients(), o.keys));
    }
    digest256 binding{};
    if (enc == enc_alg::xc20p || enc == enc_alg::a256gcm) binding = info.header.binding();
    DAREKIT_TRY(auto d, payload_decryptor::create(enc, seed.view(), salt, binding));
    dec.emplace(std::move(d));
    info.authenticated = dec->authenticated();
  }

  // Body.
  bytes stored;
  stream_buffer plain;
  plain.reserve(2 * detail::body_flush + aead_chunk_size);
  auto consume = [&](byte_view chunk) -> result<void> {
    info.stored_size += chunk.size();
    dg.update(chunk);
    if (!dec) return ok();
    if (direct) return dec->update(chunk, *direct);
    while (!chunk.empty()) {
      const std::size_t k = std::min(chunk.size(), detail::body_flush);
      DAREKIT_CHECK(dec->update(chunk.first(k), plain));
      chunk = chunk.subspan(k);
      if (plain.size() >= detail::body_flush) {
        info.plaintext_size += plain.size();
        DAREKIT_CHECK(plaintext(plain));
        plain.clear();
      }
    }
    return ok();
  };
  const int c = r.peek();
  if (c == '"') {
    in.get();
    detail::b64_decoder b64;
    for (;;) {
      auto a = in.available();
      if (a.empty()) return in.end_error();
      DAREKIT_TRY(std::size_t q, b64.update(a, stored));
      const bool done = q != std::size_t(-1);
      in.consume(done ? q + 1 : a.size());
      if (done) DAREKIT_CHECK(b64.finish(stored));
      if (done || stored.size() >= detail::body_flush) { DAREKIT_CHECK(consume(stored)); stored.clear(); }
      if (done) break;
    }
  } else if (c >= jsonb::tag::data_term && c <= jsonb::tag::data_chunk + 3) {
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
      if (ch.final) break;
    }
  } else if (c < 0) {
    return in.end_error();
  } else {
    return fail(errc::malformed, "expected the envelope payload");
  }

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

  // Finish the payload: AEAD final chunk, digest, signatures, annotations.
  if (!info.authenticated && info.trailer.has(field::payload_tag) && !o.skip_payload)
    return fail(errc::malformed, "PayloadTag in an envelope without an AEAD profile");
  if (dec) {
    auto tag = info.trailer.payload_tag();
    if (!tag) tag = info.header.payload_tag();
    std::optional<byte_view> tv;
    if (tag) tv = byte_view(*tag);
    if (direct) { DAREKIT_CHECK(dec->finish(tv, *direct)); }
    else { DAREKIT_CHECK(dec->finish(tv, plain)); }
  }
  if (speculative_digest)
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
    if (!o.skip_payload && o.verify_digest && !info.digest_checked)
      return fail(errc::verification_failed, "PayloadDigest was not checked against the payload");
    DAREKIT_CHECK(detail::check_signatures(info, o, *pd, seed.view(), salt));
  } else if (!o.skip_payload && pd && !seed.empty()) {
    decode_options none;
    DAREKIT_CHECK(detail::check_signatures(info, none, *pd, seed.view(), salt));
  }
  if (!o.skip_payload) {
    std::size_t k = 0;
    for (const auto& a : info.header.annotations()) {
      (void)k++;
      DAREKIT_TRY(auto ab, a.to_bytes());
      DAREKIT_TRY(auto body, eds_decode(ab, enc, seed.view(), salt));
      info.annotations.push_back(std::move(body));
    }
    if (auto cl = info.header.get_binary(field::cloaked)) {
      DAREKIT_TRY(auto body, eds_decode(*cl, enc, seed.view(), salt));
      DAREKIT_TRY(auto cv, jsonb::parse(body, ro));
      info.cloaked = std::move(cv);
    }
  }
  if (!plain.empty()) {
    info.plaintext_size += plain.size();
    DAREKIT_CHECK(plaintext(plain));
  }
  return info;
}
}  // namespace detail

/// Decode an envelope from `in`, streaming plaintext to `plaintext` (which may be
/// a no-op when skip_payload is set).
inline result<envelope_info> decode(jsonb::input& in, const sink_fn& plaintext, const decode_options& o = {}) {
  return detail::decode_impl(in, plaintext, nullptr, o);
}

/// Decode an envelope held in memory; the plaintext is appended to `plaintext`
/// (decrypted in place, no intermediate copy). On failure `plaintext` is left as it was.
inline result<envelope_info> decode(byte_view envelope, bytes& plaintext, const decode_options& o = {}) {
  jsonb::input in(envelope);
  const std::size_t before = plaintext.size();
  auto r = detail::decode_impl(in, [](byte_view) { return ok(); }, &plaintext, o);
  if (!r) {
    if (plaintext.size() > before) wipe(plaintext.data() + before, plaintext.size() - before);
    plaintext.resize(before);
    return r;
  }
  r->plaintext_size = plaintext.size() - before;
  return r;
}

/// Parse only the header and trailer (no keys needed).
inline result<envelope_info> inspect(byte_view envelope) {
  decode_options o;
  o.skip_payload = true;
  o.verify_digest = false;
  jsonb::input in(envelope);
  return decode(in, [](byte_view) { return ok(); }, o);
}

}  // namespace darekit::dare
