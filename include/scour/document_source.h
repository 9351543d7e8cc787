// DocumentSource: documents from input files in the formats `scour index` reads
// (docs/INGEST.md): JSONL, TSV, plain text and paragraphs (text, Markdown, HTML split at blank
// lines or <p>), a directory (walked in sorted order), or "-" for stdin. Bad input is an error
// naming file:line and what was wrong. Not thread-safe; independent sources may run on
// separate threads.
#ifndef SCOUR_DOCUMENT_SOURCE_H_
#define SCOUR_DOCUMENT_SOURCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/document.h"
#include "scour/export.h"

namespace scour {

struct DocumentSourceOptions {
  std::string format = "auto";      // auto (by file extension), jsonl, tsv, text, paragraphs
  std::string id_field = "id";      // JSONL / TSV: the field holding the document id
  std::vector<std::string> fields;  // text fields to index; empty = every one
  std::optional<std::vector<std::string>> store;  // fields to store; unset = all
};

class SCOUR_EXPORT DocumentSource {
 public:
  // Opens `path` (a file, a directory or "-"). NotFound / PermissionDenied naming the path;
  // InvalidArgument for a bad option (an unknown format, an empty id_field).
  static absl::StatusOr<std::unique_ptr<DocumentSource>> Open(
      const std::string& path, const DocumentSourceOptions& options = {});
  ~DocumentSource();

  // The next document into *doc: true; false at the end of the input. A bad record is
  // InvalidArgument "file:line: what" and the next call goes on with the next record; any
  // other error (I/O) ends the source.
  absl::StatusOr<bool> Next(Document* doc);
  // "file:line" (or "file#N" where records are not lines) of the record last returned.
  std::string origin() const;
  uint64_t bytes_read() const;
  uint64_t bytes_total() const;  // 0 when unknown (stdin)

 private:
  struct Impl;
  explicit DocumentSource(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace scour

#endif  // SCOUR_DOCUMENT_SOURCE_H_
