// Parses the query language of docs/QUERY.md into a QueryNode tree. Syntax errors come back as a
// value (QueryError: message, 1-based column in characters, byte offset), never as exceptions.
// ParseQuery is reentrant; it calls `analyze` on the calling thread only (an Analyzer is per
// thread).
#ifndef SCOUR_ENGINE_QUERY_PARSER_H_
#define SCOUR_ENGINE_QUERY_PARSER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "engine/query_ast.h"
#include "scour/analyzer.h"

namespace scour::engine {

// Appends the analysed terms of `text` with their positions (any origin; the parser makes them
// relative). A non-OK status aborts the parse and is reported as a QueryError at that word.
using QueryAnalyzeFn = std::function<absl::Status(
    std::string_view text, std::vector<std::pair<std::string, uint32_t>>* terms)>;

inline constexpr uint32_t kDefaultMaxQueryDepth = 256;
// max_depth is clamped to this: each level costs three stack frames (several KB each under
// AddressSanitizer), and 1024 levels overflowed an 8 MB stack there.
inline constexpr uint32_t kMaxQueryDepthLimit = 256;
inline constexpr uint32_t kDefaultMaxQueryClauses = 262144;
inline constexpr uint32_t kMaxPhraseSlop = 65535;

struct ParseOptions {
  bool default_and = false;                        // juxtaposition means AND instead of OR
  std::vector<std::string> fields;                 // if non-empty, `field:` must name one of these
  uint32_t max_depth = kDefaultMaxQueryDepth;      // parenthesis nesting
  uint32_t max_clauses = kDefaultMaxQueryClauses;  // Term/Phrase/Prefix leaves; 0 = no limit
};

struct QueryError {
  std::string message;  // without the position, e.g. "unclosed '(' (missing ')')"
  uint32_t column = 1;  // 1-based, in Unicode code points of the query
  uint32_t offset = 0;  // 0-based byte offset in the query
  absl::StatusCode code = absl::StatusCode::kInvalidArgument;  // callback errors keep theirs

  std::string ToString() const;   // "column 7: unclosed '(' (missing ')')"
  absl::Status ToStatus() const;  // `code` with "query: column 7: ..."
};

struct ParseResult {
  QueryPtr query;                   // set iff ok(); a MatchNone root when nothing is searchable
  std::optional<QueryError> error;  // set iff !ok()
  std::string note;                 // when query is MatchNone: why (for the user)

  bool ok() const { return !error.has_value(); }
};

ParseResult ParseQuery(std::string_view query, const QueryAnalyzeFn& analyze,
                       const ParseOptions& options = {});

// Plain text, as Anserini and Terrier read topic files: the analysed terms of `text`, without
// repeats (first occurrences, in order), each a Term on the default fields, OR-ed (all MUST with
// `default_and`). Nothing in the text is an operator, field, phrase or escape. A text that
// analyses to nothing gives a MatchNone root and a note; the errors are the analyser's and
// invalid UTF-8 / NUL bytes, as for ParseQuery.
ParseResult PlainTextQuery(std::string_view text, const QueryAnalyzeFn& analyze,
                           bool default_and = false);

// Two lines, each ending in '\n': the query (control characters as spaces; a window around the
// error if the query is long) and a caret under the error's column, aligned for a terminal.
std::string RenderQueryError(std::string_view query, const QueryError& error);

// The analysis callback for a scour::Analyzer (which must outlive the callback and, like any
// Analyzer, be used by one thread at a time).
inline QueryAnalyzeFn AnalyzeWith(scour::Analyzer* analyzer) {
  return [analyzer](std::string_view text,
                    std::vector<std::pair<std::string, uint32_t>>* terms) -> absl::Status {
    return analyzer->ForEachToken(
        text, [terms](std::string_view term, uint32_t position, uint32_t, uint32_t) {
          terms->emplace_back(std::string(term), position);
        });
  };
}

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_QUERY_PARSER_H_
