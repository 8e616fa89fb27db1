#!/usr/bin/env bash
# `darekit hash --tree [--chunk N]` against an independent Python hashlib oracle
# (tree_ref.py), for every algorithm, several chunk sizes and thread counts, stdin, and
# the usage errors.
set -euo pipefail
dk="$1"
ref="$(dirname "$0")/tree_ref.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0; pass=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; echo " want: $2"; echo " got:  $3"; fi
}
files=()
for n in 0 1 4095 4096 4097 12288 100000 1048576 1052673 2200000; do
  head -c "$n" /dev/urandom > "$work/f$n"; files+=("$work/f$n")
done
for alg in sha512 sha256 sha3-512 sha3-256; do
  check "$alg default chunk" "$(python3 "$ref" "$alg" 4096 "${files[@]}")" "$("$dk" hash --tree --alg "$alg" "${files[@]}")"
done
for chunk in 1 100 4096 65536 3000000; do
  small=("$work/f0" "$work/f1" "$work/f4097" "$work/f100000")
  [ "$chunk" -ge 100 ] && small+=("$work/f1052673" "$work/f2200000")
  check "sha512 chunk $chunk" "$(python3 "$ref" sha512 "$chunk" "${small[@]}")" \
        "$("$dk" hash --tree --chunk "$chunk" "${small[@]}")"
done
for t in 1 2 3; do
  check "threads $t" "$(python3 "$ref" sha512 4096 "$work/f2200000")" "$("$dk" hash --tree --threads "$t" "$work/f2200000")"
done
check "stdin" "$(python3 "$ref" sha512 4096 "$work/f1052673" | sed "s|$work/f1052673|-|")" \
      "$("$dk" hash --tree - < "$work/f1052673")"
check "empty is H(\"\")" "$(sha512sum < "$work/f0")" "$("$dk" hash --tree - < "$work/f0")"
for bad in "--tree --chunk 0" "--tree --chunk 67108865" "--chunk 10" "--tree --threads 0" "--tree --chunk x"; do
  set +e; "$dk" hash $bad "$work/f1" >/dev/null 2>&1; rc=$?; set -e
  check "usage error: $bad" 2 "$rc"
done
set +e; "$dk" hash --tree "$work/missing" >/dev/null 2>&1; rc=$?; set -e
check "missing file" 2 "$rc"
echo "cli tree: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
