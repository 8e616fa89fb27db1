// ckx layer 3: the rekey state machine under every ordering of two rekeys, with two-way,
// one-way and no traffic; plus the mesh simulator on small meshes.
#include <algorithm>
#include <string>

#include "darekit/ckx/session.hpp"
#include "darekit/ckx/sim.hpp"
#include "test_util.hpp"

using namespace darekit;
using ckx::command_log;
using ckx::peer_session;

namespace {
constexpr std::uint64_t life = 1000000;

/// Two devices A and B, each with a session for the other, packets delivered instantly.
struct duo {
  peer_session a{1, 0}, b{1, 0};
  command_log la, lb;
  std::uint64_t ga = 1, gb = 1, now = 1;
  std::uint64_t published_a = 1, published_b = 1;
  std::string trace;
  duo() {
    a.on_remote_dim(1, true, life, now, la);
    b.on_remote_dim(1, true, life, now, lb);
  }
  // each side's outbound SA must be installed (mirrored) at the other side
  void check() {
    INFO(trace);
    if (auto o = a.outbound()) CHECK(b.has_sa(o->second, o->first));
    if (auto o = b.outbound()) CHECK(a.has_sa(o->second, o->first));
    REQUIRE(a.outbound());
    REQUIRE(b.outbound());
    CHECK(a.sa_count() <= 4);
    CHECK(b.sa_count() <= 4);
  }
  void send_ab() { auto o = a.outbound(); INFO(trace); REQUIRE(o); CHECK(b.on_inbound(o->second, o->first, now, lb)); }
  void send_ba() { auto o = b.outbound(); INFO(trace); REQUIRE(o); CHECK(a.on_inbound(o->second, o->first, now, la)); }
  void step(char ev, int traffic) {
    now += 10;
    trace += ev;
    switch (ev) {
      case 'a': a.on_local_rekey(++ga, now, la); break;                  // Rule 1 at A
      case 'A': b.on_remote_dim(ga, false, now + life, now, lb); break;  // A's DIM reaches B
      case 'b': b.on_local_rekey(++gb, now, lb); break;
      case 'B': a.on_remote_dim(gb, false, now + life, now, la); break;
    }
    check();
    if (traffic & 1) send_ab();
    if (traffic & 2) send_ba();
    check();
  }
  void settle(int traffic) {
    for (int k = 0; k < 4; ++k) {
      now += 100;
      a.tick(now, la);
      b.tick(now, lb);
      check();
      if (traffic & 1) send_ab();
      if (traffic & 2) send_ba();
    }
  }
};
}  // namespace

TEST_CASE("state machine: every ordering of two rekeys keeps a working SA pair", "[ckx][session]") {
  std::string ev = "ABab";  // sorted for next_permutation
  int orderings = 0;
  do {
    if (ev.find('a') > ev.find('A') || ev.find('b') > ev.find('B')) continue;  // a DIM is delivered after its rekey
    ++orderings;
    for (int traffic = 0; traffic < 4; ++traffic) {  // none, A->B, B->A, both
      duo d;
      d.trace = "traffic=" + std::to_string(traffic) + " order=";
      if (traffic & 1) d.send_ab();
      if (traffic & 2) d.send_ba();
      for (char e : ev) d.step(e, traffic);
      d.settle(traffic);
      INFO(d.trace);
      if (traffic == 3) {  // two-way traffic converges on a2-b2 and retires everything else
        CHECK(*d.a.outbound() == std::pair<std::uint64_t, std::uint64_t>{2, 2});
        CHECK(*d.b.outbound() == std::pair<std::uint64_t, std::uint64_t>{2, 2});
        CHECK(d.a.sa_count() == 1);
        CHECK(d.b.sa_count() == 1);
      }
    }
  } while (std::next_permutation(ev.begin(), ev.end()));
  CHECK(orderings == 6);
}

