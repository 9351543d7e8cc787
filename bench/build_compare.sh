#!/bin/bash
# Same-run index build comparison (docs/PERFORMANCE.md, "Index build against Lucene 8.8 and
# FTS5"): Lucene 8.8 and SQLite FTS5 through the peers' harnesses (their own timing: corpus
# opened to index closed, JVM start-up excluded), then scour with 1 and 2 threads (timed around
# the whole process), ROUNDS times back to back. The harnesses are the ones
# ../shared/peers/run_peers.sh builds into ~/.cache/scour-peers/build; the analysis is the
# issue's (title and text, English Snowball).
#
#   [KEEP=DIR] bench/build_compare.sh [CORPUS.jsonl] [SCOUR_BINARY] [ROUNDS]
#
# KEEP=DIR builds in DIR and leaves the last round's indexes there (lucene, fts5, s1, s2);
# otherwise a temporary directory is removed at exit. Each scour column is followed by its peak
# RSS in MiB (/usr/bin/time %M).
set -euo pipefail
B=~/.cache/scour-peers/build
C=${1:-/data/large-corpus/real.jsonl}
S=${2:-$(dirname "$0")/../build/release/cli/scour}
R=${3:-3}
if [[ -n "${KEEP:-}" ]]; then
  W=$KEEP; mkdir -p "$W"
else
  W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
fi
for round in $(seq 1 "$R"); do
  rm -rf "$W"/*; mkdir -p "$W/lucene" "$W/fts5"
  l=$(java -Xmx4g -cp "$B/lucene:$(cat "$B/lucene/classpath")" PeersLucene index "$C" "$W/lucene" 2>&1 |
      grep STATS | grep -o "secs=[0-9.]*" | head -1)
  f=$("$B/fts5_harness" index "$C" "$W/fts5" 2>&1 | grep STATS | grep -o "secs=[0-9.]*" | head -1)
  s=$(date +%s.%N)
  /usr/bin/time -o "$W/rss1" -f %M \
    "$S" index -q --index "$W/s1" --threads 1 --combine body=title,text --store none "$C"
  e=$(date +%s.%N); t1=$(echo "$e - $s" | bc)
  s=$(date +%s.%N)
  /usr/bin/time -o "$W/rss2" -f %M \
    "$S" index -q --index "$W/s2" --threads 2 --combine body=title,text --store none "$C"
  e=$(date +%s.%N); t2=$(echo "$e - $s" | bc)
  m1=$(($(tail -1 "$W/rss1") / 1024)); m2=$(($(tail -1 "$W/rss2") / 1024))
  echo "round $round $(date +%H:%M:%S) lucene ${l#secs=} fts5 ${f#secs=} scour1 $t1 ${m1}MiB" \
    "scour2 $t2 ${m2}MiB"
done
