#!/usr/bin/env bash
# Term vectors vs re-analysis of stored text on the large corpus (docs/FEEDBACK.md,
# docs/PERFORMANCE.md). Per round, under the bench lock: build both indexes with one thread
# (text stored in both; the second also --term-vectors), then run the OR log (1000 queries) with
# `scour search --queries --threads 1` and --expand none|rm3|bo1 at k=10 and 1000 on each,
# configurations interleaved, timing the whole process (`scour bench` times the second pass
# only: its first pass and expansion are untimed, so it cannot show this trade-off).
# Usage: bench/tvec_rounds.sh SCOUR OUT_DIR [ROUNDS]; medians: bench/tvec_rounds_summary.py OUT_DIR
set -euo pipefail
S=$1; OUT=$2; ROUNDS=${3:-3}
mkdir -p "$OUT"
L=/work/data/large; Q=$L/queries/or.tsv
: > "$OUT/build.tsv"; : > "$OUT/query.tsv"
for round in $(seq 1 "$ROUNDS"); do
  flock /work/wt/.bench.lock bash -c '
    set -euo pipefail
    S=$1; OUT=$2; round=$3; L=$4; Q=$5
    for tv in plain tvec; do
      idx="$OUT/large.$tv"; rm -rf "$idx"
      flag=""; [ $tv = tvec ] && flag="--term-vectors"
      /usr/bin/time -f "%U %S %e %M" -o "$OUT/t" "$S" index -q --threads 1 --index "$idx" $flag "$L/real.jsonl"
      read u s e m < "$OUT/t"
      size=$(du -sb "$idx" | cut -f1)
      tsize=$(cat "$idx"/*.tvec 2>/dev/null | wc -c || true)
      segs=$(ls "$idx"/*.info | wc -l)
      echo -e "$round\t$tv\t$u\t$s\t$e\t$m\t$size\t$tsize\t$segs" >> "$OUT/build.tsv"
    done
    for k in 10 1000; do
      for ex in none rm3 bo1; do
        for tv in plain tvec; do
          /usr/bin/time -f "%U %S %e" -o "$OUT/t" "$S" search --index "$OUT/large.$tv" \
            --queries "$Q" --threads 1 -k $k --expand $ex --format trec > "$OUT/run.$tv.$k.$ex"
          read u s e < "$OUT/t"
          echo -e "$round\t$tv\t$k\t$ex\t$u\t$s\t$e" >> "$OUT/query.tsv"
        done
        cmp -s "$OUT/run.plain.$k.$ex" "$OUT/run.tvec.$k.$ex" || echo "round $round k=$k $ex: runs differ" >&2
      done
    done
  ' _ "$S" "$OUT" "$round" "$L" "$Q"
done
