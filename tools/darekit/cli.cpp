#include "cli.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <sys/stat.h>

#include "darekit/udf/presentation.hpp"

namespace darekit::cli {

namespace {
std::string& command_path() {
  static std::string p;
  return p;
}
std::string path_of(const CLI::App* c) {
  std::string p;
  for (; c && c->get_parent(); c = c->get_parent()) p = c->get_name() + (p.empty() ? "" : " " + p);
  return p;
}
}  // namespace

global_options& globals() {
  static global_options g;
  return g;
}

std::vector<family_spec>& registry() {
  static std::vector<family_spec> r;
  return r;
}

handler& selected_handler() {
  static handler h;
  return h;
}

std::string_view current_command() { return command_path(); }

CLI::App& family(CLI::App& root, std::string name, std::string summary) {
  CLI::App* f = root.add_subcommand(std::move(name), std::move(summary));
  f->require_subcommand(1);
  return *f;
}

CLI::App& command(CLI::App& parent, std::string name, std::string summary, handler h) {
  CLI::App* c = parent.add_subcommand(std::move(name), std::move(summary));
  c->add_flag("-q,--quiet", globals().quiet, "no progress on stderr");
  c->callback([c, h = std::move(h)] {
    selected_handler() = h;
    command_path() = path_of(c);
  });
  return *c;
}

CLI::Option* repeatable(CLI::Option* o) { return o->allow_extra_args(false); }

void refuse(CLI::App& cmd, const std::string& flag, std::string how) {
  cmd.add_option_function<std::string>(
         flag, [how = std::move(how)](const std::string&) { throw CLI::ValidationError(how); })
      ->expected(0, 1)
      ->group("");  // hidden from --help
}

error reported(errc code) { return error{code, std::string()}; }

void report(std::string_view context, const error& e) {
  const std::string w = e.what();
  if (context.empty()) std::fprintf(stderr, "darekit: %s\n", w.c_str());
  else std::fprintf(stderr, "darekit: %.*s: %s\n", int(context.size()), context.data(), w.c_str());
}

result<std::uint64_t> parse_uint(std::string_view s, std::string_view what) {
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty())
    return fail(errc::invalid_argument, std::string(what) + " must be a non-negative integer, got '" + std::string(s) + "'");
  return v;
}

result<void> secret_file(const std::string& arg, std::string_view what) {
  if (arg == "-") return ok();
  struct stat st {};
  if (::stat(arg.c_str(), &st) == 0) return ok();
  udf::parse_options lenient;
  lenient.lenient = true;
  if (!udf::parse(arg, lenient)) return ok();  // a missing file: reading it reports that
  return fail(errc::invalid_argument,
              std::string(what) + " '" + arg.substr(0, 9) +
                  "...' is a UDF, not a file: secrets never go on the command line (every user of the machine "
                  "can read it); put it in a file and give its name, or - to read stdin");
}

// --- progress

namespace {
std::string human_bytes(double v) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (v >= 1024 && u < 4) { v /= 1024; ++u; }
  char b[32];
  std::snprintf(b, sizeof b, u ? "%.1f %s" : "%.0f %s", v, units[u]);
  return b;
}
constexpr std::int64_t redraw_ns = 100'000'000;  // at most 10 redraws a second
}  // namespace

progress::progress(std::string label, std::uint64_t total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total),
      enabled_(!globals().quiet && ::isatty(2) == 1), start_(std::chrono::steady_clock::now()) {
  next_ns_ = redraw_ns;  // nothing for work that ends within 100 ms
}

void progress::add(std::uint64_t n) noexcept {
  done_.fetch_add(n, std::memory_order_relaxed);
  if (enabled_) maybe_draw();
}

void progress::set(std::uint64_t d) noexcept {
  done_.store(d, std::memory_order_relaxed);
  if (enabled_) maybe_draw();
}

void progress::maybe_draw() noexcept {
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count();
  std::int64_t due = next_ns_.load(std::memory_order_relaxed);
  if (now < due || !next_ns_.compare_exchange_strong(due, now + redraw_ns)) return;
  if (drawing_.exchange(true)) return;
  const std::uint64_t d = done_.load(std::memory_order_relaxed);
  std::string line = "\rdarekit: " + label_ + ": ";
  if (unit_.empty()) {
    line += human_bytes(double(d));
    if (total_) line += " of " + human_bytes(double(total_));
  } else {
    line += std::to_string(d);
    if (total_) line += " of " + std::to_string(total_);
    line += " " + unit_;
  }
  if (total_) line += " (" + std::to_string(d * 100 / total_) + "%)";
  if (unit_.empty() && now > 0) line += ", " + human_bytes(double(d) * 1e9 / double(now)) + "/s";
  line += "\033[K";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
  drawing_ = false;
}

void progress::done() noexcept {
  if (drawn_.exchange(false)) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
  enabled_ = false;
}

// --- files

std::uint64_t input_size(const io::file& f) {
  if (!f.is_regular()) return 0;
  auto s = f.size();
  return s ? *s : 0;
}

result<void> each_block(const std::string& path, const std::function<result<void>(byte_view)>& fn) {
  DAREKIT_TRY(auto f, io::file::open_input(path));
  return each_block(f, fn);
}

result<void> each_block(io::file& f, const std::function<result<void>(byte_view)>& fn) {
  progress p(std::string(current_command()) + " " + f.path(), input_size(f));
  return io::for_each_block(f, [&](byte_view b) -> result<void> {
    DAREKIT_CHECK(fn(b));
    p.add(b.size());
    return ok();
  });
}

result<void> print(std::string_view data) {
  auto out = io::file::standard_output();
  return out.write(as_bytes(data));
}

}  // namespace darekit::cli
