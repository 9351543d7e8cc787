// Query-time synonym expansion with graph semantics (docs/SYNONYMS.md, "Query time"): the
// parsed query's runs of term clauses and its phrases, matched left to right against a
// SynonymSet (longest input first, no overlap, outputs not expanded again), become groups of
// alternatives: the single-term ones one Synonym node (scored as one term), each multi-term one
// a phrase; a phrase containing a matched span becomes the OR of its variants, positions
// shifted by the length difference. Pure functions of their inputs, thread-safe.
#ifndef SCOUR_ENGINE_SYNONYM_EXPAND_H_
#define SCOUR_ENGINE_SYNONYM_EXPAND_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/query_ast.h"
#include "engine/query_parser.h"
#include "scour/synonyms.h"

namespace scour::engine {

// A phrase may expand to at most this many variants (else InvalidArgument naming it).
inline constexpr size_t kMaxPhraseVariants = 64;

struct Expanded {
  QueryPtr query;
  uint32_t spans = 0;  // query spans a rule matched
};

// The parsed query with synonyms applied. A run is a sequence of consecutive Term clauses of
// one Boolean with the same occur, field and boost (the parser's juxtaposed bare words), read
// as consecutive positions; a lone Term is a run of one.
absl::StatusOr<Expanded> ExpandSynonyms(const QueryNode& query, const SynonymSet& set);

// A plain-text query (PlainTextQuery's reading of a topic) with synonyms applied: `analysed`
// are its terms and positions; matched spans become groups, the other terms stay single; both
// de-duplicated (first occurrence), OR-ed (AND-ed with default_and) on the default fields.
Expanded PlainTextWithSynonyms(const std::vector<std::pair<std::string, uint32_t>>& analysed,
                               const SynonymSet& set, bool default_and);

// As the Searcher applies a set: `*query` was parsed from `text` (ParseQuery when
// `query_syntax`, else PlainTextQuery, whose terms `analyze` gives again); it is replaced by the
// expanded query when a rule matched, and left as parsed otherwise. Returns the spans matched.
absl::StatusOr<uint32_t> ApplySynonyms(const SynonymSet& set, std::string_view text,
                                       const QueryAnalyzeFn& analyze, bool query_syntax,
                                       bool default_and, QueryPtr* query);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_SYNONYM_EXPAND_H_
