// DARE sequences (spec §7, §8; DESIGN.md §3): append-only files of JBCD frames, each an
// envelope (header, payload, trailer), with per-frame encryption (policies Isolated, Once,
// Session) and integrity: PayloadDigest, chain, and in linked Merkle sequences an RFC 9162
// tree whose every node is stored in exactly one trailer, so any proof needs O(log n) frames.
//
//   auto s = dare::sequence<io::file>::create_file("audit.dseq", {.encrypt_to = {bob}});
//   s->append(as_bytes("first entry"));                  // crash-safe, locked, linked Merkle
//   auto r = dare::sequence<io::file>::open_file("audit.dseq", {.keys = {bob_key}});
//   auto payload = r->get(1);                            // decrypted and checked
//
// Storage is a template parameter (io::storage: io::file, io::memory_storage, or the
// user's own). A frame is committed when its reverse tag is written; a torn tail (a crash
// mid-append) is detected on open and removed only by recover(). Writers hold an exclusive
// lock for each append; readers never lock and see whole frames only.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "darekit/core/file.hpp"
#include "darekit/dare/detail/sequence_writer.hpp"
#include "darekit/dare/sequence_index.hpp"

namespace darekit::dare {

/// When appended frames are made durable.
enum class durability {
  none,   ///< never synced by darekit
  frame,  ///< fdatasync after every frame
  batch,  ///< after every append call (a batch is one group commit)
  close,  ///< when the writer syncs or closes (the default: a finished command is durable)
};

/// A new sequence.
struct sequence_options {
  sequence_type type = sequence_type::merkle;
  integrity mode = integrity::linked;
  digest_alg dig = digest_alg::s512;
  std::string name;                        ///< checkpoint origin (default darekit/seq/<SequenceId>)
  std::vector<public_key> encrypt_to;      ///< recipients; empty: unencrypted
  key_policy policy = key_policy::session; ///< used when encrypt_to is not empty
  std::optional<enc_alg> enc;              ///< default XC20P (linked), A256CBC (compat)
  bytes first_payload;                     ///< frame 0's payload
};

/// Opening a sequence.
struct open_options {
  std::vector<udf::key_pair> keys;         ///< to read encrypted frames (and append under Once)
  durability sync = durability::close;
  bool allow_unauthenticated = false;      ///< read A256CBC frames (the reference profile)
  frame::limits lim{};
};

template <io::storage S>
class sequence {
 public:
  using frame_type = detail::stored_frame;

  /// Create a sequence in empty storage: writes frame 0.
  static result<sequence> create(S data, const sequence_options& o, open_options oo = {}, std::optional<S> index = {}) {
    DAREKIT_TRY(std::uint64_t sz, data.size());
    if (sz != 0) return fail(errc::invalid_argument, "sequence: the storage is not empty");
    sequence s(std::move(data), std::move(oo));
    sequence_info& i = s.info_;
    i.type = o.type;
    i.mode = o.mode;
    i.dig = o.dig;
    if (i.dig != digest_alg::s512 && i.dig != digest_alg::s256) return fail(errc::unsupported, "sequence digest must be S512 or S256");
    i.binary_headers = o.mode == integrity::linked;
    i.name = o.name;
    if (o.mode == integrity::linked) i.id = random_bytes(16);
    if (!o.encrypt_to.empty()) {
      i.policy = o.policy == key_policy::none ? key_policy::session : o.policy;
      i.enc = o.enc.value_or(o.mode == integrity::compat ? enc_alg::a256cbc : enc_alg::xc20p);
      if (i.enc == enc_alg::none) return fail(errc::invalid_argument, "sequence: recipients need an encryption algorithm");
      i.encrypt_to = o.encrypt_to;
    }
    s.hash_ = detail::seq_hash(i.dig);
    DAREKIT_CHECK(s.store_.lock());
    auto r = s.append_frames(std::span<const byte_view>(), byte_view(o.first_payload), true);
    s.store_.unlock();
    DAREKIT_CHECK(r);
    s.attach_index(std::move(index));
    s.index_.record(0, std::span<const std::uint64_t>(&s.frame0_offset_, 1));
    return s;
  }

