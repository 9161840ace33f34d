#!/usr/bin/env bash
# shellcheck disable=SC2016  # '$ORIGIN' in the -rpath options is for the loader, not the shell
# Rebuilds the ELF test fixtures in Tests/Fixtures/elf/ from the sources in Tests/Fixtures/elf/src/.
#
# Needs gcc, g++, gcc-multilib, musl-tools and golang-go (Debian). The outputs are deterministic
# for a given toolchain: stripped, no debug info, build IDs derived from the content, Go built with
# -trimpath and an empty build ID. The tests read the committed outputs; run this only to change them.
set -euo pipefail
log() { printf -- '** %s\n' "$*" >&2; }
fatal() { log "$*"; exit 1; }

root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/Tests/Fixtures/elf/src"
out="$root/Tests/Fixtures/elf"
for tool in gcc g++ musl-gcc go readelf; do command -v "$tool" >/dev/null || fatal "missing $tool"; done

work="$(mktemp -d)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

rm -rf "$out/glibc" "$out/musl" "$out/go"
mkdir -p "$out/glibc" "$out/musl" "$out/go"
# shellcheck disable=SC2054  # -Wl,... is one argument
cflags=(-Os -s -fno-asynchronous-unwind-tables -Wl,--build-id=sha1)

# --- glibc, x86-64 ----------------------------------------------------------------------------
g="$out/glibc"
gcc "${cflags[@]}" -o "$g/hello" "$src/hello.c"
gcc "${cflags[@]}" -no-pie -o "$g/hello-nopie" "$src/hello.c"
gcc "${cflags[@]}" -Wl,-z,now -o "$g/hello-now" "$src/hello.c"
gcc "${cflags[@]}" -Wl,--hash-style=sysv -o "$g/hello-sysvhash" "$src/hello.c"
gcc "${cflags[@]}" -m32 -o "$g/hello-m32" "$src/hello.c"
gcc "${cflags[@]}" -nostdlib -static -o "$g/nostdlib-static" "$src/nostdlib.c"
gcc "${cflags[@]}" -nostdlib -static-pie -fPIE -o "$g/nostdlib-static-pie" "$src/nostdlib.c"
gcc "${cflags[@]}" -m32 -nostdlib -static -o "$g/nostdlib-m32-static" "$src/nostdlib.c"

# Symbol versions: libver.so.1 old (FOO_1), new (FOO_1, FOO_2), and without version information.
gcc "${cflags[@]}" -shared -fPIC -Wl,-soname,libver.so.1 -Wl,--version-script="$src/ver-old.map" \
    -o "$g/libver-old.so" "$src/libver.c"
gcc "${cflags[@]}" -DNEW -shared -fPIC -Wl,-soname,libver.so.1 -Wl,--version-script="$src/ver-new.map" \
    -o "$g/libver-new.so" "$src/libver.c"
gcc "${cflags[@]}" -DNEW -shared -fPIC -Wl,-soname,libver.so.1 -o "$g/libver-nover.so" "$src/libver.c"
# FOO_2 defined but without bar and data_sym: the version check passes, the symbol lookups fail.
gcc "${cflags[@]}" -DNOBAR -shared -fPIC -Wl,-soname,libver.so.1 -Wl,--version-script="$src/ver-nobar.map" \
    -o "$g/libver-nobar.so" "$src/libver.c"
mkdir -p "$work/ver" && cp "$g/libver-new.so" "$work/ver/libver.so.1" && ln -s libver.so.1 "$work/ver/libver.so"
gcc "${cflags[@]}" -o "$g/usever" "$src/usever.c" -L"$work/ver" -lver
gcc "${cflags[@]}" -Wl,-z,now -o "$g/usever-now" "$src/usever.c" -L"$work/ver" -lver
gcc "${cflags[@]}" -o "$g/uselazy" "$src/uselazy.c" -L"$work/ver" -lver
gcc "${cflags[@]}" -Wl,-z,now -o "$g/uselazy-now" "$src/uselazy.c" -L"$work/ver" -lver
gcc "${cflags[@]}" -o "$g/usedata" "$src/usedata.c" -L"$work/ver" -lver

# Search paths: RPATH (inherited by dependencies) versus RUNPATH (not), $ORIGIN, NODEFLIB.
gcc "${cflags[@]}" -shared -fPIC -Wl,-soname,libleaf.so -o "$g/libleaf.so" "$src/libleaf.c"
gcc "${cflags[@]}" -m32 -shared -fPIC -Wl,-soname,libleaf.so -o "$g/libleaf-m32.so" "$src/libleaf.c"
mkdir -p "$work/leaf" && cp "$g/libleaf.so" "$work/leaf/"
gcc "${cflags[@]}" -shared -fPIC -Wl,-soname,libdep.so -o "$g/libdep.so" "$src/libdep.c" -L"$work/leaf" -lleaf
gcc "${cflags[@]}" -shared -fPIC -Wl,-soname,libdep.so -Wl,--disable-new-dtags,-rpath,'$ORIGIN/leaf' \
    -o "$g/libdep-rpath.so" "$src/libdep.c" -L"$work/leaf" -lleaf
