// darekit hash: sha512sum-compatible digests of files, streaming.
#include <cstdio>
#include <string>

#include "cli.hpp"
#include "darekit/codec/hex.hpp"
#include "darekit/crypto/sha2.hpp"
#include "darekit/crypto/sha3.hpp"

namespace darekit::cli {
namespace {

constexpr const char* help =
    "usage: darekit hash [--alg sha512|sha256|sha3-512|sha3-256] FILE...\n"
    "\n"
    "Print one line per FILE, exactly as sha512sum/sha256sum do: the hex digest, two\n"
    "spaces, the file name ('-' or no FILE reads stdin). Files are streamed.\n"
    "\n"
    "  --alg A    sha512 (default), sha256, sha3-512 or sha3-256\n";

/// Hash one file with H, streaming.
template <hash_function H>
result<std::string> hash_file(const std::string& path) {
  H h;
  DAREKIT_CHECK(stream_file(path, [&](byte_view b) { h.update(b); }));
  auto d = h.finish();
  return hex::encode(d);
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
  auto p = parse(a, {{"--alg", true}});
  if (!p) return error(p.err().what());
  if (p->has("--help")) { std::fputs(help, stdout); return exit_ok; }
  const std::string alg = p->get("--alg").value_or("sha512");
  result<std::string> (*fn)(const std::string&) = nullptr;
  if (alg == "sha512") fn = &hash_file<sha512>;
  else if (alg == "sha256") fn = &hash_file<sha256>;
  else if (alg == "sha3-512") fn = &hash_file<sha3_512>;
  else if (alg == "sha3-256") fn = &hash_file<sha3_256>;
  else return error("unknown --alg '" + alg + "' (sha512, sha256, sha3-512, sha3-256)");
  std::vector<std::string> files = p->pos;
  if (files.empty()) files.push_back("-");
  int rc = exit_ok;
  for (const auto& f : files) {
    auto d = fn(f);
    if (!d) { rc = error(d.err().what()); continue; }
    std::fputs(sum_line(*d, f).c_str(), stdout);
  }
  return rc;
}

const registrar reg{{"hash", "hash files (sha512sum-compatible output)", &run}};

}  // namespace
}  // namespace darekit::cli
