#!/usr/bin/python3
"""Independent check of `darekit ckx derive` against a from-scratch Python implementation of
darekit's pinned Controller-IKE profile (docs/CKX.md), on random inputs.

Uses only the Python standard library (hmac, hashlib) and python3-cryptography's X25519.
Usage: independent_check.py /path/to/darekit [cases]. Exit 0 pass, 1 mismatch, 4 skipped.
"""
import base64
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
import tempfile

try:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives import serialization
except ImportError:
    print("python3-cryptography not available; skipping")
    sys.exit(4)

RAW = serialization.Encoding.Raw


def prf(h, key, data):
    return hmac.new(key, data, h).digest()


def prf_plus(h, key, seed, n):
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = prf(h, key, t + seed + bytes([i]))
        out += t
        i += 1
    assert i - 1 <= 255
    return out[:n]


KEYLEN = {(20, 128): 16, (20, 256): 32, (28, 256): 32}


def encode_binary(d):
    """The binary DIM v1 layout of docs/CKX.md, written independently."""
    flags = (1 if d["initial"] else 0) | (2 if "lifetime" in d else 0)
    nonce, pid = bytes.fromhex(d["nonce"]), bytes.fromhex(d["peer_id"])
    out = b"CKXD" + bytes([1, flags]) + d["rekey_counter"].to_bytes(8, "big")
    out += bytes([len(nonce)]) + nonce + bytes([len(pid)]) + pid + bytes([len(d["kes"])])
    for k in d["kes"]:
        out += k["group"].to_bytes(2, "big") + (32).to_bytes(2, "big") + bytes.fromhex(k["pub"])
    if "lifetime" in d:
        out += d["lifetime"].to_bytes(4, "big")
    pols = d.get("policies", [])
    out += bytes([len(pols)])
    for p in pols:
        out += bytes([p["proposal"]]) + p["encr"].to_bytes(2, "big") + p["key_bits"].to_bytes(2, "big")
    return out


def expected(local_sk, local, remote, prf_name, mode, spn):
    """The pinned profile, written independently of the C++ code."""
    h = hashlib.sha256 if prf_name == "sha256" else hashlib.sha512
    hl = h().digest_size
    ln, rn = bytes.fromhex(local["nonce"]), bytes.fromhex(remote["nonce"])
    assert len(ln) == len(rn) and ln != rn
    initiator = ln > rn  # big-endian unsigned comparison of equal-length strings
    di, dr = (local, remote) if initiator else (remote, local)
    ni, nr = bytes.fromhex(di["nonce"]), bytes.fromhex(dr["nonce"])
    # policy: first of the responder's list whose transform is in the initiator's list
    default = [{"proposal": 1, "encr": 20, "key_bits": 256}]
    rl, il = dr.get("policies") or default, di.get("policies") or default
    sel = None
    for rp in rl:
        for ip in il:
            if (rp["encr"], rp["key_bits"]) == (ip["encr"], ip["key_bits"]) and (rp["encr"], rp["key_bits"]) in KEYLEN:
                sel = (rp, ip)
                break
        if sel:
            break
    assert sel
    peer = X25519PublicKey.from_public_bytes(bytes.fromhex(remote["kes"][0]["pub"]))
    gir = local_sk.exchange(peer)
    skeyseed = prf(h, ni + nr, gir)
    label = b"SPI generation" + (bytes([sel[1]["proposal"], sel[0]["proposal"]]) if spn else b"")
    raw = prf_plus(h, ni + nr, label, 8)
    rn_i, rn_r = di["rekey_counter"] & 3, dr["rekey_counter"] & 3
    spi_i = (int.from_bytes(raw[:4], "big") & ~0xF) | (rn_r << 2) | rn_i
    spi_r = (int.from_bytes(raw[4:], "big") & ~0xF) | (rn_i << 2) | rn_r
    assert spi_i >= 256 and spi_r >= 256
    kl = KEYLEN[(sel[0]["encr"], sel[0]["key_bits"])]
    per = kl + 4
    seed = ni + nr + spi_i.to_bytes(4, "big") + spi_r.to_bytes(4, "big")
    out = {}
    if mode == "via-skd":
        sk_d = prf_plus(h, skeyseed, seed, hl)
        keymat = prf_plus(h, sk_d, ni + nr, 2 * per)
        out["sk_d"] = sk_d.hex()
    else:
        keymat = prf_plus(h, skeyseed, seed, 2 * per)
    i2r = {"spi": "%08x" % spi_r, "key": keymat[:kl].hex(), "salt": keymat[kl:per].hex()}
    r2i = {"spi": "%08x" % spi_i, "key": keymat[per:per + kl].hex(), "salt": keymat[per + kl:2 * per].hex()}
    for sa in (i2r, r2i):
        sa["encr"] = sel[0]["encr"]
    out.update({
        "role": "initiator" if initiator else "responder",
        "gir": gir.hex(), "ni": ni.hex(), "nr": nr.hex(),
        "skeyseed": skeyseed.hex(), "spi_raw": raw.hex(),
        "spi_i": "%08x" % spi_i, "spi_r": "%08x" % spi_r, "keymat": keymat.hex(),
        "outbound": i2r if initiator else r2i, "inbound": r2i if initiator else i2r,
        "policy": {"proposal": sel[0]["proposal"], "encr": sel[0]["encr"], "key_bits": sel[0]["key_bits"]},
    })
    return out


