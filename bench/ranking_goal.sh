#!/bin/bash
# Issue 15's goal measurement: every non-neural configuration on Cranfield, CISI and SciFact
# (MAP, nDCG@10), one line each to results.tsv. Indexes: <c>.body (one field body = title +
# text, as the Lucene harness) and <c>.tt (title and text fields, for bm25f).
# Usage: bench/ranking_goal.sh SCOUR OUTDIR (indexes and results.tsv go to OUTDIR)
S=$(realpath "$1"); mkdir -p "$2"; cd "$2"
for c in cranfield cisi scifact; do
  C=/work/shared/collections/$c
  [ -d $c.body ] || $S index --index $c.body --combine body=title,text --fields title,text $C/corpus.jsonl
  [ -d $c.tt ] || $S index --index $c.tt --fields title,text $C/corpus.jsonl
done
out=results.tsv
: > $out
run() {  # collection index name flags...
  local c=$1 idx=$2 name=$3; shift 3
  local C=/work/shared/collections/$c
  local res
  res=$($S eval --index $c.$idx --topics $C/topics.tsv --qrels $C/qrels.txt -m map -m ndcg_cut.10 --threads 2 "$@" 2>&1)
  local map=$(echo "$res" | awk '$1=="map"{print $3}') nd=$(echo "$res" | awk '$1=="ndcg_cut_10"{print $3}')
  printf '%s\t%s\t%s\t%s\t%s\n' "$c" "$name" "$map" "$nd" "$*" >> $out
}
for c in cranfield cisi scifact; do
  for ex in none rm3 bo1; do
    E=(); [ $ex != none ] && E=(--expand $ex)
    run $c body "bm25+$ex" --ranker bm25 "${E[@]}"
    run $c body "bm25-k1.2-b.75+$ex" --ranker bm25 --k1 1.2 --b 0.75 "${E[@]}"
    run $c body "qld+$ex" --ranker qld "${E[@]}"
    run $c body "qld-mu500+$ex" --ranker qld --mu 500 "${E[@]}"
    run $c body "dfr-inb2+$ex" --ranker dfr-inb2 "${E[@]}"
    run $c body "dfr-inb2-c2+$ex" --ranker dfr-inb2 --c 2 "${E[@]}"
    run $c body "dfr-inexpb2+$ex" --ranker dfr-inexpb2 "${E[@]}"
    run $c body "dfr-inl2+$ex" --ranker dfr-inl2 "${E[@]}"
    run $c tt "bm25f+$ex" --ranker bm25f "${E[@]}"
    run $c tt "bm25f-t2+$ex" --ranker bm25f --weights title=2 "${E[@]}"
    run $c tt "bm25f-t2-tb.2+$ex" --ranker bm25f --weights title=2 --field-b title=0.2,text=0.5 "${E[@]}"
    run $c tt "bm25-2fields+$ex" --ranker bm25 "${E[@]}"
  done
done
# Lighter feedback for the two best first-pass models (session 10): RM3 keeping more of the
# original query or fewer feedback documents, Bo1 from one or two documents.
for c in cranfield cisi scifact; do
  for m in dfr-inb2 dfr-inexpb2; do
    for w in 0.7 0.8 0.9; do run $c body "$m+rm3-w$w" --ranker $m --expand rm3 --fb-weight $w; done
    for d in 3 5; do run $c body "$m+rm3-d$d-w0.7" --ranker $m --expand rm3 --fb-docs $d --fb-weight 0.7; done
    for d in 1 2; do run $c body "$m+bo1-d$d" --ranker $m --expand bo1 --fb-docs $d; done
  done
done
