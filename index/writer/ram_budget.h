// How the writer's RAM budget (IndexWriterOptions::ram_budget_mb) is shared: the builders'
// in-memory segments, the batches in flight, and what the session keeps of its ids (deleted ids,
// the session filter: session_filter.h), which is taken out of the builders' share as it grows.
#ifndef SCOUR_INDEX_WRITER_RAM_BUDGET_H_
#define SCOUR_INDEX_WRITER_RAM_BUDGET_H_

#include <cstddef>

namespace scour::index {

struct RamBudget {
  size_t builders = 0;  // bytes for all the builders together
  size_t batches = 0;   // bytes the batches alive at once may keep when recycled
};

// The budget bounds the process (peak RSS), so the builders get 80% of what is left after the
// fixed overhead (code, ICU data, the input window: ~12 MB resident in a one-thread build of a
// small file, up to ~16 MB with the input window of a large one); batches in flight and flush
// temporaries take the rest, half each. Under 64 MB, a quarter of the budget would be below
// what the process keeps resident anyway: the overhead is at least 12 MB then (or half the
// budget, for budgets under 24 MB).
RamBudget SplitRamBudget(size_t ram_budget_mb);

// Each of `slots` builders' share of `builders` bytes after `reserved` bytes (the session's ids),
// but at least 4 MB (or its full share, if smaller): reserved bytes that outgrow the budget make
// segments smaller, never tiny (tiny segments cost far more in merging than they save).
size_t BuilderBudget(size_t builders, size_t reserved, size_t slots);

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_RAM_BUDGET_H_
