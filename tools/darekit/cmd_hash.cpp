// darekit hash: sha512sum-compatible digests of files, streaming.
#include <cstdio>
#include <string>

#include "cli.hpp"
#include "darekit/codec/hex.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/crypto/sha3.hpp"
#include "darekit/merkle/file_tree.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#define DAREKIT_CLI_PREAD 1
#endif

namespace darekit::cli {
namespace {

constexpr const char* help =
    "usage: darekit hash [--alg sha512|sha256|sha3-512|sha3-256] [--tree [--chunk N] [--threads T]] FILE...\n"
    "\n"
    "Print one line per FILE, exactly as sha512sum/sha256sum do: the hex digest, two\n"
    "spaces, the file name ('-' or no FILE reads stdin). Files are streamed.\n"
    "\n"
    "  --alg A    sha512 (default), sha256, sha3-512 or sha3-256\n"
    "  --tree     print the RFC 9162 Merkle tree hash over consecutive N-byte chunks\n"
    "             (leaf H(0x00||chunk), node H(0x01||l||r); empty input: H(\"\"))\n"
    "  --chunk N  tree chunk size in bytes (default 4096, 1..67108864)\n"
    "  --threads T  threads for --tree on regular files (default: all cores)\n";

/// Hash one file with H, streaming.
template <hash_function H>
result<std::string> hash_file(const std::string& path) {
  H h;
  DAREKIT_CHECK(stream_file(path, [&](byte_view b) { h.update(b); }));
  auto d = h.finish();
  return hex::encode(d);
}

/// Merkle tree hash of one file over `chunk`-byte chunks: regular files are read with
/// pread() by `threads` threads; stdin and other streams are hashed sequentially.
template <hash_function H>
result<std::string> tree_file(const std::string& path, std::size_t chunk, unsigned threads) {
#if DAREKIT_CLI_PREAD
  if (path != "-") {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return fail(errc::io_error, path + ": " + std::strerror(errno));
    auto read_at = [&](std::uint64_t off, byte_span out) -> result<std::size_t> {
      for (;;) {
        const ssize_t n = ::pread(fd, out.data(), out.size(), off_t(off));
        if (n >= 0) return std::size_t(n);
        if (errno != EINTR) return fail(errc::io_error, path + ": " + std::strerror(errno));
      }
    };
    auto r = merkle::file_tree_hash<H>(read_at, chunk, threads);
    ::close(fd);
    if (!r) return r.err();
    return hex::encode(*r);
  }
#endif
  (void)threads;
  merkle::chunk_tree<H> t(chunk);
  DAREKIT_CHECK(stream_file(path, [&](byte_view b) { t.update(b); }));
  return hex::encode(t.finish());
}

/// coreutils escaping: a name with '\' or newline is printed escaped, with a leading '\'.
std::string sum_line(const std::string& hexd, const std::string& name) {
  std::string esc;
  bool escaped = false;
  for (char c : name) {
    if (c == '\\') { esc += "\\\\"; escaped = true; }
    else if (c == '\n') { esc += "\\n"; escaped = true; }
    else esc += c;
  }
  return (escaped ? "\\" : "") + hexd + "  " + esc + "\n";
}

int run(const args& a) {
  auto p = parse(a, {{"--alg", true}, {"--tree", false}, {"--chunk", true}, {"--threads", true}});
  if (!p) return error(p.err().what());
  if (p->has("--help")) { std::fputs(help, stdout); return exit_ok; }
  const std::string alg = p->get("--alg").value_or("sha512");
  result<std::string> (*fn)(const std::string&) = nullptr;
  if (alg == "sha512") fn = &hash_file<sha512>;
  else if (alg == "sha256") fn = &hash_file<sha256>;
  else if (alg == "sha3-512") fn = &hash_file<sha3_512>;
  else if (alg == "sha3-256") fn = &hash_file<sha3_256>;
  else return error("unknown --alg '" + alg + "' (sha512, sha256, sha3-512, sha3-256)");
  const bool tree = p->has("--tree");
  std::size_t chunk = 4096;
  unsigned threads = 0;
  if (auto c = p->get("--chunk")) {
    if (!tree) return error("--chunk needs --tree");
    auto v = parse_uint(*c, "--chunk");
    if (!v) return error(v.err().what());
    if (*v == 0 || *v > merkle::max_chunk_size) return error("--chunk must be between 1 and 67108864");
    chunk = std::size_t(*v);
  }
  if (auto t = p->get("--threads")) {
    auto v = parse_uint(*t, "--threads");
    if (!v) return error(v.err().what());
    if (*v == 0 || *v > 64) return error("--threads must be between 1 and 64");
    threads = unsigned(*v);
  }
  result<std::string> (*tfn)(const std::string&, std::size_t, unsigned) = nullptr;
  if (alg == "sha512") tfn = &tree_file<sha512>;
  else if (alg == "sha256") tfn = &tree_file<sha256>;
  else if (alg == "sha3-512") tfn = &tree_file<sha3_512>;
  else tfn = &tree_file<sha3_256>;
  std::vector<std::string> files = p->pos;
  if (files.empty()) files.push_back("-");
  int rc = exit_ok;
  for (const auto& f : files) {
    auto d = tree ? tfn(f, chunk, threads) : fn(f);
    if (!d) { rc = error(d.err().what()); continue; }
    std::fputs(sum_line(*d, f).c_str(), stdout);
  }
  return rc;
}

const registrar reg{{"hash", "hash files (sha512sum-compatible output)", &run}};

}  // namespace
}  // namespace darekit::cli
