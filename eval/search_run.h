// Runs evaluation topics against an index and returns a TREC run, for `scour eval --index` and
// `scour compare`. By default a topic is a bag of words, as the peers' harnesses treat it: the
// analysed terms, de-duplicated, OR-ed over the default fields (no query syntax, so "?", "-" or
// ":" in a topic mean nothing). Topics are spread over `SearchRunOptions::threads` threads
// sharing one Searcher; the run does not depend on the number of threads. One call at a time
// per TopicSearcher (it keeps the last call's per-topic figures).
#ifndef SCOUR_EVAL_SEARCH_RUN_H_
#define SCOUR_EVAL_SEARCH_RUN_H_

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/compare.h"
#include "eval/trec_io.h"
#include "scour/distributed.h"
#include "scour/index_reader.h"
#include "scour/searcher.h"

namespace scour::eval {

struct SearchRunOptions {
  size_t depth = 1000;        // hits kept per topic
  RankingOptions ranking;     // any ranker of ParseRanking, "bm25tp" included
  bool query_syntax = false;  // parse the topic text as the query language (docs/QUERY.md)
  std::string tag = "scour";  // run tag
  int threads = 0;            // topics searched at once (0 = one thread per core)
  // Also evaluate every topic with nothing pruned (engine/execute.h VerifyPruning); differences
  // are kept in TopicSearcher::pruning_differences().
  bool verify_pruning = false;
  // SearchOptions::use_synonyms / synonyms: the index's set unless off or replaced.
  bool use_synonyms = true;
  std::shared_ptr<const SynonymSet> synonyms;
};

class TopicSearcher {
 public:
  // An index, or an index set (searched as one index: docs/DISTRIBUTED.md).
  static absl::StatusOr<std::unique_ptr<TopicSearcher>> Open(const std::string& index_dir);
  explicit TopicSearcher(std::shared_ptr<const IndexReader> reader);
  explicit TopicSearcher(std::unique_ptr<ShardedSearcher> set);

  // One RunQuery per topic that has at least one hit (trec_eval then skips the others, as it
  // does for the peers' runs). Entries are in rank order with their final scores.
  // Errors: a bad ranking option or query (InvalidArgument), a corrupt index; the first failing
  // topic in topic order names the error, whatever the number of threads.
  absl::StatusOr<Run> Search(std::span<const Topic> topics, const SearchRunOptions& options);

  // Topics of the last Search that analysed to no term (bag-of-words mode) or had no hit.
  size_t empty_topics() const { return empty_topics_; }
  // Wall time of each topic of the last Search, topic order, in microseconds, measured on the
  // thread that ran it: analysis, planning, execution, re-ranking and the external ids.
  const std::vector<double>& topic_latency_us() const { return latency_us_; }
  const IndexReader& reader() const { return *reader_; }  // REQUIRES: not an index set
  // With SearchRunOptions::verify_pruning: "topic: differences" for each topic of the last Search
  // whose pruned and exhaustive results differ (none: empty).
  const std::vector<std::string>& pruning_differences() const { return pruning_differences_; }

 private:
  std::shared_ptr<const IndexReader> reader_;
  std::unique_ptr<ShardedSearcher> set_;  // an index set instead of reader_
  std::unique_ptr<Searcher> searcher_;    // created on first use
  size_t empty_topics_ = 0;
  std::vector<double> latency_us_;
  std::vector<std::string> pruning_differences_;
};

// Times systems over the same topics: `warmup_passes` untimed rounds, then `passes` timed
// rounds; each round runs every system's topics once (on the system's `threads`), the order of
// the systems rotated by one per round (so drift and cache effects do not always favour the
// same one). Summaries per system, from every timed topic execution: the latency of each topic
// as its thread measured it, and queries per second of wall time.
absl::StatusOr<std::vector<LatencySummary>> MeasureLatency(
    TopicSearcher& searcher, std::span<const Topic> topics,
    std::span<const SearchRunOptions> systems, int passes, int warmup_passes);

// TREC run lines "qid Q0 docid rank score tag", queries in `run` order, entries in vector order
// (ranks 1..n); scores printed with 9 significant digits, so floats read back exactly.
std::string FormatRun(const Run& run);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_SEARCH_RUN_H_
