#!/usr/bin/env bash
# Proves the release artifacts on machines that never saw Swift: two fresh Debian 12 minbase roots
# (debootstrap, cached under /var/tmp), one installs the .deb with apt (Depends resolved from the
# Debian mirror, with the sources debootstrap itself wrote), the other gets the tarball unpacked
# into /usr/local. Each audits bundled TestImages and must give the oracle's verdicts (exit 1 for
# alpine-go-cgo, 0 for scratch-go-static). Then the release image: the release binary audits it
# (must pass) and scripts/oracle.sh starts it with runc (must print the version, exit 0).
# Root only; needs the network for debootstrap and apt. Not part of .ci/run (minutes, network).
# Usage: scripts/release-clean-root-test.sh [DIST_DIR]   (default dist/, from scripts/release.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf -- '** %s\n' "$*" >&2; }
fatal() { printf -- 'release-clean-root-test: %s\n' "$*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || fatal "run as root (debootstrap, chroot)"
dist=$(cd "${1:-dist}" && pwd)
debs=("$dist"/imageaudit_*_amd64.deb) tarballs=("$dist"/imageaudit-*-linux-x86_64.tar.gz)
images=("$dist"/imageaudit-*-image.tar)
deb=${debs[-1]} tarball=${tarballs[-1]} image=${images[-1]}
[[ -f $deb && -f $tarball && -f $image ]] || fatal "no release in $dist: run scripts/release.sh"
(cd "$dist" && sha256sum -c --quiet SHA256SUMS) || fatal "SHA256SUMS does not match $dist"
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=/var/tmp/imageaudit-clean-root
base=$cache/bookworm-minbase
if [[ ! -x $base/usr/bin/apt-get ]]; then
  log "debootstrap bookworm minbase into $base (once)"
  rm -rf "$base.new"
  debootstrap --variant=minbase bookworm "$base.new" "$mirror" >"$cache.log" 2>&1 \
    || fatal "debootstrap failed, see $cache.log"
  mv "$base.new" "$base"
fi

roots=()
mounts=()
cleanup() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
  for root in "${roots[@]}"; do rm -rf "$root"; done
}
trap cleanup EXIT
fresh_root() {  # NAME: sets $root to a copy of the cached minbase with /proc, /dev and DNS
  root=$cache/$1
  rm -rf "$root"; cp -a "$base" "$root"; roots+=("$root")
  mount -t proc proc "$root/proc"; mounts+=("$root/proc")
  mount --bind /dev "$root/dev"; mounts+=("$root/dev")
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  if [[ -e $root/opt/swift ]] || chroot "$root" sh -c 'command -v swift' >/dev/null; then
    fatal "$root has Swift"
  fi
  mkdir -p "$root/images"
  cp TestImages/alpine-go-cgo.tar TestImages/scratch-go-static.tar "$root/images/"
}
audit_in() {  # ROOT BINARY: the two verdicts, as the oracle has them in TestImages/expected.tsv
  local root=$1 bin=$2 status
  grep -q $'^alpine-go-cgo\tfail\tmissing-interpreter' TestImages/expected.tsv
  grep -q $'^scratch-go-static\tpass' TestImages/expected.tsv
  status=0; chroot "$root" "$bin" /images/alpine-go-cgo.tar >"$root/out.txt" 2>&1 || status=$?
  if [[ $status -ne 1 ]] || ! grep -q missing-interpreter "$root/out.txt"; then
    cat "$root/out.txt" >&2; fatal "alpine-go-cgo: exit $status, expected 1 with missing-interpreter"
  fi
  chroot "$root" "$bin" /images/scratch-go-static.tar >"$root/out.txt" 2>&1 \
    || { cat "$root/out.txt" >&2; fatal "scratch-go-static: expected exit 0"; }
  log "$bin in $(basename "$root"): alpine-go-cgo fails (missing-interpreter), scratch-go-static passes"
}

log "root 1: apt-get install ./$(basename "$deb")"
fresh_root deb-root; root1=$root
cp "$deb" "$root1/tmp/"
chroot "$root1" apt-get update -qq
chroot "$root1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "./tmp/$(basename "$deb")" >"$root1/apt.log" 2>&1 || { cat "$root1/apt.log" >&2; fatal "apt-get install failed"; }
grep -o 'libisal2\|imageaudit' "$root1/apt.log" | sort -u | tr '\n' ' ' >&2; echo >&2
chroot "$root1" imageaudit --version
audit_in "$root1" /usr/bin/imageaudit
chroot "$root1" test -s /usr/share/man/man1/imageaudit.1.gz
chroot "$root1" test -s /usr/share/bash-completion/completions/imageaudit

log "root 2: tar -xzf $(basename "$tarball") -C /usr/local --strip-components=1"
fresh_root tar-root; root2=$root
tar -xzf "$tarball" -C "$root2/usr/local" --strip-components=1
(cd "$root2/usr/local" && sha256sum -c --quiet share/doc/imageaudit/SHA256SUMS) || fatal "the tarball's SHA256SUMS does not match"
chroot "$root2" /usr/local/bin/imageaudit --version
audit_in "$root2" /usr/local/bin/imageaudit
log "size and ldd of the binary (in root 2):"
ls -l "$root2/usr/local/bin/imageaudit" >&2
chroot "$root2" ldd /usr/local/bin/imageaudit >&2

log "the image: audited by the release binary (root 2), started by scripts/oracle.sh"
cp "$image" "$root2/images/self.tar"
chroot "$root2" /usr/local/bin/imageaudit /images/self.tar >&2 || fatal "imageaudit does not pass its own image"
version_line=$(chroot "$root2" /usr/local/bin/imageaudit --version)
oracle=$(scripts/oracle.sh --keep "$image" 2>"$cache/oracle.log") || true
echo "$oracle" >&2
kept=$(sed -n 's/^\*\* kept //p' "$cache/oracle.log")
# The oracle's marker line is for the TestImages' programs; here the proof is exit status 0 and
# the version line on the container's stdout (the image's CMD is --version).
[[ $oracle == *"exit status 0"* ]] || fatal "scripts/oracle.sh did not see the image start (see $kept)"
grep -qxF "$version_line" "$kept"/*/stdout || fatal "the container did not print '$version_line' (see $kept)"
log "oracle: the image started and printed '$version_line'"
# `docker run -i --rm IMAGE - < my.tar`: the image's own rootfs (as umoci unpacked it for the
# oracle), the tarball on standard input. /proc as every runtime mounts it: the static Swift
# runtime reads its arguments from /proc/self/cmdline (without /proc, argv is empty).
mkdir -p "$kept/bundle/rootfs/proc"
mount -t proc proc "$kept/bundle/rootfs/proc"; mounts+=("$kept/bundle/rootfs/proc")
status=0
chroot "$kept/bundle/rootfs" /usr/bin/imageaudit - <TestImages/alpine-go-cgo.tar >/dev/null || status=$?
[[ $status -eq 1 ]] || fatal "in the image, '- < alpine-go-cgo.tar' exited $status, expected 1"
chroot "$kept/bundle/rootfs" /usr/bin/imageaudit - <TestImages/scratch-go-static.tar >/dev/null \
  || fatal "in the image, '- < scratch-go-static.tar' did not pass"
log "in the image's rootfs: imageaudit - < TARBALL gives the verdicts"
umount "$kept/bundle/rootfs/proc"
rm -rf "$kept"

debug=${image%-image.tar}-debug-image.tar
cp "$debug" "$root2/images/self-debug.tar"
chroot "$root2" /usr/local/bin/imageaudit /images/self-debug.tar >&2 || fatal "the debug image does not pass"
log "all passed"
