// The index's synonyms file, synonyms_<gen>.syn (docs/format/README.md): a SynonymSet framed
// and checksummed like every index file, named by the MANIFEST's synonyms generation.
#ifndef SCOUR_INDEX_COMMIT_SYNONYMS_FILE_H_
#define SCOUR_INDEX_COMMIT_SYNONYMS_FILE_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/commit/manifest.h"
#include "index/directory/directory.h"
#include "scour/synonyms.h"

namespace scour::index {

// Writes synonyms_<generation>.syn (replacing a leftover of that name, which no commit can
// name), syncs and closes it. Making the name durable is the commit's directory sync.
absl::Status WriteSynonymsFile(Directory* dir, uint64_t generation, const SynonymSet& set);

// The set `m` names (nullptr when none), its CRC and every field verified, and its analyser
// equal to the manifest's. Errors: NotFound if the file is missing, DataLoss if it is corrupt.
absl::StatusOr<std::shared_ptr<const SynonymSet>> ReadSynonymsFile(Directory* dir,
                                                                   const Manifest& m);

}  // namespace scour::index

#endif  // SCOUR_INDEX_COMMIT_SYNONYMS_FILE_H_
