#!/usr/bin/env bash
# The licenses of everything in a release binary (and the release image), on stdout:
# the Swift runtime and swift-argument-parser (linked statically), the Debian packages whose .a
# files are linked in, and the shared libraries carried beside it or in the image.
# Usage: scripts/lib/release-licenses.sh SOURCE_DIR   (SOURCE_DIR holds .build/checkouts)
set -euo pipefail
src=$1
section() { printf '\n==============================================================================\n%s\n' "$1"
  printf '==============================================================================\n\n'; cat "$2"; }

echo "imageaudit release: licenses of the components linked into or shipped with the binary."
section "Swift runtime and Foundation (statically linked): /opt/swift/usr/share/swift/LICENSE.txt" \
  /opt/swift/usr/share/swift/LICENSE.txt
section "swift-argument-parser (statically linked)" "$src/.build/checkouts/swift-argument-parser/LICENSE.txt"

# Debian packages: the -dev packages of the static archives, the shared libraries left dynamic.
static=(archive nettle acl attr lzma zstd lz4 bz2 z xml2 icuuc crypto)
packages=()
for name in "${static[@]}"; do
  packages+=("$(dpkg -S "/usr/lib/x86_64-linux-gnu/lib$name.a" | cut -d: -f1)")
done
packages+=(libisal2 libc6 libstdc++6 libgcc-s1)
for package in $(printf '%s\n' "${packages[@]}" | sort -u); do
  version=$(dpkg-query -W -f='${Version}' "$package")
  section "Debian package $package $version (/usr/share/doc/$package/copyright)" \
    "$(readlink -f "/usr/share/doc/$package/copyright")"
done
