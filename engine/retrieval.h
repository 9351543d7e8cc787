// Document-at-a-time top-k retrieval and counting over term cursors, as templates over any cursor
// type that follows index/postings/postings_cursor.h (VectorPostings, the on-disk postings,
// PhraseCursor): the entry points the planner calls, each choosing an algorithm of
// engine/algorithm/ (one class per algorithm: exhaustive OR, MaxScore, block-max WAND, block-max
// conjunction). Every top-k algorithm returns exactly what the exhaustive one does: a doc's score
// is the float sum, in clause order, of its matching clauses' TermScorer::Score, so pruned and
// unpruned paths give bit-identical scores. Scores must be >= 0 (true for every ranker in ranker.h
// with boost >= 0): the bounds assume it. Threading: reentrant; the cursors and the TopK are
// mutated (one query per thread).
#ifndef SCOUR_ENGINE_RETRIEVAL_H_
#define SCOUR_ENGINE_RETRIEVAL_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/algorithm/block_max_wand.h"
#include "engine/algorithm/clauses.h"
#include "engine/algorithm/conjunction.h"
#include "engine/algorithm/count.h"
#include "engine/algorithm/exhaustive_or.h"
#include "engine/algorithm/maxscore.h"
#include "engine/topk.h"

namespace scour::engine {

// Which disjunction algorithm BooleanTopK / OrTopK use.
enum class OrAlgorithm { kExhaustive, kMaxScore, kBlockMaxWand };

// Top-k of the union of `clauses` that `filter` keeps, scored by the sum of matching clauses.
template <typename Cursor, typename Filter>
void DisjunctionTopK(std::span<const ScoredCursor<Cursor>> clauses, const Filter& filter,
                     const uint8_t* norms, TopK* topk, OrAlgorithm algo) {
  switch (algo) {
    case OrAlgorithm::kExhaustive:
      return ExhaustiveOr<Cursor, Filter>(clauses, filter, norms, topk).Run();
    case OrAlgorithm::kMaxScore:
      return MaxScoreOr<Cursor, Filter>(clauses, filter, norms, topk).Run();
    case OrAlgorithm::kBlockMaxWand:
      return BlockMaxWandOr<Cursor, Filter>(clauses, filter, norms, topk).Run();
  }
}

// Top-k of the union of `terms`, scored by the sum of matching clauses.
template <typename Cursor>
void OrTopK(std::span<const ScoredCursor<Cursor>> terms, const SegmentView& seg, TopK* topk,
            OrAlgorithm algo = OrAlgorithm::kMaxScore) {
  const DocFilter<Cursor> filter(seg.deleted_bits, {});
  DisjunctionTopK(terms, filter, seg.norms, topk, algo);
}

// Top-k of the intersection of `terms`.
template <typename Cursor>
void AndTopK(std::span<const ScoredCursor<Cursor>> terms, const SegmentView& seg, TopK* topk) {
  const DocFilter<Cursor> filter(seg.deleted_bits, {});
  BlockMaxConjunction<Cursor, DocFilter<Cursor>>(terms, {}, filter, seg.norms, topk).Run();
}

// Top-k of +required optional -excluded.
template <typename Cursor>
void BooleanTopK(const BooleanClauses<Cursor>& q, const SegmentView& seg, TopK* topk,
                 OrAlgorithm algo = OrAlgorithm::kMaxScore) {
  const DocFilter<Cursor> filter(seg.deleted_bits, q.excluded);
  if (!q.required.empty()) {
    BlockMaxConjunction<Cursor, DocFilter<Cursor>>(q.required, q.optional, filter, seg.norms, topk)
        .Run();
    return;
  }
  DisjunctionTopK(q.optional, filter, seg.norms, topk, algo);
}

// Exact number of live docs matching +required optional -excluded (no scoring).
template <typename Cursor>
uint64_t BooleanCount(const BooleanClauses<Cursor>& q, const uint64_t* deleted_bits) {
  if constexpr (BlockCursor<Cursor>) {
    if (q.required.size() >= 2) {
      std::vector<Cursor*> by_df;
      for (const auto& c : q.required) by_df.push_back(c.cursor);
      std::stable_sort(by_df.begin(), by_df.end(),
                       [](const Cursor* a, const Cursor* b) { return a->df() < b->df(); });
      return ConjunctionCount<Cursor>(by_df, q.excluded, deleted_bits);
    }
  }
  const DocFilter<Cursor> filter(deleted_bits, q.excluded);
  if (!q.required.empty()) {
    return BlockMaxConjunction<Cursor, DocFilter<Cursor>>(q.required, {}, filter, nullptr, nullptr)
        .Run();
  }
  uint64_t count = 0;
  const auto& t = q.optional;
  for (DocId doc = MinDoc(t); doc != kNoMoreDocs; doc = MinDoc(t)) {
    if (!filter.Rejects(doc)) ++count;
    for (const auto& c : t) {
      if (c.cursor->doc() == doc) c.cursor->Next();
    }
  }
  return count;
}

template <typename Cursor>
uint64_t OrCount(std::span<const ScoredCursor<Cursor>> terms, const uint64_t* deleted_bits) {
  return BooleanCount(BooleanClauses<Cursor>{{}, terms, {}}, deleted_bits);
}
template <typename Cursor>
uint64_t AndCount(std::span<const ScoredCursor<Cursor>> terms, const uint64_t* deleted_bits) {
  return BooleanCount(BooleanClauses<Cursor>{terms, {}, {}}, deleted_bits);
}

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_RETRIEVAL_H_
