#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what is missing, builds, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# The scripts: Python by pyflakes (Debian's python3-pyflakes), shell by shellcheck, and the
# oracle's classifier against the real messages in TestImages/expected.tsv.
pyflakes3 scripts
shellcheck -x scripts/*.sh scripts/lib/*.sh .ci/run
scripts/lint-ci.sh   # action.yml and the GitLab template against their schemas
python3 scripts/lib/test_oracle_classify.py
# The Swift: swift-format (in the toolchain) with the committed .swift-format, strict.
swift format lint --strict --parallel -r Sources Tests Fuzz Plugins Package.swift
swift build --build-tests
swift test --skip-build
