#!/usr/bin/env bash
# Builds imageaudit in release mode and runs it on a bundled test image.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product imageaudit
.build/release/imageaudit --version
