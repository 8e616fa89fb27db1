// Layer 3: the per-peer rekey state machine of draft §4 (Rules 1-4 and the outbound-SA
// decision process), pure and I/O-free. It only decides; a sink does the work:
//   bool sink.install(local_rc, remote_rc)        derive + install an SA pair (false: derivation failed)
//   void sink.remove(local_rc, remote_rc)         delete an SA pair
//   void sink.shorten(local_rc, remote_rc, t)     its lifetime now ends at t
//   void sink.set_outbound(local_rc, remote_rc)   transmit on this SA pair from now on
// DH generations are named by the rekey counter of the DIM that published them.
#pragma once
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace darekit::ckx {

/// Timing knobs of a session (same time unit as the clock the embedder uses).
struct session_config {
  std::uint64_t grace = 50;               ///< lifetime left to SAs superseded by Rules 3/4 (packets in flight)
  std::uint64_t propagation_bound = 200;  ///< after this, a published DIM is assumed to have reached every peer
};

/// The sink concept a session drives.
template <class S>
concept session_sink = requires(S s, std::uint64_t a, std::uint64_t b) {
  { s.install(a, b) } -> std::convertible_to<bool>;
  s.remove(a, b);
  s.shorten(a, b, a);
  s.set_outbound(a, b);
};

/// One peer as seen by one device: at most two local and two remote DH generations, so at
/// most four overlapping SA pairs (the simultaneous-rekey case of draft Fig. 4).
class peer_session {
 public:
  static constexpr std::size_t max_gens = 2, max_sas = max_gens * max_gens;
  static constexpr std::uint64_t forever = std::numeric_limits<std::uint64_t>::max();

  struct generation {
    std::uint64_t rc = 0;
    std::uint64_t t = 0;      ///< local: when published; remote: when its DIM lifetime ends
    bool live = false;        ///< local: inbound traffic seen on an SA using it; remote: traffic seen using it
    bool valid = false;
    bool retired = false;     ///< superseded by Rule 3/4: no new SAs are derived with it
  };
  struct sa_slot {
    std::uint64_t local_rc = 0, remote_rc = 0;
    std::uint64_t expires = forever;
    bool valid = false;
  };

  /// A session starts from the device's current local generation, published at `published_at`.
  /// Bootstrap exception [I]: that generation counts as live (draft Fig. 2, spec §4.5).
  explicit peer_session(std::uint64_t local_rc, std::uint64_t published_at = 0, session_config cfg = {}) : cfg_(cfg) {
    local_[0] = {local_rc, published_at, true, true, false};
  }

  /// Rule 1: a new local DH pair. SAs with every remote generation are installed (before the
  /// DIM is published); the oldest local generation beyond two is dropped with its SAs.
  template <session_sink S>
  void on_local_rekey(std::uint64_t rc, std::uint64_t now, S& sink) {
    if (count(local_) == max_gens) drop_gen(local_, oldest(local_), true, sink);
    put(local_, {rc, now, false, true, false});
    for (const auto& r : remote_)
      if (r.valid && !r.retired) install(rc, r.rc, r.t, sink);
    decide(now, sink);
  }

  /// Rule 2: a peer's DIM arrives (rc = its rekey counter, `expires_at` = now + its lifetime).
  /// Older or repeated DIMs are stale and ignored; `initial` discards all earlier state of the peer.
  /// Returns false when the DIM was ignored as stale.
  template <session_sink S>
  bool on_remote_dim(std::uint64_t rc, bool initial, std::uint64_t expires_at, std::uint64_t now, S& sink) {
    if (initial) {
      for (auto& r : remote_) if (r.valid && r.rc < rc) drop_gen(remote_, std::size_t(&r - remote_.data()), false, sink);
    }
    const auto n = newest(remote_);
    if (n && remote_[*n].rc >= rc) return false;
    if (count(remote_) == max_gens) drop_gen(remote_, oldest(remote_), false, sink);
    put(remote_, {rc, expires_at, false, true, false});
    for (const auto& l : local_)
      if (l.valid && !l.retired) install(l.rc, rc, expires_at, sink);
    decide(now, sink);
    return true;
  }

  /// Rules 3 and 4: an inbound packet on SA (local_rc, remote_rc). Returns false if no such SA
  /// is installed (the packet is dropped).
  template <session_sink S>
  bool on_inbound(std::uint64_t local_rc, std::uint64_t remote_rc, std::uint64_t now, S& sink) {
    if (!find(local_rc, remote_rc)) return false;
    auto* lg = gen_of(local_, local_rc);
    auto* rg = gen_of(remote_, remote_rc);
    if (lg && !lg->live) {  // Rule 3: our DH pair is now proven at the peer
      lg->live = true;
      if (is_newest(local_, local_rc)) shorten_where(true, local_rc, now, sink);
      decide(now, sink);
    }
    if (rg && !rg->live) {  // Rule 4: the peer transmits with its new pair
      rg->live = true;
      if (is_newest(remote_, remote_rc)) shorten_where(false, remote_rc, now, sink);
    }
    return true;
  }

  /// The clock: expire SAs and remote DIMs whose lifetime has ended.
  template <session_sink S>
  void tick(std::uint64_t now, S& sink) {
    bool changed = false;
    for (auto& r : remote_)
      if (r.valid && r.t <= now) { drop_gen(remote_, std::size_t(&r - remote_.data()), false, sink); changed = true; }
    for (auto& s : sas_)
      if (s.valid && s.expires <= now) { remove(s, sink); changed = true; }
    if (!changed) return;
    // a superseded generation without SAs is finished with: the next rekey on either side no
    // longer derives with it (the peer is no longer "mid-rollover")
    for (auto* g : {&local_, &remote_})
      for (auto& e : *g)
        if (e.valid && !is_newest(*g, e.rc) && !uses(g == &local_, e.rc)) e.valid = false;
    decide(now, sink);
  }

  /// The SA pair we transmit on, if any.
  [[nodiscard]] std::optional<std::pair<std::uint64_t, std::uint64_t>> outbound() const {
    if (out_ < 0) return std::nullopt;
    return std::pair{sas_[std::size_t(out_)].local_rc, sas_[std::size_t(out_)].remote_rc};
  }
  [[nodiscard]] bool has_sa(std::uint64_t l, std::uint64_t r) const {
    for (const auto& s : sas_) if (s.valid && s.local_rc == l && s.remote_rc == r) return true;
    return false;
  }
  [[nodiscard]] std::size_t sa_count() const { std::size_t n = 0; for (const auto& s : sas_) n += s.valid; return n; }
  /// Earliest SA expiry (forever if none): when the embedder should call tick() next.
  [[nodiscard]] std::uint64_t next_expiry() const {
    std::uint64_t t = forever;
    for (const auto& s : sas_) if (s.valid && s.expires < t) t = s.expires;
    for (const auto& r : remote_) if (r.valid && r.t < t) t = r.t;
    return t;
  }
  [[nodiscard]] const std::array<sa_slot, max_sas>& sas() const { return sas_; }
  [[nodiscard]] const std::array<generation, max_gens>& local_generations() const { return local_; }
  [[nodiscard]] const std::array<generation, max_gens>& remote_generations() const { return remote_; }

 private:
  using gens = std::array<generation, max_gens>;
  static std::size_t count(const gens& g) { return std::size_t(g[0].valid) + std::size_t(g[1].valid); }
  static std::optional<std::size_t> newest(const gens& g) {
    std::optional<std::size_t> n;
    for (std::size_t i = 0; i < max_gens; ++i) if (g[i].valid && (!n || g[i].rc > g[*n].rc)) n = i;
    return n;
  }
  static std::size_t oldest(const gens& g) {
    std::size_t o = 0;
    bool any = false;
    for (std::size_t i = 0; i < max_gens; ++i) if (g[i].valid && (!any || g[i].rc < g[o].rc)) { o = i; any = true; }
    return o;
  }
  static bool is_newest(const gens& g, std::uint64_t rc) { auto n = newest(g); return n && g[*n].rc == rc; }
  static void put(gens& g, generation x) { for (auto& e : g) if (!e.valid) { e = x; return; } }
  static generation* gen_of(gens& g, std::uint64_t rc) { for (auto& e : g) if (e.valid && e.rc == rc) return &e; return nullptr; }
  bool uses(bool local, std::uint64_t rc) const {
    for (const auto& s : sas_) if (s.valid && (local ? s.local_rc : s.remote_rc) == rc) return true;
    return false;
  }
  sa_slot* find(std::uint64_t l, std::uint64_t r) {
    for (auto& s : sas_) if (s.valid && s.local_rc == l && s.remote_rc == r) return &s;
    return nullptr;
  }
  template <class S>
  void install(std::uint64_t l, std::uint64_t r, std::uint64_t expires, S& sink) {
    if (find(l, r)) return;
    if (!sink.install(l, r)) return;
    for (auto& s : sas_) if (!s.valid) { s = {l, r, expires, true}; return; }
  }
  template <class S>
  void remove(sa_slot& s, S& sink) {
    if (out_ >= 0 && &sas_[std::size_t(out_)] == &s) out_ = -1;
    s.valid = false;
    sink.remove(s.local_rc, s.remote_rc);
  }
  template <class S>
  void drop_gen(gens& g, std::size_t i, bool local, S& sink) {
    for (auto& s : sas_)
      if (s.valid && (local ? s.local_rc : s.remote_rc) == g[i].rc) remove(s, sink);
    g[i].valid = false;
  }
  template <class S>
  void shorten_where(bool local, std::uint64_t newer_than, std::uint64_t now, S& sink) {
    for (auto& g : local ? local_ : remote_)
      if (g.valid && g.rc < newer_than) g.retired = true;
    for (auto& s : sas_) {
      const std::uint64_t rc = local ? s.local_rc : s.remote_rc;
      if (s.valid && rc < newer_than && s.expires > now + cfg_.grace) {
        s.expires = now + cfg_.grace;
        sink.shorten(s.local_rc, s.remote_rc, s.expires);
      }
    }
  }
  /// The outbound decision process (draft §4.1), plus the forced switch of spec §4.5 when no
  /// live SA remains (one-way traffic): a generation published longer than
  /// propagation_bound ago is assumed installed at the peer.
  template <class S>
  void decide(std::uint64_t now, S& sink) {
    int best = -1;
    auto rn = newest(remote_);
    auto better = [&](int cand, int cur) {
      if (cur < 0) return true;
      const auto &a = sas_[std::size_t(cand)], &b = sas_[std::size_t(cur)];
      return a.remote_rc != b.remote_rc ? a.remote_rc > b.remote_rc : a.local_rc > b.local_rc;
    };
    if (rn) {
      for (std::size_t i = 0; i < max_sas; ++i) {
        const auto& s = sas_[i];
        if (!s.valid || s.remote_rc != remote_[*rn].rc) continue;
        auto* lg = gen_of(local_, s.local_rc);
        if (lg && lg->live && better(int(i), best)) best = int(i);
      }
    }
    if (best < 0 && out_ >= 0) return;  // keep transmitting on what we have
    if (best < 0) {
      for (std::size_t i = 0; i < max_sas; ++i) {  // forced: old enough to be installed at the peer
        const auto& s = sas_[i];
        auto* lg = s.valid ? gen_of(local_, s.local_rc) : nullptr;
        if (lg && (lg->live || now >= lg->t + cfg_.propagation_bound) && better(int(i), best)) best = int(i);
      }
    }
    if (best < 0) {  // last resort: the oldest local generation, the likeliest to be known by now
      for (std::size_t i = 0; i < max_sas; ++i) {
        const auto& s = sas_[i];
        if (!s.valid) continue;
        if (best < 0) { best = int(i); continue; }
        const auto& b = sas_[std::size_t(best)];
        if (s.local_rc < b.local_rc || (s.local_rc == b.local_rc && s.remote_rc > b.remote_rc)) best = int(i);
      }
    }
    if (best >= 0 && best != out_) {
      out_ = best;
      sink.set_outbound(sas_[std::size_t(best)].local_rc, sas_[std::size_t(best)].remote_rc);
    }
  }

  session_config cfg_;
  gens local_{}, remote_{};
  std::array<sa_slot, max_sas> sas_{};
  int out_ = -1;
};

/// A sink that records commands (for tests, logging, or an embedder that applies them later).
struct command_log {
  enum class kind { install, remove, shorten, set_outbound };
  struct command {
    kind k;
    std::uint64_t local_rc, remote_rc, t;
    friend bool operator==(const command&, const command&) = default;
  };
  std::vector<command> cmds;
  bool fail_installs = false;  ///< pretend every derivation fails (e.g. a reserved SPI)
  bool install(std::uint64_t l, std::uint64_t r) { cmds.push_back({kind::install, l, r, 0}); return !fail_installs; }
  void remove(std::uint64_t l, std::uint64_t r) { cmds.push_back({kind::remove, l, r, 0}); }
  void shorten(std::uint64_t l, std::uint64_t r, std::uint64_t t) { cmds.push_back({kind::shorten, l, r, t}); }
  void set_outbound(std::uint64_t l, std::uint64_t r) { cmds.push_back({kind::set_outbound, l, r, 0}); }
};

}  // namespace darekit::ckx
