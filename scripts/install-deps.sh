#!/usr/bin/env bash
# Installs the Debian packages imageaudit needs to build and test, only those missing.
# Usage: scripts/install-deps.sh [--test]   (--test adds what the test suite uses)
set -euo pipefail
log() { printf -- '** %s\n' "$*" >&2; }

packages=(pkg-config libarchive-dev libssl-dev zlib1g-dev)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(binutils zstd gzip xz-utils)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
