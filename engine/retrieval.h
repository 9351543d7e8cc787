// Document-at-a-time top-k retrieval and counting over term cursors, as templates over any cursor
// type that follows index/postings/postings_cursor.h (VectorPostings, the on-disk postings,
// PhraseCursor): exhaustive OR (the reference), MaxScore, block-max WAND, conjunction (with
// block-max skipping) and boolean +required / optional / -excluded. Every top-k algorithm returns
// exactly what the exhaustive one does: a doc's score is the float sum, in clause order, of its
// matching clauses' TermScorer::Score, so pruned and unpruned paths give bit-identical scores.
// Threading: functions are reentrant; cursors and the TopK are mutated (one query per thread).
// Scores must be >= 0 (true for every ranker in ranker.h with boost >= 0): bounds assume it.
#ifndef SCOUR_ENGINE_RETRIEVAL_H_
#define SCOUR_ENGINE_RETRIEVAL_H_

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <vector>

#include "engine/block_intersect.h"
#include "engine/ranker.h"
#include "engine/topk.h"
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

namespace retrieval_internal {

// True if a doc whose per-clause score bounds sum (exactly, in double) to `bound_sum` might still
// enter a top-k whose threshold is `threshold`. The pad covers the rounding of a float sum of
// n clause scores (relative error < n * 2^-24) done in another order than the bound's.
inline bool CanBeat(double bound_sum, size_t n, float threshold) {
  return bound_sum * (1.0 + static_cast<double>(n + 1) * 0x1p-23) > threshold;
}

template <typename Cursor>
inline float ClauseScore(const ScoredCursor<Cursor>& c, DocId doc, const uint8_t* norms) {
  return c.scorer->Score(static_cast<float>(c.cursor->freq()), norms[doc]);
}

template <typename Cursor>
inline float ClauseBound(const ScoredCursor<Cursor>& c) {
  return c.scorer->MaxScore(c.cursor->MaxTf(), c.cursor->MinNorm());
}

template <typename Cursor>
inline float BlockBound(const ScoredCursor<Cursor>& c) {
  return c.scorer->MaxScore(c.cursor->BlockMaxTf(), c.cursor->BlockMinNorm());
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

template <typename Cursor>
DocId MinDoc(std::span<const ScoredCursor<Cursor>> t) {
  DocId d = kNoMoreDocs;
  for (const auto& c : t) d = std::min(d, c.cursor->doc());
  return d;
}

template <typename Cursor, typename Filter>
void ExhaustiveOr(std::span<const ScoredCursor<Cursor>> terms, const Filter& filter,
                  const uint8_t* norms, TopK* topk) {
  for (DocId doc = MinDoc(terms); doc != kNoMoreDocs; doc = MinDoc(terms)) {
    const bool rejected = filter.Rejects(doc);
    float s = 0.0f;
    for (const auto& c : terms) {
      if (c.cursor->doc() != doc) continue;
      if (!rejected) s += ClauseScore(c, doc, norms);
      c.cursor->Next();
    }
    if (!rejected) topk->Insert(doc, s);
  }
}

// MaxScore (Turtle & Flood 1995): clauses sorted by upper bound; the prefix whose bounds sum
// cannot beat the threshold is "non-essential": only docs of the essential ones are candidates,
// and non-essential clauses are probed (largest bound first) while the doc can still make it.
template <typename Cursor, typename Filter>
void MaxScoreOr(std::span<const ScoredCursor<Cursor>> terms, const Filter& filter,
                const uint8_t* norms, TopK* topk) {
  const size_t n = terms.size();
  std::vector<float> ub(n);
  for (size_t i = 0; i < n; ++i) ub[i] = ClauseBound(terms[i]);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ub[a] < ub[b]; });
  std::vector<double> cum(n);  // cum[t] = sum of the bounds of order[0..t]
  double acc = 0.0;
  for (size_t t = 0; t < n; ++t) cum[t] = acc += ub[order[t]];
  std::vector<float> parts(n);

