// The public IndexWriter over any Directory (in-memory, fault-injecting), for the tests and tools
// in this repository. The installed API opens paths only (IndexWriter::Open, which uses a
// file-system Directory); the Directory interface is internal. (The reader's counterpart,
// OpenIndexReader, is in index/commit/reader_impl.h.)
#ifndef SCOUR_INDEX_WRITER_OPEN_WRITER_H_
#define SCOUR_INDEX_WRITER_OPEN_WRITER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "index/directory/directory.h"
#include "scour/index_writer.h"

namespace scour::index {

// As IndexWriter::Open over `dir`, which the writer does not own: it must outlive the writer.
absl::StatusOr<std::unique_ptr<IndexWriter>> OpenIndexWriter(Directory* dir,
                                                             const IndexWriterOptions& options);

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_OPEN_WRITER_H_
