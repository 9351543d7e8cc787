#include "index/postings/segment_postings.h"

#include <algorithm>

#include "base/coding.h"
#include "index/format/file_format.h"

namespace scour::index {

SegmentPostings::SegmentPostings(std::string_view post, std::string_view pos, const TermInfo& info,
                                 uint32_t max_doc, uint8_t single_norm)
    : post_(post), pos_(pos), pos_base_(info.positions), df_(info.df), max_doc_(max_doc) {
  if (df_ == 1) {
    nb_ = 0;
    list_impact_ =
        PackImpact(static_cast<uint32_t>(std::min<uint64_t>(info.cf, kTfSaturated)), single_norm);
    if (info.single_doc >= max_doc || info.cf == 0 || info.cf > UINT32_MAX) {
      Fail();
      return;
    }
    docs_[0] = info.single_doc;
    freqs_[0] = static_cast<uint32_t>(info.cf);
    n_ = 1;
    idx_ = 0;
    doc_ = docs_[0];
    cur_block_ = 0;
    return;
  }
  nb_ = df_ / kBlockSize;
  if (info.postings < kHeaderSize || info.postings >= post.size()) {
    Fail();
    return;
  }
  const uint32_t version = FrameVersion(post);  // info.postings >= kHeaderSize: it is there
  lists_ = version >= 4;
  short_tails_ = version >= 6;
  bit_sets_ = version >= 8;
  skip_ = ReadSkipLayout(version, nb_, post.data() + info.postings);  // a byte is there
  // Format 5 keeps the list impact in the dictionary entry, 1-4 after the skip entries.
  const uint64_t need = skip_.head + uint64_t{nb_} * skip_.stride + (version >= 5 ? 0 : 4);
  // A column is read with a 4-byte load: up to 3 bytes past the last entry must be the file's
  // (they are the first block's; in formats 1-4 the list impact's).
  if (post.size() - info.postings < need + (nb_ > 0 ? 3 : 0)) {
    Fail();
    return;
  }
  skips_ = post.data() + info.postings + skip_.head;
  list_impact_ = version >= 5 ? info.impact : DecodeFixed32(skips_ + size_t{nb_} * skip_.stride);
  data_ = post.data() + info.postings + need;
  LoadBlock(0);
}

bool SegmentPostings::Fail() {
  ok_ = false;
  doc_ = kNoMoreDocs;
  n_ = 0;
  idx_ = 0;
  freqs_pending_ = false;
  freqs_[0] = 1;
  cur_block_ = nb_ + 1;
  return false;
}

absl::Status SegmentPostings::status() const {
  if (ok_) return absl::OkStatus();
  return absl::DataLossError("corrupt postings (bad block, offset or doc id)");
}

bool SegmentPostings::skip_widths_minimal() const {
  if (skip_.head == 0 || skips_ == nullptr) return true;  // not format 5, or no entries read
  uint32_t max_tf = 0;
  for (uint32_t b = 0; b < nb_; ++b) max_tf = std::max(max_tf, Skip(b, kSkipMaxTf));
  const uint32_t need[4] = {SkipWidth(Skip(nb_ - 1, kSkipLastDoc)),
                            SkipWidth(Skip(nb_ - 1, kSkipBlockEnd)),
                            SkipWidth(Skip(nb_ - 1, kSkipPosEnd)), SkipWidth(max_tf)};
  for (int c = 0; c < 4; ++c)
    if (uint32_t{skip_.off[c + 1]} - skip_.off[c] != need[c]) return false;
  return true;
}

bool SegmentPostings::LoadBlock(uint32_t b) {
  if (df_ == 1 || b > nb_ || (b == nb_ && df_ % kBlockSize == 0)) {
    doc_ = kNoMoreDocs;
    cur_block_ = nb_ + 1;
    idx_ = n_ = 0;
    return false;
  }
  const char* end_of_file = post_.data() + post_.size();
  // The previous block's entry gives where this block starts and the doc its deltas add to.
  const char* const prev = b == 0 ? nullptr : skips_ + size_t{b - 1} * skip_.stride;
  const char* p =
      data_ +
      (b == 0 ? 0 : DecodeFixed32(prev + skip_.off[kSkipBlockEnd]) & skip_.mask[kSkipBlockEnd]);
  uint32_t base = b == 0 ? 0 : DecodeFixed32(prev) & skip_.mask[kSkipLastDoc];
  if (p < data_ || p > end_of_file) return Fail();
  uint32_t n;
  // Doc ids must stay inside the segment (they index norms and deletions). Unless the sums
  // wrap 32 bits, they never decrease, so the last is the largest; small deltas and base
  // cannot wrap (128 x 2^24 = 2^31), which the block's width (and exceptions) tell without a
  // pass over the deltas: the max loop below is for the rare block that could wrap.
  uint32_t delta_bits = 0;
  bool short_tail = false;
  if (b < nb_) {
    const char* block_end = data_ + Skip(b, kSkipBlockEnd);
    if (block_end > end_of_file || block_end < p) return Fail();
    if (lists_) {  // the impact list: read by BlockImpacts, skipped here
      if (p == block_end) return Fail();
      const size_t len = static_cast<uint8_t>(*p);
      if (static_cast<size_t>(block_end - p) <= len) return Fail();
      p += 1 + len;
    }
    if (bit_sets_ && p < block_end && static_cast<uint8_t>(*p) >= kBitSetMarker) {
      // Format 8's dense block: its docs from the one after the previous block's last.
      p = UnpackBitSetBlock(p, block_end, b == 0 ? 0 : base + 1, docs_);
    } else {
      p = UnpackDocBlock(p, block_end, base, docs_, &delta_bits);
    }
    if (p == nullptr) return Fail();
    freq_end_ = block_end;
    n = kBlockSize;
  } else {
    n = df_ % kBlockSize;
    // Format 6's short tails hold the frequencies beside the gaps: decoded here, at once.
    short_tail = short_tails_ && n < kTailPackMin;
    p = short_tail ? UnpackShortTail(p, end_of_file, docs_, freqs_, n)
                   : UnpackTail(p, end_of_file, docs_, n);
    if (p == nullptr) return Fail();
    freq_end_ = end_of_file;
    for (uint32_t i = 0; i < n; ++i) delta_bits |= docs_[i];
    PrefixSum(docs_, n, base);
  }
  freq_ptr_ = p;
  freqs_pending_ = !short_tail;
  uint32_t max_doc = docs_[n - 1];
  if ((delta_bits >> 24) != 0 || base >= (1u << 31))
    for (uint32_t i = 0; i < n; ++i) max_doc = std::max(max_doc, docs_[i]);
  if (max_doc >= max_doc_ || (b < nb_ && docs_[n - 1] != Skip(b, kSkipLastDoc))) return Fail();
  cur_block_ = b;
  shallow_ = std::max(shallow_, b);
  n_ = n;
  idx_ = 0;
  doc_ = docs_[0];
  pos_group_ = -1;
  return true;
}

void SegmentPostings::DecodeFreqs() const {
  freqs_pending_ = false;
  bool ok;
  if (n_ == kBlockSize) {
    // tf - 1 is stored: the + 1 happens in the unpacking's registers (a pass of its own here
    // cost ~2.5 instructions a value, ~6% of a median AND query).
    ok = UnpackFreqBlock(freq_ptr_, freq_end_, freqs_) != nullptr;
  } else {
    const char* p = UnpackTail(freq_ptr_, freq_end_, freqs_, n_);
    // Local pointer, count and flag so the loop vectorises (on the members it stayed scalar:
    // a read-modify-write and a flag update per value, ~5 instructions each).
    uint32_t* f = freqs_;
    const uint32_t n = n_;
    uint32_t wrapped = 0;
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t v = f[i] + 1;
      wrapped |= v == 0 ? 1u : 0u;
      f[i] = v;
    }
    ok = p != nullptr && wrapped == 0;
  }
  if (!ok) {
    // Corrupt: report through ok()/status(); a frequency of 1 keeps callers' arithmetic sane.
    ok_ = false;
    for (uint32_t i = 0; i < kBlockSize; ++i) freqs_[i] = 1;
  }
}

