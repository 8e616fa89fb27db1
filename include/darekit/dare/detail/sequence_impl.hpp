// The member functions of dare::sequence (included at the end of dare/sequence.hpp).
#pragma once
#include <algorithm>
#include <cstring>

namespace darekit::dare {

template <io::storage S>
result<void> sequence<S>::load_head() {
  DAREKIT_TRY(size_hint_, store_.size());
  if (size_hint_ == 0) return fail(errc::malformed, "sequence: empty storage");
  DAREKIT_TRY(auto f0, load(0, 0));
  DAREKIT_TRY(info_, sequence_info::from_frame0(f0.h));
  hash_ = detail::seq_hash(info_.dig);
  frame0_offset_ = 0;
  last_ = std::move(f0);
  return ok();
}

// Find the last whole frame in the first size_hint_ bytes. The frame at the end must
// parse backwards and forwards and follow the frame before it; otherwise the tail is
// torn and the last whole frame is found walking forward (from the index when it has an
// entry that checks out, else from frame 0).
template <io::storage S>
result<void> sequence<S>::load_tail() {
  const std::uint64_t sz = size_hint_;
  end_ = 0;
  // load_before(sz, 0) would insist on index 0: read the last frame without an expectation.
  auto last = [&]() -> result<frame_type> {
    ++reads_;
    DAREKIT_TRY(auto e, frame::read_before(store_, sz, opts_.lim));
    DAREKIT_TRY(auto f, detail::load_frame(store_, e.offset, sz, std::nullopt, opts_.lim));
    if (!f.pos.index) return fail(errc::malformed, "no Index");
    if (f.index() > 0) { DAREKIT_CHECK(load_before(f.offset(), f.index() - 1)); }
    return f;
  }();
  if (last) {
    last_ = std::move(*last);
    frames_ = last_.index() + 1;
    end_ = sz;
    torn_ = false;
    return ok();
  }
  // Walk forward from the best known frame.
  DAREKIT_TRY(frame_type f, load(frame0_offset_, 0));
  if (const std::uint64_t n = index_.entries(); n > 1)
    for (std::uint64_t k = n - 1; k > 0; k = k > 64 ? k - 64 : 0)
      if (auto off = index_.offset(k); off && *off < sz)
        if (auto g = detail::load_frame(store_, *off, sz, k, opts_.lim)) { f = std::move(*g); break; }
  for (;;) {
    if (f.e.end() >= sz) break;
    ++reads_;
    auto g = detail::load_frame(store_, f.e.end(), sz, f.index() + 1, opts_.lim);
    if (!g) break;
    f = std::move(*g);
  }
  torn_ = f.e.end() != sz;
  last_ = std::move(f);
  frames_ = last_.index() + 1;
  end_ = last_.e.end();
  return ok();
}

// Under the writer lock: catch up with frames other writers appended since we looked.
template <io::storage S>
result<void> sequence<S>::refresh() {
  DAREKIT_TRY(std::uint64_t sz, store_.size());
  if (sz != end_ || torn_) {
    size_hint_ = sz;
    DAREKIT_CHECK(load_tail());
    writer_ready_ = false;
  }
  if (torn_)
    return fail(errc::malformed, "sequence: the tail after byte " + std::to_string(end_) +
                                     " is torn (an interrupted append); run recover first");
  return ok();
}

// The writer state: offsets along the TreePosition spine, the Merkle frontier and the
// last chain digest, read back from O(log n) frames.
template <io::storage S>
result<void> sequence<S>::prepare_writer() {
  if (writer_ready_) return ok();
  if (info_.key_problem) return fail(info_.key_problem->code, "sequence: a policy recipient key is unusable: " + info_.key_problem->message);
  if (!last_.pos.index) return fail(errc::unsupported, "sequence: frames without Index (an old reference layout) are read-only");
  positions_.clear();
  positions_[last_.index()] = last_.offset();
  positions_[0] = frame0_offset_;
  if (info_.tree())
    for (frame_type f = last_; f.index() > 0 && f.pos.tree_position;) {
      const std::uint64_t pf = previous_frame(f.index());
      if (positions_.count(pf) && pf == 0) break;
      DAREKIT_TRY(f, load(*f.pos.tree_position, pf));
      positions_[pf] = f.offset();
    }
  frontier_.clear();
  if (info_.merkle_proofs())
    for (auto [k, h] : detail::frontier_frames(frames_)) {
      auto it = positions_.find(k);
      DAREKIT_TRY(auto f, it != positions_.end() ? load(it->second, k) : frame(k));
      DAREKIT_TRY(auto nodes, detail::merkle_nodes(f.t, hash_.size()));
      if (nodes.size() <= h) return fail(errc::malformed, "sequence: frame " + std::to_string(k) + " lacks MerkleNodes");
      frontier_.restore(detail::hval::of(nodes[h]), h);
    }
  chain_.reset();
  if (info_.type == sequence_type::chain && info_.mode == integrity::linked) {
    auto c = last_.t.chain_digest();
    if (!c || c->size() != hash_.size()) return fail(errc::malformed, "sequence: the last frame has no ChainDigest");
    chain_ = detail::hval::of(*c);
  }
  writer_ready_ = true;
  return ok();
}

template <io::storage S>
result<secure_bytes> sequence<S>::exchange_seed(std::uint64_t e) {
  DAREKIT_TRY(auto f, frame(e));
  if (!f.h.has(field::recipients)) return fail(errc::malformed, "sequence: frame " + std::to_string(e) + " holds no key exchange");
  DAREKIT_TRY(auto c, item_crypto::open(f.h, opts_.keys));
  return secure_bytes(c.seed());
}

template <io::storage S>
result<item_crypto> sequence<S>::frame_crypto(const frame_type& f) {
  DAREKIT_TRY(auto c, item_crypto::parameters(f.h));
  if (!c.encrypted()) return c;
  if (f.h.has(field::recipients)) return item_crypto::open(f.h, opts_.keys);
  if (!f.pos.exchange_position || *f.pos.exchange_position >= f.index())
    return fail(errc::malformed, "sequence: encrypted frame " + std::to_string(f.index()) + " names no earlier key exchange");
  DAREKIT_TRY(auto seed, exchange_seed(*f.pos.exchange_position));
  return item_crypto::with_seed(f.h, seed.view());
}

// The header and layout of frame k.
template <io::storage S>
result<detail::frame_plan> sequence<S>::plan(std::uint64_t k, std::uint64_t n) {
  detail::frame_plan p;
  p.index = k;
  json::object si{{"Index", k}};
  if (info_.tree() && k > 0) {
    auto it = positions_.find(previous_frame(k));
    if (it == positions_.end()) return fail(errc::malformed, "sequence: TreePosition target unknown (internal error)");
    si.emplace_back("TreePosition", it->second);
  }
  std::span<const public_key> to;
  std::optional<secure_bytes> seed;
  switch (info_.policy) {
    case key_policy::none: break;
    case key_policy::isolated: to = info_.encrypt_to; break;
    case key_policy::once:
      if (k == 0) { to = info_.encrypt_to; break; }
      if (!session_seed_) {
        auto s = exchange_seed(0);
        if (!s) return fail(s.code(), "appending to a Once-policy sequence needs the private key of frame 0 (--key): " + s.err().message);
        session_seed_ = std::move(*s);
      }
      seed = *session_seed_;
      si.emplace_back("ExchangePosition", 0);
      break;
    case key_policy::session:
      if (!session_seed_) { to = info_.encrypt_to; break; }
      seed = *session_seed_;
      si.emplace_back("ExchangePosition", session_exchange_);
      break;
  }
  if (k == 0) {
    p.h = info_.frame0_header();
  } else {
    p.h.set(field::content_meta, bytes{'{', '}'});  // also the room an erased header needs
    p.h.set(field::sequence_info, std::move(si));
    if (info_.digests()) p.h.set(field::dig, std::string(digest_name(info_.dig)));
  }
  std::optional<byte_view> sv;
  if (seed) sv = seed->view();
  DAREKIT_TRY(p.crypto, item_crypto::seal(p.h, info_.enc, to, sv));
  if (!to.empty() && info_.policy != key_policy::isolated) {
    session_seed_ = secure_bytes(p.crypto.seed());
    session_exchange_ = k;
  }
  p.binary = info_.binary_headers && k > 0;
  p.head = detail::encode_record(p.h, p.binary);
  if (p.head.size() > opts_.lim.max_metadata) return fail(errc::too_large, "sequence: header too large");
  p.stored = detail::stored_size(p.crypto.enc(), n);
  const trailer t = detail::make_trailer(detail::trailer_shape(info_, hash_, k));
  if (!t.empty()) p.trailer_len = detail::encode_record(t, p.binary).size();
  p.payload_ll = frame::ll_for(p.stored);
  p.frame_ll = frame::ll_for(p.body_length());
  return p;
}

template <io::storage S>
result<void> sequence<S>::append_frames(std::span<const byte_view> payloads, byte_view first_payload, bool creating) {
  if (creating) {
    frames_ = end_ = 0;
    writer_ready_ = true;
  } else {
    DAREKIT_CHECK(prepare_writer());
  }
  const std::size_t count = creating ? 1 : payloads.size();
  struct slot {
    detail::frame_plan p;
    std::size_t at = 0, payload_at = 0, suffix_at = 0;
  };
  std::vector<slot> slots(count);
  bytes out;
  const std::uint64_t first = frames_;
  auto undo = [&](error e) -> result<void> {
    writer_ready_ = false;
    session_seed_.reset();
    return e;
  };
  for (std::size_t i = 0; i < count; ++i) {
    const byte_view plain = creating ? first_payload : payloads[i];
    auto& s = slots[i];
    auto pl = plan(first + i, plain.size());
    if (!pl) return undo(pl.err());
    s.p = std::move(*pl);
    s.at = out.size();
    positions_[first + i] = end_ + s.at;
    s.p.put_prefix(out);
    s.payload_at = out.size();
    auto enc = s.p.binary ? s.p.crypto.encryptor_for(s.p.head) : s.p.crypto.encryptor(s.p.h);
    if (!enc) return undo(enc.err());
    if (auto r = enc->update(plain, out); !r) return undo(r.err());
    if (auto r = enc->finish(out); !r) return undo(r.err());
    if (enc->tag()) darekit::append(out, *enc->tag());
    if (out.size() - s.payload_at != s.p.stored) return undo(fail(errc::crypto_failure, "sequence: stored size (internal error)"));
    s.suffix_at = out.size();
    out.resize(out.size() + s.p.suffix_size());
  }
  // Digests of every frame at once (multi-buffer), then the sequential chain and tree.
  std::vector<detail::hval> pd(count), hh(count), leaf(count);
  std::vector<byte_view> views(count);
  if (info_.digests()) {
    for (std::size_t i = 0; i < count; ++i) views[i] = byte_view(out).subspan(slots[i].payload_at, slots[i].p.stored);
    hash_.many({}, views, pd);
  }
  const bool tree = info_.merkle_proofs();
  std::vector<bytes> leaf_in(tree ? count : 0);
  if (tree) {
    for (std::size_t i = 0; i < count; ++i) views[i] = slots[i].p.head;
    hash_.many({}, views, hh);
    for (std::size_t i = 0; i < count; ++i) { leaf_in[i] = concat(hh[i].view(), pd[i].view()); views[i] = leaf_in[i]; }
    static constexpr std::uint8_t zero = 0;
    hash_.many(byte_view(&zero, 1), views, leaf);
  }
  std::vector<detail::hval> nodes;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t k = first + i;
    auto& s = slots[i];
    detail::trailer_values v;
    if (info_.digests()) v.pd = pd[i];
    if (info_.type == sequence_type::chain) {
      v.chain = info_.mode == integrity::compat ? hash_.compat_chain(pd[i]) : hash_.chain(chain_ ? &*chain_ : nullptr, pd[i]);
      chain_ = v.chain;
    }
    if (info_.type == sequence_type::merkle) {
      if (tree) {
        frontier_.push(hash_, leaf[i], nodes);
        v.apex = frontier_.root(hash_);
        v.nodes = nodes;
        v.has_nodes = true;
      } else {
        v.apex = hash_.compat_apex(pd[i], k);
      }
    }
    bytes suffix;
    if (auto r = s.p.put_suffix(suffix, detail::make_trailer(v)); !r) return undo(r.err());
    if (suffix.size() != s.p.suffix_size()) return undo(fail(errc::crypto_failure, "sequence: suffix size (internal error)"));
    std::memcpy(out.data() + s.suffix_at, suffix.data(), suffix.size());
    if (k == first + count - 1) {
      last_.e = frame::extent{};
      last_.head = s.p.head;
      last_.h = s.p.h;
      last_.t = detail::make_trailer(v);
      if (s.p.trailer_len) last_.tail = detail::encode_record(last_.t, s.p.binary);
      DAREKIT_TRY(last_.pos, frame_position::of(s.p.h));
    }
  }
  // Write: frame by frame with durability `frame`, else all at once.
  std::vector<std::uint64_t> offsets(count);
  for (std::size_t i = 0; i < count; ++i) offsets[i] = end_ + slots[i].at;
  auto written = [&]() -> result<void> {
    if (opts_.sync != durability::frame) return store_.append(out);
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t to = i + 1 < count ? slots[i + 1].at : out.size();
      DAREKIT_CHECK(store_.append(byte_view(out).subspan(slots[i].at, to - slots[i].at)));
      DAREKIT_CHECK(store_.sync());
    }
    return ok();
  }();
  if (!written) {
    (void)store_.truncate(end_);
    return undo(written.err());
  }
  const std::uint64_t last_at = offsets.back();
  DAREKIT_TRY(last_.e, frame::read_at(store_, last_at, end_ + out.size(), opts_.lim));
  end_ += out.size();
  frames_ += count;
  dirty_ = opts_.sync != durability::none && opts_.sync != durability::frame;
  if (!creating) index_.record(first, offsets);
  if (opts_.sync == durability::batch) DAREKIT_CHECK(sync());
  // Keep only the TreePosition spine of the new last frame.
  if (positions_.size() > 256) {
    std::map<std::uint64_t, std::uint64_t> keep;
    for (std::uint64_t k = frames_ - 1;; k = previous_frame(k)) {
      keep[k] = positions_[k];
      if (k == 0) break;
    }
    positions_ = std::move(keep);
  }
  return ok();
}

