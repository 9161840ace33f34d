#!/usr/bin/env bash
# The oracle: starts an image's entrypoint for real and reports what the kernel and the
# loaders said. Root only; no Docker engine needed.
#
# Usage: scripts/oracle.sh [--keep] IMAGE.tar
# Prints one line:  verdict<TAB>code<TAB>message
#   verdict  started | failed
#   code     "-" when started, else imageaudit's finding code for what was observed (below)
#   message  the runtime's, kernel's or loader's own words
# and, when the image has a HEALTHCHECK (CMD or CMD-SHELL), a second line:
#   healthcheck<TAB>ok|healthcheck-broken<TAB>message
# (ok: the check's command ran and exited 0, as Docker counts a healthy check; it is run as a
# container of its own with the same config, the way the daemon execs it into the container)
#
# How (independent of imageaudit's reader and model):
#   1. skopeo copies the tarball (docker-archive: when it has manifest.json, else
#      oci-archive:, naming the first ref name of index.json when it lists several manifests)
#      into an OCI layout, recompressing layers to gzip (Debian's umoci 0.4.7
#      cannot read zstd layers; skopeo decompresses them with its own zstd code).
#   2. umoci unpack makes the runtime bundle: rootfs from the layers (whiteouts, opaque
#      directories), config.json from the image config: Env, WorkingDir, and User resolved
#      against the image's /etc/passwd and /etc/group with libcontainer's user package, the
#      code and wording of Docker's daemon ("unable to find user NAME: no matching entries in
#      passwd file").
#   3. oracle_helper.py spec adjusts config.json to what `docker run` hands runc: argv =
#      Entrypoint + Cmd (empty when both are absent: umoci would put the spec template's "sh"),
#      Docker's default PATH when the image has none, Docker's default capabilities (effective
#      only for uid 0, as moby sets them), no terminal.
#   4. runc runs it (private state dir, stdin /dev/null, 20 s timeout). runc does Docker's PATH
#      lookup inside the container and reports `exec: "x": executable file not found in
#      $PATH` or `exec /x: <errno>`; the loaders print their own errors on the container's
#      stderr. An image whose config platform is not the host's (linux/arm64 here) runs in a
#      user + mount namespace with its own binfmt_misc instance in which qemu-user runs that
#      architecture's binaries, i.e. on an emulated host of the image's own platform; nothing
#      of the host's binfmt_misc changes. Every program the images start prints the line
#      IMAGEAUDIT-TEST-STARTED first: seeing it means exec and the loader succeeded.
#
# Mapping what was observed to imageaudit's finding codes: scripts/lib/oracle_classify.py, with
# the codes and the messages that lead to them in scripts/lib/oracle-codes.tsv (the only place;
# a Swift test checks every code there is a FindingCode). In short: the marker printed means
# started; umoci's User error, an empty argv, the loaders' and env's messages and runc's
# `exec: "x": ...` are matched by regex; for execve's own `exec x: ENOENT|ENOEXEC` the rootfs is
# read along the exec chain (#! interpreters, ELF, PT_INTERP) to tell which file is missing or
# cannot run. Anything else is `unknown` (a case to look at).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
HELPER=$HERE/lib/oracle_helper.py
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
CACHE=${IMAGEAUDIT_ORACLE_CACHE:-/var/cache/imageaudit-oracle}
TIMEOUT=20
KEEP=0
TMP=""
CONTAINER=""
RUNC_ROOT=""

log() { printf -- '** %s\n' "$*" >&2; }
fatal() { printf -- 'oracle: %s\n' "$*" >&2; exit 2; }
cleanup() {
  if [[ -n $CONTAINER ]]; then
    runc --root "$RUNC_ROOT" delete -f "$CONTAINER" >/dev/null 2>&1 || true
  fi
  if [[ -n $TMP ]]; then
    if ((KEEP)); then log "kept $TMP"; else rm -rf "$TMP"; fi
  fi
}
trap cleanup EXIT

# qemu-user for foreign-architecture images, taken from Debian's qemu-user-static without
# installing it (its maintainer scripts would register it in the host's binfmt_misc).
qemu_for() {
  local arch=$1 qarch
  case $arch in
    arm64) qarch=aarch64 ;;
    *) fatal "no emulation set up for linux/$arch" ;;
  esac
  local bin=$CACHE/qemu-$qarch-static
  if [[ ! -x $bin ]]; then
    mkdir -p "$CACHE"
    log "fetching qemu-user-static (for linux/$arch images)"
    (cd "$CACHE" && apt-get download -qq -o APT::Sandbox::User=root qemu-user-static >/dev/null)
    dpkg-deb --fsys-tarfile "$CACHE"/qemu-user-static_*.deb | tar -x -O "./usr/bin/qemu-$qarch-static" >"$bin.tmp"
    chmod 755 "$bin.tmp"
    mv "$bin.tmp" "$bin"
    rm -f "$CACHE"/qemu-user-static_*.deb
  fi
  printf '%s\n' "$bin"
}

host_arch() {
  case $(uname -m) in
    x86_64) echo amd64 ;;
    aarch64) echo arm64 ;;
    *) uname -m ;;
  esac
}

