#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined) in build/fuzz and
# runs each for N seconds (default 60) over its seed corpus fuzz/corpus/<target>/. New inputs
# go to build/fuzz/corpus/<target>/ (the committed seeds are not modified); crashes to
# build/fuzz/artifacts/<target>/. Usage: scripts/fuzz.sh [seconds] [target ...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(query_parser_fuzzer jsonl_reader_fuzzer tsv_reader_fuzzer segment_reader_fuzzer
           analyzer_fuzzer topic_ids_fuzzer trec_io_fuzzer
           file_name_fuzzer fusion_fuzzer index_set_fuzzer synonyms_fuzzer
           surface_dict_fuzzer term_vectors_fuzzer)
fi
BUILD=build/fuzz
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DSCOUR_BUILD_FUZZERS=ON -DSCOUR_BUILD_TESTS=OFF -DSCOUR_BUILD_BENCHMARKS=OFF \
  -DSCOUR_BUILD_CLI=OFF -DSCOUR_INSTALL=OFF -DSCOUR_SANITIZE=address,undefined \
  -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
cmake --build "$BUILD" -j2 --target "${TARGETS[@]}"

# The segment reader's seeds are the files of a small index, written by the fuzzer itself on
# every run (they follow the current format, so they are not committed); a version-1
# dictionary seed comes from the golden index (first byte 9: slot 1 = .tdict, bit 3 = version 1).
mkdir -p fuzz/corpus/segment_reader_fuzzer
SCOUR_FUZZ_WRITE_SEEDS=fuzz/corpus/segment_reader_fuzzer "$BUILD/fuzz/segment_reader_fuzzer" \
  -runs=0 >/dev/null 2>&1 || true
v1=tests/data/golden-v1/s00000001.tdict
{ printf '\x09'; tail -c +13 "$v1" | head -c $(( $(stat -c %s "$v1") - 28 )); } \
  > fuzz/corpus/segment_reader_fuzzer/seed_tdict_v1
# The surface dictionary's seeds: the fuzzer writes both layouts (blocks, groups) at every
# version that wrote them; the golden indexes' .surf files are added (first byte: version - 1).
mkdir -p fuzz/corpus/surface_dict_fuzzer
SCOUR_FUZZ_WRITE_SEEDS=fuzz/corpus/surface_dict_fuzzer "$BUILD/fuzz/surface_dict_fuzzer" \
  -runs=0 >/dev/null 2>&1 || true
for f in tests/data/golden-v*/*.surf; do
  v=$(od -An -tu4 -j8 -N4 "$f" | tr -d ' ')
  { printf "\\x$(printf %02x $((v - 1)))"; tail -c +13 "$f" | head -c $(( $(stat -c %s "$f") - 28 )); } \
    > "fuzz/corpus/surface_dict_fuzzer/seed_golden_v${v}_$(basename "$f" .surf)"
done
mkdir -p fuzz/corpus/term_vectors_fuzzer
SCOUR_FUZZ_WRITE_SEEDS=fuzz/corpus/term_vectors_fuzzer "$BUILD/fuzz/term_vectors_fuzzer" \
  -runs=0 >/dev/null 2>&1 || true

status=0
for t in "${TARGETS[@]}"; do
  seeds="fuzz/corpus/$t"
  [ -d "$seeds" ] || seeds="fuzz/corpus/${t%_fuzzer}"
  mkdir -p "$seeds" "$BUILD/corpus/$t" "$BUILD/artifacts/$t"
  echo "== $t: ${SECONDS_PER_TARGET}s over $seeds"
  log="$BUILD/$t.log"
  if ! "$BUILD/fuzz/$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t/" \
      "$BUILD/corpus/$t" "$seeds" >"$log" 2>&1; then
    echo "!! $t FAILED (see $log and $BUILD/artifacts/$t/)"
    tail -n 40 "$log"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" | sed "s/^/   /" || true
done
exit $status
