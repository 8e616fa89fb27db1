#!/usr/bin/env bash
# Build the darekit tool (release preset) and run it on a built-in demo. First the main
# job, an encrypted, Merkle-proven audit log (a DARE sequence): created, fed log lines,
# verified, a frame and a consistency proven, a checkpoint signed and a proof checked with
# nothing but the proof, the checkpoint and the public key, a frame erased, the file torn
# and recovered. Then keys, UDF fingerprints, file-tree hashing, a DARE envelope, Shamir
# secret sharing and the controller-IKE mesh simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target darekit_cli
dk="$PWD/build/release/bin/darekit"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
step() { printf '\n== %s\n' "$*"; }

step "darekit $("$dk" --version | cut -d' ' -f2), working in $work"
printf 'Meeting at noon. Bring the audit log.\n' > message.txt
head -c 20000000 /dev/urandom > big.bin

step "keys: Alice signs (Ed25519), Bob receives (X25519); seeds are UDFs"
"$dk" key gen --alg ed25519 > alice.key && "$dk" key pub alice.key > alice.pub
"$dk" key gen --alg x25519 > bob.key && "$dk" key pub bob.key > bob.pub
echo "alice.pub: $(cat alice.pub)"
echo "bob.pub:   $(cat bob.pub)"
echo "bob's key id (UDF of his public key): $("$dk" key id bob.key)"

step "an encrypted audit log: a linked Merkle DARE sequence to Bob (XChaCha20-Poly1305, Session policy)"
"$dk" seq create --encrypt-to bob.pub --name example.com/audit audit.dseq
for i in $(seq 1 12); do echo "$(date -u +%FT%TZ) app[$$]: request $i served"; done > app.log
cat app.log | "$dk" seq append audit.dseq --lines -      # as `tail -f app.log | ...` would, live
"$dk" seq append audit.dseq "user 42 asked for erasure of request 5"
"$dk" seq list audit.dseq | head -4; echo "... ($("$dk" seq list --json audit.dseq | grep -o '"index"' | wc -l) frames)"
"$dk" seq verify --key bob.key audit.dseq
echo "frame 5, decrypted with Bob's key: $("$dk" seq get --key bob.key audit.dseq 5)"

step "proofs: frame 5 is in the log; the first 8 frames are a prefix of today's log"
"$dk" seq prove audit.dseq 5 > frame5.proof.json
"$dk" seq prove audit.dseq --consistency 8 > consistency.json
head -c 300 frame5.proof.json; echo " ..."
echo "proof size: $(wc -c < frame5.proof.json) bytes of JSON for one frame of $("$dk" seq list --json audit.dseq | grep -o '"index"' | wc -l)"

step "a signed C2SP checkpoint (Alice is the log), and the proof checked with nothing else"
"$dk" seq checkpoint audit.dseq --sign alice.key > audit.checkpoint
cat audit.checkpoint
mkdir auditor && cp frame5.proof.json consistency.json audit.checkpoint alice.pub auditor/
( cd auditor && "$dk" seq check-proof frame5.proof.json --checkpoint audit.checkpoint --pub alice.pub \
    && echo "auditor: frame 5 is in the checkpointed log" )
"$dk" seq check-checkpoint audit.checkpoint --pub alice.pub audit.dseq && echo "the checkpoint matches audit.dseq"
"$dk" seq prove audit.dseq 5 --c2sp --checkpoint audit.checkpoint > frame5.tlog-proof
"$dk" seq check-proof frame5.tlog-proof --pub alice.pub && echo "C2SP tlog-proof@v1 file verified too"

step "erasure (GDPR): frame 5 becomes undecryptable for everyone; every proof still holds"
"$dk" seq erase audit.dseq 5
set +e; "$dk" seq get --key bob.key audit.dseq 5; echo "get of frame 5 exited $?"; set -e
"$dk" seq verify --key bob.key audit.dseq
( cd auditor && "$dk" seq check-proof frame5.proof.json --checkpoint audit.checkpoint --pub alice.pub \
    && echo "auditor: the proof issued before the erasure still verifies" )

step "crash safety: tear the last frame mid-write, detect it, recover, append again"
cp audit.dseq torn.dseq
truncate -s $(( $(stat -c %s torn.dseq) - 20 )) torn.dseq
set +e; "$dk" seq verify torn.dseq; echo "verify of the torn file exited $?"; set -e
echo "whole frames after recover: $("$dk" seq recover torn.dseq)"
"$dk" seq append torn.dseq "appended after recovery" && "$dk" seq verify torn.dseq

step "UDF content fingerprint of message.txt (text/plain, SHA-2-512 and SHA-3-512)"
"$dk" udf digest --content-type text/plain message.txt
"$dk" udf digest --sha3 --content-type text/plain message.txt
"$dk" udf verify "$("$dk" udf digest --content-type text/plain message.txt)" --content-type text/plain message.txt \
  && echo "udf verify: match"
"$dk" udf nonce > mac.key
echo "authenticator under the key in mac.key: $("$dk" udf mac --key-file mac.key --content-type text/plain message.txt)"

step "hashing 20 MB: sha512sum-compatible, and the RFC 9162 Merkle tree over 4 KiB chunks"
"$dk" hash big.bin
"$dk" hash --tree big.bin

step "DARE envelope: encrypt to Bob (XChaCha20-Poly1305), signed by Alice"
"$dk" dare encode --to bob.pub --sign alice.key message.txt message.dare
"$dk" dare show message.dare | head -c 400; echo " ..."
"$dk" dare verify --signer alice.pub message.dare
"$dk" dare decode --key bob.key message.dare decoded.txt
cmp message.txt decoded.txt && echo "decoded payload matches: $(cat decoded.txt)"

step "tamper: flip one byte of the envelope's header (authenticated with the payload), decode must fail"
cp message.dare tampered.dare
printf '\x01' | dd of=tampered.dare bs=1 seek=100 conv=notrunc status=none
set +e; "$dk" dare decode --key bob.key --signer alice.pub tampered.dare out.txt; rc=$?; set -e
echo "decode of tampered envelope exited $rc; output written: $([ -e out.txt ] && echo yes || echo no)"

step "Shamir: split a key into 3 shares (any 2 recover it)"
secret=$("$dk" udf key)
echo "secret: $secret"
# secrets and shares never go on the command line: files or stdin
umask 077
printf '%s\n' "$secret" > secret.udf
"$dk" udf split --threshold 2 --shares 3 secret.udf > shares.txt
mapfile -t shares < shares.txt
printf 'share:  %s\n' "${shares[@]}"
echo "recovered from shares 1 and 3: $(printf '%s\n' "${shares[0]}" "${shares[2]}" | "$dk" udf recover -)"

step "controller-IKE: 100-node mesh, 3 rekey rounds, 1% message loss"
"$dk" ckx sim --nodes 100 --rounds 3 --loss 0.01 --seed 7
echo
step "demo finished"
