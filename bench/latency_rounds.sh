#!/usr/bin/env bash
# The issue-19 latency table against Lucene 8.8: interleaved rounds, per round and row Lucene's
# harness, then `scour bench`, both warmed and one thread (exact top k, no counts). Rows are
# LOG:K[:N] (N = first N queries of LOG.tsv; `term` runs term.tsv as OR). Appends lines
# `round=R mode=LOG_K engine=E STATS` to OUT/stats.txt; `bench/peer_rounds_summary.py` reads it.
#
#   bench/latency_rounds.sh ROUNDS OUT [ROW...]
#     default rows: and:10 or:10 phrase:10 term:10 and:100 or:100 and:1000:300 or:1000:300
#     SCOUR (scour binary), IDX (scour index), LUCENE_IDX (the harness's index of the same
#     corpus), QDIR (*.tsv), PEERS_BUILD, REPS (5), WARM (10 s)
set -euo pipefail
rounds=$1 out=$2
shift 2
rows=("$@")
[ ${#rows[@]} -gt 0 ] || rows=(and:10 or:10 phrase:10 term:10 and:100 or:100 and:1000:300 or:1000:300)
here=$(cd "$(dirname "$0")/.." && pwd)
S=${SCOUR:-$here/build/release/cli/scour} IDX=${IDX:-/work/data/s9/idx}
L=${LUCENE_IDX:-/work/data/engine-bench/lucene_index} Q=${QDIR:-/work/data/large/queries}
P=${PEERS_BUILD:-$HOME/.cache/scour-peers/build}
reps=${REPS:-5} warm=${WARM:-10}
mkdir -p "$out"
first=${FIRST_ROUND:-1}
for r in $(seq "$first" $((first + rounds - 1))); do
  for row in "${rows[@]}"; do
    IFS=: read -r log k n <<<"$row"
    mode=$log; [ "$log" = term ] && mode=or
    qf=$Q/$log.tsv
    if [ -n "${n:-}" ]; then qf=$out/$log-first$n.tsv; head -n "$n" "$Q/$log.tsv" >"$qf"; fi
    name=${log}_$k${n:+_$n}
    l=$(java -Xmx4g -cp "$P/lucene:$(cat "$P/lucene/classpath")" PeersLucene search "$L" "$qf" \
        "$k" "$mode" --reps "$reps" --warmup-secs "$warm" --run /dev/null 2>&1 >/dev/null | grep ^STATS)
    echo "round=$r mode=$name engine=lucene $l" | tee -a "$out/stats.txt"
    s=$("$S" bench --index "$IDX" --queries "$qf" --mode "$mode" -k "$k" --threads 1 \
        --repeat "$reps" --warmup-secs "$warm" --json)
    echo "round=$r mode=$name engine=scour $s" | tee -a "$out/stats.txt"
  done
done