TEST_CASE("state machine: single-sided rekey follows draft Fig. 3", "[ckx][session]") {
  duo d;
  d.send_ab();
  d.send_ba();
  d.step('a', 0);                               // A: install a2-b1, keep sending on a1-b1
  CHECK(d.a.has_sa(2, 1));
  CHECK(*d.a.outbound() == std::pair<std::uint64_t, std::uint64_t>{1, 1});
  d.step('A', 0);                               // B: Rule 2, switches at once (b1 is live)
  CHECK(*d.b.outbound() == std::pair<std::uint64_t, std::uint64_t>{1, 2});
  d.send_ba();                                  // A: Rule 3, switches to a2-b1, shortens a1-b1
  CHECK(*d.a.outbound() == std::pair<std::uint64_t, std::uint64_t>{2, 1});
  const auto& cmds = d.la.cmds;
  CHECK(std::any_of(cmds.begin(), cmds.end(), [](auto& c) { return c.k == command_log::kind::shorten && c.local_rc == 1; }));
  d.send_ab();                                  // B: Rule 4, shortens a1-b1
  d.settle(3);
  CHECK(d.a.sa_count() == 1);
  CHECK(d.b.sa_count() == 1);
}

TEST_CASE("state machine: stale DIMs, failed derivations, reboots and expiry", "[ckx][session]") {
  command_log log;
  peer_session s(5, 0);
  CHECK(s.on_remote_dim(7, false, 100, 1, log));
  CHECK_FALSE(s.on_remote_dim(6, false, 100, 2, log));  // older: stale
  CHECK_FALSE(s.on_remote_dim(7, false, 100, 2, log));  // repeated
  CHECK(s.sa_count() == 1);
  CHECK(s.next_expiry() == 100);
  s.tick(100, log);                                     // the DIM lifetime ends: SAs go
  CHECK(s.sa_count() == 0);
  CHECK_FALSE(s.outbound());
  CHECK_FALSE(s.on_inbound(5, 7, 101, log));
  command_log failing;
  failing.fail_installs = true;                         // e.g. a reserved SPI
  peer_session t(5, 0);
  t.on_remote_dim(1, false, 100, 1, failing);
  CHECK(t.sa_count() == 0);
  CHECK_FALSE(t.outbound());
  // a reboot: the initial flag drops older state
  peer_session u(5, 0);
  u.on_remote_dim((1ull << 32) | 9, false, 1000, 1, log);
  u.on_remote_dim((2ull << 32) | 1, true, 1000, 2, log);
  CHECK(u.sa_count() == 1);
  CHECK(u.outbound()->second == ((2ull << 32) | 1));
}

TEST_CASE("mesh simulator: small meshes with loss keep every pair working", "[ckx][sim]") {
  for (double loss : {0.0, 0.1}) {
    ckx::sim_config c;
    c.nodes = 24;
    c.rounds = 3;
    c.loss = loss;
    c.seed = 7;
    c.mirror_check_every = 4;
    auto r = ckx::run_sim(c);
    REQUIRE(r);
    INFO(r->first_failure);
    CHECK(r->pairs_failed == 0);
    CHECK(r->pairs_ok == 24 * 23 / 2);
    CHECK(r->messages_controller_ike == 24 * 4);  // initial + 3 rounds
    CHECK(r->messages_pairwise_ike == 3 * 24 * 23);
    CHECK(r->key_collisions == 0);
    CHECK(r->mirror_checks > 0);
    CHECK(r->mirror_mismatches == 0);
    CHECK(r->max_sa_pairs_per_peer <= 4);
    CHECK(r->cpu_seconds_per_node > 0);
    if (loss > 0) CHECK(r->deliveries_lost > 0);
    if (loss > 0) CHECK(r->stale_dims > 0);  // late duplicates arrive reordered and are ignored
  }
  ckx::sim_config bad;
  bad.nodes = 1;
  CHECK(ckx::run_sim(bad).code() == errc::invalid_argument);
}
