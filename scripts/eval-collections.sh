#!/usr/bin/env bash
# Indexes the test collections (corpus/collections/{cranfield,cisi,scifact}) and the home corpus
# dev set, evaluates bm25 and bm25tp on each (MAP, nDCG@10, P@10, recall@1000) and prints a table.
# With --peers, also runs ../shared/peers/run_peers.sh for Lucene on each and evaluates its run.
# Usage: scripts/eval-collections.sh [--scour PATH] [--work DIR] [--peers] [--rankers "bm25 bm25tp"]
# Numbers and commands are recorded in docs/COLLECTIONS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCOUR="${SCOUR:-}"
WORK="${TMPDIR:-/tmp}/scour-eval-collections"
PEERS=0
RANKERS="bm25 bm25tp"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scour) SCOUR="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --peers) PEERS=1; shift ;;
    --rankers) RANKERS="$2"; shift 2 ;;
    -h|--help) sed -n 2,6p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$SCOUR" ]]; then
  for c in "$ROOT/build/release/cli/scour" "$ROOT/build/cli/scour" "$(command -v scour || true)"; do
    if [[ -n "$c" && -x "$c" ]]; then SCOUR="$c"; break; fi
  done
fi
[[ -x "$SCOUR" ]] || { echo "scour binary not found: pass --scour PATH" >&2; exit 2; }
mkdir -p "$WORK"
METRICS=map,ndcg_cut.10,P.10,recall.1000

# name corpus topics qrels [extra index flags]
COLLECTIONS=(
  "cranfield $ROOT/corpus/collections/cranfield/corpus.jsonl $ROOT/corpus/collections/cranfield/topics.tsv $ROOT/corpus/collections/cranfield/qrels.txt"
  "cisi $ROOT/corpus/collections/cisi/corpus.jsonl $ROOT/corpus/collections/cisi/topics.tsv $ROOT/corpus/collections/cisi/qrels.txt"
  "scifact $ROOT/corpus/collections/scifact/corpus.jsonl $ROOT/corpus/collections/scifact/topics.tsv $ROOT/corpus/collections/scifact/qrels.txt"
  "home-dev $ROOT/corpus/party_state.jsonl $ROOT/corpus/dev/topics.tsv $ROOT/corpus/dev/qrels.txt"
)

# Prints "map ndcg p10 r1000" of a trec_eval-style output.
extract() {
  awk '$2=="all"{v[$1]=$3} END{printf "%s %s %s %s", v["map"], v["ndcg_cut_10"], v["P_10"], v["recall_1000"]}'
}

rows=()
for entry in "${COLLECTIONS[@]}"; do
  read -r name corpus topics qrels <<<"$entry"
  idx="$WORK/$name.index"
  rm -rf "$idx"
  # One body field = title + "\n" + text, as the peers index; only the id is stored. --fields
  # keeps other JSON keys (e.g. the home corpus's "company") out of the index.
  "$SCOUR" index -q --index "$idx" --combine body=title,text --fields title,text --store none \
    "$corpus"
  for r in $RANKERS; do
    out=$("$SCOUR" eval --index "$idx" --topics "$topics" --qrels "$qrels" --metrics "$METRICS" \
      --ranker "$r" --run-out "$WORK/$name.$r.run")
    rows+=("$name $r $(extract <<<"$out")")
  done
  if [[ $PEERS == 1 ]]; then
    "$ROOT/../shared/peers/run_peers.sh" --engines lucene --corpus "$corpus" --queries "$topics" \
      --work "$WORK/peers_$name" --k 1000 --reps 1 >"$WORK/peers_$name.log" 2>&1
    out=$("$SCOUR" eval --run "$WORK/peers_$name/runs/lucene.or.run" --qrels "$qrels" \
      --metrics "$METRICS")
    rows+=("$name lucene-8.8.1 $(extract <<<"$out")")
  fi
done

printf "%-10s %-13s %7s %8s %7s %8s\n" collection ranker MAP nDCG@10 P@10 R@1000
for row in "${rows[@]}"; do
  read -r c r m n p rc <<<"$row"
  printf "%-10s %-13s %7s %8s %7s %8s\n" "$c" "$r" "$m" "$n" "$p" "$rc"
done
