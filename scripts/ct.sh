#!/usr/bin/env bash
# Constant-time check: darekit's secret-handling code under valgrind memcheck with the
# secrets marked undefined (tests/ct/ct_harness.cpp; docs/SECURITY.md "Constant-time claims").
#   scripts/ct.sh                 build the harness (dev preset) and run it for the
#                                 scalar and avx2 kernel tiers (CTest label "ct")
#   scripts/ct.sh --run BIN TIER  run one harness binary under valgrind (what CTest calls)
# Any "conditional jump or move depends on uninitialised value" or "use of uninitialised
# value" report is a secret-dependent branch or address: the run fails (exit 1).
set -euo pipefail
cd "$(dirname "$0")/.."
vg=(valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes --num-callers=30 --leak-check=no -q)
if [ "${1:-}" = "--run" ]; then
  bin="$2"; tier="$3"
  # Self-test first: a deliberate secret-dependent branch must be reported.
  if "${vg[@]}" "$bin" --canary >/dev/null 2>&1; then
    echo "ct.sh: valgrind did not report the canary's secret branch; the check is not working" >&2
    exit 1
  fi
  DAREKIT_FORCE_KERNEL="$tier" exec "${vg[@]}" "$bin"
fi
scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target darekit_ct
ctest --preset dev -L ct --output-on-failure -V
