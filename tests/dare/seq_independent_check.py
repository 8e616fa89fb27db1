#!/usr/bin/env python3
"""Independent checks of `darekit seq` output, written from RFC 9162 and C2SP signed-note
(no darekit code): inclusion and consistency proofs in the JSON form, and a signed
checkpoint verified with Ed25519 (python3-cryptography).

  seq_independent_check.py inclusion PROOF.json          exit 0 if the path gives the root
  seq_independent_check.py consistency PROOF.json        exit 0 if the proof links both roots
  seq_independent_check.py checkpoint NOTE PUB.jwk ROOT  exit 0 if the note verifies and holds ROOT
"""
import base64
import hashlib
import json
import sys


def H(n):
    return hashlib.sha512 if n == 64 else hashlib.sha256


def node(h, l, r):
    return h(b"\x01" + l + r).digest()


def inclusion(p):
    leaf = bytes.fromhex(p["leaf"])
    h = H(len(leaf))
    fn, sn, r = p["index"], p["tree_size"] - 1, leaf
    if fn > sn:
        return False
    for x in (bytes.fromhex(x) for x in p["path"]):
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(h, x, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(h, r, x)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == bytes.fromhex(p["root"])


def consistency(p):
    m, n = p["old_size"], p["tree_size"]
    old, new = bytes.fromhex(p["old_root"]), bytes.fromhex(p["root"])
    path = [bytes.fromhex(x) for x in p["path"]]
    h = H(len(new))
    if m == n:
        return not path and old == new
    if m == 0 or m > n or not path:
        return False
    if m & (m - 1) == 0:
        path = [old] + path
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(h, c, fr), node(h, c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(h, sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old and sr == new


def checkpoint(note_path, pub_path, root_hex):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    msg = open(note_path, "rb").read()
    split = msg.rfind(b"\n\n")
    text, sigs = msg[: split + 1], msg[split + 2 :].decode().splitlines()
    origin, size, root = text.decode().split("\n")[:3]
    jwk = json.load(open(pub_path))
    pub = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
    key_id = hashlib.sha256(origin.encode() + b"\n\x01" + pub).digest()[:4]
    ok = False
    for line in sigs:
        name, b64 = line[len("\u2014 "):].split(" ")
        raw = base64.b64decode(b64)
        if name == origin and raw[:4] == key_id:
            Ed25519PublicKey.from_public_bytes(pub).verify(raw[4:], text)  # raises if bad
            ok = True
    return ok and base64.b64decode(root).hex() == root_hex


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "checkpoint":
        good = checkpoint(*sys.argv[2:5])
    else:
        p = json.load(open(sys.argv[2]))
        good = inclusion(p) if what == "inclusion" else consistency(p)
    sys.exit(0 if good else 1)
