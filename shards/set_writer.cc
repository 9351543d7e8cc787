#include "shards/set_writer.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace scour::shards {

absl::StatusOr<std::unique_ptr<IndexSetWriter>> IndexSetWriter::Open(const std::string& path,
                                                                     uint32_t num_shards,
                                                                     IndexWriterOptions options) {
  namespace fs = std::filesystem;
  std::unique_ptr<IndexSetWriter> w(new IndexSetWriter());
  w->path_ = path;
  std::error_code ec;
  if (IsIndexSet(path)) {
    SCOUR_ASSIGN_OR_RETURN(w->manifest_, ReadIndexSet(path));
    if (num_shards != 0 && num_shards != w->manifest_.shards.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, " is an index set of ", w->manifest_.shards.size(), " shards, not ",
                       num_shards, " (re-sharding means re-indexing)"));
    }
    w->published_ = true;
  } else {
    if (num_shards == 0)
      return absl::NotFoundError(absl::StrCat(path, ": no index set (INDEXSET) there"));
    if (num_shards > kMaxShards)
      return absl::InvalidArgumentError(absl::StrCat("--shards: 1 to ", kMaxShards));
    if (fs::exists(fs::path(path) / "MANIFEST", ec))
      return absl::InvalidArgumentError(
          absl::StrCat(path, " is a plain index, not an index set: give a new directory"));
    fs::create_directories(path, ec);
    if (ec) return absl::InternalError(absl::StrCat(path, ": ", ec.message()));
    for (uint32_t i = 0; i < num_shards; ++i) w->manifest_.shards.push_back(DefaultShardName(i));
  }
  const size_t n = w->manifest_.shards.size();
  options.ram_budget_mb = std::max<size_t>(16, options.ram_budget_mb / n);
  for (const std::string& shard : ShardPaths(path, w->manifest_)) {
    absl::StatusOr<std::unique_ptr<IndexWriter>> sw = IndexWriter::Open(shard, options);
    if (!sw.ok())
      return absl::Status(sw.status().code(), absl::StrCat(shard, ": ", sw.status().message()));
    w->writers_.push_back(*std::move(sw));
  }
  return w;
}

absl::Status IndexSetWriter::AddDocumentRecycling(Document* doc) {
  return writers_[ShardOf(doc->id, static_cast<uint32_t>(writers_.size()))]->AddDocumentRecycling(
      doc);
}

absl::Status IndexSetWriter::DeleteDocument(std::string_view id) {
  return writers_[ShardOf(id, static_cast<uint32_t>(writers_.size()))]->DeleteDocument(id);
}

absl::Status IndexSetWriter::Commit() {
  for (size_t i = 0; i < writers_.size(); ++i) {
    absl::Status s = writers_[i]->Commit();
    if (!s.ok()) {
      return absl::Status(s.code(),
                          absl::StrCat("shard ", manifest_.shards[i], ": ", s.message(),
                                       i > 0 ? " (the shards before it are committed)" : ""));
    }
  }
  if (!published_) {
    SCOUR_ASSIGN_OR_RETURN(auto dir, index::OpenFsDirectory(path_, /*create=*/false));
    SCOUR_RETURN_IF_ERROR(WriteIndexSet(dir.get(), manifest_));
    published_ = true;
  }
  return absl::OkStatus();
}

absl::Status IndexSetWriter::background_error() const {
  for (size_t i = 0; i < writers_.size(); ++i) {
    absl::Status s = writers_[i]->background_error();
    if (!s.ok())
      return absl::Status(s.code(), absl::StrCat("shard ", manifest_.shards[i], ": ", s.message()));
  }
  return absl::OkStatus();
}

IndexWriterStats IndexSetWriter::stats() const {
  IndexWriterStats t;
  for (const auto& w : writers_) {
    IndexWriterStats s = w->stats();
    t.docs_added += s.docs_added;
    t.deletes_requested += s.deletes_requested;
    t.segments_flushed += s.segments_flushed;
    t.bytes_indexed += s.bytes_indexed;
  }
  return t;
}

}  // namespace scour::shards
