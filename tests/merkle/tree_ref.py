#!/usr/bin/env python3
"""Independent oracle for `darekit hash --tree`: RFC 9162 MTH over consecutive chunks
(leaf H(0x00||chunk), node H(0x01||l||r), split at the largest power of two below n,
empty input H("")), with Python's hashlib. Prints `HEX  FILE` like sha512sum."""
import hashlib
import sys


def mth(h, leaves):
    if not leaves:
        return h(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return h(b"\x01" + mth(h, leaves[:k]) + mth(h, leaves[k:])).digest()


def main():
    alg, chunk, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    h = {"sha512": hashlib.sha512, "sha256": hashlib.sha256, "sha3-512": hashlib.sha3_512,
         "sha3-256": hashlib.sha3_256}[alg]
    for f in files:
        data = open(f, "rb").read()
        leaves = [h(b"\x00" + data[i:i + chunk]).digest() for i in range(0, len(data), chunk)]
        print(mth(h, leaves).hex() + "  " + f)


main()
