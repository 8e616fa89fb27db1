// Helpers shared by darekit's benchmarks.
#pragma once
#include <benchmark/benchmark.h>

#include <deque>

#include "darekit/core/bytes.hpp"
#include "darekit/crypto/random.hpp"

namespace darekit::bench {
/// A deterministic-size buffer of random bytes, cached per size.
inline const bytes& buffer(std::size_t n) {
  static std::deque<std::pair<std::size_t, bytes>> cache;  // deque: references stay valid
  for (auto& [k, v] : cache) if (k == n) return v;
  cache.emplace_back(n, random_bytes(n));
  return cache.back().second;
}
/// Message sizes used for single-buffer throughput: 64 B, 1 KiB, 16 KiB, 1 MiB.
inline void sizes(benchmark::internal::Benchmark* b) {
  for (long n : {64L, 1024L, 16384L, 1048576L}) b->Arg(n);
}
}  // namespace darekit::bench
