#!/bin/bash
# "Behaviour unchanged" between two scour binaries (issue 14): for each corpus, a one-thread
# index built by each; every segment file compared byte for byte (files only one side has are
# listed); then TREC runs (k = 1000) for every query kind made from the topics: term (each
# topic's first word), OR (the topic as plain text), AND (plain text, --and), phrase (its first
# two words, quoted), prefix (the first word's first 4 letters + '*'), compared run by run.
# Queries are lower-case ASCII words only, so query syntax and plain text read them alike; a
# binary from before `search --syntax` existed (it always parsed) takes SYNTAX_A= (empty).
#
#   [SYNTAX_A=] bench/behaviour_compare.sh OLD_SCOUR NEW_SCOUR CORPUS.jsonl TOPICS.tsv [NAME]
set -euo pipefail
A=$1 B=$2 C=$3 T=$4 N=${5:-$(basename "$C" .jsonl)}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
for s in a b; do
  bin=$A; [ $s = b ] && bin=$B
  "$bin" index -q --index "$W/$s" --threads 1 "$C"
done
same=0 diff=0
for f in "$W"/a/*; do
  n=$(basename "$f"); [ "$n" = write.lock ] && continue
  if cmp -s "$f" "$W/b/$n"; then same=$((same + 1)); else diff=$((diff + 1)); echo "$N: $n differs"; fi
done
only_b=$(cd "$W/b" && for n in *; do [ -e "$W/a/$n" ] || printf '%s ' "$n"; done)
echo "$N: $same files identical, $diff differ; only in the new index: ${only_b:-none}"
# Query files from the topics (qid<TAB>text).
awk -F'\t' '{ q=tolower($2); gsub(/[^a-z ]/, " ", q); n=split(q, w, " "); if (n < 1) next;
  print $1 "\t" w[1] > "'"$W"'/term.tsv";
  o=w[1]; for (i = 2; i <= n; i++) o = o " " w[i]; print $1 "\t" o > "'"$W"'/or.tsv";
  if (n >= 2) print $1 "\t\"" w[1] " " w[2] "\"" > "'"$W"'/phrase.tsv";
  if (length(w[1]) >= 4) print $1 "\t" substr(w[1], 1, 4) "*" > "'"$W"'/prefix.tsv" }' "$T"
cp "$W/or.tsv" "$W/and.tsv"
for kind in term or and phrase prefix; do
  for s in a b; do
    bin=$A; syn=${SYNTAX_A---syntax}; [ $s = b ] && bin=$B && syn=--syntax
    flags=($syn); [ $kind = and ] && flags+=(--and)
    "$bin" search --index "$W/$s" --queries "$W/$kind.tsv" "${flags[@]}" -k 1000 --format trec \
      > "$W/$kind.$s.run"
  done
  q=$(wc -l < "$W/$kind.tsv"); lines=$(wc -l < "$W/$kind.a.run")
  if cmp -s "$W/$kind.a.run" "$W/$kind.b.run"; then
    echo "$N: $kind: $q queries, $lines run lines, identical"
  else
    d=$(diff <(cut -f1 -d' ' "$W/$kind.a.run" | uniq -c) <(cut -f1 -d' ' "$W/$kind.b.run" | uniq -c) | grep -c '^>' || true)
    echo "$N: $kind: $q queries, $lines vs $(wc -l < "$W/$kind.b.run") run lines, DIFFER ($d queries with other hit counts)"
  fi
done
