// PhraseTopK: the top k of one phrase that is the whole query. Block-max WAND over its
// PhraseCursor, so blocks whose bound (the smallest of the slots' block max tf, the longest of
// their shortest docs) cannot enter the top k are skipped without decoding positions; and the
// cursor itself passes over docs whose own bound (the smallest slot tf, the doc's norm) cannot,
// before decoding theirs (PhraseCursor::PruneWith). Exact: the same top k, bit for bit, as
// scoring every doc of the phrase.
#ifndef SCOUR_ENGINE_ALGORITHM_PHRASE_TOP_K_H_
#define SCOUR_ENGINE_ALGORITHM_PHRASE_TOP_K_H_

#include "engine/algorithm/block_max_wand.h"
#include "engine/algorithm/clauses.h"
#include "engine/phrase.h"
#include "engine/ranker.h"
#include "engine/topk.h"

namespace scour::engine {

template <typename Cursor>
class PhraseTopK {
 public:
  // `phrase` must be fresh and feed nothing but `topk`.
  PhraseTopK(PhraseCursor<Cursor>* phrase, const TermScorer& scorer, const SegmentView& seg,
             TopK* topk)
      : phrase_(phrase), clause_{phrase, &scorer}, seg_(seg), topk_(topk) {}

  void Run() {
    phrase_->PruneWith(clause_.scorer, seg_.norms, topk_);
    const DocFilter<PhraseCursor<Cursor>> filter(seg_.deleted_bits, {});
    BlockMaxWandOr<PhraseCursor<Cursor>, DocFilter<PhraseCursor<Cursor>>>({&clause_, 1}, filter,
                                                                          seg_.norms, topk_)
        .Run();
  }

 private:
  PhraseCursor<Cursor>* const phrase_;
  const ScoredCursor<PhraseCursor<Cursor>> clause_;
  const SegmentView seg_;
  TopK* const topk_;
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_ALGORITHM_PHRASE_TOP_K_H_
