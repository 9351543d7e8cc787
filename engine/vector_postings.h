// In-memory postings for tests and benchmarks. PostingList holds one term's docs, freqs,
// positions and per-block (128 docs) max-tf / min-norm data and impact pairs; VectorPostings is a
// cursor over it implementing exactly the contract of index/postings/postings_cursor.h. A
// PostingList is immutable after Finish() and may be shared by any number of cursors (one cursor
// per thread/use).
#ifndef SCOUR_ENGINE_VECTOR_POSTINGS_H_
#define SCOUR_ENGINE_VECTOR_POSTINGS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "index/postings/impact_list.h"
#include "index/postings/postings_cursor.h"

namespace scour::engine {

class PostingList {
 public:
  static constexpr size_t kBlockSize = 128;

  // Appends a doc (ids strictly increasing) with its positions (increasing); freq = size.
  void Add(index::DocId doc, std::span<const uint32_t> positions) {
    docs_.push_back(doc);
    freqs_.push_back(static_cast<uint32_t>(positions.size()));
    positions_.insert(positions_.end(), positions.begin(), positions.end());
    pos_end_.push_back(positions_.size());
  }
  // Appends a doc without positions (phrase queries then see no positions).
  void AddFreq(index::DocId doc, uint32_t freq) {
    docs_.push_back(doc);
    freqs_.push_back(freq);
    pos_end_.push_back(positions_.size());
  }
  // Computes the block-max data; norms[doc] is the norm byte of each doc.
  void Finish(const uint8_t* norms) {
    const size_t n = docs_.size();
    const size_t blocks = (n + kBlockSize - 1) / kBlockSize;
    block_last_.assign(blocks, 0);
    block_max_tf_.assign(blocks, 0);
    block_min_norm_.assign(blocks, 255);
    max_tf_ = 0;
    min_norm_ = 255;
    for (size_t i = 0; i < n; ++i) {
      const size_t b = i / kBlockSize;
      block_last_[b] = docs_[i];
      block_max_tf_[b] = std::max(block_max_tf_[b], std::min(freqs_[i], index::kTfSaturated));
      block_min_norm_[b] = std::min(block_min_norm_[b], norms[docs_[i]]);
    }
    for (size_t b = 0; b < blocks; ++b) {
      max_tf_ = std::max(max_tf_, block_max_tf_[b]);
      min_norm_ = std::min(min_norm_, block_min_norm_[b]);
    }
    // Each block's impact pairs, as a format-4 .post lists them (every block here, the last
    // partial one included): the Pareto frontier, cut to kMaxImpactPairs.
    block_pairs_.assign(blocks * index::kMaxImpactPairs, {});
    block_npairs_.assign(blocks, 0);
    uint8_t bn[kBlockSize];
    index::ImpactPair f[kBlockSize];
    for (size_t b = 0; b < blocks; ++b) {
      const size_t begin = b * kBlockSize, m = std::min(kBlockSize, n - begin);
      for (size_t i = 0; i < m; ++i) bn[i] = norms[docs_[begin + i]];
      size_t k = index::CutFrontier(f, index::ParetoFrontier(freqs_.data() + begin, bn, m, f));
      std::copy(f, f + k, block_pairs_.begin() + b * index::kMaxImpactPairs);
      block_npairs_[b] = static_cast<uint8_t>(k);
    }
  }

  size_t size() const { return docs_.size(); }
  const std::vector<index::DocId>& docs() const { return docs_; }
  const std::vector<uint32_t>& freqs() const { return freqs_; }
  std::span<const uint32_t> positions(size_t i) const {
    const size_t begin = i == 0 ? 0 : pos_end_[i - 1];
    return {positions_.data() + begin, pos_end_[i] - begin};
  }

