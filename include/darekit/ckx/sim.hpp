// A mesh simulator for Controller-IKE: n devices, a controller relaying DIMs with random
// delay, loss (with retransmission) and reordering, rekey rounds at random times, one-way
// and two-way traffic, and the per-peer state machine of session.hpp on every device.
//
// Every distinct (DH value, DH value) combination is derived once, for real (X25519 + the
// whole key schedule), and both devices install the shared result; its measured CPU cost is
// charged to both devices, since each would compute it. A sample of combinations is derived
// again from the other side and compared (mirror check). The simulator checks that a device
// only ever transmits on an SA its peer has installed with the same SPI and keys, that every
// pair ends each round with a working SA pair in both directions, that no two SAs anywhere
// share keys and that no device has two live inbound SAs with one peer under one SPI.
#pragma once
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <queue>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "darekit/ckx/batch.hpp"
#include "darekit/ckx/schedule.hpp"
#include "darekit/ckx/session.hpp"

namespace darekit::ckx {

struct sim_config {
  std::size_t nodes = 10;
  std::size_t rounds = 1;
  double loss = 0.0;               ///< probability that a controller->device DIM copy is lost or late (then retransmitted)
  std::uint64_t seed = 1;
  profile prof{};
  double one_way_fraction = 0.1;   ///< share of pairs whose traffic flows in one direction only
  std::uint64_t round_length = 10000;
  std::uint32_t dim_lifetime = 40000;
  std::size_t mirror_check_every = 128;  ///< re-derive every k-th combination from the other side
  unsigned threads = 1;            ///< worker threads for the derivation batches (1 or 2)
  std::function<void(std::size_t round, std::size_t rounds)> progress;  ///< called after each round (optional)
};

struct sim_report {
  std::size_t nodes = 0, rounds = 0;
  std::uint64_t messages_controller_ike = 0;  ///< DIMs sent by devices (n per round)
  std::uint64_t messages_pairwise_ike = 0;    ///< pairwise IKEv2 equivalent: one CREATE_CHILD_SA exchange per pair per round
  std::uint64_t controller_deliveries = 0;   ///< DIM copies the controller sent (fan-out plus retransmissions)
  std::uint64_t deliveries_lost = 0;         ///< copies lost or late (half of them arrive late, as duplicates)
  std::uint64_t stale_dims = 0;              ///< DIMs a device ignored as not newer than one it had
  std::size_t pairs_ok = 0, pairs_failed = 0;
  double cpu_seconds_per_node = 0, cpu_seconds_per_node_max = 0;
  std::uint64_t derivations = 0;             ///< distinct DH combinations derived
  std::uint64_t batched_derivations = 0;     ///< ... of which in a device's rekey batch (vectorised X25519)
  double derivations_per_node = 0;           ///< installs per device (what each device computes)
  std::uint64_t mirror_checks = 0, mirror_mismatches = 0;
  std::uint64_t packets = 0, bootstrap_drops = 0, rerolls = 0;
  std::uint64_t key_collisions = 0, spi_collisions_same_peer = 0, shared_inbound_spis = 0;
  std::size_t max_sa_pairs_per_peer = 0;
  double wall_seconds = 0;
  std::string first_failure;
};

namespace detail {

inline double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

class mesh_sim {
 public:
  explicit mesh_sim(const sim_config& c) : c_(c), n_(c.nodes), rng_(c.seed) {}

