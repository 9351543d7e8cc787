// Searcher: runs queries in the query language (docs/QUERY.md) against an IndexReader snapshot
// and returns ranked hits (BM25 and variants, or any scour/similarity.h model; docs/SCORING.md)
// with stored fields, snippets and optional score explanations. Thread-safe: one Searcher may
// serve many threads.
#ifndef SCOUR_SEARCHER_H_
#define SCOUR_SEARCHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/export.h"
#include "scour/index_reader.h"
#include "scour/similarity.h"
#include "scour/synonyms.h"

namespace scour {

struct RankingOptions {
  // "bm25" (Lucene 8's BM25, the default), "bm25-robertson", "bm25+", "bm25l", "bm25tp"
  // (Lucene's BM25 with its top hits re-ranked by a term-proximity bonus), "qld" (Dirichlet
  // query likelihood), "dfr-inb2", "dfr-inexpb2", "dfr-inl2" (divergence from randomness, as
  // Lucene 8's), "bm25f" (BM25F: a term's fields weighted by `field_weights`, each normalised
  // with its `field_b`, summed, then saturated once); docs/SCORING.md.
  std::string ranker = "bm25";
  float k1 = 0.9f;
  float b = 0.4f;
  float delta = -1.0f;  // BM25+/BM25L; negative = the ranker's default
  float mu = 1000.0f;   // qld
  float c = 1.0f;       // dfr-*: NormalizationH2's c
  // Pseudo-relevance feedback (docs/FEEDBACK.md): "rm3" (Anserini's), "bo1" (Terrier's) or ""
  // (none). The query is re-written from its first `fb_docs` hits (their stored text
  // re-analysed) into `fb_terms` weighted terms; rm3 keeps the original query at `fb_weight`.
  // Negative = the method's default (rm3: 10 documents, 10 terms, 0.5; bo1: 3, 10).
  std::string expand;
  int32_t fb_docs = -1;
  int32_t fb_terms = -1;
  float fb_weight = -1.0f;
  // Per-field weights (multiply that field's term scores); fields not listed weigh 1.
  std::vector<std::pair<std::string, float>> field_weights;
  // bm25f: per-field b in [0, 1]; fields not listed use `b`. An error with another ranker.
  std::vector<std::pair<std::string, float>> field_b;
  // A scoring model (scour/similarity.h) used instead of `ranker` and its parameters. Checked
  // against the contract the first time it is used (InvalidArgument if it breaks it).
  std::shared_ptr<const Similarity> similarity;
};

struct SearchOptions {
  size_t k = 10;
  bool default_and = false;  // juxtaposed terms must all match (AND) instead of OR
  // false: the query is plain text, as topic files are read (`scour search --queries`, `eval
  // --index`, `compare`, `bench` without --syntax): its analysed terms, de-duplicated, OR-ed
  // (AND-ed with default_and) over the default fields; no character in it is syntax, so it
  // cannot fail to parse (docs/QUERY.md, "Plain text").
  bool query_syntax = true;
  RankingOptions ranking;
  // Collection statistics to score with instead of the reader's own (e.g. global statistics
  // of a sharded collection); nullptr = the reader's. scour/similarity.h.
  std::shared_ptr<const StatisticsSource> statistics;
  std::vector<std::string> default_fields;  // fields searched by unqualified terms; empty = all
  // Synonyms (docs/SYNONYMS.md): `synonyms` when set (it must have been analysed with the
  // index's analyser), else the index's own (IndexReader::synonyms); none when use_synonyms is
  // false.
  bool use_synonyms = true;
  std::shared_ptr<const SynonymSet> synonyms;
  bool count = false;  // compute the exact number of matching documents
  // Also evaluate the query with nothing pruned and compare (SearchResults::pruning_differences):
  // checks that a scoring model's bounds are exact. Costs a full evaluation of every match.
  bool verify_pruning = false;
  bool explain = false;     // fill Hit::explanation
  bool load_stored = true;  // fill Hit::document
  // Snippets from this stored field ("" = none).
  std::string snippet_field;
  size_t snippet_bytes = 220;
  std::string highlight_open = "[", highlight_close = "]";
};

struct Hit {
  uint64_t doc = 0;  // internal id in the reader's snapshot
  std::string id;    // external id
  float score = 0;
  StoredDocument document;                                // when load_stored
  std::string snippet;                                    // when snippet_field is set
  std::vector<std::pair<uint32_t, uint32_t>> highlights;  // byte ranges in the snippet field
  std::string explanation;                                // when explain
};

struct SearchResults {
  std::vector<Hit> hits;    // best first; ties broken by smaller internal id
  uint64_t total_hits = 0;  // exact when SearchOptions::count, else hits.size()
  bool total_is_exact = false;
  std::string parsed_query;    // canonical form of the parsed query, synonyms expanded
  uint32_t synonym_spans = 0;  // query spans a synonym rule expanded
  std::string note;            // e.g. why nothing was searched (query analysed to nothing)
  // With SearchOptions::verify_pruning: "" when the pruned and the exhaustive evaluation gave the
  // same ids, scores (bit for bit) and count; else the first differences, one per line.
  std::string pruning_differences;
};

// Searcher::SearchBatch's answer, as columns: the hits of query i are rows
// [offsets[i], offsets[i + 1]) of `docs` and `scores`, best first.
struct BatchResults {
  std::vector<size_t> offsets;       // one more than there are queries
  std::vector<uint64_t> docs;        // internal ids (IndexReader::ExternalId gives the id)
  std::vector<float> scores;         // as Search gives them, bit for bit
  std::vector<uint64_t> total_hits;  // per query: exact with SearchOptions::count, else its hits
  std::vector<absl::Status> errors;  // per query: OK, or why it failed (it then has no hits)
  // Per query, with SearchOptions::verify_pruning: SearchResults::pruning_differences ("" when
  // the pruned and the exhaustive evaluation agree). Empty without verify_pruning.
  std::vector<std::string> pruning_differences;
};

class SCOUR_EXPORT Searcher {
 public:
  static absl::StatusOr<std::unique_ptr<Searcher>> Create(
      std::shared_ptr<const IndexReader> reader);
  ~Searcher();

  // Errors: InvalidArgument for a syntax error (the message has the column, the query and a
  // caret line under the error), an unknown field or a bad ranking option; DataLoss for a
  // corrupt index.
  absl::StatusOr<SearchResults> Search(std::string_view query, const SearchOptions& options) const;

  // Runs every query as Search would (same hits, same scores; `k`, `default_and`,
  // `query_syntax`, `ranking`, `default_fields`, `count` and `verify_pruning` apply; stored
  // fields, snippets and explanations are not made) on `threads` threads, the calling one
  // included (0 = one per core). A failing query does not stop the others: its error is in
  // BatchResults::errors.
  BatchResults SearchBatch(const std::vector<std::string>& queries, const SearchOptions& options,
                           int threads = 0) const;

  const IndexReader& reader() const;

 private:
  friend class InternalAccess;  // the library's own modules (not part of the API)
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace scour

#endif  // SCOUR_SEARCHER_H_
