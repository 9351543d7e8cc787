// Replace-by-id and deletes, applied at commit: every id added or deleted in a session deletes
// the copies of it that are older than its last add. In a committed segment that is every
// document with such an id; in a segment flushed in the session, every document whose id was
// added again later or deleted after its add. A segment whose deletions change gets a new
// generation of its .del file (written here, published by the next MANIFEST).
//
// No table of the session's ids: they are read back from the session's segments, whose `_id`
// entries are sorted, merged with the sorted deleted ids and the committed segments' entries
// (docs/ARCHITECTURE.md, "Replace-by-id with memory bounded by the budget").
#ifndef SCOUR_INDEX_WRITER_ID_DELETES_H_
#define SCOUR_INDEX_WRITER_ID_DELETES_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "index/directory/directory.h"
#include "index/segment/segment_reader.h"
#include "index/writer/worker_pool.h"

namespace scour::index {

// The ids deleted in a session, each with the sequence number of its last delete: the number of
// documents added before it (so it deletes the session's copies whose number is <= it).
using DeletedIds = absl::flat_hash_map<std::string, uint64_t>;

// A committed segment is looked up id by id (instead of walked entry by entry) when the session
// holds fewer than 1/kLookupRatio of its `_id` entries.
inline constexpr uint64_t kLookupRatio = 32;

// The deletions of a session: `committed` (opened by `reader(i)`, only if the session added or
// deleted anything) and the session's segments, with what replace-by-id and `deleted` remove
// from them, into *committed_out and *session_out (same order; a ref with deleted == doc_count
// is a segment left empty).
absl::Status ApplyIdDeletes(
    Directory* dir, std::span<const SegmentRef> committed,
    absl::FunctionRef<absl::StatusOr<std::shared_ptr<SegmentReader>>(size_t)> reader,
    std::span<const SessionSegment> session, const DeletedIds& deleted,
    std::vector<SegmentRef>* committed_out, std::vector<SegmentRef>* session_out);

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_ID_DELETES_H_
