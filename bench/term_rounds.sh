#!/usr/bin/env bash
# Single-term queries against Lucene 8.8 (issue 19): interleaved rounds over `term.tsv`, k = 10,
# per round Lucene's harness, then each scour binary in turn, all warmed and one thread. Appends
# STATS lines to OUT/stats.txt; `bench/peer_rounds_summary.py OUT/stats.txt` summarises.
#
#   bench/term_rounds.sh ROUNDS OUT NAME=BIN...
#     IDX (scour index), LUCENE_IDX (the harness's index of the same corpus), QDIR (term.tsv),
#     PEERS_BUILD, REPS (5), WARM (10 s)
set -euo pipefail
rounds=$1 out=$2
shift 2
IDX=${IDX:-/work/data/s9/idx} L=${LUCENE_IDX:-/work/data/engine-bench/lucene_index}
Q=${QDIR:-/work/data/large/queries} P=${PEERS_BUILD:-$HOME/.cache/scour-peers/build}
reps=${REPS:-5} warm=${WARM:-10}
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
  l=$(java -Xmx4g -cp "$P/lucene:$(cat "$P/lucene/classpath")" PeersLucene search "$L" "$Q/term.tsv" \
      10 or --reps "$reps" --warmup-secs "$warm" --run /dev/null 2>&1 >/dev/null | grep ^STATS)
  echo "round=$r mode=term engine=lucene $l" | tee -a "$out/stats.txt"
  for nb in "$@"; do
    who=${nb%%=*} bin=${nb#*=}
    s=$("$bin" bench --index "$IDX" --queries "$Q/term.tsv" --mode or -k 10 --threads 1 \
        --repeat "$reps" --warmup-secs "$warm" --json)
    echo "round=$r mode=term engine=$who $s" | tee -a "$out/stats.txt"
  done
done