template <io::storage S>
result<std::uint64_t> sequence<S>::read_payload(const frame_type& f, const io::sink_fn& out) {
  const std::string which = "frame " + std::to_string(f.index());
  if (f.pos.erased) return fail(errc::verification_failed, which + " was erased");
  DAREKIT_TRY(auto crypto, frame_crypto(f));
  const bool cbc = crypto.enc() == enc_alg::a256cbc;
  if (cbc && !opts_.allow_unauthenticated)
    return fail(errc::verification_failed, which + ": refusing an unauthenticated A256CBC payload (allow_unauthenticated to read it)");
  DAREKIT_TRY(auto dec, crypto.decryptor(f.h));
  std::optional<bytes> pd = f.t.payload_digest();
  if (!pd) pd = f.h.payload_digest();
  const frame::record p = f.e.payload();
  const bool aead = crypto.authenticated();
  if (aead && p.length < aead_tag_size) return fail(errc::verification_failed, which + ": payload authentication failed");
  const std::uint64_t body = aead ? p.length - aead_tag_size : p.length;  // ciphertext before the final tag
  any_digest dg(pd ? info_.dig : digest_alg::none);
  stream_buffer plain;
  std::uint64_t released = 0;
  const bool verify_first = !aead;
  std::array<std::uint8_t, aead_tag_size> tag{};
  auto pass = [&](bool hash, bool release) -> result<void> {
    bytes buf(std::size_t(std::min<std::uint64_t>(p.length, std::uint64_t(1) << 20)));
    for (std::uint64_t at = 0; at < p.length;) {
      const std::size_t k = std::size_t(std::min<std::uint64_t>(buf.size(), p.length - at));
      DAREKIT_CHECK(io::read_exact_at(store_, p.offset + at, byte_span(buf.data(), k)));
      if (hash) dg.update(byte_view(buf.data(), k));
      const std::size_t use = at >= body ? 0 : std::size_t(std::min<std::uint64_t>(k, body - at));
      if (at + k > body) {  // the final tag (AEAD)
        const std::size_t from = use;
        for (std::size_t i = from; i < k; ++i) tag[std::size_t(at + i - body)] = buf[i];
      }
      at += k;
      if (!release) continue;
      DAREKIT_CHECK(dec.update(byte_view(buf.data(), use), plain));
      released += plain.size();
      DAREKIT_CHECK(out(plain));
      plain.clear();
    }
    return ok();
  };
  auto check = [&]() -> result<void> {
    if (!pd) return ok();
    const bytes d = dg.finish();
    if (!ct_equal(d, *pd)) return fail(errc::verification_failed, which + ": PayloadDigest does not match the payload");
    if (info_.merkle_proofs()) {
      DAREKIT_TRY(auto nodes, detail::merkle_nodes(f.t, hash_.size()));
      const bytes li = concat(hash_(f.head).view(), byte_view(d));
      if (nodes.empty() || !(hash_.leaf(li) == detail::hval::of(nodes[0])))
        return fail(errc::verification_failed, which + ": its leaf hash does not match MerkleNodes");
    }
    return ok();
  };
  if (verify_first) {
    DAREKIT_CHECK(pass(true, false));
    if (auto c = check(); !c) return cbc ? fail(errc::verification_failed, which + ": the A256CBC payload did not verify") : c.err();
    auto r = pass(false, true);
    if (r) r = dec.finish(std::nullopt, plain);
    if (!r) return cbc ? fail(errc::verification_failed, which + ": the A256CBC payload did not verify") : r.err();
  } else {
    DAREKIT_CHECK(pass(true, true));
    DAREKIT_CHECK(dec.finish(byte_view(tag), plain));
    DAREKIT_CHECK(check());
  }
  released += plain.size();
  if (!plain.empty()) DAREKIT_CHECK(out(plain));
  return released;
}

