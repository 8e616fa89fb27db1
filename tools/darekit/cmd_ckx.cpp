// darekit ckx: the Controller-IKE key schedule (derive, dim) and the mesh simulator (sim).
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <thread>

#include <unistd.h>

#include "cli.hpp"
#include "darekit/ckx.hpp"
#include "darekit/ckx/sim.hpp"
#include "darekit/codec/hex.hpp"
#include "darekit/udf/key_file.hpp"

namespace darekit::cli {
namespace {

constexpr const char* help =
    "usage: darekit ckx derive --local-key KEYFILE --local-dim DIM --remote-dim DIM\n"
    "                          [--prf sha256|sha512] [--keymat via-skd|direct] [--spn] [--ppk HEX]\n"
    "       darekit ckx dim --key KEYFILE --nonce HEX --counter N [--json] [--peer-id ID]\n"
    "                       [--initial] [--lifetime S] [--policy P]... [--out FILE]\n"
    "       darekit ckx sim --nodes N [--rounds R] [--loss P] [--seed S] [--prf sha256|sha512]\n"
    "                       [--keymat via-skd|direct] [--one-way F] [--threads 1|2]\n"
    "\n"
    "Controller-IKE (draft-carrel-ipsecme-controller-ike-01) with darekit's pinned profile\n"
    "(docs/CKX.md): X25519, HMAC-SHA-256 (or -512) prf, 32-byte nonces, RN-substituted SPIs.\n"
    "\n"
    "derive  prints one JSON object: role, prf, keymat_mode, policy, gir, ni, nr, skeyseed,\n"
    "        spi_raw, spi_i, spi_r (8 hex digits), sk_d (via-skd only), keymat, and the local\n"
    "        SAs \"outbound\"/\"inbound\" {spi, key, salt}. All byte strings are lowercase hex.\n"
    "dim     builds a Device Information Message: binary v1 (default) or JSON (--json).\n"
    "        --policy is aes-gcm-256 | aes-gcm-128 | chacha20-poly1305, repeatable, in\n"
    "        preference order (none = pre-provisioned default AES-GCM-16/256).\n"
    "sim     runs the mesh simulator (docs/CKX.md) and prints a JSON summary: nodes, rounds,\n"
    "        messages_controller_ike, messages_pairwise_ike, pairs_ok, pairs_failed,\n"
    "        cpu_seconds_per_node, and more. Exit 1 if any pair failed.\n"
    "\n"
    "KEYFILE: a raw 32-byte X25519 private key as 64 hex digits, an RFC 8037 OKP JWK\n"
    "(crv X25519), a UDF key seed, or the reference PrivateKeyECDH form.\n"
    "DIM files are binary or JSON (detected by a leading '{').\n";

/// A local X25519 key pair from a key file.
struct key_pair {
  ckx::x25519_secret private_key;
  ckx::x25519_public public_key{};
};

/// Key files: 64 hex digits (a raw X25519 scalar), or anything udf::read_private_key reads
/// (an X25519 seed UDF, an RFC 8037 OKP JWK with crv X25519, the reference PrivateKeyECDH).
result<key_pair> read_key(const std::string& path) {
  DAREKIT_TRY(auto r, udf::load_private_key(path, {.raw_hex = udf::key_alg::x25519}));
  if (r.alg != udf::key_alg::x25519) return fail(errc::unsupported, path + ": ckx needs an X25519 key");
  key_pair kp;
  kp.private_key = ckx::x25519_secret(r.private_key.view());
  kp.public_key = ckx::x25519_public_of(kp.private_key);
  return kp;
}

result<std::uint64_t> parse_u64(std::string_view s, std::string_view what) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), v, 16);
    if (ec != std::errc() || p != s.data() + s.size()) return fail(errc::invalid_argument, std::string(what) + ": bad hex number");
    return v;
  }
  return parse_uint(s, what);
}

