// Sequences on files and with checkpoints: signed C2SP checkpoints and proof files,
// durability modes, the index file, two processes appending at once.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "darekit/dare/sequence_checkpoint.hpp"
#include "sequence_util.hpp"

using namespace darekit;
using test::must;
using test::mem_seq;
namespace fs = std::filesystem;

namespace {
struct temp_dir {
  fs::path p;
  temp_dir() { char t[] = "/tmp/darekit-seq-XXXXXX"; p = ::mkdtemp(t); }
  ~temp_dir() { std::error_code ec; fs::remove_all(p, ec); }
  std::string operator/(const std::string& n) const { return (p / n).string(); }
};
}  // namespace

TEST_CASE("checkpoints: sign, open with the public key, match the sequence; C2SP proof files", "[sequence][checkpoint]") {
  for (auto dig : {dare::digest_alg::s512, dare::digest_alg::s256}) {
    auto log_key = test::gen_key(udf::key_alg::ed25519);
    auto other = test::gen_key(udf::key_alg::ed25519);
    dare::sequence_options o;
    o.dig = dig;
    if (dig == dare::digest_alg::s256) o.name = "example.com/audit";
    auto s = must(mem_seq::create(io::memory_storage{}, o));
    for (int i = 0; i < 9; ++i) must(s.append(test::ramp_bytes(std::size_t(10 + i), unsigned(i))));
    const std::string cp10 = must(dare::sign_checkpoint(s, log_key));
    auto c10 = must(dare::open_checkpoint(cp10, dare::public_of(log_key)));
    CHECK(c10.size == 10);
    CHECK(c10.origin == s.info().origin());
    CHECK(c10.root.size() == s.hash().size());
    CHECK(c10.origin.rfind(dig == dare::digest_alg::s256 ? "example.com/audit" : "darekit/seq/N", 0) == 0);
    must(dare::check_checkpoint(s, c10));
    CHECK(dare::open_checkpoint(cp10, dare::public_of(other)).code() == errc::verification_failed);
    std::string forged = cp10;
    forged[forged.find('\n') + 1] = '9';  // size 10 -> 90
    CHECK_FALSE(dare::open_checkpoint(forged, dare::public_of(log_key)).has_value());
    // a checkpoint of another sequence (same key) does not match
    auto t = must(mem_seq::create(io::memory_storage{}, o));
    must(t.append(as_bytes("x")));
    CHECK(dare::check_checkpoint(t, c10).code() == errc::verification_failed);
    // more frames: the old checkpoint still matches, and a consistency proof links the two
    for (int i = 0; i < 20; ++i) must(s.append(as_bytes("later " + std::to_string(i))));
    must(dare::check_checkpoint(s, c10));
    const std::string cp30 = must(dare::sign_checkpoint(s, log_key));
    auto c30 = must(dare::open_checkpoint(cp30, dare::public_of(log_key)));
    dare::prover<io::memory_storage> pv(s);
    auto cons = must(pv.consistency(10, 30));
    must(dare::verify(cons, c10.root, c30.root));
    // C2SP files verify with nothing but the file and the key
    auto inc = must(pv.inclusion(17));
    const std::string tp = must(dare::to_c2sp(inc, cp30));
    CHECK(tp.rfind("c2sp.org/tlog-proof@v1\nextra ", 0) == 0);
    auto back = must(dare::verify_c2sp_inclusion(tp, dare::public_of(log_key)));
    CHECK(back.index == 17);
    CHECK(back.leaf == inc.leaf);
    CHECK_FALSE(dare::verify_c2sp_inclusion(tp, dare::public_of(other)).has_value());
    std::string bad = tp;
    bad[bad.find("index 17") + 7] = '6';
    CHECK_FALSE(dare::verify_c2sp_inclusion(bad, dare::public_of(log_key)).has_value());
    const std::string cb = must(dare::to_c2sp(cons, cp30));
    must(dare::verify_c2sp_consistency(cb, dare::public_of(log_key), c10.root));
    CHECK_FALSE(dare::verify_c2sp_consistency(cb, dare::public_of(log_key), c30.root).has_value());
    CHECK_FALSE(dare::to_c2sp(inc, cp10).has_value());  // checkpoint of another size
  }
}

