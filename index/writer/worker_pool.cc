#include "index/writer/worker_pool.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "index/writer/ram_budget.h"

namespace scour::index {

WorkerPool::WorkerPool(Directory* dir, std::vector<Analyzer> analyzers, size_t ram_budget,
                       size_t batch_bytes, std::atomic<uint64_t>* next_segment, bool term_vectors,
                       bool keep_id_hashes)
    : dir_(dir),
      ram_budget_(ram_budget),
      recycle_bytes_(RecycledBatchBytes(batch_bytes, analyzers.size())),
      keep_id_hashes_(keep_id_hashes),
      next_segment_(next_segment) {
  for (Analyzer& a : analyzers) {
    slots_.push_back(std::make_unique<Slot>(std::move(a), slots_.size()));
    slots_.back()->builder.set_term_vectors(term_vectors);
  }
  {
    MutexLock l(&mu_);
    busy_.assign(slots_.size(), false);
    flushed_.resize(slots_.size());
  }
  // Threads start once every slot exists.
  for (size_t i = 1; i < slots_.size(); ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() {
  {
    MutexLock l(&mu_);
    stop_ = true;
  }
  cv_.SignalAll();
  for (std::thread& t : threads_) t.join();
}

Batch WorkerPool::Submit(Batch batch) {
  mu_.Lock();
  if (queue_.size() < QueueLimit()) {
    queue_.push_back(std::move(batch));
    cv_.SignalAll();
    Batch next;
    if (!free_.empty()) {
      next = std::move(free_.back());
      free_.pop_back();
    }
    mu_.Unlock();
    return next;
  }
  // N slots, N-1 workers holding at most one each: one is free.
  Slot* s = TakeSlot();
  const bool ok = error_.ok();
  mu_.Unlock();
  absl::Status status;
  if (ok) status = Process(s, batch);
  TrimForReuse(&batch, recycle_bytes_);
  mu_.Lock();
  ReleaseSlot(s, status);
  mu_.Unlock();
  return batch;
}

absl::Status WorkerPool::FlushAndWait() {
  mu_.Lock();
  // No flush while batches wait: a slot flushed before its last batch would keep that batch.
  while (!(queue_.empty() && Idle())) cv_.Wait(&mu_);
  for (auto& slot : slots_)
    if (!slot->builder.empty()) to_flush_.push_back(slot.get());
  cv_.SignalAll();
  while (!to_flush_.empty()) {
    Slot* s = TakeFlush();
    const bool ok = error_.ok();
    mu_.Unlock();
    absl::Status status;
    if (ok) status = Flush(s);
    mu_.Lock();
    ReleaseSlot(s, status);
  }
  while (!Idle()) cv_.Wait(&mu_);
  absl::Status error = error_;
  mu_.Unlock();
  return error;
}

std::vector<FlushedIds> WorkerPool::TakeFlushedIds() {
  MutexLock l(&mu_);
  flushed_ids_waiting_.store(false, std::memory_order_relaxed);
  return std::exchange(flushed_ids_, {});
}

void WorkerPool::WaitIdle() {
  MutexLock l(&mu_);
  while (!(queue_.empty() && Idle())) cv_.Wait(&mu_);
}

bool WorkerPool::BuildersHoldId(std::string_view id) const {
  for (const auto& slot : slots_)
    if (slot->builder.HasId(id)) return true;
  return false;
}

std::vector<SessionSegment> WorkerPool::TakeSegments() {
  MutexLock l(&mu_);
  flushed_ids_.clear();
  flushed_ids_waiting_.store(false, std::memory_order_relaxed);
  std::vector<SessionSegment> out;
  for (auto& flushed : flushed_) {
    for (auto& seg : flushed) out.push_back(std::move(seg));
    flushed.clear();
  }
  return out;
}

void WorkerPool::Discard() {
  MutexLock l(&mu_);
  queue_.clear();
  free_.clear();
  cv_.SignalAll();
  while (!Idle()) cv_.Wait(&mu_);
  for (auto& slot : slots_) {  // idle: no thread touches the slots now
    slot->builder.Discard();
    slot->seqs = {};
    slot->id_hashes.clear();
    flushed_[slot->index].clear();
  }
  flushed_ids_.clear();
  flushed_ids_waiting_.store(false, std::memory_order_relaxed);
  error_ = absl::OkStatus();
}

bool WorkerPool::failed() {
  MutexLock l(&mu_);
  return !error_.ok();
}

bool WorkerPool::Idle() const {
  for (bool busy : busy_)
    if (busy) return false;
  return to_flush_.empty();
}

WorkerPool::Slot* WorkerPool::TakeSlot() {
  // A free slot's builder is touched by no thread: its document count is stable here.
  Slot* best = nullptr;
  for (auto& slot : slots_)
    if (!busy_[slot->index] &&
        (best == nullptr || slot->builder.doc_count() < best->builder.doc_count()))
      best = slot.get();
  busy_[best->index] = true;
  return best;
}

WorkerPool::Slot* WorkerPool::TakeFlush() {
  Slot* s = to_flush_.back();
  to_flush_.pop_back();
  busy_[s->index] = true;
  return s;
}

void WorkerPool::ReleaseSlot(Slot* s, const absl::Status& status) {
  if (!status.ok() && error_.ok()) error_ = status;
  busy_[s->index] = false;
  cv_.SignalAll();
}

void WorkerPool::Loop() {
  mu_.Lock();
  for (;;) {
    while (!stop_ && to_flush_.empty() && queue_.empty()) cv_.Wait(&mu_);
    Batch batch;
    Slot* s;
    bool flush = false;
    if (!to_flush_.empty()) {
      s = TakeFlush();
      flush = true;
    } else if (!queue_.empty()) {
      batch = std::move(queue_.front());
      queue_.pop_front();
      s = TakeSlot();  // the caller holds at most one of the other slots
    } else {
      break;  // stop_ and nothing left
    }
    const bool ok = error_.ok();
    cv_.SignalAll();  // room in the queue
    mu_.Unlock();
    absl::Status status;
    if (ok) status = flush ? Flush(s) : Process(s, batch);
    if (!flush) TrimForReuse(&batch, recycle_bytes_);
    mu_.Lock();
    // Keep as many batches as can be in flight at once; more would only hold memory.
    if (!flush && free_.size() < QueueLimit() + 2) {
      free_.push_back(std::move(batch));
    } else if (!flush) {
      mu_.Unlock();
      batch = {};  // free the documents outside the lock
      mu_.Lock();
    }
    ReleaseSlot(s, status);
  }
  mu_.Unlock();
}

absl::Status WorkerPool::Process(Slot* s, const Batch& batch) {
  std::vector<BuilderField>& fields = s->fields;
  for (size_t i = 0; i < batch.size; ++i) {
    const PendingDoc& d = batch.docs[i];
    fields.clear();
    for (size_t f = 0; f < d.doc.fields.size(); ++f) {
      const Field& fl = d.doc.fields[f];
      fields.push_back({d.field_ids[f], fl.value, fl.indexed, fl.stored});
    }
    absl::Status st = s->builder.AddDocument(d.doc.id, fields);
    if (!st.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("document \"", d.doc.id, "\": ", st.message()));
    }
    s->seqs.Push(d.seq);
    if (keep_id_hashes_) s->id_hashes.push_back(d.id_hash);
    if ((s->seqs.size() & 15) == 0 &&
        s->builder.ram_bytes() >=
            BuilderBudget(ram_budget_, reserved_.load(std::memory_order_relaxed), slots_.size())) {
      SCOUR_RETURN_IF_ERROR(Flush(s));
    }
  }
  return absl::OkStatus();
}

absl::Status WorkerPool::Flush(Slot* s) {
  if (s->builder.empty()) return absl::OkStatus();
  SessionSegment seg;
  seg.ref.number = next_segment_->fetch_add(1);
  seg.ref.doc_count = s->builder.doc_count();
  SegmentInfo info;
  SCOUR_RETURN_IF_ERROR(s->builder.Flush(dir_, seg.ref.number, &info));
  seg.seqs = std::exchange(s->seqs, {});
  FlushedIds ids;
  if (keep_id_hashes_) ids = {seg.ref, std::exchange(s->id_hashes, {})};
  MutexLock l(&mu_);
  flushed_[s->index].push_back(std::move(seg));
  if (keep_id_hashes_) {
    flushed_ids_.push_back(std::move(ids));
    flushed_ids_waiting_.store(true, std::memory_order_release);
  }
  return absl::OkStatus();
}

}  // namespace scour::index
