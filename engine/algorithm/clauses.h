// What every top-k algorithm of engine/algorithm/ shares: scored clauses (a cursor following
// index/postings/postings_cursor.h and its TermScorer), the segment's norms and deletions, the
// filter of deleted docs and excluded clauses, and the score bounds with the test that decides
// whether a bound can still beat the top-k threshold. Exactness: a doc's score is the float sum, in
// clause order, of its matching clauses' TermScorer::Score, whatever the algorithm; bounds are
// summed in double and compared through CanBeat, whose pad covers the rounding of the float sums.
// Scores must be >= 0.
#ifndef SCOUR_ENGINE_ALGORITHM_CLAUSES_H_
#define SCOUR_ENGINE_ALGORITHM_CLAUSES_H_

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include "engine/ranker.h"
#include "index/postings/impact_list.h"
#include "index/postings/postings_cursor.h"

namespace scour::engine {

using index::DocId;
using index::kNoMoreDocs;

// What the algorithms need of the segment besides the postings.
struct SegmentView {
  const uint8_t* norms = nullptr;          // norms[doc]; needed only for scoring.
  const uint64_t* deleted_bits = nullptr;  // bit (d & 63) of word d >> 6 set = doc d deleted.
};

inline bool IsDeleted(const uint64_t* bits, DocId d) {
  return bits != nullptr && ((bits[d >> 6] >> (d & 63)) & 1) != 0;
}

// One scored clause: a cursor (mutated) and the scorer of its term or phrase in its field.
template <typename Cursor>
struct ScoredCursor {
  Cursor* cursor;
  const TermScorer* scorer;
};

// +required optional -excluded. With no required clause a doc must match an optional one.
// Score = sum of matching clauses in the order required..., optional....
template <typename Cursor>
struct BooleanClauses {
  std::span<const ScoredCursor<Cursor>> required;
  std::span<const ScoredCursor<Cursor>> optional;
  std::span<Cursor* const> excluded;
};

// True if a doc whose per-clause score bounds sum (exactly, in double) to `bound_sum` might still
// enter a top-k whose threshold is `threshold`. The pad covers the rounding of a float sum of
// n clause scores (relative error < n * 2^-24) done in another order than the bound's.
inline bool CanBeat(double bound_sum, size_t n, float threshold) {
  return bound_sum * (1.0 + static_cast<double>(n + 1) * 0x1p-23) > threshold;
}

// A cursor that scores itself, given its clause's scorer: a bm25f leaf over several fields
// (engine/combined_postings.h), whose score depends on each field's frequency and norm. It has
// no freq() and ignores the segment view's norms; its bounds are its own (over the whole list,
// and over the window of its last ShallowAdvance).
template <typename C>
concept SelfScoringCursor = requires(const C& c, const TermScorer& s) {
  { c.Score(s) } -> std::same_as<float>;
  { c.MaxScore(s) } -> std::same_as<float>;
  { c.BlockMaxScore(s) } -> std::same_as<float>;
};

template <typename Cursor>
inline float ClauseScore(const ScoredCursor<Cursor>& c, DocId doc, const uint8_t* norms) {
  if constexpr (SelfScoringCursor<Cursor>) {
    return c.cursor->Score(*c.scorer);
  } else if constexpr (std::is_integral_v<decltype(c.cursor->freq())>) {
    return c.scorer->ScoreTf(c.cursor->freq(), norms[doc]);
  } else {
    return c.scorer->Score(static_cast<float>(c.cursor->freq()), norms[doc]);
  }
}

// A cursor whose blocks list (tf, norm) pairs that bound each of their docs (SegmentPostings:
// the impact lists of `.post` format 4, docs/format/README.md "Pareto impacts"): every doc of
// the shallow block has a tf at most and a norm at least those of one of the pairs.
template <typename C>
concept ImpactCursor = requires(const C& c, index::ImpactPair* out) {
  { c.BlockImpacts(out) } -> std::same_as<uint32_t>;
};

// The shallow block's pairs (1 to kMaxImpactPairs, tf and norm increasing): the cursor's list,
// else the one pair (block max tf, block min norm).
template <typename Cursor>
inline uint32_t BlockPairs(const Cursor& c, index::ImpactPair* out) {
  if constexpr (ImpactCursor<Cursor>) {
    return c.BlockImpacts(out);
  } else {
    out[0] = {c.BlockMaxTf(), c.BlockMinNorm()};
    return 1;
  }
}

// The best model score over the pairs: a bound of every doc under them (the model grows with tf
// and falls with the norm), never above the model at (max tf, min norm).
inline float PairsBound(const TermScorer& s, const index::ImpactPair* pairs, uint32_t m) {
  float best = 0.0f;
  for (uint32_t i = 0; i < m; ++i) best = std::max(best, s.MaxScore(pairs[i].tf, pairs[i].norm));
  return best;
}

// The least tf a doc of a block bounded by pairs[0..m) (BlockPairs) needs for `rest` plus its
// score to beat `threshold` among n clauses: a doc whose tf lies in (pairs[j-1].tf, pairs[j].tf]
// lies under pair j or a later one, so its norm is at least pairs[j].norm. Returns the least
// such tf, capped at 2^16 (docs above the cap are candidates), or the block's max tf when
// none can (the caller still tests every candidate's score).
inline uint32_t MinTfToBeat(const TermScorer& s, const index::ImpactPair* pairs, uint32_t m,
                            double rest, size_t n, float threshold) {
  constexpr uint32_t kCap = 1u << 16;
  uint32_t lo = 1;
  for (uint32_t j = 0; j < m; ++j) {
    const uint8_t norm = pairs[j].norm;
    uint32_t hi = std::min(pairs[j].tf, kCap);
    if (lo <= hi && CanBeat(rest + s.MaxScore(hi, norm), n, threshold)) {
      if (CanBeat(rest + s.MaxScore(lo, norm), n, threshold)) return lo;
      while (lo < hi) {  // the model grows with tf: the least tf in [lo, hi] that can
        const uint32_t mid = lo + (hi - lo) / 2;
        if (CanBeat(rest + s.MaxScore(mid, norm), n, threshold)) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }
    if (pairs[j].tf >= kCap) return kCap;
    lo = pairs[j].tf + 1;
  }
  return std::max(1u, std::min(pairs[m - 1].tf, kCap));
}

// Bound of the clause's score over its whole list, and over its cursor's current shallow block.
template <typename Cursor>
inline float ClauseBound(const ScoredCursor<Cursor>& c) {
  if constexpr (SelfScoringCursor<Cursor>) {
    return c.cursor->MaxScore(*c.scorer);
  } else {
    return c.scorer->MaxScore(c.cursor->MaxTf(), c.cursor->MinNorm());
  }
}
template <typename Cursor>
inline float BlockBound(const ScoredCursor<Cursor>& c) {
  if constexpr (SelfScoringCursor<Cursor>) {
    return c.cursor->BlockMaxScore(*c.scorer);
  } else if constexpr (ImpactCursor<Cursor>) {
    index::ImpactPair pairs[index::kMaxImpactPairs];
    return PairsBound(*c.scorer, pairs, c.cursor->BlockImpacts(pairs));
  } else {
    return c.scorer->MaxScore(c.cursor->BlockMaxTf(), c.cursor->BlockMinNorm());
  }
}

// The smallest current doc of the clauses.
template <typename Cursor>
DocId MinDoc(std::span<const ScoredCursor<Cursor>> t) {
  DocId d = kNoMoreDocs;
  for (const auto& c : t) d = std::min(d, c.cursor->doc());
  return d;
}

// Deleted docs and excluded clauses. Docs must be queried in increasing order.
template <typename Cursor>
class DocFilter {
 public:
  DocFilter(const uint64_t* deleted_bits, std::span<Cursor* const> excluded)
      : deleted_bits_(deleted_bits), excluded_(excluded) {}
  bool Rejects(DocId doc) const {
    if (IsDeleted(deleted_bits_, doc)) return true;
    for (Cursor* c : excluded_) {
      if (c->doc() < doc) c->Advance(doc);
      if (c->doc() == doc) return true;
    }
    return false;
  }

 private:
  const uint64_t* deleted_bits_;
  std::span<Cursor* const> excluded_;
};

// A cursor whose decoded block reads as an array (SegmentPostings::BlockDocs and the rest).
template <typename C>
concept BlockCursor = requires(C& c, const C& cc) {
  { cc.BlockDocs() } -> std::convertible_to<const DocId*>;
  { cc.BlockPos() } -> std::convertible_to<size_t>;
  { cc.BlockEnd() } -> std::convertible_to<size_t>;
  { cc.BlockFreqs() } -> std::convertible_to<const uint32_t*>;
  c.SeekInBlock(cc.BlockPos());
};

// Cursors whose blocks may be stored as bit sets (format 8's dense blocks): SegmentPostings.
template <typename C>
concept BitSetCursor = requires(C& c, const C& cc, uint32_t* start) {
  { cc.ShallowBitSet(start) } -> std::convertible_to<const char*>;
  { cc.bit_sets() } -> std::convertible_to<bool>;
  { cc.BlockLastDoc() } -> std::convertible_to<DocId>;
  c.ShallowAdvance(DocId{});
  { c.ShallowBitSetFreqs() } -> std::convertible_to<const uint32_t*>;
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_ALGORITHM_CLAUSES_H_
