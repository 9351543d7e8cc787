#!/usr/bin/env bash
# The tests (= .ci/run): install what is missing, check the C++ formatting (clang-format) and the
# commit subjects (at most 72 characters, scripts/check-commits.sh), build
# with warnings as errors and run the whole suite with ctest; then build again with ASan + UBSan
# (-O1, preset `asan`: the library and the CLI instrumented, the tests' own code not) and run the
# C++ suite under the sanitizers: all but the package-install test (it checks an uninstrumented
# install), the headless-browser test (it checks rendered HTML) and the Python module (not built by preset `asan`: 160 s under ASan in CI;
# `scripts/sanitize.sh python` runs it); then builds only the multi-threaded tests (ctest label
# `concurrency`, target `concurrency_tests`) with TSan (preset `tsan`) and runs them.
# SCOUR_SKIP_SANITIZERS=1 stops after the first stage (docs/RELIABILITY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-format.sh
scripts/check-commits.sh
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$(nproc)"
ctest --preset ci -j"$(nproc)"
if [ "${SCOUR_SKIP_SANITIZERS:-0}" = "0" ]; then
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j"$(nproc)"
  ctest --preset asan -j"$(nproc)" --label-exclude "package|browser"
  # TSan: not a third build of the suite, only the targets of the `concurrency` tests.
  export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j"$(nproc)" --target concurrency_tests
  ctest --preset tsan -j"$(nproc)"
fi
