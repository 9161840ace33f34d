#!/bin/bash
# Builds (once) a chroot tree with Debian bookworm's python3.11 and musl 1.2.3 from .debs fetched
# through a private apt configuration (never the host's sources), for the live Python tests.
# Usage: scripts/python-chroot.sh [CACHE]   (default /var/tmp/imageaudit-natives); prints the root.
set -euo pipefail
CACHE=${1:-/var/tmp/imageaudit-natives}
ROOT=$CACHE/root
if [[ -f $CACHE/.complete ]]; then echo "$ROOT"; exit 0; fi
APT=$CACHE/apt
mkdir -p "$APT/state/lists/partial" "$APT/cache/archives/partial" "$CACHE/debs"
: >"$APT/status"
cat >"$APT/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
SRC
papt() {
  apt-get -q -o Dir::Etc::sourcelist="$APT/sources.list" -o Dir::Etc::sourceparts=/nonexistent \
    -o Dir::State="$APT/state" -o Dir::State::status="$APT/status" -o Dir::Cache="$APT/cache" \
    -o APT::Architecture=amd64 -o APT::Architectures::=amd64 -o APT::Sandbox::User=root "$@"
}
papt update -qq >/dev/null
(cd "$CACHE/debs" && papt download -qq python3.11-minimal libpython3.11-minimal libc6 zlib1g libexpat1 musl >/dev/null)
rm -rf "$ROOT"
mkdir -p "$ROOT"
for deb in "$CACHE"/debs/*.deb; do dpkg-deb -x "$deb" "$ROOT"; done
touch "$CACHE/.complete"
echo "$ROOT"
