// POSIX files in the I/O vocabulary of core/io.hpp, and the file-level conveniences on
// top of them:
//
//   io::file        a file descriptor: source, sink and storage (pread/pwrite, ftruncate,
//                   fdatasync, flock), plus read-only mappings for bulk hashing
//   io::atomic_file a new file that appears at its path only when complete (temporary
//                   created O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, in the target folder,
//                   renamed on commit(), removed otherwise and, after
//                   remove_temporaries_on_signal(), on SIGINT/SIGTERM/SIGHUP)
//   io::output      where a decoder writes: an atomic_file for a path, or a stream
//                   (stdout "-", a pipe or device) whose bytes are provisional until the
//                   writer reports success
//   io::read_file / read_secret_file   whole small files ("-" = stdin), with a size cap
#pragma once
#include "darekit/core/io.hpp"
#include "darekit/core/secure.hpp"

#if defined(__unix__) || defined(__APPLE__)
#define DAREKIT_POSIX_IO 1
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>
#include <string>

#include "darekit/core/detail/temp_registry.hpp"

namespace darekit::io {

/// How to open a file.
enum class open_mode {
  read,        ///< read only; the file must exist
  read_write,  ///< read and write; the file must exist
  create,      ///< read and write; created (with `perms`) when missing
  create_new,  ///< read and write; fails if the path exists (O_EXCL, symlinks not followed)
  write_existing,  ///< write only, to something that exists (a pipe or device); never created or truncated
};

namespace detail {
inline error sys_error(const std::string& path, const char* what) {
  const int e = errno;
  return fail(errc::io_error, (path.empty() ? std::string() : path + ": ") + what + ": " + std::strerror(e));
}
}  // namespace detail

/// A read-only memory mapping of part of a file (unmapped on destruction).
class mapping {
 public:
  mapping() = default;
  mapping(mapping&& o) noexcept : p_(std::exchange(o.p_, nullptr)), len_(std::exchange(o.len_, 0)), skew_(o.skew_) {}
  mapping& operator=(mapping&& o) noexcept {
    if (this != &o) { reset(); p_ = std::exchange(o.p_, nullptr); len_ = std::exchange(o.len_, 0); skew_ = o.skew_; }
    return *this;
  }
  ~mapping() { reset(); }
  [[nodiscard]] byte_view data() const noexcept {
    return p_ ? byte_view(static_cast<const std::uint8_t*>(p_) + skew_, len_ - skew_) : byte_view();
  }
 private:
  friend class file;
  void reset() noexcept { if (p_) ::munmap(p_, len_); p_ = nullptr; len_ = 0; }
  void* p_ = nullptr;
  std::size_t len_ = 0, skew_ = 0;
};

/// A POSIX file descriptor with the source, sink and storage operations. Positional
/// reads are thread-safe; everything else is for one thread at a time.
class file {
 public:
  file() = default;
  static result<file> open(const std::string& path, open_mode m = open_mode::read, unsigned perms = 0644) {
    int flags = O_CLOEXEC;
    switch (m) {
      case open_mode::read: flags |= O_RDONLY; break;
      case open_mode::read_write: flags |= O_RDWR; break;
      case open_mode::create: flags |= O_RDWR | O_CREAT; break;
      case open_mode::create_new: flags |= O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW; break;
      case open_mode::write_existing: flags |= O_WRONLY; break;
    }
    int fd;
    do { fd = ::open(path.c_str(), flags, perms); } while (fd < 0 && errno == EINTR);
    if (fd < 0) return detail::sys_error(path, "open");
    return file(fd, path, true);
  }
  /// Standard input / output, borrowed (not closed).
  static file standard_input() { return file(0, "stdin", false); }
  static file standard_output() { return file(1, "stdout", false); }
  /// Open `path` for reading, "-" meaning standard input.
  static result<file> open_input(const std::string& path) {
    if (path == "-") return standard_input();
    return open(path, open_mode::read);
  }

  file(file&& o) noexcept : fd_(std::exchange(o.fd_, -1)), owned_(o.owned_), path_(std::move(o.path_)) {}
  file& operator=(file&& o) noexcept {
    if (this != &o) { (void)close(); fd_ = std::exchange(o.fd_, -1); owned_ = o.owned_; path_ = std::move(o.path_); }
    return *this;
  }
  ~file() { (void)close(); }

  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }
  /// Close now (the destructor does it too); returns the close() error, if any.
  result<void> close() noexcept {
    if (fd_ < 0) return ok();
    const int fd = std::exchange(fd_, -1);
    if (owned_ && ::close(fd) != 0) return detail::sys_error(path_, "close");
    return ok();
  }

