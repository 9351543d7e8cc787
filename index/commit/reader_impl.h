// The inside of an IndexReader snapshot, for the engine and tools in this repository (not
// installed): the manifest it was opened from and its open segments with their doc-id bases.
#ifndef SCOUR_INDEX_COMMIT_READER_IMPL_H_
#define SCOUR_INDEX_COMMIT_READER_IMPL_H_

#include <memory>
#include <vector>

#include "index/commit/manifest.h"
#include "index/directory/directory.h"
#include "index/segment/segment_reader.h"
#include "scour/index_reader.h"

namespace scour {

struct IndexReader::Impl {
  std::unique_ptr<index::Directory> owned_dir;
  index::Directory* dir = nullptr;
  index::Manifest manifest;
  std::vector<std::shared_ptr<index::SegmentReader>> segments;
  std::vector<uint64_t> bases;  // global doc id of each segment's doc 0
  uint64_t max_doc = 0, deleted = 0;

  // Global statistics of a field across segments (deleted docs included, as Lucene does).
  struct GlobalFieldStats {
    uint64_t docs_with_field = 0;
    uint64_t sum_total_tf = 0;
  };
  GlobalFieldStats FieldStats(uint32_t field) const;
  // Segment holding global doc `doc`, and the local id.
  std::pair<size_t, uint32_t> Locate(uint64_t doc) const;
};

}  // namespace scour

#endif  // SCOUR_INDEX_COMMIT_READER_IMPL_H_
