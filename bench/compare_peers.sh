#!/usr/bin/env bash
# Measures scour against the peer engines (../shared/peers) on the same corpus and query logs, in
# one run, one engine at a time, single-threaded: build time, index size, and p50/p90/p99 latency of
# top-k OR / AND / phrase queries. Prints each engine's STATS lines and scour's, then the ratios.
#
#   bench/compare_peers.sh CORPUS.jsonl QUERYDIR WORK [ENGINES]
#     QUERYDIR holds or.tsv, and.tsv, phrase.tsv (as ../shared/collections/large/build.sh makes)
#     ENGINES defaults to lucene,xapian
set -euo pipefail
corpus=$1 qdir=$2 work=$3 engines=${4:-lucene,xapian}
here=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS_DIR:-$here/../shared/peers}
scour=${SCOUR_BIN:-$here/build/release/cli/scour}
k=${K:-10} reps=${REPS:-5} warm=${WARMUP_SECS:-10}
mkdir -p "$work"
"$peers/run_peers.sh" --corpus "$corpus" --queries "$qdir/or.tsv" --phrase-queries "$qdir/phrase.tsv" \
  --work "$work/peers" --engines "$engines" --modes or --k "$k" --reps "$reps" --warmup-secs "$warm" \
  --no-verify > "$work/peers_or.txt" 2>&1
"$peers/run_peers.sh" --corpus "$corpus" --queries "$qdir/and.tsv" --phrase-queries "$qdir/phrase.tsv" \
  --work "$work/peers" --engines "$engines" --modes and,phrase --k "$k" --reps "$reps" \
  --warmup-secs "$warm" --skip-index --no-verify > "$work/peers_and_phrase.txt" 2>&1
grep -h "^STATS" "$work"/peers/logs/*.log | sort -u > "$work/peers_stats.txt" || true

# scour: same analysis (Unicode words, lower case, English Snowball, no stopwords), one field
# body = title + "\n" + text, only the id stored, one thread.
rm -rf "$work/scour_index"
start=$(date +%s.%N)
"$scour" index -q --index "$work/scour_index" --threads 1 --combine body=title,text --store none "$corpus"
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc)
bytes=$(du -sb "$work/scour_index" | cut -f1)
echo "STATS engine=scour op=index secs=$secs index_bytes=$bytes" > "$work/scour_stats.txt"
for mode in or and phrase; do
  q="$qdir/$mode.tsv"
  echo "STATS engine=scour op=search mode=$mode $("$scour" bench --index "$work/scour_index" --queries "$q" \
     --mode "$mode" -k "$k" --threads 1 --repeat "$reps" --warmup-secs "$warm" --run "$work/scour.$mode.run" --json)" \
     >> "$work/scour_stats.txt"
done
cat "$work/peers_stats.txt" "$work/scour_stats.txt"