result<ckx::profile> parse_profile(const parsed& p) {
  ckx::profile prof;
  const std::string prf = p.get("--prf").value_or("sha256");
  if (prf == "sha256") prof.prf = ckx::prf_id::hmac_sha2_256;
  else if (prf == "sha512") prof.prf = ckx::prf_id::hmac_sha2_512;
  else return fail(errc::invalid_argument, "unknown --prf '" + prf + "' (sha256, sha512)");
  const std::string km = p.get("--keymat").value_or("via-skd");
  if (km == "via-skd") prof.keymat = ckx::keymat_mode::via_sk_d;
  else if (km == "direct") prof.keymat = ckx::keymat_mode::direct;
  else return fail(errc::invalid_argument, "unknown --keymat '" + km + "' (via-skd, direct)");
  prof.spn_in_spi = p.has("--spn");
  return prof;
}

std::string spi_hex(std::uint32_t v) {
  std::uint8_t b[4];
  store_be32(b, v);
  return hex::encode(byte_view(b, 4));
}
std::string sa_json(const ckx::esp_sa& sa) {
  return "{\"spi\":\"" + spi_hex(sa.spi) + "\",\"encr\":" + std::to_string(unsigned(sa.encr)) + ",\"key\":\"" +
         hex::encode(sa.key_view()) + "\",\"salt\":\"" + hex::encode(sa.salt.view()) + "\"}";
}

int run_derive(const args& a) {
  auto p = parse(a, {{"--local-key", true}, {"--local-dim", true}, {"--remote-dim", true}, {"--prf", true},
                     {"--keymat", true}, {"--spn", false}, {"--ppk", true}});
  if (!p) return error(p.err().what());
  if (p->has("--help")) { std::fputs(help, stdout); return exit_ok; }
  for (const char* o : {"--local-key", "--local-dim", "--remote-dim"})
    if (!p->get(o)) return error(std::string("ckx derive: missing ") + o);
  auto prof = parse_profile(*p);
  if (!prof) return error(prof.err().what());
  auto kp = read_key(*p->get("--local-key"));
  if (!kp) return error(kp.err().what());
  auto ld_raw = read_file(*p->get("--local-dim"), ckx::dim_limits::max_json + 1);
  if (!ld_raw) return error(ld_raw.err().what());
  auto rd_raw = read_file(*p->get("--remote-dim"), ckx::dim_limits::max_json + 1);
  if (!rd_raw) return error(rd_raw.err().what());
  auto ld = ckx::decode_any(*ld_raw);
  if (!ld) return error("local DIM: " + ld.err().what());
  auto rd = ckx::decode_any(*rd_raw);
  if (!rd) return error("remote DIM: " + rd.err().what());
  bool mine = false;
  for (const auto& k : ld->kes) mine = mine || ct_equal(k.pub, kp->public_key);
  if (!mine) return error("the local key does not match any KE value of the local DIM");
  bytes ppk;
  if (auto h = p->get("--ppk")) {
    auto d = hex::decode(*h);
    if (!d) return error("--ppk: " + d.err().what());
    ppk = *d;
  }
  auto d = ckx::derive_pair(*prof, kp->private_key, *ld, *rd, ppk);
  wipe(ppk.data(), ppk.size());
  if (!d) return error(d.err().what());
  std::string out = "{\"role\":\"" + std::string(ckx::to_string(d->local_role)) + "\",\"prf\":\"" +
                    std::string(ckx::to_string(d->prf)) + "\",\"keymat_mode\":\"" + std::string(ckx::to_string(d->mode)) +
                    "\",\"policy\":{\"proposal\":" + std::to_string(unsigned(d->pol.proposal_num)) + ",\"encr\":" +
                    std::to_string(unsigned(d->pol.encr)) + ",\"key_bits\":" + std::to_string(d->pol.key_bits) +
                    "},\"gir\":\"" + hex::encode(d->gir.view()) + "\",\"ni\":\"" + hex::encode(d->ni_view()) + "\",\"nr\":\"" +
                    hex::encode(d->nr_view()) + "\",\"skeyseed\":\"" + hex::encode(d->skeyseed_view()) + "\",\"spi_raw\":\"" +
                    hex::encode(d->spi_raw) + "\",\"spi_i\":\"" + spi_hex(d->spis.spi_i) + "\",\"spi_r\":\"" +
                    spi_hex(d->spis.spi_r) + "\"";
  if (d->mode == ckx::keymat_mode::via_sk_d) out += ",\"sk_d\":\"" + hex::encode(d->sk_d_view()) + "\"";
  out += ",\"keymat\":\"" + hex::encode(d->keymat_view()) + "\",\"outbound\":" + sa_json(d->sas.outbound) +
         ",\"inbound\":" + sa_json(d->sas.inbound) + "}\n";
  std::fputs(out.c_str(), stdout);
  wipe(out.data(), out.size());
  return exit_ok;
}

