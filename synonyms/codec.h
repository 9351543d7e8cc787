// The body of an index's synonyms file (`synonyms_<gen>.syn`, docs/format/README.md): a
// SynonymSet's source and analysed rules, encoded and decoded. The frame (header, CRC) is the
// index's business (index/commit/synonyms_file.h).
#ifndef SCOUR_SYNONYMS_CODEC_H_
#define SCOUR_SYNONYMS_CODEC_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "scour/synonyms.h"

namespace scour::synonyms {

inline constexpr size_t kMaxSourceNameBytes = 4096;

std::string EncodeSynonymSet(const SynonymSet& set);

// Every length, count, order and flag is checked; a problem is DataLoss "<name>: <what>".
absl::StatusOr<std::shared_ptr<const SynonymSet>> DecodeSynonymSet(std::string_view body,
                                                                   std::string_view name);

}  // namespace scour::synonyms

#endif  // SCOUR_SYNONYMS_CODEC_H_
