// Whole-sequence verification (`darekit seq verify`): every frame's framing (both
// directions), Index and TreePosition, PayloadDigest, the chain, and in linked Merkle
// sequences every stored tree node and every ApexDigest, recomputed front to back.
// Erased frames are reported apart from damaged ones: their stored leaf hash stands in
// for the content that is gone, so everything around them is still checked.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "darekit/dare/sequence.hpp"

namespace darekit::dare {

struct verify_options {
  bool decrypt = false;  ///< also decrypt (and authenticate) every frame, with the sequence's keys
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;  ///< called every 4096 frames
};

struct verify_report {
  std::uint64_t frames = 0;                ///< whole frames checked
  std::vector<std::uint64_t> erased;       ///< erased frames (not a failure)
  std::optional<std::uint64_t> bad_frame;  ///< the first frame that failed
  std::string problem;                     ///< why
  bool torn = false;                       ///< bytes after the last whole frame
  [[nodiscard]] bool ok() const noexcept { return !bad_frame && !torn; }
};

template <io::storage S>
result<verify_report> verify(sequence<S>& s, const verify_options& o = {}) {
  verify_report rep;
  const sequence_info& info = s.info();
  const detail::seq_hash& H = s.hash();
  const std::uint64_t end = s.committed(), total = s.size();
  io::read_window<S> win(s.storage());
  std::map<std::uint64_t, std::uint64_t> spine;  // frame index -> offset, for TreePosition
  detail::seq_frontier front;
  std::optional<detail::hval> chain;
  std::vector<detail::hval> nodes;
  bytes scratch;
  std::uint64_t off = 0;
  for (std::uint64_t k = 0; off < end; ++k) {
    auto bad = [&](std::string why) -> result<verify_report> {
      rep.bad_frame = k;
      rep.problem = "frame " + std::to_string(k) + ": " + std::move(why);
      return rep;
    };
    auto fr = detail::load_frame(win, off, end, k, s.options().lim);
    if (!fr) return bad(fr.err().message);
    const auto& f = *fr;
    if (info.tree() && k > 0) {
      auto it = spine.find(previous_frame(k));
      if (!f.pos.tree_position || it == spine.end() || *f.pos.tree_position != it->second)
        return bad("TreePosition does not point at frame " + std::to_string(previous_frame(k)));
    }
    if (f.pos.exchange_position && *f.pos.exchange_position >= k) return bad("ExchangePosition is not an earlier frame");
    auto params = item_crypto::parameters(f.h);
    if (!params) return bad(params.err().message);
    // PayloadDigest over the stored payload (zeros for an erased frame).
    const frame::record p = f.e.payload();
    any_digest dg(info.digests() && !f.pos.erased ? info.dig : digest_alg::none);
    bool nonzero = false;
    for (std::uint64_t at = 0; at < p.length;) {
      auto v = win.view(p.offset + at, std::size_t(std::min<std::uint64_t>(p.length - at, std::uint64_t(1) << 30)));
      if (!v || v->empty()) return bad("payload unreadable");
      if (f.pos.erased) { for (auto c : *v) nonzero |= c != 0; }
      else dg.update(*v);
      at += v->size();
    }
    if (f.pos.erased) {
      if (nonzero) return bad("marked erased but its payload is not");
      rep.erased.push_back(k);
    }
    // Digests are in the trailer (old reference frames: the header). Linked sequences
    // must carry every one; compat ones are checked where present, as the reference
    // writes some frames without them.
    const bool linked = info.mode == integrity::linked;
    auto stored = [&](std::optional<bytes> t, std::optional<bytes> h) { return t ? t : h; };
    std::optional<detail::hval> pd;
    if (info.digests()) {
      auto d = stored(f.t.payload_digest(), f.h.payload_digest());
      if (d && d->size() == H.size()) pd = detail::hval::of(*d);
      else if (linked || d) return bad("no PayloadDigest");
      if (pd && !f.pos.erased && !(detail::hval::of(dg.finish()) == *pd)) return bad("PayloadDigest does not match the payload");
    }
    if (info.type == sequence_type::chain && pd) {
      auto c = stored(f.t.chain_digest(), f.h.chain_digest());
      const detail::hval want = linked ? H.chain(chain ? &*chain : nullptr, *pd) : H.compat_chain(*pd);
      if (c ? !(detail::hval::of(*c) == want) : linked) return bad("ChainDigest does not continue the chain");
      chain = want;
    }
    if (info.type == sequence_type::merkle && pd) {
      auto apex = stored(f.t.apex_digest(), f.h.apex_digest());
      if (!apex && linked) return bad("no ApexDigest");
      if (!linked) {
        if (apex && !(detail::hval::of(*apex) == H.compat_apex(*pd, k))) return bad("ApexDigest does not match the reference formula");
      } else {
        auto nodes_stored = detail::merkle_nodes(f.t, H.size());
        if (!nodes_stored) return bad(nodes_stored.err().message);
        if (nodes_stored->size() != detail::merkle_node_count(k)) return bad("wrong number of MerkleNodes");
        // The leaf: recomputed from header and payload, or (erased) the stored one.
        const detail::hval leaf =
            f.pos.erased ? detail::hval::of((*nodes_stored)[0]) : H.leaf(concat(H(f.head).view(), pd->view()));
        front.push(H, leaf, nodes);
        for (std::size_t i = 0; i < nodes.size(); ++i)
          if (!(detail::hval::of((*nodes_stored)[i]) == nodes[i]))
            return bad(i == 0 ? "its leaf hash does not match its header and payload"
                              : "MerkleNodes level " + std::to_string(i) + " does not match the tree");
        if (!(detail::hval::of(*apex) == front.root(H))) return bad("ApexDigest does not match the tree");
      }
    }
    // A linked trailer holds exactly what was verified, encoded canonically.
    if (linked && !f.tail.empty()) {
      detail::trailer_values v = detail::trailer_shape(info, H, k);
      if (v.pd) v.pd = pd;
      if (v.chain) v.chain = chain;
      if (v.apex) v.apex = detail::hval::of(*f.t.apex_digest());
      if (v.has_nodes) v.nodes = nodes;
      if (detail::encode_record(detail::make_trailer(v), info.binary_headers && k > 0) != f.tail)
        return bad("the trailer is not in its canonical form");
    }
    if (o.decrypt && k > 0 && !f.pos.erased && params->encrypted()) {
      auto r = s.read_payload(f, io::sink_fn([](byte_view) { return ok(); }));
      if (!r) return bad(r.err().message);
    }
    spine[k] = off;
    if (spine.size() > 256) {
      std::map<std::uint64_t, std::uint64_t> keep;
      for (std::uint64_t j = k;; j = previous_frame(j)) {
        keep[j] = spine[j];
        if (j == 0) break;
      }
      spine = std::move(keep);
    }
    off = f.e.end();
    rep.frames = k + 1;
    if (o.progress && (k & 4095) == 4095) o.progress(k + 1, total);
  }
  rep.torn = s.torn();
  if (rep.torn) rep.problem = "bytes after frame " + std::to_string(rep.frames ? rep.frames - 1 : 0) + " do not form a whole frame (run recover)";
  return rep;
}

}  // namespace darekit::dare
