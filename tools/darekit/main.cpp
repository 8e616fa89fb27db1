// darekit: command-line access to UDF, DARE, hashing and the controller-DH key schedule.
// Each subcommand family declares itself in its own cmd_*.cpp (see cli.hpp); this file
// builds the command tree, parses, runs the selected handler and maps the outcome to the
// exit status, in one place.
#include <algorithm>
#include <cstdio>

#include "cli.hpp"
#include "darekit/core/file.hpp"
#include "darekit/version.hpp"

namespace {
using namespace darekit::cli;

/// The deepest command the parser selected ("udf mac"), for usage errors.
std::string selected_path(const CLI::App& root) {
  std::string p;
  for (const CLI::App* a = &root;;) {
    auto subs = a->get_subcommands();
    if (subs.empty()) return p;
    a = subs.front();
    p += (p.empty() ? "" : " ") + a->get_name();
  }
}
}  // namespace

int main(int argc, char** argv) {
  darekit::io::remove_temporaries_on_signal();  // an interrupted decode leaves no temporary behind
  CLI::App app{"darekit: Uniform Data Fingerprints, DARE envelopes, SIMD hashing and Merkle trees,\n"
               "and the controller-IKE key schedule.",
               "darekit"};
  app.set_version_flag("--version", "darekit " + std::string(darekit::version_string()), "print the version and exit");
  app.add_flag("-q,--quiet", globals().quiet, "no progress on stderr (it is shown only when stderr is a terminal)");
  app.require_subcommand(1);
  app.footer(
      "Run 'darekit <command> --help' for a command's options.\n"
      "Exit status: 0 success, 1 verification failed, 2 any other error. '-' means stdin/stdout.\n"
      "Secrets (keys, MAC keys, shares) are read from files or stdin, never from the command line.");
  auto& reg = registry();
  std::sort(reg.begin(), reg.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& f : reg) f.declare(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version: printed on stdout
    const std::string where = selected_path(app);
    const std::string prefix = where.empty() ? "" : where + ": ";
    std::string what = e.what();
    const CLI::App* at = &app;
    while (!at->get_subcommands().empty()) at = at->get_subcommands().front();
    if (dynamic_cast<const CLI::RequiredError*>(&e) && !at->remaining().empty())  // `darekit frob`
      what = "unknown command '" + at->remaining().front() + "'";
    std::fprintf(stderr, "darekit: %s%s (see darekit %s--help)\n", prefix.c_str(), what.c_str(),
                 where.empty() ? "" : (where + " ").c_str());
    return exit_error;
  }
  const auto r = selected_handler()();
  if (r) return exit_ok;
  if (!r.err().message.empty()) report(current_command(), r.err());
  return r.code() == darekit::errc::verification_failed ? exit_verify_failed : exit_error;
}
