// Query binding: the parsed query (engine/query_ast.h) becomes a plan whose leaves are bound to
// index fields and carry their scorers, built from the snapshot's collection statistics (a
// term's statistics, the field's, boosts and field weights) through the Similarity in use.
// Running a plan is execute.h's; explaining a score, explain.h's. A plan is immutable once
// built: share it between threads.
#ifndef SCOUR_ENGINE_PLAN_H_
#define SCOUR_ENGINE_PLAN_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/query_ast.h"
#include "engine/ranker.h"
#include "index/commit/reader_impl.h"
#include "scour/similarity.h"

namespace scour::engine {

enum class PlanKind : uint8_t { kTerm, kPhrase, kPrefix, kBool, kNone, kSynonym, kCombined };

// One field of a kCombined (bm25f) leaf: `scale[norm]` = w_f / B_f(dl), the factor its term
// frequency is multiplied by before the fields are summed (docs/SCORING.md, BM25F), and
// `max_scale[norm]` the largest scale[m] over m >= norm (the factor a block whose shortest
// document has norm byte `norm` is bounded with: engine/combined_postings.h).
struct CombinedField {
  uint32_t field = 0;
  std::array<float, 256> scale{};
  std::array<float, 256> max_scale{};
};

// A term's dictionary entry in one segment, found while binding the plan (Lucene's
// TermStates): executing the plan on that segment reads it instead of looking the term up again.
struct TermState {
  uint32_t word = 0;                             // which term of the leaf (a phrase's slot)
  const index::SegmentReader* reader = nullptr;  // the segment it is of
  // Alive exactly while `reader` is the reader it was found in (a reader made later at the same
  // address, after that one is gone, finds this expired).
  std::weak_ptr<const index::SegmentReader> alive;
  std::optional<index::TermInfo> entry;  // nullopt: the segment does not have the term
};

struct PlanNode {
  PlanKind kind = PlanKind::kNone;
  uint32_t field = 0;
  std::string term;  // kTerm; kPrefix: the prefix
  // kPrefix: the terms of the words as written that start with the prefix, over every segment
  // (so a segment's answer does not depend on which words it happened to see), minus those
  // that start with it themselves; sorted, unique. leaf_cursors.h's ExpandSurfaceForms.
  std::vector<std::string> expansion;
  std::vector<PhraseTerm> phrase;  // kPhrase
  uint32_t slop = 0;
  float boost = 1.0f;     // leaves: product of the query boosts and the field weight
  TermScorer scorer;      // kTerm, kPhrase, kSynonym
  float bm25_weight = 0;  // kTerm with PlanOptions::proximity: Lucene BM25's boost x idf
  // kTerm with PlanOptions::proximity: the field's average length from the bound statistics (in
  // float: the proximity bonus's avgdl).
  float proximity_avgdl = 1.0f;
  // kTerm, kPhrase, kSynonym: each term's entry in each segment of the snapshot it was bound on
  // (EntryIn; `word` is the index into `phrase` or `synonyms`, 0 for kTerm).
  std::vector<TermState> states;
  uint64_t df = 0;   // kTerm: global document frequency; kSynonym: the pseudo-term's
  uint64_t ttf = 0;  // kSynonym: the pseudo-term's total term frequency
  std::vector<std::string> synonyms;  // kSynonym: the alternatives, scored as one term
  // kCombined: `term` over these fields, frequencies scaled and summed, then saturated once by
  // `scorer` (given the pseudo-frequency; its length argument is unused).
  std::vector<CombinedField> combined;
  std::vector<std::pair<Occur, std::unique_ptr<PlanNode>>> clauses;  // kBool
  std::string label;  // "field:term" for explanations
};

// The statistics a synonym leaf is scored with (Lucene 8.8's SynonymQuery.SynonymWeight): a
// pseudo-term whose document frequency is the largest of the alternatives' (a lower bound of
// the union's) and whose total term frequency is their sum. The one place they are combined.
TermStatistics SynonymPseudoTerm(const std::vector<TermStatistics>& alternatives);

struct PlanOptions {
  std::shared_ptr<const Similarity> similarity;  // the scoring model (checked by the caller)
  // Collection statistics to score with instead of the snapshot's own (issue 18: global
  // statistics over shards); nullptr = the snapshot's. Every statistic bind uses comes through
  // it (BindStatistics in plan.cc).
  const StatisticsSource* statistics = nullptr;
  bool proximity = false;  // fill PlanNode::bm25_weight (bm25tp)
  std::vector<std::pair<std::string, float>> field_weights;
  std::vector<uint32_t> default_fields;  // resolved field ids
  // bm25f (docs/SCORING.md): term leaves combine their fields before saturation; phrases,
  // prefixes and synonyms are scored per field by Lucene BM25 with that field's b.
  bool bm25f = false;
  float k1 = 0.9f, b = 0.4f;
  std::vector<std::pair<std::string, float>> field_b;  // bm25f: per-field b (others: b)
};

// The leaf's entry of its term `word` in `seg` as found while binding (nullopt: absent), or
// nullptr when the plan was not bound on a snapshot holding `seg` (then look the term up).
const std::optional<index::TermInfo>* EntryIn(const PlanNode& leaf, const index::SegmentReader& seg,
                                              uint32_t word = 0);

// Binds the parsed query to the index. Unknown fields are InvalidArgument.
absl::StatusOr<std::unique_ptr<PlanNode>> BuildPlan(const QueryNode& query,
                                                    const index::Snapshot& index,
                                                    const PlanOptions& options);

// Analysed terms (a synonym leaf's alternatives included), phrases and prefixes of the plan's
// positive leaves (for highlighting).
void CollectHighlightTerms(const PlanNode& plan, std::vector<std::string>* terms,
                           std::vector<std::vector<std::string>>* phrases,
                           std::vector<std::string>* prefixes);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_PLAN_H_