  size_t first_essential = 0;
  float threshold = topk->threshold();
  auto update_essential = [&] {
    threshold = topk->threshold();
    while (first_essential < n && !CanBeat(cum[first_essential], n, threshold)) ++first_essential;
  };
  update_essential();
  while (first_essential < n) {
    DocId doc = kNoMoreDocs;
    for (size_t t = first_essential; t < n; ++t) doc = std::min(doc, terms[order[t]].cursor->doc());
    if (doc == kNoMoreDocs) break;
    if (filter.Rejects(doc)) {
      for (size_t t = first_essential; t < n; ++t) {
        Cursor* c = terms[order[t]].cursor;
        if (c->doc() == doc) c->Next();
      }
      continue;
    }
    std::fill(parts.begin(), parts.end(), 0.0f);
    double partial = 0.0;
    for (size_t t = first_essential; t < n; ++t) {
      const size_t i = order[t];
      if (terms[i].cursor->doc() != doc) continue;
      parts[i] = ClauseScore(terms[i], doc, norms);
      partial += parts[i];
      terms[i].cursor->Next();
    }
    bool competitive = true;
    for (size_t t = first_essential; t-- > 0;) {
      if (!CanBeat(partial + cum[t], n, threshold)) {
        competitive = false;
        break;
      }
      const size_t i = order[t];
      Cursor* c = terms[i].cursor;
      if (c->doc() < doc) c->Advance(doc);
      if (c->doc() == doc) {
        parts[i] = ClauseScore(terms[i], doc, norms);
        partial += parts[i];
      }
    }
    if (!competitive) continue;
    float s = 0.0f;
    for (size_t i = 0; i < n; ++i) s += parts[i];  // clause order, as ExhaustiveOr
    if (topk->Insert(doc, s)) update_essential();
  }
}

// Block-max WAND (Ding & Suel 2011), cursors kept sorted by doc. The pivot is the first cursor
// at which the global bounds can beat the threshold; the block maxima of the cursors up to the
// pivot then either confirm the pivot doc (score it, or move the laggards to it) or let every
// one of them jump past the end of the shortest block.
template <typename Cursor, typename Filter>
void BlockMaxWandOr(std::span<const ScoredCursor<Cursor>> terms, const Filter& filter,
                    const uint8_t* norms, TopK* topk) {
  const size_t n = terms.size();
  std::vector<float> ub(n);
  for (size_t i = 0; i < n; ++i) ub[i] = ClauseBound(terms[i]);
  std::vector<size_t> ord(n);
  std::iota(ord.begin(), ord.end(), size_t{0});
  auto doc_of = [&](size_t p) { return terms[ord[p]].cursor->doc(); };
  auto resort = [&] {  // insertion sort: n is small and the order is nearly sorted
    for (size_t p = 1; p < n; ++p) {
      const size_t v = ord[p];
      const DocId d = terms[v].cursor->doc();
      size_t q = p;
      for (; q > 0 && terms[ord[q - 1]].cursor->doc() > d; --q) ord[q] = ord[q - 1];
      ord[q] = v;
    }
  };
  resort();
  while (true) {
    const float threshold = topk->threshold();
    double acc = 0.0;
    size_t pivot = n;
    for (size_t p = 0; p < n; ++p) {
      if (doc_of(p) == kNoMoreDocs) break;
      acc += ub[ord[p]];
      if (CanBeat(acc, n, threshold)) {
        pivot = p;
        break;
      }
    }
    if (pivot == n) break;
    const DocId pdoc = doc_of(pivot);
    while (pivot + 1 < n && doc_of(pivot + 1) == pdoc) ++pivot;

    double block_sum = 0.0;
    DocId block_end = kNoMoreDocs;
    for (size_t p = 0; p <= pivot; ++p) {
      Cursor* c = terms[ord[p]].cursor;
      c->ShallowAdvance(pdoc);
      block_sum += BlockBound(terms[ord[p]]);
      block_end = std::min(block_end, c->BlockLastDoc());
    }
    if (CanBeat(block_sum, n, threshold)) {
      if (doc_of(0) == pdoc) {
        // Every cursor on pdoc is in ord[0..pivot].
        if (!filter.Rejects(pdoc)) {
          float s = 0.0f;
          for (size_t i = 0; i < n; ++i) {
            if (terms[i].cursor->doc() == pdoc) s += ClauseScore(terms[i], pdoc, norms);
          }
          topk->Insert(pdoc, s);
        }
        for (size_t p = 0; p <= pivot; ++p) terms[ord[p]].cursor->Next();
      } else {
        // Docs before pdoc are matched only by clauses whose bounds cannot beat the threshold.
        for (size_t p = 0; p < pivot && doc_of(p) < pdoc; ++p) terms[ord[p]].cursor->Advance(pdoc);
      }
    } else {
      // No doc in [pdoc, target) can beat the threshold: it is covered by the blocks just
      // checked, and the clauses after the pivot start at or after target.
      DocId target = block_end == kNoMoreDocs ? kNoMoreDocs : block_end + 1;
      if (pivot + 1 < n) target = std::min(target, doc_of(pivot + 1));
      if (target == kNoMoreDocs) break;
      for (size_t p = 0; p <= pivot; ++p) terms[ord[p]].cursor->Advance(target);
    }
    resort();
  }
}

