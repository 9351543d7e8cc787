#!/usr/bin/env bash
# Peak RSS of `scour merge` (to one segment) of the large corpus, with and without term vectors,
# for two builds (before/after). The segments are written once, by NEW, with --ram-mb 64
# --no-merge (both builds read the same .tvec format).
# Usage: bench/tvec_merge_rss.sh NEW OLD OUT_DIR
set -euo pipefail
NEW=$1; OLD=$2; OUT=$3; mkdir -p "$OUT"
L=/work/data/large
flock /work/wt/.bench.lock bash -c '
  set -euo pipefail
  NEW=$1; OLD=$2; OUT=$3; L=$4
  for tv in plain tvec; do
    rm -rf "$OUT/base.$tv"
    flag=""; [ $tv = tvec ] && flag="--term-vectors"
    "$NEW" index -q --threads 1 --ram-mb 64 --no-merge --index "$OUT/base.$tv" $flag "$L/real.jsonl"
    echo "$tv segments: $(ls "$OUT/base.$tv"/*.info | wc -l), $(du -sb "$OUT/base.$tv" | cut -f1) bytes"
  done
  for run in "new plain $NEW" "new tvec $NEW" "old plain $OLD" "old tvec $OLD"; do
    set -- $run
    d="$OUT/m.$1.$2"; rm -rf "$d"; cp -r "$OUT/base.$2" "$d"
    /usr/bin/time -f "%M %e %U %S" -o "$OUT/t" "$3" merge -q --index "$d"
    read m e u s < "$OUT/t"
    echo -e "$1\t$2\tmaxrss_kb=$m\twall=$e\tcpu=$(echo "$u + $s" | bc)\tsize=$(du -sb "$d" | cut -f1)\ttvec=$(cat "$d"/*.tvec 2>/dev/null | wc -c)"
  done
' _ "$NEW" "$OLD" "$OUT" "$L" | tee "$OUT/merge_rss.txt"
