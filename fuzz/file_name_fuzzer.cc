// ParseFileName on arbitrary bytes: never crashes, and whatever it accepts is exactly the name
// the matching Make function spells (one spelling per file, so cleanup cannot misread a name).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "index/format/file_names.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace scour::index;
  const std::string_view name(reinterpret_cast<const char*>(data), size);
  auto p = ParseFileName(name);
  if (!p) return 0;
  std::string made;
  switch (p->type) {
    case FileType::kManifest:
      made = kManifestFileName;
      break;
    case FileType::kManifestTemp:
      made = kManifestTempFileName;
      break;
    case FileType::kWriteLock:
      made = kWriteLockFileName;
      break;
    case FileType::kSegment:
      made = SegmentFileName(p->segment, p->kind);
      break;
    case FileType::kDeletes:
      made = DeletesFileName(p->segment, p->generation);
      break;
    case FileType::kSynonyms:
      made = SynonymsFileName(p->generation);
      break;
  }
  if (made != name) std::abort();
  return 0;
}
