// The uncommitted temporaries of io::atomic_file, kept where a signal handler can reach
// them with async-signal-safe calls only (fixed slots, no allocation, unlink, raise).
#pragma once
#if defined(__unix__) || defined(__APPLE__)
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstddef>
#include <cstring>

namespace darekit::io::detail {

struct temp_registry {
  static constexpr int slots = 32;
  static constexpr std::size_t path_max = 4096;

  /// Record a temporary; returns its slot, or -1 when every slot is taken (the file is
  /// then only removed by its owner, not by a signal).
  static int add(const char* path) noexcept {
    const std::size_t n = std::strlen(path);
    if (n >= path_max) return -1;
    for (int i = 0; i < slots; ++i) {
      int expect = 0;
      if (state()[i].compare_exchange_strong(expect, 1)) {  // 1: being written
        std::memcpy(names()[i], path, n + 1);
        state()[i].store(2);                                  // 2: live
        return i;
      }
    }
    return -1;
  }
  static void remove(int slot) noexcept {
    if (slot >= 0 && slot < slots) state()[slot].store(0);
  }
  static void on_signal(int sig) noexcept {
    for (int i = 0; i < slots; ++i)
      if (state()[i].load() == 2) ::unlink(names()[i]);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
  }

 private:
  static std::atomic<int>* state() noexcept {
    static std::atomic<int> s[slots] = {};
    return s;
  }
  static char (*names() noexcept)[path_max] {
    static char n[slots][path_max];
    return n;
  }
};

}  // namespace darekit::io::detail
#endif
