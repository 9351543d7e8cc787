#include "index/inspect/postings_bytes.h"

#include <string>

#include "base/coding.h"
#include "index/format/file_format.h"
#include "index/format/file_names.h"
#include "index/postings/bitpack.h"

namespace scour::index {

PostingsBytes& PostingsBytes::operator+=(const PostingsBytes& o) {
  lists += o.lists;
  list_postings += o.list_postings;
  inline_postings += o.inline_postings;
  skip += o.skip;
  doc_ids += o.doc_ids;
  freqs += o.freqs;
  impacts += o.impacts;
  return *this;
}

// The layout is docs/format/README.md's ".post": nb skip entries, the list impact, then per
// full block (format 4: its impact list,) the doc-id block and the frequency block (the skip
// entry's "end of the block's bytes" closes them), then the tail's doc ids and frequencies.
absl::StatusOr<PostingsBytes> MeasureList(std::string_view post, const TermInfo& info) {
  auto corrupt = [&] {
    return absl::DataLossError("corrupt postings list at offset " + std::to_string(info.postings) +
                               " (df " + std::to_string(info.df) + ")");
  };
  PostingsBytes r;
  if (info.df < 2) return r;
  const uint32_t nb = info.df / kBlockSize, tail = info.df % kBlockSize;
  if (info.postings < kHeaderSize || info.postings >= post.size()) return corrupt();
  const uint32_t version = FrameVersion(post);
  const SkipLayout layout = ReadSkipLayout(version, nb, post.data() + info.postings);
  // Formats 1-4: the list impact follows the entries (from 5 on it is in the dictionary).
  const uint64_t skip = layout.head + uint64_t{nb} * layout.stride + (version >= 5 ? 0 : 4);
  if (post.size() - info.postings < skip + (nb > 0 ? 3 : 0)) return corrupt();  // 4-byte loads
  r.lists = 1;
  r.list_postings = info.df;
  r.skip = skip;
  const char* skips = post.data() + info.postings + layout.head;
  const char* data = post.data() + info.postings + skip;
  const char* end = post.data() + post.size();
  const char* p = data;
  const bool lists = version >= 4;
  for (uint32_t b = 0; b < nb; ++b) {
    const uint32_t rel_end = ReadSkip(skips, layout, b, kSkipBlockEnd);
    if (rel_end > uint64_t(end - data)) return corrupt();
    const char* block_end = data + rel_end;
    if (lists) {
      const size_t len = p < block_end ? static_cast<uint8_t>(*p) : 0;
      if (p >= block_end || static_cast<size_t>(block_end - p) <= len) return corrupt();
      r.impacts += 1 + len;
      p += 1 + len;
    }
    const char* q = block_end < p ? nullptr : SkipDocBlock(p, block_end, version >= 8);
    if (q == nullptr) return corrupt();
    r.doc_ids += q - p;
    r.freqs += block_end - q;
    p = block_end;
  }
  if (tail > 0 && version >= 6 && tail < kTailPackMin) {
    // Format 6's short tail: the joint varints are the doc ids', the tf - 2 varints the
    // frequencies'.
    uint32_t gaps[kBlockSize], tfs[kBlockSize];
    const char* e = UnpackShortTail(p, end, gaps, tfs, tail);
    if (e == nullptr) return corrupt();
    uint64_t tf_bytes = 0;
    for (uint32_t i = 0; i < tail; ++i)
      if (tfs[i] != 1) tf_bytes += VarintLength(tfs[i] - 2);
    r.doc_ids += (e - p) - tf_bytes;
    r.freqs += tf_bytes;
  } else if (tail > 0) {
    uint32_t scratch[kBlockSize];
    const char* q = UnpackTail(p, end, scratch, tail);
    const char* e = q == nullptr ? nullptr : UnpackTail(q, end, scratch, tail);
    if (e == nullptr) return corrupt();
    r.doc_ids += q - p;
    r.freqs += e - q;
  }
  return r;
}

absl::StatusOr<PostingsBytes> MeasurePostings(const SegmentReader& segment) {
  PostingsBytes total;
  auto it = segment.dict().Seek("");
  for (; it.Valid(); it.Next()) {
    const TermInfo& info = it.info();
    if (info.df == 0) continue;  // a format-7 _id entry: no postings
    if (info.df == 1) {
      total.inline_postings++;
      continue;
    }
    auto list = MeasureList(segment.post_file(), info);
    if (!list.ok())
      return absl::DataLossError(SegmentFileName(segment.ref().number, FileKind::kPostings) + ": " +
                                 std::string(list.status().message()));
    total += *list;
  }
  if (!it.status().ok()) return it.status();
  return total;
}

}  // namespace scour::index
