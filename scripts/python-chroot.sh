#!/bin/bash
# Builds (once) a chroot tree with Debian bookworm's python3.11 and musl 1.2.3 from .debs fetched
# through a private apt configuration (never the host's sources), for the live Python tests.
# Also fetches libstdc++6 and libgcc-s1 (into CACHE/extra, not installed: the fix of a test) and
# real wheels from PyPI with pip (CACHE/wheels/PLATFORM), for the module differential test.
# Usage: scripts/python-chroot.sh [CACHE]   (default /var/tmp/imageaudit-natives); prints the root.
set -euo pipefail
CACHE=${1:-/var/tmp/imageaudit-natives}
ROOT=$CACHE/root
# .complete2: the wheel set grew (cryptography, lxml, opencv-python and -headless).
if [[ -f $CACHE/.complete2 ]]; then echo "$ROOT"; exit 0; fi
# shellcheck source-path=SCRIPTDIR source=lib/private-apt.sh
source "$(dirname "$0")/lib/private-apt.sh"
private_apt_init "$CACHE/apt" bookworm
mkdir -p "$CACHE/debs"
papt update -qq >/dev/null
(cd "$CACHE/debs" && papt download -qq python3.11-minimal libpython3.11-minimal libc6 zlib1g libexpat1 musl >/dev/null)
mkdir -p "$CACHE/extra"
(cd "$CACHE/extra" && papt download -qq libstdc++6 libgcc-s1 >/dev/null)
for platform in manylinux2014_x86_64 musllinux_1_2_x86_64; do
  python3 -m pip download -q --only-binary=:all: --no-deps --platform "$platform" --python-version 3.11 \
    --implementation cp -d "$CACHE/wheels/$platform" psycopg2-binary==2.9.10 pillow==11.2.1 numpy==2.2.6 \
    cryptography==44.0.3 lxml==5.4.0 >/dev/null
done
# opencv has no musllinux wheels; the headless build goes with the others, the GUI build (63 MB)
# into a directory of its own (both install cv2/).
python3 -m pip download -q --only-binary=:all: --no-deps --platform manylinux2014_x86_64 --python-version 3.11 \
  --implementation cp -d "$CACHE/wheels/manylinux2014_x86_64" opencv-python-headless==4.11.0.86 >/dev/null
python3 -m pip download -q --only-binary=:all: --no-deps --platform manylinux2014_x86_64 --python-version 3.11 \
  --implementation cp -d "$CACHE/wheels/opencv-gui" opencv-python==4.11.0.86 >/dev/null
rm -rf "$ROOT"
mkdir -p "$ROOT"
for deb in "$CACHE"/debs/*.deb; do dpkg-deb -x "$deb" "$ROOT"; done
touch "$CACHE/.complete2"
echo "$ROOT"
