#!/bin/bash
# The two-thread ceiling (docs/PERFORMANCE.md, "Two threads against one"):
# per round, the one-thread build of CORPUS, the two-thread build, then its two halves (split
# at the line nearest the middle byte) built by two one-thread processes at once and one after
# the other. Prints seconds and the ratios: full / two threads, full / halves at once, halves
# in sequence / full.
#
#   bench/split_build.sh [CORPUS.jsonl] [SCOUR_BINARY] [ROUNDS]
set -euo pipefail
C=${1:-/data/large-corpus/real.jsonl}
S=${2:-$(dirname "$0")/../build/release/cli/scour}
R=${3:-10}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
python3 - "$C" "$W" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
m = d.index(b'\n', len(d) // 2) + 1
open(sys.argv[2] + '/a.jsonl', 'wb').write(d[:m])
open(sys.argv[2] + '/b.jsonl', 'wb').write(d[m:])
PY
build() { "$S" index -q --index "$1" --threads "$2" --combine body=title,text --store none "$3"; }
now() { date +%s.%N; }
for round in $(seq 1 "$R"); do
  rm -rf "$W"/i*
  s=$(now); build "$W/i1" 1 "$C"; t1=$(echo "$(now) - $s" | bc)
  s=$(now); build "$W/i2" 2 "$C"; t2=$(echo "$(now) - $s" | bc)
  s=$(now); build "$W/ia" 1 "$W/a.jsonl" & build "$W/ib" 1 "$W/b.jsonl" & wait
  th=$(echo "$(now) - $s" | bc)
  rm -rf "$W/ia" "$W/ib"
  s=$(now); build "$W/ia" 1 "$W/a.jsonl"; build "$W/ib" 1 "$W/b.jsonl"
  ts=$(echo "$(now) - $s" | bc)
  echo "round $round $(date +%H:%M:%S) full $t1 threads2 $t2 halves-at-once $th halves-in-sequence $ts" \
       "ratios $(echo "scale=3; $t1/$t2" | bc) $(echo "scale=3; $t1/$th" | bc) $(echo "scale=3; $ts/$t1" | bc)"
done
