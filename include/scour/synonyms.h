// SynonymSet: a synonyms file in Solr's format (docs/SYNONYMS.md), parsed and analysed with an
// index's analyser into rules over analysed terms. An index keeps one (IndexWriter::SetSynonyms,
// IndexReader::synonyms) and the Searcher applies it to every query; SearchOptions can name
// another. Immutable once made: share it between threads.
#ifndef SCOUR_SYNONYMS_H_
#define SCOUR_SYNONYMS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "scour/analyzer.h"
#include "scour/export.h"

namespace scour {

// One term of an analysed entry, at its position relative to the entry's first term (0). The
// positions increase; a step of more than 1 is a word the analyser dropped (a stopword).
struct SynonymTerm {
  std::string term;
  uint32_t position = 0;
  bool operator==(const SynonymTerm&) const = default;
};
using SynonymEntry = std::vector<SynonymTerm>;  // 1 to kMaxSynonymTerms terms

inline constexpr size_t kMaxSynonymTerms = 64;

// A query span matching `input` is replaced by its alternatives: `input` itself when
// keep_original, then `outputs` (distinct, none equal to the input, in the file's order).
struct SynonymRule {
  SynonymEntry input;
  bool keep_original = false;
  std::vector<SynonymEntry> outputs;  // at least one
};

struct SynonymParseOptions {
  // Equivalences (`a, b, c`) map every entry to every other (Solr's expand=true); false: to the
  // first entry only.
  bool expand = true;
};

class SCOUR_EXPORT SynonymSet {
 public:
  // Parses `text` (Solr's format) and analyses every entry with `analyzer`. Errors are
  // InvalidArgument "<source_name>:<line>: <what was wrong>".
  static absl::StatusOr<std::shared_ptr<const SynonymSet>> Parse(
      std::string_view text, const AnalyzerOptions& analyzer,
      std::string_view source_name = "synonyms", const SynonymParseOptions& options = {});
  // Parse of the file at `path` (source_name = path). NotFound if it cannot be read.
  static absl::StatusOr<std::shared_ptr<const SynonymSet>> ReadFile(
      const std::string& path, const AnalyzerOptions& analyzer,
      const SynonymParseOptions& options = {});
  // A set from rules already analysed (as the index stores them). InvalidArgument unless the
  // rules are sorted by input (SynonymEntryLess), inputs distinct, and each rule well formed.
  static absl::StatusOr<std::shared_ptr<const SynonymSet>> FromRules(
      std::vector<SynonymRule> rules, std::string source_name, std::string source_text,
      const AnalyzerOptions& analyzer, bool expand);

  ~SynonymSet();

  const std::string& source_name() const;
  const std::string& source_text() const;  // the file as parsed, byte for byte
  const AnalyzerOptions& analyzer_options() const;
  bool expand() const;
  const std::vector<SynonymRule>& rules() const;  // sorted by input

  // The rule whose input is the longest that matches the start of `terms` (with `positions`,
  // the terms' positions: the input's gaps must be the same), or nullptr.
  const SynonymRule* LongestMatch(std::span<const std::string_view> terms,
                                  std::span<const uint32_t> positions) const;
  size_t max_input_terms() const;

 private:
  struct Impl;
  explicit SynonymSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The order of rule inputs: term by term, each compared bytewise, then positions; a prefix first.
SCOUR_EXPORT bool SynonymEntryLess(const SynonymEntry& a, const SynonymEntry& b);

// "chines communist parti" (a gap shows as "?", as in phrases).
SCOUR_EXPORT std::string SynonymEntryText(const SynonymEntry& entry);

}  // namespace scour

#endif  // SCOUR_SYNONYMS_H_
