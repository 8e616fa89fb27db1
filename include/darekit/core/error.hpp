// Errors as values: darekit::errc, darekit::error and darekit::result<T>.
// Works with -fno-exceptions: nothing here throws.
#pragma once
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace darekit {

/// Error categories. Every fallible call reports one of these plus a message.
enum class errc : int {
  ok = 0,
  invalid_argument,     ///< the caller passed a value outside the documented domain
  malformed,            ///< input does not follow the format
  truncated,            ///< input ended early
  too_large,            ///< input exceeds a limit (length, depth, count)
  unsupported,          ///< a valid but unimplemented algorithm, curve or feature
  verification_failed,  ///< a digest, tag, MAC, signature or proof did not match
  no_key,               ///< no usable key for the operation (e.g. not a recipient)
  io_error,             ///< reading or writing storage failed
  crypto_failure,       ///< a primitive refused (e.g. all-zero DH output, no AES-NI)
};

/// A short stable name for an error category ("malformed", ...).
constexpr std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::ok: return "ok";
    case errc::invalid_argument: return "invalid argument";
    case errc::malformed: return "malformed";
    case errc::truncated: return "truncated";
    case errc::too_large: return "too large";
    case errc::unsupported: return "unsupported";
    case errc::verification_failed: return "verification failed";
    case errc::no_key: return "no key";
    case errc::io_error: return "I/O error";
    case errc::crypto_failure: return "crypto failure";
  }
  return "unknown";
}

/// An error: a category and a human-readable message.
struct error {
  errc code = errc::ok;
  std::string message;

  error() = default;
  error(errc c, std::string msg) : code(c), message(std::move(msg)) {}

  /// "category: message".
  [[nodiscard]] std::string what() const {
    std::string s(to_string(code));
    if (!message.empty()) { s += ": "; s += message; }
    return s;
  }
};

/// Make an error value (readable at call sites: `return fail(errc::malformed, "...")`).
inline error fail(errc c, std::string msg) { return error{c, std::move(msg)}; }

namespace detail {
[[noreturn]] inline void bad_result_access() noexcept { std::abort(); }
}  // namespace detail

/// A value of type T or an error. Accessing the value of an error aborts
/// (check has_value() first, or use value_or / and_then / transform).
template <class T>
class [[nodiscard]] result {
 public:
  using value_type = T;

  result(const T& v) : ok_(true) { new (&v_) T(v); }                 // NOLINT implicit
  result(T&& v) : ok_(true) { new (&v_) T(std::move(v)); }           // NOLINT implicit
  result(error e) : ok_(false) { new (&e_) error(std::move(e)); }    // NOLINT implicit
  template <class U, class = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                              !std::is_same_v<std::decay_t<U>, T> &&
                                              !std::is_same_v<std::decay_t<U>, error> &&
                                              !std::is_same_v<std::decay_t<U>, result>>>
  result(U&& u) : ok_(true) { new (&v_) T(std::forward<U>(u)); }    // NOLINT implicit

  result(const result& o) : ok_(o.ok_) {
    if (ok_) new (&v_) T(o.v_); else new (&e_) error(o.e_);
  }
  result(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(o.ok_) {
    if (ok_) new (&v_) T(std::move(o.v_)); else new (&e_) error(std::move(o.e_));
  }
  result& operator=(const result& o) {
    if (this != &o) { destroy(); ok_ = o.ok_; if (ok_) new (&v_) T(o.v_); else new (&e_) error(o.e_); }
    return *this;
  }
  result& operator=(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &o) {
      destroy(); ok_ = o.ok_;
      if (ok_) new (&v_) T(std::move(o.v_)); else new (&e_) error(std::move(o.e_));
    }
    return *this;
  }
  ~result() { destroy(); }

  [[nodiscard]] bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }

  T& value() & { if (!ok_) detail::bad_result_access(); return v_; }
  const T& value() const& { if (!ok_) detail::bad_result_access(); return v_; }
  T&& value() && { if (!ok_) detail::bad_result_access(); return std::move(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error; only meaningful when !has_value().
  [[nodiscard]] const error& err() const& noexcept { static const error none{}; return ok_ ? none : e_; }
  [[nodiscard]] errc code() const noexcept { return ok_ ? errc::ok : e_.code; }

  template <class U>
  T value_or(U&& alt) const& { return ok_ ? v_ : static_cast<T>(std::forward<U>(alt)); }

  /// f(T) -> result<U>; errors pass through.
  template <class F>
  auto and_then(F&& f) const& -> std::invoke_result_t<F, const T&> {
    if (!ok_) return e_;
    return std::forward<F>(f)(v_);
  }
  template <class F>
  auto and_then(F&& f) && -> std::invoke_result_t<F, T&&> {
    if (!ok_) return std::move(e_);
    return std::forward<F>(f)(std::move(v_));
  }
  /// f(T) -> U; wraps the value, errors pass through.
  template <class F>
  auto transform(F&& f) const& -> result<std::invoke_result_t<F, const T&>> {
    if (!ok_) return e_;
    return std::forward<F>(f)(v_);
  }

 private:
  void destroy() noexcept { if (ok_) v_.~T(); else e_.~error(); }
  bool ok_;
  union { T v_; error e_; };
};

/// Success or an error.
template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(error e) : ok_(false), e_(std::move(e)) {}  // NOLINT implicit
  [[nodiscard]] bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const { if (!ok_) detail::bad_result_access(); }
  [[nodiscard]] const error& err() const& noexcept { return e_; }
  [[nodiscard]] errc code() const noexcept { return ok_ ? errc::ok : e_.code; }
  template <class F>
  auto and_then(F&& f) const -> std::invoke_result_t<F> {
    if (!ok_) return e_;
    return std::forward<F>(f)();
  }
 private:
  bool ok_ = true;
  error e_;
};

/// A successful result<void>.
inline result<void> ok() { return {}; }

}  // namespace darekit

/// Evaluate a result-returning expression; on error return the error from the
/// enclosing function, otherwise bind the value to `decl`.
///   DAREKIT_TRY(auto v, parse(x));
#define DAREKIT_CONCAT_IMPL(a, b) a##b
#define DAREKIT_CONCAT(a, b) DAREKIT_CONCAT_IMPL(a, b)
#define DAREKIT_TRY_IMPL(tmp, decl, expr)        \
  auto tmp = (expr);                             \
  if (!tmp.has_value()) return tmp.err();        \
  decl = std::move(tmp).value()
#define DAREKIT_TRY(decl, expr) DAREKIT_TRY_IMPL(DAREKIT_CONCAT(darekit_try_, __LINE__), decl, expr)
/// Same for result<void>: return the error if any.
#define DAREKIT_CHECK(expr)                                         \
  do {                                                              \
    auto darekit_check_ = (expr);                                   \
    if (!darekit_check_.has_value()) return darekit_check_.err();   \
  } while (0)
