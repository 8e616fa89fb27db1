// Writing DARE envelopes (spec §3, §6): [header, payload, trailer] in JSON-B (the
// default), strict compact JSON text, or the reference's mixed form (JSON text header and
// trailer around a JSON-B body), tagged ({"DareEnvelope":[...]}) or untagged. Streaming:
// the payload length need not be known and memory stays bounded (about 512 KiB), whatever
// the payload size.
//
//   auto w = dare::envelope_writer::create(sink, {.recipients = {bob}});
//   w->write(chunk1); w->write(chunk2); w->finish();
//   auto env = dare::encode(payload, {.recipients = {bob}, .signers = {alice}});   // in memory
//   dare::encode_file("report.pdf", "report.pdf.dare", {.recipients = {bob}});     // file to file
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "darekit/codec/base64.hpp"
#include "darekit/codec/jsonb.hpp"
#include "darekit/core/file.hpp"
#include "darekit/core/io.hpp"
#include "darekit/dare/item_crypto.hpp"

namespace darekit::dare {

/// Receives output bytes (core/io.hpp: a callable or any io::sink by reference).
using io::sink_fn;

/// Envelope encodings.
enum class encoding {
  jsonb,  ///< JSON-B throughout (reference JsonBWriter form, body in 88/8C chunks); the default
  json,   ///< strict compact JSON text, body base64url
  mixed,  ///< JSON text header and trailer, JSON-B body (reference .dare files)
};

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
  encoding form = encoding::jsonb;
  bool tagged = false;                  ///< wrap as {"DareEnvelope":[...]}
  std::optional<bytes> base_seed;       ///< use this base seed (default: 32 random bytes)
  std::optional<bytes> salt;            ///< use this Salt (default: 16 random bytes)
};

namespace detail {
/// Stored payload bytes are handed to the sink in pieces of this size.
inline constexpr std::size_t body_flush = std::size_t(1) << 18;
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
    w.digest_ = any_digest(dig);
    w.signers_ = std::move(o.signers);
    dare::header& h = w.header_;
    std::optional<byte_view> seed, salt;
    if (o.base_seed) seed = byte_view(*o.base_seed);
    if (o.salt) salt = byte_view(*o.salt);
    DAREKIT_TRY(w.crypto_, item_crypto::seal(h, enc, o.recipients, seed, salt));
    std::size_t eds = 0;
    if (o.cloaked) {
      if (enc == enc_alg::none) return fail(errc::invalid_argument, "a cloaked header needs encryption");
      DAREKIT_TRY(auto e, w.crypto_.seal_eds(eds++, jsonb::encode(*o.cloaked)));
      h.set(field::cloaked, std::move(e));
    }
    if (!o.annotations.empty()) {
      json::array as;
      for (const auto& a : o.annotations) {
        DAREKIT_TRY(auto e, w.crypto_.seal_eds(eds++, a));
        as.push_back(std::move(e));
      }
      h.set(field::annotations, std::move(as));
    }
    if (o.content_meta) h.set(field::content_meta, *o.content_meta);
    if (dig != digest_alg::none) h.set(field::dig, std::string(digest_name(dig)));
    for (auto& [k, v] : o.extra_header) h.set(k, std::move(v));

