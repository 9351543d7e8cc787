// Batches: documents on their way from the reading thread to an inverting slot, and what a
// batch may keep of its documents' buffers when it is recycled (the writer's batch memory
// accounting). A batch belongs to one thread at a time.
#ifndef SCOUR_INDEX_WRITER_BATCH_H_
#define SCOUR_INDEX_WRITER_BATCH_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "scour/document.h"

namespace scour::index {

inline constexpr size_t kBatchDocs = 128;       // a batch is handed over at this many documents
inline constexpr size_t kBatchBytes = 1 << 20;  // or at this many bytes of field text
inline constexpr size_t kQueueDepth = 2;        // batches waiting per worker thread

struct PendingDoc {
  Document doc;
  std::vector<uint32_t> field_ids;
  uint64_t seq = 0;
  uint64_t id_hash = 0;  // with reject_duplicate_ids: the id's hash (session_filter.h)
};

// Documents on their way to a slot. A batch's documents and their buffers are recycled: the
// slot hands the inverted batch back, and the reading thread fills it again (`docs` keeps its
// elements; `size` is how many are in use), so a steady run neither allocates nor frees per
// document, nor frees on one thread what another allocated.
struct Batch {
  std::vector<PendingDoc> docs;
  size_t size = 0;
};

// An upper bound on the batches alive at once with `slots` inverting slots (the caller's
// among them): one being inverted per slot, kQueueDepth queued per worker thread, the pool of
// inverted ones (WorkerPool keeps kQueueDepth * workers + 2), the one being filled.
// Counting the caller's slot as a worker overstates it by a few batches, which only lowers
// the recycling allowance.
size_t MaxBatches(size_t slots);

// The bytes of string capacity a recycled batch may keep when `bytes` may go to batches in all:
// every document slot keeps the capacity of the largest document it held, so without a bound
// the batches alive at once would hold ~10 MB however small the budget.
size_t RecycledBatchBytes(size_t bytes, size_t slots);

// Readies an inverted batch for reuse: drops buffers beyond `allowance` bytes, so a run of
// large documents does not leave the pool holding their capacity.
void TrimForReuse(Batch* b, size_t allowance);

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_BATCH_H_
