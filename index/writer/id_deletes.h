// Replace-by-id and deletes, applied at commit: every id added or deleted in a session deletes
// the copies of it that are older than its last add. In a committed segment that is every
// document with such an id; in a segment flushed in the session, every document whose id was
// added again later or deleted after its add. A segment whose deletions change gets a new
// generation of its .del file (written here, published by the next MANIFEST).
#ifndef SCOUR_INDEX_WRITER_ID_DELETES_H_
#define SCOUR_INDEX_WRITER_ID_DELETES_H_

#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "index/directory/directory.h"
#include "index/segment/segment_reader.h"
#include "index/writer/session_ids.h"
#include "index/writer/worker_pool.h"

namespace scour::index {

// The committed segment `ref` (opened as `reader`) with every document whose id is in `ids`
// deleted: a new deletes generation if any was live, else `ref` unchanged.
absl::StatusOr<SegmentRef> DeleteSessionIds(Directory* dir, const SegmentRef& ref,
                                            const SegmentReader& reader, const SessionIds& ids);

// The ids whose documents in this session's segments may be superseded (added twice or
// deleted), with their states.
using DirtyIds = std::vector<std::pair<std::string_view, const SessionIds::State*>>;
DirtyIds CollectDirtyIds(const SessionIds& ids);

// The session segment `seg` with its superseded documents deleted (generation 1 if any).
absl::StatusOr<SegmentRef> DeleteSuperseded(Directory* dir, const SessionSegment& seg,
                                            const DirtyIds& dirty);

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_ID_DELETES_H_