DocId SegmentPostings::AdvanceSlow(DocId target) {
  if (doc_ == kNoMoreDocs) return doc_;
  if (n_ == 0 || docs_[n_ - 1] < target) {
    if (df_ == 1) return doc_ = kNoMoreDocs;
    uint32_t b = cur_block_ + 1;
    // Skip whole blocks whose last doc is below target: gallop, then binary search. The layout
    // in locals: the loops then keep it in registers.
    const char* const skips = skips_;
    const size_t stride = skip_.stride;
    const uint32_t mask = skip_.mask[kSkipLastDoc];
    const uint32_t nb = nb_;
    auto last_doc = [&](uint32_t k) { return DecodeFixed32(skips + k * stride) & mask; };
    uint32_t step = 1;
    while (b + step < nb && last_doc(b + step) < target) {
      b += step;
      step *= 2;
    }
    uint32_t hi = std::min(nb, b + step);
    while (b < hi) {
      uint32_t mid = b + (hi - b) / 2;
      if (last_doc(mid) < target)
        b = mid + 1;
      else
        hi = mid;
    }
    if (!LoadBlock(b)) return doc_;
    if (docs_[n_ - 1] < target) return LoadBlock(nb_ + 1), doc_;
  }
  // Branch-light scan within the block.
  uint32_t i = idx_;
  while (docs_[i] < target) ++i;
  idx_ = i;
  return doc_ = docs_[i];
}

