#!/usr/bin/env bash
# CLI contract of `darekit seq` (DESIGN.md §4, the ★ lines): create, append (DATA, --lines,
# --chunk, stdin), get, list --json, verify (0/1, erased listed), prove (JSON, --c2sp),
# check-proof, checkpoint, check-checkpoint, erase, recover; proofs and checkpoints also
# checked by an independent Python verifier; reference files verify in compat mode.
set -u
D="$1"; HERE="$2"; FIX="${3:-}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
py() { python3 "$HERE/seq_independent_check.py" "$@"; }
cd "$T"
"$D" key gen --alg x25519 > bob.key && "$D" key pub bob.key > bob.pub || fail "key gen"
"$D" key gen --alg x25519 > eve.key || fail "key gen"
"$D" key gen --alg ed25519 > log.key && "$D" key pub log.key > log.pub || fail "key gen"
"$D" key gen --alg ed25519 > other.key && "$D" key pub other.key > other.pub || fail "key gen"

# create: encrypted linked Merkle (defaults), never overwriting
"$D" seq create --encrypt-to bob.pub audit.dseq || fail "create"
"$D" seq create audit.dseq 2>/dev/null; [ $? -eq 2 ] || fail "create over an existing file"
# append: DATA, --lines, --chunk, whole stdin
"$D" seq append audit.dseq "first" "second" || fail "append DATA"
printf 'alpha\nbeta\ngamma' | "$D" seq append audit.dseq --lines - || fail "append --lines"
head -c 10000 /dev/urandom > blob
"$D" seq append audit.dseq --chunk 4096 - < blob || fail "append --chunk"
"$D" seq append --sync frame audit.dseq - < blob || fail "append stdin"
# frames: 0 header, 1 first, 2 second, 3 alpha, 4 beta, 5 gamma, 6-8 chunks, 9 blob
[ "$("$D" seq get --key bob.key audit.dseq 1)" = first ] || fail "get 1"
[ "$("$D" seq get --key bob.key audit.dseq 5)" = gamma ] || fail "get last line without newline"
{ "$D" seq get --key bob.key audit.dseq 6; "$D" seq get --key bob.key audit.dseq 7; "$D" seq get --key bob.key audit.dseq 8; } | cmp -s - blob || fail "chunks"
"$D" seq get --key bob.key audit.dseq 9 | cmp -s - blob || fail "stdin frame"
"$D" seq get --key eve.key audit.dseq 1 > /dev/null 2>&1; [ $? -eq 2 ] || fail "get with a wrong key"
"$D" seq get --key bob.key audit.dseq 99 > /dev/null 2>&1; [ $? -eq 2 ] || fail "get past the end"
# list --json: one object per frame with index, offset, payload_length and digests
"$D" seq list --json audit.dseq > list.json || fail "list"
python3 - list.json <<'EOF' || fail "list --json fields"
import json, sys
a = json.load(open(sys.argv[1]))
assert len(a) == 10, len(a)
for i, f in enumerate(a):
    assert f["index"] == i and isinstance(f["offset"], int) and isinstance(f["payload_length"], int)
    assert len(bytes.fromhex(f["payload_digest"])) == 64 and len(bytes.fromhex(f["apex_digest"])) == 64
    assert "erased" not in f
