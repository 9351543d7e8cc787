// SegmentPostings: a cursor over one term's on-disk postings in one segment, implementing the
// contract of index/postings/postings_cursor.h. Decodes one 128-doc block at a time into inline
// arrays (no allocation per block), skips with the skip table (entries of one width per list),
// and decodes positions only when asked. Every offset read from disk is bounds-checked; on
// corruption the cursor ends (doc() == kNoMoreDocs) with ok() false. Not thread-safe; cheap to
// create.
#ifndef SCOUR_INDEX_POSTINGS_SEGMENT_POSTINGS_H_
#define SCOUR_INDEX_POSTINGS_SEGMENT_POSTINGS_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "index/postings/bitpack.h"
#include "index/postings/impact_list.h"
#include "index/postings/postings_cursor.h"
#include "index/postings/postings_format.h"

namespace scour::index {

class SegmentPostings {
 public:
  SegmentPostings() = default;
  // `post` and `pos` are the whole mapped .post / .pos files; `max_doc` the segment's doc count;
  // `single_norm` the norm of the single doc when df == 1.
  SegmentPostings(std::string_view post, std::string_view pos, const TermInfo& info,
                  uint32_t max_doc, uint8_t single_norm);

  DocId doc() const { return doc_; }
  uint32_t freq() const {
    if (freqs_pending_) DecodeFreqs();
    return freqs_[idx_];
  }
  uint32_t df() const { return df_; }
  DocId Next() {
    if (++idx_ < n_) return doc_ = docs_[idx_];
    return LoadBlock(cur_block_ + 1) ? doc_ : doc_;
  }
  // Inline when the target is in the decoded block (the common step of a conjunction, where a
  // call per lead document showed up); AdvanceSlow skips blocks.
  DocId Advance(DocId target) {
    if (n_ != 0 && docs_[n_ - 1] >= target) {
      uint32_t i = idx_;
      while (docs_[i] < target) ++i;
      idx_ = i;
      return doc_ = docs_[i];
    }
    return AdvanceSlow(target);
  }
  // The decoded block, for intersections that merge arrays instead of stepping doc by doc:
  // BlockDocs()[BlockPos() .. BlockEnd()) are the docs from doc() to the block's end (an empty
  // range once exhausted) and BlockFreqs() their frequencies; SeekInBlock(i) moves to
  // BlockDocs()[i], BlockPos() <= i < BlockEnd().
  const DocId* BlockDocs() const { return docs_; }
  uint32_t BlockPos() const { return idx_; }
  uint32_t BlockEnd() const { return n_; }
  void SeekInBlock(uint32_t i) { doc_ = docs_[idx_ = i]; }
  const uint32_t* BlockFreqs() const {  // freqs of the same block (decoded on first use)
    if (freqs_pending_) DecodeFreqs();
    return freqs_;
  }
  void ShallowAdvance(DocId target);
  DocId BlockLastDoc() const;
  // The shallow block as a bit set, when it is stored as one (format 8's dense blocks;
  // docs/format/block-codec.md): doc d of [*start, BlockLastDoc()] is in it when
  // BitSetTest(words, d - *start) is 1. Lets a conjunction test its lead docs without decoding
  // the block. nullptr when the block is patched, the tail or past the end, and when it is
  // corrupt (checked as decoding checks it; decoding it then fails).
  const char* ShallowBitSet(uint32_t* start) const;
  bool bit_sets() const { return bit_sets_; }  // format 8: blocks may be bit sets
  // The frequencies of the shallow block when ShallowBitSet gave its bit set: that of its r-th
  // doc (r = the set bits below it, BitSetRanker) at index r. Decoded once per block, into a
  // buffer of their own (the decoded block's stay); nullptr on corruption (the cursor then
  // ends, ok() false).
  const uint32_t* ShallowBitSetFreqs();
  // Inline: block-max loops call them per block (phrase queries ~2 per candidate block), and a
  // column at the list's width costs a few instructions more than format 4's fixed offsets.
  // (df == 1 has nb_ == 0: its bound is the list's.)
  uint32_t BlockMaxTf() const {
    return shallow_ < nb_ ? Skip(shallow_, kSkipMaxTf) : ImpactTf(list_impact_);
  }
  uint8_t BlockMinNorm() const {
    return shallow_ < nb_ ? static_cast<uint8_t>(Skip(shallow_, kSkipMinNorm))
                          : ImpactNorm(list_impact_);
  }
  // The (tf, norm) pairs bounding every doc of the shallow block (docs/format/README.md,
  // "Pareto impacts"): its impact list in format 4, else (older formats, the tail, a one-pair
  // frontier, df == 1) the single pair (BlockMaxTf(), BlockMinNorm()). Writes 1 to
  // kMaxImpactPairs pairs to `out` and returns how many; tf and norm increase along them.
  uint32_t BlockImpacts(ImpactPair* out) const;
  // For `scour check`: whether full blocks carry impact lists (format 4), and the shallow
  // block's list bytes after its length byte (empty when it has none or they overrun the block).
  bool has_impact_lists() const { return lists_; }
  // For `scour check`: format 5's skip widths are the fewest bytes that hold each column (true
  // for other formats and lists without full blocks). Reads every skip entry.
  bool skip_widths_minimal() const;
  std::string_view BlockImpactBytes() const;
  uint32_t MaxTf() const { return ImpactTf(list_impact_); }
  uint8_t MinNorm() const { return ImpactNorm(list_impact_); }
  // The positions of doc() in increasing order, in a buffer of the cursor's own, valid until
  // the cursor moves. Empty once exhausted or on corruption (ok() then false). Phrase matching
  // reads them in place; Positions() copies them out.
  std::span<const uint32_t> PositionSpan();
  bool Positions(std::vector<uint32_t>* out) {
    const std::span<const uint32_t> p = PositionSpan();
    out->assign(p.begin(), p.end());
    return !p.empty();
  }
  bool ok() const { return ok_; }
  absl::Status status() const;

