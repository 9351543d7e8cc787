// TopK: the k best (doc, score) pairs seen so far. Order: higher score first; on equal scores the
// SMALLER doc id ranks first. Unordered until k docs are in, then a min-heap of size k (worst on
// top); preallocated at construction: Insert never allocates. Not thread-safe (one per
// query/thread).
#ifndef SCOUR_ENGINE_TOPK_H_
#define SCOUR_ENGINE_TOPK_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/base/attributes.h"
#include "index/postings/postings_cursor.h"

namespace scour::engine {

struct ScoredDoc {
  index::DocId doc;
  float score;
  friend bool operator==(const ScoredDoc&, const ScoredDoc&) = default;
};

// True if a ranks strictly before b.
inline bool RanksBefore(const ScoredDoc& a, const ScoredDoc& b) {
  return a.score > b.score || (a.score == b.score && a.doc < b.doc);
}

class TopK {
 public:
  explicit TopK(size_t k) : k_(k) { heap_.reserve(k); }

  size_t k() const { return k_; }
  size_t size() const { return heap_.size(); }
  bool full() const { return heap_.size() >= k_; }

  // Score a new doc must beat to enter: -infinity until full (+infinity when k == 0). Pruning
  // algorithms skip a doc whose score bound is <= threshold(); that is exact only because docs
  // arrive in increasing id order, so an equal score would lose the tie-break anyway.
  float threshold() const {
    if (!full()) return -std::numeric_limits<float>::infinity();
    if (k_ == 0) return std::numeric_limits<float>::infinity();
    return heap_.front().score;
  }

  // Returns true if the doc entered the top k. The test that turns most docs away is inline;
  // the heap's moves are not (at k = 1000 a query calls this ~30k times).
  bool Insert(index::DocId doc, float score) {
    const ScoredDoc d{doc, score};
    if (heap_.size() < k_) {
      Push(d);
      return true;
    }
    if (k_ == 0 || !RanksBefore(d, heap_.front())) return false;
    ReplaceTop(d);
    return true;
  }

  // The results, best first. Leaves the TopK empty (reusable with the same k).
  std::vector<ScoredDoc> Take() {
    std::sort(heap_.begin(), heap_.end(), kRanksBefore);
    std::vector<ScoredDoc> out;
    out.swap(heap_);
    heap_.reserve(k_);
    return out;
  }

 private:
  // Until the top k is full nothing reads the order: docs are appended and the heap is made
  // once, when the k-th arrives (O(k), where a heap kept from the start cost O(k log k), and
  // nothing at all for the queries that never fill it: many AND queries at k = 1000).
  ABSL_ATTRIBUTE_NOINLINE void Push(const ScoredDoc& d) {
    heap_.push_back(d);
    if (heap_.size() == k_) std::make_heap(heap_.begin(), heap_.end(), kRanksBefore);
  }

  // Replaces the worst (top) by d, which ranks before it. Bottom-up (Floyd): the hole walks down
  // to a leaf along the child that ranks last, one comparison per level, then d climbs back up
  // from there, rarely far (a newcomer belongs near the leaves); the top-down sift compares
  // twice per level.
  ABSL_ATTRIBUTE_NOINLINE void ReplaceTop(const ScoredDoc& d) {
    const size_t n = heap_.size();
    ScoredDoc* h = heap_.data();
    size_t i = 0;
    for (size_t c = 1; c < n; c = 2 * i + 1) {
      if (c + 1 < n && RanksBefore(h[c], h[c + 1])) ++c;  // the child that ranks last
      h[i] = h[c];
      i = c;
    }
    while (i > 0) {
      const size_t parent = (i - 1) / 2;
      if (!RanksBefore(h[parent], d)) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = d;
  }

  // A function object, so that the heap and sort algorithms inline the comparison.
  static constexpr auto kRanksBefore = [](const ScoredDoc& a, const ScoredDoc& b) {
    return RanksBefore(a, b);
  };
  size_t k_;
  // std heap with comparator RanksBefore keeps the element that ranks LAST on top.
  std::vector<ScoredDoc> heap_;
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_TOPK_H_
