// ExhaustiveOr: the top k of a union of clauses, every doc of every clause scored. The reference
// the pruned disjunctions (MaxScoreOr, BlockMaxWandOr) must equal, doc for doc and bit for bit.
#ifndef SCOUR_ENGINE_ALGORITHM_EXHAUSTIVE_OR_H_
#define SCOUR_ENGINE_ALGORITHM_EXHAUSTIVE_OR_H_

#include <cstdint>
#include <span>

#include "engine/algorithm/clauses.h"
#include "engine/topk.h"

namespace scour::engine {

template <typename Cursor, typename Filter>
class ExhaustiveOr {
 public:
  ExhaustiveOr(std::span<const ScoredCursor<Cursor>> clauses, const Filter& filter,
               const uint8_t* norms, TopK* topk)
      : clauses_(clauses), filter_(filter), norms_(norms), topk_(topk) {}

  void Run() {
    for (DocId doc = MinDoc(clauses_); doc != kNoMoreDocs; doc = MinDoc(clauses_)) {
      const bool rejected = filter_.Rejects(doc);
      float s = 0.0f;
      for (const auto& c : clauses_) {
        if (c.cursor->doc() != doc) continue;
        if (!rejected) s += ClauseScore(c, doc, norms_);
        c.cursor->Next();
      }
      if (!rejected) topk_->Insert(doc, s);
    }
  }

 private:
  const std::span<const ScoredCursor<Cursor>> clauses_;
  const Filter& filter_;
  const uint8_t* const norms_;
  TopK* const topk_;
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_ALGORITHM_EXHAUSTIVE_OR_H_
