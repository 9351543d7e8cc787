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
  clang               # lock annotations checked by -Wthread-safety (build); fuzzers
  python3-dev pybind11-dev  # the Python module (docs/PYTHON.md)
  python3-numpy python3-pandas python3-pytest  # its results as DataFrames, its tests
)
# Optional: the HTML report's browser test (tests/eval/html_browser_test.py) uses them and skips
# with a message where they cannot be installed.
OPTIONAL=(chromium python3-websocket)
missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  if [[ $status != *"install ok installed"* ]]; then
    missing+=("$p")
  fi
done
optional_missing=()
for p in "${OPTIONAL[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == *"install ok installed"* ]] || optional_missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ] && [ ${#optional_missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present (and ${#OPTIONAL[@]} optional)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    if [ ${#missing[@]} -eq 0 ]; then
      echo "install-deps: cannot install optional ${optional_missing[*]}: no root or sudo"
      exit 0
    fi
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi
if [ ${#optional_missing[@]} -gt 0 ]; then
  echo "install-deps: installing optional ${optional_missing[*]}"
  if ! $SUDO apt-get install -y --no-install-recommends "${optional_missing[@]}" &&
     ! { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends \
           "${optional_missing[@]}"; }; then
    echo "install-deps: could not install ${optional_missing[*]}; the browser test will be skipped"
  fi
fi