  result<sim_report> run() {
    const auto wall0 = std::chrono::steady_clock::now();
    if (n_ < 2 || n_ > 20000) return fail(errc::invalid_argument, "sim: nodes must be 2..20000");
    if (c_.loss < 0 || c_.loss >= 1) return fail(errc::invalid_argument, "sim: loss must be in [0, 1)");
    rep_.nodes = n_;
    rep_.rounds = c_.rounds;
    setup();
    // round 0: every device publishes its first DIM
    for (std::uint32_t i = 0; i < n_; ++i) publish(i, uniform(0, 100));
    // Every pair will derive from the two first DH values: do that work in vectorised batches
    // now (each device is charged for a combination only when it installs it).
    for (std::uint32_t i = 0; i + 1 < n_; ++i) {
      todo_.clear();
      for (std::uint32_t j = i + 1; j < n_; ++j) todo_.push_back({j, 0});
      derive_batch(i, 0);
    }
    run_until(c_.round_length);
    check_all("round 0");
    if (c_.progress) c_.progress(0, c_.rounds);
    for (std::size_t r = 1; r <= c_.rounds; ++r) {
      const std::uint64_t base = r * c_.round_length;
      for (std::uint32_t i = 0; i < n_; ++i) push({base + uniform(0, c_.round_length * 8 / 10), ev_rekey, i, 0, 0});
      run_until(base + c_.round_length);
      check_all("round " + std::to_string(r));
      if (c_.progress) c_.progress(r, c_.rounds);
    }
    run_until(UINT64_MAX);
    check_all("end");
    finish();
    rep_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return rep_;
  }

 private:
  // ---- devices and their DH generations ----
  struct gen_pub {
    x25519_public pub{};
    std::array<std::uint8_t, 32> nonce{};
  };
  struct node {
    std::vector<gen_pub> gens;           // public part of every generation (peers may hold old DIMs)
    x25519_secret sk[2];                 // private keys of the two newest generations
    std::uint32_t cur = 0;               // index of the newest generation
    double cpu_ns = 0;
    std::uint64_t installs = 0;
  };
  static std::uint64_t rc_of(std::uint32_t g) { return (std::uint64_t(1) << 32) | (g + 1); }  // boot 1, counter from 1
  static std::uint32_t gen_of(std::uint64_t rc) { return std::uint32_t(rc & 0xffffffffu) - 1; }
  const x25519_secret& secret_of(std::uint32_t i, std::uint32_t g) const { return nodes_[i].sk[g & 1]; }

  // ---- shared per-pair derivation records (i < j) ----
  struct combo {
    std::uint32_t gi = 0, gj = 0;
    std::uint32_t spi_to_i = 0, spi_to_j = 0;   // SPI of the SA inbound at i / at j
    std::uint64_t fp_to_i = 0, fp_to_j = 0;     // key fingerprints of those SAs
    float cost_ns = 0;
    std::uint8_t refs = 0;                      // bit 0: installed at i, bit 1: at j
    bool ok = false, used = false;
    bool pending = false;                       // allocated for the batch being derived
  };
  static constexpr std::size_t max_combos = 12;  // 2x3 generations seen from either side, plus a batch in flight
  struct pair_rec {
    std::array<combo, max_combos> c;
    std::uint8_t mode = 0;   // 0 two-way, 1 i->j only, 2 j->i only
    bool failed = false;
  };
  std::size_t pair_index(std::uint32_t i, std::uint32_t j) const {
    if (i > j) std::swap(i, j);
    return std::size_t(j) * (j - 1) / 2 + i;
  }
  combo* find_combo(std::uint32_t i, std::uint32_t gi, std::uint32_t j, std::uint32_t gj) {
    if (i > j) { std::swap(i, j); std::swap(gi, gj); }
    auto& p = pairs_[pair_index(i, j)];
    for (auto& c : p.c) if (c.used && c.gi == gi && c.gj == gj) return &c;
    return nullptr;
  }
  combo* new_combo(std::uint32_t i, std::uint32_t j) {
    auto& p = pairs_[pair_index(i, j)];
    for (auto& c : p.c) if (!c.used) { c = combo{}; c.used = true; return &c; }
    // full: recycle a derived-ahead combination nobody installed, oldest generations first
    // (if one is needed later it is simply derived again)
    combo* victim = nullptr;
    for (auto& c : p.c)
      if (c.refs == 0 && !c.pending && (!victim || std::uint64_t(c.gi) + c.gj < std::uint64_t(victim->gi) + victim->gj)) victim = &c;
    if (victim) { *victim = combo{}; victim->used = true; }
    return victim;
  }