 private:
  friend class VectorPostings;
  std::vector<index::DocId> docs_;
  std::vector<uint32_t> freqs_;
  std::vector<uint32_t> positions_;
  std::vector<size_t> pos_end_;  // positions of doc i end at pos_end_[i]
  std::vector<index::DocId> block_last_;
  std::vector<uint32_t> block_max_tf_;
  std::vector<uint8_t> block_min_norm_;
  std::vector<index::ImpactPair> block_pairs_;  // kMaxImpactPairs slots per block
  std::vector<uint8_t> block_npairs_;
  uint32_t max_tf_ = 0;
  uint8_t min_norm_ = 255;
};

class VectorPostings {
 public:
  explicit VectorPostings(const PostingList* list)
      : list_(list),
        docs_(list->docs_.data()),
        size_(list->docs_.size()),
        doc_(size_ == 0 ? index::kNoMoreDocs : docs_[0]) {}

  index::DocId doc() const { return doc_; }
  index::DocId Next() {
    ++i_;
    doc_ = i_ < size_ ? docs_[i_] : index::kNoMoreDocs;
    return doc_;
  }
  // Galloping search from the current index: cheap for short skips, O(log d) for long ones.
  index::DocId Advance(index::DocId target) {
    size_t lo = i_ + 1;
    size_t step = 1;
    size_t hi = lo;
    while (hi < size_ && docs_[hi] < target) {
      lo = hi + 1;
      hi += step;
      step <<= 1;
    }
    hi = std::min(hi, size_);
    i_ = static_cast<size_t>(std::lower_bound(docs_ + lo, docs_ + hi, target) - docs_);
    doc_ = i_ < size_ ? docs_[i_] : index::kNoMoreDocs;
    return doc_;
  }
  uint32_t freq() const { return list_->freqs_[i_]; }
  uint64_t df() const { return size_; }
  bool ok() const { return true; }

  std::span<const uint32_t> PositionSpan() const { return list_->positions(i_); }
  bool Positions(std::vector<uint32_t>* out) const {
    const auto p = list_->positions(i_);
    out->assign(p.begin(), p.end());
    return true;
  }

  // The decoded-block access of SegmentPostings, over chunks of kBlockSize docs (so callers
  // cross block boundaries as they do on disk); indices are into the whole list.
  const index::DocId* BlockDocs() const { return docs_; }
  size_t BlockPos() const { return i_; }
  size_t BlockEnd() const {
    constexpr size_t kB = PostingList::kBlockSize;
    return i_ >= size_ ? i_ : std::min(size_, (i_ / kB + 1) * kB);
  }
  void SeekInBlock(size_t i) { doc_ = docs_[i_ = i]; }
  const uint32_t* BlockFreqs() const { return list_->freqs_.data(); }

  void ShallowAdvance(index::DocId target) {
    const auto& last = list_->block_last_;
    while (block_ < last.size() && last[block_] < target) ++block_;
  }
  index::DocId BlockLastDoc() const {
    return block_ < list_->block_last_.size() ? list_->block_last_[block_] : index::kNoMoreDocs;
  }
  uint32_t BlockMaxTf() const {
    return block_ < list_->block_max_tf_.size() ? list_->block_max_tf_[block_] : 0;
  }
  uint8_t BlockMinNorm() const {
    return block_ < list_->block_min_norm_.size() ? list_->block_min_norm_[block_] : 255;
  }
  // The shallow block's Pareto (tf, norm) pairs (SegmentPostings::BlockImpacts); past the end
  // the one pair (BlockMaxTf(), BlockMinNorm()).
  uint32_t BlockImpacts(index::ImpactPair* out) const {
    if (block_ >= list_->block_npairs_.size()) {
      out[0] = {BlockMaxTf(), BlockMinNorm()};
      return 1;
    }
    const uint32_t m = list_->block_npairs_[block_];
    std::copy_n(list_->block_pairs_.begin() + block_ * index::kMaxImpactPairs, m, out);
    return m;
  }
  uint32_t MaxTf() const { return list_->max_tf_; }
  uint8_t MinNorm() const { return list_->min_norm_; }

 private:
  const PostingList* list_;
  const index::DocId* docs_;
  size_t size_;
  size_t i_ = 0;
  size_t block_ = 0;
  index::DocId doc_;
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_VECTOR_POSTINGS_H_
