// BlockMaxConjunction: the top k (or the number) of the docs every required clause matches,
// optional clauses adding score only. The rarest required clause (the lead) drives; the others
// are moved to its docs.
//
// Pruning, once the top k is full: the required clauses' current blocks form a window (up to the
// first block end); if their block bounds plus the optional clauses' global bounds cannot beat
// the threshold, the whole window is skipped. Within a window, a lead doc whose own score cannot
// lift the rest's block bounds over the threshold is passed over, and each clause reached
// replaces its block bound by its actual score (Lucene's BlockMaxConjunctionScorer).
//
// Three ways to walk, the same docs and scores: one required clause alone over a block cursor,
// block by block (RunSingle); two or more required clauses over block cursors, run by run, a
// run being the lead's decoded block (or the window's part of it) merged with the second
// rarest clause's decoded blocks (NextCommon); otherwise the lead leapfrogs doc by doc.
// Returns exactly the top k of the brute force, bit for bit.
#ifndef SCOUR_ENGINE_ALGORITHM_CONJUNCTION_H_
#define SCOUR_ENGINE_ALGORITHM_CONJUNCTION_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "engine/algorithm/block_intersect.h"
#include "engine/algorithm/clauses.h"
#include "engine/topk.h"
#include "index/postings/bitpack.h"

namespace scour::engine {

template <typename Cursor, typename Filter>
class BlockMaxConjunction {
 public:
  // topk == nullptr: count the matching docs instead (norms unused, optional clauses ignored).
  BlockMaxConjunction(std::span<const ScoredCursor<Cursor>> required,
                      std::span<const ScoredCursor<Cursor>> optional, const Filter& filter,
                      const uint8_t* norms, TopK* topk)
      : required_(required),
        optional_(optional),
        filter_(filter),
        norms_(norms),
        topk_(topk),
        nr_(required.size()),
        no_(optional.size()),
        n_(nr_ + no_),
        by_df_(nr_),
        opt_order_(no_),
        opt_rest_(no_ + 1, 0.0),
        parts_(n_),
        block_bound_(nr_),
        block_last_(nr_) {
    std::iota(by_df_.begin(), by_df_.end(), size_t{0});
    std::stable_sort(by_df_.begin(), by_df_.end(), [&](size_t a, size_t b) {
      return required_[a].cursor->df() < required_[b].cursor->df();
    });
    if (topk_ != nullptr) {
      std::vector<float> opt_ub(no_);
      for (size_t j = 0; j < no_; ++j) opt_ub[j] = ClauseBound(optional_[j]);
      std::iota(opt_order_.begin(), opt_order_.end(), size_t{0});
      std::stable_sort(opt_order_.begin(), opt_order_.end(),
                       [&](size_t a, size_t b) { return opt_ub[a] > opt_ub[b]; });
      for (size_t t = no_; t-- > 0;) opt_rest_[t] = opt_rest_[t + 1] + opt_ub[opt_order_[t]];
    }
    others_global_ = opt_rest_[0];
    if (topk_ != nullptr) {
      for (size_t r = 1; r < nr_; ++r) others_global_ += ClauseBound(Required(r));
    }
  }

  // Fills the top k; returns the number of matching docs when counting (else 0).
  uint64_t Run() {
    if (nr_ == 0) return 0;
    if constexpr (BlockCursor<Cursor>) {
      if (nr_ >= 2) {
        RunBlocks();
        return count_;
      }
      if (no_ == 0 && topk_ != nullptr) {
        RunSingle();
        return 0;
      }
    }
    RunLeapfrog();
    return count_;
  }

 private:
  // Largest run of lead docs merged at once (a decoded block holds 128).
  static constexpr size_t kRun = 128;

  // The r-th rarest required clause.
  const ScoredCursor<Cursor>& Required(size_t r) const { return required_[by_df_[r]]; }
  Cursor* Lead() const { return required_[by_df_[0]].cursor; }

