// Secrets: wiping, constant-time comparison, and buffers that wipe themselves.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "darekit/core/bytes.hpp"
#include "darekit/core/ct.hpp"
#include "darekit/core/sodium.hpp"

namespace darekit {

/// Overwrite memory with zeros in a way the compiler cannot elide.
inline void wipe(void* p, std::size_t n) noexcept { if (n) sodium_memzero(p, n); }
inline void wipe(byte_span b) noexcept { wipe(b.data(), b.size()); }

/// Constant-time equality of two byte strings. Different lengths compare unequal
/// (the length itself is not secret). The result is public: it is the accept/reject
/// decision of every tag and check-value comparison (ct::declassify).
inline bool ct_equal(byte_view a, byte_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  detail::ensure_sodium();
  return ct::declassify(sodium_memcmp(a.data(), b.data(), a.size())) == 0;
}

/// A growable byte buffer for secrets: wiped when it shrinks, moves or dies, and
/// locked in RAM where the OS allows (best effort, failure ignored).
class secure_bytes {
 public:
  secure_bytes() = default;
  explicit secure_bytes(std::size_t n) { resize(n); }
  explicit secure_bytes(byte_view v) { assign(v); }
  secure_bytes(const secure_bytes& o) { assign(o.view()); }
  secure_bytes(secure_bytes&& o) noexcept
      : p_(std::exchange(o.p_, nullptr)), n_(std::exchange(o.n_, 0)), cap_(std::exchange(o.cap_, 0)) {}
  secure_bytes& operator=(const secure_bytes& o) { if (this != &o) assign(o.view()); return *this; }
  secure_bytes& operator=(secure_bytes&& o) noexcept {
    if (this != &o) { release(); p_ = std::exchange(o.p_, nullptr); n_ = std::exchange(o.n_, 0); cap_ = std::exchange(o.cap_, 0); }
    return *this;
  }
  ~secure_bytes() { release(); }

  void assign(byte_view v) { resize(v.size()); if (!v.empty()) std::memcpy(p_, v.data(), v.size()); }
  void resize(std::size_t n) {
    if (n > cap_) {
      std::size_t cap = cap_ ? cap_ : 32;
      while (cap < n) cap *= 2;
      auto* q = static_cast<std::uint8_t*>(::operator new(cap));
      if (n_) std::memcpy(q, p_, n_);
      detail::ensure_sodium();
      (void)sodium_mlock(q, cap);
      release_keep_size();
      p_ = q; cap_ = cap;
    }
    if (n < n_) wipe(p_ + n, n_ - n);
    else if (n > n_) std::memset(p_ + n_, 0, n - n_);
    n_ = n;
  }
  void append(byte_view v) { std::size_t old = n_; resize(n_ + v.size()); if (!v.empty()) std::memcpy(p_ + old, v.data(), v.size()); }
  void clear() { resize(0); }

  [[nodiscard]] std::uint8_t* data() noexcept { return p_; }
  [[nodiscard]] const std::uint8_t* data() const noexcept { return p_; }
  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  [[nodiscard]] bool empty() const noexcept { return n_ == 0; }
  std::uint8_t& operator[](std::size_t i) noexcept { return p_[i]; }
  const std::uint8_t& operator[](std::size_t i) const noexcept { return p_[i]; }
  [[nodiscard]] byte_view view() const noexcept { return {p_, n_}; }
  [[nodiscard]] byte_span span() noexcept { return {p_, n_}; }
  operator byte_view() const noexcept { return view(); }  // NOLINT implicit

 private:
  void release_keep_size() noexcept {
    if (p_) { wipe(p_, cap_); sodium_munlock(p_, cap_); ::operator delete(p_); }
  }
  void release() noexcept { release_keep_size(); p_ = nullptr; n_ = cap_ = 0; }
  std::uint8_t* p_ = nullptr;
  std::size_t n_ = 0, cap_ = 0;
};

/// A fixed-size secret (key, seed, scalar) that wipes itself on destruction.
template <std::size_t N>
class secret {
 public:
  static constexpr std::size_t size_bytes = N;
  secret() noexcept { a_.fill(0); }
  explicit secret(byte_view v) noexcept { a_.fill(0); std::memcpy(a_.data(), v.data(), v.size() < N ? v.size() : N); }
  secret(const secret&) = default;
  secret& operator=(const secret&) = default;
  ~secret() { wipe(a_.data(), N); }
  [[nodiscard]] std::uint8_t* data() noexcept { return a_.data(); }
  [[nodiscard]] const std::uint8_t* data() const noexcept { return a_.data(); }
  static constexpr std::size_t size() noexcept { return N; }
  [[nodiscard]] byte_view view() const noexcept { return {a_.data(), N}; }
  [[nodiscard]] byte_span span() noexcept { return {a_.data(), N}; }
  operator byte_view() const noexcept { return view(); }  // NOLINT implicit
  std::uint8_t& operator[](std::size_t i) noexcept { return a_[i]; }
  const std::uint8_t& operator[](std::size_t i) const noexcept { return a_[i]; }
  /// Constant-time equality.
  friend bool operator==(const secret& a, const secret& b) noexcept { return ct_equal(a.view(), b.view()); }
 private:
  std::array<std::uint8_t, N> a_;
};

}  // namespace darekit
