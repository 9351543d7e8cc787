// The inverting threads of a writer session: N slots (a SegmentBuilder each) shared by the
// calling thread and N-1 worker threads, as Lucene's indexing threads share its per-thread
// document writers. Batches wait in one shared queue for whichever worker is free; when the
// queue is full the caller inverts the batch itself instead of waiting ("caller runs"). So N
// slots run on N threads, the reading (caller) thread among them: a reading thread beside N
// workers kept N+1 threads on N cores (involuntary context switches, every batch's documents
// handed across cores). A thread takes the free slot holding the fewest documents, so the slots
// stay level although the caller, which also parses, inverts fewer batches than a worker: the
// final flushes, run side by side, then take about as long each. Each slot flushes at its share
// of the RAM budget. With one slot there is no worker thread: a one-thread build runs on one
// thread.
//
// Threading: the public methods are called from the writer's (calling) thread only; the pool's
// own state is guarded by mu_; a slot's builder is touched only by the thread that took the slot
// (busy), or by anyone while the pool is idle.
#ifndef SCOUR_INDEX_WRITER_WORKER_POOL_H_
#define SCOUR_INDEX_WRITER_WORKER_POOL_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "base/mutex.h"
#include "index/directory/directory.h"
#include "index/inverter/segment_builder.h"
#include "index/segment/segment_reader.h"
#include "index/writer/batch.h"
#include "scour/analyzer.h"

namespace scour::index {

// A segment flushed in this session (not yet committed).
struct SessionSegment {
  SegmentRef ref;
  std::vector<uint64_t> seqs;  // sequence number of each local doc
};

class WorkerPool {
 public:
  // One slot per analyzer. `ram_budget`: bytes for all the builders together; `batch_bytes`:
  // what the batches alive at once may keep of their documents' buffers when recycled;
  // `next_segment` numbers the flushed segments.
  WorkerPool(Directory* dir, std::vector<Analyzer> analyzers, size_t ram_budget, size_t batch_bytes,
             std::atomic<uint64_t>* next_segment, bool term_vectors = false);
  ~WorkerPool();

  // Queues the batch for a worker, or inverts it on the calling thread when the queue is full
  // (kQueueDepth batches per worker: bounded memory in flight) or there is no worker. Returns a
  // batch to fill next (empty, but with its documents' buffers) when one is free.
  Batch Submit(Batch batch) ABSL_LOCKS_EXCLUDED(mu_);
  // Waits until every queued batch is inverted, then flushes every slot (the caller and the
  // workers side by side); returns the first error of the session.
  absl::Status FlushAndWait() ABSL_LOCKS_EXCLUDED(mu_);
  // REQUIRES: after FlushAndWait. Hands over the flushed segments.
  std::vector<SessionSegment> TakeSegments() ABSL_LOCKS_EXCLUDED(mu_);
  // Drops queued batches, the in-memory segments, flushed-but-uncommitted segment records and
  // the error state (after the batches in progress, if any, are done).
  void Discard() ABSL_LOCKS_EXCLUDED(mu_);
  bool failed() ABSL_LOCKS_EXCLUDED(mu_);
  // Memory the session holds outside the builders (its id table): taken from their budget.
  void SetReserved(size_t bytes) { reserved_.store(bytes, std::memory_order_relaxed); }

 private:
  // Owned by the thread that took it (busy_), or by anyone while the pool is idle.
  struct Slot {
    Slot(Analyzer a, size_t i) : builder(std::move(a)), index(i) {}
    SegmentBuilder builder;
    std::vector<uint64_t> seqs;        // sequence number of each doc in the builder
    std::vector<BuilderField> fields;  // scratch of Process
    const size_t index;                // in slots_
  };

  // The queue's bound: kQueueDepth batches per worker thread.
  size_t QueueLimit() const { return kQueueDepth * threads_.size(); }
  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // REQUIRES: a free slot. Marks the free slot with the fewest documents busy.
  Slot* TakeSlot() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // REQUIRES: a slot left to flush. Marks the next one busy.
  Slot* TakeFlush() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReleaseSlot(Slot* s, const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Loop() ABSL_LOCKS_EXCLUDED(mu_);
  // REQUIRES: the calling thread holds the slot.
  absl::Status Process(Slot* s, const Batch& batch) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Flush(Slot* s) ABSL_LOCKS_EXCLUDED(mu_);

  Directory* const dir_;
  const size_t ram_budget_;
  const size_t recycle_bytes_;  // per batch
  std::atomic<size_t> reserved_{0};
  std::atomic<uint64_t>* const next_segment_;
  std::vector<std::unique_ptr<Slot>> slots_;  // fixed once constructed
  std::vector<std::thread> threads_;          // fixed once constructed

  Mutex mu_;
  CondVar cv_;  // signalled on every change of the state below
  std::deque<Batch> queue_ ABSL_GUARDED_BY(mu_);
  std::vector<Batch> free_ ABSL_GUARDED_BY(mu_);  // inverted batches, to be filled again
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // Per slot: a thread is inverting into it or flushing it.
  std::vector<bool> busy_ ABSL_GUARDED_BY(mu_);
  // Per slot: its segments flushed in this session.
  std::vector<std::vector<SessionSegment>> flushed_ ABSL_GUARDED_BY(mu_);
  std::vector<Slot*> to_flush_ ABSL_GUARDED_BY(mu_);  // slots FlushAndWait has yet to hand out
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_WORKER_POOL_H_
