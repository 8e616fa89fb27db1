// darekit: command-line access to UDF, DARE, sequences, hashing and the controller-DH
// key schedule. Each subcommand family lives in its own cmd_*.cpp file.
#include <algorithm>
#include <cstdio>

#include "cli.hpp"
#include "darekit/core/file.hpp"
#include "darekit/version.hpp"

namespace {
void usage(std::FILE* to) {
  auto& reg = darekit::cli::registry();
  std::sort(reg.begin(), reg.end(), [](auto& a, auto& b) { return a.name < b.name; });
  std::fprintf(to,
               "usage: darekit <command> [options] [args]\n"
               "       darekit --version | --help\n\ncommands:\n");
  for (const auto& c : reg)
    std::fprintf(to, "  %-8.*s %.*s\n", int(c.name.size()), c.name.data(), int(c.summary.size()), c.summary.data());
  std::fprintf(to,
               "\nRun 'darekit <command> --help' for a command's options.\n"
               "Exit status: 0 success, 1 verification failed, 2 any other error. '-' means stdin/stdout.\n");
}
}  // namespace

int main(int argc, char** argv) {
  using namespace darekit::cli;
  darekit::io::remove_temporaries_on_signal();  // an interrupted decode leaves no temporary behind
  if (argc < 2) { usage(stderr); return exit_error; }
  const std::string_view first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") { usage(stdout); return exit_ok; }
  if (first == "--version") {
    auto v = darekit::version_string();
    std::printf("darekit %.*s\n", int(v.size()), v.data());
    return exit_ok;
  }
  for (const auto& c : registry())
    if (c.name == first) return c.run(args(argv + 2, argv + argc));
  return error("unknown command '" + std::string(first) + "' (see darekit --help)");
}
