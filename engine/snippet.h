// Search-result snippets: the window of a document's text (about max_bytes) that covers the most
// distinct query terms / phrases / prefixes, with the matches highlighted. Algorithm:
// docs/SNIPPETS.md. MakeSnippet is reentrant but uses `analyzer`, which is not thread-safe: one
// Analyzer per thread.
#ifndef SCOUR_ENGINE_SNIPPET_H_
#define SCOUR_ENGINE_SNIPPET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "scour/analyzer.h"

namespace scour::engine {

struct SnippetQuery {
  std::vector<std::string> terms;                 // analysed terms to highlight anywhere
  std::vector<std::vector<std::string>> phrases;  // analysed phrases (consecutive positions):
                                                  // highlighted as ONE span per occurrence, and
                                                  // windows with them are preferred
  std::vector<std::string> prefixes;              // case-folded prefixes (term starts with it)
};

struct SnippetOptions {
  size_t max_bytes = 220;           // target window size in bytes of the original text
  std::string open = "\x1b[1;31m";  // markers around a highlighted span (CLI passes ANSI on a tty,
  std::string close = "\x1b[0m";    //  "[" "]" or "" otherwise; JSON output uses `spans` instead)
  std::string ellipsis = "…";       // added where the window cuts text off at either end
};

struct Snippet {
  std::string text;  // the window with markers and ellipses; control bytes shown as spaces
  std::vector<std::pair<uint32_t, uint32_t>> spans;  // highlighted [start, end) byte ranges of
                                                     // the ORIGINAL text, inside the window,
                                                     // sorted, disjoint and non-adjacent
  uint32_t window_start = 0;  // [window_start, window_end): byte range of the original text shown
  uint32_t window_end = 0;
};

// `analyzer` must be the index's own analysis chain, so that query terms compare equal to the
// text's terms. Invalid UTF-8 in `text`: InvalidArgument (from the analyzer). Text over 4 GiB:
// InvalidArgument. Time O(text + m log m) for m matches.
absl::StatusOr<Snippet> MakeSnippet(scour::Analyzer* analyzer, std::string_view text,
                                    const SnippetQuery& q, const SnippetOptions& opts = {});

namespace snippet_internal {  // exposed for tests

struct Match {
  uint32_t start;
  uint32_t end;
  uint32_t unit;  // distinct query unit (< units): a term, a prefix or a phrase
};

// Among windows [L, L + width) with L a match start, the index of the first match at the start
// of the best one: most distinct units with a match wholly inside, then most such matches, then
// earliest. `matches` sorted by (start, end). matches.size() if no match fits in any window.
size_t BestWindow(const std::vector<Match>& matches, uint32_t units, uint64_t width);

}  // namespace snippet_internal

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_SNIPPET_H_
