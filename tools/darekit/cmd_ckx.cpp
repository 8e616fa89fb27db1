// darekit ckx: the Controller-IKE key schedule (derive, dim) and the mesh simulator (sim).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "cli.hpp"
#include "darekit/ckx.hpp"
#include "darekit/ckx/sim.hpp"
#include "darekit/codec/hex.hpp"
#include "darekit/udf/key_file.hpp"

namespace darekit::cli {
namespace {

/// A local X25519 key pair from a key file: 64 hex digits (a raw X25519 scalar), or any
/// key file form (an X25519 seed UDF, an RFC 8037 OKP JWK, the reference PrivateKeyECDH).
struct key_pair {
  ckx::x25519_secret private_key;
  ckx::x25519_public public_key{};
};
result<key_pair> read_key(const std::string& path) {
  DAREKIT_TRY(auto r, udf::load_private_key(path, {.raw_hex = udf::key_alg::x25519}));
  if (r.alg != udf::key_alg::x25519) return fail(errc::unsupported, path + ": ckx needs an X25519 key");
  key_pair kp;
  kp.private_key = ckx::x25519_secret(r.private_key.view());
  kp.public_key = ckx::x25519_public_of(kp.private_key);
  return kp;
}

result<ckx::dim> read_dim(const std::string& path, const char* what) {
  DAREKIT_TRY(auto raw, io::read_file(path, ckx::dim_limits::max_json + 1));
  auto d = ckx::decode_any(raw);
  if (!d) return fail(d.code(), std::string(what) + " " + path + ": " + d.err().message);
  return d;
}

/// --prf, --keymat (and, for derive, --spn).
struct profile_args {
  std::string prf = "sha256", keymat = "via-skd";
  bool spn = false;
  void declare(CLI::App& c) {
    c.add_option("--prf", prf, "sha256 (default) or sha512: HMAC-SHA-2 prf")->check(CLI::IsMember({"sha256", "sha512"}));
    c.add_option("--keymat", keymat, "via-skd (default) or direct")->check(CLI::IsMember({"via-skd", "direct"}));
  }
  ckx::profile get() const {
    ckx::profile p;
    p.prf = prf == "sha512" ? ckx::prf_id::hmac_sha2_512 : ckx::prf_id::hmac_sha2_256;
    p.keymat = keymat == "direct" ? ckx::keymat_mode::direct : ckx::keymat_mode::via_sk_d;
    p.spn_in_spi = spn;
    return p;
  }
};

std::string spi_hex(std::uint32_t v) {
  std::uint8_t b[4];
  store_be32(b, v);
  return hex::encode(byte_view(b, 4));
}
std::string sa_json(const ckx::esp_sa& sa) {
  return "{\"spi\":\"" + spi_hex(sa.spi) + "\",\"encr\":" + std::to_string(unsigned(sa.encr)) + ",\"key\":\"" +
         hex::encode(sa.key_view()) + "\",\"salt\":\"" + hex::encode(sa.salt.view()) + "\"}";
}

struct derive_args : profile_args {
  std::string local_key, local_dim, remote_dim, ppk_file;
};
result<void> derive(const derive_args& a) {
  DAREKIT_TRY(auto kp, read_key(a.local_key));
  DAREKIT_TRY(auto ld, read_dim(a.local_dim, "local DIM"));
  DAREKIT_TRY(auto rd, read_dim(a.remote_dim, "remote DIM"));
  bool mine = false;
  for (const auto& k : ld.kes) mine = mine || ct_equal(k.pub, kp.public_key);
  if (!mine) return fail(errc::invalid_argument, "the local key does not match any KE value of the local DIM");
  secure_bytes ppk;
  if (!a.ppk_file.empty()) {
    DAREKIT_TRY(auto text, io::read_secret_file(a.ppk_file));
    auto h = hex::decode(udf::detail::trim(as_chars(text.view())));
    if (!h) return fail(h.code(), a.ppk_file + ": the PPK file holds hex digits: " + h.err().message);
    ppk.assign(*h);
    wipe(h->data(), h->size());
  }
  DAREKIT_TRY(auto d, ckx::derive_pair(a.get(), kp.private_key, ld, rd, ppk.view()));
  std::string out = "{\"role\":\"" + std::string(ckx::to_string(d.local_role)) + "\",\"prf\":\"" +
                    std::string(ckx::to_string(d.prf)) + "\",\"keymat_mode\":\"" + std::string(ckx::to_string(d.mode)) +
                    "\",\"policy\":{\"proposal\":" + std::to_string(unsigned(d.pol.proposal_num)) + ",\"encr\":" +
                    std::to_string(unsigned(d.pol.encr)) + ",\"key_bits\":" + std::to_string(d.pol.key_bits) +
                    "},\"gir\":\"" + hex::encode(d.gir.view()) + "\",\"ni\":\"" + hex::encode(d.ni_view()) + "\",\"nr\":\"" +
                    hex::encode(d.nr_view()) + "\",\"skeyseed\":\"" + hex::encode(d.skeyseed_view()) + "\",\"spi_raw\":\"" +
                    hex::encode(d.spi_raw) + "\",\"spi_i\":\"" + spi_hex(d.spis.spi_i) + "\",\"spi_r\":\"" +
                    spi_hex(d.spis.spi_r) + "\"";
  if (d.mode == ckx::keymat_mode::via_sk_d) out += ",\"sk_d\":\"" + hex::encode(d.sk_d_view()) + "\"";
  out += ",\"keymat\":\"" + hex::encode(d.keymat_view()) + "\",\"outbound\":" + sa_json(d.sas.outbound) +
         ",\"inbound\":" + sa_json(d.sas.inbound) + "}\n";
  auto r = print(out);
  wipe(out.data(), out.size());
  return r;
}

struct dim_args {
  std::string key, nonce, counter, peer_id, out = "-";
  bool json = false, initial = false;
  std::optional<std::uint32_t> lifetime;
  std::vector<std::string> policies;
};
result<std::uint64_t> parse_u64(std::string_view s, std::string_view what) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), v, 16);
    if (ec != std::errc() || p != s.data() + s.size()) return fail(errc::invalid_argument, std::string(what) + ": bad hex number");
    return v;
  }
  return parse_uint(s, what);
}
result<void> make_dim(const dim_args& a) {
  DAREKIT_TRY(auto kp, read_key(a.key));
  auto nonce = hex::decode(a.nonce);
  if (!nonce) return fail(nonce.code(), "--nonce: " + nonce.err().message);
  DAREKIT_TRY(auto rc, parse_u64(a.counter, "--counter"));
  std::vector<ckx::policy> pols;
  std::uint8_t pn = 1;
  for (const auto& s : a.policies) {
    ckx::policy pol{pn++, ckx::encr_id::aes_gcm_16, 256};
    if (s == "aes-gcm-128") pol.key_bits = 128;
    else if (s == "chacha20-poly1305") pol.encr = ckx::encr_id::chacha20_poly1305;
    pols.push_back(pol);
  }
  const std::string id = a.peer_id.empty() ? hex::encode(byte_view(kp.public_key).first(8)) : a.peer_id;
  auto d = ckx::make_dim(as_bytes(id), kp.public_key, *nonce, rc, pols, a.initial, a.lifetime);
  bytes data;
  if (a.json) {
    DAREKIT_TRY(auto j, ckx::encode_json(d));
    data = to_bytes(j + "\n");
  } else {
    DAREKIT_TRY(data, ckx::encode_binary(d));
  }
  DAREKIT_TRY(auto out, io::output::open(a.out));
  DAREKIT_CHECK(out.write(data));
  return out.commit();
}

