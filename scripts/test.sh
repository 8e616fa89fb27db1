#!/usr/bin/env bash
# Build everything with the `dev` preset and run the full test suite.
#   scripts/test.sh            dev preset (tests, tools, bench, fuzz replays)
#   scripts/test.sh asan       the same tests under AddressSanitizer + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
scripts/install-deps.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"