  // The window holding `doc` and, for `threshold`, whether it can compete and the least lead tf
  // and lead score that can. Done per window and threshold, not per doc.
  void UpdateWindow(DocId doc, float threshold) {
    if (have_window_ && doc <= window_end_ && threshold == window_threshold_) return;
    if (!have_window_ || doc > window_end_) {
      // Only the clauses whose block ended before doc move on: the others' blocks still cover it.
      window_end_ = kNoMoreDocs;
      window_bound_ = opt_rest_[0];
      for (size_t r = 0; r < nr_; ++r) {
        if (!have_window_ || doc > block_last_[r]) {
          const auto& c = Required(r);
          c.cursor->ShallowAdvance(doc);
          block_bound_[r] = BlockBound(c);
          block_last_[r] = c.cursor->BlockLastDoc();
        }
        window_bound_ += block_bound_[r];
        window_end_ = std::min(window_end_, block_last_[r]);
      }
      have_window_ = true;
    }
    window_threshold_ = threshold;
    window_ok_ = CanBeat(window_bound_, n_, threshold);
    const double rest = window_bound_ - block_bound_[0];
    if constexpr (!SelfScoringCursor<Cursor>) {  // a self-scoring lead has no tf to test
      lead_min_tf_ = window_ok_ && want_min_tf_ ? LeadMinTf(rest, threshold) : 1;
    }
    // CanBeat(rest + s) solved for the lead score s, rounded down so that the tests below never
    // drop a doc CanBeat would keep.
    lead_need_ =
        static_cast<double>(threshold) / (1.0 + static_cast<double>(n_ + 1) * 0x1p-23) - rest;
    lead_need_ -= std::abs(lead_need_) * 0x1p-40 + 0x1p-100;
  }

  // The smallest tf at which the lead's score plus `rest` (the other clauses' bounds) can beat
  // `threshold`, from its current block's pairs (MinTfToBeat); scores grow with tf, so lead
  // docs with a smaller tf cannot. The threshold only rises, so a value computed earlier stays
  // a safe bound.
  uint32_t LeadMinTf(double rest, float threshold) const {
    const ScoredCursor<Cursor>& lead = Required(0);
    index::ImpactPair pairs[index::kMaxImpactPairs];
    const uint32_t m = BlockPairs(*lead.cursor, pairs);
    return MinTfToBeat(*lead.scorer, pairs, m, rest, n_, threshold);
  }

  // The window cannot compete: the lead's next doc past it. The window ends where the first
  // block of any clause does (often a short block of a frequent term); if even the other
  // clauses' global bounds cannot lift the lead's block, the whole lead block is skipped.
  DocId SkipWindow(float threshold) {
    Cursor* lead = Lead();
    DocId skip_to = window_end_;
    if (!CanBeat(block_bound_[0] + others_global_, n_, threshold)) {
      skip_to = std::max(skip_to, lead->BlockLastDoc());
    }
    return skip_to == kNoMoreDocs ? kNoMoreDocs : lead->Advance(skip_to + 1);
  }

  // Every required clause is on `doc` and the pruning kept it: the filter, the optional clauses,
  // then the count or the top k. Returns true if the top k changed.
  bool Collect(DocId doc, float threshold) {
    if (filter_.Rejects(doc)) return false;
    if (topk_ == nullptr) {
      ++count_;
      return false;
    }
    if (no_ == 0) {
      float s = 0.0f;
      for (size_t r = 0; r < nr_; ++r) s += ClauseScore(required_[r], doc, norms_);
      return topk_->Insert(doc, s);
    }
    double partial = 0.0;
    for (size_t r = 0; r < nr_; ++r) {
      parts_[r] = ClauseScore(required_[r], doc, norms_);
      partial += parts_[r];
    }
    std::fill(parts_.begin() + nr_, parts_.end(), 0.0f);
    for (size_t t = 0; t < no_; ++t) {
      if (!CanBeat(partial + opt_rest_[t], n_, threshold)) return false;
      const size_t j = opt_order_[t];
      Cursor* c = optional_[j].cursor;
      if (c->doc() < doc) c->Advance(doc);
      if (c->doc() == doc) {
        parts_[nr_ + j] = ClauseScore(optional_[j], doc, norms_);
        partial += parts_[nr_ + j];
      }
    }
    float s = 0.0f;
    for (size_t i = 0; i < n_; ++i) s += parts_[i];
    return topk_->Insert(doc, s);
  }