int run_dim(const args& a) {
  auto p = parse(a, {{"--key", true}, {"--nonce", true}, {"--counter", true}, {"--json", false}, {"--peer-id", true},
                     {"--initial", false}, {"--lifetime", true}, {"--policy", true, true}, {"--out", true}});
  if (!p) return error(p.err().what());
  if (p->has("--help")) { std::fputs(help, stdout); return exit_ok; }
  for (const char* o : {"--key", "--nonce", "--counter"})
    if (!p->get(o)) return error(std::string("ckx dim: missing ") + o);
  auto kp = read_key(*p->get("--key"));
  if (!kp) return error(kp.err().what());
  auto nonce = hex::decode(*p->get("--nonce"));
  if (!nonce) return error("--nonce: " + nonce.err().what());
  auto rc = parse_u64(*p->get("--counter"), "--counter");
  if (!rc) return error(rc.err().what());
  std::vector<ckx::policy> pols;
  std::uint8_t pn = 1;
  for (const auto& s : p->all("--policy")) {
    ckx::policy pol{pn++, ckx::encr_id::aes_gcm_16, 256};
    if (s == "aes-gcm-128") pol.key_bits = 128;
    else if (s == "chacha20-poly1305") pol.encr = ckx::encr_id::chacha20_poly1305;
    else if (s != "aes-gcm-256") return error("unknown --policy '" + s + "' (aes-gcm-256, aes-gcm-128, chacha20-poly1305)");
    pols.push_back(pol);
  }
  std::optional<std::uint32_t> lifetime;
  if (auto l = p->get("--lifetime")) {
    auto v = parse_uint(*l, "--lifetime");
    if (!v || *v > UINT32_MAX) return error("--lifetime must be 0..4294967295");
    lifetime = std::uint32_t(*v);
  }
  const std::string id = p->get("--peer-id").value_or(hex::encode(byte_view(kp->public_key).first(8)));
  auto d = ckx::make_dim(as_bytes(id), kp->public_key, *nonce, *rc, pols, p->has("--initial"), lifetime);
  bytes out;
  if (p->has("--json")) {
    auto j = ckx::encode_json(d);
    if (!j) return error(j.err().what());
    out = to_bytes(*j + "\n");
  } else {
    auto b = ckx::encode_binary(d);
    if (!b) return error(b.err().what());
    out = *b;
  }
  auto w = write_file(p->get("--out").value_or("-"), out);
  if (!w) return error(w.err().what());
  return exit_ok;
}

