// IndexWriter: adds, replaces and deletes documents in an on-disk index and commits them.
// One writer per index at a time (a lock file; a second writer gets FailedPrecondition
// "index is locked"). Methods must be called from one thread. Indexing runs on `threads`
// threads: the calling thread and `threads` - 1 workers; AddDocument queues a batch of
// documents for a worker, or inverts it on the calling thread when the workers are behind.
// Nothing is visible to readers until Commit() returns OK; a failed or abandoned session
// leaves the index exactly as at its last commit.
#ifndef SCOUR_INDEX_WRITER_H_
#define SCOUR_INDEX_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/analyzer.h"
#include "scour/document.h"
#include "scour/export.h"
#include "scour/synonyms.h"

namespace scour {

struct IndexWriterOptions {
  // Analysis for a NEW index. An existing index keeps the analyzer it was created with; asking
  // for a different one is an InvalidArgument error (its terms would not match).
  AnalyzerOptions analyzer;
  bool analyzer_explicit = false;  // true: check `analyzer` against an existing index
  size_t ram_budget_mb = 256;      // in-memory inversion budget; a segment is flushed at it
  int threads = 0;                 // inverting threads, the calling thread included; 0 = all cores
  bool create_if_missing = true;
  bool auto_merge = true;    // run the tiered merge policy after each commit
  size_t merge_factor = 10;  // segments of a similar size merged together
  // AddDocument of an id already added since the last commit fails with AlreadyExists instead
  // of replacing it (`scour index` treats a repeated id within one run as bad input).
  bool reject_duplicate_ids = false;
  // Also store each document's terms and frequencies per field (.tvec, docs/format/README.md),
  // read by pseudo-relevance feedback instead of re-analysing stored text (docs/FEEDBACK.md).
  // Merges keep them when every merged segment has them.
  bool term_vectors = false;
};

// Document reordering at a forced merge (docs/cli/merge.md, "Reordering"): recursive graph
// bisection of the merged documents over their frequent terms, for smaller postings.
struct ReorderOptions {
  int iterations = 3;             // swap rounds per split, 1-100
  uint32_t min_doc_freq = 1024;   // terms in fewer documents are left out, >= 2
  uint32_t min_partition = 1024;  // ranges of at most this many documents are not split, >= 2
};

struct ForceMergeOptions {
  size_t max_segments = 1;  // 0 is taken as 1
  // Merge every segment into one whose documents are in BP order (also a one-segment index);
  // max_segments must then be 1. The result is an ordinary segment.
  bool reorder = false;
  ReorderOptions reorder_options;
};

struct IndexWriterStats {
  uint64_t docs_added = 0;  // since open
  uint64_t deletes_requested = 0;
  uint64_t segments_flushed = 0;
  uint64_t bytes_indexed = 0;  // text bytes of indexed fields
  // The last reordering merge: the terms and postings of its graph, and its CPU seconds
  // (building the graph and bisecting, not writing the segment).
  uint64_t reorder_terms = 0;
  uint64_t reorder_postings = 0;
  double reorder_seconds = 0;
};

class SCOUR_EXPORT IndexWriter {
 public:
  static absl::StatusOr<std::unique_ptr<IndexWriter>> Open(const std::string& path,
                                                           const IndexWriterOptions& options = {});
  ~IndexWriter();  // rolls back what was not committed

  // Adds a document; a document with the same id (committed or added earlier in this session)
  // is replaced. Errors: InvalidArgument for an empty id, a field named "_id", invalid UTF-8;
  // AlreadyExists for a repeated id when IndexWriterOptions::reject_duplicate_ids.
  absl::Status AddDocument(const Document& doc);
  absl::Status AddDocument(Document&& doc);
  // As AddDocument(std::move(*doc)), but leaves in *doc the buffers of a document added earlier
  // (its id, fields and values hold arbitrary content, to be overwritten): a loop that fills one
  // Document and adds it then allocates nothing per document once the writer is warm. After an
  // error *doc is unchanged.
  absl::Status AddDocumentRecycling(Document* doc);
  // Deletes the document with this id if there is one (committed or added in this session).
  absl::Status DeleteDocument(std::string_view id);
  // Makes `synonyms` the index's synonyms at the next Commit (nullptr: none), replacing the
  // current set atomically with the rest of the commit (docs/SYNONYMS.md). InvalidArgument if
  // the set was analysed with another analyser than the index's.
  absl::Status SetSynonyms(std::shared_ptr<const SynonymSet> synonyms);

  // Makes everything since the last commit durable and visible, atomically. Then, with
  // IndexWriterOptions::auto_merge, runs the merge policy; a merge that fails leaves the commit
  // as it is (OK is returned) and is kept as background_error().
  absl::Status Commit();
  // Discards everything since the last commit.
  absl::Status Rollback();
  // Merges segments until at most max_segments remain (deletions are purged), then commits.
  absl::Status ForceMerge(size_t max_segments);
  // The same with options; InvalidArgument for a ReorderOptions value out of range or
  // reorder with max_segments > 1 (nothing is merged then).
  absl::Status ForceMerge(const ForceMergeOptions& options);

  IndexWriterStats stats() const;

  // The error of the last automatic merge (run by Commit after its commit is durable), or OK.
  // A failed merge changes nothing readers see; the next Commit retries it, and a merge that
  // succeeds (or a ForceMerge that does) clears this. The first call after the failure
  // (AddDocument, AddDocumentRecycling, DeleteDocument, Commit or ForceMerge) also returns it,
  // once, without doing anything else, so a caller that only checks return values learns of it; the
  // call after that works again.
  absl::Status background_error() const;

 private:
  friend class InternalAccess;  // the library's own modules (not part of the API)
  struct Impl;
  explicit IndexWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace scour

#endif  // SCOUR_INDEX_WRITER_H_