  // ---- events ----
  enum ev_type : std::uint8_t { ev_rekey, ev_ctrl, ev_deliver, ev_arrive, ev_tick };
  struct event {
    std::uint64_t t;
    ev_type type;
    std::uint32_t a, b, g;  // meaning depends on type
    std::uint64_t seq = 0;
    std::uint32_t h = 0;    // arrive: sender's generation
  };
  struct later {
    bool operator()(const event& x, const event& y) const { return x.t != y.t ? x.t > y.t : x.seq > y.seq; }
  };
  void push(event e) { e.seq = seq_++; q_.push(e); }
  std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi) { return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng_); }
  bool chance(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  // ---- the sink a session (i -> peer j) drives ----
  struct sink {
    mesh_sim* s;
    std::uint32_t i, j;
    std::uint64_t now;
    bool install(std::uint64_t l, std::uint64_t r) { return s->install(i, gen_of(l), j, gen_of(r)); }
    void remove(std::uint64_t l, std::uint64_t r) { s->uninstall(i, gen_of(l), j, gen_of(r)); }
    void shorten(std::uint64_t, std::uint64_t, std::uint64_t t) { s->schedule_tick(i, j, t); }
    void set_outbound(std::uint64_t l, std::uint64_t r) { s->switched(i, gen_of(l), j, gen_of(r), now); }
  };
  peer_session& sess(std::uint32_t i, std::uint32_t j) { return sessions_[std::size_t(i) * n_ + j]; }

  void setup() {
    nodes_.resize(n_);
    pairs_.resize(n_ * (n_ - 1) / 2);
    for (std::uint32_t j = 1; j < n_; ++j)
      for (std::uint32_t i = 0; i < j; ++i) {
        auto& p = pairs_[pair_index(i, j)];
        if (chance(c_.one_way_fraction)) p.mode = chance(0.5) ? 1 : 2;
      }
    for (std::uint32_t i = 0; i < n_; ++i) new_generation(i);
    sessions_.reserve(n_ * n_);
    session_config sc{50, 1000};
    for (std::uint32_t i = 0; i < n_; ++i)
      for (std::uint32_t j = 0; j < n_; ++j) sessions_.emplace_back(rc_of(0), 0, sc);
    tick_at_.assign(n_ * n_, 0);
    rep_.messages_pairwise_ike = std::uint64_t(c_.rounds) * n_ * (n_ - 1);
  }

  void new_generation(std::uint32_t i) {
    auto& nd = nodes_[i];
    const std::uint32_t g = std::uint32_t(nd.gens.size());
    const double t0 = thread_cpu_ns();
    auto kp = x25519_generate();
    gen_pub gp;
    gp.pub = kp.pk;
    for (auto& b : gp.nonce) b = std::uint8_t(rng_());  // deterministic per seed (keys are random anyway)
    nd.sk[g & 1] = kp.sk;
    nd.gens.push_back(gp);
    nd.cur = g;
    nd.cpu_ns += thread_cpu_ns() - t0;
  }

  // Derive combination (i, gi) x (j, gj) from i's side; fills c. Returns false on failure.
  // The pure part of a derivation (thread-safe): (i, gi) x (j, gj) from i's side into c.
  bool compute(std::uint32_t i, std::uint32_t gi, std::uint32_t j, std::uint32_t gj, const x25519_shared& gir, combo& c) const {
    const auto& a = nodes_[i].gens[gi];
    const auto& b = nodes_[j].gens[gj];
    auto d = derive_from_shared(c_.prof, c_.prof.default_policy, gir, side{a.nonce, rc_of(gi), 1}, side{b.nonce, rc_of(gj), 1});
    if (!d) return false;
    const bool swap = i > j;
    c.gi = swap ? gj : gi;
    c.gj = swap ? gi : gj;
    const std::uint32_t spi_to_me = d->sas.inbound.spi, spi_to_peer = d->sas.outbound.spi;
    const std::uint64_t fp_me = load_be64(d->sas.inbound.key.data()), fp_peer = load_be64(d->sas.outbound.key.data());
    c.spi_to_i = swap ? spi_to_peer : spi_to_me;
    c.spi_to_j = swap ? spi_to_me : spi_to_peer;
    c.fp_to_i = swap ? fp_peer : fp_me;
    c.fp_to_j = swap ? fp_me : fp_peer;
    c.ok = true;
    return true;
  }
  // Book-keeping after a successful derivation (serial).
  void record(std::uint32_t i, std::uint32_t gi, std::uint32_t j, std::uint32_t gj, const combo& c) {
    const std::uint64_t id = (std::uint64_t(std::min(i, j)) << 48) | (std::uint64_t(std::max(i, j)) << 32) | (std::uint64_t(c.gi) << 16) | c.gj;
    fps_.push_back({c.fp_to_i, id});
    fps_.push_back({c.fp_to_j, id});
    if (c.fp_to_i == c.fp_to_j) ++rep_.key_collisions;  // the two directions of one pair
    ++rep_.derivations;
    if (c_.mirror_check_every && rep_.derivations % c_.mirror_check_every == 0) mirror_check(i, gi, j, gj, c);
  }
  bool derive(std::uint32_t i, std::uint32_t gi, std::uint32_t j, std::uint32_t gj, const x25519_shared& gir, combo& c) {
    if (!compute(i, gi, j, gj, gir, c)) return false;
    record(i, gi, j, gj, c);
    return true;
  }


  // Re-derive from j's side with j's own secret and compare.
  void mirror_check(std::uint32_t i, std::uint32_t gi, std::uint32_t j, std::uint32_t gj, const combo& c) {
    if (!(gj + 2 > nodes_[j].cur)) return;  // j's private key for gj already erased
    ++rep_.mirror_checks;
    auto gir = x25519_shared_secret(secret_of(j, gj), nodes_[i].gens[gi].pub);
    combo m;
    if (!gir || !compute(j, gj, i, gi, *gir, m) || m.spi_to_i != c.spi_to_i || m.spi_to_j != c.spi_to_j ||
        m.fp_to_i != c.fp_to_i || m.fp_to_j != c.fp_to_j) {
      ++rep_.mirror_mismatches;
      note_failure(i, j, "mirror check mismatch");
    }
  }


  // A session asks for (i, gi) x (j, gj).
  bool install(std::uint32_t i, std::uint32_t gi, std::uint32_t j, std::uint32_t gj) {
    combo* c = find_combo(i, gi, j, gj);
    if (!c) {  // cache miss: derive now
      c = new_combo(i, j);
      if (!c) { note_failure(i, j, "more than 12 live combinations for one pair"); return false; }
      const double t0 = thread_cpu_ns();
      auto gir = x25519_shared_secret(secret_of(i, gi), nodes_[j].gens[gj].pub);
      const bool ok = gir && derive(i, gi, j, gj, *gir, *c);
      c->cost_ns = float(thread_cpu_ns() - t0);
      if (!ok) { c->gi = i < j ? gi : gj; c->gj = i < j ? gj : gi; c->ok = false; }
    }
    nodes_[i].cpu_ns += c->cost_ns;
    ++nodes_[i].installs;
    if (!c->ok) return false;
    c->refs |= std::uint8_t(i < j ? 1 : 2);
    return true;
  }
  void uninstall(std::uint32_t i, std::uint32_t gi, std::uint32_t j, std::uint32_t gj) {
    combo* c = find_combo(i, gi, j, gj);
    if (!c) return;
    c->refs &= std::uint8_t(~(i < j ? 1 : 2));
    if (c->refs == 0) c->used = false;
  }
  void schedule_tick(std::uint32_t i, std::uint32_t j, std::uint64_t t) {
    auto& at = tick_at_[std::size_t(i) * n_ + j];
    if (at == t) return;
    at = t;
    push({t, ev_tick, i, j, 0});
  }
  bool sends(std::uint32_t i, std::uint32_t j) const {
    const auto m = pairs_[pair_index(i, j)].mode;
    return m == 0 || (m == 1 ? i < j : i > j);
  }
  // i now transmits to j on (gi, gj): j must have the mirrored SA installed right now.
  void switched(std::uint32_t i, std::uint32_t gi, std::uint32_t j, std::uint32_t gj, std::uint64_t now) {
    if (!sess(j, i).has_sa(rc_of(gj), rc_of(gi))) {
      if (sess(j, i).remote_generations()[0].valid || sess(j, i).remote_generations()[1].valid)
        note_failure(i, j, "switched to an SA the peer has not installed");
    }
    if (sends(i, j)) {
      ++rep_.packets;
      push({now + uniform(1, 3), ev_arrive, j, i, gj, 0, gi});
    }
  }

  void publish(std::uint32_t i, std::uint64_t t) {
    ++rep_.messages_controller_ike;
    push({t + uniform(1, 10), ev_ctrl, i, 0, nodes_[i].cur});
  }

  // Derive (i, g) x todo_ (peer, generation) not yet cached, X25519 vectorised; the per-item
  // CPU cost is the batch's thread CPU time divided evenly. False if any derivation failed.
  bool derive_batch(std::uint32_t i, std::uint32_t g) {
    peers_.clear();
    pubs_.clear();
    for (const auto& [j, gj] : todo_)
      if (!find_combo(i, g, j, gj)) {
        peers_.push_back({j, gj});
        pubs_.push_back(nodes_[j].gens[gj].pub);
      }
    const std::size_t m = peers_.size();
    shared_.resize(m);
    oks_.resize(m);
    slots_.assign(m, nullptr);
    for (std::size_t k = 0; k < m; ++k) {
      slots_[k] = new_combo(i, peers_[k].first);
      if (!slots_[k]) note_failure(i, peers_[k].first, "more than 12 live combinations for one pair");
      else slots_[k]->pending = true;
    }
    const x25519_secret& sk = secret_of(i, g);
    auto work = [&](std::size_t lo, std::size_t hi, double& cpu) {
      const double t0 = thread_cpu_ns();
      x25519_shared_batch(sk, std::span<const x25519_public>(pubs_).subspan(lo, hi - lo),
                          std::span<x25519_shared>(shared_).subspan(lo, hi - lo), std::span<std::uint8_t>(oks_).subspan(lo, hi - lo));
      for (std::size_t k = lo; k < hi; ++k)
        if (slots_[k]) oks_[k] = oks_[k] && compute(i, g, peers_[k].first, peers_[k].second, shared_[k], *slots_[k]);
      cpu = thread_cpu_ns() - t0;
    };
    double cpu1 = 0, cpu2 = 0;
    if (c_.threads > 1 && m >= 64) {  // two workers; the CPU time of both is charged
      const std::size_t mid = (m / 2 + 7) & ~std::size_t(7);
      std::thread helper(work, mid, m, std::ref(cpu2));
      work(0, mid, cpu1);
      helper.join();
    } else {
      work(0, m, cpu1);
    }
    bool all = true;
    for (std::size_t k = 0; k < m; ++k) {
      combo* c = slots_[k];
      if (!c) continue;
      c->pending = false;
      if (oks_[k]) { record(i, g, peers_[k].first, peers_[k].second, *c); ++rep_.batched_derivations; }
      else { c->used = false; all = false; }
    }
    const double per = m ? (cpu1 + cpu2) / double(m) : 0;
    for (std::size_t k = 0; k < m; ++k)
      if (slots_[k] && slots_[k]->used) slots_[k]->cost_ns = float(per);
    return all;
  }

  // Rule 1 for every peer of i: batch the X25519 work with the new secret first.
  void rekey(std::uint32_t i, std::uint64_t now) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      new_generation(i);
      const std::uint32_t g = nodes_[i].cur;
      todo_.clear();
      for (std::uint32_t j = 0; j < n_; ++j) {
        if (j == i) continue;
        bool newest_known = false;
        for (const auto& r : sess(i, j).remote_generations()) {
          if (r.valid && !r.retired) todo_.push_back({j, gen_of(r.rc)});
          newest_known = newest_known || (r.valid && gen_of(r.rc) == nodes_[j].cur);
        }
        // j's newest DIM may still be on its way to i: its combination with g will be needed
        if (!newest_known) todo_.push_back({j, nodes_[j].cur});
      }
      const bool reroll = !derive_batch(i, g);
      if (!reroll || attempt == 3) break;
      // a reserved SPI (or a bad peer value): drop this DH pair and roll a new one [spec §0.1]
      ++rep_.rerolls;
      for (const auto& [j, gj] : todo_)
        if (combo* c = find_combo(i, g, j, gj)) c->used = false;
      nodes_[i].gens.pop_back();  // never published: roll it again under the same counter
    }
    for (std::uint32_t j = 0; j < n_; ++j) {
      if (j == i) continue;
      sink s{this, i, j, now};
      auto& ss = sess(i, j);
      ss.on_local_rekey(rc_of(nodes_[i].cur), now, s);
    }
    publish(i, now);
  }

  void note_failure(std::uint32_t i, std::uint32_t j, const std::string& why) {
    auto& p = pairs_[pair_index(i, j)];
    if (!p.failed) {
      p.failed = true;
      if (rep_.first_failure.empty())
        rep_.first_failure = why + " (devices " + std::to_string(i) + " and " + std::to_string(j) + ")";
    }
  }

  void run_until(std::uint64_t until) {
    while (!q_.empty() && q_.top().t <= until) {
      const event e = q_.top();
      q_.pop();
      switch (e.type) {
        case ev_rekey: rekey(e.a, e.t); break;
        case ev_ctrl:  // the controller relays the DIM to every authorised peer
          for (std::uint32_t j = 0; j < n_; ++j) {
            if (j == e.a) continue;
            ++rep_.controller_deliveries;
            std::uint64_t t = e.t + uniform(5, 100);
            while (chance(c_.loss)) {  // not acknowledged in time: the controller sends it again
              ++rep_.deliveries_lost;
              ++rep_.controller_deliveries;
              // half of the unacknowledged copies were only late: they arrive after the
              // retransmission (reordered duplicates, which the device must ignore as stale)
              if (chance(0.5)) push({t + uniform(300, 3000), ev_deliver, j, e.a, e.g});
              t += 200 + uniform(0, 100);
            }
            push({t, ev_deliver, j, e.a, e.g});
          }
          break;
        case ev_deliver: {  // device a receives the DIM of b's generation g
          sink s{this, e.a, e.b, e.t};
          if (!sess(e.a, e.b).on_remote_dim(rc_of(e.g), false, e.t + c_.dim_lifetime, e.t, s)) ++rep_.stale_dims;
          break;
        }
        case ev_arrive: {  // a packet from b (generation h) arrives at a on a's generation g
          sink s{this, e.a, e.b, e.t};
          auto& ss = sess(e.a, e.b);
          const bool boot = !ss.remote_generations()[0].valid && !ss.remote_generations()[1].valid;
          if (!ss.on_inbound(rc_of(e.g), rc_of(e.h), e.t, s)) {
            if (boot) ++rep_.bootstrap_drops;
            else note_failure(e.a, e.b, "packet arrived on an SA that is not installed");
          }
          break;
        }
        case ev_tick: {
          sink s{this, e.a, e.b, e.t};
          if (tick_at_[std::size_t(e.a) * n_ + e.b] == e.t) sess(e.a, e.b).tick(e.t, s);
          break;
        }
      }
    }
  }

  // Every pair: each side's outbound SA is installed at the other with equal SPI and keys.
  void check_all(const std::string& when) {
    for (std::uint32_t i = 0; i < n_; ++i)
      for (std::uint32_t j = 0; j < n_; ++j) {
        if (i == j) continue;
        auto& a = sess(i, j);
        rep_.max_sa_pairs_per_peer = std::max(rep_.max_sa_pairs_per_peer, a.sa_count());
        const auto o = a.outbound();
        if (!o) { note_failure(i, j, "no outbound SA at " + when); continue; }
        const std::uint32_t gi = gen_of(o->first), gj = gen_of(o->second);
        if (!sess(j, i).has_sa(o->second, o->first)) { note_failure(i, j, "outbound SA not installed at the peer at " + when); continue; }
        combo* c = find_combo(i, gi, j, gj);
        if (!c || !c->ok) note_failure(i, j, "no key material for the outbound SA at " + when);
        // no two live inbound SAs of one device share an SPI with the same peer
        if (i < j) {
          std::uint32_t spis[peer_session::max_sas];
          std::size_t k = 0;
          for (const auto& s : a.sas()) {
            if (!s.valid) continue;
            if (combo* cc = find_combo(i, gen_of(s.local_rc), j, gen_of(s.remote_rc))) spis[k++] = cc->spi_to_i;
          }
          bool dup = false;
          for (std::size_t x = 0; x < k; ++x)
            for (std::size_t y = x + 1; y < k; ++y) dup = dup || spis[x] == spis[y];
          if (dup) { ++rep_.spi_collisions_same_peer; note_failure(i, j, "inbound SPI collision"); }
        }
      }
  }

  void finish() {
    std::sort(fps_.begin(), fps_.end());
    // the same combination may be derived again after both sides dropped it; only keys of
    // different combinations (or of the two directions of one) must differ
    for (std::size_t k = 1; k < fps_.size(); ++k)
      rep_.key_collisions += fps_[k].first == fps_[k - 1].first && fps_[k].second != fps_[k - 1].second;
    if (rep_.key_collisions && rep_.first_failure.empty()) rep_.first_failure = "two SAs share keys";
    // benign: one device using the same inbound SPI for two different peers (lookup is by SPI + source)
    std::vector<std::uint32_t> spis;
    for (std::uint32_t i = 0; i < n_; ++i) {
      spis.clear();
      for (std::uint32_t j = 0; j < n_; ++j) {
        if (i == j) continue;
        for (const auto& s : sess(i, j).sas())
          if (s.valid) if (combo* c = find_combo(i, gen_of(s.local_rc), j, gen_of(s.remote_rc))) spis.push_back(i < j ? c->spi_to_i : c->spi_to_j);
      }
      std::sort(spis.begin(), spis.end());
      for (std::size_t k = 1; k < spis.size(); ++k) rep_.shared_inbound_spis += spis[k] == spis[k - 1];
    }
    double sum = 0, mx = 0, inst = 0;
    for (const auto& nd : nodes_) { sum += nd.cpu_ns; mx = std::max(mx, nd.cpu_ns); inst += double(nd.installs); }
    rep_.cpu_seconds_per_node = sum / double(n_) * 1e-9;
    rep_.cpu_seconds_per_node_max = mx * 1e-9;
    rep_.derivations_per_node = inst / double(n_);
    for (const auto& p : pairs_) (p.failed || rep_.key_collisions ? rep_.pairs_failed : rep_.pairs_ok)++;
  }

  sim_config c_;
  std::size_t n_;
  std::mt19937_64 rng_;
  sim_report rep_;
  std::vector<node> nodes_;
  std::vector<pair_rec> pairs_;
  std::vector<peer_session> sessions_;
  std::vector<std::uint64_t> tick_at_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> fps_;  // (key fingerprint, combination id)
  std::priority_queue<event, std::vector<event>, later> q_;
  std::uint64_t seq_ = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> peers_, todo_;
  std::vector<x25519_public> pubs_;
  std::vector<x25519_shared> shared_;
  std::vector<std::uint8_t> oks_;
  std::vector<combo*> slots_;
};

}  // namespace detail

/// Run the mesh simulator.
inline result<sim_report> run_sim(const sim_config& c) {
  detail::mesh_sim s(c);
  return s.run();
}

}  // namespace darekit::ckx
