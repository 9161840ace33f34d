#!/usr/bin/env bash
# Builds a release under dist/ from the committed tree (HEAD, or the tag checked out):
#   imageaudit-VERSION-linux-x86_64.tar.gz  binary, libisal, man page, completions, licenses, checksums
#   imageaudit_VERSION_amd64.deb            dpkg-deb; Depends from dpkg-shlibdeps
#   imageaudit-VERSION-image.tar            OCI archive of imageaudit itself (no Docker engine)
#   imageaudit-VERSION-debug-image.tar      the same plus busybox sh (for GitLab CI, Kubernetes Jobs)
#   SHA256SUMS                              of the three
# The binary links the Swift runtime statically and every C library Debian ships a .a for; what stays
# dynamic is glibc, libstdc++, libgcc_s and ISA-L (Debian has no libisal.a: the tarball carries
# libisal.so.2 beside the binary, found through RUNPATH $ORIGIN/../lib; the .deb depends on libisal2).
# Repeatable from a tag (docs/release.md): SOURCE_DATE_EPOCH = commit time, fixed build path,
# stripped binary, sorted archives; the packaging is byte-identical for the same binary, two
# compiles from scratch still differ in 151 bytes of the binary.
# Usage: scripts/release.sh [--stage build|package]   (root or sudo for missing build packages)
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf -- '** %s\n' "$*" >&2; }
repo=$PWD
stage=${2:-all}
[[ "${1:-}" == "--stage" ]] || stage=all

