// The darekit tool's plumbing: a declarative command tree on CLI11, one mapping of
// results to exit codes (DESIGN.md §4), progress on stderr, and the few file helpers the
// commands share (everything else is core/io.hpp and core/file.hpp).
//
// Adding a subcommand family, e.g. `darekit seq ...` in tools/darekit/cmd_seq.cpp (one file
// per family; CMake picks up every cmd_*.cpp):
//
//   namespace darekit::cli {
//   namespace {
//   void declare(CLI::App& root) {
//     CLI::App& seq = family(root, "seq", "DARE sequences: create, append, get, verify, ...");
//
//     struct create_args { std::string file, type = "merkle"; std::vector<std::string> to; };
//     auto a = std::make_shared<create_args>();           // the handler owns its arguments
//     CLI::App& c = command(seq, "create", "Create an empty sequence", [a]() -> result<void> {
//       DAREKIT_TRY(auto key, udf::load_public_key(a->to[0]));   // errors are values ...
//       if (bad) return fail(errc::verification_failed, "...");  // ... exit 1; others exit 2
//       return ok();
//     });
//     c.add_option("--type", a->type, "list|digest|chain|tree|merkle")
//         ->check(CLI::IsMember({"list", "digest", "chain", "tree", "merkle"}));
//     repeatable(c.add_option("--encrypt-to", a->to, "recipient public key file (repeatable)"));
//     c.add_option("FILE", a->file, "the sequence file")->required();
//     c.footer("Longer explanation, shown at the end of `darekit seq create --help`.");
//   }
//   const registrar reg{"seq", &declare};
//   }  // namespace
//   }  // namespace darekit::cli
//
// Each command accepts exactly the options declared on it (plus --help and --quiet);
// `--help` at every level is generated from the declarations. A handler returns
// result<void>: main() prints "darekit: <command>: <message>" once and exits 1 for
// errc::verification_failed, 2 for any other error and for usage errors. Secrets are never
// arguments: use refuse() for an old spelling that took one, secret_file() for a
// FILE argument that holds one, and udf::load_private_key / io::read_secret_file to read.
#pragma once
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "darekit/core/bytes.hpp"
#include "darekit/core/error.hpp"
#include "darekit/core/file.hpp"

namespace darekit::cli {

/// Exit codes: 0 success, 1 a verification failed, 2 anything else.
enum exit_code : int { exit_ok = 0, exit_verify_failed = 1, exit_error = 2 };

/// Options of the whole tool (`darekit --quiet ...`, or `--quiet` after any command).
struct global_options {
  bool quiet = false;  ///< no progress on stderr
};
global_options& globals();

/// A subcommand family: `declare` adds it and its commands to the root app.
struct family_spec {
  std::string_view name;
  void (*declare)(CLI::App& root);
};
std::vector<family_spec>& registry();
/// Registers a family at static-initialisation time: `const registrar reg{"seq", &declare};`
struct registrar {
  registrar(std::string_view name, void (*declare)(CLI::App&)) { registry().push_back({name, declare}); }
};

using handler = std::function<result<void>()>;
/// The handler of the command the command line selected (set while parsing).
handler& selected_handler();

/// `darekit NAME <command> ...`: a family needs one of its commands.
CLI::App& family(CLI::App& root, std::string name, std::string summary);
/// A command with its handler, which runs after the whole command line parsed.
CLI::App& command(CLI::App& parent, std::string name, std::string summary, handler h);
/// A repeatable option: one value per occurrence (`--to A --to B`), never more.
CLI::Option* repeatable(CLI::Option* o);
/// An old spelling that put a secret on the command line (`--key K`): hidden, and a usage
/// error (exit 2) saying `how` to do it now, whatever follows it.
void refuse(CLI::App& cmd, const std::string& flag, std::string how);

/// The error a handler returns after it has already reported its errors itself (exit
/// with `code`'s status, print nothing more).
error reported(errc code = errc::io_error);

/// Print "darekit: <context>: <message>" on stderr (the one error format).
void report(std::string_view context, const error& e);
/// The command path being run ("udf mac"), for messages.
std::string_view current_command();

/// Parse an unsigned integer argument.
result<std::uint64_t> parse_uint(std::string_view s, std::string_view what);

/// A FILE argument that holds a secret ("-" = stdin). When `arg` names no file but is
/// itself a secret (a UDF: the old spelling put it on the command line), fail with a
/// message that says how to do it now.
result<void> secret_file(const std::string& arg, std::string_view what);

/// Progress on stderr for long work, when stderr is a terminal and --quiet was not given:
/// "darekit: LABEL: 12.0 MiB of 256.0 MiB (4%), 310.2 MiB/s" (or "2 of 5 rounds" for
/// counted items), redrawn at most 10 times a second, cleared when done. add() may be
/// called from several threads.
class progress {
 public:
  /// `total` 0 = unknown. `unit` empty: bytes; otherwise the plural noun of counted items.
  explicit progress(std::string label, std::uint64_t total = 0, std::string unit = {});
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;
  ~progress() { done(); }
  void add(std::uint64_t n) noexcept;
  void set(std::uint64_t done_so_far) noexcept;
  /// Clear the line (also done by the destructor).
  void done() noexcept;
  [[nodiscard]] bool shown() const noexcept { return enabled_; }

 private:
  void maybe_draw() noexcept;
  std::string label_, unit_;
  std::uint64_t total_;
  bool enabled_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::int64_t> next_ns_{0};
  std::atomic<bool> drawing_{false}, drawn_{false};
  std::chrono::steady_clock::time_point start_;
};

/// Total bytes of a file ("-" or a non-regular file: 0, unknown).
std::uint64_t input_size(const io::file& f);

/// Stream a file ("-" = stdin) through `fn` in blocks of 1 MiB, with progress.
result<void> each_block(const std::string& path, const std::function<result<void>(byte_view)>& fn);
result<void> each_block(io::file& f, const std::function<result<void>(byte_view)>& fn);

/// Write `data` to stdout.
result<void> print(std::string_view data);

}  // namespace darekit::cli
