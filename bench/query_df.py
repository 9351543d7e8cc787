#!/usr/bin/python3
# bench/query_df.py CORPUS.jsonl QDIR (docs/PERFORMANCE.md, "A million documents"): the work a
# query log asks of a corpus, for growth ratios between corpora.
# Document frequency of the query logs' words in a corpus (lower-cased \w+ words, no stemming:
# an approximation of the index's terms, good enough for growth ratios). Prints, per log, the
# mean over queries of the summed df and of the smallest df of its words.
import json, re, sys, collections
corpus, qdir = sys.argv[1], sys.argv[2]
logs = {}
for name in ("and", "or", "phrase", "term"):
    qs = []
    for line in open(f"{qdir}/{name}.tsv"):
        qid, q = line.rstrip("\n").split("\t", 1)
        qs.append(re.findall(r"\w+", q.lower()))
    logs[name] = qs
vocab = {w for qs in logs.values() for q in qs for w in q}
df = collections.Counter()
word = re.compile(r"\w+")
for line in open(corpus):
    d = json.loads(line)
    text = (d.get("title") or "") + "\n" + (d.get("text") or "")
    df.update(vocab.intersection(word.findall(text.lower())))
for name, qs in logs.items():
    for first in (None, 300):
        sub = qs[:first] if first else qs
        s = sum(sum(df[w] for w in q) for q in sub) / len(sub)
        m = sum(min((df[w] for w in q), default=0) for q in sub) / len(sub)
        print(f"{name}{'' if first is None else ':first300'} queries={len(sub)} mean_sum_df={s:.1f} mean_min_df={m:.1f}")
