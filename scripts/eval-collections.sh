#!/usr/bin/env bash
# Every figure of docs/COLLECTIONS.md, from scratch: indexes the test collections
# (corpus/collections/{cranfield,cisi,scifact}) and the home corpus dev set, evaluates bm25 and
# bm25tp on each (MAP, nDCG@10, P@10, recall@1000, as trec_eval 9.0.7 computes them), compares
# bm25tp with bm25 (scour compare: delta, W/T/L, p-values), and with --peers runs Lucene 8.8.1
# through ../shared/peers (BM25 k1 0.9 b 0.4, `or` mode, depth 1000) and compares it with scour's
# bm25 query by query.
# Usage: scripts/eval-collections.sh [--scour PATH] [--work DIR] [--peers] [--peers-dir DIR]
#        [--rankers "bm25 bm25tp"]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCOUR="${SCOUR:-}"
WORK="${TMPDIR:-/tmp}/scour-eval-collections"
PEERS=0
PEERS_DIR="${PEERS_DIR:-}"
RANKERS="bm25 bm25tp"
PY=/usr/bin/python3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scour) SCOUR="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --peers) PEERS=1; shift ;;
    --peers-dir) PEERS_DIR="$2"; shift 2 ;;
    --rankers) RANKERS="$2"; shift 2 ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$SCOUR" ]]; then
  for c in "$ROOT/build/release/cli/scour" "$ROOT/build/ci/cli/scour" "$ROOT/build/cli/scour" \
      "$(command -v scour || true)"; do
    if [[ -n "$c" && -x "$c" ]]; then SCOUR="$c"; break; fi
  done
fi
[[ -x "$SCOUR" ]] || { echo "scour binary not found: pass --scour PATH" >&2; exit 2; }
mkdir -p "$WORK"
if [[ $PEERS == 1 && -z "$PEERS_DIR" ]]; then
  for d in "$ROOT/../shared/peers" "$ROOT/../../shared/peers"; do
    if [[ -x "$d/run_peers.sh" ]]; then PEERS_DIR="$d"; break; fi
  done
  [[ -n "$PEERS_DIR" ]] || { echo "../shared/peers not found: pass --peers-dir" >&2; exit 2; }
fi
MEASURES=(-m map -m ndcg_cut.10 -m P.10 -m recall.1000)

# name corpus topics qrels
COLLECTIONS=(
  "cranfield $ROOT/corpus/collections/cranfield/corpus.jsonl $ROOT/corpus/collections/cranfield/topics.tsv $ROOT/corpus/collections/cranfield/qrels.txt"
  "cisi $ROOT/corpus/collections/cisi/corpus.jsonl $ROOT/corpus/collections/cisi/topics.tsv $ROOT/corpus/collections/cisi/qrels.txt"
  "scifact $ROOT/corpus/collections/scifact/corpus.jsonl $ROOT/corpus/collections/scifact/topics.tsv $ROOT/corpus/collections/scifact/qrels.txt"
  "home-dev $ROOT/corpus/party_state.jsonl $ROOT/corpus/dev/topics.tsv $ROOT/corpus/dev/qrels.txt"
)

# Prints "num_q map ndcg p10 r1000" of trec_eval-style output.
extract() {
  awk '$2=="all"{v[$1]=$3} END{printf "%s %s %s %s %s", v["num_q"], v["map"], v["ndcg_cut_10"], v["P_10"], v["recall_1000"]}'
}

# Per-query agreement of two `eval -q` outputs on one measure: "identical / higher / lower, max |d|"
# counted over the queries of the first (scour) output.
agreement() {  # file_a file_b measure
  "$PY" - "$1" "$2" "$3" <<'EOF'
import sys
def read(p, m):
    v = {}
    for line in open(p):
        f = line.split()
        if len(f) == 3 and f[0] == m and f[1] != "all":
            v[f[1]] = float(f[2])
    return v
a, b, m = read(sys.argv[1], sys.argv[3]), read(sys.argv[2], sys.argv[3]), sys.argv[3]
same = hi = lo = 0
worst = 0.0
for q, x in a.items():
    y = b.get(q, 0.0)
    d = x - y
    if abs(d) < 5e-5: same += 1
    elif d > 0: hi += 1
    else: lo += 1
    worst = max(worst, abs(d))
print(f"{same} identical, {hi} higher, {lo} lower (max |d| {worst:.4f})")
EOF
}

