// Query planning and execution: the parsed query (engine/query_ast.h) becomes a plan whose
// leaves are bound to index fields and carry their scorers (global collection statistics), then
// runs segment by segment. Flat single-field term queries take the pruned fast paths of
// engine/retrieval.h (MaxScore, block-max conjunction) over the on-disk cursors; a single phrase
// runs as a PhraseCursor; anything else runs through a tree of virtual iterators (one call per
// node per document, none per posting).
#ifndef SCOUR_ENGINE_PLAN_H_
#define SCOUR_ENGINE_PLAN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/query_ast.h"
#include "engine/ranker.h"
#include "engine/topk.h"
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

// Top-k over all segments (global doc ids), and the exact match count when `count` is set.
struct ExecResult {
  std::vector<ScoredDoc> top;  // doc = global id
  uint64_t count = 0;
};
absl::StatusOr<ExecResult> Execute(const PlanNode& plan, const index::Snapshot& index, size_t k,
                                   bool count);

// A per-leaf breakdown of the score of global doc `doc`.
absl::StatusOr<std::string> Explain(const PlanNode& plan, const index::Snapshot& index,
                                    uint64_t doc, const RankerParams& ranker);

// Analysed terms, phrases and prefixes of the plan's positive leaves (for highlighting).
void CollectHighlightTerms(const PlanNode& plan, std::vector<std::string>* terms,
                           std::vector<std::vector<std::string>>* phrases,
                           std::vector<std::string>* prefixes);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_PLAN_H_
