// Shared plumbing of the darekit tool: subcommand registry, argument parsing,
// exit codes (DESIGN.md §4) and streaming I/O helpers.
#pragma once
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"

namespace darekit::cli {

/// Exit codes: 0 success, 1 a verification failed, 2 anything else.
enum exit_code : int { exit_ok = 0, exit_verify_failed = 1, exit_error = 2 };

using args = std::vector<std::string>;

/// A subcommand family ("hash", "udf", "seq", ...). `run` gets the arguments after
/// the family name.
struct command {
  std::string_view name;
  std::string_view summary;
  int (*run)(const args&);
};

std::vector<command>& registry();

/// Registers a command at static-initialisation time: `static cli::registrar r{{...}};`
struct registrar {
  explicit registrar(command c) { registry().push_back(c); }
};

/// Print "darekit: <msg>" on stderr and return exit_error (or the given code).
int error(std::string_view msg, int code = exit_error);
/// Same for a darekit::error: verification failures map to exit 1.
int error(const darekit::error& e);

/// Options of one command: name -> takes a value?
struct option_spec {
  std::string name;   ///< "--alg"
  bool takes_value;   ///< true: "--alg X" or "--alg=X"
  bool repeatable = false;
};

/// Parsed command line: options (repeatable ones keep every value) and positionals.
struct parsed {
  std::map<std::string, std::vector<std::string>> opts;
  std::vector<std::string> pos;
  bool has(const std::string& o) const { return opts.count(o) != 0; }
  std::optional<std::string> get(const std::string& o) const {
    auto it = opts.find(o);
    if (it == opts.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  }
  const std::vector<std::string>& all(const std::string& o) const {
    static const std::vector<std::string> none;
    auto it = opts.find(o);
    return it == opts.end() ? none : it->second;
  }
};

/// Parse `a` against `spec`. "--help"/"-h" is always accepted as a flag. "--" ends
/// options; "-" alone is a positional (stdin/stdout).
result<parsed> parse(const args& a, const std::vector<option_spec>& spec);

/// Parse an unsigned integer option value.
result<std::uint64_t> parse_uint(std::string_view s, std::string_view what);

/// Read a whole file ("-" = stdin), with a size cap.
result<bytes> read_file(const std::string& path, std::size_t max = std::size_t(1) << 31);
/// Write a whole file ("-" = stdout).
result<void> write_file(const std::string& path, byte_view data);

/// Stream a file ("-" = stdin) through `sink` in chunks of `chunk` bytes.
result<void> stream_file(const std::string& path, const std::function<void(byte_view)>& sink,
                         std::size_t chunk = 1 << 20);

}  // namespace darekit::cli
