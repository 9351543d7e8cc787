#!/usr/bin/env bash
# Installs the Debian packages scour needs, only those that are missing. Idempotent; works as
# root or through sudo. Prints what it installs.
set -euo pipefail
PACKAGES=(
  build-essential cmake pkg-config git
  libicu-dev          # word segmentation, normalisation, case folding
  libstemmer-dev      # Snowball stemmers
  libabsl-dev         # Status/StatusOr, strings, containers, synchronisation
  libbenchmark-dev    # micro-benchmarks
  libgtest-dev libgmock-dev  # tests
  libzstd-dev         # stored-field compression
  nlohmann-json3-dev  # JSON reading and writing
  libcli11-dev        # command line
  clang-format        # scripts/check-format.sh, run by the tests
)
missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  if [[ $status != *"install ok installed"* ]]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
