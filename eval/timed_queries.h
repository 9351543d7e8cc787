// Times parsed queries (`scour bench`): warm-up, then timed passes over the log, the queries
// spread over threads sharing the index snapshot. A query is timed whole from its parsed tree:
// binding it to the index (BuildPlan: its terms' statistics, the scorers) and executing it
// (and bm25tp's re-ranking), as the Lucene harness times `IndexSearcher.search` of a built
// Query (createWeight: term lookups, statistics, scorers; then the search). TimeQueries times
// the execution of plans built beforehand (`scour bench --execute-only`).
//
// Latency with N threads: each execution is timed on the thread that ran it, from the start of
// its execution to its top-k, so it includes what the other threads cost it (shared caches,
// memory bandwidth, preemption when there are more threads than cores) but not the time the
// query waited for a free thread; throughput is executions / wall time of the timed passes,
// all threads together.
#ifndef SCOUR_EVAL_TIMED_QUERIES_H_
#define SCOUR_EVAL_TIMED_QUERIES_H_

#include <cstddef>
#include <span>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "engine/execute.h"
#include "engine/plan.h"
#include "engine/ranker.h"
#include "index/commit/reader_impl.h"

namespace scour::eval {

struct TimingOptions {
  size_t k = 10;
  int reps = 5;              // timed passes over the queries
  double warmup_secs = 2.0;  // untimed whole passes until this much time has passed (>= 1 pass)
  int threads = 1;           // 0 = one per core
  bool count = false;        // time the exact count alone (Execute with k = 0), not a top k
};

struct Timings {
  // us[r * n + i]: the execution of query i in timed pass r, microseconds.
  std::vector<double> us;
  std::vector<engine::ExecResult> last;  // each query's results in the last timed pass
  double wall_secs = 0;                  // wall time of the timed passes
  double cpu_secs = 0;                   // user + system CPU of the process meanwhile
  int threads = 1;                       // threads that ran them
  int warmup_passes = 0;
};

// The timing loop of TimeQueries for any per-query call (an index set's whole query: `scour
// bench` on a set): `run(i, keep)` runs query i; `keep` is true in the last timed pass, when it
// should store its results. Timings::last stays empty. Errors: the first failing query's.
absl::StatusOr<Timings> TimeCalls(size_t n, const TimingOptions& options,
                                  absl::FunctionRef<absl::Status(size_t i, bool keep)> run);

// Each call: BuildPlan(*queries[i], index, plan_options), then Execute. Errors: the first
// failing query in query order (a corrupt index; a query that does not bind).
absl::StatusOr<Timings> TimeWholeQueries(const index::Snapshot& index,
                                         std::span<const engine::QueryNode* const> queries,
                                         const engine::PlanOptions& plan_options,
                                         const engine::RankerParams& ranker,
                                         const TimingOptions& options);

// Errors: the first failing execution in query order (a corrupt index).
absl::StatusOr<Timings> TimeQueries(const index::Snapshot& index,
                                    std::span<const engine::PlanNode* const> plans,
                                    const engine::RankerParams& ranker,
                                    const TimingOptions& options);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_TIMED_QUERIES_H_
