#!/usr/bin/env bash
# The darekit command line as a whole (DESIGN.md §2, §4): secrets never on argv (the old
# spellings fail with exit 2 and say how to do it now; the new ones work), every command
# accepts only its own options, generated --help at every level, exit codes, --quiet, and
# progress only when stderr is a terminal.
set -u
dk="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }
# expect NAME CODE GREP-PATTERN -- ARGS...: exit CODE, one stderr line matching the pattern
expect() {
  local name="$1" code="$2" pat="$3"; shift 4
  "$dk" "$@" > "$work/out" 2> "$work/err" < /dev/null; local rc=$?
  if [ "$rc" -ne "$code" ]; then bad "$name: exit $rc, wanted $code ($(head -c 300 "$work/err"))"; return; fi
  if [ -n "$pat" ]; then
    [ "$(wc -l < "$work/err")" -eq 1 ] || { bad "$name: wanted one stderr line, got: $(cat "$work/err")"; return; }
    grep -q -- "^darekit: .*$pat" "$work/err" || { bad "$name: stderr '$(cat "$work/err")' lacks '$pat'"; return; }
  fi
  ok
}

printf 'some data\n' > "$work/data"
key=$("$dk" udf nonce) || bad "udf nonce"
printf '%s\n' "$key" > "$work/mac.key"

# --- secrets on the command line: the old spellings are refused, saying how
expect "udf mac --key K" 2 "--key-file FILE" -- udf mac --key "$key" "$work/data"
expect "udf mac --key=K" 2 "--key-file FILE" -- udf mac --key="$key" "$work/data"
expect "udf mac --key-file K --key K" 2 "--key-file FILE" -- udf mac --key-file "$work/mac.key" --key "$key" "$work/data"
mac=$("$dk" udf mac --key-file "$work/mac.key" "$work/data") || bad "udf mac --key-file"
expect "udf verify --key K" 2 "--key-file FILE" -- udf verify "$mac" --key "$key" "$work/data"
expect "udf mac --key-file with the key itself" 2 "is a UDF, not a file" -- udf mac --key-file "$key" "$work/data"
secret=$("$dk" udf key) || bad "udf key"
expect "udf split SECRET-UDF" 2 "is a UDF, not a file" -- udf split --threshold 2 --shares 3 "$secret"
printf '%s\n' "$secret" > "$work/secret"
"$dk" udf split --threshold 2 --shares 3 "$work/secret" > "$work/shares" || bad "udf split SECRET-FILE"
mapfile -t sh < "$work/shares"
expect "udf recover SHARE SHARE" 2 "never from the command line" -- udf recover "${sh[0]}" "${sh[2]}"
expect "udf recover SHARE" 2 "is a UDF, not a file" -- udf recover "${sh[1]}"
expect "udf recover --share" 2 "never from the command line" -- udf recover --share "${sh[1]}"

# ... and the new spellings give the same answers through files and stdin
[ "$("$dk" udf mac --key-file - "$work/data" <<< "$key")" = "$mac" ] && ok || bad "udf mac --key-file -"
"$dk" udf verify "$mac" --key-file "$work/mac.key" "$work/data" && ok || bad "udf verify --key-file"
printf 'other\n' > "$work/data2"
"$dk" udf verify "$mac" --key-file "$work/mac.key" "$work/data2" 2>/dev/null; [ $? -eq 1 ] && ok || bad "udf verify mismatch exit"
printf '%s' "$key" > "$work/mac-nonl.key"
[ "$("$dk" udf mac --key-file "$work/mac-nonl.key" "$work/data")" = "$mac" ] && ok || bad "one trailing newline is not part of the key"
expect "udf mac key and data both stdin" 2 "both be stdin" -- udf mac --key-file - -
[ "$(printf '%s\n\n%s\n' "${sh[2]}" "${sh[0]}" | "$dk" udf recover)" = "$secret" ] && ok || bad "udf recover from stdin"
[ "$("$dk" udf recover "$work/shares")" = "$secret" ] && ok || bad "udf recover SHARES-FILE"
[ "$("$dk" udf split --threshold 1 --shares 1 - < "$work/secret" | "$dk" udf recover -)" = "$secret" ] && ok || bad "split - | recover -"

# ckx --ppk HEX -> --ppk-file FILE
a=$("$dk" key gen --alg x25519); b=$("$dk" key gen --alg x25519)
printf '%s\n' "$a" > "$work/a.key"; printf '%s\n' "$b" > "$work/b.key"
n1=$(printf '%064x' 1); n2=$(printf '%064x' 2)
"$dk" ckx dim --key "$work/a.key" --nonce "$n1" --counter 1 --json --out "$work/a.dim" || bad "ckx dim a"
"$dk" ckx dim --key "$work/b.key" --nonce "$n2" --counter 1 --out "$work/b.dim" || bad "ckx dim b"
ppk=$(printf '%064x' 77)
expect "ckx derive --ppk HEX" 2 "--ppk-file FILE" -- ckx derive --local-key "$work/a.key" --local-dim "$work/a.dim" --remote-dim "$work/b.dim" --ppk "$ppk"
printf '%s\n' "$ppk" > "$work/ppk"
d0=$("$dk" ckx derive --local-key "$work/a.key" --local-dim "$work/a.dim" --remote-dim "$work/b.dim") || bad "ckx derive"
d1=$("$dk" ckx derive --local-key "$work/a.key" --local-dim "$work/a.dim" --remote-dim "$work/b.dim" --ppk-file "$work/ppk") || bad "ckx derive --ppk-file"
d2=$("$dk" ckx derive --local-key "$work/a.key" --local-dim "$work/a.dim" --remote-dim "$work/b.dim" --ppk-file - <<< "$ppk") || bad "ckx derive --ppk-file -"
[ "$d1" = "$d2" ] && [ "$d1" != "$d0" ] && ok || bad "the PPK file changes the keys, same from stdin"
peer=$("$dk" ckx derive --local-key "$work/b.key" --local-dim "$work/b.dim" --remote-dim "$work/a.dim" --ppk-file "$work/ppk")
k1=$(grep -o '"keymat":"[0-9a-f]*"' <<< "$d1"); k2=$(grep -o '"keymat":"[0-9a-f]*"' <<< "$peer")
[ -n "$k1" ] && [ "$k1" = "$k2" ] && ok || bad "both sides derive the same keymat with the PPK"