std::string num(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

struct sim_args : profile_args {
  std::size_t nodes = 0, rounds = 1;
  std::uint64_t seed = 1;
  double loss = 0, one_way = ckx::sim_config{}.one_way_fraction;
  unsigned threads = std::min(2u, std::max(1u, std::thread::hardware_concurrency()));
};
result<void> sim(const sim_args& a) {
  for (auto [name, v] : {std::pair{"--loss", a.loss}, std::pair{"--one-way", a.one_way}})
    if (!(v >= 0 && v < 1)) return fail(errc::invalid_argument, std::string(name) + " must be a probability in [0, 1)");
  ckx::sim_config c;
  c.prof = a.get();
  c.nodes = a.nodes;
  c.rounds = a.rounds;
  c.seed = a.seed;
  c.threads = a.threads;
  c.loss = a.loss;
  c.one_way_fraction = a.one_way;
  progress p(std::string(current_command()), c.rounds, "rounds");
  c.progress = [&p](std::size_t r, std::size_t) { p.set(r); };
  DAREKIT_TRY(auto r, ckx::run_sim(c));
  p.done();
  std::string out = "{\"nodes\":" + std::to_string(r.nodes) + ",\"rounds\":" + std::to_string(r.rounds) +
                    ",\"loss\":" + num(c.loss) + ",\"seed\":" + std::to_string(c.seed) +
                    ",\"messages_controller_ike\":" + std::to_string(r.messages_controller_ike) +
                    ",\"messages_pairwise_ike\":" + std::to_string(r.messages_pairwise_ike) +
                    ",\"pairs_ok\":" + std::to_string(r.pairs_ok) + ",\"pairs_failed\":" + std::to_string(r.pairs_failed) +
                    ",\"cpu_seconds_per_node\":" + num(r.cpu_seconds_per_node) +
                    ",\"cpu_seconds_per_node_max\":" + num(r.cpu_seconds_per_node_max) +
                    ",\"controller_deliveries\":" + std::to_string(r.controller_deliveries) +
                    ",\"deliveries_lost\":" + std::to_string(r.deliveries_lost) +
                    ",\"stale_dims\":" + std::to_string(r.stale_dims) +
                    ",\"derivations\":" + std::to_string(r.derivations) +
                    ",\"derivations_per_node\":" + num(r.derivations_per_node) +
                    ",\"mirror_checks\":" + std::to_string(r.mirror_checks) +
                    ",\"mirror_mismatches\":" + std::to_string(r.mirror_mismatches) +
                    ",\"packets\":" + std::to_string(r.packets) + ",\"bootstrap_drops\":" + std::to_string(r.bootstrap_drops) +
                    ",\"rerolls\":" + std::to_string(r.rerolls) + ",\"key_collisions\":" + std::to_string(r.key_collisions) +
                    ",\"spi_collisions_same_peer\":" + std::to_string(r.spi_collisions_same_peer) +
                    ",\"shared_inbound_spis\":" + std::to_string(r.shared_inbound_spis) +
                    ",\"max_sa_pairs_per_peer\":" + std::to_string(r.max_sa_pairs_per_peer) +
                    ",\"x25519_kernel\":\"" + std::string(ckx::x25519_batch_kernel()) + "\",\"threads\":" +
                    std::to_string(c.threads) + ",\"wall_seconds\":" + num(r.wall_seconds);
  if (!r.first_failure.empty()) {
    std::string f;
    for (char ch : r.first_failure) if (ch != '"' && ch != '\\') f += ch;
    out += ",\"first_failure\":\"" + f + "\"";
  }
  out += "}\n";
  DAREKIT_CHECK(print(out));
  if (r.pairs_failed)
    return fail(errc::verification_failed, std::to_string(r.pairs_failed) + " pairs failed (first: " + r.first_failure + ")");
  return ok();
}

void declare(CLI::App& root) {
  CLI::App& f = family(root, "ckx", "Controller-IKE key schedule: derive, dim, sim");
  f.footer("Controller-IKE (draft-carrel-ipsecme-controller-ike-01) with darekit's pinned profile (docs/CKX.md):\n"
           "X25519, HMAC-SHA-256 (or -512) prf, 32-byte nonces, RN-substituted SPIs.\n"
           "KEYFILE: a raw 32-byte X25519 private key as 64 hex digits, an RFC 8037 OKP JWK (crv X25519),\n"
           "a UDF key seed, or the reference PrivateKeyECDH form. DIM files are binary or JSON (a leading '{').");

  auto d = std::make_shared<derive_args>();
  CLI::App& dc = command(f, "derive", "derive the SAs of a pair from a local key and two DIMs (JSON, hex)", [d] { return derive(*d); });
  dc.add_option("--local-key", d->local_key, "the local X25519 private key file")->type_name("KEYFILE")->required();
  dc.add_option("--local-dim", d->local_dim, "the local DIM")->type_name("DIM")->required();
  dc.add_option("--remote-dim", d->remote_dim, "the peer's DIM")->type_name("DIM")->required();
  d->declare(dc);
  dc.add_flag("--spn", d->spn, "substitute the SPN into the SPIs");
  dc.add_option("--ppk-file", d->ppk_file, "file holding a post-quantum preshared key as hex ('-' = stdin)")->type_name("FILE");
  refuse(dc, "--ppk",
         "--ppk takes no key on the command line (it would be visible to every user); put the hex in a "
         "file and use --ppk-file FILE, or --ppk-file - for stdin");
  dc.footer("Prints one JSON object: role, prf, keymat_mode, policy, gir, ni, nr, skeyseed, spi_raw, spi_i, spi_r\n"
            "(8 hex digits), sk_d (via-skd only), keymat, and the local SAs \"outbound\"/\"inbound\" {spi, key, salt}.\n"
            "All byte strings are lowercase hex.");

  auto m = std::make_shared<dim_args>();
  CLI::App& mc = command(f, "dim", "build a Device Information Message (binary v1 or JSON)", [m] { return make_dim(*m); });
  mc.add_option("--key", m->key, "the device's X25519 private key file")->type_name("KEYFILE")->required();
  mc.add_option("--nonce", m->nonce, "the nonce as hex")->type_name("HEX")->required();
  mc.add_option("--counter", m->counter, "the rekey counter (decimal, or hex with 0x)")->type_name("N")->required();
  mc.add_flag("--json", m->json, "JSON instead of binary v1");
  mc.add_option("--peer-id", m->peer_id, "peer id (default: the first 8 bytes of the public key, hex)")->type_name("ID");
  mc.add_flag("--initial", m->initial, "mark the DIM initial");
  mc.add_option("--lifetime", m->lifetime, "lifetime in seconds, 0..4294967295")->type_name("S");
  repeatable(mc.add_option("--policy", m->policies, "aes-gcm-256 | aes-gcm-128 | chacha20-poly1305 (repeatable, in preference order)")
                 ->type_name("P")
                 ->check(CLI::IsMember({"aes-gcm-256", "aes-gcm-128", "chacha20-poly1305"})));
  mc.add_option("--out", m->out, "output file ('-' = stdout, the default)")->type_name("FILE");
  mc.footer("No --policy means pre-provisioned: the default AES-GCM-16/256.");

  auto s = std::make_shared<sim_args>();
  CLI::App& sc = command(f, "sim", "run the mesh simulator and print a JSON summary (exit 1 if a pair failed)", [s] { return sim(*s); });
  sc.add_option("--nodes", s->nodes, "devices in the mesh")->type_name("N")->required();
  sc.add_option("--rounds", s->rounds, "rekey rounds, 0..1000 (default 1)")->type_name("R")->check(CLI::Range(0, 1000));
  sc.add_option("--loss", s->loss, "probability that a DIM copy is lost, [0, 1)")->type_name("P");
  sc.add_option("--seed", s->seed, "random seed (default 1)")->type_name("S");
  s->declare(sc);
  sc.add_option("--one-way", s->one_way, "share of one-way pairs, [0, 1) (default 0.1)")->type_name("F");
  sc.add_option("--threads", s->threads, "derivation threads, 1 or 2 (default: 2 when there are two cores)")
      ->type_name("T")
      ->check(CLI::Range(1, 2));
  sc.footer("The summary has nodes, rounds, messages_controller_ike, messages_pairwise_ike, pairs_ok, pairs_failed,\n"
            "cpu_seconds_per_node, and more (docs/CKX.md).");
}

const registrar reg{"ckx", &declare};

}  // namespace
}  // namespace darekit::cli
