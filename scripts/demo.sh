#!/usr/bin/env bash
# Build the darekit tool (release preset) and run it on a built-in demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target darekit_cli
dk="$PWD/build/release/bin/darekit"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== darekit $("$dk" --version | cut -d' ' -f2): demo in $work"
printf 'Hello darekit: the quick brown fox jumps over the lazy dog.\n' > "$work/hello.txt"
head -c 5000000 /dev/zero > "$work/zeros.bin"
echo "-- darekit hash (sha512sum-compatible)"
"$dk" hash "$work/hello.txt" "$work/zeros.bin"
echo "-- the same files with sha512sum"
sha512sum "$work/hello.txt" "$work/zeros.bin"
echo "-- darekit hash --alg sha256"
"$dk" hash --alg sha256 "$work/hello.txt"
echo "demo finished"
