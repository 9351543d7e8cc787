// For the index-model tools (index_entropy, bp_reorder): the bytes one postings list (df >= 2)
// takes in a .post file of a given format version, sized with the writer's own codecs and split
// as index/inspect/postings_bytes splits a list of the file (MeasureList), so a tool can check
// its model against the file and size the same list in another document order.
#ifndef SCOUR_BENCH_LIST_BYTES_H_
#define SCOUR_BENCH_LIST_BYTES_H_

#include <algorithm>
#include <cstdint>
#include <string>

#include "base/coding.h"
#include "index/inspect/postings_bytes.h"
#include "index/postings/bitpack.h"
#include "index/postings/impact_list.h"
#include "index/postings/postings_cursor.h"
#include "index/postings/postings_format.h"

namespace scour::bench {

// What the layout of each version holds (docs/format/README.md, ".post"): impact lists from 4,
// skip entries at per-list widths and no list impact from 5, short tails (< 8 docs) from 6,
// dense doc blocks as bit sets from 8.
// `docs` increasing, `tfs` >= 1, `norms` each posting's norm byte (nullptr: all 0, as `_id`),
// `pos_end` the .pos bytes of the list's full blocks (the last skip entry's positions end; only
// its byte width counts).
inline index::PostingsBytes SizeList(const uint32_t* docs, const uint32_t* tfs,
                                     const uint8_t* norms, size_t df, uint32_t version,
                                     uint64_t pos_end) {
  using namespace scour::index;
  PostingsBytes r;
  r.lists = 1;
  r.list_postings = df;
  const size_t nb = df / kBlockSize;
  uint32_t gaps[kBlockSize], values[kBlockSize];
  uint8_t block_norms[kBlockSize] = {};
  ImpactPair frontier[kBlockSize];
  std::string out;
  uint32_t prev = 0, max_tf = 0, last_doc = 0;
  uint64_t end = 0;
  for (size_t begin = 0; begin < df; begin += kBlockSize) {
    const size_t n = std::min(kBlockSize, df - begin);
    for (size_t i = 0; i < n; ++i) {
      gaps[i] = docs[begin + i] - prev;
      prev = docs[begin + i];
      values[i] = tfs[begin + i] - 1;
      if (norms != nullptr) block_norms[i] = norms[begin + i];
    }
    if (n == kBlockSize) {
      for (size_t i = 0; i < n; ++i) max_tf = std::max(max_tf, tfs[begin + i]);
      last_doc = docs[begin + n - 1];
      if (version >= 4) {
        out.clear();
        const size_t m = CutFrontier(
            frontier, ParetoFrontier(tfs + begin, block_norms, n, frontier), kMaxImpactPairs);
        AppendImpactList(frontier, m, &out);
        r.impacts += out.size();
        end += out.size();
      }
      out.clear();
      const uint32_t words = version >= 8 ? BitSetWords(gaps, begin == 0) : 0;
      if (words != 0) {
        PackBitSetBlock(docs + begin, begin == 0 ? 0 : docs[begin - 1] + 1, words, &out);
      } else {
        PackBlockPFor(gaps, &out);
      }
      r.doc_ids += out.size();
      end += out.size();
      out.clear();
      PackBlockPFor(values, &out);
      r.freqs += out.size();
      end += out.size();
    } else if (version >= 6 && n < kTailPackMin) {
      out.clear();
      PackShortTail(gaps, tfs + begin, n, &out);
      uint64_t tf_bytes = 0;
      for (size_t i = 0; i < n; ++i)
        if (tfs[begin + i] != 1) tf_bytes += VarintLength(tfs[begin + i] - 2);
      r.doc_ids += out.size() - tf_bytes;
      r.freqs += tf_bytes;
    } else {
      out.clear();
      PackTail(gaps, n, &out);
      r.doc_ids += out.size();
      out.clear();
      PackTail(values, n, &out);
      r.freqs += out.size();
    }
  }
  if (version < 5) {
    r.skip = uint64_t{kSkipEntrySize} * nb + 4;  // and the list impact, a u32
  } else if (nb > 0) {
    const uint32_t saturated = std::min(max_tf, kTfSaturated);
    r.skip =
        1 + nb * uint64_t{SkipWidth(last_doc) + SkipWidth(static_cast<uint32_t>(end)) +
                          SkipWidth(static_cast<uint32_t>(pos_end)) + SkipWidth(saturated) + 1};
  }
  return r;
}

}  // namespace scour::bench

#endif  // SCOUR_BENCH_LIST_BYTES_H_
