// UnionPostings: several postings cursors read as one term whose frequency in a doc is the sum of
// theirs: a synonym leaf's alternatives (Lucene's SynonymQuery), a prefix's expansion. It follows
// the cursor contract of index/postings/postings_cursor.h, so the top-k algorithms of
// engine/algorithm/ prune over a synonym as over a term.
//
// Bounds, exact by construction (a bound is never below a score it covers): after
// ShallowAdvance(target), every doc >= target of any list up to BlockLastDoc() (the smallest block
// end of the lists still holding a doc >= target) lies in that list's current block, so the doc's
// summed frequency is at most the sum of those blocks' max tfs, and its norm at least the smallest
// of their min norms. Lucene's SynonymQuery merges impacts the same way (summed frequencies, per
// norm). The bound over the whole union is the same sum over the lists' MaxTf() and MinNorm().
// A sum reaching kTfSaturated is kTfSaturated (unbounded).
#ifndef SCOUR_ENGINE_UNION_POSTINGS_H_
#define SCOUR_ENGINE_UNION_POSTINGS_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "index/postings/postings_cursor.h"

namespace scour::engine {

template <typename Cursor>
class UnionPostings {
 public:
  explicit UnionPostings(std::vector<Cursor> lists) : lists_(std::move(lists)) {
    for (const Cursor& l : lists_) {
      df_ += l.df();
      max_tf_ = AddTf(max_tf_, l.MaxTf());
      min_norm_ = std::min(min_norm_, l.MinNorm());
    }
    Settle();
    ShallowAdvance(doc_ == index::kNoMoreDocs ? 0 : doc_);
  }

  index::DocId doc() const { return doc_; }
  index::DocId Next() {
    if (doc_ == index::kNoMoreDocs) return doc_;
    for (Cursor& l : lists_)
      if (l.doc() == doc_) l.Next();
    return Settle();
  }
  index::DocId Advance(index::DocId target) {
    for (Cursor& l : lists_)
      if (l.doc() < target) l.Advance(target);
    return Settle();
  }
  // The summed frequency of the lists on doc() (saturating at the largest uint32_t).
  uint32_t freq() const {
    uint64_t f = 0;
    for (const Cursor& l : lists_)
      if (l.doc() == doc_) f += l.freq();
    return static_cast<uint32_t>(std::min<uint64_t>(f, std::numeric_limits<uint32_t>::max()));
  }
  // The sum of the lists' document frequencies: an upper bound of the union's (a cost).
  uint64_t df() const { return df_; }

  void ShallowAdvance(index::DocId target) {
    block_last_ = index::kNoMoreDocs;
    block_max_tf_ = 0;
    block_min_norm_ = 255;
    for (Cursor& l : lists_) {
      if (l.doc() == index::kNoMoreDocs) continue;
      l.ShallowAdvance(target);
      const index::DocId last = l.BlockLastDoc();
      if (last < target) continue;  // no doc >= target left (a one-doc list already passed)
      block_last_ = std::min(block_last_, last);
      block_max_tf_ = AddTf(block_max_tf_, l.BlockMaxTf());
      block_min_norm_ = std::min(block_min_norm_, l.BlockMinNorm());
    }
    if (block_max_tf_ == 0) block_max_tf_ = 1;  // nothing left: any bound >= 0 holds
  }
  index::DocId BlockLastDoc() const { return block_last_; }
  uint32_t BlockMaxTf() const { return block_max_tf_; }
  uint8_t BlockMinNorm() const { return block_min_norm_; }
  uint32_t MaxTf() const { return max_tf_ == 0 ? 1 : max_tf_; }
  uint8_t MinNorm() const { return min_norm_; }

  bool ok() const {
    for (const Cursor& l : lists_)
      if (!l.ok()) return false;
    return true;
  }
  // The first list's decoding error, if any.
  absl::Status status() const {
    for (const Cursor& l : lists_)
      if (!l.ok()) return l.status();
    return absl::OkStatus();
  }

 private:
  static uint32_t AddTf(uint32_t a, uint32_t b) {
    return static_cast<uint32_t>(
        std::min<uint64_t>(uint64_t{a} + b, uint64_t{index::kTfSaturated}));
  }
  index::DocId Settle() {
    doc_ = index::kNoMoreDocs;
    for (const Cursor& l : lists_) doc_ = std::min(doc_, l.doc());
    return doc_;
  }

  std::vector<Cursor> lists_;
  index::DocId doc_ = index::kNoMoreDocs;
  uint64_t df_ = 0;
  uint32_t max_tf_ = 0;
  uint8_t min_norm_ = 255;
  index::DocId block_last_ = index::kNoMoreDocs;
  uint32_t block_max_tf_ = 1;
  uint8_t block_min_norm_ = 255;
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_UNION_POSTINGS_H_
