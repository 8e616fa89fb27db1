#include "cli.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iostream>

namespace darekit::cli {

std::vector<command>& registry() {
  static std::vector<command> r;
  return r;
}

int error(std::string_view msg, int code) {
  std::fprintf(stderr, "darekit: %.*s\n", int(msg.size()), msg.data());
  return code;
}

int error(const darekit::error& e) {
  return error(e.what(), e.code == errc::verification_failed ? exit_verify_failed : exit_error);
}

result<parsed> parse(const args& a, const std::vector<option_spec>& spec) {
  parsed p;
  bool only_pos = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string& s = a[i];
    if (only_pos || s == "-" || s.size() < 2 || s[0] != '-') { p.pos.push_back(s); continue; }
    if (s == "--") { only_pos = true; continue; }
    if (s == "--help" || s == "-h") { p.opts["--help"].push_back(""); continue; }
    std::string name = s, value;
    bool has_inline = false;
    if (auto eq = s.find('='); eq != std::string::npos && s.rfind("--", 0) == 0) {
      name = s.substr(0, eq); value = s.substr(eq + 1); has_inline = true;
    }
    const option_spec* o = nullptr;
    for (const auto& sp : spec) if (sp.name == name) o = &sp;
    if (!o) return fail(errc::invalid_argument, "unknown option " + name + " (see --help)");
    if (o->takes_value) {
      if (!has_inline) {
        if (i + 1 >= a.size()) return fail(errc::invalid_argument, "option " + name + " needs a value");
        value = a[++i];
      }
    } else if (has_inline) {
      return fail(errc::invalid_argument, "option " + name + " takes no value");
    }
    auto& v = p.opts[name];
    if (!v.empty() && !o->repeatable) return fail(errc::invalid_argument, "option " + name + " given twice");
    v.push_back(value);
  }
  return p;
}

result<std::uint64_t> parse_uint(std::string_view s, std::string_view what) {
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty())
    return fail(errc::invalid_argument, std::string(what) + " must be a non-negative integer, got '" + std::string(s) + "'");
  return v;
}

result<void> stream_file(const std::string& path, const std::function<void(byte_view)>& sink, std::size_t chunk) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) return fail(errc::io_error, path + ": " + std::strerror(errno));
  bytes buf(chunk);
  for (;;) {
    const std::size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n) sink(byte_view(buf.data(), n));
    if (n < buf.size()) break;
  }
  const bool bad = std::ferror(f);
  if (f != stdin) std::fclose(f);
  if (bad) return fail(errc::io_error, path + ": read error");
  return ok();
}

result<bytes> read_file(const std::string& path, std::size_t max) {
  bytes out;
  bool over = false;
  DAREKIT_CHECK(stream_file(path, [&](byte_view b) {
    if (out.size() + b.size() > max) { over = true; return; }
    append(out, b);
  }, 1 << 16));
  if (over) return fail(errc::too_large, path + ": larger than " + std::to_string(max) + " bytes");
  return out;
}

result<void> write_file(const std::string& path, byte_view data) {
  std::FILE* f = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
  if (!f) return fail(errc::io_error, path + ": " + std::strerror(errno));
  const bool ok_w = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  const bool ok_c = f == stdout ? std::fflush(f) == 0 : std::fclose(f) == 0;
  if (!ok_w || !ok_c) return fail(errc::io_error, path + ": write error");
  return ok();
}

}  // namespace darekit::cli
