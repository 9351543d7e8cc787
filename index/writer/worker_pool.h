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

#include <algorithm>
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

// The sequence numbers of a segment's documents, by local doc id, as runs of consecutive
// numbers: a batch's documents have consecutive numbers and go to one slot, so a run is ~128
// documents in 16 bytes (a vector of every number would be 8 bytes per document of the session).
class SeqRuns {
 public:
  void Push(uint64_t seq) {
    if (runs_.empty() || runs_.back().first_seq + (size_ - runs_.back().first_doc) != seq)
      runs_.push_back({size_, seq});
    ++size_;
  }
  // REQUIRES: doc < size().
  uint64_t operator[](uint32_t doc) const {
    auto it = std::upper_bound(runs_.begin(), runs_.end(), doc,
                               [](uint32_t d, const Run& r) { return d < r.first_doc; });
    --it;
    return it->first_seq + (doc - it->first_doc);
  }
  uint32_t size() const { return size_; }
  size_t bytes() const { return runs_.capacity() * sizeof(Run); }

 private:
  struct Run {
    uint32_t first_doc;
    uint64_t first_seq;
  };
  std::vector<Run> runs_;
  uint32_t size_ = 0;
};

// A segment flushed in this session (not yet committed).
struct SessionSegment {
  SegmentRef ref;
  SeqRuns seqs;  // sequence number of each local doc
};

// The 64-bit hashes of a flushed segment's ids, in doc order (for the writer's session filter,
// session_filter.h).
struct FlushedIds {
  SegmentRef ref;
  std::vector<uint64_t> hashes;
};

class WorkerPool {
 public:
  // One slot per analyzer. `ram_budget`: bytes for all the builders together; `batch_bytes`:
  // what the batches alive at once may keep of their documents' buffers when recycled;
  // `next_segment` numbers the flushed segments.
  // `keep_id_hashes`: hand each flushed segment's id hashes (PendingDoc::id_hash) to
  // TakeFlushedIds.
  WorkerPool(Directory* dir, std::vector<Analyzer> analyzers, size_t ram_budget, size_t batch_bytes,
             std::atomic<uint64_t>* next_segment, bool term_vectors = false,
             bool keep_id_hashes = false);
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
  // The id hashes of the segments flushed since the last call (with keep_id_hashes).
  std::vector<FlushedIds> TakeFlushedIds() ABSL_LOCKS_EXCLUDED(mu_);
  // Whether TakeFlushedIds has something: one atomic load, for a check on every document.
  bool HasFlushedIds() const { return flushed_ids_waiting_.load(std::memory_order_acquire); }
  // Waits until every queued batch is inverted (no flush): the builders are then idle.
  void WaitIdle() ABSL_LOCKS_EXCLUDED(mu_);
  // REQUIRES: idle (after WaitIdle, nothing submitted since). Whether a builder holds a
  // document with this id.
  bool BuildersHoldId(std::string_view id) const;
  // Drops queued batches, the in-memory segments, flushed-but-uncommitted segment records and
  // the error state (after the batches in progress, if any, are done).
  void Discard() ABSL_LOCKS_EXCLUDED(mu_);
  bool failed() ABSL_LOCKS_EXCLUDED(mu_);
  // Memory the session holds outside the builders (deleted ids, the session filter): taken from
  // their budget.
  void SetReserved(size_t bytes) { reserved_.store(bytes, std::memory_order_relaxed); }

 private:
  // Owned by the thread that took it (busy_), or by anyone while the pool is idle.
  struct Slot {
    Slot(Analyzer a, size_t i) : builder(std::move(a)), index(i) {}
    SegmentBuilder builder;
    SeqRuns seqs;                      // sequence number of each doc in the builder
    std::vector<uint64_t> id_hashes;   // with keep_id_hashes: of each doc in the builder
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
  const bool keep_id_hashes_;
  std::atomic<size_t> reserved_{0};
  std::atomic<bool> flushed_ids_waiting_{false};
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
  std::vector<FlushedIds> flushed_ids_ ABSL_GUARDED_BY(mu_);  // not yet taken
  std::vector<Slot*> to_flush_ ABSL_GUARDED_BY(mu_);  // slots FlushAndWait has yet to hand out
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_WORKER_POOL_H_
