#!/bin/bash
# Speed beside quality (issue 15): the time per topic of every configuration bench/ranking_goal.sh
# scores, on the same indexes: `scour bench` over each collection's topics at the evaluation
# depth (k = 1000), one thread, 1 s warm-up, REPS timed passes (default 3). One line per
# (collection, configuration) to OUTDIR/speed.tsv: collection, name, p50 us, mean us, p99 us,
# flags. COLLECTIONS (default "cranfield cisi scifact") picks the collections.
# Usage: bench/collections_speed.sh SCOUR OUTDIR   (OUTDIR as given to ranking_goal.sh)
set -euo pipefail
S=$(realpath "$1"); cd "$2"
reps=${REPS:-3}
out=speed.tsv
: > $out
configs=(
  "body|bm25|--ranker bm25"
  "body|qld|--ranker qld"
  "body|dfr-inb2|--ranker dfr-inb2"
  "body|dfr-inexpb2|--ranker dfr-inexpb2"
  "body|dfr-inl2|--ranker dfr-inl2"
  "tt|bm25-2fields|--ranker bm25"
  "tt|bm25f-t2-tb.2|--ranker bm25f --weights title=2 --field-b title=0.2,text=0.5"
  "body|bm25+rm3|--ranker bm25 --expand rm3"
  "body|bm25+bo1|--ranker bm25 --expand bo1"
  "body|dfr-inb2+rm3|--ranker dfr-inb2 --expand rm3"
  "body|dfr-inb2+bo1|--ranker dfr-inb2 --expand bo1"
  "tt|bm25f-t2-tb.2+rm3|--ranker bm25f --weights title=2 --field-b title=0.2,text=0.5 --expand rm3"
)
for c in ${COLLECTIONS:-cranfield cisi scifact}; do
  T=/work/shared/collections/$c/topics.tsv
  for cfg in "${configs[@]}"; do
    IFS='|' read -r idx name flags <<<"$cfg"
    # shellcheck disable=SC2086
    j=$("$S" bench --index "$c.$idx" --queries "$T" --mode or -k 1000 --threads 1 \
        --repeat "$reps" --warmup-secs 1 --json $flags)
    printf '%s\t%s\t%s\t%s\n' "$c" "$name" \
      "$(echo "$j" | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["p50_us"], j["mean_us"], j["p99_us"], sep="\t")')" \
      "$flags" | tee -a $out
  done
done
