// libFuzzer target for the synonyms readers: the first byte chooses the reader, the rest is its
// input. Even: the Solr-format parser (docs/SYNONYMS.md) with the English analyser (stopwords on
// for bytes with bit 1 set); a set it accepts must encode and decode back to the same rules.
// Odd: the `.syn` body decoder (docs/format/README.md); what it accepts must encode back to the
// same bytes (the encoding is canonical). Anything rejected must be a clean error: InvalidArgument
// "<name>:<line>: ..." from the parser, DataLoss from the decoder.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "absl/strings/match.h"
#include "scour/synonyms.h"
#include "synonyms/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((mode & 1) == 0) {
    scour::AnalyzerOptions analyzer;
    analyzer.stopwords = (mode & 2) != 0;
    auto set = scour::SynonymSet::Parse(input, analyzer, "fuzz.txt");
    if (!set.ok()) {
      if (set.status().code() != absl::StatusCode::kInvalidArgument ||
          !absl::StartsWith(set.status().message(), "fuzz.txt:"))
        std::abort();
      return 0;
    }
    const std::string body = scour::synonyms::EncodeSynonymSet(**set);
    auto back = scour::synonyms::DecodeSynonymSet(body, "fuzz.syn");
    if (!back.ok() || (*back)->rules().size() != (*set)->rules().size()) std::abort();
    for (size_t i = 0; i < (*set)->rules().size(); ++i) {
      const scour::SynonymRule &a = (*set)->rules()[i], &b = (*back)->rules()[i];
      if (a.input != b.input || a.outputs != b.outputs || a.keep_original != b.keep_original)
        std::abort();
    }
    return 0;
  }
  auto set = scour::synonyms::DecodeSynonymSet(input, "fuzz.syn");
  if (!set.ok()) {
    if (set.status().code() != absl::StatusCode::kDataLoss) std::abort();
    return 0;
  }
  if (scour::synonyms::EncodeSynonymSet(**set) != input) std::abort();
  return 0;
}
