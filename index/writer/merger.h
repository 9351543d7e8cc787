// Merges segments into one new segment: live documents only (deletions are purged), doc ids
// renumbered in segment order, every term's postings, positions, norms and stored fields copied.
#ifndef SCOUR_INDEX_WRITER_MERGER_H_
#define SCOUR_INDEX_WRITER_MERGER_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "index/directory/directory.h"
#include "index/segment/segment_reader.h"

namespace scour::index {

// Returns the new segment's ref (no deletions). Writes files named after `number`, term vectors
// (.tvec) too when every source segment has them.
absl::StatusOr<SegmentRef> MergeSegments(Directory* dir,
                                         const std::vector<std::shared_ptr<SegmentReader>>& segs,
                                         uint64_t number);

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_MERGER_H_
