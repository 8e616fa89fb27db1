#!/usr/bin/env bash
# Build the libFuzzer targets (clang, ASan+UBSan) and fuzz each one for a while.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]     default 20
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-20}"
scripts/install-deps.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
for bin in build/fuzz/fuzz/fuzz_*; do
  name=$(basename "$bin"); short=${name#fuzz_}
  corpus="fuzz/corpus/$short"
  work=$(mktemp -d)
  echo "== $name (${secs}s)"
  "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 "$work" "$corpus" 2>&1 \
    | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|crash' || true
  rm -rf "$work"
done
