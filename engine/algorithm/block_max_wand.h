// BlockMaxWandOr (Ding & Suel 2011): the top k of a union of clauses, the cursors kept sorted by
// doc. The pivot is the first cursor at which the clauses' global bounds can beat the threshold;
// the block maxima of the cursors up to the pivot then either confirm the pivot doc (score it, or
// move the laggards to it) or let every one of them jump past the end of the shortest block.
// Returns exactly what ExhaustiveOr does.
#ifndef SCOUR_ENGINE_ALGORITHM_BLOCK_MAX_WAND_H_
#define SCOUR_ENGINE_ALGORITHM_BLOCK_MAX_WAND_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

#include "engine/algorithm/clauses.h"
#include "engine/topk.h"

namespace scour::engine {

template <typename Cursor, typename Filter>
class BlockMaxWandOr {
 public:
  BlockMaxWandOr(std::span<const ScoredCursor<Cursor>> clauses, const Filter& filter,
                 const uint8_t* norms, TopK* topk)
      : clauses_(clauses),
        filter_(filter),
        norms_(norms),
        topk_(topk),
        n_(clauses.size()),
        ub_(n_),
        ord_(n_),
        bound_last_(n_, kNoMoreDocs),
        bound_(n_, -1.0f) {
    for (size_t i = 0; i < n_; ++i) ub_[i] = ClauseBound(clauses_[i]);
    std::iota(ord_.begin(), ord_.end(), size_t{0});
  }

  void Run() {
    Resort();
    while (true) {
      const float threshold = topk_->threshold();
      size_t pivot = FindPivot(threshold);
      if (pivot == n_) break;
      const DocId pdoc = DocAt(pivot);
      while (pivot + 1 < n_ && DocAt(pivot + 1) == pdoc) ++pivot;
      DocId block_end = kNoMoreDocs;
      if (CanBeat(BlockBoundSum(pivot, pdoc, &block_end), n_, threshold)) {
        if (DocAt(0) == pdoc) {
          ScorePivot(pivot, pdoc);
        } else {
          // Docs before pdoc are matched only by clauses whose bounds cannot beat the threshold.
          for (size_t p = 0; p < pivot && DocAt(p) < pdoc; ++p) CursorAt(p)->Advance(pdoc);
        }
      } else {
        // No doc in [pdoc, target) can beat the threshold: it is covered by the blocks just
        // checked, and the clauses after the pivot start at or after target.
        DocId target = block_end == kNoMoreDocs ? kNoMoreDocs : block_end + 1;
        if (pivot + 1 < n_) target = std::min(target, DocAt(pivot + 1));
        if (target == kNoMoreDocs) break;
        for (size_t p = 0; p <= pivot; ++p) CursorAt(p)->Advance(target);
      }
      Resort();
    }
  }

 private:
  Cursor* CursorAt(size_t p) const { return clauses_[ord_[p]].cursor; }
  DocId DocAt(size_t p) const { return CursorAt(p)->doc(); }

  // Insertion sort by doc: n is small and the order is nearly sorted.
  void Resort() {
    for (size_t p = 1; p < n_; ++p) {
      const size_t v = ord_[p];
      const DocId d = clauses_[v].cursor->doc();
      size_t q = p;
      for (; q > 0 && clauses_[ord_[q - 1]].cursor->doc() > d; --q) ord_[q] = ord_[q - 1];
      ord_[q] = v;
    }
  }

  // The first position whose bounds, summed with those before it, can beat `threshold`; n_ if
  // none (or the cursors before it are exhausted).
  size_t FindPivot(float threshold) const {
    double acc = 0.0;
    for (size_t p = 0; p < n_; ++p) {
      if (DocAt(p) == kNoMoreDocs) break;
      acc += ub_[ord_[p]];
      if (CanBeat(acc, n_, threshold)) return p;
    }
    return n_;
  }

  // Moves the cursors up to the pivot to their blocks holding `pdoc`: the sum of their block
  // bounds, and the end of the shortest block in *block_end.
  double BlockBoundSum(size_t pivot, DocId pdoc, DocId* block_end) const {
    double block_sum = 0.0;
    for (size_t p = 0; p <= pivot; ++p) {
      Cursor* c = CursorAt(p);
      c->ShallowAdvance(pdoc);
      const DocId last = c->BlockLastDoc();
      block_sum += CachedBlockBound(ord_[p], last);
      *block_end = std::min(*block_end, last);
    }
    return block_sum;
  }

  // A block's bound from its impact pairs costs a model score per pair: computed once per
  // block of a cursor whose block is named by its last doc (ImpactCursor: SegmentPostings).
  // Other cursors' windows (a union's) can change bound under the same end: not cached.
  float CachedBlockBound(size_t i, DocId last) const {
    if constexpr (ImpactCursor<Cursor>) {
      if (bound_[i] < 0.0f || bound_last_[i] != last) {
        bound_[i] = BlockBound(clauses_[i]);
        bound_last_[i] = last;
      }
      return bound_[i];
    } else {
      return BlockBound(clauses_[i]);
    }
  }

  // Every cursor on `pdoc` is in ord_[0..pivot]: score it (clause order) and move them past it.
  void ScorePivot(size_t pivot, DocId pdoc) {
    if (!filter_.Rejects(pdoc)) {
      float s = 0.0f;
      for (size_t i = 0; i < n_; ++i) {
        if (clauses_[i].cursor->doc() == pdoc) s += ClauseScore(clauses_[i], pdoc, norms_);
      }
      topk_->Insert(pdoc, s);
    }
    for (size_t p = 0; p <= pivot; ++p) CursorAt(p)->Next();
  }

  const std::span<const ScoredCursor<Cursor>> clauses_;
  const Filter& filter_;
  const uint8_t* const norms_;
  TopK* const topk_;
  const size_t n_;
  std::vector<float> ub_;                  // per clause: its bound over its whole list
  std::vector<size_t> ord_;                // clause indexes by current doc
  mutable std::vector<DocId> bound_last_;  // per clause: the block of bound_ (its last doc)
  mutable std::vector<float> bound_;       // and that block's bound; < 0: none yet
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_ALGORITHM_BLOCK_MAX_WAND_H_
