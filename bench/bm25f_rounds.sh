#!/usr/bin/env bash
# bm25f before/after (issue 15): the runs of two scour binaries must be byte-identical (OR and AND
# logs, k = 10 and 1000); then interleaved timing rounds (one thread, k = 10, `bench --json` per
# binary and mode into OUT/time.ROUND.NAME.MODE.json); then callgrind on the first 50 queries of
# each log and on one query (start-up), totals in OUT/callgrind.txt. Run inside
# `flock /work/wt/.bench.lock`.
#
#   bench/bm25f_rounds.sh ROUNDS OUT BEFORE_BIN AFTER_BIN
#     IDX (a title+text index: `scour index --store none real.jsonl`), QDIR (or.tsv, and.tsv),
#     REPS (5), WARM (2 s)
set -euo pipefail
rounds=$1 out=$2 before=$3 after=$4
IDX=${IDX:-/work/data/s10-bm25f/tt} Q=${QDIR:-/work/data/large/queries}
reps=${REPS:-5} warm=${WARM:-2}
mkdir -p "$out"
declare -A bin=([before]=$before [after]=$after)
run() { "${bin[$1]}" bench --index "$IDX" --ranker bm25f --threads 1 "${@:2}"; }
for b in before after; do
  for mode in or and; do
    for k in 10 1000; do
      run $b --queries "$Q/$mode.tsv" --mode $mode -k $k --repeat 1 --warmup-secs 0 \
        --run "$out/$b.$mode.$k.run" > /dev/null
    done
  done
done
for mode in or and; do
  for k in 10 1000; do
    cmp "$out/before.$mode.$k.run" "$out/after.$mode.$k.run" && echo "identical: $mode k=$k"
  done
done
for r in $(seq 1 "$rounds"); do
  for mode in or and; do
    for b in before after; do
      run $b --queries "$Q/$mode.tsv" --mode $mode -k 10 --repeat "$reps" --warmup-secs "$warm" \
        --json > "$out/time.$r.$b.$mode.json"
      echo "round $r $b $mode $(cat "$out/time.$r.$b.$mode.json")"
    done
  done
done
head -50 "$Q/or.tsv" > "$out/or50.tsv"
head -50 "$Q/and.tsv" > "$out/and50.tsv"
head -1 "$Q/or.tsv" > "$out/one.tsv"
for b in before after; do
  for q in or50:or and50:and one:or; do
    f=${q%%:*} mode=${q##*:}
    valgrind --tool=callgrind --callgrind-out-file="$out/cg.$b.$f" "${bin[$b]}" bench \
      --index "$IDX" --queries "$out/$f.tsv" --mode $mode -k 10 --ranker bm25f --threads 1 \
      --repeat 1 --warmup-secs 0 > /dev/null 2> "$out/cg.$b.$f.log"
    echo "$b $f $(grep -o 'Collected : [0-9]*' "$out/cg.$b.$f.log")" | tee -a "$out/callgrind.txt"
  done
done