# --- each command accepts only its own options
"$dk" key gen --alg ed25519 > "$work/sig.key"; "$dk" key pub "$work/sig.key" > "$work/sig.pub"
"$dk" dare encode --sign "$work/sig.key" "$work/data" "$work/e.dare" || bad "dare encode"
expect "dare show --to K" 2 "not expected" -- dare show --to "$work/sig.pub" "$work/e.dare"
expect "dare show --key K" 2 "not expected" -- dare show --key "$work/sig.key" "$work/e.dare"
expect "dare verify --to K" 2 "not expected" -- dare verify --to "$work/sig.pub" "$work/e.dare"
expect "hash --key-file" 2 "not expected" -- hash --key-file x "$work/data"
expect "udf digest --threshold" 2 "not expected" -- udf digest --threshold 2 "$work/data"
expect "key gen extra" 2 "not expected" -- key gen --alg x25519 extra
expect "dare encode --enc without --to" 2 "requires --to" -- dare encode --enc XC20P "$work/data" "$work/x.dare"
expect "dare encode --json --jsonb" 2 "excludes" -- dare encode --json --jsonb "$work/data" "$work/x.dare"
expect "dare decode without --key" 2 "--key is required" -- dare decode "$work/e.dare" "$work/x"
expect "unknown family" 2 "unknown command 'frob'" -- frob
expect "unknown command" 2 "udf: unknown command 'frob'" -- udf frob
expect "family without command" 2 "subcommand is required" -- udf
expect "no command" 2 "subcommand is required" --
"$dk" dare verify --signer "$work/sig.pub" "$work/e.dare" 2>/dev/null && ok || bad "dare verify --signer"
"$dk" dare decode --key "$work/sig.key" --allow-unauthenticated "$work/e.dare" "$work/d" 2>/dev/null && cmp -s "$work/d" "$work/data" \
  && ok || bad "dare decode --allow-unauthenticated is declared"
# verification failures exit 1 with one line
expect "udf verify mismatch" 1 "" -- udf verify "$("$dk" udf digest "$work/data")" "$work/data2"

# --- generated help at every level: exit 0, on stdout, nothing on stderr
help_ok() {
  "$dk" "$@" --help > "$work/h" 2> "$work/he"; local rc=$?
  if [ $rc -eq 0 ] && grep -q "^Usage: darekit" "$work/h" && [ ! -s "$work/he" ]; then ok; else bad "darekit $* --help (exit $rc)"; fi
}
help_ok
for fam in udf key dare ckx; do help_ok "$fam"; done
for c in "udf digest" "udf mac" "udf parse" "udf verify" "udf split" "udf recover" "udf nonce" "udf key" "udf earl" "udf sin" \
         "key gen" "key pub" "key id" "dare encode" "dare decode" "dare show" "dare verify" "ckx derive" "ckx dim" "ckx sim" hash; do
  # shellcheck disable=SC2086
  help_ok $c
done
"$dk" udf mac --help | grep -q -- "--key-file KEYFILE" && ok || bad "udf mac --help shows --key-file"
"$dk" udf mac --help | grep -q -- "--key " && bad "udf mac --help shows the refused --key" || ok
"$dk" dare decode --help | grep -q -- "--allow-unauthenticated" && ok || bad "dare decode --help shows --allow-unauthenticated"
[ "$("$dk" --version)" = "darekit $("$dk" --version | cut -d' ' -f2)" ] && "$dk" --version | grep -q '^darekit [0-9]' && ok || bad "--version"

# --- progress: never when stderr is not a terminal; on a terminal unless --quiet
head -c 3000000 /dev/urandom > "$work/big"
"$dk" hash "$work/big" > /dev/null 2> "$work/err" && [ ! -s "$work/err" ] && ok || bad "no progress when stderr is a file"
"$dk" --quiet hash "$work/big" > /dev/null && "$dk" hash --quiet --tree "$work/big" > /dev/null && "$dk" udf digest -q "$work/big" > /dev/null \
  && ok || bad "--quiet accepted globally and per command"
tty_stderr() {  # run darekit with a slow stdin and stderr on a pseudo-terminal; print what the terminal got
  python3 - "$dk" "$@" <<'EOF'
import os, pty, subprocess, sys, time
master, slave = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
for _ in range(4):  # about 0.6 s of work, fed slowly
    p.stdin.write(b"\0" * (1 << 20)); p.stdin.flush(); time.sleep(0.15)
p.stdin.close()
p.wait()
out = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
sys.stdout.write(out.decode(errors="replace"))
sys.exit(p.returncode)
EOF
}
for c in "hash -" "hash --tree -" "udf digest -"; do
  # shellcheck disable=SC2086
  t=$(tty_stderr $c); rc=$?
  [ $rc -eq 0 ] && grep -Eq "darekit: [a-z -]+ stdin: [0-9.]+ (B|KiB|MiB)" <<< "$t" && ok || bad "progress on a terminal for '$c' (exit $rc): $t"
  # shellcheck disable=SC2086
  t=$(tty_stderr --quiet $c)
  [ -z "$t" ] && ok || bad "--quiet silences progress for '$c': $t"
done

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
