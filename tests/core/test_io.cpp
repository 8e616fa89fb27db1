// core/io.hpp and core/file.hpp: the storage operations on memory and POSIX files, atomic
// output (exclusive 0600 temporary, never through a symlink, removed on failure and on a
// signal), provisional streaming outputs, and the whole-file readers with their caps.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "darekit/core/file.hpp"

using namespace darekit;
namespace fs = std::filesystem;

namespace {
struct temp_dir {
  fs::path p;
  temp_dir() {
    char tmpl[] = "/tmp/darekit-io-XXXXXX";
    p = ::mkdtemp(tmpl);
  }
  ~temp_dir() { std::error_code ec; fs::remove_all(p, ec); }
  std::string operator/(const std::string& n) const { return (p / n).string(); }
  std::size_t entries() const { return std::size_t(std::distance(fs::directory_iterator(p), fs::directory_iterator())); }
};
std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

// The same storage checks for every implementation.
template <io::storage S>
void exercise_storage(S& s) {
  REQUIRE(s.append(as_bytes("hello ")));
  REQUIRE(s.append(as_bytes("world")));
  CHECK(*s.size() == 11);
  bytes buf(5);
  CHECK(*s.read_at(6, buf) == 5);
  CHECK(as_chars(buf) == "world");
  CHECK(*s.read_at(9, buf) == 2);   // short only at the end
  CHECK(*s.read_at(11, buf) == 0);
  CHECK(*s.read_at(100, buf) == 0);
  REQUIRE(s.write_at(0, as_bytes("J")));
  CHECK(!s.write_at(10, as_bytes("xx")));  // would extend: refused
  CHECK(*s.size() == 11);
  REQUIRE(io::read_exact_at(s, 0, buf));
  CHECK(as_chars(buf) == "Jello");
  CHECK(io::read_exact_at(s, 8, buf).code() == errc::truncated);
  REQUIRE(s.truncate(5));
  CHECK(*s.size() == 5);
  REQUIRE(s.sync());
  REQUIRE(s.lock());
  s.unlock();
  CHECK(*s.try_lock());
  s.unlock();
}
}  // namespace

TEST_CASE("memory storage: the storage operations, counted reads, a lock flag, a size cap") {
  io::memory_storage m;
  exercise_storage(m);
  m.reset_counts();
  bytes b(2);
  (void)m.read_at(0, b);
  (void)m.read_at(1, b);
  CHECK(m.read_count() == 2);
  REQUIRE(m.lock());
  CHECK(!m.lock());
  CHECK(!*m.try_lock());
  m.unlock();
  m.set_max_size(8);
  CHECK(!m.append(as_bytes("1234")));
  CHECK(m.data().size() == 5);
}

TEST_CASE("file storage: pread/pwrite, ftruncate, fdatasync, flock") {
  temp_dir d;
  auto f = io::file::open(d / "s", io::open_mode::create);
  REQUIRE(f);
  exercise_storage(*f);
  CHECK(f->is_regular());
  // A second descriptor on the same file cannot take the writer lock while it is held.
  REQUIRE(f->lock());
  auto g = io::file::open(d / "s", io::open_mode::read_write);
  REQUIRE(g);
  CHECK(!*g->try_lock());
  f->unlock();
  CHECK(*g->try_lock());
  g->unlock();
  CHECK(io::file::open(d / "missing", io::open_mode::read).code() == errc::io_error);
  CHECK(io::file::open(d / "s", io::open_mode::create_new).code() == errc::io_error);  // exists
}

TEST_CASE("file mapping: a read-only view at any offset") {
  temp_dir d;
  {
    auto f = io::file::open(d / "m", io::open_mode::create);
    REQUIRE(f);
    bytes data(10000);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = std::uint8_t(i * 7);
    REQUIRE(f->append(data));
    auto m = f->map(4097, 3000);
    REQUIRE(m);
    REQUIRE(m->data().size() == 3000);
    CHECK(std::equal(m->data().begin(), m->data().end(), data.begin() + 4097));
    CHECK(f->map(0, 0)->data().empty());
  }
}

