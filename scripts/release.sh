#!/usr/bin/env bash
# Builds a release under dist/ from the committed tree (HEAD, or the tag checked out):
#   imageaudit-VERSION-linux-x86_64.tar.gz  binary, man page, completions, licenses, SHA256SUMS inside
#   imageaudit_VERSION_amd64.deb            dpkg-deb; Depends from dpkg-shlibdeps
#   imageaudit-VERSION-image.tar            OCI archive of imageaudit itself (no Docker engine)
#   SHA256SUMS                              of the three
# The binary links the Swift runtime statically and every C library Debian ships a .a for; what stays
# dynamic is glibc, libstdc++, libgcc_s and ISA-L (Debian has no libisal.a: the tarball carries
# libisal.so.2 beside the binary, found through RUNPATH $ORIGIN/../lib; the .deb depends on libisal2).
# Reproducible: same commit + same Debian packages + same toolchain give the same bytes
# (SOURCE_DATE_EPOCH = commit time, fixed build path, stripped binary, sorted archives).
# Usage: scripts/release.sh [--stage build|package]   (root or sudo for missing build packages)
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf -- '** %s\n' "$*" >&2; }
repo=$PWD
stage=${2:-all}
[[ "${1:-}" == "--stage" ]] || stage=all

scripts/install-deps.sh
# Static closure of libarchive (pkg-config --static) and libcrypto; dpkg-dev for dpkg-shlibdeps.
release_packages=(libzstd-dev liblz4-dev libacl1-dev libattr1-dev liblzma-dev libbz2-dev libxml2-dev
  libicu-dev nettle-dev dpkg-dev python3 man-db)
missing=()
for package in "${release_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

version=$(sed -n 's/^public let imageAuditVersion = "\(.*\)"$/\1/p' Sources/imageaudit/ImageAuditVersion.swift)
commit=$(git rev-parse --short=12 HEAD)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}
[[ -z "$(git status --porcelain --untracked-files=no)" ]] || log "warning: uncommitted changes are NOT in the release (built from $commit)"
log "imageaudit $version, commit $commit"

# The build path is fixed (not the clone's) so the bytes do not depend on where the clone lives.
build_root=${IMAGEAUDIT_RELEASE_BUILD:-/var/tmp/imageaudit-release}
src=$build_root/src
libs=$build_root/static-libs
dist=$repo/dist
mkdir -p "$build_root" "$dist"

if [[ $stage == all || $stage == build ]]; then
  # The committed tree only, with the commit written into the one generated line.
  rm -rf "$src.new"; mkdir -p "$src.new"
  git archive --format=tar HEAD | tar -x -C "$src.new"
  sed -i "s/^public let imageAuditCommit = \"dev\"\$/public let imageAuditCommit = \"$commit\"/" \
    "$src.new/Sources/imageaudit/ImageAuditVersion.swift"
  grep -q "imageAuditCommit = \"$commit\"" "$src.new/Sources/imageaudit/ImageAuditVersion.swift"
  # Keep the previous build products (.build) so only what changed recompiles.
  mkdir -p "$src"; [[ -d "$src/.build" ]] && mv "$src/.build" "$src.new/.build"
  rm -rf "$src"; mv "$src.new" "$src"

  # A directory holding only the .a files: searched before the system directory, so each -lNAME
  # below (and pkg-config's -larchive -lcrypto) resolves to the static archive.
  rm -rf "$libs"; mkdir -p "$libs"
  static=(archive nettle acl attr lzma zstd lz4 bz2 z xml2 icui18n icuuc icudata crypto)
  for name in "${static[@]}"; do
    ln -s "/usr/lib/x86_64-linux-gnu/lib$name.a" "$libs/lib$name.a"
  done
  link=(-Xlinker -L"$libs")
  for name in "${static[@]}"; do link+=(-Xlinker -l"$name"); done
  link+=(-Xlinker -lstdc++ -Xlinker -lm -Xlinker -ldl -Xlinker -lpthread)
  link+=(-Xlinker -rpath=\$ORIGIN/../lib -Xlinker --build-id=sha1)
  log "swift build -c release --static-swift-stdlib (slow: the whole package in release mode)"
  (cd "$src" && swift build -c release --static-swift-stdlib --product imageaudit \
    -Xswiftc -file-prefix-map -Xswiftc "$src=." "${link[@]}")
fi
