// Term normalisation: Unicode NFKC_Casefold (ICU Normalizer2), then U+2019 RIGHT SINGLE
// QUOTATION MARK folded to the ASCII apostrophe. ASCII tokens take a lower-casing shortcut that
// equals NFKC_Casefold on ASCII. Not thread-safe (owns a scratch buffer); ICU data is shared.
#ifndef SCOUR_TOKENIZER_NORMALIZER_H_
#define SCOUR_TOKENIZER_NORMALIZER_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "unicode/normalizer2.h"

namespace scour::tokenizer {

class TermNormalizer {
 public:
  // ascii_shortcut=false sends ASCII tokens through ICU too (the reference for tests).
  static absl::StatusOr<TermNormalizer> Create(bool ascii_shortcut = true);

  // The normalised form of `token` (valid UTF-8). The view points into `token` or into this
  // object's buffer and is valid until the next call.
  std::string_view Normalize(std::string_view token);

 private:
  TermNormalizer(const icu::Normalizer2* nfkc_cf, bool ascii_shortcut)
      : nfkc_cf_(nfkc_cf), ascii_shortcut_(ascii_shortcut) {}
  const icu::Normalizer2* nfkc_cf_;  // owned by ICU
  bool ascii_shortcut_;
  std::string buf_;
};

// ASCII lower-casing without branches per byte; returns true when s was pure ASCII.
bool AsciiLower(std::string_view s, std::string* out);

}  // namespace scour::tokenizer

#endif  // SCOUR_TOKENIZER_NORMALIZER_H_
