#!/bin/bash
# Instructions per query in Execute (callgrind), one steady-state pass: (2 passes - 1 pass) /
# queries of `scour bench --repeat 2|1 --warmup-secs 0` (the first pass fills the score tables),
# per log and depth, for each index given (docs/PERFORMANCE.md, "A million documents").
#
#   bench/query_instructions.sh SCOUR IDX... [QDIR=/work/data/large/queries]
#   rows: and:10 or:10 phrase:10 term:10 (or) and:1000 or:1000 (the first 300 queries at 1000)
set -euo pipefail
S=$1; shift
Q=${QDIR:-/work/data/large/queries}
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
head -n 300 "$Q/and.tsv" >"$W/and300.tsv"; head -n 300 "$Q/or.tsv" >"$W/or300.tsv"
for spec in and:10:$Q/and.tsv or:10:$Q/or.tsv phrase:10:$Q/phrase.tsv or:10:$Q/term.tsv \
            and:1000:$W/and300.tsv or:1000:$W/or300.tsv; do
  IFS=: read -r mode k qf <<<"$spec"
  n=$(wc -l <"$qf")
  for idx in "$@"; do
    c=()
    for rep in 1 2; do
      c+=("$(valgrind --tool=callgrind --toggle-collect='scour::engine::Execute*' \
        --callgrind-out-file=/dev/null "$S" bench --index "$idx" --queries "$qf" --mode "$mode" \
        -k "$k" --threads 1 --repeat $rep --warmup-secs 0 2>&1 >/dev/null |
        awk '/Collected/ {print $4}')")
    done
    echo "$mode k=$k $(basename "$qf") $idx queries=$n per_query=$(((c[1] - c[0]) / n))"
  done
done