 private:
  DocId AdvanceSlow(DocId target);
  uint32_t Skip(uint32_t b, int column) const { return ReadSkip(skips_, skip_, b, column); }
  bool LoadBlock(uint32_t b);  // b == nb_ is the tail; sets doc_ = kNoMoreDocs past the end
  // The shallow full block's doc-id bytes (past its impact list) and its end, or nullptr when
  // there is none or its offsets are out of the file.
  const char* ShallowDocBytes(const char** block_end) const;
  // Frequencies are decoded only when asked for: conjunctions skip most blocks they land on.
  void DecodeFreqs() const;
  // Makes runs first..last of the current group's positions available in pos_buf_.
  bool DecodePositionChunks(uint32_t first, uint32_t last);
  bool Fail();

  std::string_view post_, pos_;
  uint64_t pos_base_ = 0;
  const char* skips_ = nullptr;  // nb_ entries, skip_.stride bytes each
  SkipLayout skip_;
  const char* data_ = nullptr;  // first block
  uint32_t df_ = 0, nb_ = 0, max_doc_ = 0;
  uint32_t list_impact_ = 0;
  bool lists_ = false;        // format 4: each full block starts with its impact list
  bool short_tails_ = false;  // format 6: a tail of < 8 docs codes gap and tf together
  bool bit_sets_ = false;     // format 8: a full block's doc ids may be a bit set
  uint32_t cur_block_ = 0;    // decoded block index
  uint32_t shallow_ = 0;      // block of the shallow pointer
  uint32_t idx_ = 0, n_ = 0;
  DocId doc_ = kNoMoreDocs;
  mutable bool ok_ = true;
  mutable bool freqs_pending_ = false;
  const char* freq_ptr_ = nullptr;  // the current block's encoded frequencies
  const char* freq_end_ = nullptr;
  int32_t pos_group_ = -1;  // block whose positions are decoded in pos_buf_
  // The group's position deltas, decoded run by run; each doc's own run of them summed to
  // positions in place when first asked for. Not a std::vector: growing one zero-fills it (3.9%
  // of a phrase query's instructions, the buffer being new with each query's cursors).
  std::unique_ptr<uint32_t[]> pos_buf_;
  uint32_t pos_cap_ = 0;                 // pos_buf_'s length
  uint32_t pos_total_ = 0;               // positions in the group
  uint32_t pos_next_chunk_ = 0;          // first run not yet decoded or skipped
  const char* pos_chunk_ptr_ = nullptr;  // its bytes
  // Docs only move forward, so where a doc's positions start is the running sum of the
  // frequencies before it, carried from the last doc asked for (pos_doc_) instead of a table.
  uint32_t pos_doc_ = 0;
  // The group's tail run, when bit-packed: each doc's values read from it alone (a tail of up
  // to 127 values decoded whole for a doc's few was 5% of a phrase query's instructions).
  PackedTail pos_tail_;
  bool pos_tail_lazy_ = false;
  uint32_t pos_off_ = 0;                      // where pos_doc_'s positions start in pos_buf_
  bool pos_summed_ = false;                   // pos_doc_'s deltas are summed to positions already
  uint32_t docs_[kBlockSize + kBitSetSlack];  // UnpackBitSetBlock writes past the block
  mutable uint32_t freqs_[kBlockSize];
  uint32_t bit_set_freqs_block_ = UINT32_MAX;  // the block bit_set_freqs_ holds
  uint32_t bit_set_freqs_[kBlockSize];
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_POSTINGS_SEGMENT_POSTINGS_H_
