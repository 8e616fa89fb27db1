// darekit hash: sha512sum-compatible digests of files, streaming; --tree for the RFC 9162
// Merkle tree hash over fixed-size chunks.
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "darekit/codec/hex.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/crypto/sha3.hpp"
#include "darekit/merkle/file_tree.hpp"

namespace darekit::cli {
namespace {

struct hash_args {
  std::string alg = "sha512";
  bool tree = false;
  std::size_t chunk = 4096;
  unsigned threads = 0;
  std::vector<std::string> files;
};

/// Digest of one file with H, streaming.
template <hash_function H>
result<std::string> hash_file(const hash_args&, const std::string& path) {
  H h;
  DAREKIT_CHECK(each_block(path, [&](byte_view b) { h.update(b); return ok(); }));
  return hex::encode(h.finish());
}

/// Merkle tree hash of one file: regular files are read at offsets by `threads` threads;
/// stdin, pipes and devices are hashed as a stream.
template <hash_function H>
result<std::string> tree_file(const hash_args& a, const std::string& path) {
  DAREKIT_TRY(auto f, io::file::open_input(path));
  if (!f.is_regular()) {
    merkle::chunk_tree<H> t(a.chunk);
    DAREKIT_CHECK(each_block(f, [&](byte_view b) { t.update(b); return ok(); }));
    return hex::encode(t.finish());
  }
  progress p(std::string(current_command()) + " " + path, input_size(f));
  auto read_at = [&](std::uint64_t off, byte_span out) -> result<std::size_t> {
    DAREKIT_TRY(std::size_t n, f.read_at(off, out));
    p.add(n);
    return n;
  };
  DAREKIT_TRY(auto root, merkle::file_tree_hash<H>(read_at, a.chunk, a.threads));
  return hex::encode(root);
}

using hash_fn = result<std::string> (*)(const hash_args&, const std::string&);
template <hash_function H>
constexpr hash_fn pick(bool tree) { return tree ? &tree_file<H> : &hash_file<H>; }

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

result<void> run(const hash_args& a) {
  hash_fn fn = a.alg == "sha512"     ? pick<sha512>(a.tree)
               : a.alg == "sha256"   ? pick<sha256>(a.tree)
               : a.alg == "sha3-512" ? pick<sha3_512>(a.tree)
                                     : pick<sha3_256>(a.tree);
  std::vector<std::string> files = a.files;
  if (files.empty()) files.push_back("-");
  bool failed = false;
  for (const auto& f : files) {  // like sha512sum: report a bad file and go on with the rest
    auto d = fn(a, f);
    if (!d) { report(current_command(), d.err()); failed = true; continue; }
    DAREKIT_CHECK(print(sum_line(*d, f)));
  }
  if (failed) return reported();
  return ok();
}

void declare(CLI::App& root) {
  auto a = std::make_shared<hash_args>();
  CLI::App& c = command(root, "hash", "hash files (sha512sum-compatible output)", [a] { return run(*a); });
  c.add_option("--alg", a->alg, "sha512 (default), sha256, sha3-512 or sha3-256")
      ->check(CLI::IsMember({"sha512", "sha256", "sha3-512", "sha3-256"}));
  auto* tree = c.add_flag("--tree", a->tree,
                          "print the RFC 9162 Merkle tree hash over consecutive chunks\n"
                          "(leaf H(0x00||chunk), node H(0x01||l||r); empty input: H(\"\"))");
  c.add_option("--chunk", a->chunk, "tree chunk size in bytes (default 4096)")
      ->type_name("N")
      ->check(CLI::Range(std::size_t(1), merkle::max_chunk_size))
      ->needs(tree);
  c.add_option("--threads", a->threads, "threads for --tree on regular files (default: all cores)")
      ->type_name("T")
      ->check(CLI::Range(1u, 64u));
  c.add_option("FILE", a->files, "files to hash ('-' or none: stdin)");
  c.footer(
      "Prints one line per FILE exactly as sha512sum/sha256sum do: the hex digest, two spaces,\n"
      "the file name. Files are streamed; regular files are read by several threads with --tree.");
}

const registrar reg{"hash", &declare};

}  // namespace
}  // namespace darekit::cli
