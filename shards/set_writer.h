// IndexSetWriter: an IndexWriter per shard of an index set, documents routed by the hash of their
// id (docs/format/index-set.md), so an update or delete reaches the shard holding the id.
// Commit commits every shard, then (on a new set) publishes INDEXSET: a set is visible only once
// every shard has a commit. A commit is atomic per shard, not across shards: if one shard's
// commit fails, the shards committed before it keep their new documents (the error says which).
#ifndef SCOUR_SHARDS_SET_WRITER_H_
#define SCOUR_SHARDS_SET_WRITER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/document.h"
#include "scour/index_writer.h"
#include "shards/index_set.h"

namespace scour::shards {

class IndexSetWriter {
 public:
  // `num_shards` 0: `path` must be an existing set. Otherwise a new set of that many shards is
  // created, or an existing one with that many shards is opened (InvalidArgument if it has
  // another count, or `path` is a plain index). Each shard's writer gets `options` with the RAM
  // budget divided among the shards.
  static absl::StatusOr<std::unique_ptr<IndexSetWriter>> Open(const std::string& path,
                                                              uint32_t num_shards,
                                                              IndexWriterOptions options);

  size_t num_shards() const { return writers_.size(); }
  // As IndexWriter::AddDocumentRecycling, into the shard of doc->id.
  absl::Status AddDocumentRecycling(Document* doc);
  absl::Status DeleteDocument(std::string_view id);
  absl::Status Commit();
  absl::Status background_error() const;
  IndexWriterStats stats() const;  // summed over the shards

 private:
  IndexSetWriter() = default;
  std::string path_;
  IndexSetManifest manifest_;
  bool published_ = false;
  std::vector<std::unique_ptr<IndexWriter>> writers_;
};

}  // namespace scour::shards

#endif  // SCOUR_SHARDS_SET_WRITER_H_
