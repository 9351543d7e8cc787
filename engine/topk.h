// TopK: the k best (doc, score) pairs seen so far. Order: higher score first; on equal scores the
// SMALLER doc id ranks first. Unordered until k docs are in, then a min-heap of size k (worst on
// top); preallocated at construction: Insert never allocates. Not thread-safe (one per
// query/thread).
#ifndef SCOUR_ENGINE_TOPK_H_
#define SCOUR_ENGINE_TOPK_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
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
  float threshold() const { return threshold_; }

  // Returns true if the doc entered the top k. The test that turns most docs away is inline;
  // the heap's moves are not (at k = 1000 a query calls this ~30k times).
  bool Insert(index::DocId doc, float score) {
    const uint64_t key = Key(doc, score);
    if (heap_.size() < k_) {
      Push(key);
      return true;
    }
    if (k_ == 0 || key <= heap_.front()) return false;
    ReplaceTop(key);
    return true;
  }

  // Adds every doc of `other` (its ids plus `base`) and leaves `other` empty: the same top k as
  // inserting them one by one in any order, since the order is total. Into an empty top k of
  // the same k (a one-segment index), `other`'s array is taken whole, heap or not (adding the
  // same base to every id keeps their order): no sort, no pushes, no heap moves, which at
  // k = 1000 cost ~7% of a slow AND query.
  void Absorb(TopK& other, index::DocId base) {
    if (heap_.empty() && k_ == other.k_) {
      heap_.swap(other.heap_);  // other gets this empty array back
      threshold_ = other.threshold_;
      other.Clear();
      if (base != 0) {
        for (uint64_t& key : heap_) key = Key(DocOf(key) + base, ScoreOf(key));
      }
      return;
    }
    for (const uint64_t key : other.heap_) Insert(DocOf(key) + base, ScoreOf(key));
    other.Clear();
  }

  // The results, best first. Leaves the TopK empty (reusable with the same k).
  std::vector<ScoredDoc> Take() {
    std::sort(heap_.begin(), heap_.end(), std::greater<uint64_t>());
    std::vector<ScoredDoc> out(heap_.size());
    for (size_t i = 0; i < heap_.size(); ++i) out[i] = {DocOf(heap_[i]), ScoreOf(heap_[i])};
    Clear();
    return out;
  }

  // The order as one integer: a ranks before b exactly when Key(a) > Key(b) (RanksBefore), so
  // the heap compares once per step and picks a child without a branch; two float comparisons
  // with a tie-break mispredict about half the time on the random path down a deep heap. High
  // 32 bits: the score's bits made to sort as unsigned (sign bit flipped for scores >= 0, all
  // bits for negative ones; -0 is made +0 first, since they compare equal); low 32 bits: the
  // doc id inverted, so the smaller doc wins a tie. Scores are never NaN (Ranker clamps them).
  static uint64_t Key(index::DocId doc, float score) {
    uint32_t b = std::bit_cast<uint32_t>(score + 0.0f);
    b = (b & 0x80000000u) ? ~b : (b | 0x80000000u);
    return (uint64_t{b} << 32) | static_cast<uint32_t>(~doc);
  }
  static float ScoreOf(uint64_t key) {
    uint32_t b = static_cast<uint32_t>(key >> 32);
    b = (b & 0x80000000u) ? (b & 0x7fffffffu) : ~b;
    return std::bit_cast<float>(b);
  }
  static index::DocId DocOf(uint64_t key) {
    return static_cast<index::DocId>(~static_cast<uint32_t>(key));
  }

 private:
  float EmptyThreshold() const {
    return k_ == 0 ? std::numeric_limits<float>::infinity()
                   : -std::numeric_limits<float>::infinity();
  }
  // Empty, as constructed (the array keeps its capacity).
  void Clear() {
    heap_.clear();
    threshold_ = EmptyThreshold();
  }

  // Until the top k is full nothing reads the order: docs are appended and the heap is made
  // once, when the k-th arrives (O(k), where a heap kept from the start cost O(k log k), and
  // nothing at all for the queries that never fill it: many AND queries at k = 1000).
  ABSL_ATTRIBUTE_NOINLINE void Push(uint64_t key) {
    heap_.push_back(key);
    if (heap_.size() == k_) {
      std::make_heap(heap_.begin(), heap_.end(), std::greater<uint64_t>());
      threshold_ = ScoreOf(heap_.front());
    }
  }

  // Replaces the worst (top) by key, which ranks before it. Bottom-up (Floyd): the hole walks
  // down to a leaf along the smaller child, one comparison per level, then key climbs back up
  // from there, rarely far (a newcomer belongs near the leaves); the top-down sift compares
  // twice per level.
  ABSL_ATTRIBUTE_NOINLINE void ReplaceTop(uint64_t key) {
    const size_t n = heap_.size();
    uint64_t* h = heap_.data();
    size_t i = 0;
    size_t c = 1;
    for (; c + 1 < n; c = 2 * i + 1) {
      c += h[c + 1] < h[c];  // the child that ranks last; a select, not a branch
      h[i] = h[c];
      i = c;
    }
    if (c < n) {  // a last node with one child
      h[i] = h[c];
      i = c;
    }
    while (i > 0) {
      const size_t parent = (i - 1) / 2;
      if (h[parent] <= key) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = key;
    threshold_ = ScoreOf(h[0]);
  }

  size_t k_;
  // A min-heap of keys once full: the doc that ranks last on top.
  std::vector<uint64_t> heap_;
  float threshold_ = EmptyThreshold();
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_TOPK_H_
