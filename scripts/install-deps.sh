#!/usr/bin/env bash
# Installs darekit's build and test dependencies from Debian/Ubuntu packages.
# Runs apt-get only for what is missing; uses sudo when not root.
set -euo pipefail
pkgs=(cmake ninja-build g++ clang pkg-config libsodium-dev libsimdjson-dev libcli11-dev catch2 libbenchmark-dev libssl-dev
      coreutils openssl python3 python3-cryptography valgrind)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
