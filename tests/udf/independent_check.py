#!/usr/bin/python3
"""Independent check of `darekit udf ...` and `darekit key ...`.

Everything here is computed by code that is not darekit's: Python's hashlib and
hmac (SHA-2-512, SHA3-512, HMAC, HKDF written out from RFC 5869), Python integers
for Shamir (primes found here with Miller-Rabin, not taken from darekit's table),
and python3-cryptography for X25519/Ed25519 public keys. Random cases are compared
with the output of the darekit binary given as argv[1].

Exit 0 when every case agrees, 1 on the first disagreement, 4 (CTest skip) when
python3-cryptography is missing.
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
    from cryptography.hazmat.primitives.asymmetric import ed25519, x25519
    from cryptography.hazmat.primitives import serialization
except ImportError:
    print("python3-cryptography not installed; skipping", file=sys.stderr)
    sys.exit(4)

DAREKIT = sys.argv[1]
SEED = int(os.environ.get("UDF_CHECK_SEED", "0")) or random.SystemRandom().randrange(1 << 32)
CASES = int(os.environ.get("UDF_CHECK_CASES", "40"))
rnd = random.Random(SEED)
print(f"seed {SEED}, {CASES} cases per kind")

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def b32(data: bytes, bits: int) -> str:
    """ceil(bits/5) characters, MSB first, zero padded, dash every 4."""
    n = int.from_bytes(data, "big")
    total = len(data) * 8
    chars = (bits + 4) // 5
    out = []
    for i in range(chars):
        v = 0
        for k in range(5):
            bit = i * 5 + k
            v <<= 1
            if bit < total:
                v |= (n >> (total - 1 - bit)) & 1
        out.append(B32[v])
    s = "".join(out)
    return "-".join(s[i:i + 4] for i in range(0, len(s), 4))


def unb32(s: str) -> bytes:
    bits = "".join(format(B32.index(c), "05b") for c in s.upper() if c != "-")
    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits) - len(bits) % 8, 8))


def level(d: bytes) -> int:
    t = 0
    for b in reversed(d):
        if b == 0:
            t += 8
            continue
        while not b & 1:
            b >>= 1
            t += 1
        break
    return 4 if t >= 50 else 3 if t >= 40 else 2 if t >= 30 else 1 if t >= 20 else 0


def content_udf(data: bytes, ct: str, sha3: bool, bits: int) -> str:
    h = hashlib.sha3_512 if sha3 else hashlib.sha512
    tcdv = h(ct.encode() + b":" + h(data).digest()).digest()
    return b32(bytes([(0x50 if sha3 else 0x60) + level(tcdv)]) + tcdv, bits)


def hkdf(salt: bytes, ikm: bytes, info: bytes, n: int) -> bytes:
    prk = hmac.new(salt or bytes(64), ikm, hashlib.sha512).digest()
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha512).digest()
        out += t
        i += 1
    return out[:n]


def mac_udf(key: str, data: bytes, ct: str, bits: int) -> str:
    prk = hmac.new(b"KeyedUDFMaster", key.encode(), hashlib.sha512).digest()
    okm = hmac.new(prk, b"KeyedUDFExpand" + b"\x01", hashlib.sha512).digest()
    av = hmac.new(okm, ct.encode() + b":" + hashlib.sha512(data).digest(), hashlib.sha512).digest()
    return b32(b"\x00" + av, bits)


def is_prime(n: int) -> bool:
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41):
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


PRIMES = {}


def prime(nbytes: int) -> int:
    if nbytes not in PRIMES:
        p = (1 << (8 * nbytes)) + 1
        while not is_prime(p):
            p += 2
        PRIMES[nbytes] = p
    return PRIMES[nbytes]


def run(*args, stdin=None, ok=(0,)):
    r = subprocess.run([DAREKIT, *args], input=stdin, capture_output=True)
    if r.returncode not in ok:
        fail(f"darekit {' '.join(args)} exited {r.returncode}: {r.stderr.decode(errors='replace')}")
    return r


def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)


def expect(what, got, want):
    if got != want:
        fail(f"{what}: darekit gave {got!r}, independent code gave {want!r}")


def rand_ct():
    pool = ["text/plain", "application/pdf", "application/octet-stream", "image/png", "PKIXKey",
            "text/plain; charset=utf-8", "appl\u00e9cation/x-\u4e2d\u6587", ""]
    if rnd.random() < 0.5:
        return rnd.choice(pool)
    return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz/-+.") for _ in range(rnd.randrange(1, 30)))


tmp = tempfile.mkdtemp(prefix="udf-check-")
count = {"digest": 0, "verify": 0, "mac": 0, "parse": 0, "recover": 0, "split": 0, "seed": 0, "keyid": 0}

# 1. content digests (SHA-2 and SHA-3), random data, content types and precisions
for i in range(CASES):
    data = os.urandom(rnd.choice([0, 1, 63, 64, 127, 128, 1000, rnd.randrange(0, 300000)]))
    ct = rand_ct()
    sha3 = rnd.random() < 0.5
    bits = rnd.randrange(96, 521)
    path = os.path.join(tmp, f"d{i}")
    with open(path, "wb") as f:
        f.write(data)
    args = ["udf", "digest", "--content-type", ct, "--bits", str(bits)] + (["--sha3"] if sha3 else [])
    want = content_udf(data, ct, sha3, bits)
    expect(f"udf digest {args}", run(*args, path).stdout.decode().strip(), want)
    expect("udf digest (stdin)", run(*args, "-", stdin=data).stdout.decode().strip(), want)
    count["digest"] += 2
    # verify: match -> 0, flipped data -> 1
    run("udf", "verify", want, "--content-type", ct, path, ok=(0,))
    if data:
        bad = bytearray(data)
        bad[rnd.randrange(len(bad))] ^= 1 << rnd.randrange(8)
        with open(path, "wb") as f:
            f.write(bad)
        run("udf", "verify", want, "--content-type", ct, path, ok=(1,))
    count["verify"] += 1
    # parse: first line is the binary value in hex
    expect("udf parse", run("udf", "parse", want).stdout.decode().splitlines()[0], unb32(want).hex())
    count["parse"] += 1

# 2. authenticators
for i in range(CASES):
    data = os.urandom(rnd.randrange(0, 5000))
    key = b32(b"\x68" + os.urandom(16), 140) if rnd.random() < 0.7 else "k" + os.urandom(8).hex()
    ct = rand_ct()
    bits = rnd.randrange(96, 521)
    path = os.path.join(tmp, f"m{i}")
    with open(path, "wb") as f:
        f.write(data)
    kpath = os.path.join(tmp, f"k{i}")
    with open(kpath, "w") as f:
        f.write(key + ("\n" if i % 2 else ""))  # one trailing newline is not part of the key
    got = run("udf", "mac", "--key-file", kpath, "--content-type", ct, "--bits", str(bits), path).stdout.decode().strip()
    expect("udf mac", got, mac_udf(key, data, ct, bits))
    got = run("udf", "mac", "--key-file", "-", "--content-type", ct, "--bits", str(bits), path,
              stdin=key.encode()).stdout.decode().strip()
    expect("udf mac (key on stdin)", got, mac_udf(key, data, ct, bits))
    run("udf", "verify", got, "--content-type", ct, "--key-file", kpath, path, ok=(0,))
    count["mac"] += 2

# 3. Shamir: our shares recovered by darekit, darekit's shares recovered here
for i in range(CASES):
    nbytes = rnd.choice([1, 2, 15, 16, 17, 31, 32, 33, 48, 63, 64, rnd.randrange(1, 65)])
    n = rnd.randrange(1, 16)
    k = rnd.randrange(1, n + 1)
    p = prime(nbytes)
    secret = os.urandom(nbytes)
    s = int.from_bytes(secret, "big")
    while True:
        coeffs = [s] + [rnd.randrange(p) for _ in range(k - 1)]
        ys = [sum(c * pow(x, j, p) for j, c in enumerate(coeffs)) % p for x in range(1, n + 1)]
        if all(y < (1 << (8 * nbytes)) for y in ys):
            break
    shares = [b32(bytes([0x90, (k << 4) | (x - 1)]) + ys[x - 1].to_bytes(nbytes, "big"), 8 * (nbytes + 2))
              for x in range(1, n + 1)]
    pick = rnd.sample(shares, rnd.randrange(k, n + 1))
    want = b32(b"\x20" + secret, 8 * (nbytes + 1))
    spath = os.path.join(tmp, f"s{i}")
    with open(spath, "w") as f:
        f.write("\n".join(pick) + "\n" + ("\n" if i % 2 else ""))  # blank lines are ignored
    expect("udf recover", run("udf", "recover", spath).stdout.decode().strip(), want)
    expect("udf recover (stdin)", run("udf", "recover", stdin=("\r\n".join(pick)).encode()).stdout.decode().strip(), want)
    count["recover"] += 1
    # darekit splits, Lagrange interpolation here
    out = run("udf", "split", "--threshold", str(k), "--shares", str(n), "-", stdin=(want + "\n").encode()).stdout.decode().split()
    if len(out) != n:
        fail(f"udf split printed {len(out)} shares, wanted {n}")
    pts = []
    for sh in out:
        raw = unb32(sh)
        if raw[0] != 0x90 or raw[1] >> 4 != k or len(raw) != nbytes + 2:
            fail(f"bad share layout {sh}")
        pts.append(((raw[1] & 15) + 1, int.from_bytes(raw[2:], "big")))
    xs = [x for x, _ in pts]
    if sorted(xs) != list(range(1, n + 1)):
        fail(f"share indices {xs}")
    sub = rnd.sample(pts, k)
    acc = 0
    for xi, yi in sub:
        num = den = 1
        for xj, _ in sub:
            if xj != xi:
                num = num * (-xj) % p
                den = den * (xi - xj) % p
        acc = (acc + yi * num * pow(den, -1, p)) % p
    expect("split then Lagrange", acc.to_bytes(nbytes, "big").hex(), secret.hex())
    count["split"] += 1


# 4. seed-derived keys: key pub (JWK x) and key id (2024 reference DER, "PKIXKey")
def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


for i in range(CASES):
    alg = rnd.choice([1, 3])
    if rnd.random() < 0.3:
        seed_udf = run("key", "gen", "--alg", "x25519" if alg == 1 else "ed25519").stdout.decode().strip()
        raw = unb32(seed_udf)
        if raw[0] != 0xC8 or int.from_bytes(raw[1:3], "big") != alg:
            fail(f"key gen produced {seed_udf}")
        bds = raw[1:]
    else:
        bds = alg.to_bytes(2, "big") + os.urandom(rnd.randrange(1, 65))
        seed_udf = b32(b"\xc8" + bds, 8 * (len(bds) + 1))
    okm = hkdf(b"", bds, bds[:2], 32)
    if alg == 1:
        pub = x25519.X25519PrivateKey.from_private_bytes(okm).public_key()
        crv = "X25519"
    else:
        pub = ed25519.Ed25519PrivateKey.from_private_bytes(okm).public_key()
        crv = "Ed25519"
    pk = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    path = os.path.join(tmp, f"k{i}")
    with open(path, "w") as f:
        f.write(seed_udf + "\n")
    jwk = json.loads(run("key", "pub", path).stdout)
    expect("key pub", (jwk.get("kty"), jwk.get("crv"), jwk.get("x")), ("OKP", crv, b64u(pk)))
    # the same key as an RFC 8037 JWK and as the reference PrivateKeyECDH form
    with open(path, "w") as f:
        json.dump({"kty": "OKP", "crv": crv, "d": b64u(okm)}, f)
    expect("key pub (JWK file)", json.loads(run("key", "pub", path).stdout).get("x"), b64u(pk))
    with open(path, "w") as f:
        json.dump({"PrivateKeyECDH": {"crv": crv, "Private": b64u(okm)}}, f)
    expect("key pub (PrivateKeyECDH file)", json.loads(run("key", "pub", path).stdout).get("x"), b64u(pk))
    count["seed"] += 3
    der = bytes.fromhex("302c300506032b65700323000420") + pk
    expect("key id", run("key", "id", path).stdout.decode().strip(), content_udf(der, "PKIXKey", False, 140))
    oid = b"\x6e" if alg == 1 else b"\x70"
    der8410 = bytes.fromhex("302a300506032b65") + oid + bytes.fromhex("032100") + pk
    expect("key id rfc8410", run("key", "id", "--form", "rfc8410", path).stdout.decode().strip(),
           content_udf(der8410, "PKIXKey", False, 140))
    count["keyid"] += 2

print("all agree:", ", ".join(f"{k} {v}" for k, v in count.items()))