  // The lead doc by doc: each other required clause is moved to it, the rarest first.
  void RunLeapfrog() {
    Cursor* lead = Lead();
    DocId doc = lead->doc();
    while (doc != kNoMoreDocs) {
      float threshold = 0.0f;
      bool pruning = false;
      double bound = 0.0;  // window bound with the actual scores of the clauses already on doc
      if (topk_ != nullptr && topk_->full()) {
        threshold = topk_->threshold();
        UpdateWindow(doc, threshold);
        if (!window_ok_) {
          doc = SkipWindow(threshold);
          continue;
        }
        // A lead doc whose tf is too low even at the lead block's shortest length is passed over
        // on its tf alone: no norm load (a cache miss per doc) and no division.
        if constexpr (!SelfScoringCursor<Cursor>) {
          if (lead->freq() < lead_min_tf_) {
            doc = lead->Next();
            continue;
          }
        }
        // The lead's own score replaces its block bound before any other cursor moves; each
        // clause reached then does the same.
        pruning = nr_ > 1;
        const float lead_score = ClauseScore(Required(0), doc, norms_);
        if (pruning && lead_score <= lead_need_) {
          doc = lead->Next();
          continue;
        }
        bound = window_bound_ - block_bound_[0] + lead_score;
      } else if (topk_ != nullptr) {
        threshold = topk_->threshold();
      }
      bool all = true;
      for (size_t r = 1; r < nr_; ++r) {
        Cursor* c = Required(r).cursor;
        if (c->doc() < doc) c->Advance(doc);
        if (c->doc() != doc) {
          doc = c->doc() == kNoMoreDocs ? kNoMoreDocs : lead->Advance(c->doc());
          all = false;
          break;
        }
        if (pruning && r + 1 < nr_) {
          bound += ClauseScore(Required(r), doc, norms_) - block_bound_[r];
          if (!CanBeat(bound, n_, threshold)) {
            doc = lead->Next();
            all = false;
            break;
          }
        }
      }
      if (!all) continue;
      Collect(doc, threshold);
      doc = lead->Next();
    }
  }

  // One required clause and nothing optional (a single-term query), block by block: blocks whose
  // bound cannot beat the threshold are passed on the skip table alone (never decoded, where
  // the leapfrog decodes each block it skips to), and a block that can is scored in one tight
  // loop. The same docs reach the top k with the same scores, in the same order.
  void RunSingle() {
    const ScoredCursor<Cursor>& lead = Required(0);
    Cursor* c = lead.cursor;
    const TermScorer& scorer = *lead.scorer;
    const uint8_t* norms = norms_;
    DocId doc = c->doc();
    while (doc != kNoMoreDocs) {
      float threshold = topk_->threshold();
      if (topk_->full()) {
        DocId target = doc;
        for (;;) {
          c->ShallowAdvance(target);
          const DocId last = c->BlockLastDoc();
          // No block at or after target (past a tail or a single doc, whose block stays put).
          if (last == kNoMoreDocs || last < target) return;
          if (CanBeat(BlockBound(lead), 1, threshold)) break;
          target = last + 1;
        }
        if (target > doc) {
          doc = c->Advance(target);
          continue;
        }
      }
      const DocId* d = c->BlockDocs();
      const uint32_t* f = c->BlockFreqs();
      const size_t end = c->BlockEnd();
      size_t i = c->BlockPos();
      // Once the top k is full, a doc whose tf is below the least that can beat the threshold
      // at the block's shortest doc is passed on its tf alone (no norm load, no score): the
      // block's candidates are gathered branch-free, then scored. The threshold only rises, so
      // the tf found at the block's start stays a safe bound through it.
      const uint32_t min_tf = topk_->full() ? SingleMinTf(lead, threshold) : 1;
      if (min_tf > 1) {
        size_t m = 0;
        // Most chunks hold no candidate: one test per chunk of 16.
        for (; i + 16 <= end; i += 16) {
          if (!AnyAtLeast16(f + i, min_tf)) continue;
          for (size_t j = i; j < i + 16; ++j) {
            cand_idx_[m] = static_cast<uint32_t>(j);
            m += f[j] >= min_tf ? 1 : 0;
          }
        }
        for (; i < end; ++i) {
          cand_idx_[m] = static_cast<uint32_t>(i);
          m += f[i] >= min_tf ? 1 : 0;
        }
        for (size_t j = 0; j < m; ++j) {
          const uint32_t t = cand_idx_[j];
          const float s = scorer.ScoreTf(f[t], norms[d[t]]);
          if (s > threshold && !filter_.Rejects(d[t])) {
            topk_->Insert(d[t], s);
            threshold = topk_->threshold();
          }
        }
      }
      for (; i < end; ++i) {
        const float s = scorer.ScoreTf(f[i], norms[d[i]]);
        if (s > threshold && !filter_.Rejects(d[i])) {
          topk_->Insert(d[i], s);
          threshold = topk_->threshold();
        }
      }
      c->SeekInBlock(static_cast<uint32_t>(end - 1));
      doc = c->Next();
    }
  }

