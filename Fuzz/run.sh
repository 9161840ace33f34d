#!/usr/bin/env bash
# Builds the libFuzzer targets with -sanitize=fuzzer,address (separate scratch path, release)
# and runs each for SECONDS (default 60), seeded from TestImages and the ELF fixtures. Fails on
# any crash, sanitizer report or timeout libFuzzer reports; the reproducer is left in
# .build-fuzz/artifacts/. Fuzz/README.md.
#
# Usage: Fuzz/run.sh [SECONDS] [TARGET…]   targets: fuzz-elf fuzz-reader (default both)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(fuzz-elf fuzz-reader)
SCRATCH=.build-fuzz
FLAGS=(-c release --scratch-path "$SCRATCH" -Xswiftc "-sanitize=fuzzer,address" -Xswiftc -DFUZZING -Xswiftc -use-ld=lld)

mkdir -p "$SCRATCH/corpus" "$SCRATCH/artifacts"
for target in "${TARGETS[@]}"; do
  swift build "${FLAGS[@]}" --product "$target" >&2
  corpus=$SCRATCH/corpus/$target
  mkdir -p "$corpus"
  case $target in
    # Seeds: the ELF fixtures, and the programs of the smallest test images.
    fuzz-elf) find Tests/Fixtures/elf -type f -size -256k -exec cp -n {} "$corpus/" \; ;;
    fuzz-reader) find TestImages -maxdepth 1 -name '*.tar' -size -64k -exec cp -n {} "$corpus/" \; ;;
    *) echo "error: unknown target $target" >&2; exit 64 ;;
  esac
  echo "** $target: ${SECONDS_EACH}s, corpus $corpus ($(find "$corpus" -type f | wc -l) files)" >&2
  # Swift's runtime keeps caches for the life of the process; leaks are not what this looks for.
  ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$SCRATCH/release/$target" "$corpus" \
    -dict=Fuzz/imageaudit.dict -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$SCRATCH/artifacts/$target-" -print_final_stats=1 2>&1 | tail -n 12 >&2
done