std::string num(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

int run_sim(const args& a) {
  auto p = parse(a, {{"--nodes", true}, {"--rounds", true}, {"--loss", true}, {"--seed", true}, {"--prf", true},
                     {"--keymat", true}, {"--one-way", true}, {"--threads", true}});
  if (!p) return error(p.err().what());
  if (p->has("--help")) { std::fputs(help, stdout); return exit_ok; }
  if (!p->get("--nodes")) return error("ckx sim: missing --nodes");
  auto prof = parse_profile(*p);
  if (!prof) return error(prof.err().what());
  ckx::sim_config c;
  c.prof = *prof;
  auto nodes = parse_uint(*p->get("--nodes"), "--nodes");
  if (!nodes) return error(nodes.err().what());
  c.nodes = std::size_t(*nodes);
  auto rounds = parse_uint(p->get("--rounds").value_or("1"), "--rounds");
  if (!rounds || *rounds > 1000) return error("--rounds must be 0..1000");
  c.rounds = std::size_t(*rounds);
  auto seed = parse_uint(p->get("--seed").value_or("1"), "--seed");
  if (!seed) return error(seed.err().what());
  c.seed = *seed;
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  auto threads = parse_uint(p->get("--threads").value_or(std::to_string(std::min(2u, hw))), "--threads");
  if (!threads || *threads < 1 || *threads > 2) return error("--threads must be 1 or 2");
  c.threads = unsigned(*threads);
  for (auto [opt, dst] : {std::pair{"--loss", &c.loss}, std::pair{"--one-way", &c.one_way_fraction}}) {
    if (auto l = p->get(opt)) {
      char* end = nullptr;
      *dst = std::strtod(l->c_str(), &end);
      if (l->empty() || *end || !(*dst >= 0 && *dst < 1)) return error(std::string(opt) + " must be a probability in [0, 1)");
    }
  }
  if (isatty(2))
    c.progress = [](std::size_t r, std::size_t n) { std::fprintf(stderr, "\rckx sim: round %zu/%zu done", r, n); if (r == n) std::fputc('\n', stderr); };
  auto r = ckx::run_sim(c);
  if (!r) return error(r.err().what());
  std::string out = "{\"nodes\":" + std::to_string(r->nodes) + ",\"rounds\":" + std::to_string(r->rounds) +
                    ",\"loss\":" + num(c.loss) + ",\"seed\":" + std::to_string(c.seed) +
                    ",\"messages_controller_ike\":" + std::to_string(r->messages_controller_ike) +
                    ",\"messages_pairwise_ike\":" + std::to_string(r->messages_pairwise_ike) +
                    ",\"pairs_ok\":" + std::to_string(r->pairs_ok) + ",\"pairs_failed\":" + std::to_string(r->pairs_failed) +
                    ",\"cpu_seconds_per_node\":" + num(r->cpu_seconds_per_node) +
                    ",\"cpu_seconds_per_node_max\":" + num(r->cpu_seconds_per_node_max) +
                    ",\"controller_deliveries\":" + std::to_string(r->controller_deliveries) +
                    ",\"deliveries_lost\":" + std::to_string(r->deliveries_lost) +
                    ",\"stale_dims\":" + std::to_string(r->stale_dims) +
                    ",\"derivations\":" + std::to_string(r->derivations) +
                    ",\"derivations_per_node\":" + num(r->derivations_per_node) +
                    ",\"mirror_checks\":" + std::to_string(r->mirror_checks) +
                    ",\"mirror_mismatches\":" + std::to_string(r->mirror_mismatches) +
                    ",\"packets\":" + std::to_string(r->packets) + ",\"bootstrap_drops\":" + std::to_string(r->bootstrap_drops) +
                    ",\"rerolls\":" + std::to_string(r->rerolls) + ",\"key_collisions\":" + std::to_string(r->key_collisions) +
                    ",\"spi_collisions_same_peer\":" + std::to_string(r->spi_collisions_same_peer) +
                    ",\"shared_inbound_spis\":" + std::to_string(r->shared_inbound_spis) +
                    ",\"max_sa_pairs_per_peer\":" + std::to_string(r->max_sa_pairs_per_peer) +
                    ",\"x25519_kernel\":\"" + std::string(ckx::x25519_batch_kernel()) + "\",\"threads\":" +
                    std::to_string(c.threads) + ",\"wall_seconds\":" + num(r->wall_seconds);
  if (!r->first_failure.empty()) {
    std::string f;
    for (char ch : r->first_failure) if (ch != '"' && ch != '\\') f += ch;
    out += ",\"first_failure\":\"" + f + "\"";
  }
  out += "}\n";
  std::fputs(out.c_str(), stdout);
  return r->pairs_failed ? exit_verify_failed : exit_ok;
}

int run(const args& a) {
  if (a.empty() || a[0] == "--help" || a[0] == "-h") {
    std::fputs(help, a.empty() ? stderr : stdout);
    return a.empty() ? exit_error : exit_ok;
  }
  const args rest(a.begin() + 1, a.end());
  if (a[0] == "derive") return run_derive(rest);
  if (a[0] == "dim") return run_dim(rest);
  if (a[0] == "sim") return run_sim(rest);
  return error("ckx: unknown subcommand '" + a[0] + "' (derive, dim, sim)");
}

const registrar reg{{"ckx", "Controller-IKE key schedule: derive, dim, sim", &run}};

}  // namespace
}  // namespace darekit::cli
