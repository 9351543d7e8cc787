#!/usr/bin/env python3
"""Index the home corpus from a pandas DataFrame, then search it.

    python3 examples/python/quickstart.py [INDEX_DIR]

Needs the module installed (scripts/run.sh does it) or PYTHONPATH=build/release/python."""

import sys
import tempfile
from pathlib import Path

import pandas as pd

import scour

ROOT = Path(__file__).resolve().parents[2]
index = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "home"

# One row per document: an "id" column and text columns (here "company" and "text").
docs = pd.read_json(ROOT / "corpus" / "party_state.jsonl", lines=True)
with scour.IndexWriter(index, analyzer="english") as writer:  # commits at the end of the block
    writer.add_many(docs)
print(f"indexed {len(docs)} documents into {index}")

with scour.Searcher(index) as searcher:
    print(searcher.stats()["fields"])
    # The query language (docs/QUERY.md): phrases, +must -not, field:term, prefix*, boost^2.
    results = searcher.search('"united front" +party', k=5, snippets=True, count=True)
    print(f"\n{results.total_hits} documents match {results.parsed_query}")
    for hit in results:
        print(f"{hit.score:7.3f}  {hit.id:22} {hit.fields['company']}")
        print(f"         {hit.snippet[:100]}")
    # The same hits as a DataFrame.
    print(searcher.search("company:huawei subsidy", k=3).to_frame()[["id", "score", "company"]])
    # How the index analyses text.
    print([t.term for t in searcher.analyze("Xi Jinping’s party-state")])
    try:
        searcher.search('"united front')
    except scour.QuerySyntaxError as e:  # a ValueError with the column and a caret
        print(f"\nQuerySyntaxError at column {e.column}:\n{e}")
