// Which segments to merge: the tiered policy run after each commit, and the choice of a forced
// merge. Pure functions of the segments' sizes; MergeSegments (merger.h) does the merging.
#ifndef SCOUR_INDEX_WRITER_MERGE_POLICY_H_
#define SCOUR_INDEX_WRITER_MERGE_POLICY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "index/segment/segment_reader.h"

namespace scour::index {

// The tiered policy: tier t holds the segments of [factor^t, factor^(t+1)) live documents
// (tier 0 also those under `factor`); a tier holding `factor` or more segments merges its
// `factor` smallest. Returns one group per such tier, lowest tier first, each a sorted list of
// indexes into `live_docs`. factor < 2 counts as 2.
std::vector<std::vector<size_t>> PickMerges(const std::vector<uint64_t>& live_docs, size_t factor);

// A forced merge down to `max_segments` (>= 1): the smallest segments by live documents, as
// many as leave `max_segments` once merged into one, as a sorted list of indexes into
// `segments`; with max_segments == 1, a single segment with deletions too (to purge them).
// Empty when nothing is left to do.
std::vector<size_t> PickForcedMerge(const std::vector<SegmentRef>& segments, size_t max_segments);

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_MERGE_POLICY_H_