void SegmentPostings::ShallowAdvance(DocId target) {
  uint32_t b = std::max(shallow_, cur_block_);
  if (b < nb_) {  // a pointer walk over the last-doc column, the layout in registers
    const size_t stride = skip_.stride;
    const uint32_t mask = skip_.mask[kSkipLastDoc];
    const char* e = skips_ + b * stride;
    while (b < nb_ && (DecodeFixed32(e) & mask) < target) ++b, e += stride;
  }
  shallow_ = b;
}

const char* SegmentPostings::ShallowDocBytes(const char** block_end) const {
  if (shallow_ >= nb_) return nullptr;
  const uint64_t begin = shallow_ == 0 ? 0 : Skip(shallow_ - 1, kSkipBlockEnd);
  const uint64_t end = Skip(shallow_, kSkipBlockEnd);
  if (begin >= end || end > static_cast<uint64_t>(post_.data() + post_.size() - data_))
    return nullptr;
  const char* p = data_ + begin;
  if (lists_) {
    const size_t len = static_cast<uint8_t>(*p);
    if (len + 1 >= end - begin) return nullptr;
    p += 1 + len;
  }
  *block_end = data_ + end;
  return p;
}

const char* SegmentPostings::ShallowBitSet(uint32_t* start) const {
  if (!bit_sets_) return nullptr;
  const char* block_end;
  const char* p = ShallowDocBytes(&block_end);
  if (p == nullptr || static_cast<uint8_t>(*p) < kBitSetMarker) return nullptr;
  const uint32_t first = shallow_ == 0 ? 0 : Skip(shallow_ - 1, kSkipLastDoc) + 1;
  const char* words;
  uint32_t n_words, last;
  if (OpenBitSetBlock(p, block_end, first, &words, &n_words, &last) == nullptr ||
      last != Skip(shallow_, kSkipLastDoc) || last >= max_doc_ || (shallow_ > 0 && first == 0))
    return nullptr;
  *start = first;
  return words;
}

const uint32_t* SegmentPostings::ShallowBitSetFreqs() {
  if (bit_set_freqs_block_ == shallow_) return bit_set_freqs_;
  const char* block_end;
  const char* p = ShallowDocBytes(&block_end);
  if (p == nullptr || !bit_sets_ || static_cast<uint8_t>(*p) < kBitSetMarker) return nullptr;
  p += 1 + size_t{static_cast<uint8_t>(*p) - kBitSetMarker} * 8;  // checked by ShallowBitSet
  if (p > block_end || UnpackFreqBlock(p, block_end, bit_set_freqs_) == nullptr) {
    Fail();
    return nullptr;
  }
  bit_set_freqs_block_ = shallow_;
  return bit_set_freqs_;
}

DocId SegmentPostings::BlockLastDoc() const {
  if (df_ == 1) return docs_[0] < max_doc_ ? (ok_ ? docs_[0] : kNoMoreDocs) : kNoMoreDocs;
  if (shallow_ < nb_) return Skip(shallow_, kSkipLastDoc);
  if (shallow_ == nb_ && df_ % kBlockSize != 0) return max_doc_ - 1;
  return kNoMoreDocs;
}

std::string_view SegmentPostings::BlockImpactBytes() const {
  if (!lists_ || df_ == 1 || shallow_ >= nb_) return {};
  const char* end_of_file = post_.data() + post_.size();
  const uint64_t start = shallow_ == 0 ? 0 : Skip(shallow_ - 1, 1);
  const uint64_t end = Skip(shallow_, kSkipBlockEnd);
  if (start >= end || end > static_cast<uint64_t>(end_of_file - data_)) return {};
  const char* p = data_ + start;
  const size_t len = static_cast<uint8_t>(*p);
  if (len >= end - start) return {};
  return {p + 1, len};
}

uint32_t SegmentPostings::BlockImpacts(ImpactPair* out) const {
  const std::string_view list = BlockImpactBytes();
  bool malformed = false;
  // A list that is malformed is reported by `scour check`; the skip entry still bounds.
  const size_t m = DecodeImpactList(list.data(), list.size(), out, &malformed);
  if (m != 0) return static_cast<uint32_t>(m);
  out[0] = {BlockMaxTf(), BlockMinNorm()};
  return 1;
}

