#!/usr/bin/env bash
# The image of imageaudit itself: scratch plus exactly the shared libraries the release binary
# loads (ldd: glibc's loader, libc, libm, libstdc++, libgcc_s, ISA-L), copied from this machine's
# Debian packages, with their dpkg records in /var/lib/dpkg/status.d (the distroless convention,
# so scanners see the versions) and their copyright files. Written by scripts/lib/imagewriter.py
# (no Docker engine): a docker25 layout, which both `docker load` and OCI tools (skopeo, umoci,
# podman) read. ENTRYPOINT /usr/bin/imageaudit, CMD --version, WorkingDir /work.
# --shell adds Debian's busybox-static as /bin/sh and a few applets (the ":debug" variant, as
# distroless has one): for GitLab CI jobs and Kubernetes Jobs, which run their commands with sh.
# Usage: scripts/lib/release-image.sh [--shell] STAGE_DIR VERSION OUT.tar   (STAGE_DIR from release.sh)
set -euo pipefail
shell=0
if [[ ${1:-} == --shell ]]; then shell=1; shift; fi
stage=$1 version=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d "${TMPDIR:-/tmp}/imageaudit-image.XXXXXX")
trap 'rm -rf "$root"' EXIT

# usr-merged like Debian 12: /bin, /lib and /lib64 point into /usr.
mkdir -p "$root/usr/bin" "$root/usr/lib/x86_64-linux-gnu" "$root/usr/lib64" "$root/etc" "$root/work" \
  "$root/tmp" "$root/var/lib/dpkg/status.d" "$root/usr/share/doc/imageaudit"
ln -s usr/bin "$root/bin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
chmod 1777 "$root/tmp"
install -m 0755 "$stage/bin/imageaudit" "$root/usr/bin/imageaudit"
install -m 0644 "$stage/share/doc/imageaudit/LICENSES" "$root/usr/share/doc/imageaudit/LICENSES"

# Every library the binary needs, found as the loader finds it (RUNPATH $ORIGIN/../lib finds the
# carried libisal.so.2 in the stage), stored under its soname in the multiarch directory.
packages=()
while read -r soname path; do
  [[ -n $path ]] || { echo "release-image: $soname not found" >&2; exit 2; }
  install -m 0644 "$(readlink -f "$path")" "$root/usr/lib/x86_64-linux-gnu/$soname"
  # dpkg knows glibc's files by their pre-usr-merge paths (/lib/...), ISA-L's under /usr/lib.
  owner=$( (dpkg -S "/usr/lib/x86_64-linux-gnu/$soname" || dpkg -S "/lib/x86_64-linux-gnu/$soname") 2>/dev/null \
    | head -n1 | cut -d: -f1) || { echo "release-image: no Debian package owns $soname" >&2; exit 2; }
  packages+=("$owner")
done < <(ldd "$stage/bin/imageaudit" | awk '$2 == "=>" { print $1, $3 }')
interp=$(readelf -l "$stage/bin/imageaudit" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[[ $interp == /lib64/ld-linux-x86-64.so.2 ]] || { echo "release-image: unexpected PT_INTERP $interp" >&2; exit 2; }
install -m 0755 "$(readlink -f "$interp")" "$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root/usr/lib64/ld-linux-x86-64.so.2"

for package in $(printf '%s\n' "${packages[@]}" | sort -u); do
  dpkg-query -s "$package" >"$root/var/lib/dpkg/status.d/$package"
  mkdir -p "$root/usr/share/doc/$package"
  install -m 0644 "$(readlink -f "/usr/share/doc/$package/copyright")" "$root/usr/share/doc/$package/copyright"
done

tag=$version
if ((shell)); then
  tag=$version-debug
  install -m 0755 /bin/busybox "$root/usr/bin/busybox"
  for applet in sh cat cp echo env gzip ls mkdir mv rm sha256sum sleep tar test [ wc; do
    ln -s busybox "$root/usr/bin/$applet"
  done
  dpkg-query -s busybox-static >"$root/var/lib/dpkg/status.d/busybox-static"
  mkdir -p "$root/usr/share/doc/busybox-static"
  install -m 0644 "$(readlink -f /usr/share/doc/busybox-static/copyright)" "$root/usr/share/doc/busybox-static/copyright"
fi

printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' \
  >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

python3 "$here/imagewriter.py" --out "$out" --layout docker25 --compression gzip --level 9 \
  --layer "$root" --tag "imageaudit/imageaudit:$tag" \
  --entrypoint '["/usr/bin/imageaudit"]' --cmd '["--version"]' --workdir /work \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