template <io::storage S>
result<void> sequence<S>::erase(std::uint64_t k) {
  if (k == 0) return fail(errc::invalid_argument, "sequence: frame 0 describes the sequence and cannot be erased");
  DAREKIT_CHECK(store_.lock());
  auto r = [&]() -> result<void> {
    DAREKIT_CHECK(refresh());
    DAREKIT_TRY(auto f, frame(k));
    if (f.pos.erased) return ok();
    const auto* si = f.h.find(field::sequence_info);
    if (!si) return fail(errc::unsupported, "sequence: frames without SequenceInfo cannot be erased");
    header e;
    e.set(field::sequence_info, *si);
    // A key exchange other frames use keeps its recipients (the seed is not this frame's
    // secret; its Salt and payload are).
    if (info_.policy != key_policy::isolated && f.h.has(field::recipients)) {
      if (const auto* enc = f.h.find(field::enc)) e.set(field::enc, *enc);
      e.set(field::recipients, *f.h.find(field::recipients));
    }
    e.set(field::erased, true);
    bytes nh = detail::encode_record(e, info_.binary_headers);
    if (nh.size() > f.head.size()) return fail(errc::unsupported, "sequence: frame " + std::to_string(k) + " cannot be erased in place");
    nh.resize(f.head.size(), ' ');
    DAREKIT_CHECK(store_.write_at(f.e.header().offset, nh));
    const frame::record p = f.e.payload();
    const bytes zeros(std::size_t(std::min<std::uint64_t>(p.length, std::uint64_t(1) << 20)), 0);
    for (std::uint64_t at = 0; at < p.length;) {
      const std::size_t n = std::size_t(std::min<std::uint64_t>(zeros.size(), p.length - at));
      DAREKIT_CHECK(store_.write_at(p.offset + at, byte_view(zeros.data(), n)));
      at += n;
    }
    if (opts_.sync != durability::none) DAREKIT_CHECK(store_.sync());
    if (k == last_.index()) { DAREKIT_TRY(last_, load(last_.offset(), k)); }
    return ok();
  }();
  store_.unlock();
  return r;
}

template <io::storage S>
result<std::uint64_t> sequence<S>::recover() {
  DAREKIT_CHECK(store_.lock());
  auto r = [&]() -> result<std::uint64_t> {
    DAREKIT_TRY(size_hint_, store_.size());
    DAREKIT_CHECK(load_tail());
    if (torn_) {
      DAREKIT_CHECK(store_.truncate(end_));
      DAREKIT_CHECK(store_.sync());
      index_.truncate(frames_);
      torn_ = false;
      writer_ready_ = false;
    }
    return frames_;
  }();
  store_.unlock();
  return r;
}

}  // namespace darekit::dare