  // --- source / sink
  result<std::size_t> read(byte_span out) {
    for (;;) {
      const ssize_t n = ::read(fd_, out.data(), out.size());
      if (n >= 0) return std::size_t(n);
      if (errno != EINTR) return detail::sys_error(path_, "read");
    }
  }
  result<void> write(byte_view in) {
    while (!in.empty()) {
      const ssize_t n = ::write(fd_, in.data(), in.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return detail::sys_error(path_, "write");
      in = in.subspan(std::size_t(n));
    }
    return ok();
  }

  // --- positional source / storage
  result<std::size_t> read_at(std::uint64_t off, byte_span out) const {
    std::size_t got = 0;
    while (got < out.size()) {
      const ssize_t n = ::pread(fd_, out.data() + got, out.size() - got, off_t(off + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return detail::sys_error(path_, "read");
      if (n == 0) break;
      got += std::size_t(n);
    }
    return got;
  }
  result<std::uint64_t> size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return detail::sys_error(path_, "stat");
    return std::uint64_t(st.st_size);
  }
  [[nodiscard]] bool is_regular() const noexcept {
    struct stat st {};
    return ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  }
  /// Append at the current end. A failed append leaves the file as it was (the partial
  /// tail is truncated away), so no half-written bytes remain after an error.
  result<void> append(byte_view in) {
    DAREKIT_TRY(std::uint64_t end, size());
    auto r = pwrite_all(end, in);
    if (!r) { (void)::ftruncate(fd_, off_t(end)); return r; }
    return ok();
  }
  /// Overwrite existing bytes; never extends the file.
  result<void> write_at(std::uint64_t off, byte_view in) {
    DAREKIT_TRY(std::uint64_t end, size());
    if (off > end || in.size() > end - off) return fail(errc::invalid_argument, path_ + ": write_at past the end");
    return pwrite_all(off, in);
  }
  result<void> truncate(std::uint64_t n) {
    while (::ftruncate(fd_, off_t(n)) != 0)
      if (errno != EINTR) return detail::sys_error(path_, "truncate");
    return ok();
  }
  /// Durable: data and the size reach the disk (fdatasync).
  result<void> sync() {
#if defined(__APPLE__)
    if (::fsync(fd_) != 0) return detail::sys_error(path_, "fsync");
#else
    if (::fdatasync(fd_) != 0) return detail::sys_error(path_, "fdatasync");
#endif
    return ok();
  }
  /// Exclusive advisory lock (flock), released by unlock() or close. lock() waits.
  result<void> lock() {
    while (::flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR) return detail::sys_error(path_, "lock");
    return ok();
  }
  result<bool> try_lock() {
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) return false;
      if (errno != EINTR) return detail::sys_error(path_, "lock");
    }
    return true;
  }
  void unlock() noexcept { (void)::flock(fd_, LOCK_UN); }

