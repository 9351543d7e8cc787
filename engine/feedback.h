// Pseudo-relevance feedback (docs/FEEDBACK.md): RM3 as Anserini computes it and Bo1 as Terrier
// does. The first pass's top documents are re-analysed from their stored text; the expanded
// query is an OR of default-field terms whose weights are query boosts (`term^w`), which scale
// each term's scores and its pruning bounds alike, so the second pass stays exact. Pure
// functions over an immutable snapshot; the Analyzer is the caller's (one thread at a time).
#ifndef SCOUR_ENGINE_FEEDBACK_H_
#define SCOUR_ENGINE_FEEDBACK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/plan.h"
#include "engine/query_ast.h"
#include "engine/topk.h"
#include "scour/analyzer.h"
#include "scour/index_reader.h"
#include "scour/searcher.h"

namespace scour::engine {

enum class ExpansionKind : uint8_t { kNone, kRm3, kBo1 };

struct FeedbackParams {
  ExpansionKind kind = ExpansionKind::kNone;
  int32_t fb_docs = 10;    // rm3 10, bo1 3
  int32_t fb_terms = 10;   // both 10
  float fb_weight = 0.5f;  // rm3: the original query's weight (Anserini's originalQueryWeight)
};

// RankingOptions::expand and its parameters, defaults filled in. InvalidArgument for an unknown
// method, fb_docs or fb_terms < 1, fb_weight outside [0, 1], or fb_weight with bo1.
absl::StatusOr<FeedbackParams> ParseFeedback(const RankingOptions& o);

// One feedback document: its terms (analysed, with frequencies) and first-pass score.
struct FeedbackDoc {
  std::vector<std::pair<std::string, uint32_t>> terms;  // sorted by term, unique
  float score = 0;
};

// The collection statistics expansion needs, summed over the default fields.
struct TermCounts {
  uint64_t doc_freq = 0;
  uint64_t total_term_freq = 0;
};
using TermCountsFn = std::function<absl::StatusOr<TermCounts>(const std::string& term)>;

// The weighted terms of the expanded query, best first (ties by term). `query_terms` are the
// original query's terms with their counts. Pure: the reference the tests compare with.
absl::StatusOr<std::vector<std::pair<std::string, double>>> ExpansionWeights(
    const FeedbackParams& p, const std::vector<std::pair<std::string, uint32_t>>& query_terms,
    const std::vector<FeedbackDoc>& docs, uint64_t num_docs, const TermCountsFn& counts);

// Runs `query` (bound with `popts`) for its top fb_docs documents, reads their terms from term
// vectors when every segment has them, else re-analyses their stored text (every value of the
// default fields; for a default field with tokens but no stored value, such as one made by
// --combine, the stored fields with no tokens of their own) and returns the expanded query: an
// OR of default-field terms with their weights as boosts. InvalidArgument when no feedback
// document has stored text. With no hit there is nothing to learn from: null (search the
// original).
absl::StatusOr<QueryPtr> ExpandQuery(const QueryNode& query, const IndexReader& reader,
                                     Analyzer* analyzer, const PlanOptions& popts,
                                     const FeedbackParams& p);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_FEEDBACK_H_
