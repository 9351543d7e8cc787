// Query binding: the parsed query (engine/query_ast.h) becomes a plan whose leaves are bound to
// index fields and carry their scorers, built from the snapshot's collection statistics (a
// term's df, a phrase's summed idf, the field's length statistics, boosts and field weights).
// Running a plan is execute.h's; explaining a score, explain.h's. A plan is immutable once
// built: share it between threads.
#ifndef SCOUR_ENGINE_PLAN_H_
#define SCOUR_ENGINE_PLAN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/query_ast.h"
#include "engine/ranker.h"
#include "index/commit/reader_impl.h"

namespace scour::engine {

enum class PlanKind : uint8_t { kTerm, kPhrase, kPrefix, kBool, kNone };

struct PlanNode {
  PlanKind kind = PlanKind::kNone;
  uint32_t field = 0;
  std::string term;                // kTerm; kPrefix: the prefix
  std::vector<PhraseTerm> phrase;  // kPhrase
  uint32_t slop = 0;
  float boost = 1.0f;  // leaves: product of the query boosts and the field weight
  TermScorer scorer;   // kTerm, kPhrase
  uint64_t df = 0;     // kTerm: global document frequency
  std::vector<std::pair<Occur, std::unique_ptr<PlanNode>>> clauses;  // kBool
  std::string label;  // "field:term" for explanations
};

struct PlanOptions {
  RankerParams ranker;
  std::vector<std::pair<std::string, float>> field_weights;
  std::vector<uint32_t> default_fields;  // resolved field ids
};

// Binds the parsed query to the index. Unknown fields are InvalidArgument.
absl::StatusOr<std::unique_ptr<PlanNode>> BuildPlan(const QueryNode& query,
                                                    const index::Snapshot& index,
                                                    const PlanOptions& options);

// Analysed terms, phrases and prefixes of the plan's positive leaves (for highlighting).
void CollectHighlightTerms(const PlanNode& plan, std::vector<std::string>* terms,
                           std::vector<std::vector<std::string>>* phrases,
                           std::vector<std::string>* prefixes);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_PLAN_H_