assert a[0]["offset"] == 0 and all(a[i]["offset"] < a[i + 1]["offset"] for i in range(9))
EOF
# verify: 0, with --key too
"$D" seq verify audit.dseq > v.txt || fail "verify"
grep -q "verified 10 frames" v.txt || fail "verify output"
"$D" seq verify --key bob.key audit.dseq > /dev/null || fail "verify --key"
# prove: JSON fields, checked by the independent verifier and by check-proof
"$D" seq prove audit.dseq 4 > p4.json || fail "prove"
python3 -c 'import json,sys; p=json.load(open("p4.json")); assert sorted(p)==["index","leaf","path","root","tree_size"] and p["index"]==4 and p["tree_size"]==10' || fail "proof fields"
py inclusion p4.json || fail "independent inclusion check"
"$D" seq prove audit.dseq 4 --size 6 > p4_6.json && py inclusion p4_6.json || fail "prove --size"
"$D" seq prove audit.dseq --consistency 3 > c3.json || fail "prove --consistency"
python3 -c 'import json; p=json.load(open("c3.json")); assert sorted(p)==["old_root","old_size","path","root","tree_size"] and p["old_size"]==3' || fail "consistency fields"
py consistency c3.json || fail "independent consistency check"
root=$(python3 -c 'import json; print(json.load(open("p4.json"))["root"])')
"$D" seq check-proof p4.json --root "$root" || fail "check-proof --root"
bad_root=$(python3 -c 'import json; r=json.load(open("p4.json"))["root"]; print(("0" if r[0]!="0" else "1")+r[1:])')
"$D" seq check-proof p4.json --root "$bad_root" 2>/dev/null; [ $? -eq 1 ] || fail "check-proof wrong root"
python3 -c 'import json; p=json.load(open("p4.json")); p["index"]=5; json.dump(p,open("p5bad.json","w"))'
"$D" seq check-proof p5bad.json --root "$root" 2>/dev/null; [ $? -eq 1 ] || fail "check-proof moved index"
# checkpoint: a C2SP signed note; check-checkpoint with and without the sequence
"$D" seq checkpoint audit.dseq --sign log.key > cp10 || fail "checkpoint"
[ "$(sed -n 2p cp10)" = 10 ] || fail "checkpoint size line"
py checkpoint cp10 log.pub "$root" || fail "independent checkpoint check"
"$D" seq check-checkpoint cp10 --pub log.pub > /dev/null || fail "check-checkpoint"
"$D" seq check-checkpoint cp10 --pub log.pub audit.dseq > /dev/null || fail "check-checkpoint FILE"
"$D" seq check-checkpoint cp10 --pub other.pub 2>/dev/null; [ $? -eq 1 ] || fail "check-checkpoint wrong key"
"$D" seq check-proof p4.json --checkpoint cp10 --pub log.pub || fail "check-proof --checkpoint"
"$D" seq check-proof p4.json --checkpoint cp10 --pub other.pub 2>/dev/null; [ $? -eq 1 ] || fail "check-proof checkpoint wrong key"
"$D" seq checkpoint audit.dseq --sign log.key --size 6 > cp6 || fail "checkpoint --size"
"$D" seq check-proof p4.json --checkpoint cp6 --pub log.pub 2>/dev/null; [ $? -eq 1 ] || fail "check-proof checkpoint of another size"
"$D" seq create --encrypt-to bob.pub other.dseq && "$D" seq append other.dseq x || fail "second sequence"
"$D" seq check-checkpoint cp10 --pub log.pub other.dseq 2>/dev/null; [ $? -eq 1 ] || fail "checkpoint of another sequence"
# C2SP files
"$D" seq prove audit.dseq 4 --c2sp --sign log.key > p4.tlog || fail "prove --c2sp"
head -1 p4.tlog | grep -qx 'c2sp.org/tlog-proof@v1' || fail "tlog-proof header"
"$D" seq check-proof p4.tlog --pub log.pub || fail "check-proof c2sp"
"$D" seq check-proof p4.tlog --pub other.pub 2>/dev/null; [ $? -eq 1 ] || fail "check-proof c2sp wrong key"
"$D" seq prove audit.dseq --consistency 6 --c2sp --checkpoint cp10 > c6.tlog || fail "prove --consistency --c2sp"
old6=$(python3 -c 'import json; print(json.load(open("p4_6.json"))["root"])')
"$D" seq check-proof c6.tlog --pub log.pub --old-root "$old6" || fail "check-proof c2sp consistency"
"$D" seq check-proof c6.tlog --pub log.pub --old-root "$root" 2>/dev/null; [ $? -eq 1 ] || fail "c2sp consistency wrong old root"
# erase: frame 2 gone for everyone, verify passes and lists it, old proofs still check
"$D" seq erase audit.dseq 2 || fail "erase"
"$D" seq get --key bob.key audit.dseq 2 > /dev/null 2>&1; [ $? -eq 1 ] || fail "get erased frame"
[ "$("$D" seq get --key bob.key audit.dseq 3)" = alpha ] || fail "neighbour after erase"
"$D" seq verify --key bob.key audit.dseq > v2.txt || fail "verify after erase"
grep -qx "erased 2" v2.txt || fail "verify lists the erased frame"
"$D" seq list --json audit.dseq | python3 -c 'import json,sys; a=json.load(sys.stdin); assert a[2]["erased"] is True and "erased" not in a[3]' || fail "list marks erased"
"$D" seq check-proof p4.json --checkpoint cp10 --pub log.pub || fail "proof issued before the erasure"
"$D" seq prove audit.dseq 4 | cmp -s - p4.json || fail "proof unchanged by the erasure"
# tamper: one flipped byte in a payload is caught (exit 1)
cp audit.dseq t.dseq
off=$(python3 -c 'import json; a=json.load(open("list.json")); print(a[4]["offset"] + 40)')
printf '\x01' | dd of=t.dseq bs=1 seek="$off" conv=notrunc status=none
"$D" seq verify t.dseq > /dev/null 2>&1; [ $? -eq 1 ] || fail "tampered verify"
# recover: a torn tail is reported by verify, truncated by recover, appendable after
cp audit.dseq torn.dseq
size=$(stat -c %s torn.dseq); truncate -s $((size - 3)) torn.dseq
"$D" seq verify torn.dseq > /dev/null 2>&1; [ $? -eq 1 ] || fail "torn verify"
"$D" seq append torn.dseq late 2>/dev/null; [ $? -eq 2 ] || fail "append to a torn file"
[ "$("$D" seq recover torn.dseq 2>/dev/null)" = 9 ] || fail "recover count"
"$D" seq append torn.dseq late && [ "$("$D" seq get --key bob.key torn.dseq 9)" = late ] || fail "append after recover"
"$D" seq verify torn.dseq > /dev/null || fail "verify after recover"
[ "$("$D" seq recover audit.dseq)" = 10 ] || fail "recover of a whole file"
# other types and modes
for t in list digest chain tree merkle; do
  "$D" seq create --type $t --dig S256 s_$t.dseq && "$D" seq append s_$t.dseq a b c || fail "create/append $t"
  "$D" seq verify s_$t.dseq > /dev/null || fail "verify $t"
  "$D" seq create --type $t --compat c_$t.dseq && "$D" seq append c_$t.dseq a b c || fail "compat $t"
  "$D" seq verify c_$t.dseq > /dev/null || fail "verify compat $t"
  [ "$("$D" seq get c_$t.dseq 2)" = b ] || fail "get compat $t"
done
"$D" seq prove c_merkle.dseq 1 > /dev/null 2>&1; [ $? -eq 2 ] || fail "prove needs a linked Merkle sequence"
"$D" seq prove s_merkle.dseq 2 > s2.json && py inclusion s2.json || fail "S256 proof"
# the reference files: list and verify in compat mode, payloads out
if [ -n "$FIX" ] && [ -f "$FIX/Web_Sequence.dcon" ]; then
  for f in "$FIX"/*.dcon; do
    "$D" seq verify "$f" > /dev/null || fail "verify $(basename "$f")"
    "$D" seq list --json "$f" > /dev/null || fail "list $(basename "$f")"
  done
  [ "$("$D" seq get "$FIX/Web_Sequence.dcon" 2)" = "This is a test 2" ] || fail "reference payload"
fi
# usage errors: exit 2
"$D" seq prove audit.dseq 2>/dev/null; [ $? -eq 2 ] || fail "prove without INDEX"
"$D" seq get audit.dseq 2>/dev/null; [ $? -eq 2 ] || fail "get without INDEX"
"$D" seq verify --to x audit.dseq 2>/dev/null; [ $? -eq 2 ] || fail "unknown option"
echo "cli seq: all checks passed"
