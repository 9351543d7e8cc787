// Merges segments into one new segment: live documents only (deletions are purged), every term's
// postings, positions, norms, stored fields and term vectors copied. Doc ids are renumbered in
// segment order, or, with MergeOptions::reorder, in the order of a recursive graph bisection of
// the merged documents (docs/cli/merge.md, "Reordering"); either way an ordinary segment.
#ifndef SCOUR_INDEX_WRITER_MERGER_H_
#define SCOUR_INDEX_WRITER_MERGER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "index/directory/directory.h"
#include "index/segment/segment_reader.h"
#include "index/writer/graph_bisection.h"

namespace scour::index {

struct MergeOptions {
  bool reorder = false;
  BisectionParams bisection;        // with reorder
  uint32_t min_doc_freq = 1024;     // with reorder: terms in fewer live documents stay out of BP
  size_t buffer_bytes = 256 << 20;  // with reorder: stored fields / vectors held per pass
};

struct MergeStats {
  // With reorder: the graph (terms, their live postings), the bisection and its CPU seconds.
  uint64_t graph_terms = 0, graph_postings = 0;
  BisectionStats bisection;
  double reorder_seconds = 0;
  uint32_t stored_passes = 0;  // passes over the sources' stored fields to write them in order
};

// Returns the new segment's ref (no deletions). Writes files named after `number`, term vectors
// (.tvec) too when every source segment has them.
absl::StatusOr<SegmentRef> MergeSegments(Directory* dir,
                                         const std::vector<std::shared_ptr<SegmentReader>>& segs,
                                         uint64_t number, const MergeOptions& options = {},
                                         MergeStats* stats = nullptr);

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_MERGER_H_
