#!/usr/bin/env bash
# CLI contract of `darekit dare`: the spec's 2024 encrypted vector decodes with Alice's
# key file (★), round trips through encode/decode/verify/show, exit codes 0/1/2.
set -u
D="$1"; DATA="$2"; FIX="${3:-}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
want='This is a test long enough to require multiple blocks'

"$D" dare decode --key "$DATA/alice_2024_encryption.key" "$DATA/spec_2024_encrypted.dare" "$T/out" || fail "decode spec vector"
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
"$D" dare decode --key "$T/sig.key" "$DATA/spec_2024_encrypted.dare" "$T/x" 2>/dev/null; [ $? -eq 2 ] || fail "wrong key exit"
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
  "$D" dare decode --key "$T/bob.key" "$FIX/Web_ciphertext.dare" "$T/w" 2> "$T/err"; [ $? -eq 2 ] || fail "fixture decode exit"
  grep -q "unsupported curve\|not a recipient\|none of the keys" "$T/err" || fail "fixture decode message"
fi
echo "cli dare: all checks passed"
