// The MANIFEST: the one file a commit replaces atomically (docs/format/README.md). It names the
// live segments and their deletion generations, the global field table, the analyzer and the
// synonyms file.
#ifndef SCOUR_INDEX_COMMIT_MANIFEST_H_
#define SCOUR_INDEX_COMMIT_MANIFEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/directory/directory.h"
#include "index/segment/segment_reader.h"

namespace scour::index {

struct Manifest {
  uint64_t generation = 0;
  uint64_t next_segment = 1;
  std::string language = "english";
  bool stopwords = false;
  std::vector<std::string> fields = {"_id"};  // id = index
  std::vector<SegmentRef> segments;
  // Generation of the commit that installed the index's synonyms (synonyms_<gen>.syn); 0 = none.
  uint64_t synonyms = 0;

  int FieldId(std::string_view name) const;    // -1 if unknown
  std::vector<std::string> FileNames() const;  // every file this commit refers to
};

// Reads MANIFEST; NotFound when the directory holds no index.
absl::StatusOr<Manifest> ReadManifest(Directory* dir);
// Writes MANIFEST.tmp, syncs, renames over MANIFEST, syncs the directory.
absl::Status WriteManifest(Directory* dir, const Manifest& m);

}  // namespace scour::index

#endif  // SCOUR_INDEX_COMMIT_MANIFEST_H_
