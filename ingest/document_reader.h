// Reads documents from input files in the formats `scour index` accepts (docs/INGEST.md).
// A reader yields one document at a time; bad input is an error naming file:line (or byte
// offset) and what was wrong. Not thread-safe; independent readers may run on separate threads.
#ifndef SCOUR_INGEST_DOCUMENT_READER_H_
#define SCOUR_INGEST_DOCUMENT_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/document.h"

namespace scour::ingest {

enum class Format { kAuto, kJsonl, kTsv, kText, kParagraphs };

// Parses "auto", "jsonl", "tsv", "text", "paragraphs".
absl::StatusOr<Format> ParseFormat(std::string_view name);
std::string_view FormatName(Format format);

// The format `auto` picks for a file by its extension (case-insensitive): .jsonl .ndjson .json ->
// jsonl, .tsv -> tsv, .html .htm .md .markdown -> paragraphs, anything else -> text.
Format FormatForPath(std::string_view path);
// The format `auto` picks by content (stdin): first non-blank byte '{' -> jsonl, else text.
Format FormatForContent(std::string_view content);

struct ReaderOptions {
  Format format = Format::kAuto;
  std::string id_field = "id";
  // Text fields to index; empty = every string field except the id (JSONL) or every column
  // except the id (TSV). Text and paragraphs formats always produce one field, "text".
  std::vector<std::string> fields;
  // Fields to store; empty = all fields (the id is always kept).
  std::optional<std::vector<std::string>> store;
};

// Where a record came from, for error messages: "FILE:LINE" or "FILE#N".
struct RecordOrigin {
  std::string file;
  uint64_t line = 0;  // 1-based; 0 when not line-based
};

class DocumentReader {
 public:
  virtual ~DocumentReader() = default;
  // Next document (fields replace *doc's; after an error *doc holds unspecified values). Returns:
  //   - a document (true),
  //   - end of input (false),
  //   - an error status (InvalidArgument for bad records, with "file:line: what" as message).
  // After a record error the reader can continue with the next record (for --skip-bad);
  // after an I/O error it cannot.
  virtual absl::StatusOr<bool> Next(Document* doc) = 0;
  virtual RecordOrigin origin() const = 0;  // of the record last returned (or failed)
  // Input bytes consumed so far and total (0 when unknown, e.g. stdin), for progress.
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t bytes_total() const = 0;
};

// Opens one input path: a file, a directory (walked recursively in sorted order, each file's
// format detected on its own when format is kAuto), or "-" for stdin.
// Missing or unreadable paths are NotFound / PermissionDenied naming the path; a bad option
// (empty id_field) is InvalidArgument.
absl::StatusOr<std::unique_ptr<DocumentReader>> OpenReader(const std::string& path,
                                                           const ReaderOptions& options);

// Reads `data` (which must outlive the reader) as if it were a file called `display_name`:
// errors and text/paragraph ids use that name. Under kAuto the format comes from the name's
// extension when it is one of those listed at FormatForPath, else from the content.
absl::StatusOr<std::unique_ptr<DocumentReader>> OpenBufferReader(std::string_view data,
                                                                 std::string display_name,
                                                                 const ReaderOptions& options);

}  // namespace scour::ingest

#endif  // SCOUR_INGEST_DOCUMENT_READER_H_