TEST_CASE("durability modes: when the storage is synced", "[sequence][durability]") {
  const byte_view three[3] = {as_bytes("a"), as_bytes("b"), as_bytes("c")};
  struct want { dare::durability d; std::uint64_t after_batch, after_close; };
  for (auto w : {want{dare::durability::none, 0, 0}, want{dare::durability::frame, 3, 3},
                 want{dare::durability::batch, 1, 1}, want{dare::durability::close, 0, 1}}) {
    INFO("mode " << int(w.d));
    dare::open_options oo;
    oo.sync = w.d;
    bytes data = must(mem_seq::create(io::memory_storage{}, {})).storage().data();
    auto s = must(mem_seq::open(io::memory_storage(data), oo));
    s.storage().reset_counts();
    must(s.append_batch(three));
    CHECK(s.storage().sync_count() == w.after_batch);
    must(s.close());
    CHECK(s.storage().sync_count() == w.after_close);
  }
}

TEST_CASE("files: the index beside the sequence, reopening, recover on disk", "[sequence][file]") {
  temp_dir d;
  const std::string path = d / "audit.dseq";
  auto bob = test::gen_key(udf::key_alg::x25519);
  {
    auto s = must(dare::sequence<io::file>::create_file(path, {.encrypt_to = {dare::public_of(bob)}}));
    for (int i = 0; i < 100; ++i) must(s.append(as_bytes("entry " + std::to_string(i))));
  }
  CHECK(fs::file_size(path + ".idx") == 24 + 8 * 101);
  CHECK(dare::sequence<io::file>::create_file(path, {}).code() == errc::io_error);  // never overwrites
  dare::open_options oo;
  oo.keys = {bob};
  auto r = must(dare::sequence<io::file>::open_file(path, oo));
  CHECK(r.size() == 101);
  CHECK(as_chars(must(r.get(41))) == "entry 40");  // also reads its key exchange frame
  const std::uint64_t before = r.frame_reads();
  CHECK(as_chars(must(r.get(42))) == "entry 41");
  CHECK(r.frame_reads() - before == 1);  // through the index; the exchange's seed is remembered
  // tear the file on disk, recover, append again
  const auto size = fs::file_size(path);
  fs::resize_file(path, size - 7);
  auto w = must(dare::sequence<io::file>::open_file(path, oo, true));
  CHECK(w.torn());
  CHECK(w.size() == 100);
  CHECK(must(w.recover()) == 100);
  must(w.append(as_bytes("after the crash")));
  must(w.close());
  auto v = must(dare::sequence<io::file>::open_file(path, oo));
  CHECK(v.size() == 101);
  CHECK(as_chars(must(v.get(100))) == "after the crash");
  auto rep = must(dare::verify(v, {.decrypt = true}));
  INFO(rep.problem);
  CHECK(rep.ok());
}

TEST_CASE("two processes appending at once lose and duplicate nothing", "[sequence][concurrency]") {
  temp_dir d;
  const std::string path = d / "shared.dseq";
  must(dare::sequence<io::file>::create_file(path, {}));
  constexpr int per = 300;
  pid_t kids[2];
  for (int c = 0; c < 2; ++c) {
    kids[c] = ::fork();
    REQUIRE(kids[c] >= 0);
    if (kids[c] == 0) {
      auto s = dare::sequence<io::file>::open_file(path, {}, true);
      if (!s) ::_exit(10);
      for (int i = 0; i < per; ++i) {
        const std::string p = "writer " + std::to_string(c) + " entry " + std::to_string(i);
        if (!s->append(as_bytes(p))) ::_exit(11);
      }
      ::_exit(s->close() ? 0 : 12);
    }
  }
  for (auto k : kids) {
    int st = 0;
    REQUIRE(::waitpid(k, &st, 0) == k);
    CHECK(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 0);
  }
  auto s = must(dare::sequence<io::file>::open_file(path));
  CHECK(s.size() == 1 + 2 * per);
  std::set<std::string> seen;
  for (std::uint64_t k = 1; k < s.size(); ++k) seen.insert(std::string(as_chars(must(s.get(k)))));
  CHECK(seen.size() == 2 * per);
  auto rep = must(dare::verify(s));
  INFO(rep.problem);
  CHECK(rep.ok());
}
