#!/usr/bin/env bash
# Builds TestImages/*.tar from real files: Debian packages (fetched with `apt-get download`
# through private apt configurations, unpacked with `dpkg-deb -x`) and programs compiled here
# (gcc, musl-gcc, -static, Go with and without cgo). The images themselves are assembled by
# scripts/lib/testimages.py (the definitions, by family, in scripts/lib/images_*.py) with
# scripts/lib/imagewriter.py (a deterministic docker-save / kaniko / OCI-archive writer).
#
# Usage: scripts/make-test-images.sh [--keep-work]
#   Re-running with the same packages and compilers gives byte-identical tarballs (no git diff).
#   Work files go to TestImages/.work/ (git-ignored; removed at the end unless --keep-work,
#   except the downloaded .deb cache).
#   Afterwards run scripts/check-oracle.sh (as root) to compare the oracle with expected.tsv.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
OUT=$ROOT/TestImages
WORK=$OUT/.work
SRC=$OUT/src
KEEP_WORK=0
[[ "${1:-}" == "--keep-work" ]] && KEEP_WORK=1

log() { printf -- '** %s\n' "$*" >&2; }
fatal() { printf -- 'make-test-images: %s\n' "$*" >&2; exit 1; }
cleanup() {
  local rc=$?
  if ((KEEP_WORK == 0)); then
    rm -rf "${WORK:?}/pkgs" "${WORK:?}/bin" "${WORK:?}/build" "${WORK:?}/gocache"
  fi
  ((rc == 0)) || log "failed (exit $rc); work files in $WORK"
}
trap cleanup EXIT

# The packages the images are made of: suite, architecture, package, version. Versions are
# pinned so that a re-run uses the same bytes; when the mirror no longer serves a version the
# newest one is taken with a warning (the tarballs then change: commit them with a re-run of
# scripts/check-oracle.sh --update).
PACKAGES=(
  "bookworm amd64 libc6 2.36-9+deb12u14"
  "bookworm amd64 musl 1.2.3-1"
  "bookworm amd64 busybox-static 1:1.35.0-4+deb12u1+b1"
  "bookworm amd64 dash 0.5.12-2"
  "bookworm amd64 coreutils 9.1-1"
  "bookworm amd64 tini 0.19.0-1+b3"
  "bullseye amd64 libc6 2.31-13+deb11u11"
  "bookworm arm64 busybox-static 1:1.35.0-4+deb12u1+b1"
  "bookworm amd64 python3.11-minimal 3.11.2-6+deb12u9"
  "bookworm amd64 libpython3.11-minimal 3.11.2-6+deb12u9"
  "bookworm amd64 zlib1g 1:1.2.13.dfsg-1+deb12u1"
  "bookworm amd64 libexpat1 2.5.0-1+deb12u5"
)

# Real wheels from PyPI (pip download, pinned), installed by scripts/lib/images_natives.py.
WHEELS=(
  "manylinux2014_x86_64 ujson==5.10.0"
)

# apt-get with a private configuration for one suite and architecture: its own sources list,
# package lists, cache and an empty dpkg status, so the host's apt setup is never touched.
private_apt() {
  local suite=$1 arch=$2
  shift 2
  local dir=$WORK/apt/$suite-$arch
  if [[ ! -f $dir/sources.list ]]; then
    mkdir -p "$dir/state/lists/partial" "$dir/cache/archives/partial"
    : >"$dir/status"
    {
      echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main"
      echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite-updates main"
      echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security $suite-security main"
    } >"$dir/sources.list"
  fi
  apt-get -q \
    -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=/nonexistent \
    -o Dir::State="$dir/state" -o Dir::State::status="$dir/status" -o Dir::Cache="$dir/cache" \
    -o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
    -o APT::Sandbox::User=root "$@"
}