  /// Open existing storage. A torn tail is reported by torn(); reads still see every whole frame.
  static result<sequence> open(S data, open_options oo = {}, std::optional<S> index = {}) {
    sequence s(std::move(data), std::move(oo));
    DAREKIT_CHECK(s.load_head());
    s.attach_index(std::move(index));
    DAREKIT_CHECK(s.load_tail());
    return s;
  }

  /// The file forms: FILE and its index FILE.idx.
  static result<sequence> create_file(const std::string& path, const sequence_options& o, open_options oo = {})
    requires std::same_as<S, io::file>
  {
    DAREKIT_TRY(auto f, io::file::open(path, io::open_mode::create_new, 0644));
    auto ix = io::file::open(path + ".idx", io::open_mode::create, 0644);
    auto s = create(std::move(f), o, std::move(oo), ix ? std::optional<S>(std::move(*ix)) : std::nullopt);
    if (!s) ::unlink(path.c_str());
    return s;
  }
  static result<sequence> open_file(const std::string& path, open_options oo = {}, bool writable = false)
    requires std::same_as<S, io::file>
  {
    DAREKIT_TRY(auto f, io::file::open(path, writable ? io::open_mode::read_write : io::open_mode::read));
    auto ix = io::file::open(path + ".idx", writable ? io::open_mode::create : io::open_mode::read, 0644);
    return open(std::move(f), std::move(oo), ix ? std::optional<S>(std::move(*ix)) : std::nullopt);
  }

  sequence(sequence&&) noexcept = default;
  sequence& operator=(sequence&&) noexcept = default;
  ~sequence() { (void)close(); }

  /// Frames, frame 0 included (the Merkle tree size).
  [[nodiscard]] std::uint64_t size() const noexcept { return frames_; }
  [[nodiscard]] const sequence_info& info() const noexcept { return info_; }
  [[nodiscard]] const detail::seq_hash& hash() const noexcept { return hash_; }
  [[nodiscard]] bool torn() const noexcept { return torn_; }
  /// Bytes up to the end of the last whole frame.
  [[nodiscard]] std::uint64_t committed() const noexcept { return end_; }
  [[nodiscard]] S& storage() noexcept { return store_; }
  [[nodiscard]] const S& storage() const noexcept { return store_; }
  [[nodiscard]] const open_options& options() const noexcept { return opts_; }
  /// Frames loaded from storage so far (tests count the reads of an operation).
  [[nodiscard]] std::uint64_t frame_reads() const noexcept { return reads_; }

  // ---- appending

  /// Append one frame; returns its index.
  result<std::uint64_t> append(byte_view payload) {
    const byte_view one[1] = {payload};
    return append_batch(one);
  }
  /// Append many frames under one lock and (durability batch) one sync; their digests
  /// are computed with the multi-buffer kernels. Returns the first new index.
  result<std::uint64_t> append_batch(std::span<const byte_view> payloads) {
    if (payloads.empty()) return frames_;
    DAREKIT_CHECK(store_.lock());
    auto r = [&]() -> result<std::uint64_t> {
      DAREKIT_CHECK(refresh());
      const std::uint64_t first = frames_;
      DAREKIT_CHECK(append_frames(payloads, {}, false));
      return first;
    }();
    store_.unlock();
    return r;
  }
  /// Make every appended frame durable now.
  result<void> sync() {
    if (!dirty_) return ok();
    DAREKIT_CHECK(store_.sync());
    dirty_ = false;
    return ok();
  }
  /// Sync (durability close) and stop writing.
  result<void> close() {
    if (opts_.sync == durability::close) return sync();
    return ok();
  }

  // ---- reading