rows=() comparisons=() agree=()
for entry in "${COLLECTIONS[@]}"; do
  read -r name corpus topics qrels <<<"$entry"
  idx="$WORK/$name.index"
  rm -rf "$idx"
  # One body field = title + "\n" + text, as the peers index; only the id is stored. --fields
  # keeps other JSON keys (e.g. the home corpus's "company") out of the index.
  "$SCOUR" index -q --index "$idx" --combine body=title,text --fields title,text --store none \
    "$corpus"
  for r in $RANKERS; do
    # Topics are plain text (the default): analysed terms OR-ed, as the peers' `or` mode.
    "$SCOUR" eval --index "$idx" --topics "$topics" --qrels "$qrels" --depth 1000 -q \
      -m num_q "${MEASURES[@]}" --ranker "$r" --run-out "$WORK/$name.$r.run" >"$WORK/$name.$r.eval"
    rows+=("$name $r $(extract <"$WORK/$name.$r.eval")")
  done
  if [[ " $RANKERS " == *" bm25 "* && " $RANKERS " == *" bm25tp "* ]]; then
    "$SCOUR" compare --index "$idx" --topics "$topics" --qrels "$qrels" --ranker bm25 \
      --ranker bm25tp --metrics map,ndcg_cut.10 --latency-passes 0 --judged-k 0 --format json \
      >"$WORK/$name.compare.json"
    while read -r line; do comparisons+=("$name $line"); done < <("$PY" - "$WORK/$name.compare.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
for p in j["pairs"]:
    print(p["measure"], f'{p["delta"]:+.4f}', f'{p["wins"]}/{p["ties"]}/{p["losses"]}',
          f'{p["p"]["randomization"]:.4f}', f'{p["p"]["t-test"]:.4f}',
          f'{p["p_adjusted"]["randomization"]:.4f}')
EOF
)
  fi
  if [[ $PEERS == 1 ]]; then
    "$PEERS_DIR/run_peers.sh" --engines lucene --modes or --corpus "$corpus" \
      --queries "$topics" --work "$WORK/peers_$name" --k 1000 --reps 1 --warmup-secs 0 \
      --no-verify >"$WORK/peers_$name.log" 2>&1
    "$SCOUR" eval -q -m num_q "${MEASURES[@]}" "$qrels" "$WORK/peers_$name/runs/lucene.or.run" \
      >"$WORK/$name.lucene.eval"
    rows+=("$name lucene-8.8.1 $(extract <"$WORK/$name.lucene.eval")")
    for m in map ndcg_cut_10; do
      agree+=("$name $m $(agreement "$WORK/$name.bm25.eval" "$WORK/$name.lucene.eval" "$m")")
    done
  fi
done

printf "%-10s %-13s %5s %7s %8s %7s %8s\n" collection ranker num_q MAP nDCG@10 P@10 R@1000
for row in "${rows[@]}"; do
  read -r c r q m n p rc <<<"$row"
  printf "%-10s %-13s %5s %7s %8s %7s %8s\n" "$c" "$r" "$q" "$m" "$n" "$p" "$rc"
done
if [[ ${#comparisons[@]} -gt 0 ]]; then
  echo
  echo "bm25tp - bm25 (scour compare; p-values raw, and the randomisation p Holm-adjusted over 2 measures)"
  printf "%-10s %-12s %8s %11s %8s %8s %10s\n" collection measure delta W/T/L p_rand p_t p_rand_holm
  for row in "${comparisons[@]}"; do
    read -r c m d w pr pt ph <<<"$row"
    printf "%-10s %-12s %8s %11s %8s %8s %10s\n" "$c" "$m" "$d" "$w" "$pr" "$pt" "$ph"
  done
fi
if [[ ${#agree[@]} -gt 0 ]]; then
  echo
  echo "scour bm25 against Lucene, per query (|d| < 0.00005 counts as identical)"
  for row in "${agree[@]}"; do echo "$row"; done
fi