TEST_CASE("sources, sinks and their type-erased forms") {
  const std::string text(300000, 'x');
  io::memory_source src(as_bytes(text));
  bytes out;
  io::memory_sink sink(out);
  auto n = io::copy(src, sink, 4096);
  REQUIRE(n);
  CHECK(*n == text.size());
  CHECK(as_chars(out) == text);

  int calls = 0;
  io::sink_fn f([&](byte_view b) { calls += int(b.size()); return ok(); });
  REQUIRE(f.write(as_bytes("abc")));
  CHECK(calls == 3);
  io::memory_source s2(as_bytes("0123456789"));
  io::source_fn sf(s2);
  std::vector<std::size_t> sizes;
  REQUIRE(io::for_each_block(sf, [&](byte_view b) { sizes.push_back(b.size()); return ok(); }, 4));
  CHECK(sizes == std::vector<std::size_t>{4, 4, 2});
  // An error from the callback stops the loop and is returned.
  io::memory_source s3(as_bytes("0123456789"));
  auto r = io::for_each_block(s3, [&](byte_view) -> result<void> { return fail(errc::io_error, "disk full"); }, 4);
  CHECK(r.code() == errc::io_error);
}

TEST_CASE("atomic_file: exclusive 0600 temporary, renamed on commit, removed otherwise") {
  temp_dir d;
  const std::string out = d / "plain.txt";
  {
    auto a = io::atomic_file::create(out);
    REQUIRE(a);
    struct stat st {};
    REQUIRE(::lstat(a->temporary_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(a->temporary_path().rfind(d.p.string(), 0) == 0);  // in the target folder
    REQUIRE(a->write(as_bytes("partial")));
    CHECK(!fs::exists(out));  // nothing at the path before commit
  }
  CHECK(d.entries() == 0);  // destructor removed the temporary
  {
    auto a = io::atomic_file::create(out);
    REQUIRE(a);
    REQUIRE(a->write(as_bytes("complete")));
    REQUIRE(a->commit(true));
    CHECK(!a->commit());  // once only
  }
  CHECK(slurp(out) == "complete");
  struct stat st {};
  REQUIRE(::stat(out.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(d.entries() == 1);
}

TEST_CASE("atomic_file never writes through a planted symlink") {
  temp_dir d;
  const std::string victim = d / "victim";
  { std::ofstream(victim) << "precious"; }
  // create_new refuses an existing path and does not follow a symlink there.
  REQUIRE(::symlink(victim.c_str(), (d / "link").c_str()) == 0);
  CHECK(!io::file::open(d / "link", io::open_mode::create_new));
  // The old fixed temporary name OUT.darekit-tmp, planted as a symlink, is not used.
  REQUIRE(::symlink(victim.c_str(), (d / "out.darekit-tmp").c_str()) == 0);
  auto a = io::atomic_file::create(d / "out");
  REQUIRE(a);
  REQUIRE(a->write(as_bytes("attacker-controlled")));
  a->abort();
  CHECK(slurp(victim) == "precious");
  CHECK(!fs::exists(d / "out"));
}

TEST_CASE("atomic_file temporaries are removed when SIGTERM/SIGINT arrives") {
  for (int sig : {SIGTERM, SIGINT}) {
    temp_dir d;
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      io::remove_temporaries_on_signal();
      auto a = io::atomic_file::create(d / "out");
      if (!a) ::_exit(10);
      (void)a->write(as_bytes("unverified plaintext"));
      ::raise(sig);
      ::_exit(11);  // not reached: the default action ends the process
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);
    CHECK(d.entries() == 0);
  }
}

TEST_CASE("output: atomic for a path, provisional stream for a pipe or device") {
  temp_dir d;
  {
    auto o = io::output::open(d / "f");
    REQUIRE(o);
    CHECK(!o->streaming());
    REQUIRE(o->write(as_bytes("x")));
    o->abort();
    CHECK(d.entries() == 0);
  }
  auto dev = io::output::open("/dev/null");
  REQUIRE(dev);
  CHECK(dev->streaming());
  REQUIRE(dev->write(as_bytes("discarded")));
  REQUIRE(dev->commit());
  CHECK(io::output::open(d.p.string()).code() == errc::io_error);  // a directory
}

TEST_CASE("read_file and read_secret_file enforce their caps") {
  temp_dir d;
  { std::ofstream(d / "k") << std::string(5000, 'k'); }
  auto all = io::read_file(d / "k");
  REQUIRE(all);
  CHECK(all->size() == 5000);
  CHECK(io::read_file(d / "k", 4999).code() == errc::too_large);
  auto sec = io::read_secret_file(d / "k");
  REQUIRE(sec);
  CHECK(sec->size() == 5000);
  CHECK(io::read_secret_file(d / "k", 100).code() == errc::too_large);
  CHECK(io::read_file(d / "absent").code() == errc::io_error);
}