fetch_packages() {
  local line suite arch name version deb updated=""
  mkdir -p "$WORK/debs" "$WORK/pkgs"
  : >"$WORK/versions.txt"
  for line in "${PACKAGES[@]}"; do
    read -r suite arch name version <<<"$line"
    deb=$(find "$WORK/debs/$suite-$arch" -name "${name}_*_${arch}.deb" 2>/dev/null | head -n1 || true)
    if [[ -z $deb ]]; then
      if [[ $updated != *"[$suite-$arch]"* ]]; then
        log "apt-get update ($suite $arch, private configuration)"
        private_apt "$suite" "$arch" update -qq >/dev/null
        updated+="[$suite-$arch]"
      fi
      mkdir -p "$WORK/debs/$suite-$arch"
      log "downloading $name:$arch=$version ($suite)"
      if ! (cd "$WORK/debs/$suite-$arch" && private_apt "$suite" "$arch" download -qq "$name:$arch=$version" >/dev/null 2>&1); then
        log "WARNING: $name $version is no longer served for $suite; taking the newest one"
        (cd "$WORK/debs/$suite-$arch" && private_apt "$suite" "$arch" download -qq "$name:$arch" >/dev/null)
      fi
      deb=$(find "$WORK/debs/$suite-$arch" -name "${name}_*_${arch}.deb" | head -n1)
      [[ -n $deb ]] || fatal "download of $name ($suite $arch) produced no .deb"
    fi
    rm -rf "$WORK/pkgs/$suite-$arch-$name"
    dpkg-deb -x "$deb" "$WORK/pkgs/$suite-$arch-$name"
    mkdir -p "$WORK/pkgs/$suite-$arch-$name.control"
    dpkg-deb -e "$deb" "$WORK/pkgs/$suite-$arch-$name.control"
    printf '%s\t%s\t%s\t%s\n' "$suite" "$arch" "$name" "$(dpkg-deb -f "$deb" Version)" >>"$WORK/versions.txt"
  done
}

fetch_wheels() {
  local line platform spec
  for line in "${WHEELS[@]}"; do
    read -r platform spec <<<"$line"
    mkdir -p "$WORK/wheels/$platform"
    if ! compgen -G "$WORK/wheels/$platform/${spec%%==*}-${spec##*==}-*.whl" >/dev/null; then
      log "downloading the $spec wheel ($platform)"
      python3 -m pip download -q --only-binary=:all: --no-deps --platform "$platform" --python-version 3.11 \
        --implementation cp -d "$WORK/wheels/$platform" "$spec" || fatal "pip download $spec failed"
    fi
  done
}

