// Many shards searched as one index (docs/DISTRIBUTED.md). The protocol is plain data: each round
// is a function from values to values, so any transport can carry it (threads in one process:
// ShardedSearcher below; Dask: python -m scour.dask). Scores and ids equal one index holding the
// same documents (ties: global id ascending).
//   round 0  GetShardInfo per shard -> MergeShardInfo          (once per set of snapshots)
//   round 1  QueryTerms -> ShardTermStatistics per shard -> AddTermStatistics
//   round 2  ShardSearch per shard -> MergeResults
//   round 3  stored fields / snippets of the final k (ShardedSearcher::Search)
#ifndef SCOUR_DISTRIBUTED_H_
#define SCOUR_DISTRIBUTED_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/analyzer.h"
#include "scour/export.h"
#include "scour/index_reader.h"
#include "scour/searcher.h"
#include "scour/statistics.h"
#include "scour/synonyms.h"

namespace scour {

// Round 0: what a shard snapshot tells the coordinator once.
struct ShardInfo {
  uint64_t generation = 0;  // the shard's commit: the snapshot the later rounds must search
  uint64_t max_doc = 0;     // including deleted documents not yet merged away
  uint64_t num_docs = 0;    // live documents
  AnalyzerOptions analyzer;
  std::vector<FieldStatistics> fields;  // by name, in the shard's field order
};

// The statistics of the whole collection, and how global ids map to shards.
struct CollectionStatistics {
  AnalyzerOptions analyzer;
  uint64_t max_doc = 0;
  uint64_t num_docs = 0;
  std::vector<FieldStatistics> fields;  // union over shards, first-seen order, counters summed
  std::vector<uint64_t> bases;          // global id of shard i's local doc 0
  std::vector<uint64_t> generations;    // each shard's generation (checked in round 2)
  std::vector<TermStatistics> terms;    // sorted by (field, term); filled by round 1
};

SCOUR_EXPORT ShardInfo GetShardInfo(const IndexReader& shard);
// InvalidArgument when the shards' analyzers differ, or there are none.
SCOUR_EXPORT absl::StatusOr<CollectionStatistics> MergeShardInfo(
    const std::vector<ShardInfo>& shards);

// Synonyms over a set: rounds 1 and 2 use SearchOptions::synonyms only (with use_synonyms), never
// a shard's own stored set, so every shard expands a query alike; ShardedSearcher passes the
// set's (its shards' stored set, which must be the same on every shard).
//
// Round 1 request: every (field, analysed term) that a clause of any of `queries` scores
// (phrase terms and synonym alternatives included), sorted by (field, term), counts 0. Queries
// that do not parse are skipped (round 2 reports their errors).
SCOUR_EXPORT absl::StatusOr<std::vector<TermStatistics>> QueryTerms(
    const std::vector<std::string>& queries, const SearchOptions& options,
    const CollectionStatistics& collection);
// Round 1 answer of one shard: `request` with its counts.
SCOUR_EXPORT std::vector<TermStatistics> ShardTermStatistics(
    const IndexReader& shard, const std::vector<TermStatistics>& request);
// Sums one shard's answer into collection->terms (set to the request's terms on the first
// call). InvalidArgument when the answer's terms are not the request's.
SCOUR_EXPORT absl::Status AddTermStatistics(const std::vector<TermStatistics>& answer,
                                            CollectionStatistics* collection);

// Round 2's answer of one shard. `hits.docs` are global ids, `hits.scores` final scores. For a
// re-ranking model (bm25tp: BM25, then a proximity bonus on the BM25 top RerankDepth(k)) the
// shard returns its BM25 top RerankDepth(k) re-scored, and `first_stage` holds each row's BM25
// score, by which the merge picks the collection's candidates; empty for other models.
struct ShardResults {
  BatchResults hits;
  std::vector<float> first_stage;
};

// Round 2: shard `shard_index`'s top k per query, scored with the collection's statistics
// (SearchOptions::statistics, scour/similarity.h). FailedPrecondition when the reader is not the
// snapshot of round 0; per-query errors (syntax, a term round 1 missed) are in hits.errors.
SCOUR_EXPORT absl::StatusOr<ShardResults> ShardSearch(const IndexReader& shard, size_t shard_index,
                                                      const std::vector<std::string>& queries,
                                                      const SearchOptions& options,
                                                      const CollectionStatistics& collection,
                                                      int threads = 1);
// Per query: the shards' hits by score descending then global id ascending, cut at k (with
// first_stage: the best RerankDepth(k) by first-stage score first, as one index re-ranks);
// total_hits summed when `count` (the shards counted exactly: SearchOptions::count), else the
// hits kept; the first shard's error kept. InvalidArgument when the batches differ in their
// number of queries. `k` is SearchOptions::k capped at the collection's max_doc (at least 1).
SCOUR_EXPORT absl::StatusOr<BatchResults> MergeResults(const std::vector<ShardResults>& shards,
                                                       size_t k, bool count = false);

// The protocol over shards opened in this process: the reference the distributed route is tested
// against. Thread-safe after Open.
class SCOUR_EXPORT ShardedSearcher {
 public:
  // An index set directory (with an INDEXSET manifest), or one plain index (a set of one).
  static absl::StatusOr<std::unique_ptr<ShardedSearcher>> Open(
      const std::string& path, const IndexReaderOptions& options = {});
  // Shards given by path, in global-id order.
  static absl::StatusOr<std::unique_ptr<ShardedSearcher>> Open(
      const std::vector<std::string>& shard_paths, const IndexReaderOptions& options = {});
  // Shards already open (one snapshot each), in global-id order.
  static absl::StatusOr<std::unique_ptr<ShardedSearcher>> Create(
      std::vector<std::shared_ptr<const IndexReader>> shards);
  ~ShardedSearcher();

