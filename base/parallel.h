// ParallelFor: the one pool that spreads independent items (queries) over threads, for
// Searcher::SearchBatch, `scour search --queries`, `eval --index`, `compare` and `bench`.
// Each thread takes the next unclaimed item (queries differ a lot in cost, so no static split);
// the calling thread works too. Results are the caller's business: write item i's result to
// slot i and the output does not depend on the number of threads or on the schedule.
#ifndef SCOUR_BASE_PARALLEL_H_
#define SCOUR_BASE_PARALLEL_H_

#include <cstddef>

#include "absl/functional/function_ref.h"

namespace scour {

// The number of threads `threads` asks for: itself when > 0, else one per core (at least 1).
int ResolveThreads(int threads);

// How many workers ParallelFor(n, threads, ...) starts at most: min(ResolveThreads(threads), n),
// at least 1. Size per-worker state with it.
int ParallelWorkers(size_t n, int threads);

// Calls fn(worker, i) exactly once for every i in [0, n), on up to ParallelWorkers(n, threads)
// threads, the calling thread included as worker 0; worker ids are dense from 0, and one worker
// never runs two calls at once. Returns when every call has returned. If the system refuses a
// thread, the threads already running (the caller at least) do the rest. `fn` must not throw.
void ParallelFor(size_t n, int threads, absl::FunctionRef<void(int worker, size_t i)> fn);

}  // namespace scour

#endif  // SCOUR_BASE_PARALLEL_H_