mkdir -p "$work/dep" && cp "$g/libdep.so" "$work/dep/"
gcc "${cflags[@]}" -Wl,--disable-new-dtags,-rpath,'$ORIGIN/../lib:/opt/leaf' -o "$g/usedep-rpath" \
    "$src/usedep.c" -L"$work/dep" -ldep -Wl,-rpath-link,"$work/leaf"
gcc "${cflags[@]}" -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../lib:/opt/leaf' -o "$g/usedep-runpath" \
    "$src/usedep.c" -L"$work/dep" -ldep -Wl,-rpath-link,"$work/leaf"
gcc "${cflags[@]}" -Wl,-z,nodefaultlib -o "$g/nodeflib" "$src/usedep.c" -L"$work/dep" -ldep \
    -Wl,-rpath-link,"$work/leaf"
gcc "${cflags[@]}" -Wl,--enable-new-dtags,-rpath,'${ORIGIN}/a:$ORIGIN/b:/x/$LIB:/y/$PLATFORM' \
    -o "$g/tokens" "$src/usedep.c" -L"$work/dep" -ldep -Wl,-rpath-link,"$work/leaf"
g++ "${cflags[@]}" -o "$g/cxx" "$src/cxx.cc"

# --- musl, x86-64 -----------------------------------------------------------------------------
m="$out/musl"
musl-gcc "${cflags[@]}" -o "$m/hello" "$src/hello.c"
musl-gcc "${cflags[@]}" -static -o "$m/hello-static" "$src/hello.c"
# musl-gcc's specs have no -static-pie; link rcrt1.o (self-relocating start) and libc.a by hand.
musl_lib=/usr/lib/x86_64-linux-musl
musl-gcc -Os -fPIE -fno-asynchronous-unwind-tables -c -o "$work/hello-pie.o" "$src/hello.c"
gcc -static-pie -nostdlib -s -Wl,--build-id=sha1 -o "$m/hello-static-pie" "$musl_lib/rcrt1.o" "$musl_lib/crti.o" \
    "$work/hello-pie.o" "$musl_lib/libc.a" "$(gcc -print-libgcc-file-name)" "$musl_lib/crtn.o"
musl-gcc "${cflags[@]}" -shared -fPIC -Wl,-soname,libver.so.1 -o "$m/libver-old.so" "$src/libver.c"
musl-gcc "${cflags[@]}" -DNEW -shared -fPIC -Wl,-soname,libver.so.1 -o "$m/libver-new.so" "$src/libver.c"
mkdir -p "$work/mver" && cp "$m/libver-new.so" "$work/mver/libver.so.1" && ln -s libver.so.1 "$work/mver/libver.so"
musl-gcc "${cflags[@]}" -Wl,-rpath,'$ORIGIN/lib' -o "$m/uselazy" "$src/uselazy.c" -L"$work/mver" -lver

# --- Go ----------------------------------------------------------------------------------------
export GOCACHE="$work/gocache" GOPATH="$work/gopath" GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local
(cd "$src" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -tags netgo -ldflags='-s -w -buildid=' -o "$out/go/static" ./gostatic)
(cd "$src" && CGO_ENABLED=1 go build -trimpath -buildvcs=false -ldflags='-s -w -buildid=' -o "$out/go/cgo" ./gocgo)

# --- ld.so.cache in the three formats, written by the host's ldconfig over a small root ---------
# /opt/a: libleaf.so (x86-64) and glibc-hwcaps/x86-64-v3/libleaf.so; /opt/b: a 32-bit libleaf.so;
# /lib/x86_64-linux-gnu: libdep.so and libver.so.1 (trusted directory, scanned without ld.so.conf).
command -v ldconfig >/dev/null || command -v /sbin/ldconfig >/dev/null || fatal "missing ldconfig"
ldconfig_bin="$(command -v ldconfig || echo /sbin/ldconfig)"
cacheroot="$work/cacheroot"
mkdir -p "$cacheroot/etc" "$cacheroot/opt/a/glibc-hwcaps/x86-64-v3" "$cacheroot/opt/b" "$cacheroot/lib/x86_64-linux-gnu"
printf '/opt/a\n/opt/b\n' > "$cacheroot/etc/ld.so.conf"
cp "$g/libleaf.so" "$cacheroot/opt/a/libleaf.so"
cp "$g/libleaf.so" "$cacheroot/opt/a/glibc-hwcaps/x86-64-v3/libleaf.so"
cp "$g/libleaf-m32.so" "$cacheroot/opt/b/libleaf.so"
cp "$g/libdep.so" "$cacheroot/lib/x86_64-linux-gnu/libdep.so"
cp "$g/libver-new.so" "$cacheroot/lib/x86_64-linux-gnu/libver.so.1"
rm -rf "$out/ldcache" && mkdir -p "$out/ldcache"
for format in new old compat; do
    "$ldconfig_bin" -X -r "$cacheroot" -c "$format" -C "/etc/ld.so.cache"
    cp "$cacheroot/etc/ld.so.cache" "$out/ldcache/$format.cache"
done

log "fixtures written to $out"
find "$out/glibc" "$out/musl" "$out/go" "$out/ldcache" -type f -printf '%s\t%P\n' | sort -k2 >&2
