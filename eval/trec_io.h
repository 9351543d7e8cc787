// Readers for TREC evaluation files: qrels (`qid iter docid rel`), runs (`qid Q0 docid rank score
// tag`) and topics (`qid<TAB>query` lines or TREC `<top>` blocks). Errors name `source:line`.
// Pure functions over immutable inputs; the returned values are plain data, safe to share
// across threads once built.
#ifndef SCOUR_EVAL_TREC_IO_H_
#define SCOUR_EVAL_TREC_IO_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace scour::eval {

// One judgment. A negative `rel` means "in the pool but unjudged" (trec_eval's convention).
struct Judgment {
  std::string docid;
  int32_t rel = 0;
  uint32_t line = 0;  // 1-based line in the source file (0 when built in memory)
};

struct QrelsQuery {
  std::string qid;
  std::vector<Judgment> judgments;  // sorted by docid (bytewise); duplicates are kept
};

struct Qrels {
  std::string source;               // file name used in error messages
  std::vector<QrelsQuery> queries;  // sorted by qid (bytewise)
  // Binary search by qid; nullptr when absent.
  const QrelsQuery* Find(std::string_view qid) const;
};

// One retrieved document. The rank column of a run file is ignored, as in trec_eval: ranks
// come from sorting by score (see Evaluate in metrics.h).
struct RunEntry {
  std::string docid;
  double score = 0;
  uint32_t line = 0;
};

struct RunQuery {
  std::string qid;
  std::vector<RunEntry> entries;  // file order
};

struct Run {
  std::string source;
  std::string tag;                // run tag of the last line (what trec_eval reports)
  std::vector<RunQuery> queries;  // sorted by qid (bytewise)
  const RunQuery* Find(std::string_view qid) const;
};

struct Topic {
  std::string qid;
  std::string title;  // the query text: `query` of a TSV line, or the <title> of a TREC topic
  std::string description;
  std::string narrative;
  uint32_t line = 0;
};

// Blank lines and lines whose first non-blank character is '#' are skipped. A qrels line has
// exactly four whitespace-separated fields and an integer relevance; a run line has at least six
// fields (extra ones are ignored) and a finite numeric score.
absl::StatusOr<Qrels> ParseQrels(std::string_view text, std::string_view source);
absl::StatusOr<Run> ParseRun(std::string_view text, std::string_view source);
// Detects the format: TREC topic files start (after blanks) with '<'; otherwise each non-blank,
// non-'#' line is `qid<TAB>query`. Topics keep file order; a repeated qid is an error.
absl::StatusOr<std::vector<Topic>> ParseTopics(std::string_view text, std::string_view source);

absl::StatusOr<Qrels> ReadQrelsFile(const std::string& path);
absl::StatusOr<Run> ReadRunFile(const std::string& path);
absl::StatusOr<std::vector<Topic>> ReadTopicsFile(const std::string& path);

// Reads a whole file; the error names the path.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_TREC_IO_H_
