# shellcheck shell=bash
# The `registry` part of scripts/bench.sh: the big-gzip image and the bulk images pushed to a
# loopback docker-registry (the CNCF distribution registry, plain HTTP, storage in $SCRATCH),
# audited from there and from their tarballs, side by side. Blobs are pushed unchanged
# (skopeo --preserve-digests), so both read the same bytes: oci-archive first, because skopeo's
# docker-archive transport decompresses every layer (it serves a docker-save layer by its diffID),
# which filled the registry with uncompressed layers (1.90 GB where the tarballs hold 1.16 GB).

REGISTRY_PID=""
# Once: the EXIT trap calls it again, and a failed kill there would be the script's exit status.
stop_registry() {
  [[ -n $REGISTRY_PID ]] || return 0
  kill "$REGISTRY_PID" 2>/dev/null || true
  wait "$REGISTRY_PID" 2>/dev/null || true
  REGISTRY_PID=""
}

start_registry() { # sets REGISTRY_HOST
  command -v docker-registry >/dev/null || fatal "docker-registry is not installed (apt-get install docker-registry)"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$SCRATCH/registry"
  cat >"$SCRATCH/registry/config.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $SCRATCH/registry/storage}}
http: {addr: 127.0.0.1:$port}
YAML
  docker-registry serve "$SCRATCH/registry/config.yml" >"$SCRATCH/registry/log" 2>&1 &
  REGISTRY_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do
    python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),1)' "$port" 2>/dev/null && break
    sleep 0.1
  done
  REGISTRY_HOST=127.0.0.1:$port
}

# The CPU seconds docker-registry has used so far (it shares the 2 cores with imageaudit).
registry_cpu() { awk -v tick="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tick }' "/proc/$REGISTRY_PID/stat"; }

# As measure, then logs the CPU seconds of imageaudit (user + sys) and of docker-registry in that run.
measure_cpu() {
  local before after
  before=$(registry_cpu)
  measure "$@"
  after=$(registry_cpu)
  log "  $2 round $3: imageaudit $(awk -F': ' '/User time|System time/{ s += $2 } END { printf "%.2f", s }' "$SCRATCH/time.txt") s CPU, docker-registry $(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }') s CPU"
}

push_image() { # tarball repo:tag ; oci-archive first (blobs as they are), then docker-archive
  local transport
  for transport in oci-archive docker-archive; do
    skopeo copy -q --preserve-digests --dest-tls-verify=false "$transport:$1" "docker://$REGISTRY_HOST/$2" 2>/dev/null && return 0
  done
  return 1
}

bench_registry() {
  start_registry
  # The bulk images first, alone in the catalog, so that docker://HOST/ is exactly them.
  log "registry: pushing the bulk images to $REGISTRY_HOST"
  local pushed=$SCRATCH/pushed image name count=0 round
  mkdir -p "$pushed"
  for image in "$CACHE"/bulk/images/*.tar; do
    # The deliberately broken inputs are not the same image once pushed: skopeo refuses the
    # truncated one and pushes the mismatching one as a readable image.
    [[ $image != *-unreadable-* ]] || continue
    name=$(basename "$image" .tar | tr 'A-Z_' 'a-z-')
    if push_image "$image" "bulk/$name:1"; then
      ln -s "$image" "$pushed/$(basename "$image")"
      count=$((count + 1))
    fi
  done
  log "registry: $count bulk images pushed"
  for ((round = 1; round <= RUNS; round++)); do
    log "registry: bulk round $round/$RUNS"
    measure_cpu registry bulk-tarballs-jobs2 "$round" "$IMAGEAUDIT" "$pushed" --format jsonl --jobs 2
    measure_cpu registry bulk-registry-jobs2 "$round" "$IMAGEAUDIT" "docker://$REGISTRY_HOST/" --format jsonl --jobs 2
  done
  push_image "$CACHE/big-gzip.tar" bench/big-gzip:1 || fatal "cannot push big-gzip.tar"
  for ((round = 1; round <= RUNS; round++)); do
    log "registry: big-gzip round $round/$RUNS"
    cat "$CACHE/big-gzip.tar" >/dev/null
    measure_cpu registry big-gzip-tarball "$round" "$IMAGEAUDIT" "$CACHE/big-gzip.tar" --format json
    measure_cpu registry big-gzip-registry "$round" "$IMAGEAUDIT" "docker://$REGISTRY_HOST/bench/big-gzip:1" --format json
  done
  stop_registry
}
