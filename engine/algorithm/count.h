// Exact match counts without scoring (SearchOptions::count with k = 0): doc ids only, no
// frequency, norm or heap. One list: its df when nothing is deleted, else its live docs. A union:
// every list's docs set in a bit set of the segment, the excluded lists' docs cleared, the
// deleted docs masked, then one popcount pass (the cost is the lists' docs plus max_doc / 64
// words, whatever the overlap). An intersection is BlockMaxConjunction's counting mode (block
// merges of doc ids; frequencies are never decoded). The reference is the iterator tree's count
// (engine/execute.h, CountExhaustive).
#ifndef SCOUR_ENGINE_ALGORITHM_COUNT_H_
#define SCOUR_ENGINE_ALGORITHM_COUNT_H_

#include <bit>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "engine/algorithm/clauses.h"
#include "index/postings/segment_postings.h"

namespace scour::engine {

// Calls f(doc) for every doc from the cursor's current one to its end, block by block where the
// cursor has decoded blocks.
template <typename Cursor, typename F>
void ForEachDoc(Cursor* c, F&& f) {
  if constexpr (BlockCursor<Cursor>) {
    while (c->doc() != kNoMoreDocs) {
      const DocId* d = c->BlockDocs();
      const size_t end = c->BlockEnd();
      for (size_t i = c->BlockPos(); i < end; ++i) f(d[i]);
      c->SeekInBlock(end - 1);
      c->Next();
    }
  } else {
    for (DocId d = c->doc(); d != kNoMoreDocs; d = c->Next()) f(d);
  }
}

// Live docs of one list (consumes the cursor unless the df answers).
template <typename Cursor>
uint64_t CountList(Cursor* c, const uint64_t* deleted_bits) {
  if constexpr (std::is_same_v<Cursor, index::SegmentPostings>) {
    // A term's df is exact (a synonym union's is only a bound).
    if (deleted_bits == nullptr && c->doc() != kNoMoreDocs) return c->df();
  }
  uint64_t n = 0;
  ForEachDoc(c, [&](DocId d) { n += IsDeleted(deleted_bits, d) ? 0 : 1; });
  return n;
}

// Live docs in the union of `lists` and in none of `excluded`, over a segment of `max_doc` docs;
// `bits` is scratch (resized here, reusable across segments).
template <typename Cursor>
uint64_t UnionCount(std::span<Cursor* const> lists, std::span<Cursor* const> excluded,
                    const uint64_t* deleted_bits, uint32_t max_doc, std::vector<uint64_t>* bits) {
  const size_t words = (size_t{max_doc} + 63) / 64;
  bits->assign(words, 0);
  uint64_t* b = bits->data();
  for (Cursor* c : lists) ForEachDoc(c, [b](DocId d) { b[d >> 6] |= uint64_t{1} << (d & 63); });
  for (Cursor* c : excluded) {
    ForEachDoc(c, [b](DocId d) { b[d >> 6] &= ~(uint64_t{1} << (d & 63)); });
  }
  uint64_t n = 0;
  if (deleted_bits == nullptr) {
    for (size_t w = 0; w < words; ++w) n += std::popcount(b[w]);
  } else {
    for (size_t w = 0; w < words; ++w) n += std::popcount(b[w] & ~deleted_bits[w]);
  }
  return n;
}

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_ALGORITHM_COUNT_H_
