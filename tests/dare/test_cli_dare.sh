#!/usr/bin/env bash
# CLI contract of `darekit dare`: the spec's 2024 encrypted vector decodes with Alice's
# key file (★), round trips through encode/decode/verify/show, exit codes 0/1/2.
set -u
D="$1"; DATA="$2"; FIX="${3:-}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
want='This is a test long enough to require multiple blocks'

# the reference's A256CBC is unauthenticated: refused by default (exit 1, no OUT), read with the opt-in
"$D" dare decode --key "$DATA/alice_2024_encryption.key" "$DATA/spec_2024_encrypted.dare" "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] || fail "unauthenticated CBC decode exit $rc"
[ ! -e "$T/out" ] || fail "refused CBC decode left output"
grep -q "allow-unauthenticated" "$T/err" || fail "refusal message names the opt-in"
"$D" dare decode --allow-unauthenticated --key "$DATA/alice_2024_encryption.key" "$DATA/spec_2024_encrypted.dare" "$T/out" || fail "decode spec vector"
[ "$(cat "$T/out")" = "$want" ] || fail "spec vector plaintext"
"$D" dare decode --key "$DATA/alice_2024_encryption.key" --signer "$DATA/alice_2024_signature.pub" \
  "$DATA/spec_2024_signed_encrypted.dare" - > "$T/out2" || fail "decode signed+encrypted"
[ "$(cat "$T/out2")" = "$want" ] || fail "signed+encrypted plaintext"
"$D" dare verify --signer "$DATA/alice_2024_signature.pub" "$DATA/spec_2024_signed_encrypted.dare" 2>/dev/null || fail "verify"
"$D" dare show "$DATA/spec_2024_encrypted.dare" | grep -q '"enc":"A256CBC"' || fail "show"

"$D" key gen --alg x25519 > "$T/bob.key" && "$D" key pub "$T/bob.key" > "$T/bob.pub" || fail "key gen"
"$D" key gen --alg ed25519 > "$T/sig.key" && "$D" key pub "$T/sig.key" > "$T/sig.pub" || fail "key gen"
head -c 200000 /dev/urandom > "$T/p"
for enc in XC20P A256GCM A256CBC; do
  for form in --json --jsonb; do
    "$D" dare encode --to "$T/bob.pub" --sign "$T/sig.key" --enc $enc $form "$T/p" "$T/e" || fail "encode $enc $form"
    "$D" dare decode --key "$T/bob.key" --signer "$T/sig.pub" "$T/e" "$T/d" || fail "decode $enc $form"
    cmp -s "$T/p" "$T/d" || fail "round trip $enc $form"
    "$D" dare verify --signer "$T/sig.pub" "$T/e" 2>/dev/null || fail "verify $enc $form"
  done
done
# a device as OUT is written in place, never replaced
"$D" dare encode --to "$T/bob.pub" "$T/p" /dev/null && [ -c /dev/null ] || fail "encode to /dev/null"
# tamper: exit 1 and no output file
printf 'Z' | dd of="$T/e" bs=1 seek=5000 conv=notrunc 2>/dev/null
"$D" dare decode --key "$T/bob.key" "$T/e" "$T/t" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "tampered decode exit $rc"
[ ! -e "$T/t" ] || fail "tampered decode left output"
"$D" dare verify --signer "$T/sig.pub" "$T/e" 2>/dev/null; [ $? -eq 1 ] || fail "tampered verify"
# wrong key: exit 2 (no key), usage: exit 2
"$D" dare decode --allow-unauthenticated --key "$T/sig.key" "$DATA/spec_2024_encrypted.dare" "$T/x" 2>/dev/null; [ $? -eq 2 ] || fail "wrong key exit"
"$D" dare decode "$T/e" 2>/dev/null; [ $? -eq 2 ] || fail "usage exit"
# X448 recipients and Ed448 signers when the build has the OpenSSL backend; otherwise
# the 448 key seeds are refused with "unsupported curve"
if "$D" key gen --alg x448 > "$T/x448.key" 2>/dev/null; then
  "$D" key gen --alg ed448 > "$T/ed448.key" || fail "ed448 gen"
  "$D" key gen --alg ed448 > "$T/ed448b.key" || fail "ed448 gen 2"
  "$D" key pub "$T/x448.key" > "$T/x448.pub" || fail "x448 pub"
  grep -q '"crv":"X448"' "$T/x448.pub" || fail "x448 jwk"
  "$D" key pub --ecdh "$T/ed448.key" > "$T/ed448.pub" || fail "ed448 pub"
  "$D" key pub "$T/ed448b.key" > "$T/ed448b.pub" || fail "ed448b pub"
  printf '%s' "$want" > "$T/p448"
  "$D" dare encode --to "$T/x448.pub" --to "$T/bob.pub" --sign "$T/ed448.key" "$T/p448" "$T/e448" || fail "448 encode"
  "$D" dare decode --key "$T/x448.key" --signer "$T/ed448.pub" "$T/e448" "$T/d448" || fail "448 decode"
  cmp -s "$T/p448" "$T/d448" || fail "448 plaintext"
  "$D" dare decode --key "$T/bob.key" "$T/e448" "$T/d25519" || fail "mixed decode"
  cmp -s "$T/p448" "$T/d25519" || fail "mixed plaintext"
  "$D" dare verify --signer "$T/ed448.pub" "$T/e448" > /dev/null 2>&1 || fail "ed448 verify"
  "$D" dare verify --signer "$T/ed448b.pub" "$T/e448" > /dev/null 2>&1; [ $? -eq 1 ] || fail "ed448 wrong signer exit"
