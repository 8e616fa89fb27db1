#!/usr/bin/env bash
# darekit hash must print exactly what sha512sum / sha256sum print (and the same digest as
# openssl dgst -sha3-512) on files of 0 B to 10 MB, streamed, with '-' for stdin.
set -euo pipefail
dk="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0; pass=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; echo " want: $2"; echo " got:  $3"; fi
}
sizes="0 1 55 56 111 112 127 128 129 1000 4096 65536 1048579 10000000"
files=()
for n in $sizes; do
  head -c "$n" /dev/urandom > "$work/f$n"; files+=("$work/f$n")
done
check "sha512 all files" "$(sha512sum "${files[@]}")" "$("$dk" hash "${files[@]}")"
check "sha512 explicit" "$(sha512sum "${files[@]}")" "$("$dk" hash --alg sha512 "${files[@]}")"
check "sha256 all files" "$(sha256sum "${files[@]}")" "$("$dk" hash --alg sha256 "${files[@]}")"
if "$dk" hash --help | grep -q sha3-512; then
  for f in "${files[@]}"; do
    want=$(openssl dgst -sha3-512 -r "$f" | cut -d' ' -f1)
    got=$("$dk" hash --alg sha3-512 "$f" | cut -d' ' -f1)
    check "sha3-512 $(basename "$f")" "$want" "$got"
  done
else
  echo "FAIL: darekit hash does not offer sha3-512"; fail=$((fail+1))
fi
check "stdin" "$(sha512sum < "$work/f1000")" "$("$dk" hash < "$work/f1000")"
check "stdin dash" "$(sha512sum - < "$work/f1000")" "$("$dk" hash - < "$work/f1000")"
# file names that coreutils escapes
cp "$work/f55" "$work/back\\slash"
check "escaped name" "$(cd "$work" && sha512sum 'back\slash')" "$(cd "$work" && "$dk" hash 'back\slash')"
# errors: exit 2 and one line on stderr
set +e
"$dk" hash "$work/missing" >/dev/null 2>"$work/err"; rc=$?
set -e
check "missing file exit code" 2 "$rc"
check "missing file one stderr line" 1 "$(wc -l < "$work/err")"
set +e
"$dk" hash --alg md5 "$work/f1" >/dev/null 2>&1; rc=$?
set -e
check "unknown alg exit code" 2 "$rc"
echo "cli.hash: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
