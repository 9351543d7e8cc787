// SegmentPostings on hand-built lists: corruption is detected, never read past.
#include "index/postings/segment_postings.h"

#include <string>

#include "base/coding.h"
#include "gtest/gtest.h"
#include "index/format/file_format.h"
#include "index/postings/bitpack.h"

namespace scour::index {
namespace {

// Doc-id deltas whose sums wrap 32 bits give a block that is not increasing and whose last doc
// is small: the decoder must still see the doc past the segment's end (the last doc alone is
// checked only when no delta is large enough to wrap).
TEST(SegmentPostingsChecks, WrappingDeltasAreCorruption) {
  for (uint32_t big : {0x80000000u, 0x01000000u * 100}) {
    uint32_t deltas[kBlockSize], freqs[kBlockSize];
    for (uint32_t i = 0; i < kBlockSize; ++i) deltas[i] = 1, freqs[i] = 0;
    deltas[1] = big;
    deltas[2] = 0u - big;  // back below the first: 1, 1 + big, 1, 2, 3, ...
    uint32_t last = 0;
    for (uint32_t d : deltas) last += d;
    std::string blocks;
    PackBlockPFor(deltas, &blocks);
    PackBlockPFor(freqs, &blocks);
    std::string post(kHeaderSize, '\0');
    PutFixed32(&post, last);
    PutFixed32(&post, static_cast<uint32_t>(blocks.size()));
    PutFixed32(&post, 0);
    PutFixed32(&post, PackImpact(1, 1));
    PutFixed32(&post, PackImpact(1, 1));  // list impact
    post += blocks;
    post.append(kFooterSize, '\0');
    TermInfo info;
    info.df = kBlockSize;
    info.cf = kBlockSize;
    info.postings = kHeaderSize;
    const std::string pos(64, '\0');
    SegmentPostings p(post, pos, info, /*max_doc=*/1000, 0);
    EXPECT_FALSE(p.ok()) << big;
    EXPECT_EQ(p.doc(), kNoMoreDocs);
  }
}

}  // namespace
}  // namespace scour::index