  /// Frame k (header and trailer parsed, positions checked): through the index when it
  /// has k, else through TreePosition links from the last frame (at most 2·log2(n) frame
  /// reads), else (types without TreePosition) walking back from the end.
  result<frame_type> frame(std::uint64_t k) {
    if (k >= frames_) return fail(errc::invalid_argument, "sequence: no frame " + std::to_string(k));
    if (k == 0) return load(frame0_offset_, 0);
    if (k == last_.index()) return last_;
    if (auto off = index_.offset(k); off && *off < end_) {
      auto f = load(*off, k);
      if (f) return f;
    }
    frame_type e = last_;
    while (e.index() > k) {
      const std::uint64_t pf = previous_frame(e.index());
      if (info_.tree() && e.pos.tree_position && pf >= k) {
        DAREKIT_TRY(e, load(*e.pos.tree_position, pf));
      } else {
        DAREKIT_TRY(e, load_before(e.offset(), e.index() - 1));
      }
    }
    return e;
  }
  /// The frame after / before `f` (std::nullopt at the ends).
  result<std::optional<frame_type>> next(const frame_type& f) {
    if (f.e.end() >= end_) return std::optional<frame_type>();
    DAREKIT_TRY(auto n, load(f.e.end(), f.index() + 1));
    return std::optional<frame_type>(std::move(n));
  }
  result<std::optional<frame_type>> prev(const frame_type& f) {
    if (f.offset() == 0) return std::optional<frame_type>();
    DAREKIT_TRY(auto p, load_before(f.offset(), f.index() - 1));
    return std::optional<frame_type>(std::move(p));
  }
  [[nodiscard]] const frame_type& last() const noexcept { return last_; }

  /// The payload of frame k, decrypted, and checked against PayloadDigest, its AEAD tags
  /// and (linked Merkle) its stored leaf hash, streamed to `out`; returns its length.
  /// A256CBC needs allow_unauthenticated and is checked before release.
  result<std::uint64_t> get(std::uint64_t k, const io::sink_fn& out) {
    DAREKIT_TRY(auto f, frame(k));
    return read_payload(f, out);
  }
  result<bytes> get(std::uint64_t k) {
    bytes b;
    DAREKIT_CHECK(get(k, io::sink_fn([&](byte_view x) { darekit::append(b, x); return ok(); })));
    return b;
  }
  /// The payload of a loaded frame (as get()).
  result<std::uint64_t> read_payload(const frame_type& f, const io::sink_fn& out);
  /// The item crypto of a frame (base seed from its recipients or its exchange frame).
  result<item_crypto> frame_crypto(const frame_type& f);

  // ---- erasure and recovery

  /// Erase frame k in place: its key material, metadata and payload are overwritten at the
  /// same length and it is marked erased; its trailer stays, so every root and proof does.
  result<void> erase(std::uint64_t k);
  /// Truncate a torn tail to the last whole frame; returns the frames kept.
  result<std::uint64_t> recover();

 private:
  sequence(S data, open_options oo) : store_(std::move(data)), opts_(std::move(oo)) {}

  result<frame_type> load(std::uint64_t off, std::optional<std::uint64_t> expect) {
    ++reads_;
    return detail::load_frame(store_, off, end_ ? end_ : size_hint_, expect, opts_.lim);
  }
  result<frame_type> load_before(std::uint64_t end, std::uint64_t expect) {
    ++reads_;
    DAREKIT_TRY(auto e, frame::read_before(store_, end, opts_.lim));
    return detail::load_frame(store_, e.offset, end, expect, opts_.lim);
  }
  result<void> load_head();
  result<void> load_tail();
  result<void> refresh();
  result<void> prepare_writer();
  void attach_index(std::optional<S> ix) {
    if (!ix) return;
    auto f0 = detail::load_frame(store_, frame0_offset_, end_ ? end_ : size_hint_, 0, opts_.lim);
    if (!f0) return;
    index_ = sequence_index<S>(std::move(*ix), sequence_index<S>::identity(f0->head));
  }
  result<void> append_frames(std::span<const byte_view> payloads, byte_view first_payload, bool creating);
  result<detail::frame_plan> plan(std::uint64_t k, std::uint64_t plaintext_size);
  result<secure_bytes> exchange_seed(std::uint64_t exchange_index);

  S store_;
  open_options opts_;
  sequence_info info_;
  detail::seq_hash hash_;
  sequence_index<S> index_;
  std::uint64_t frames_ = 0, end_ = 0, size_hint_ = 0, frame0_offset_ = 0, reads_ = 0;
  frame_type last_;
  bool torn_ = false, dirty_ = false, writer_ready_ = false;
  // writer state
  std::map<std::uint64_t, std::uint64_t> positions_;  // frame index -> offset (the TreePosition spine)
  detail::seq_frontier frontier_;
  std::optional<detail::hval> chain_;
  std::optional<secure_bytes> session_seed_;
  std::uint64_t session_exchange_ = 0;
};

}  // namespace darekit::dare

#include "darekit/dare/detail/sequence_impl.hpp"
