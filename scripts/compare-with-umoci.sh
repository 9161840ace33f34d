#!/usr/bin/env bash
# Compares what `imageaudit inspect --format json --files` says an image's filesystem holds with
# an independent unpack of the same tarball:
#   skopeo copy docker-archive:T[:@N] | oci-archive:T  oci:DIR:image
#     (layers recompressed to gzip: Debian's umoci 0.4.7 cannot read zstd),
#   umoci raw unpack --image DIR:image ROOTFS   (as root, owners preserved; otherwise --rootless
#     and uid/gid are not compared),
# then every path of ROOTFS against the JSON: same paths, types, modes, symlink targets, file
# sizes, owners. A tarball both tools refuse (not an image) counts as agreement.
#
# Usage: scripts/compare-with-umoci.sh [TARBALL…]
#   (default: TestImages/*.tar and the shared/realimages/*.tar found beside the checkout)
# Exit status: 0 when everything agrees, 1 otherwise.
set -euo pipefail
log() { printf -- '** %s\n' "$*" >&2; }
fatal() { log "error: $*"; exit 2; }

cd "$(dirname "$0")/.."
ROOT=$PWD
HELPER=$ROOT/scripts/lib/compare_trees.py
TMP=$(mktemp -d /tmp/imageaudit-umoci.XXXXXX)
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT

for tool in skopeo umoci python3; do
  command -v "$tool" >/dev/null || fatal "$tool is missing (apt-get install skopeo umoci python3)"
done

# The shared real images sit beside the main checkout (../shared) or above a worktree.
realimages() {
  local dir=$ROOT
  while [[ $dir != / ]]; do
    dir=$(dirname "$dir")
    if [[ -f $dir/shared/realimages/README.md ]]; then
      printf '%s\n' "$dir"/shared/realimages/*.tar
      return
    fi
  done
}

if (($#)); then
  tarballs=("$@")
else
  mapfile -t tarballs < <(ls TestImages/*.tar 2>/dev/null; realimages)
fi
((${#tarballs[@]})) || fatal "no tarballs to compare"

log "building imageaudit (release)"
swift build -c release --product imageaudit >/dev/null
IMAGEAUDIT=$ROOT/.build/release/imageaudit

unpack_flags=()
owners=()
if [[ $(id -u) -ne 0 ]]; then
  unpack_flags=(--rootless)
  owners=(--no-owners)
fi

agreed=0
disagreed=0
for tarball in "${tarballs[@]}"; do
  name=$(basename "$tarball")
  work=$TMP/$name
  mkdir -p "$work"
  if ! "$IMAGEAUDIT" inspect --format json --files "$tarball" >"$work/inspect.json" 2>"$work/inspect.err"; then
    # Not readable for imageaudit: skopeo must refuse it too.
    if skopeo inspect --raw "docker-archive:$tarball" >/dev/null 2>&1 || skopeo inspect --raw "oci-archive:$tarball" >/dev/null 2>&1; then
      printf 'DIFFER  %s: imageaudit refuses it (%s), skopeo reads it\n' "$name" "$(cat "$work/inspect.err")"
      disagreed=$((disagreed + 1))
    else
      printf 'AGREE   %s: both refuse it (%s)\n' "$name" "$(cat "$work/inspect.err")"
      agreed=$((agreed + 1))
    fi
    continue
  fi
  count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["images"]))' "$work/inspect.json")
  transport=oci-archive
  # (Not `tar | grep -q`: grep's early exit would fail the pipeline under pipefail.)
  listing=$(tar -tf "$tarball")
  if grep -qx -e 'manifest.json' -e './manifest.json' <<<"$listing"; then transport=docker-archive; fi
  # skopeo needs a ref name when index.json lists several manifests (signatures, artifacts too).
  manifests=1
  if [[ $transport == oci-archive ]]; then
    manifests=$(tar -xOf "$tarball" index.json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["manifests"]))')
  fi
  for ((index = 0; index < count; index++)); do
    source="$transport:$tarball"
    if [[ $transport == docker-archive && $count -gt 1 ]]; then source+=":@$index"; fi
    if [[ $transport == oci-archive ]] && ((count > 1 || manifests > 1)); then
      source+=":$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["images"][int(sys.argv[2])]["names"][0])' "$work/inspect.json" "$index")"
    fi
    rm -rf "$work/oci" "$work/rootfs"
    if ! skopeo copy --quiet --dest-compress-format gzip --dest-compress "$source" "oci:$work/oci:image" \
      >/dev/null 2>"$work/skopeo.err"; then
      printf 'DIFFER  %s[%d]: skopeo cannot read it: %s\n' "$name" "$index" "$(tail -n1 "$work/skopeo.err")"
      disagreed=$((disagreed + 1))
      continue
    fi
    if ! umoci raw unpack "${unpack_flags[@]}" --image "$work/oci:image" "$work/rootfs" >/dev/null 2>"$work/umoci.err"; then
      printf 'DIFFER  %s[%d]: umoci cannot unpack it: %s\n' "$name" "$index" "$(tail -n1 "$work/umoci.err")"
      disagreed=$((disagreed + 1))
      continue
    fi
    if result=$(python3 "$HELPER" "$work/inspect.json" "$index" "$work/rootfs" "${owners[@]}"); then
      printf 'AGREE   %s[%d]:%s\n' "$name" "$index" "${result#*  }"
      agreed=$((agreed + 1))
    else
      printf 'DIFFER  %s[%d]:\n%s\n' "$name" "$index" "$result"
      disagreed=$((disagreed + 1))
    fi
    rm -rf "$work/oci" "$work/rootfs"
  done
done
printf '\n%d agree, %d differ\n' "$agreed" "$disagreed"
((disagreed == 0))
