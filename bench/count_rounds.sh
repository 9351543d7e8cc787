#!/usr/bin/env bash
# Exact counts against Lucene 8.8 (issue 19): interleaved rounds over the AND and OR logs, per
# round and mode Lucene's harness with --count (IndexSearcher.count), then `scour bench --count`,
# both warmed and one thread. Appends STATS lines to OUT/stats.txt; then
# `bench/peer_rounds_summary.py OUT/stats.txt` gives the medians and same-round ratios.
#
#   bench/count_rounds.sh ROUNDS OUT
#     SCOUR (scour binary), IDX (scour index), LUCENE_IDX (the harness's index of the same
#     corpus), QDIR (and.tsv, or.tsv), PEERS_BUILD, REPS (5), WARM (10 s), MODES ("and or")
set -euo pipefail
rounds=$1 out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
S=${SCOUR:-$here/build/release/cli/scour} IDX=${IDX:-/work/data/s9/idx}
L=${LUCENE_IDX:-/work/data/engine-bench/lucene_index} Q=${QDIR:-/work/data/large/queries}
P=${PEERS_BUILD:-$HOME/.cache/scour-peers/build}
reps=${REPS:-5} warm=${WARM:-10}
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
  for m in ${MODES:-and or}; do
    l=$(java -Xmx4g -cp "$P/lucene:$(cat "$P/lucene/classpath")" PeersLucene search "$L" "$Q/$m.tsv" \
        10 $m --count --reps "$reps" --warmup-secs "$warm" --run /dev/null 2>&1 >/dev/null | grep ^STATS)
    echo "round=$r mode=$m engine=lucene $l" | tee -a "$out/stats.txt"
    s=$("$S" bench --index "$IDX" --queries "$Q/$m.tsv" --mode $m --count --threads 1 \
        --repeat "$reps" --warmup-secs "$warm" --json)
    echo "round=$r mode=$m engine=scour $s" | tee -a "$out/stats.txt"
  done
done