main() {
  if [[ ${1:-} == --keep ]]; then KEEP=1; shift; fi
  [[ $# -eq 1 ]] || fatal "usage: scripts/oracle.sh [--keep] IMAGE.tar"
  local image
  image=$(realpath "$1")
  [[ -f $image ]] || fatal "$1: no such file"
  [[ $(id -u) -eq 0 ]] || fatal "must run as root (umoci unpack, runc)"
  install_missing skopeo umoci runc python3 tar

  TMP=$(mktemp -d /tmp/imageaudit-oracle.XXXXXX)
  RUNC_ROOT=$TMP/runc-state

  local transport=oci-archive listing
  listing=$(tar -tf "$image" 2>/dev/null) || fatal "$1: not a tar archive"
  if grep -qx 'manifest.json' <<<"$listing"; then transport=docker-archive; fi
  # skopeo reads an OCI layout of several manifests only by name ("more than one image in oci,
  # choose an image"): the oracle takes the first org.opencontainers.image.ref.name of index.json.
  local ref=""
  if [[ $transport == oci-archive ]]; then
    ref=$(tar -xOf "$image" index.json | python3 -c '
import json, sys
manifests = json.load(sys.stdin).get("manifests") or []
names = [(m.get("annotations") or {}).get("org.opencontainers.image.ref.name") for m in manifests]
print(next((n for n in names if n), "") if len(manifests) > 1 else "")')
  fi
  skopeo copy --quiet --dest-compress-format gzip --dest-compress \
    "$transport:$image${ref:+:$ref}" "oci:$TMP/oci:image" >/dev/null 2>"$TMP/skopeo.err" ||
    fatal "skopeo cannot read $image: $(tail -n1 "$TMP/skopeo.err")"

  # The image config, for its platform (umoci unpack reads it again by itself).
  python3 - "$TMP/oci" >"$TMP/image-config.json" <<'EOF'
import json, sys
layout = sys.argv[1]
def blob(digest):
    return json.load(open(f"{layout}/blobs/sha256/{digest.split(':')[1]}"))
manifest = blob(json.load(open(f"{layout}/index.json"))["manifests"][0]["digest"])
json.dump(blob(manifest["config"]["digest"]), sys.stdout)
EOF
  local arch
  arch=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("architecture",""))' "$TMP/image-config.json")

  if ! umoci unpack --image "$TMP/oci:image" "$TMP/bundle" >/dev/null 2>"$TMP/umoci.err"; then
    if grep -q 'unable to find' "$TMP/umoci.err"; then
      mkdir -p "$TMP/entrypoint"
      grep -o 'unable to find.*' "$TMP/umoci.err" | head -n1 >"$TMP/entrypoint/unpack-error"
      python3 "$HELPER" classify / "$TMP/entrypoint"
      return
    fi
    fatal "umoci cannot unpack $image: $(tail -n1 "$TMP/umoci.err")"
  fi
  python3 "$HELPER" spec "$TMP/bundle" "$TMP/image-config.json" entrypoint >/dev/null

  run_container entrypoint "$arch"
  python3 "$HELPER" classify "$TMP/bundle/rootfs" "$TMP/entrypoint"

  # HEALTHCHECK (CMD or CMD-SHELL): the same container config with the check's argv, as the
  # daemon execs it into the running container.
  if [[ $(python3 "$HELPER" spec "$TMP/bundle" "$TMP/image-config.json" healthcheck) != null ]]; then
    run_container healthcheck "$arch"
    python3 "$HELPER" classify-healthcheck "$TMP/healthcheck"
  fi
}

# run_container NAME ARCH: runs the bundle's config.json under runc; $TMP/NAME/ receives its
# stdout, stderr, runc.log, exit status, args and cwd.
run_container() {
  local name=$1 arch=$2 out=$TMP/$1
  mkdir -p "$out"
  python3 - "$TMP/bundle/config.json" "$out" <<'EOF'
import json, sys
process = json.load(open(sys.argv[1]))["process"]
open(f"{sys.argv[2]}/args", "w").write(json.dumps(process.get("args") or []))
open(f"{sys.argv[2]}/cwd", "w").write(process.get("cwd") or "/")
EOF
  CONTAINER=imageaudit-oracle-$$-$name
  local run=(runc --root "$RUNC_ROOT" --log "$out/runc.log" --log-format json)
  if [[ -n $arch && $arch != "$(host_arch)" ]]; then
    local qemu
    qemu=$(qemu_for "$arch")
    run=(python3 "$HELPER" userns "$arch" "$qemu" -- "${run[@]}" --rootless=true)
  fi
  local status=0
  timeout --kill-after=5 "$TIMEOUT" "${run[@]}" run --bundle "$TMP/bundle" "$CONTAINER" \
    </dev/null >"$out/stdout" 2>"$out/stderr" || status=$?
  if ((status == 125)) && grep -q '^oracle: ' "$out/stderr"; then
    fatal "cannot emulate linux/$arch: $(grep '^oracle: ' "$out/stderr" | head -n1)"
  fi
  echo "$status" >"$out/status"
  ((status != 124)) || echo "timed out after ${TIMEOUT}s" >>"$out/stderr"
}

main "$@"
