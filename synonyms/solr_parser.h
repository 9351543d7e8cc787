// Solr's synonyms file format (docs/SYNONYMS.md, "The synonyms file") to rules over analysed
// terms: comments, equivalences (`a, b, c`), explicit mappings (`a, b => c`), backslash
// escapes; every entry analysed with the given Analyzer. Rules for the same input are merged.
// Errors are InvalidArgument "<source>:<line>: <what>", and nothing is returned with them.
#ifndef SCOUR_SYNONYMS_SOLR_PARSER_H_
#define SCOUR_SYNONYMS_SOLR_PARSER_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "scour/analyzer.h"
#include "scour/synonyms.h"

namespace scour::synonyms {

// The rules of `text`, sorted by input (SynonymEntryLess), inputs distinct.
absl::StatusOr<std::vector<SynonymRule>> ParseSolrSynonyms(std::string_view text,
                                                           std::string_view source_name,
                                                           Analyzer* analyzer, bool expand);

}  // namespace scour::synonyms

#endif  // SCOUR_SYNONYMS_SOLR_PARSER_H_