    // The header, encoded once: its JSON-B bytes are both the binding and (JSON-B form)
    // what is written.
    const bool bin = w.form_ == encoding::jsonb;
    const bytes hb = h.to_jsonb();
    DAREKIT_TRY(auto pe, w.crypto_.encryptor_for(hb));
    w.cipher_.emplace(std::move(pe));
    bytes head;
    if (w.tagged_) {
      if (bin) { head.push_back('{'); jsonb::put_tag(head, jsonb::tag::tag_string, 12); append(head, as_bytes("DareEnvelope")); }
      else append(head, as_bytes("{\"DareEnvelope\":"));
    }
    head.push_back('[');
    if (bin) append(head, hb);
    else append(head, as_bytes(h.to_json()));
    if (w.form_ == encoding::json) append(head, as_bytes(",\""));
    else if (w.form_ == encoding::mixed) head.push_back(',');
    DAREKIT_CHECK(w.sink_(head));
    w.stored_.reserve(2 * detail::body_flush + aead_chunk_size + aead_tag_size);
    return w;
  }

  /// Encode into a byte vector (appended).
  static result<envelope_writer> create(bytes& out, encode_options o) {
    return create(sink_fn([&out](byte_view b) { append(out, b); return ok(); }), std::move(o));
  }

  /// The header as written.
  [[nodiscard]] const dare::header& header() const noexcept { return header_; }

  /// Append payload plaintext.
  result<void> write(byte_view plaintext) {
    if (finished_) return fail(errc::invalid_argument, "envelope_writer used after finish()");
    // Bounded slices keep the buffer within its reserved size (memory flat in the payload size).
    while (!plaintext.empty()) {
      const std::size_t k = std::min(plaintext.size(), detail::body_flush);
      DAREKIT_CHECK(cipher_->update(plaintext.first(k), stored_));
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
    DAREKIT_CHECK(cipher_->finish(stored_));
    DAREKIT_CHECK(flush(true));
    trailer t;
    if (cipher_->tag()) t.set(field::payload_tag, *cipher_->tag());
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
        if (crypto_.encrypted()) {
          DAREKIT_TRY(auto wv, crypto_.witness_of(manifest));
          t.set(field::witness_value, std::move(wv));
        }
      }
      t.set(field::payload_digest, pd);
    }
    bytes tail;
    if (!t.empty()) {
      if (form_ == encoding::jsonb) append(tail, t.to_jsonb());
      else { tail.push_back(','); append(tail, as_bytes(t.to_json())); }
    }
    tail.push_back(']');
    if (tagged_) tail.push_back('}');
    DAREKIT_CHECK(sink_(tail));
    return t;
  }

 private:
  envelope_writer() = default;

  // Hand the stored bytes to the sink: base64url text (JSON form) or one JSON-B chunk.
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
  encoding form_ = encoding::jsonb;
  bool tagged_ = false, finished_ = false;
  any_digest digest_;
  std::vector<udf::key_pair> signers_;
  item_crypto crypto_;
  dare::header header_;
  std::optional<payload_encryptor> cipher_;
  stream_buffer stored_;
  std::string text_;
  base64::url_stream_encoder b64_;
};

/// Encode a whole payload in memory.
inline result<bytes> encode(byte_view payload, encode_options o) {
  bytes out;
  DAREKIT_TRY(auto w, envelope_writer::create(out, std::move(o)));
  DAREKIT_CHECK(w.write(payload));
  DAREKIT_CHECK(w.finish());
  return out;
}

/// Stream any source into an envelope written to `sink`; returns the trailer.
template <class S>
  requires io::source<S> || std::same_as<S, io::source_fn>
result<trailer> encode(S& in, sink_fn sink, encode_options o) {
  DAREKIT_TRY(auto w, envelope_writer::create(std::move(sink), std::move(o)));
  DAREKIT_CHECK(io::for_each_block(in, [&](byte_view b) { return w.write(b); }, std::size_t(4) << 20));
  return w.finish();
}

#if DAREKIT_POSIX_IO
/// Seal the file `in_path` ("-" = stdin) into an envelope at `out_path` ("-" = stdout);
/// a file appears only complete (io::output).
inline result<trailer> encode_file(const std::string& in_path, const std::string& out_path, encode_options o) {
  DAREKIT_TRY(auto in, io::file::open_input(in_path));
  DAREKIT_TRY(auto out, io::output::open(out_path));
  DAREKIT_TRY(auto t, encode(in, sink_fn(out), std::move(o)));
  DAREKIT_CHECK(out.commit());
  return t;
}
#endif

}  // namespace darekit::dare
