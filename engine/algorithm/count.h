// Exact match counts without scoring (SearchOptions::count with k = 0): doc ids only, no
// frequency, norm or heap. One list: its df when nothing is deleted, else its live docs. A union:
// every list's docs set in a bit set of the segment, the excluded lists' docs cleared, the
// deleted docs masked, then one popcount pass (the cost is the lists' docs plus max_doc / 64
// words, whatever the overlap). An intersection of block cursors merges the rarest list's decoded
// blocks with the second rarest's (IntersectRuns, no branch per match), each common doc then
// checked against the other lists, the excluded ones and the deleted docs; other cursors use
// BlockMaxConjunction's counting mode. Frequencies are never decoded. The reference is the
// iterator tree's count (engine/execute.h, CountExhaustive).
#ifndef SCOUR_ENGINE_ALGORITHM_COUNT_H_
#define SCOUR_ENGINE_ALGORITHM_COUNT_H_

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/algorithm/block_intersect.h"
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

// Keeps the candidates in[0..m) (increasing) that `c` holds, in out (room for m + 1), and returns
// how many; *done once `c` has no docs left past them. The candidates are merged with c's
// decoded blocks as the lead's are with the second's.
template <BlockCursor Cursor>
size_t KeepCommon(Cursor* c, const DocId* in, size_t m, DocId* out, bool* done) {
  size_t k = 0, n = 0;
  while (k < m) {
    if (c->doc() < in[k] && c->Advance(in[k]) == kNoMoreDocs) {
      *done = true;
      break;
    }
    const DocId* b = c->BlockDocs();
    size_t j = c->BlockPos();
    const size_t je = c->BlockEnd();
    n += MergeRuns<true>(in, &k, m, b, &j, je, out + n);
    if (j < je) {
      c->SeekInBlock(j);
    } else {
      c->SeekInBlock(je - 1);
      if (k < m && c->Advance(std::max(b[je - 1] + 1, in[k])) == kNoMoreDocs) {
        *done = true;
        break;
      }
    }
  }
  return n;
}

// Live docs in every one of `required` (two or more, rarest first) and in none of `excluded`:
// the lead's decoded blocks merged with the second's, their common docs then with each other
// list's (KeepCommon), the survivors tested against the excluded lists and the deleted docs.
// Where the second's block is a bit set (format 8), the lead's docs up to its last doc are
// tested in it instead: the block is not decoded. Consumes the cursors.
template <BlockCursor Cursor>
uint64_t ConjunctionCount(std::span<Cursor* const> required, std::span<Cursor* const> excluded,
                          const uint64_t* deleted_bits) {
  Cursor* const lead = required[0];
  Cursor* const second = required[1];
  const std::span<Cursor* const> rest = required.subspan(2);
  // Two lists and nothing else to test (most AND counts): the merge's count is the answer.
  const bool plain = rest.empty() && excluded.empty() && deleted_bits == nullptr;
  const DocFilter<Cursor> filter(deleted_bits, excluded);
  DocId buf[2][index::kBlockSize + 1];
  uint64_t n = 0;
  // The candidates cand[0..m) against the other lists, the excluded ones and the deletions;
  // true once a list of `rest` has no docs left.
  auto finish = [&](DocId* cand, size_t m) {
    DocId* spare = cand == buf[0] ? buf[1] : buf[0];
    bool done = false;
    for (size_t r = 0; r < rest.size() && m > 0; ++r) {
      m = KeepCommon(rest[r], cand, m, spare, &done);
      std::swap(cand, spare);
    }
    for (size_t k = 0; k < m; ++k) n += filter.Rejects(cand[k]) ? 0 : 1;
    return done;
  };
  bool bit_sets = false;  // the second list may have bit set blocks
  if constexpr (BitSetCursor<Cursor>) bit_sets = second->bit_sets();
  DocId doc = lead->doc();
  while (doc != kNoMoreDocs) {
    if constexpr (BitSetCursor<Cursor>) {
      if (bit_sets) second->ShallowAdvance(doc);
      uint32_t start;
      const char* bits = bit_sets ? second->ShallowBitSet(&start) : nullptr;
      if (bits != nullptr && doc >= start) {
        // doc <= the block's last (ShallowAdvance): the lead's docs up to it are tested.
        const DocId last = second->BlockLastDoc();
        const DocId* a = lead->BlockDocs();
        size_t i = lead->BlockPos();
        const size_t ie = lead->BlockEnd();
        if (plain) {
          uint64_t hits = 0;
          for (; i < ie && a[i] <= last; ++i) hits += index::BitSetTest(bits, a[i] - start);
          n += hits;
        } else {
          DocId* cand = buf[0];
          size_t m = 0;
          for (; i < ie && a[i] <= last; ++i) {
            cand[m] = a[i];
            m += index::BitSetTest(bits, a[i] - start);
          }
          if (finish(cand, m)) break;
        }
        if (i < ie) {
          lead->SeekInBlock(i);
          doc = a[i];
        } else {
          lead->SeekInBlock(ie - 1);
          doc = lead->Next();
        }
        continue;
      }
    }
    if (second->doc() < doc && second->Advance(doc) == kNoMoreDocs) break;
    const DocId* a = lead->BlockDocs();
    const DocId* b = second->BlockDocs();
    size_t i = lead->BlockPos(), j = second->BlockPos();
    const size_t ie = std::min<size_t>(lead->BlockEnd(), i + index::kBlockSize);  // fits buf
    const size_t je = second->BlockEnd();
    if (plain) {
      n += MergeRuns<false>(a, &i, ie, b, &j, je, nullptr);
    } else {
      const size_t m = MergeRuns<true>(a, &i, ie, b, &j, je, buf[0]);
      if (finish(buf[0], m)) break;
    }
    // One run is spent; what was passed over matches nothing further on (IntersectRuns).
    if (j == je) {
      second->SeekInBlock(je - 1);
      if (i == ie) {
        lead->SeekInBlock(ie - 1);
        doc = lead->Advance(std::max(a[ie - 1], b[je - 1]) + 1);
      } else {
        lead->SeekInBlock(i);
        doc = a[i];
        if (second->Advance(std::max(b[je - 1] + 1, doc)) == kNoMoreDocs) break;
      }
    } else {
      second->SeekInBlock(j);
      lead->SeekInBlock(ie - 1);
      doc = lead->Advance(std::max(a[ie - 1] + 1, b[j]));
    }
  }
  return n;
}

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_ALGORITHM_COUNT_H_