  // True if one of f[0..16) is >= min_tf (>= 1). With SSE2 (every x86-64), 4 compares of 4:
  // compilers turn the scalar loop into a chain of 16 scalar maxima.
  static bool AnyAtLeast16(const uint32_t* f, uint32_t min_tf) {
#if defined(__SSE2__)
    // Unsigned order is the signed order of the values with their top bit flipped.
    const __m128i flip = _mm_set1_epi32(INT32_MIN);
    const __m128i below = _mm_set1_epi32(static_cast<int32_t>((min_tf - 1) ^ 0x80000000u));
    __m128i any = _mm_setzero_si128();
    for (size_t j = 0; j < 16; j += 4) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(f + j));
      any = _mm_or_si128(any, _mm_cmpgt_epi32(_mm_xor_si128(v, flip), below));
    }
    return _mm_movemask_epi8(any) != 0;
#else
    uint32_t any = 0;
    for (size_t j = 0; j < 16; ++j) any |= f[j] >= min_tf ? 1u : 0u;
    return any != 0;
#endif
  }

  // RunSingle's least tf that can beat `threshold` in the current block, from its pairs (1 when
  // any can; the block's max tf, capped, when none can).
  uint32_t SingleMinTf(const ScoredCursor<Cursor>& lead, float threshold) const {
    index::ImpactPair pairs[index::kMaxImpactPairs];
    const uint32_t m = BlockPairs(*lead.cursor, pairs);
    return MinTfToBeat(*lead.scorer, pairs, m, 0.0, 1, threshold);
  }

  // The lead's candidates in its run [i0, ie) when pruning: the docs whose own score can still
  // make it, which spares the second clause the decoding of blocks that hold none. Branch-free:
  // about half the docs pass. Candidate k is lead doc cand_docs_[k] at block index cand_idx_[k],
  // its lead score cand_score_[k].
  size_t PruneRun(const DocId* a, size_t i0, size_t ie) {
    const TermScorer& lead_scorer = *Required(0).scorer;
    const uint32_t* f = Lead()->BlockFreqs();
    const uint8_t* norms = norms_;
    // s <= lead_need_ (a double) exactly when s <= need, the largest float <= lead_need_.
    float need = static_cast<float>(lead_need_);
    if (static_cast<double>(need) > lead_need_) {
      need = std::nextafter(need, -std::numeric_limits<float>::infinity());
    }
    size_t m = 0;
    for (size_t t = i0; t < ie; ++t) {
      const DocId d = a[t];
      const float s = lead_scorer.ScoreTf(f[t], norms[d]);
      cand_docs_[m] = d;
      cand_idx_[m] = static_cast<uint32_t>(t);
      cand_score_[m] = s;
      m += s <= need ? 0 : 1;
    }
    return m;
  }

  // The lead and the second rarest clause are on `d`: the others are moved to it, and when
  // pruning each one's actual score replaces its block bound. False if d does not qualify;
  // *done once a required clause is exhausted.
  bool MatchOthers(DocId d, bool pruning, float threshold, bool* done) {
    double bound = 0.0;
    if (pruning && nr_ > 2) {
      bound = window_bound_ - block_bound_[0] + ClauseScore(Required(0), d, norms_);
    }
    for (size_t r = 1; r < nr_; ++r) {
      if (r >= 2) {
        Cursor* c = Required(r).cursor;
        if (c->doc() < d) c->Advance(d);
        if (c->doc() != d) {
          *done = c->doc() == kNoMoreDocs;
          return false;
        }
      }
      if (pruning && r + 1 < nr_) {
        bound += ClauseScore(Required(r), d, norms_) - block_bound_[r];
        if (!CanBeat(bound, n_, threshold)) return false;
      }
    }
    return true;
  }

  // RunBlocks' step for two scored clauses where the second clause's blocks are bit sets: the
  // candidates cd[0..m) (lead doc ci[k], or i0 + k) are tested in the bit set of the block
  // holding them and the matches scored as RunBlocks scores them, up to the first candidate
  // whose block is not a bit set. *k0 = the candidates done. Returns true when the run needs
  // nothing more of the second clause: every candidate done, or the top k just filled
  // (*resume = the lead doc to go on from, as RunBlocks sets it).
  bool BitSetRun(const DocId* cd, const uint32_t* ci, size_t i0, size_t m, bool pruning,
                 bool lead_first, size_t* k0, size_t* resume) {
    Cursor* lead = Lead();
    Cursor* second = Required(1).cursor;
    const TermScorer& lead_scorer = *Required(0).scorer;
    const TermScorer& second_scorer = *Required(1).scorer;
    const uint8_t* norms = norms_;
    size_t k = 0;
    while (k < m) {  // block by block while they are bit sets
      second->ShallowAdvance(cd[k]);
      uint32_t start;
      const char* bits = second->ShallowBitSet(&start);
      if (bits == nullptr || cd[k] < start) break;
      const DocId last = second->BlockLastDoc();
      const uint32_t* f2 = nullptr;
      index::BitSetRanker rank{bits};
      for (; k < m && cd[k] <= last; ++k) {
        const DocId d = cd[k];
        const uint32_t bit = d - start;
        if (index::BitSetTest(bits, bit) == 0) continue;
        if (f2 == nullptr && (f2 = second->ShallowBitSetFreqs()) == nullptr) {  // corrupt
          *k0 = k;
          return false;
        }
        const size_t li = ci != nullptr ? ci[k] : i0 + k;
        lead->SeekInBlock(li);
        const float sl =
            ci != nullptr ? cand_score_[k] : lead_scorer.ScoreTf(lead->BlockFreqs()[li], norms[d]);
        if (filter_.Rejects(d)) continue;
        const float s2 = second_scorer.ScoreTf(f2[rank.Rank(bit)], norms[d]);
        float s = 0.0f;
        s += lead_first ? sl : s2;
        s += lead_first ? s2 : sl;
        if (s < topk_->threshold()) continue;
        if (topk_->Insert(d, s) && !pruning && topk_->full()) {
          *k0 = k + 1;
          *resume = li + 1;
          return true;
        }
      }
    }
    *k0 = k;
    return k == m;
  }

  // Run by run: a run is the lead's docs from doc to the end of its decoded block (or of the
  // window); its candidates are merged with the second rarest clause's decoded blocks.
  void RunBlocks() {
    Cursor* lead = Lead();
    Cursor* second = Required(1).cursor;
    want_min_tf_ = false;  // every candidate lead doc is scored here anyway
    // (Cursors whose ClauseScore is ScoreTf(freq(), norm), as every block cursor's.)
    constexpr bool kTfScored =
        !SelfScoringCursor<Cursor> && std::is_integral_v<decltype(std::declval<Cursor&>().freq())>;
    const bool two_scored = kTfScored && nr_ == 2 && no_ == 0 && topk_ != nullptr;
    const TermScorer& lead_scorer = *Required(0).scorer;
    const TermScorer& second_scorer = *Required(1).scorer;
    const bool lead_first = by_df_[0] == 0;  // Collect sums in required_'s order
    const uint8_t* norms = norms_;
    bool bit_sets = false;  // the second clause may have bit set blocks
    if constexpr (BitSetCursor<Cursor>) bit_sets = second->bit_sets();
    DocId doc = lead->doc();
    while (doc != kNoMoreDocs) {
      float threshold = 0.0f;
      bool pruning = false;
      if (topk_ != nullptr) {
        threshold = topk_->threshold();
        if (topk_->full()) {
          UpdateWindow(doc, threshold);
          if (!window_ok_) {
            doc = SkipWindow(threshold);
            continue;
          }
          pruning = true;
        }
      }
      const DocId* a = lead->BlockDocs();
      const size_t i0 = lead->BlockPos(), lead_end = lead->BlockEnd();
      size_t ie = std::min(lead_end, i0 + kRun);
      if (pruning && a[ie - 1] > window_end_) {
        ie = static_cast<size_t>(std::upper_bound(a + i0, a + ie, window_end_) - a);
        // The window ends before doc only once a required clause has no docs left: doc
        // cannot match, but it must be passed.
        ie = std::max(ie, i0 + 1);
      }
      // The candidates: every doc of the run, or when pruning those whose own score can still
      // make it.
      const DocId* cd = a + i0;
      const uint32_t* ci = nullptr;  // candidate k is lead doc ci[k], or i0 + k
      size_t m = ie - i0;
      if (pruning) {
        m = PruneRun(a, i0, ie);
        cd = cand_docs_;
        ci = cand_idx_;
      }
      size_t resume = ie;  // the lead doc to go on from
      size_t k0 = 0;       // the candidates before it are done
      if constexpr (BitSetCursor<Cursor>) {
        // The second's block a bit set (format 8): the candidates up to its last doc are tested
        // in it, and a match's frequency is read at its rank, without decoding the doc ids.
        if (two_scored && bit_sets && m > 0 &&
            BitSetRun(cd, ci, i0, m, pruning, lead_first, &k0, &resume)) {
          if (resume < lead_end) {
            lead->SeekInBlock(resume);
            doc = a[resume];
          } else {
            lead->SeekInBlock(lead_end - 1);
            doc = lead->Next();
          }
          continue;
        }
      }
      if (k0 < m && second->doc() < cd[k0]) second->Advance(cd[k0]);
      if (second->doc() == kNoMoreDocs) break;
      const DocId* b = second->BlockDocs();
      size_t j = second->BlockPos(), je = second->BlockEnd();
      bool done = false;
      for (size_t k = k0; k < m;) {
        if (!NextCommon(cd, &k, m, b, &j, je)) {
          if (k == m) break;
          // The second clause's block is spent: on to its block holding the next candidate.
          if (second->Advance(std::max(b[je - 1] + 1, cd[k])) == kNoMoreDocs) {
            done = true;
            break;
          }
          b = second->BlockDocs();
          j = second->BlockPos();
          je = second->BlockEnd();
          continue;
        }
        const DocId d = cd[k];
        const size_t li = ci != nullptr ? ci[k] : i0 + k;
        lead->SeekInBlock(li);
        second->SeekInBlock(j);
        if (two_scored) {
          // Two required clauses, nothing optional (most AND queries): Collect's work from the
          // blocks' arrays, the lead's score from PruneRun when it ran, and a doc whose score is
          // below the threshold is not offered to the top k. The sum in Collect's order.
          const float sl = ci != nullptr ? cand_score_[k]
                                         : lead_scorer.ScoreTf(lead->BlockFreqs()[li], norms[d]);
          ++k;
          ++j;
          if (filter_.Rejects(d)) continue;
          const float s2 = second_scorer.ScoreTf(second->BlockFreqs()[j - 1], norms[d]);
          float s = 0.0f;
          s += lead_first ? sl : s2;
          s += lead_first ? s2 : sl;
          if (s < topk_->threshold()) continue;
          if (topk_->Insert(d, s) && !pruning && topk_->full()) {
            resume = li + 1;
            break;
          }
          continue;
        }
        ++k;
        ++j;
        const bool all = MatchOthers(d, pruning, threshold, &done);
        if (done) break;
        // Once the top k fills the pruning starts: recompute the run. (A threshold raised while
        // pruning applies from the next run on: the lower one is still safe.)
        if (all && Collect(d, threshold) && !pruning && topk_->full()) {
          resume = li + 1;
          break;
        }
      }
      if (done) break;
      // b[..j) is spent (all of the block once j == je, and then below the last candidate): the
      // lead goes on from the run's end, or past its block and up to b[j].
      if (j < je) second->SeekInBlock(j);
      if (resume < lead_end) {
        lead->SeekInBlock(resume);
        doc = a[resume];
      } else {
        lead->SeekInBlock(lead_end - 1);
        doc = lead->Advance(std::max(a[lead_end - 1] + 1, j < je ? b[j] : b[je - 1] + 1));
      }
    }
  }

  const std::span<const ScoredCursor<Cursor>> required_;
  const std::span<const ScoredCursor<Cursor>> optional_;
  const Filter& filter_;
  const uint8_t* const norms_;
  TopK* const topk_;
  const size_t nr_, no_, n_;
  std::vector<size_t> by_df_;      // required clause indexes, rarest first
  std::vector<size_t> opt_order_;  // optional clause indexes by decreasing bound
  std::vector<double> opt_rest_;   // opt_rest_[t] = bound sum of opt_order_[t..]
  std::vector<float> parts_;       // the scored doc's clause scores: required..., optional...
  double others_global_ = 0.0;     // global bounds of every clause but the lead
  uint64_t count_ = 0;

  // The window (UpdateWindow).
  bool have_window_ = false;
  DocId window_end_ = 0;
  double window_bound_ = 0.0;
  std::vector<double> block_bound_;  // per required clause (by_df_ order), in the window
  std::vector<DocId> block_last_;    // the last doc of the block block_bound_[r] is of
  float window_threshold_ = 0.0f;
  bool window_ok_ = true;
  bool want_min_tf_ = true;
  uint32_t lead_min_tf_ = 1;
  double lead_need_ = 0.0;

  // A pruned run's candidates (PruneRun).
  DocId cand_docs_[kRun];
  uint32_t cand_idx_[kRun];
  float cand_score_[kRun];
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_ALGORITHM_CONJUNCTION_H_