# Programs compiled here. -s strips; every C program prints the marker the oracle looks for.
# shellcheck disable=SC2016  # '$ORIGIN' below is for the loader
compile_programs() {
  local b=$WORK/bin build=$WORK/build
  rm -rf "$b" "$build"
  mkdir -p "$b" "$build/glibc" "$build/musl" "$build/glibc2" "$build/glibcbar" "$build/muslbar"
  cd "$SRC"
  log "compiling C programs (gcc, musl-gcc)"
  # glibc, dynamic: PT_INTERP /lib64/ld-linux-x86-64.so.2, needs GLIBC_2.34 (__libc_start_main).
  gcc -O2 -s -o "$b/hello-glibc" hello.c
  # musl, dynamic: PT_INTERP /lib/ld-musl-x86_64.so.1.
  musl-gcc -O2 -s -o "$b/hello-musl" hello.c
  # static (musl): needs nothing from the image.
  musl-gcc -O2 -s -static -o "$b/hello-static" hello.c
  # Separate debug-info files (what objcopy --only-keep-debug writes) of a static and a dynamic
  # program, for images_elfkernel.py.
  musl-gcc -O2 -g -ffile-prefix-map="$SRC"=. -static -o "$build/hello-static-g" hello.c
  objcopy --only-keep-debug "$build/hello-static-g" "$b/hello-static.debug"
  gcc -O2 -g -ffile-prefix-map="$SRC"=. -o "$build/hello-glibc-g" hello.c
  objcopy --only-keep-debug "$build/hello-glibc-g" "$b/hello-glibc.debug"
  # glibc with _FORTIFY_SOURCE: printf -> __printf_chk (glibc-only symbol).
  gcc -O2 -s -D_FORTIFY_SOURCE=2 -o "$b/fortify-glibc" fortify.c

  # libfoo.so.1 v1 and v2 (v2 adds foo_v2), libbar.so.1, and a libfoo that needs libbar.
  gcc -O2 -s -shared -fPIC -Wl,-soname,libfoo.so.1 -o "$build/glibc/libfoo.so.1" foo.c
  gcc -O2 -s -shared -fPIC -Wl,-soname,libfoo.so.1 -DLIBFOO_V2 -o "$build/glibc2/libfoo.so.1" foo.c
  gcc -O2 -s -shared -fPIC -Wl,-soname,libbar.so.1 -o "$build/glibcbar/libbar.so.1" bar.c
  gcc -O2 -s -shared -fPIC -Wl,-soname,libfoo.so.1 -DLIBFOO_BAR -o "$build/glibcbar/libfoo.so.1" foo.c \
    -L"$build/glibcbar" -l:libbar.so.1
  musl-gcc -O2 -s -shared -fPIC -Wl,-soname,libfoo.so.1 -o "$build/musl/libfoo.so.1" foo.c
  musl-gcc -O2 -s -shared -fPIC -Wl,-soname,libbar.so.1 -o "$build/muslbar/libbar.so.1" bar.c
  musl-gcc -O2 -s -shared -fPIC -Wl,-soname,libfoo.so.1 -DLIBFOO_BAR -o "$build/muslbar/libfoo.so.1" foo.c \
    -L"$build/muslbar" -l:libbar.so.1
  cp "$build/glibc/libfoo.so.1" "$b/libfoo-glibc.so.1"
  cp "$build/glibc2/libfoo.so.1" "$b/libfoo2-glibc.so.1"
  cp "$build/glibcbar/libfoo.so.1" "$b/libfoo-needsbar-glibc.so.1"
  cp "$build/glibcbar/libbar.so.1" "$b/libbar-glibc.so.1"
  cp "$build/musl/libfoo.so.1" "$b/libfoo-musl.so.1"
  cp "$build/muslbar/libfoo.so.1" "$b/libfoo-needsbar-musl.so.1"
  cp "$build/muslbar/libbar.so.1" "$b/libbar-musl.so.1"

  # Programs that need libfoo.so.1, with the search paths each image tests; --enable-new-dtags
  # writes DT_RUNPATH (not DT_RPATH), whose inheritance glibc and musl treat differently.
  # ('$ORIGIN' is for the loader, not the shell: single quotes on purpose.)
  gcc -O2 -s -o "$b/usefoo-glibc" usefoo.c -L"$build/glibc" -l:libfoo.so.1
  gcc -O2 -s -o "$b/usefoo-glibc-runpath-origin-bar" usefoo.c -L"$build/glibcbar" -l:libfoo.so.1 \
    -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../lib' -Wl,-rpath-link,"$build/glibcbar"
  gcc -O2 -s -o "$b/usefoo2-glibc-now" usefoo2.c -L"$build/glibc2" -l:libfoo.so.1 -Wl,-z,now
  musl-gcc -O2 -s -o "$b/usefoo-musl" usefoo.c -L"$build/musl" -l:libfoo.so.1
  musl-gcc -O2 -s -o "$b/usefoo-musl-runpath-origin-bar" usefoo.c -L"$build/muslbar" -l:libfoo.so.1 \
    -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../lib' -Wl,-rpath-link,"$build/muslbar"

  log "compiling Go programs (cgo and CGO_ENABLED=0; this takes a minute)"
  # -trimpath, -buildvcs=false (no git revision stamped in) and an empty build id keep the
  # binaries reproducible; -s -w strips them while the build info (`go version -m`:
  # CGO_ENABLED=1/0) stays.
  (
    cd "$SRC/gohello"
    export GOCACHE=$WORK/gocache GOFLAGS="-trimpath -buildvcs=false" GOTOOLCHAIN=local GO111MODULE=on GOPROXY=off
    CGO_ENABLED=1 go build -ldflags '-s -w -buildid=' -o "$b/gohello-cgo" .
    CGO_ENABLED=0 go build -ldflags '-s -w -buildid=' -o "$b/gohello-static" .
  )
  cd "$ROOT"
}

main() {
  [[ $(id -u) -eq 0 ]] || fatal "run as root (apt-get install/download)"
  install_missing python3 gcc libc6-dev musl-tools golang-go zstd binutils libc-bin debian-archive-keyring patchelf
  mkdir -p "$WORK"
  fetch_packages
  fetch_wheels
  compile_programs
  log "assembling images"
  python3 "$ROOT/scripts/lib/testimages.py" --work "$WORK" --out "$OUT"
  python3 "$ROOT/scripts/lib/testimages.py" --readme "$OUT/README.md"
  local tars=("$OUT"/*.tar) bytes
  bytes=$(du -cb "${tars[@]}" | tail -n1 | cut -f1)
  log "TestImages: ${#tars[@]} tarballs, $((bytes / 1000)) kB"
  ((bytes < 45000000)) || fatal "TestImages/*.tar add up to $bytes bytes: keep them under 45 MB"
}

# scripts/make-live-images.sh sources this file for its package pinning and fetch code.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