std::span<const uint32_t> SegmentPostings::PositionSpan() {
  if (doc_ == kNoMoreDocs) return {};
  if (freqs_pending_) DecodeFreqs();
  if (pos_group_ != static_cast<int32_t>(cur_block_)) {
    const uint64_t start = pos_base_ + (cur_block_ == 0 || df_ == 1 ? 0 : Skip(cur_block_ - 1, 2));
    // Summed in 32 bits, which vectorises (in 64 it did not: 4% of a phrase query); frequencies
    // below 2^24 cannot wrap it (128 x 2^24 = 2^31), and larger ones (corrupt) are summed again.
    const uint32_t* const f = freqs_;
    const uint32_t n = n_;
    uint32_t sum = 0, bits = 0;
    for (uint32_t i = 0; i < n; ++i) {
      sum += f[i];
      bits |= f[i];
    }
    uint64_t total = sum;
    if ((bits >> 24) != 0) {
      total = 0;
      for (uint32_t i = 0; i < n; ++i) total += f[i];
    }
    if (start > pos_.size() || total > pos_.size() * kBlockSize || total > UINT32_MAX) {
      return Fail(), std::span<const uint32_t>{};
    }
    if (pos_cap_ < total) {  // grows only; not zero-filled
      pos_buf_ = std::make_unique_for_overwrite<uint32_t[]>(total);
      pos_cap_ = static_cast<uint32_t>(total);
    }
    pos_total_ = static_cast<uint32_t>(total);
    pos_chunk_ptr_ = pos_.data() + start;
    pos_next_chunk_ = 0;
    pos_group_ = static_cast<int32_t>(cur_block_);
    pos_doc_ = 0;
    pos_off_ = 0;
    pos_summed_ = false;
    pos_tail_lazy_ = false;
  }
  if (pos_doc_ != idx_) {
    const uint32_t* const f = freqs_;
    uint32_t off = pos_off_;  // <= pos_total_ < 2^32: no wrap
    for (uint32_t i = pos_doc_, end = idx_; i < end; ++i) off += f[i];
    pos_doc_ = idx_;
    pos_off_ = off;
    pos_summed_ = false;
  }
  const uint32_t off = pos_off_;
  const uint32_t n = freqs_[idx_];
  uint32_t* const p = pos_buf_.get() + off;
  if (!pos_summed_) {
    if (!DecodePositionChunks(off / kBlockSize, (off + n - 1) / kBlockSize)) {
      return Fail(), std::span<const uint32_t>{};
    }
    const uint32_t tail_start = pos_total_ / kBlockSize * kBlockSize;
    if (pos_tail_lazy_ && off + n > tail_start) {
      const uint32_t lo = std::max(off, tail_start);
      UnpackTailRange(pos_tail_, lo - tail_start, off + n - tail_start, pos_buf_.get() + lo);
    }
    uint32_t prev = 0;
    for (uint32_t k = 0; k < n; ++k) p[k] = prev += p[k];
    pos_summed_ = true;
  }
  return {p, n};
}

// The group's positions are runs of 128 (patched blocks) then a tail. Docs are visited in order
// and their runs are contiguous, so runs before `first` that were never needed are skipped
// without decoding, and every run below pos_next_chunk_ that a later doc can need (only the
// last one decoded) is already in pos_buf_.
bool SegmentPostings::DecodePositionChunks(uint32_t first, uint32_t last) {
  if (last < pos_next_chunk_) return true;
  const char* end = pos_.data() + pos_.size();
  const uint32_t full = pos_total_ / kBlockSize;
  const char* p = pos_chunk_ptr_;
  for (uint32_t k = pos_next_chunk_; k <= last && p != nullptr; ++k) {
    uint32_t* dst = pos_buf_.get() + size_t{k} * kBlockSize;
    if (k >= full) {
      const uint32_t n = pos_total_ - k * kBlockSize;
      const char* after = OpenPackedTail(p, end, n, &pos_tail_);
      pos_tail_lazy_ = after != nullptr;  // else short, near the file's end, or corrupt
      p = after != nullptr ? after : UnpackTail(p, end, dst, n);
    } else if (k < first) {
      p = SkipBlockPFor(p, end);
    } else {
      p = UnpackBlockPFor(p, end, dst);
    }
  }
  if (p == nullptr) return false;
  pos_chunk_ptr_ = p;
  pos_next_chunk_ = last + 1;
  return true;
}

}  // namespace scour::index
