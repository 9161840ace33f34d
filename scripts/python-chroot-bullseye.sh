#!/bin/bash
# Builds (once) a chroot tree with Debian bullseye's python3.9 (glibc 2.31) from .debs fetched
# through a private apt configuration (never the host's sources), and fetches cryptography
# wheels that need a newer glibc (manylinux_2_34) and ones that do not (manylinux_2_28,
# manylinux2014), for the "needs a newer glibc" scenarios of the module differential test.
# libgcc-s1 goes to CACHE/extra (cryptography's Rust module needs libgcc_s.so.1).
# Usage: scripts/python-chroot-bullseye.sh [CACHE]   (default /var/tmp/imageaudit-natives-bullseye)
set -euo pipefail
CACHE=${1:-/var/tmp/imageaudit-natives-bullseye}
ROOT=$CACHE/root
if [[ -f $CACHE/.complete ]]; then echo "$ROOT"; exit 0; fi
# shellcheck source-path=SCRIPTDIR source=lib/private-apt.sh
source "$(dirname "$0")/lib/private-apt.sh"
private_apt_init "$CACHE/apt" bullseye
mkdir -p "$CACHE/debs" "$CACHE/extra"
papt update -qq >/dev/null
(cd "$CACHE/debs" && papt download -qq python3.9-minimal libpython3.9-minimal libc6 zlib1g libexpat1 >/dev/null)
(cd "$CACHE/extra" && papt download -qq libgcc-s1 >/dev/null)
for platform in manylinux_2_34_x86_64 manylinux_2_28_x86_64 manylinux2014_x86_64; do
  # 3.9.2: bullseye's micro version (cryptography excludes 3.9.0, which a bare 3.9 means).
  python3 -m pip download -q --only-binary=:all: --no-deps --platform "$platform" --python-version 3.9.2 \
    --implementation cp -d "$CACHE/wheels/$platform" cryptography==44.0.3 >/dev/null
done
rm -rf "$ROOT"
mkdir -p "$ROOT"
for deb in "$CACHE"/debs/*.deb; do dpkg-deb -x "$deb" "$ROOT"; done
touch "$CACHE/.complete"
echo "$ROOT"
