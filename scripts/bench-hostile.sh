#!/usr/bin/env bash
# The hostile inputs of docs/security.md, each measured against the bounds of issue 16: wall time
# and peak RSS (/usr/bin/time -v), the exit status and the first error line. A case fails when it
# takes more than 60 s or 500 MB, or when it ends otherwise than expected. Inputs come from the
# release `hostile-images` generator (Sources/ImageAuditTestSupport), streamed where they are big
# or endless; nothing is checked in. The decompression bomb (20 GiB of zeros, ~21 MB of gzip) is
# written through a pipe, never inflated on disk.
#
# Usage: scripts/bench-hostile.sh [--no-build] [--only case,case] [--no-bomb]
#   BENCH_CACHE  where the bomb blob is kept between runs (default: .bench/ in the repository)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${BENCH_CACHE:-$ROOT/.bench}
BUILD=1
BOMB=1
ONLY=""
MAX_SECONDS=60
MAX_KB=$((500 * 1024))

while (($#)); do
  case $1 in
    --no-build) BUILD=0; shift ;;
    --no-bomb) BOMB=0; shift ;;
    --only) ONLY=$2; shift 2 ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) printf 'error: unknown option %s\n' "$1" >&2; exit 64 ;;
  esac
done

cd "$ROOT"
if ((BUILD)); then
  swift build -c release --product imageaudit >&2
  swift build -c release --product hostile-images >&2
fi
BIN=$(swift build -c release --show-bin-path)
AUDIT=$BIN/imageaudit
GEN=$BIN/hostile-images
[[ -x $AUDIT && -x $GEN ]] || { echo "error: build imageaudit and hostile-images in release first" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "error: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$CACHE"
FAILED=0

printf '%-22s %8s %9s %5s  %s\n' case seconds "peak MB" exit "first line of standard error"

# measure NAME EXPECTED-EXIT COMMAND: runs COMMAND (a shell string) under /usr/bin/time -v.
measure() {
  local name=$1 expected=$2 command=$3
  if [[ -n $ONLY && ",$ONLY," != *",$name,"* ]]; then return; fi
  local stats=$WORK/$name.time errors=$WORK/$name.err status=0
  /usr/bin/time -v -o "$stats" bash -o pipefail -c "$command" >/dev/null 2>"$errors" || status=$?
  # With a pipe, time -v reports the pipeline's largest process (bash waits for all of them).
  local seconds kb
  seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$stats")
  kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$stats")
  local verdict=ok
  if [[ $status != "$expected" ]]; then verdict="FAIL (exit $status, expected $expected)"; fi
  if awk -v s="$seconds" -v m="$MAX_SECONDS" 'BEGIN { exit !(s > m) }'; then verdict="FAIL (over ${MAX_SECONDS}s)"; fi
  if ((kb > MAX_KB)); then verdict="FAIL (over 500 MB)"; fi
  [[ $verdict == ok ]] || FAILED=1
  printf '%-22s %8.1f %9.0f %5s  %s  [%s]\n' "$name" "$seconds" "$((kb / 1024))" "$status" \
    "$(head -c 160 "$errors" | head -n 1)" "$verdict"
}

"$GEN" repeated-layer 1000 >"$WORK/repeated.tar"
"$GEN" repeated-layer 500 >"$WORK/repeated500.tar"
"$GEN" repeated-layer 49 >"$WORK/repeated49.tar"
"$GEN" needed 100000 >"$WORK/needed.tar"
"$GEN" deep 3000 >"$WORK/deep.tar"
"$GEN" injection >"$WORK/injection.tar"

# Defect 1: 1,000 x one 20,000-entry layer: over --max-layers; 500 x: over the entries merged;
# 49 x (980,000 entries merged) is read and judged, in the memory of one layer.
measure repeated-layer-1000 2 "'$AUDIT' '$WORK/repeated.tar' --quiet"
measure repeated-layer-500 2 "'$AUDIT' '$WORK/repeated500.tar' --quiet"
measure repeated-layer-49 1 "'$AUDIT' '$WORK/repeated49.tar' --quiet"
# Defect 2: 100,000 missing DT_NEEDED names.
measure needed-100000 2 "'$AUDIT' '$WORK/needed.tar' --quiet"
# Defect 3: 3,000 nested directories (stops at --max-path-depth 512).
measure deep-3000 2 "'$AUDIT' '$WORK/deep.tar' --quiet"
# Defect 6: endless or huge streams on standard input.
measure empty-files-2M 2 "'$GEN' empty-files 2000000 | '$AUDIT' - --quiet"
measure outer-endless 2 "'$GEN' outer-entries | '$AUDIT' - --quiet"
measure layer-endless 2 "'$GEN' endless-layer | '$AUDIT' - --quiet"
# Defect 5: the injection image, text report.
measure injection 1 "'$AUDIT' '$WORK/injection.tar' --quiet --no-color"

if ((BOMB)); then
  bomb=$CACHE/bomb-20g.gz
  if [[ ! -s $bomb ]]; then
    echo "** writing $bomb: 20 GiB of zeros through gzip -9 (about a minute)" >&2
    head -c $((20 << 30)) /dev/zero | gzip -9 >"$bomb.part" && mv "$bomb.part" "$bomb"
  fi
  # A docker save around the blob; its diff_id is not the zeros' digest, so a full read ends in
  # exit 2 "does not match" after every byte was inflated and hashed.
  python3 - "$bomb" "$WORK/bomb.tar" <<'PY'
import io, json, sys, tarfile
blob, out = sys.argv[1], sys.argv[2]
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Entrypoint": ["/x"]},
                     "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "0" * 64]}}).encode()
manifest = json.dumps([{"Config": "c.json", "RepoTags": ["hostile/bomb:latest"], "Layers": ["l/layer.tar"]}]).encode()
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
    for name, data in (("manifest.json", manifest), ("c.json", config)):
        info = tarfile.TarInfo(name); info.size = len(data); tar.addfile(info, io.BytesIO(data))
    tar.add(blob, arcname="l/layer.tar")
PY
  measure gzip-bomb-20GiB 2 "'$AUDIT' '$WORK/bomb.tar' --quiet"
fi

exit $FAILED