// The smallest tf at which `lead`'s score, at its current block's shortest doc, plus `rest`
// (the other clauses' bounds) can beat `threshold`; scores grow with tf, so lead docs with a
// smaller tf cannot. The threshold only rises, so a value computed earlier stays a safe bound.
template <typename Cursor>
uint32_t LeadMinTf(const ScoredCursor<Cursor>& lead, double rest, size_t n, float threshold) {
  const uint8_t min_norm = lead.cursor->BlockMinNorm();
  uint32_t lo = 1, hi = std::min<uint32_t>(lead.cursor->BlockMaxTf(), 1u << 16);
  if (hi <= 1 || CanBeat(rest + lead.scorer->MaxScore(1, min_norm), n, threshold)) return 1;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (CanBeat(rest + lead.scorer->MaxScore(mid, min_norm), n, threshold)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

// A cursor whose decoded block reads as an array (SegmentPostings::BlockDocs and the rest).
template <typename C>
concept BlockCursor = requires(C& c, const C& cc) {
  { cc.BlockDocs() } -> std::convertible_to<const DocId*>;
  { cc.BlockPos() } -> std::convertible_to<size_t>;
  { cc.BlockEnd() } -> std::convertible_to<size_t>;
  { cc.BlockFreqs() } -> std::convertible_to<const uint32_t*>;
  c.SeekInBlock(cc.BlockPos());
};

// Conjunction of `required` (driven by the rarest, the lead) plus optional clauses that only add
// score. When the top-k is full, a window of the required clauses' current blocks whose block
// maxima (plus the optional clauses' global bounds) cannot beat the threshold is skipped whole.
// With two or more required clauses over block cursors, the lead's decoded block is merged with
// the next rarest clause's (NextCommon) and only their common docs are looked at; otherwise the
// lead leapfrogs doc by doc. topk == nullptr: count the matching docs instead (norms unused).
template <typename Cursor, typename Filter>
uint64_t ConjunctionImpl(std::span<const ScoredCursor<Cursor>> required,
                         std::span<const ScoredCursor<Cursor>> optional, const Filter& filter,
                         const uint8_t* norms, TopK* topk) {
  const size_t nr = required.size();
  const size_t no = optional.size();
  const size_t n = nr + no;
  if (nr == 0) return 0;
  std::vector<size_t> by_df(nr);
  std::iota(by_df.begin(), by_df.end(), size_t{0});
  std::stable_sort(by_df.begin(), by_df.end(), [&](size_t a, size_t b) {
    return required[a].cursor->df() < required[b].cursor->df();
  });
  Cursor* lead = required[by_df[0]].cursor;

  std::vector<float> opt_ub(no);
  std::vector<size_t> opt_order(no);
  std::vector<double> opt_rest(no + 1, 0.0);  // opt_rest[t] = bound sum of opt_order[t..]
  std::vector<float> parts(n);
  if (topk != nullptr) {
    for (size_t j = 0; j < no; ++j) opt_ub[j] = ClauseBound(optional[j]);
    std::iota(opt_order.begin(), opt_order.end(), size_t{0});
    std::stable_sort(opt_order.begin(), opt_order.end(),
                     [&](size_t a, size_t b) { return opt_ub[a] > opt_ub[b]; });
    for (size_t t = no; t-- > 0;) opt_rest[t] = opt_rest[t + 1] + opt_ub[opt_order[t]];
  }

  uint64_t count = 0;
  bool have_window = false;
  DocId window_end = 0;
  double window_bound = 0.0;
  std::vector<double> block_bound(nr);  // per required clause (by_df order), in the window
  std::vector<DocId> block_last(nr);    // the last doc of the block block_bound[r] is of
  uint32_t lead_min_tf = 1;             // see below
  float window_threshold = 0.0f;
  bool window_ok = true;
  double lead_need = 0.0;
  double others_global = opt_rest[0];  // global bounds of every clause but the lead
  if (topk != nullptr) {
    for (size_t r = 1; r < nr; ++r) others_global += ClauseBound(required[by_df[r]]);
  }
  // Per window and threshold (not per doc): whether the window can compete, the least lead tf
  // and lead score that can.
  // The block path below scores every candidate lead doc anyway and has no use for lead_min_tf.
  bool want_min_tf = true;
  auto update_window = [&](DocId doc, float threshold) {
    if (have_window && doc <= window_end && threshold == window_threshold) return;
    if (!have_window || doc > window_end) {
      // Only the clauses whose block ended before doc move on: the others' blocks still cover it.
      window_end = kNoMoreDocs;
      window_bound = opt_rest[0];
      for (size_t r = 0; r < nr; ++r) {
        if (!have_window || doc > block_last[r]) {
          const auto& c = required[by_df[r]];
          c.cursor->ShallowAdvance(doc);
          block_bound[r] = BlockBound(c);
          block_last[r] = c.cursor->BlockLastDoc();
        }
        window_bound += block_bound[r];
        window_end = std::min(window_end, block_last[r]);
      }
      have_window = true;
    }
    window_threshold = threshold;
    window_ok = CanBeat(window_bound, n, threshold);
    const double rest = window_bound - block_bound[0];
    lead_min_tf = window_ok && want_min_tf ? LeadMinTf(required[by_df[0]], rest, n, threshold) : 1;
    // CanBeat(rest + s) solved for the lead score s, rounded down so that the tests below never
    // drop a doc CanBeat would keep.
    lead_need =
        static_cast<double>(threshold) / (1.0 + static_cast<double>(n + 1) * 0x1p-23) - rest;
    lead_need -= std::abs(lead_need) * 0x1p-40 + 0x1p-100;
  };
  // The window cannot compete: the lead's next doc past it. The window ends where the first
  // block of any clause does (often a short block of a frequent term); if even the other
  // clauses' global bounds cannot lift the lead's block, the whole lead block is skipped.
  auto skip_window = [&](float threshold) -> DocId {
    DocId skip_to = window_end;
    if (!CanBeat(block_bound[0] + others_global, n, threshold)) {
      skip_to = std::max(skip_to, lead->BlockLastDoc());
    }
    return skip_to == kNoMoreDocs ? kNoMoreDocs : lead->Advance(skip_to + 1);
  };
  // Every required clause is on `doc` and the pruning kept it: the filter, the optional clauses,
  // then the count or the top k. Returns true if the top k changed.
  auto collect = [&](DocId doc, float threshold) -> bool {
    if (filter.Rejects(doc)) return false;
    if (topk == nullptr) {
      ++count;
      return false;
    }
    if (no == 0) {
      float s = 0.0f;
      for (size_t r = 0; r < nr; ++r) s += ClauseScore(required[r], doc, norms);
      return topk->Insert(doc, s);
    }
    double partial = 0.0;
    for (size_t r = 0; r < nr; ++r) {
      parts[r] = ClauseScore(required[r], doc, norms);
      partial += parts[r];
    }
    std::fill(parts.begin() + nr, parts.end(), 0.0f);
    for (size_t t = 0; t < no; ++t) {
      if (!CanBeat(partial + opt_rest[t], n, threshold)) return false;
      const size_t j = opt_order[t];
      Cursor* c = optional[j].cursor;
      if (c->doc() < doc) c->Advance(doc);
      if (c->doc() == doc) {
        parts[nr + j] = ClauseScore(optional[j], doc, norms);
        partial += parts[nr + j];
      }
    }
    float s = 0.0f;
    for (size_t i = 0; i < n; ++i) s += parts[i];
    return topk->Insert(doc, s);
  };

  DocId doc = lead->doc();
  if constexpr (BlockCursor<Cursor>) {
    if (nr >= 2) {
      // Run by run: a run is the lead's docs from doc to the end of its decoded block (or of the
      // window); its candidates are merged with the second rarest clause's decoded blocks.
      const ScoredCursor<Cursor>& lead_clause = required[by_df[0]];
      const TermScorer& lead_scorer = *lead_clause.scorer;
      Cursor* second = required[by_df[1]].cursor;
      want_min_tf = false;
      constexpr size_t kRun = 128;
      DocId cand_docs[kRun];
      uint32_t cand_idx[kRun];
      while (doc != kNoMoreDocs) {
        float threshold = 0.0f;
        bool pruning = false;
        if (topk != nullptr) {
          threshold = topk->threshold();
          if (topk->full()) {
            update_window(doc, threshold);
            if (!window_ok) {
              doc = skip_window(threshold);
              continue;
            }
            pruning = true;
          }
        }
        const DocId* a = lead->BlockDocs();
        const size_t i0 = lead->BlockPos(), lead_end = lead->BlockEnd();
        size_t ie = std::min(lead_end, i0 + kRun);
        if (pruning && a[ie - 1] > window_end) {
          ie = static_cast<size_t>(std::upper_bound(a + i0, a + ie, window_end) - a);
          // The window ends before doc only once a required clause has no docs left: doc
          // cannot match, but it must be passed.
          ie = std::max(ie, i0 + 1);
        }
        // The candidates: every doc of the run, or when pruning those whose own score can still
        // make it, which spares the second clause the decoding of blocks that hold none.
        const DocId* cd = a + i0;
        const uint32_t* ci = nullptr;  // candidate k is lead doc ci[k], or i0 + k
        size_t m = ie - i0;
        if (pruning) {
          const uint32_t* f = lead->BlockFreqs();
          // s <= lead_need (a double) exactly when s <= need, the largest float <= lead_need.
          float need = static_cast<float>(lead_need);
          if (static_cast<double>(need) > lead_need) {
            need = std::nextafter(need, -std::numeric_limits<float>::infinity());
          }
          m = 0;
          for (size_t t = i0; t < ie; ++t) {  // branch-free: about half the docs pass
            const DocId d = a[t];
            const float s = lead_scorer.Score(static_cast<float>(f[t]), norms[d]);
            cand_docs[m] = d;
            cand_idx[m] = static_cast<uint32_t>(t);
            m += s <= need ? 0 : 1;
          }
          cd = cand_docs;
          ci = cand_idx;
        }
        if (m > 0 && second->doc() < cd[0]) second->Advance(cd[0]);
        if (second->doc() == kNoMoreDocs) break;
        const DocId* b = second->BlockDocs();
        size_t j = second->BlockPos(), je = second->BlockEnd();
        size_t resume = ie;  // the lead doc to go on from
        bool done = false;
        for (size_t k = 0; k < m;) {
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
          ++k;
          ++j;
          // The lead's own score replaces its block bound before any other cursor moves; each
          // clause reached then does the same (Lucene's BlockMaxConjunctionScorer).
          double bound = 0.0;
          if (pruning && nr > 2) {
            bound = window_bound - block_bound[0] + ClauseScore(lead_clause, d, norms);
          }
          bool all = true;
          for (size_t r = 1; r < nr && all; ++r) {
            if (r >= 2) {
              Cursor* c = required[by_df[r]].cursor;
              if (c->doc() < d) c->Advance(d);
              if (c->doc() != d) {
                done = c->doc() == kNoMoreDocs;
                all = false;
                break;
              }
            }
            if (pruning && r + 1 < nr) {
              bound += ClauseScore(required[by_df[r]], d, norms) - block_bound[r];
              all = CanBeat(bound, n, threshold);
            }
          }
          if (done) break;
          // Once the top k fills the pruning starts: recompute the run. (A threshold raised while
          // pruning applies from the next run on: the lower one is still safe.)
          if (all && collect(d, threshold) && !pruning && topk->full()) {
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
      return count;
    }
  }

  while (doc != kNoMoreDocs) {
    float threshold = 0.0f;
    bool pruning = false;
    double bound = 0.0;  // window bound with the actual scores of the clauses already on doc
    if (topk != nullptr && topk->full()) {
      threshold = topk->threshold();
      update_window(doc, threshold);
      if (!window_ok) {
        doc = skip_window(threshold);
        continue;
      }
      // A lead doc whose tf is too low even at the lead block's shortest length is passed over
      // on its tf alone: no norm load (a cache miss per doc) and no division.
      if (lead->freq() < lead_min_tf) {
        doc = lead->Next();
        continue;
      }
      // The lead's own score replaces its block bound before any other cursor moves; each
      // clause reached then does the same (Lucene's BlockMaxConjunctionScorer).
      pruning = nr > 1;
      const float lead_score = ClauseScore(required[by_df[0]], doc, norms);
      if (pruning && lead_score <= lead_need) {
        doc = lead->Next();
        continue;
      }
      bound = window_bound - block_bound[0] + lead_score;
    } else if (topk != nullptr) {
      threshold = topk->threshold();
    }
    bool all = true;
    for (size_t r = 1; r < nr; ++r) {
      Cursor* c = required[by_df[r]].cursor;
      if (c->doc() < doc) c->Advance(doc);
      if (c->doc() != doc) {
        doc = c->doc() == kNoMoreDocs ? kNoMoreDocs : lead->Advance(c->doc());
        all = false;
        break;
      }
      if (pruning && r + 1 < nr) {
        bound += ClauseScore(required[by_df[r]], doc, norms) - block_bound[r];
        if (!CanBeat(bound, n, threshold)) {
          doc = lead->Next();
          all = false;
          break;
        }
      }
    }
    if (!all) continue;
    collect(doc, threshold);
    doc = lead->Next();
  }
  return count;
}

}  // namespace retrieval_internal

// Which disjunction algorithm BooleanTopK / OrTopK use.
enum class OrAlgorithm { kExhaustive, kMaxScore, kBlockMaxWand };

// Top-k of the union of `terms`, scored by the sum of matching clauses.
template <typename Cursor>
void OrTopK(std::span<const ScoredCursor<Cursor>> terms, const SegmentView& seg, TopK* topk,
            OrAlgorithm algo = OrAlgorithm::kMaxScore) {
  const retrieval_internal::DocFilter<Cursor> filter(seg.deleted_bits, {});
  switch (algo) {
    case OrAlgorithm::kExhaustive:
      return retrieval_internal::ExhaustiveOr(terms, filter, seg.norms, topk);
    case OrAlgorithm::kMaxScore:
      return retrieval_internal::MaxScoreOr(terms, filter, seg.norms, topk);
    case OrAlgorithm::kBlockMaxWand:
      return retrieval_internal::BlockMaxWandOr(terms, filter, seg.norms, topk);
  }
}

// Top-k of the intersection of `terms`.
template <typename Cursor>
void AndTopK(std::span<const ScoredCursor<Cursor>> terms, const SegmentView& seg, TopK* topk) {
  const retrieval_internal::DocFilter<Cursor> filter(seg.deleted_bits, {});
  retrieval_internal::ConjunctionImpl<Cursor>(terms, {}, filter, seg.norms, topk);
}

// Top-k of +required optional -excluded.
template <typename Cursor>
void BooleanTopK(const BooleanClauses<Cursor>& q, const SegmentView& seg, TopK* topk,
                 OrAlgorithm algo = OrAlgorithm::kMaxScore) {
  const retrieval_internal::DocFilter<Cursor> filter(seg.deleted_bits, q.excluded);
  if (!q.required.empty()) {
    retrieval_internal::ConjunctionImpl<Cursor>(q.required, q.optional, filter, seg.norms, topk);
    return;
  }
  switch (algo) {
    case OrAlgorithm::kExhaustive:
      return retrieval_internal::ExhaustiveOr(q.optional, filter, seg.norms, topk);
    case OrAlgorithm::kMaxScore:
      return retrieval_internal::MaxScoreOr(q.optional, filter, seg.norms, topk);
    case OrAlgorithm::kBlockMaxWand:
      return retrieval_internal::BlockMaxWandOr(q.optional, filter, seg.norms, topk);
  }
}

// Exact number of live docs matching +required optional -excluded (no scoring).
template <typename Cursor>
uint64_t BooleanCount(const BooleanClauses<Cursor>& q, const uint64_t* deleted_bits) {
  const retrieval_internal::DocFilter<Cursor> filter(deleted_bits, q.excluded);
  if (!q.required.empty()) {
    return retrieval_internal::ConjunctionImpl<Cursor>(q.required, {}, filter, nullptr, nullptr);
  }
  uint64_t count = 0;
  const auto& t = q.optional;
  for (DocId doc = retrieval_internal::MinDoc(t); doc != kNoMoreDocs;
       doc = retrieval_internal::MinDoc(t)) {
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
