// Acronyms a text defines inline, "Long Form (ABBR)" or "ABBR (Long Form)", found with the
// algorithm of Schwartz & Hearst, "A simple algorithm for identifying abbreviation definitions in
// biomedical text" (PSB 2003), as their reference implementation (ExtractAbbrev.java) does it,
// with the additions docs/SYNONYMS.md lists; and a miner that counts each pair's definitions and
// the occurrences of both forms over a corpus and writes a synonyms file to review.
#ifndef SCOUR_SYNONYMS_ACRONYMS_H_
#define SCOUR_SYNONYMS_ACRONYMS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "scour/analyzer.h"
#include "scour/synonyms.h"

namespace scour::synonyms {

struct AcronymDefinition {
  std::string short_form;  // "CCP"
  std::string long_form;   // "Chinese Communist Party"
};

// Every definition in `text` (UTF-8; invalid sequences count as non-letters), in text order.
// Paragraphs (blank-line separated) are searched separately, as the reference implementation
// does; within one, line breaks are spaces.
std::vector<AcronymDefinition> FindAcronymDefinitions(std::string_view text);

struct MinedForm {
  std::string text;    // the most frequent spelling seen in the definitions
  SynonymEntry terms;  // analysed
  uint64_t definitions = 0;
  uint64_t occurrences = 0;  // of the analysed terms, in the counted texts
  uint64_t texts = 0;        // texts holding it at least once
};

struct MinedAcronym {
  MinedForm short_form;
  std::vector<MinedForm> long_forms;  // most defined first; [0] is the one the rule uses
  uint64_t definitions = 0;           // of the short form, with any long form
};

// Two passes over the same texts: AddDefinitions on each, then CountOccurrences on each.
// Not thread-safe.
class AcronymMiner {
 public:
  static absl::StatusOr<std::unique_ptr<AcronymMiner>> Create(const AnalyzerOptions& analyzer);

  absl::Status AddDefinitions(std::string_view text);
  absl::Status CountOccurrences(std::string_view text);

  // Ranked by definitions, then occurrences of both forms, then short form.
  std::vector<MinedAcronym> Results() const;

  // A synonyms file (Solr format) with the counts in comments; `source` names what was read.
  static std::string FormatSynonymsFile(const std::vector<MinedAcronym>& acronyms,
                                        std::string_view source, uint64_t texts);

 private:
  explicit AcronymMiner(Analyzer analyzer) : analyzer_(std::move(analyzer)) {}
  absl::StatusOr<SynonymEntry> Analyse(std::string_view text);

  struct Form {
    SynonymEntry terms;
    std::map<std::string, uint64_t> spellings;  // spelling -> definitions
    uint64_t definitions = 0;
    uint64_t occurrences = 0, texts = 0, last_text = 0;
  };
  struct Group {                               // one short form
    size_t short_form;                         // index in forms_
    std::map<std::string, size_t> long_forms;  // analysed key -> index in forms_
  };
  size_t FormIndex(const SynonymEntry& terms);

  Analyzer analyzer_;
  std::vector<Form> forms_;
  std::map<std::string, size_t> form_by_key_;  // SynonymEntryText -> index in forms_
  std::map<std::string, Group> groups_;        // short form key -> its long forms
  absl::flat_hash_map<std::string, std::vector<size_t>> by_first_;  // first term -> forms
  std::map<std::pair<size_t, size_t>, uint64_t> pair_definitions_;  // (short, long) -> count
  uint64_t counted_texts_ = 0;
  std::vector<Token> tokens_;
};

}  // namespace scour::synonyms

#endif  // SCOUR_SYNONYMS_ACRONYMS_H_
