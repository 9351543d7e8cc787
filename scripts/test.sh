#!/usr/bin/env bash
# The tests: install what is missing, build with warnings as errors, run the whole suite with ctest.
# SCOUR_SANITIZE_TESTS=1 also builds with ASan+UBSan and runs the suite again (about 20 more
# minutes on 2 cores, so CI leaves it to scripts/sanitize.sh; see docs/RELIABILITY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$(nproc)"
ctest --preset ci -j"$(nproc)"
if [ "${SCOUR_SANITIZE_TESTS:-0}" != "0" ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j"$(nproc)"
  ctest --preset asan -j"$(nproc)" --label-exclude package
fi
