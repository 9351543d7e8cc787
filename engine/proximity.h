// BM25TP: a term-proximity bonus (Rasolofo & Savoy 2003) added to Lucene BM25, implemented as a
// re-ranking stage over the BM25 top-N (N = RerankDepth(k)), so the pruned BM25 retrieval is
// untouched. The bonus of a doc is bounded (ProximityBonusBound), see docs/SCORING.md.
// Pure functions are reentrant; ProximityRerank reads the (thread-safe) index snapshot only.
#ifndef SCOUR_ENGINE_PROXIMITY_H_
#define SCOUR_ENGINE_PROXIMITY_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/plan.h"
#include "engine/ranker.h"
#include "engine/topk.h"
#include "index/commit/reader_impl.h"

namespace scour::engine {

// Occurrences further apart than this many positions do not count (Rasolofo & Savoy use 5).
inline constexpr uint32_t kProximityWindow = 5;
// BM25 candidates re-ranked when fewer than this many hits are asked for.
inline constexpr size_t kMinRerankDepth = 100;

inline size_t RerankDepth(size_t k) { return k == 0 ? 0 : std::max(k, kMinRerankDepth); }

// tpi(a, b) = sum over occurrence pairs (p in a, q in b, 0 < |p - q| <= window) of 1 / (p - q)^2.
// `a` and `b` are ascending positions of two distinct terms in one field of one doc. The work
// is O(|a| + |b| + |a| * 2 * window).
double PairTpi(std::span<const uint32_t> a, std::span<const uint32_t> b,
               uint32_t window = kProximityWindow);

struct ProximityTerm {
  std::span<const uint32_t> positions;  // ascending; empty when the term is not in the doc
  float weight = 0;                     // the term's BM25 weight (PlanNode::bm25_weight)
};

// Bonus of one doc in one field: sum over pairs i < j of
//   min(w_i, w_j) * tpi_ij / (K + tpi_ij),  K = k1 * (1 - b + b * dl / avgdl).
// 0 when no pair occurs within the window (in particular without positions).
float ProximityBonus(std::span<const ProximityTerm> terms, float k1, float b, float dl,
                     float avgdl);

// Sum over pairs i < j of min(w_i, w_j): no ProximityBonus of these terms reaches it.
float ProximityBonusBound(std::span<const float> weights);

struct RerankInfo {
  float bonus_bound = 0;  // upper bound of any doc's total bonus for this query
  bool exact = false;     // provably the top-k of BM25 + bonus over ALL matching docs
  size_t candidates = 0;  // BM25 hits that were re-ranked
};

// `top` holds the BM25 top-N (best first, global doc ids) of `plan`; adds each doc's bonus
// (term leaves of `plan` that are not MUST_NOT, pairs within one field), re-sorts (ties: smaller
// doc id first) and keeps the best k. `exact` is set when fewer than `depth` docs matched or the
// k-th new score is >= the N-th BM25 score + bonus_bound (no doc below N could overtake).
absl::StatusOr<RerankInfo> ProximityRerank(const PlanNode& plan, const index::Snapshot& index,
                                           const RankerParams& ranker, size_t k, size_t depth,
                                           std::vector<ScoredDoc>* top);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_PROXIMITY_H_
