// The commits a writer publishes: the last one (its MANIFEST and the readers of its segments,
// opened on first use and kept across commits while a segment's deletions do not change), and
// the files no commit refers to, which it deletes. Not thread-safe (the writer's calling thread).
#ifndef SCOUR_INDEX_WRITER_PUBLISHER_H_
#define SCOUR_INDEX_WRITER_PUBLISHER_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/commit/manifest.h"
#include "index/directory/directory.h"
#include "index/segment/segment_reader.h"

namespace scour::index {

class Publisher {
 public:
  // `committed`: the commit on disk when the writer opened (empty for a new index).
  Publisher(Directory* dir, Manifest committed);

  const Manifest& committed() const { return committed_; }
  // The reader of committed().segments[i].
  absl::StatusOr<std::shared_ptr<SegmentReader>> Reader(size_t i);

  // Publishes `m` as the next generation: writes MANIFEST.tmp, syncs it, renames it over
  // MANIFEST, syncs the directory, then deletes the files no longer referenced. Returns whether
  // `m` became what readers see (committed() is then `m`): a failure after the rename (the
  // directory sync) leaves it visible but maybe not durable, and the error says so; its files
  // are kept.
  absl::Status Publish(Manifest m, bool* visible);

  // Deletes every file of a kind the writer makes (index/format/file_names.h) that the
  // committed MANIFEST does not name: leftovers of a crashed, failed or abandoned session, and
  // the files of segments a merge replaced. Best effort: what fails is retried next time.
  void DeleteUnreferenced();

 private:
  Directory* dir_;
  Manifest committed_;
  std::vector<std::shared_ptr<SegmentReader>> readers_;  // parallel to committed_.segments
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_PUBLISHER_H_
