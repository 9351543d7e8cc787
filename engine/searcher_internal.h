// The Searcher's two halves, exposed inside the repository so `scour bench` can time execution
// alone (parsing and planning outside the timed region, as the peers' harnesses do).
#ifndef SCOUR_ENGINE_SEARCHER_INTERNAL_H_
#define SCOUR_ENGINE_SEARCHER_INTERNAL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "engine/plan.h"
#include "engine/query_parser.h"
#include "engine/snippet.h"
#include "scour/analyzer.h"
#include "scour/searcher.h"

namespace scour::engine {

struct PreparedQuery {
  std::unique_ptr<PlanNode> plan;
  RankerParams ranker;
  std::string parsed;  // canonical query text
  std::string note;
  uint32_t synonym_spans = 0;  // query spans a synonym rule expanded
};

absl::StatusOr<RankerParams> ParseRanking(const RankingOptions& options);
// Sets plan->similarity (RankingOptions::similarity, checked, or the built-in `ranker` names)
// and plan->proximity.
absl::Status SetModel(const RankingOptions& options, const RankerParams& ranker, PlanOptions* plan);
absl::StatusOr<PreparedQuery> Prepare(const IndexReader& reader, Analyzer* analyzer,
                                      std::string_view query, const SearchOptions& options);

// Prepare's first half: the query parsed (field names checked against `fields`) and expanded
// with `synonyms` (nullptr: none), as the plan is built from it. Shared with the sharded
// protocol's term-statistics round, so it asks for exactly the terms binding will look up.
struct ParsedForSearch {
  QueryPtr query;
  std::string note;
  uint32_t synonym_spans = 0;
};
absl::StatusOr<ParsedForSearch> ParseForSearch(Analyzer* analyzer, std::string_view query,
                                               const SearchOptions& options,
                                               const std::vector<std::string>& fields,
                                               const SynonymSet* synonyms);
// Prepare's second half: the plan of `parsed` on `reader` (Prepare = ParseForSearch, then this).
// A sharded search parses once and plans on every shard. `analyzer` is needed only by
// feedback (--expand); nullptr refuses it.
absl::StatusOr<PreparedQuery> PlanParsed(const IndexReader& reader, const ParsedForSearch& parsed,
                                         const SearchOptions& options,
                                         Analyzer* analyzer = nullptr);

// What a snippet needs: an analyser and the terms to highlight. Asked for only when a hit has
// the snippet field, so a caller may plan or take an analyser lazily.
struct SnippetSource {
  Analyzer* analyzer = nullptr;
  const SnippetQuery* query = nullptr;
};
SnippetOptions SnippetOptionsFor(const SearchOptions& options);
// Fills `hit`'s id, stored document and snippet from `reader`'s document `local`, as `options`
// ask: without stored fields or a snippet the id comes from the id table (no stored-field
// read). The one hit-filling step of a Searcher and of a ShardedSearcher (shard-local ids).
absl::Status FillHit(const IndexReader& reader, index::DocId local, const SearchOptions& options,
                     const SnippetOptions& snippet_options,
                     absl::FunctionRef<absl::StatusOr<SnippetSource>()> snippet_source, Hit* hit);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_SEARCHER_INTERNAL_H_