else
  echo ZAAA-FFQA-3LE5-SAHG-E6K6-HOTN-TVLB-K4A > "$T/x448.key"
  "$D" key pub "$T/x448.key" 2> "$T/err448"; [ $? -eq 2 ] || fail "x448 without backend exit"
  grep -q "unsupported curve" "$T/err448" || fail "x448 without backend message"
fi
# the reference-written fixture (JSON text + JSON-B body, X448 recipient), when present
if [ -n "$FIX" ] && [ -f "$FIX/Web_ciphertext.dare" ]; then
  "$D" dare show "$FIX/Web_ciphertext.dare" > "$T/show.json" || fail "show fixture"
  grep -q '"crv":"X448"' "$T/show.json" || fail "fixture header"
  grep -q '"payload_length":16' "$T/show.json" || fail "fixture payload length"
  "$D" dare verify "$FIX/Web_ciphertext.dare" 2>/dev/null || fail "fixture PayloadDigest"
  "$D" dare decode --allow-unauthenticated --key "$T/bob.key" "$FIX/Web_ciphertext.dare" "$T/w" 2> "$T/err"; [ $? -eq 2 ] || fail "fixture decode exit"
  grep -q "unsupported curve\|not a recipient\|none of the keys" "$T/err" || fail "fixture decode message"
fi

# --- issue 13 regressions -------------------------------------------------------------
head -c 600000 /dev/urandom > "$T/big"
"$D" dare encode --to "$T/bob.pub" --sign "$T/sig.key" --enc A256CBC "$T/big" "$T/cbc" || fail "cbc encode"
# padding oracle: a tampered last block (bad padding) and a tampered middle block (good
# padding) give the same message and exit code when a signer is given
for at in 100000 $(( $(stat -c %s "$T/cbc") - 600 )); do
  cp "$T/cbc" "$T/cbc_t"
  printf '\x55' | dd of="$T/cbc_t" bs=1 seek=$at conv=notrunc 2>/dev/null
  "$D" dare decode --key "$T/bob.key" --signer "$T/sig.pub" "$T/cbc_t" - > "$T/leak" 2> "$T/err_$at"; rc=$?
  [ $rc -eq 1 ] || fail "tampered signed CBC exit $rc (at $at)"
  # finding 3: nothing of a tampered signed CBC payload reaches stdout
  [ ! -s "$T/leak" ] || fail "tampered signed CBC released $(stat -c %s "$T/leak") bytes to stdout"
  cat "$T/cbc_t" | "$D" dare decode --key "$T/bob.key" --signer "$T/sig.pub" - - > "$T/leak2" 2>/dev/null
  [ ! -s "$T/leak2" ] || fail "tampered signed CBC released bytes from a pipe"
done
cmp -s "$T/err_100000" "$T/err_$(( $(stat -c %s "$T/cbc") - 600 ))" || fail "CBC failures differ: $(cat "$T"/err_*)"
# a valid signed CBC envelope decodes to stdout from a file and from a pipe
"$D" dare decode --key "$T/bob.key" --signer "$T/sig.pub" "$T/cbc" - | cmp -s - "$T/big" || fail "signed CBC to stdout"
cat "$T/cbc" | "$D" dare decode --key "$T/bob.key" --signer "$T/sig.pub" - - | cmp -s - "$T/big" || fail "signed CBC pipe"
# finding 4: a symlink planted at the old temporary name is never written through
echo precious > "$T/victim"
ln -s "$T/victim" "$T/o.darekit-tmp"
"$D" dare encode --to "$T/bob.pub" "$T/p" "$T/enc1" || fail "encode for symlink test"
cp "$T/enc1" "$T/enc1_t"; printf 'Z' | dd of="$T/enc1_t" bs=1 seek=5000 conv=notrunc 2>/dev/null
"$D" dare decode --key "$T/bob.key" "$T/enc1_t" "$T/o" 2>/dev/null
[ "$(cat "$T/victim")" = precious ] || fail "decode wrote through a planted symlink"
[ ! -e "$T/o" ] || fail "failed decode created OUT"
"$D" dare decode --key "$T/bob.key" "$T/enc1" "$T/o" || fail "decode beside a planted symlink"
[ "$(stat -c %a "$T/o")" = 600 ] || fail "decoded file mode $(stat -c %a "$T/o")"
ls -a "$T" | grep -q 'darekit-tmp$' && [ "$(ls -a "$T" | grep -c 'darekit-tmp$')" -ne 1 ] && fail "temporaries left behind"
echo "cli dare: all checks passed"
