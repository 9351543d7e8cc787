#!/usr/bin/env bash
# The tests: install what is missing, build with warnings as errors, run the whole suite with ctest.
# SCOUR_SANITIZE_TESTS=1 (the default in CI) also builds with ASan+UBSan and runs the suite again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$(nproc)"
ctest --preset ci -j"$(nproc)"
if [ "${SCOUR_SANITIZE_TESTS:-${CI:-0}}" != "0" ] && [ "${SCOUR_SANITIZE_TESTS:-1}" != "0" ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j"$(nproc)"
  ctest --preset asan -j"$(nproc)" --label-exclude package
fi
