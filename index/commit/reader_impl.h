// The snapshot behind an IndexReader, for the engine, the tools and the tests in this repository
// (not installed): the manifest it was opened from, its open segments with their doc-id bases, and
// its synonyms.
// Immutable once opened: share it between threads.
#ifndef SCOUR_INDEX_COMMIT_READER_IMPL_H_
#define SCOUR_INDEX_COMMIT_READER_IMPL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "index/commit/manifest.h"
#include "index/directory/directory.h"
#include "index/segment/segment_reader.h"
#include "scour/index_reader.h"
#include "scour/statistics.h"
#include "scour/synonyms.h"

namespace scour::index {

struct Snapshot {
  std::unique_ptr<Directory> owned_dir;
  Directory* dir = nullptr;
  Manifest manifest;
  std::vector<std::shared_ptr<SegmentReader>> segments;
  std::vector<uint64_t> bases;  // global doc id of each segment's doc 0
  uint64_t max_doc = 0, deleted = 0;
  std::shared_ptr<const SynonymSet> synonyms;  // the manifest's; nullptr when none

  // Statistics of field id `field` (1 <= field < manifest.fields.size()) summed over the
  // segments, deleted docs included (as Lucene's).
  FieldStatistics FieldStats(uint32_t field) const;
  // Statistics of the analysed `term` in field id `field`, summed over the segments. With
  // `entries`, also the term's dictionary entry in each segment (nullopt where it is absent),
  // in segment order: what executing a plan reads instead of looking the term up again.
  absl::StatusOr<TermStatistics> TermStats(
      uint32_t field, std::string_view term,
      std::vector<std::optional<TermInfo>>* entries = nullptr) const;
  // Segment holding global doc `doc`, and the local id.
  std::pair<size_t, uint32_t> Locate(uint64_t doc) const;
};

// The snapshot an IndexReader shows.
const Snapshot& SnapshotOf(const IndexReader& reader);

// As IndexReader::Open over any Directory (in-memory, fault-injecting: for tests), which must
// outlive the reader. The installed API opens paths only; Directory is internal.
absl::StatusOr<std::shared_ptr<IndexReader>> OpenIndexReader(Directory* dir,
                                                             const IndexReaderOptions& options);

}  // namespace scour::index

#endif  // SCOUR_INDEX_COMMIT_READER_IMPL_H_