def main():
    darekit = sys.argv[1]
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    rnd = random.Random(int.from_bytes(os.urandom(8), "big"))
    tmp = tempfile.mkdtemp(prefix="ckx-indep-")
    failures = 0
    transforms = [{"encr": 20, "key_bits": 256}, {"encr": 20, "key_bits": 128}, {"encr": 28, "key_bits": 256}]

    def run(*args):
        return subprocess.run([darekit, "ckx", *args], capture_output=True, text=True)

    for case in range(cases):
        sks = [X25519PrivateKey.generate() for _ in range(2)]
        dims, keyfiles = [], []
        common = rnd.choice(transforms)
        for k, sk in enumerate(sks):
            pols = []
            if rnd.random() < 0.7:
                extra = [t for t in transforms if t != common]
                rnd.shuffle(extra)
                lst = extra[:rnd.randint(0, 2)] + [common]
                rnd.shuffle(lst)
                pols = [{"proposal": n + 1, **t} for n, t in enumerate(lst)]
            elif common != transforms[0]:
                pols = [{"proposal": 3, **common}]
            d = {"version": 1, "peer_id": os.urandom(rnd.randint(1, 16)).hex(), "nonce": os.urandom(32).hex(),
                 "initial": rnd.random() < 0.5, "rekey_counter": rnd.getrandbits(64),
                 "kes": [{"group": 31, "pub": sk.public_key().public_bytes(RAW, serialization.PublicFormat.Raw).hex()}]}
            if rnd.random() < 0.5:
                d["lifetime"] = rnd.randint(0, 2**32 - 1)
            if pols:
                d["policies"] = pols
            dims.append(d)
            path = os.path.join(tmp, "d%d.json" % k)  # the name does not matter: content decides
            if rnd.random() < 0.5:
                with open(path, "wb") as f:
                    f.write(encode_binary(d))
            else:
                with open(path, "w") as f:
                    json.dump(d, f)
            priv = sk.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
            kpath = os.path.join(tmp, "k%d" % k)
            with open(kpath, "w") as f:
                if rnd.random() < 0.5:
                    f.write(priv.hex() + "\n")
                else:
                    pub = sk.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
                    f.write(json.dumps({"kty": "OKP", "crv": "X25519",
                                        "d": base64.urlsafe_b64encode(priv).decode().rstrip("="),
                                        "x": base64.urlsafe_b64encode(pub).decode().rstrip("=")}))
            keyfiles.append(kpath)
        prf_name = rnd.choice(["sha256", "sha512"])
        mode = rnd.choice(["via-skd", "direct"])
        spn = rnd.random() < 0.3
        for me in (0, 1):
            other = 1 - me
            args = ["derive", "--local-key", keyfiles[me], "--local-dim", os.path.join(tmp, "d%d.json" % me),
                    "--remote-dim", os.path.join(tmp, "d%d.json" % other), "--prf", prf_name, "--keymat", mode]
            if spn:
                args.append("--spn")
            r = run(*args)
            if r.returncode != 0:
                print("case %d side %d: darekit failed: %s" % (case, me, r.stderr.strip()))
                failures += 1
                continue
            got = json.loads(r.stdout)
            want = expected(sks[me], dims[me], dims[other], prf_name, mode, spn)
            for key, val in want.items():
                if got.get(key) != val:
                    print("case %d side %d (%s, %s, spn=%s): %s differs\n  darekit: %s\n  python:  %s" %
                          (case, me, prf_name, mode, spn, key, got.get(key), val))
                    failures += 1
            if mode == "direct" and "sk_d" in got:
                print("case %d: sk_d printed in direct mode" % case)
                failures += 1

    # error cases must be clear errors (exit 2, one line on stderr)
    sk = X25519PrivateKey.generate()
    priv = sk.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    pub = sk.public_key().public_bytes(RAW, serialization.PublicFormat.Raw).hex()
    kpath = os.path.join(tmp, "err.key")
    with open(kpath, "w") as f:
        f.write(priv.hex())
    nonce = os.urandom(32).hex()
    local = {"version": 1, "peer_id": "01", "nonce": nonce, "initial": False, "rekey_counter": 1,
             "kes": [{"group": 31, "pub": pub}]}
    bad = {
        "equal nonces": dict(local, peer_id="02"),
        "all-zero peer value": dict(local, nonce=os.urandom(32).hex(), kes=[{"group": 31, "pub": "00" * 32}]),
        "order-8 peer value": dict(local, nonce=os.urandom(32).hex(), kes=[{"group": 31, "pub": "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"}]),
        "no common policy": dict(local, nonce=os.urandom(32).hex(), policies=[{"proposal": 1, "encr": 28, "key_bits": 256}]),
        "short nonce": dict(local, nonce=os.urandom(16).hex()),
        "malformed DIM": None,
    }
    with open(os.path.join(tmp, "local.json"), "w") as f:
        json.dump(dict(local, policies=[{"proposal": 1, "encr": 20, "key_bits": 128}]), f)
    for name, d in bad.items():
        path = os.path.join(tmp, "bad.json")
        with open(path, "w") as f:
            f.write(json.dumps(d) if d else '{"version":1,"nonce":"00"')
        r = run("derive", "--local-key", kpath, "--local-dim", os.path.join(tmp, "local.json"), "--remote-dim", path)
        if r.returncode != 2 or not r.stderr.startswith("darekit: ") or r.stdout:
            print("error case '%s': expected exit 2 with a message, got %d %r" % (name, r.returncode, r.stderr))
            failures += 1
    # `darekit ckx dim` must produce exactly our binary and JSON encodings
    nonce = os.urandom(32).hex()
    for js in (False, True):
        args = ["dim", "--key", kpath, "--nonce", nonce, "--counter", "0x100000007", "--peer-id", "dev-1",
                "--policy", "chacha20-poly1305", "--policy", "aes-gcm-128", "--lifetime", "3600", "--initial"]
        r = subprocess.run([darekit, "ckx", *args] + (["--json"] if js else []), capture_output=True)
        want = {"version": 1, "peer_id": b"dev-1".hex(), "nonce": nonce, "initial": True, "rekey_counter": 0x100000007,
                "kes": [{"group": 31, "pub": pub}], "lifetime": 3600,
                "policies": [{"proposal": 1, "encr": 28, "key_bits": 256}, {"proposal": 2, "encr": 20, "key_bits": 128}]}
        got_ok = r.returncode == 0 and ((json.loads(r.stdout) == want) if js else (r.stdout == encode_binary(want)))
        if not got_ok:
            print("ckx dim (%s) differs from the documented encoding" % ("json" if js else "binary"))
            failures += 1
    print("%d random cases x 2 sides, %d error cases, dim encodings: %s" % (cases, len(bad), "FAIL" if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