  /// Map `len` bytes at `off` read-only (len clipped to the file). `populate` pre-faults
  /// the pages (one system call instead of a fault per page), for data read at once.
  result<mapping> map(std::uint64_t off, std::size_t len, bool populate = true) const {
    mapping m;
    if (len == 0) return m;
    const std::uint64_t page = std::uint64_t(::sysconf(_SC_PAGESIZE));
    const std::uint64_t base = off / page * page;
    m.skew_ = std::size_t(off - base);
    m.len_ = len + m.skew_;
    int flags = MAP_SHARED;
#if defined(MAP_POPULATE)
    if (populate) flags |= MAP_POPULATE;
#else
    (void)populate;
#endif
    void* p = ::mmap(nullptr, m.len_, PROT_READ, flags, fd_, off_t(base));
    if (p == MAP_FAILED) { m.len_ = 0; return detail::sys_error(path_, "mmap"); }
    m.p_ = p;
    return m;
  }
  /// Tell the kernel the file will be read sequentially, once.
  void advise_sequential() const noexcept {
#if defined(POSIX_FADV_SEQUENTIAL)
    (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  }

 private:
  file(int fd, std::string path, bool owned) : fd_(fd), owned_(owned), path_(std::move(path)) {}
  result<void> pwrite_all(std::uint64_t off, byte_view in) {
    while (!in.empty()) {
      const ssize_t n = ::pwrite(fd_, in.data(), in.size(), off_t(off));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return detail::sys_error(path_, "write");
      in = in.subspan(std::size_t(n));
      off += std::uint64_t(n);
    }
    return ok();
  }
  int fd_ = -1;
  bool owned_ = false;
  std::string path_;
};

/// Install SIGINT/SIGTERM/SIGHUP handlers that remove every uncommitted atomic_file
/// temporary and then let the signal take its default action. Opt-in (a library does
/// not take signals unasked); the darekit tool calls it first thing.
inline void remove_temporaries_on_signal() noexcept {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  struct sigaction sa {};
  sa.sa_handler = &detail::temp_registry::on_signal;
  sigemptyset(&sa.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(s, &sa, nullptr);
}

/// A new file that appears at `path` only when commit() succeeds. Until then the bytes go
/// to a temporary beside it, created exclusively (never through a symlink) with mode 0600;
/// it is removed by abort(), by the destructor, and on a handled signal.
class atomic_file {
 public:
  static result<atomic_file> create(const std::string& path) {
    atomic_file a;
    a.path_ = path;
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    if (name.empty() || name == "." || name == "..") return fail(errc::invalid_argument, path + ": not a file name");
    for (int attempt = 0; attempt < 16; ++attempt) {
      std::uint8_t r[6];
      randombytes_buf(r, sizeof r);
      static constexpr char hexd[] = "0123456789abcdef";
      std::string tmp = dir + "." + name + ".";
      for (auto c : r) { tmp += hexd[c >> 4]; tmp += hexd[c & 15]; }
      tmp += ".darekit-tmp";
      auto f = file::open(tmp, open_mode::create_new, 0600);
      if (!f) {
        if (errno == EEXIST) continue;
        return fail(errc::io_error, path + ": cannot create a temporary beside it: " + f.err().message);
      }
      a.tmp_ = std::move(tmp);
      a.f_ = std::move(*f);
      a.slot_ = detail::temp_registry::add(a.tmp_.c_str());
      return a;
    }
    return fail(errc::io_error, path + ": cannot create a unique temporary");
  }
  atomic_file(atomic_file&& o) noexcept
      : f_(std::move(o.f_)), path_(std::move(o.path_)), tmp_(std::move(o.tmp_)), slot_(std::exchange(o.slot_, -1)) {}
  atomic_file& operator=(atomic_file&&) = delete;
  ~atomic_file() { abort(); }

  result<void> write(byte_view in) {
    auto r = f_.write(in);
    if (!r) return fail(errc::io_error, path_ + ": " + r.err().message);
    return ok();
  }
  /// Put the file in place. `durable`: fsync the data before the rename.
  result<void> commit(bool durable = false) {
    if (!f_.is_open()) return fail(errc::invalid_argument, path_ + ": already committed or aborted");
    if (durable) DAREKIT_CHECK(f_.sync());
    if (auto c = f_.close(); !c) { abort(); return c; }
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
      auto e = detail::sys_error(path_, "rename");
      abort();
      return e;
    }
    detail::temp_registry::remove(slot_);
    slot_ = -1;
    tmp_.clear();
    return ok();
  }
  /// Remove the temporary (nothing appears at the path).
  void abort() noexcept {
    (void)f_.close();
    if (!tmp_.empty()) { ::unlink(tmp_.c_str()); tmp_.clear(); }
    detail::temp_registry::remove(slot_);
    slot_ = -1;
  }
  [[nodiscard]] const std::string& temporary_path() const noexcept { return tmp_; }

 private:
  atomic_file() = default;
  file f_;
  std::string path_, tmp_;
  int slot_ = -1;
};

/// The destination of a decoder. For a path (other than an existing pipe or device) the
/// bytes go to an atomic_file and appear only on commit(). For "-" (stdout) and for
/// pipes/devices they stream as written: streaming() is then true and the bytes are
/// provisional until the writer reports success (the exit status decides).
class output {
 public:
  static result<output> open(const std::string& path) {
    output o;
    if (path == "-") { o.stream_.emplace(file::standard_output()); return o; }
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      if (S_ISDIR(st.st_mode)) return fail(errc::io_error, path + ": is a directory");
      DAREKIT_TRY(auto f, file::open(path, open_mode::write_existing));
      o.stream_.emplace(std::move(f));
      return o;
    }
    DAREKIT_TRY(auto a, atomic_file::create(path));
    o.atomic_.emplace(std::move(a));
    return o;
  }
  [[nodiscard]] bool streaming() const noexcept { return stream_.has_value(); }
  result<void> write(byte_view b) { return stream_ ? stream_->write(b) : atomic_->write(b); }
  result<void> commit(bool durable = false) {
    if (atomic_) return atomic_->commit(durable);
    return ok();
  }
  void abort() noexcept { if (atomic_) atomic_->abort(); }

 private:
  std::optional<file> stream_;
  std::optional<atomic_file> atomic_;
};

/// Read a whole file ("-" = stdin) of at most `max` bytes.
inline result<bytes> read_file(const std::string& path, std::size_t max = std::size_t(1) << 30) {
  DAREKIT_TRY(auto f, file::open_input(path));
  bytes out;
  bytes buf(std::size_t(1) << 16);
  for (;;) {
    DAREKIT_TRY(std::size_t n, f.read(buf));
    if (n == 0) return out;
    if (n > max - out.size()) return fail(errc::too_large, path + ": larger than " + std::to_string(max) + " bytes");
    append(out, byte_view(buf.data(), n));
  }
}

/// Read a small secret file ("-" = stdin) into wiping memory; every intermediate buffer
/// is wiped too.
inline result<secure_bytes> read_secret_file(const std::string& path, std::size_t max = std::size_t(1) << 16) {
  DAREKIT_TRY(auto f, file::open_input(path));
  secure_bytes out;
  secret<4096> buf;
  for (;;) {
    DAREKIT_TRY(std::size_t n, f.read(buf.span()));
    if (n == 0) return out;
    if (n > max - out.size()) return fail(errc::too_large, path + ": larger than " + std::to_string(max) + " bytes");
    out.append(byte_view(buf.data(), n));
  }
}

}  // namespace darekit::io
#else
#define DAREKIT_POSIX_IO 0
#endif