  // As Searcher::Search; Hit::doc is a global id. InvalidArgument for `explain`. The shards
  // are searched one after another on the calling thread (callers run queries in parallel).
  absl::StatusOr<SearchResults> Search(std::string_view query, const SearchOptions& options) const;
  // As Searcher::SearchBatch (docs are global ids), the shards searched on `threads` threads.
  BatchResults SearchBatch(const std::vector<std::string>& queries, const SearchOptions& options,
                           int threads = 0) const;

  size_t num_shards() const;
  const IndexReader& shard(size_t i) const;
  std::shared_ptr<const IndexReader> shard_reader(size_t i) const;
  const CollectionStatistics& collection() const;  // round 0's result (terms empty)
  // The set's synonyms (its shards' stored set; nullptr: none), used unless SearchOptions
  // supplies its own or turns them off.
  const std::shared_ptr<const SynonymSet>& synonyms() const;
  // External id / stored fields of global id `doc`.
  absl::StatusOr<std::string_view> ExternalId(uint64_t doc) const;
  absl::StatusOr<StoredDocument> Document(uint64_t doc) const;

 private:
  struct Impl;
  explicit ShardedSearcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The paths of an index set's shards, in global-id order (NotFound: no INDEXSET there; DataLoss
// etc. for a bad one, with the byte offset).
SCOUR_EXPORT absl::StatusOr<std::vector<std::string>> IndexSetShardPaths(const std::string& path);
// The shard (0 <= result < num_shards) a document with this id is routed to: FNV-1a 64 of the
// id's bytes modulo num_shards (docs/format/index-set.md). REQUIRES num_shards >= 1.
SCOUR_EXPORT uint32_t ShardOfId(std::string_view id, uint32_t num_shards);
// Writes `path`/INDEXSET listing `shard_names` (directories under `path`, in global-id order),
// atomically (a temporary file renamed over it). For a set whose shards were written elsewhere
// (python -m scour.dask build); `scour index --shards` writes it itself.
SCOUR_EXPORT absl::Status WriteIndexSetManifest(const std::string& path,
                                                const std::vector<std::string>& shard_names);

}  // namespace scour

#endif  // SCOUR_DISTRIBUTED_H_