scripts/install-deps.sh
# Static closure of libarchive (pkg-config --static) and libcrypto; dpkg-dev for dpkg-shlibdeps.
release_packages=(rsync patchelf libzstd-dev liblz4-dev libacl1-dev libattr1-dev liblzma-dev libbz2-dev libxml2-dev
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
  # Only files whose bytes changed are replaced (no -t: unchanged files keep their mtime), and
  # .build stays, so a second run recompiles only what changed.
  mkdir -p "$src"
  rsync -rlc --delete --exclude /.build "$src.new/" "$src/"
  rm -rf "$src.new"

  # A directory holding only the .a files: searched before the system directory, so each -lNAME
  # below (and pkg-config's -larchive -lcrypto) resolves to the static archive.
  rm -rf "$libs"; mkdir -p "$libs"
  static=(archive nettle acl attr lzma zstd lz4 bz2 z xml2 icui18n icuuc icudata crypto)
  for name in "${static[@]}"; do
    ln -s "/usr/lib/x86_64-linux-gnu/lib$name.a" "$libs/lib$name.a"
  done
  # SwiftPM reads .pc files itself and passes their -L/usr/lib/x86_64-linux-gnu on, which ld
  # would search before $libs (every -L applies to every -l): the release build reads copies
  # without it.
  pcdir=$build_root/pkgconfig
  rm -rf "$pcdir"; mkdir -p "$pcdir"
  for pc in libarchive libcrypto libisal libzstd; do
    # shellcheck disable=SC2016 # ${libdir} is the .pc file's own variable
    sed 's/^Libs: -L${libdir} /Libs: /' "/usr/lib/x86_64-linux-gnu/pkgconfig/$pc.pc" >"$pcdir/$pc.pc"
    grep -q '^Libs: -l' "$pcdir/$pc.pc" || { log "unexpected $pc.pc: $(grep '^Libs:' "$pcdir/$pc.pc")"; exit 2; }
  done
  export PKG_CONFIG_PATH=$pcdir
  link=(-Xlinker -L"$libs")
  for name in "${static[@]}"; do link+=(-Xlinker -l"$name"); done
  link+=(-Xlinker -lstdc++ -Xlinker -lm -Xlinker -ldl -Xlinker -lpthread)
  link+=(-Xlinker -rpath=\$ORIGIN/../lib -Xlinker --build-id=sha1)
  log "swift build -c release --static-swift-stdlib (slow: the whole package in release mode)"
  (cd "$src" && swift build -c release --static-swift-stdlib --product imageaudit \
    -Xswiftc -file-prefix-map -Xswiftc "$src=." "${link[@]}")
  [[ $stage == all ]] || exit 0
fi

# ---- package: everything below runs on the built binary only (fast; rerun with --stage package) ----
built=$src/.build/release/imageaudit
[[ -x $built ]] || { log "no release binary at $built: run the build stage"; exit 2; }
name=imageaudit-$version-linux-x86_64
stage_dir=$build_root/stage
rm -rf "$stage_dir"; mkdir -p "$stage_dir"
# Clean old artifacts of this version only.
rm -f "$dist/$name.tar.gz" "$dist/imageaudit_${version}_amd64.deb" "$dist/imageaudit-$version-image.tar" \
  "$dist/imageaudit-$version-debug-image.tar" "$dist/SHA256SUMS"

# The files every artifact shares: the stripped binary, ISA-L, man page, completions, licenses.
share=$stage_dir/share
mkdir -p "$stage_dir/bin" "$stage_dir/lib" "$share/man/man1" "$share/bash-completion/completions" \
  "$share/zsh/site-functions" "$share/fish/vendor_completions.d" "$share/doc/imageaudit"
objcopy --strip-all "$built" "$stage_dir/bin/imageaudit"
isal=$(readlink -f /usr/lib/x86_64-linux-gnu/libisal.so.2)
install -m 0644 "$isal" "$stage_dir/lib/libisal.so.2"
bin=$stage_dir/bin/imageaudit
"$bin" --version | grep -qx "commit: $commit" || { log "--version says: $("$bin" --version)"; exit 2; }
"$bin" --generate-completion-script bash >"$share/bash-completion/completions/imageaudit"
"$bin" --generate-completion-script zsh >"$share/zsh/site-functions/_imageaudit"
"$bin" --generate-completion-script fish >"$share/fish/vendor_completions.d/imageaudit.fish"
python3 scripts/lib/manpage.py "$bin" "$version" "$SOURCE_DATE_EPOCH" >"$share/man/man1/imageaudit.1"
gzip -9n <"$share/man/man1/imageaudit.1" >"$share/man/man1/imageaudit.1.gz"; rm "$share/man/man1/imageaudit.1"
man -l "$share/man/man1/imageaudit.1.gz" >/dev/null 2>&1 || log "warning: man could not render the page"
scripts/lib/release-licenses.sh "$src" >"$share/doc/imageaudit/LICENSES"
install -m 0644 README.md "$share/doc/imageaudit/README.md"

# 1. The tarball: unpack with --strip-components=1 into /usr/local (bin/, lib/, share/).
tarball() {  # DIR NAME OUT: reproducible tar.gz of DIR's contents under NAME/
  tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --format=gnu \
    --transform "s,^\.,$2," -C "$1" -c . | gzip -9n >"$3"
}
mkdir -p "$build_root/tar"; rm -rf "${build_root:?}/tar/"*
cp -a "$stage_dir" "$build_root/tar/$name"
# Its checksums in share/doc (not at the top: that would land in /usr/local itself).
sums=$build_root/tar/SHA256SUMS
(cd "$build_root/tar/$name" && find bin lib share -type f | LC_ALL=C sort | xargs sha256sum >"$sums")
mv "$sums" "$build_root/tar/$name/share/doc/imageaudit/SHA256SUMS"
tarball "$build_root/tar/$name" "$name" "$dist/$name.tar.gz"

# 2. The .deb: /usr/bin/imageaudit; ISA-L from Debian's libisal2 (Depends), so no RUNPATH.
deb=$build_root/deb
rm -rf "$deb"; mkdir -p "$deb/root/DEBIAN" "$deb/root/usr/bin" "$deb/root/usr/share/doc/imageaudit"
cp "$bin" "$deb/root/usr/bin/imageaudit"
patchelf --remove-rpath "$deb/root/usr/bin/imageaudit"
cp -a "$share/man" "$share/bash-completion" "$share/zsh" "$share/fish" "$deb/root/usr/share/"
cp "$share/doc/imageaudit/LICENSES" "$deb/root/usr/share/doc/imageaudit/copyright"
mkdir -p "$deb/work/debian"
printf 'Source: imageaudit\n\nPackage: imageaudit\nArchitecture: amd64\n' >"$deb/work/debian/control"
depends=$(cd "$deb/work" && dpkg-shlibdeps -O "$deb/root/usr/bin/imageaudit" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p')
[[ -n $depends ]] || { log "dpkg-shlibdeps gave no Depends"; exit 2; }
size_kb=$(du -k -s --apparent-size "$deb/root/usr" | cut -f1)
cat >"$deb/root/DEBIAN/control" <<CONTROL
Package: imageaudit
Version: $version
Architecture: amd64
Maintainer: imageaudit developers <dev@imageaudit.invalid>
Installed-Size: $size_kb
Depends: $depends
Section: utils
Priority: optional
Homepage: https://github.com/imageaudit/imageaudit
Description: audit container image tarballs: will each image's entrypoint start?
 Reads docker save and OCI archives without a Docker daemon, rebuilds the merged filesystem,
 resolves the entrypoint and models execve and the glibc and musl loaders, then explains
 every failure in the words users see. Built from commit $commit.
CONTROL
find "$deb/root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$deb/root" "$dist/imageaudit_${version}_amd64.deb" >/dev/null

# 3. The image: scratch + the glibc/libstdc++ files the binary loads (from this Debian's packages).
#    And the ":debug" variant with busybox's sh, for CI systems that run job scripts with sh.
scripts/lib/release-image.sh "$stage_dir" "$version" "$dist/imageaudit-$version-image.tar"
scripts/lib/release-image.sh --shell "$stage_dir" "$version" "$dist/imageaudit-$version-debug-image.tar"

artifacts=("$name.tar.gz" "imageaudit_${version}_amd64.deb" "imageaudit-$version-image.tar"
  "imageaudit-$version-debug-image.tar")
(cd "$dist" && sha256sum "${artifacts[@]}" >SHA256SUMS)
log "done:"; (cd "$dist" && ls -l "${artifacts[@]}" && cat SHA256SUMS) >&2
