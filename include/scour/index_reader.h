// IndexReader: a consistent, read-only snapshot of an index as of one commit. Later commits are
// not seen (open a new reader for them); files the snapshot uses stay readable until it is
// destroyed even if a writer merges them away. Thread-safe: share it between searching threads.
#ifndef SCOUR_INDEX_READER_H_
#define SCOUR_INDEX_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/analyzer.h"
#include "scour/export.h"
#include "scour/statistics.h"
#include "scour/synonyms.h"

namespace scour {

struct IndexReaderOptions {
  // Check the CRC-32C of every file while opening (O(index size)); otherwise only the frames
  // (magic, version, length) of the large files and the CRC of the small ones (O(segments)).
  bool verify_checksums = false;
};

struct SCOUR_EXPORT StoredDocument {
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;  // name, value (stored fields only)
  // Value of field `name`, or nullptr.
  const std::string* Get(std::string_view name) const;
};

class SCOUR_EXPORT IndexReader {
 public:
  // NotFound if `path` holds no index; DataLoss for a corrupt one.
  static absl::StatusOr<std::shared_ptr<IndexReader>> Open(const std::string& path,
                                                           const IndexReaderOptions& options = {});
  ~IndexReader();

  uint64_t generation() const;  // the commit this snapshot shows
  uint64_t num_docs() const;    // live documents
  uint64_t max_doc() const;     // documents including deleted ones not yet merged away
  uint64_t num_deleted() const;
  size_t num_segments() const;
  std::vector<std::string> field_names() const;           // indexed or stored fields, without "_id"
  std::vector<FieldStatistics> field_statistics() const;  // in field_names() order
  // Statistics of the analysed `term` in `field` (zero counts for a term the field lacks);
  // InvalidArgument for an unknown field. A term is analysed text: "running" is indexed as "run"
  // in English (analyse it with an Analyzer made from analyzer_options()).
  absl::StatusOr<TermStatistics> term_statistics(std::string_view field,
                                                 std::string_view term) const;
  AnalyzerOptions analyzer_options() const;
  // The synonyms stored with the index (IndexWriter::SetSynonyms; docs/SYNONYMS.md), which the
  // Searcher applies to queries; nullptr when it has none.
  std::shared_ptr<const SynonymSet> synonyms() const;

  // Stored fields of the document with internal id `doc` (0 <= doc < max_doc()).
  absl::StatusOr<StoredDocument> Document(uint64_t doc) const;
  // Internal id of the live document with external id `id` (NotFound if none).
  absl::StatusOr<uint64_t> Find(std::string_view id) const;
  // External id of the document with internal id `doc` (0 <= doc < max_doc(), deleted ones
  // included), without reading its stored fields: the first call on a segment makes a table of
  // its ids from the index's id terms (about 12 bytes per document plus the ids), kept for the
  // life of this snapshot. The view is valid as long as this reader. Thread-safe.
  absl::StatusOr<std::string_view> ExternalId(uint64_t doc) const;

 private:
  friend class InternalAccess;  // the library's own modules (not part of the API)
  struct Impl;
  explicit IndexReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace scour

#endif  // SCOUR_INDEX_READER_H_
