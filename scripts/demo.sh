#!/usr/bin/env bash
# Builds imageaudit in release mode and audits two bundled test images: a Go binary built with
# cgo copied into an Alpine-like image (fails to start) and a static Go binary in scratch (starts).
# Extra arguments are passed to imageaudit, e.g. `scripts/demo.sh --format json`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product imageaudit
status=0
.build/release/imageaudit "$@" TestImages/alpine-go-cgo.tar TestImages/scratch-go-static.tar || status=$?
echo
echo "imageaudit exit status: $status (1 = some image would not start, as expected here; 2 = unreadable input)"
[ "$status" -eq 1 ]
