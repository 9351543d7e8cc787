// MaxScoreOr (Turtle & Flood 1995): the top k of a union of clauses. The clauses are sorted by
// their score bound; the prefix of them whose bounds sum cannot beat the top-k threshold is
// "non-essential": only docs of the essential clauses are candidates, and a candidate probes the
// non-essential clauses (largest bound first) while its partial score plus their bounds can still
// make it. Returns exactly what ExhaustiveOr does.
#ifndef SCOUR_ENGINE_ALGORITHM_MAXSCORE_H_
#define SCOUR_ENGINE_ALGORITHM_MAXSCORE_H_

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
class MaxScoreOr {
 public:
  MaxScoreOr(std::span<const ScoredCursor<Cursor>> clauses, const Filter& filter,
             const uint8_t* norms, TopK* topk)
      : clauses_(clauses),
        filter_(filter),
        norms_(norms),
        topk_(topk),
        n_(clauses.size()),
        order_(n_),
        cum_(n_),
        parts_(n_) {
    std::vector<float> ub(n_);
    for (size_t i = 0; i < n_; ++i) ub[i] = ClauseBound(clauses_[i]);
    std::iota(order_.begin(), order_.end(), size_t{0});
    std::stable_sort(order_.begin(), order_.end(),
                     [&](size_t a, size_t b) { return ub[a] < ub[b]; });
    double acc = 0.0;
    for (size_t t = 0; t < n_; ++t) cum_[t] = acc += ub[order_[t]];
  }

  void Run() {
    UpdateEssential();
    while (first_essential_ < n_) {
      const DocId doc = NextCandidate();
      if (doc == kNoMoreDocs) break;
      if (filter_.Rejects(doc)) {
        PassEssential(doc);
        continue;
      }
      if (!Score(doc)) continue;
      float s = 0.0f;
      for (size_t i = 0; i < n_; ++i) s += parts_[i];  // clause order, as ExhaustiveOr
      if (topk_->Insert(doc, s)) UpdateEssential();
    }
  }

 private:
  // The threshold rose: more clauses may have become non-essential.
  void UpdateEssential() {
    threshold_ = topk_->threshold();
    while (first_essential_ < n_ && !CanBeat(cum_[first_essential_], n_, threshold_)) {
      ++first_essential_;
    }
  }

  // The smallest doc of the essential clauses.
  DocId NextCandidate() const {
    DocId doc = kNoMoreDocs;
    for (size_t t = first_essential_; t < n_; ++t) {
      doc = std::min(doc, clauses_[order_[t]].cursor->doc());
    }
    return doc;
  }

  // Moves the essential clauses on `doc` past it.
  void PassEssential(DocId doc) {
    for (size_t t = first_essential_; t < n_; ++t) {
      Cursor* c = clauses_[order_[t]].cursor;
      if (c->doc() == doc) c->Next();
    }
  }

  // Scores `doc` into parts_ (per clause, 0 where it does not match): the essential clauses,
  // which move past it, then the non-essential ones, largest bound first, while the doc can
  // still beat the threshold. False once it cannot. Every part is written on the way (no fill
  // first: a memset call per candidate showed up at k = 1000); when false, parts_ is stale.
  bool Score(DocId doc) {
    double partial = 0.0;
    for (size_t t = first_essential_; t < n_; ++t) {
      const size_t i = order_[t];
      if (clauses_[i].cursor->doc() != doc) {
        parts_[i] = 0.0f;
        continue;
      }
      parts_[i] = ClauseScore(clauses_[i], doc, norms_);
      partial += parts_[i];
      clauses_[i].cursor->Next();
    }
    for (size_t t = first_essential_; t-- > 0;) {
      if (!CanBeat(partial + cum_[t], n_, threshold_)) return false;
      const size_t i = order_[t];
      Cursor* c = clauses_[i].cursor;
      parts_[i] = 0.0f;
      if (c->doc() < doc) c->Advance(doc);
      if (c->doc() == doc) {
        parts_[i] = ClauseScore(clauses_[i], doc, norms_);
        partial += parts_[i];
      }
    }
    return true;
  }

  const std::span<const ScoredCursor<Cursor>> clauses_;
  const Filter& filter_;
  const uint8_t* const norms_;
  TopK* const topk_;
  const size_t n_;
  std::vector<size_t> order_;  // clause indexes by increasing bound
  std::vector<double> cum_;    // cum_[t] = sum of the bounds of order_[0..t]
  std::vector<float> parts_;   // the current doc's score per clause
  size_t first_essential_ = 0;
  float threshold_ = 0.0f;
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_ALGORITHM_MAXSCORE_H_
