// For the index-model tools (index_entropy, entropy_codecs): every segment of an index
// directory, opened without checksum verification.
#ifndef SCOUR_BENCH_INDEX_SEGMENTS_H_
#define SCOUR_BENCH_INDEX_SEGMENTS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "index/commit/manifest.h"
#include "index/directory/directory.h"
#include "index/segment/segment_reader.h"

namespace scour::bench {

// The segments read through `dir`: keep the holder alive while they are used.
struct OpenIndex {
  std::unique_ptr<index::Directory> dir;
  std::vector<std::shared_ptr<index::SegmentReader>> segments;
};

inline absl::StatusOr<OpenIndex> OpenIndexSegments(const std::string& path) {
  OpenIndex out;
  auto dir = index::OpenFsDirectory(path, false);
  if (!dir.ok()) return dir.status();
  out.dir = std::move(*dir);
  auto manifest = index::ReadManifest(out.dir.get());
  if (!manifest.ok()) return manifest.status();
  for (const auto& ref : manifest->segments) {
    auto seg = index::SegmentReader::Open(out.dir.get(), ref, false);
    if (!seg.ok()) return seg.status();
    out.segments.push_back(std::move(*seg));
  }
  return out;
}

}  // namespace scour::bench

#endif  // SCOUR_BENCH_INDEX_SEGMENTS_H_
