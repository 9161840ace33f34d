#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what is missing, builds, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
swift build --build-tests
swift test --skip-build
