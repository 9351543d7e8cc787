#include "index/writer/publisher.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "base/status_macros.h"
#include "index/format/file_names.h"

namespace scour::index {

Publisher::Publisher(Directory* dir, Manifest committed)
    : dir_(dir), committed_(std::move(committed)), readers_(committed_.segments.size()) {}

absl::StatusOr<std::shared_ptr<SegmentReader>> Publisher::Reader(size_t i) {
  if (!readers_[i]) {
    SCOUR_ASSIGN_OR_RETURN(readers_[i], SegmentReader::Open(dir_, committed_.segments[i], false));
  }
  return readers_[i];
}

absl::Status Publisher::Publish(Manifest m, bool* visible) {
  *visible = false;
  m.generation = committed_.generation + 1;
  absl::Status written = WriteManifest(dir_, m);
  if (!written.ok()) {
    // The rename may have happened before a later step (the directory sync) failed: then the new
    // MANIFEST is what readers see, and forgetting it would let a rollback delete its files.
    auto on_disk = ReadManifest(dir_);
    if (!on_disk.ok() || on_disk->generation != m.generation) return written;
  }
  // Keep the readers of segments whose deletions did not change.
  std::vector<std::shared_ptr<SegmentReader>> readers(m.segments.size());
  absl::flat_hash_map<uint64_t, size_t> old_index;  // segment number -> index in committed_
  for (size_t j = 0; j < committed_.segments.size(); ++j)
    old_index[committed_.segments[j].number] = j;
  for (size_t i = 0; i < m.segments.size(); ++i) {
    auto it = old_index.find(m.segments[i].number);
    if (it != old_index.end() && committed_.segments[it->second].del_gen == m.segments[i].del_gen)
      readers[i] = readers_[it->second];
  }
  committed_ = std::move(m);
  readers_ = std::move(readers);
  *visible = true;
  if (!written.ok()) return written;  // visible, maybe not durable: say so, keep the files
  DeleteUnreferenced();
  return absl::OkStatus();
}

void Publisher::DeleteUnreferenced() {
  auto names = dir_->List();
  if (!names.ok()) return;
  std::vector<std::string> keep = committed_.FileNames();
  absl::flat_hash_set<std::string> keep_set(keep.begin(), keep.end());
  for (const std::string& n : *names) {
    // Only files of the kinds the writer makes; the lock and MANIFEST are always kept.
    auto parsed = ParseFileName(n);
    if (!parsed || parsed->type == FileType::kWriteLock || parsed->type == FileType::kManifest)
      continue;
    if (!keep_set.contains(n)) (void)dir_->Delete(n);  // best effort: retried next open
  }
}

}  // namespace scour::index
