#!/usr/bin/env bash
# Sanitizer runs (docs/RELIABILITY.md): the whole test suite under ASan+UBSan (build/asan), then
# the `concurrency`-labelled tests under TSan (build/tsan). Usage:
# scripts/sanitize.sh [asan|tsan|python] (default asan and tsan). `python` builds the Python module
# under ASan + UBSan in build/asan and runs its pytest suite there (not in CI: ~160 s). Extra ctest arguments can be passed in CTEST_ARGS, e.g. CTEST_ARGS="-L reliability".
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-2}"
which="${1:-all}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"
if [ "$which" = all ] || [ "$which" = asan ]; then
  cmake --preset asan
  cmake --build --preset asan -j"$JOBS"
  # shellcheck disable=SC2086
  ctest --preset asan -j"$JOBS" ${CTEST_ARGS:-}
fi
if [ "$which" = python ]; then
  cmake --preset asan -DSCOUR_BUILD_PYTHON=ON
  cmake --build --preset asan -j"$JOBS" --target scour_python scour_cli
  ctest --preset asan -L python
  cmake --preset asan >/dev/null # back to the preset's own settings
fi
if [ "$which" = all ] || [ "$which" = tsan ]; then
  cmake --preset tsan
  # Only the multi-threaded tests: the concurrency test and the index round trip with worker
  # threads. They run directly (ctest would list the unbuilt targets as missing).
  cmake --build --preset tsan -j"$JOBS" --target concurrency_test index_test
  build/tsan/tests/reliability/concurrency_test
  build/tsan/tests/index/index_test --gtest_filter='*RoundTrip*:*Snapshot*:*InversionError*'
fi
