# shellcheck shell=bash
# Builds the benchmark inputs under $CACHE. Sourced by scripts/bench.sh (needs log/fatal, $CACHE, $LIB).
# Every step writes a marker or its final file last, so an interrupted build resumes where it stopped.

# The big image: debootstrap minbase, then real Debian packages unpacked with dpkg-deb -x, one
# group of packages per layer, then an application layer with whiteouts. Names sort in stacking order.
BIG_GROUPS=(
  "2-python:python3 python3-numpy"
  "3-perl:perl"
  "4-media:gstreamer1.0-plugins-good gstreamer1.0-plugins-base gstreamer1.0-tools"
  "5-media-bad:gstreamer1.0-plugins-bad"
  "6-plugins:gstreamer1.0-libav vlc-plugin-base samba-libs"
)
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# apt-get's resolver, simulated against a dpkg status file: prints "name=version" to install.
resolve_packages() { # status-file package...
  local status=$1
  shift
  apt-get -s install --no-install-recommends -o Dir::State::status="$status" "$@" 2>/dev/null |
    awk '/^Inst /{ v=$3; if (v ~ /^\[/) v=$4; gsub(/[()]/, "", v); print $2 "=" v }' | sort -u
}

download_debs() { # list-file: name=version per line, into $CACHE/debs
  mkdir -p "$CACHE/debs"
  local spec name version file missing=()
  while read -r spec; do
    name=${spec%%=*}
    version=${spec#*=}
    file=$(compgen -G "$CACHE/debs/${name}_${version//:/%3a}_*.deb" || true)
    [[ -n $file ]] || missing+=("$spec")
  done <"$1"
  if ((${#missing[@]})); then
    log "downloading ${#missing[@]} packages"
    (cd "$CACHE/debs" && apt-get download -qq -o APT::Sandbox::User=root "${missing[@]}" >/dev/null)
  fi
}

deb_file() { # name=version
  local name=${1%%=*} version=${1#*=}
  compgen -G "$CACHE/debs/${name}_${version//:/%3a}_*.deb" | head -n1
}

# A merged-/usr base has /bin, /lib... as symlinks; dpkg follows them, dpkg-deb -x does not.
# Move such top-level folders of a layer under usr/, as dpkg would have written them.
usrmerge_layer() { # layer-dir
  local dir
  for dir in bin sbin lib lib32 lib64 libx32; do
    if [[ -d $1/$dir && ! -L $1/$dir ]]; then
      mkdir -p "$1/usr/$dir"
      cp -a "$1/$dir/." "$1/usr/$dir/"
      rm -rf "${1:?}/$dir"
    fi
  done
}

# Unpacks the packages into a new layer folder and records them in the layer's copy of the
# dpkg database (status + info/*.list), as a `RUN apt-get install` layer would.
unpack_layer() { # list-file layer-dir previous-status-file
  local list=$1 dir=$2 previous=$3 spec deb name arch control
  rm -rf "$dir" "$dir.tmp"
  mkdir -p "$dir.tmp/var/lib/dpkg/info"
  cp "$previous" "$dir.tmp/var/lib/dpkg/status"
  control=$(mktemp -d)
  while read -r spec; do
    deb=$(deb_file "$spec")
    [[ -n $deb ]] || fatal "no .deb for $spec"
    dpkg-deb -x "$deb" "$dir.tmp"
    name=$(dpkg-deb -f "$deb" Package)
    arch=$(dpkg-deb -f "$deb" Architecture)
    [[ $(dpkg-deb -f "$deb" Multi-Arch) == same ]] && name="$name:$arch"
    { dpkg-deb -f "$deb" | sed '/^Package:/a Status: install ok installed'; echo; } >>"$dir.tmp/var/lib/dpkg/status"
    dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's#^\./#/#' -e 's#/$##' -e 's#^$#/.#' \
      >"$dir.tmp/var/lib/dpkg/info/$name.list"
    rm -rf "${control:?}"/*
    dpkg-deb -e "$deb" "$control"
    [[ -f $control/md5sums ]] && cp "$control/md5sums" "$dir.tmp/var/lib/dpkg/info/$name.md5sums"
  done <"$list"
  rm -rf "$control"
  usrmerge_layer "$dir.tmp"
  alternatives_layer "$dir.tmp"
  mv "$dir.tmp" "$dir"
}

# dpkg-deb -x runs no maintainer scripts; recreate the update-alternatives links that the
# entrypoints' libraries need (numpy loads libblas.so.3 and liblapack.so.3 through them).
# Each candidate list is in priority order, as the packages' postinst scripts register them.
alternatives_layer() { # layer-dir
  local spec link name target multiarch=usr/lib/x86_64-linux-gnu
  for spec in "libblas.so.3:openblas-pthread/libblas.so.3 blas/libblas.so.3" \
    "liblapack.so.3:openblas-pthread/liblapack.so.3 lapack/liblapack.so.3"; do
    link=${spec%%:*}
    for target in ${spec#*:}; do
      [[ -e $1/$multiarch/$target ]] || continue
      name=$link-x86_64-linux-gnu
      mkdir -p "$1/etc/alternatives"
      ln -sfn "/$multiarch/$target" "$1/etc/alternatives/$name"
      ln -sfn "/etc/alternatives/$name" "$1/$multiarch/$link"
      break
    done
  done
}

tar_layer() { # dir out.tar [tar exclude options...]
  local dir=$1 out=$2
  shift 2
  local names
  mapfile -t names < <(cd "$dir" && LC_ALL=C ls -A)
  LC_ALL=C tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=pax \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime "$@" \
    -C "$dir" -cf "$out.tmp" -- "${names[@]}"
  mv "$out.tmp" "$out"
}

build_base_rootfs() {
  [[ -f $CACHE/base/.done ]] && return
  log "debootstrap --variant=minbase bookworm (a few minutes)"
  rm -rf "$CACHE/base"
  mkdir -p "$CACHE/base"
  debootstrap --variant=minbase bookworm "$CACHE/base/rootfs" "$DEBIAN_MIRROR" >"$CACHE/base/debootstrap.log" 2>&1 ||
    fatal "debootstrap failed, see $CACHE/base/debootstrap.log"
  touch "$CACHE/base/.done"
}

build_big_layers() {
  local big=$CACHE/big group name packages status specs=() list
  mkdir -p "$big/tars" "$big/layers" "$big/pkgs"
  build_base_rootfs
  if [[ ! -f $big/tars/1-base.tar ]]; then
    log "layer 1-base"
    # Device nodes, /proc and /sys contents are never in an image layer.
    tar_layer "$CACHE/base/rootfs" "$big/tars/1-base.tar" \
      --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* --exclude=./var/cache/apt/archives/*.deb
  fi
  status=$CACHE/base/rootfs/var/lib/dpkg/status
  local wanted=()
  for group in "${BIG_GROUPS[@]}"; do
    name=${group%%:*}
    read -r -a packages <<<"${group#*:}"
    wanted+=("${packages[@]}")
    list=$big/pkgs/$name.txt
    if [[ ! -f $list ]]; then
      # Cumulative resolution: this layer = everything needed so far minus the earlier layers.
      resolve_packages "$CACHE/base/rootfs/var/lib/dpkg/status" "${wanted[@]}" |
        grep -vxF -f <(printf '%s\n' "${specs[@]:-}") >"$list.tmp" || true
      [[ -s $list.tmp ]] || fatal "no packages resolved for $name (apt-get update needed?)"
      mv "$list.tmp" "$list"
    fi
    mapfile -t -O "${#specs[@]}" specs <"$list"
    if [[ ! -f $big/tars/$name.tar ]]; then
      log "layer $name: $(wc -l <"$list") packages"
      download_debs "$list"
      unpack_layer "$list" "$big/layers/$name" "$status"
      tar_layer "$big/layers/$name" "$big/tars/$name.tar"
    fi
    status=$big/layers/$name/var/lib/dpkg/status
    [[ -f $status ]] || fatal "missing $status: remove $big/tars/$name.tar to rebuild"
  done
  if [[ ! -f $big/tars/7-app.tar ]]; then
    log "layer 7-app (whiteouts, opaque folder, entrypoint script)"
    local app=$big/layers/7-app
    rm -rf "$app" && mkdir -p "$app/app" "$app/usr/bin" "$app/usr/share/doc" "$app/var/cache/apt"
    printf '%s\n' 'import sys, numpy' 'print("numpy", numpy.__version__, "on python", sys.version.split()[0])' \
      >"$app/app/main.py"
    : >"$app/usr/bin/.wh.perlbug"          # a file whiteout
    : >"$app/usr/share/doc/.wh.perl"       # a folder whiteout
    : >"$app/var/cache/apt/.wh..wh..opq"   # an opaque folder
    printf 'bench\n' >"$app/var/cache/apt/NOTE"
    tar_layer "$app" "$big/tars/7-app.tar"
  fi
}

# $1 = gzip|zstd. Writes $CACHE/big-$1.tar and keeps its compressed layers in $CACHE/big-$1.blobs/.
build_big_image() {
  local compression=$1 out=$CACHE/big-$1.tar
  [[ -f $out ]] && return
  build_big_layers
  log "assembling $(basename "$out")"
  local args=() tar
  for tar in "$CACHE"/big/tars/*.tar; do args+=(--layer-tar "$tar"); done
  rm -rf "$CACHE/big-$compression.blobs"
  python3 "$LIB/imagewriter.py" --out "$out.tmp" --compression "$compression" "${args[@]}" \
    --keep-blobs "$CACHE/big-$compression.blobs" --tag "bench/big-$compression:latest" \
    --entrypoint '["/usr/bin/python3"]' --cmd '["/app/main.py"]' \
    --env 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --workdir /app
  mv "$out.tmp" "$out"
}

# The memory ladder: the big image cut after 1..6 of its 7 layers (gzip), so peak RSS can be
# plotted against the number and size of layers ($CACHE/ladder/big-gzip-L<k>.tar; L7 is
# big-gzip.tar itself, linked).
build_ladder() {
  local ladder=$CACHE/ladder k
  build_big_image gzip
  mkdir -p "$ladder"
  local tars=("$CACHE"/big/tars/*.tar)
  for ((k = 1; k < ${#tars[@]}; k++)); do
    local out=$ladder/big-gzip-L$k.tar
    [[ -f $out ]] && continue
    log "ladder: the first $k layers"
    local args=() tar
    for tar in "${tars[@]:0:k}"; do args+=(--layer-tar "$tar"); done
    python3 "$LIB/imagewriter.py" --out "$out.tmp" --compression gzip "${args[@]}" --tag "bench/big-gzip-l$k:latest" \
      --entrypoint '["/usr/bin/python3"]' --env 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    mv "$out.tmp" "$out"
  done
  ln -sfn ../big-gzip.tar "$ladder/big-gzip-L${#tars[@]}.tar"
}

# Parts for the bulk set: small root filesystems from real packages, tarred once.
build_bulk_parts() {
  local parts=$CACHE/bulk/parts
  [[ -f $parts/.done ]] && return
  log "bulk parts: busybox, musl, glibc slim, python"
  rm -rf "$parts" && mkdir -p "$parts/lists"
  local empty=$parts/empty-status
  : >"$empty"
  resolve_packages "$empty" busybox-static >"$parts/lists/busybox.txt"
  resolve_packages "$empty" musl >"$parts/lists/musl.txt"
  resolve_packages "$empty" bash coreutils >"$parts/lists/glibc.txt"
  # python on top of glibc slim: resolve against a status holding the slim packages
  local slim_status=$parts/slim-status name spec
  : >"$slim_status"
  download_debs "$parts/lists/glibc.txt"
  while read -r spec; do
    { dpkg-deb -f "$(deb_file "$spec")" | sed '/^Package:/a Status: install ok installed'; echo; } >>"$slim_status"
  done <"$parts/lists/glibc.txt"
  resolve_packages "$slim_status" python3 >"$parts/lists/python.txt"
  for name in busybox musl glibc python; do
    download_debs "$parts/lists/$name.txt"
    local previous=$empty
    [[ $name == python ]] && previous=$slim_status
    unpack_layer "$parts/lists/$name.txt" "$parts/$name" "$previous"
  done
  # The bottom parts get the merged-/usr links a Debian base has (debootstrap makes them).
  local link applet
  for name in busybox musl glibc; do
    for link in bin sbin lib lib64; do
      mkdir -p "$parts/$name/usr/$link"
      ln -sfn "usr/$link" "$parts/$name/$link"
    done
  done
  # busybox applet links, as the busybox image has them
  mkdir -p "$parts/busybox/usr/bin"
  for applet in sh ls cat echo env true false sleep; do ln -sf busybox "$parts/busybox/usr/bin/$applet"; done
  # musl: a dynamically linked program (the alpine shape: ld-musl + libc.so + a PIE binary)
  mkdir -p "$parts/musl/usr/local/bin"
  printf '%s\n' '#include <stdio.h>' 'int main(void) { puts("hello from musl"); return 0; }' >"$parts/hello.c"
  musl-gcc -O2 -o "$parts/musl/usr/local/bin/hello" "$parts/hello.c"
  for name in busybox musl glibc python; do
    tar_layer "$parts/$name" "$parts/$name.tar"
    rm -rf "${parts:?}/$name"
  done
  touch "$parts/.done"
}

build_bulk_images() {
  [[ -f $CACHE/bulk/.done ]] && return
  build_bulk_parts
  log "bulk images (52: 50 auditable, 2 unreadable)"
  rm -rf "$CACHE/bulk/images" "$CACHE/bulk/blobs"
  python3 "$LIB/bulkimages.py" --parts "$CACHE/bulk/parts" --out "$CACHE/bulk/images" --blobs "$CACHE/bulk/blobs"
  touch "$CACHE/bulk/.done"
}
