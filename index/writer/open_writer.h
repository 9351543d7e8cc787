// The public IndexWriter over any Directory (in-memory, fault-injecting), for the tests and tools
// in this repository. The installed API opens paths only (IndexWriter::Open, which uses a
// file-system Directory); the Directory interface is internal. (The reader's counterpart,
// OpenIndexReader, is in index/commit/reader_impl.h.)
#ifndef SCOUR_INDEX_WRITER_OPEN_WRITER_H_
#define SCOUR_INDEX_WRITER_OPEN_WRITER_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "index/directory/directory.h"
#include "scour/index_writer.h"

namespace scour::index {

// As IndexWriter::Open over `dir`, which the writer does not own: it must outlive the writer.
absl::StatusOr<std::unique_ptr<IndexWriter>> OpenIndexWriter(Directory* dir,
                                                             const IndexWriterOptions& options);

// Tests: with reject_duplicate_ids, keep only the bits of `mask` of each id's hash in the
// session filter (index/writer/session_filter.h): a few bits force hash collisions and filter
// false positives, which must change no answer.
void SetIdHashMaskForTesting(IndexWriter* writer, uint64_t mask);
struct SessionFilterHits {
  uint64_t hits = 0, false_hits = 0;  // a flushed segment's filter said maybe; it was wrong
};
// Tests: the session filter's hits since the last commit or rollback.
SessionFilterHits SessionFilterHitsForTesting(const IndexWriter& writer);

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_OPEN_WRITER_H_
