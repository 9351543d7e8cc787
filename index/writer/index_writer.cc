// IndexWriter: the session state machine (docs/ARCHITECTURE.md, "index"): documents are
// batched and inverted on the calling thread and worker threads into in-memory segments,
// flushed at the RAM budget, and published by Commit through one atomic MANIFEST rename.
#include "scour/index_writer.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "index/commit/manifest.h"
#include "index/directory/directory.h"
#include "index/format/file_names.h"
#include "index/inverter/segment_builder.h"
#include "index/segment/segment_reader.h"
#include "index/segment/segment_writer.h"
#include "index/writer/merger.h"
#include "index/writer/session_ids.h"

namespace scour {

using index::Directory;
using index::Manifest;
using index::SegmentReader;
using index::SegmentRef;

namespace {

constexpr size_t kBatchDocs = 128;
constexpr size_t kBatchBytes = 1 << 20;
constexpr size_t kQueueDepth = 2;  // batches waiting per worker

struct PendingDoc {
  Document doc;
  std::vector<uint32_t> field_ids;
  uint64_t seq = 0;
};

// Documents on their way to a worker. A batch's documents and their buffers are recycled: the
// worker hands the inverted batch back to the pool, and the reading thread fills it again
// (`docs` keeps its elements; `size` is how many are in use), so a steady run neither allocates
// nor frees per document, nor frees on one thread what another allocated.
struct Batch {
  std::vector<PendingDoc> docs;
  size_t size = 0;
};

// Bytes of string capacity a recycled batch may keep at most (more is freed when it comes back),
// so the recycled buffers stay within what batches in flight hold anyway (kBatchBytes each).
// Small RAM budgets lower it (RecycledBatchBytes): every document slot keeps the capacity of
// the largest document it held, so the batches alive at once (MaxBatches) would otherwise
// hold ~10 MB however small the budget.
constexpr size_t kRecycledBatchBytes = kBatchBytes + (kBatchBytes >> 2);
constexpr size_t kMaxRecycledFields = 16;  // per document

// An upper bound on the batches alive at once with `slots` inverting slots (the caller's
// among them): one being inverted per slot, kQueueDepth queued per worker thread, the pool of
// inverted ones (WorkerPool::Loop keeps kQueueDepth * workers + 2), the one being filled.
// Counting the caller's slot as a worker overstates it by a few batches, which only lowers
// the recycling allowance.
size_t MaxBatches(size_t slots) { return (2 * kQueueDepth + 1) * slots + 3; }

// The recycling allowance per batch when `bytes` may go to batches in all.
size_t RecycledBatchBytes(size_t bytes, size_t slots) {
  return std::clamp(bytes / MaxBatches(slots), size_t{64} << 10, kRecycledBatchBytes);
}

// Readies an inverted batch for reuse: drops buffers beyond the byte allowance, so a run of
// large documents does not leave the pool holding their capacity.
void TrimForReuse(Batch* b, size_t allowance) {
  size_t kept = 0;
  auto keep = [&](std::string& s) {
    if (s.capacity() > 15) {  // past the small-string buffer
      if (kept + s.capacity() > allowance) {
        std::string().swap(s);
        return;
      }
      kept += s.capacity();
    }
  };
  for (size_t i = 0; i < b->size; ++i) {
    Document& d = b->docs[i].doc;
    keep(d.id);
    if (d.fields.size() > kMaxRecycledFields) std::vector<Field>().swap(d.fields);
    for (Field& f : d.fields) {
      keep(f.name);
      keep(f.value);
    }
  }
  b->size = 0;
}

// A segment flushed in this session (not yet committed).
struct SessionSegment {
  SegmentRef ref;
  std::vector<uint64_t> seqs;  // sequence number of each local doc
};

// The inverting threads: N slots (a SegmentBuilder each) shared by the calling thread and N-1
// worker threads, as Lucene's indexing threads share its per-thread document writers. Batches
// wait in one shared queue for whichever worker is free; when the queue is full the caller
// inverts the batch itself instead of waiting ("caller runs"). So N slots run on N threads,
// the reading (caller) thread among them: a reading thread beside N workers kept N+1 threads
// on N cores (involuntary context switches, every batch's documents handed across cores). A
// thread takes the free slot holding the fewest documents, so the slots stay level although
// the caller, which also parses, inverts fewer batches than a worker: the final flushes, run
// side by side, then take about as long each (with a slot per thread, the worker's segment
// held ~1.8x the caller's documents and flushed ~0.1-0.4 s after it). Each slot flushes at its
// share of the RAM budget. With one slot there is no worker thread: a one-thread build runs on
// one thread.
class WorkerPool {
 public:
  // `ram_budget`: bytes for all the builders together; `batch_bytes`: what the batches alive
  // at once may keep of their documents' buffers when they are recycled.
  WorkerPool(Directory* dir, std::vector<Analyzer> analyzers, size_t ram_budget, size_t batch_bytes,
             std::atomic<uint64_t>* next_segment)
      : dir_(dir),
        ram_budget_(ram_budget),
        recycle_bytes_(RecycledBatchBytes(batch_bytes, analyzers.size())),
        next_segment_(next_segment) {
    for (Analyzer& a : analyzers) slots_.push_back(std::make_unique<Slot>(std::move(a)));
    // Threads start once every slot exists.
    for (size_t i = 1; i < slots_.size(); ++i) threads_.emplace_back([this] { Loop(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  // Queues the batch for a worker, or inverts it on the calling thread when the queue is full
  // (kQueueDepth batches per worker: bounded memory in flight) or there is no worker. Returns a
  // batch to fill next (empty, but with its documents' buffers) when one is free.
  Batch Submit(Batch batch) {
    std::unique_lock<std::mutex> l(mu_);
    if (queue_.size() < QueueLimit()) {
      queue_.push_back(std::move(batch));
      cv_.notify_all();
      Batch next;
      if (!free_.empty()) {
        next = std::move(free_.back());
        free_.pop_back();
      }
      return next;
    }
    // N slots, N-1 workers holding at most one each: one is free.
    Slot* s = TakeSlot();
    const bool ok = error_.ok();
    l.unlock();
    absl::Status status;
    if (ok) status = Process(s, batch);
    TrimForReuse(&batch, recycle_bytes_);
    l.lock();
    ReleaseSlot(s, status);
    return batch;
  }
  // Waits until every queued batch is inverted, then flushes every slot (the caller and the
  // workers side by side); returns the first error of the session.
  absl::Status FlushAndWait() {
    std::unique_lock<std::mutex> l(mu_);
    // No flush while batches wait: a slot flushed before its last batch would keep that batch.
    cv_.wait(l, [&] { return queue_.empty() && Idle(); });
    for (auto& slot : slots_)
      if (!slot->builder.empty()) to_flush_.push_back(slot.get());
    cv_.notify_all();
    while (!to_flush_.empty()) {
      Slot* s = TakeFlush();
      const bool ok = error_.ok();
      l.unlock();
      absl::Status status;
      if (ok) status = Flush(s);
      l.lock();
      ReleaseSlot(s, status);
    }
    cv_.wait(l, [&] { return Idle(); });
    return error_;
  }
  // REQUIRES: after FlushAndWait. Hands over the flushed segments.
  std::vector<SessionSegment> TakeSegments() {
    std::lock_guard<std::mutex> l(mu_);
    std::vector<SessionSegment> out;
    for (auto& slot : slots_) {
      for (auto& seg : slot->flushed) out.push_back(std::move(seg));
      slot->flushed.clear();
    }
    return out;
  }
  // Drops queued batches, the in-memory segments, flushed-but-uncommitted segment records and
  // the error state (after the batches in progress, if any, are done).
  void Discard() {
    std::unique_lock<std::mutex> l(mu_);
    queue_.clear();
    free_.clear();
    cv_.notify_all();
    cv_.wait(l, [&] { return Idle(); });
    for (auto& slot : slots_) {  // idle: no thread touches the slots now
      slot->builder.Discard();
      slot->seqs.clear();
      slot->flushed.clear();
    }
    error_ = absl::OkStatus();
  }
  bool failed() {
    std::lock_guard<std::mutex> l(mu_);
    return !error_.ok();
  }
  // Memory the session holds outside the builders (its id table): taken from their budget.
  void SetReserved(size_t bytes) { reserved_.store(bytes, std::memory_order_relaxed); }

 private:
  struct Slot {
    explicit Slot(Analyzer a) : builder(std::move(a)) {}
    index::SegmentBuilder builder;
    std::vector<uint64_t> seqs;  // sequence number of each doc in the builder
    std::vector<SessionSegment> flushed;
    std::vector<index::BuilderField> fields;  // scratch of Process
    bool busy = false;                        // a thread is inverting into it or flushing it
  };

  // The queue's bound: kQueueDepth batches per worker thread.
  size_t QueueLimit() const { return kQueueDepth * threads_.size(); }

  bool Idle() const {
    for (const auto& slot : slots_)
      if (slot->busy) return false;
    return to_flush_.empty();
  }

  // REQUIRES: mu_ held and a free slot. Marks the free slot with the fewest documents busy.
  Slot* TakeSlot() {
    Slot* best = nullptr;
    for (auto& slot : slots_)
      if (!slot->busy && (best == nullptr || slot->builder.doc_count() < best->builder.doc_count()))
        best = slot.get();
    best->busy = true;
    return best;
  }
  // REQUIRES: mu_ held and a slot left to flush. Marks the next one busy.
  Slot* TakeFlush() {
    Slot* s = to_flush_.back();
    to_flush_.pop_back();
    s->busy = true;
    return s;
  }
  // REQUIRES: mu_ held.
  void ReleaseSlot(Slot* s, const absl::Status& status) {
    if (!status.ok() && error_.ok()) error_ = status;
    s->busy = false;
    cv_.notify_all();
  }

  void Loop() {
    std::unique_lock<std::mutex> l(mu_);
    for (;;) {
      cv_.wait(l, [&] { return stop_ || !to_flush_.empty() || !queue_.empty(); });
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
        return;  // stop_ and nothing left
      }
      const bool ok = error_.ok();
      cv_.notify_all();  // room in the queue
      l.unlock();
      absl::Status status;
      if (ok) status = flush ? Flush(s) : Process(s, batch);
      if (!flush) TrimForReuse(&batch, recycle_bytes_);
      l.lock();
      // Keep as many batches as can be in flight at once; more would only hold memory.
      if (!flush && free_.size() < QueueLimit() + 2) {
        free_.push_back(std::move(batch));
      } else if (!flush) {
        l.unlock();
        batch = {};  // free the documents outside the lock
        l.lock();
      }
      ReleaseSlot(s, status);
    }
  }

  absl::Status Process(Slot* s, const Batch& batch) {
    std::vector<index::BuilderField>& fields = s->fields;
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
      s->seqs.push_back(d.seq);
      if ((s->seqs.size() & 15) == 0 && s->builder.ram_bytes() >= BuilderBudget()) {
        SCOUR_RETURN_IF_ERROR(Flush(s));
      }
    }
    return absl::OkStatus();
  }

  // Each builder's share of what the budget leaves after the reserved bytes, but at least 4 MB
  // (or its full share, if smaller): an id table that outgrows the budget makes segments
  // smaller, never tiny (tiny segments cost far more in merging than they save).
  size_t BuilderBudget() const {
    const size_t reserved = reserved_.load(std::memory_order_relaxed);
    const size_t left = ram_budget_ > reserved ? ram_budget_ - reserved : 0;
    const size_t share = ram_budget_ / slots_.size();
    return std::max(left / slots_.size(), std::min(share, size_t{4} << 20));
  }

  // Runs on the slot's worker thread (or while the pool is idle): the slot is not shared.
  absl::Status Flush(Slot* s) {
    if (s->builder.empty()) return absl::OkStatus();
    SessionSegment seg;
    seg.ref.number = next_segment_->fetch_add(1);
    seg.ref.doc_count = s->builder.doc_count();
    index::SegmentInfo info;
    SCOUR_RETURN_IF_ERROR(s->builder.Flush(dir_, seg.ref.number, &info));
    seg.seqs = std::exchange(s->seqs, {});
    std::lock_guard<std::mutex> l(mu_);
    s->flushed.push_back(std::move(seg));
    return absl::OkStatus();
  }

  Directory* dir_;
  size_t ram_budget_;
  size_t recycle_bytes_;  // per batch
  std::atomic<size_t> reserved_{0};
  std::atomic<uint64_t>* next_segment_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Batch> queue_;
  std::vector<Batch> free_;  // inverted batches, to be filled again
  absl::Status error_;
  bool stop_ = false;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<Slot*> to_flush_;  // slots FlushAndWait has yet to hand out for flushing
  std::vector<std::thread> threads_;
};

}  // namespace

struct IndexWriter::Impl {
  std::unique_ptr<Directory> owned_dir;
  Directory* dir = nullptr;
  std::unique_ptr<index::DirectoryLock> lock;
  IndexWriterOptions options;
  Manifest committed;
  std::vector<std::string> fields;  // committed.fields + fields new in this session
  std::atomic<uint64_t> next_segment{1};
  std::unique_ptr<WorkerPool> workers;
  Batch batch;
  size_t batch_bytes = 0;
  using IdState = index::SessionIds::State;
  index::SessionIds ids;
  uint64_t seq = 0;
  IndexWriterStats stats;
  std::vector<std::shared_ptr<SegmentReader>> committed_readers;  // parallel to committed.segments

  absl::Status Init();
  absl::StatusOr<uint32_t> FieldId(const std::string& name);
  // Takes *doc's contents; with `recycle`, leaves in *doc the buffers of an earlier document.
  absl::Status Add(Document* doc, bool recycle);
  void Dispatch();
  absl::Status WaitIdle();
  absl::Status CommitSession();
  absl::Status Publish(Manifest m);
  void DeleteUnreferenced();
  absl::StatusOr<std::shared_ptr<SegmentReader>> Reader(size_t i);
  absl::Status MaybeMerge(size_t max_segments, bool force);
  void ResetSession();
};

absl::Status IndexWriter::Impl::Init() {
  SCOUR_ASSIGN_OR_RETURN(lock, dir->Lock(index::kWriteLockFileName));
  auto m = index::ReadManifest(dir);
  if (m.ok()) {
    committed = *std::move(m);
    if (options.analyzer_explicit && (committed.language != options.analyzer.language ||
                                      committed.stopwords != options.analyzer.stopwords))
      return absl::InvalidArgumentError(absl::StrCat(
          "the index was built with --language ", committed.language,
          committed.stopwords ? " --stopwords" : "",
          "; it cannot take documents analysed with --language ", options.analyzer.language,
          options.analyzer.stopwords ? " --stopwords" : ""));
  } else if (absl::IsNotFound(m.status())) {
    if (!options.create_if_missing) return m.status();
    committed = Manifest{};
    committed.language = options.analyzer.language;
    committed.stopwords = options.analyzer.stopwords;
  } else {
    return m.status();
  }
  fields = committed.fields;
  next_segment = committed.next_segment;
  committed_readers.assign(committed.segments.size(), nullptr);
  DeleteUnreferenced();  // leftovers of a crashed or abandoned session

  AnalyzerOptions aopts;
  aopts.language = committed.language;
  aopts.stopwords = committed.stopwords;
  int threads = options.threads > 0
                    ? options.threads
                    : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  size_t budget = std::max<size_t>(options.ram_budget_mb, 1) << 20;
  // The budget bounds the process (peak RSS), so the builders get 80% of what is left after
  // the fixed overhead (code, ICU data, the input window: ~12 MB resident in a one-thread
  // build of a small file, up to ~16 MB with the input window of a large one); batches in
  // flight and flush temporaries take the rest, and the session's id table is taken out of the
  // builders' share as it grows (WorkerPool::SetReserved). Under 64 MB, a quarter of the
  // budget would be below what the process keeps resident anyway: at least 12 MB then (or
  // half the budget, for budgets under 24 MB).
  const size_t fixed =
      std::clamp<size_t>(budget / 4, std::min<size_t>(budget / 2, 12 << 20), size_t{16} << 20);
  size_t builders = (budget - fixed) * 8 / 10;
  const size_t batches = (budget - fixed) / 10;  // half of the rest; flush temporaries the other
  std::vector<Analyzer> analyzers;
  for (int i = 0; i < threads; ++i) {
    SCOUR_ASSIGN_OR_RETURN(Analyzer a, Analyzer::Create(aopts));
    analyzers.push_back(std::move(a));
  }
  workers =
      std::make_unique<WorkerPool>(dir, std::move(analyzers), builders, batches, &next_segment);
  return absl::OkStatus();
}

absl::StatusOr<uint32_t> IndexWriter::Impl::FieldId(const std::string& name) {
  if (name.empty() || name[0] == '_')
    return absl::InvalidArgumentError(
        absl::StrCat("field name \"", name, "\" is reserved (empty or starting with '_')"));
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i] == name) return static_cast<uint32_t>(i);
  fields.push_back(name);
  return static_cast<uint32_t>(fields.size() - 1);
}

absl::Status IndexWriter::Impl::Add(Document* doc, bool recycle) {
  if (doc->id.empty()) return absl::InvalidArgumentError("document id is empty");
  if (workers->failed()) return WaitIdle();
  bool reserved_field = false;
  for (const Field& f : doc->fields) reserved_field |= f.name.empty() || f.name[0] == '_';
  if (reserved_field) {
    // The errors in their usual order: a repeated id first, then the field name (FieldId).
    if (options.reject_duplicate_ids) {
      const IdState* found = ids.Find(doc->id);
      if (found != nullptr && found->last_add_seq != 0)
        return absl::AlreadyExistsError(absl::StrCat("duplicate id \"", doc->id, "\" in this run"));
    }
    for (const Field& f : doc->fields) SCOUR_RETURN_IF_ERROR(FieldId(f.name).status());
  }
  // One lookup of the id (inserting it if new): nothing below can fail.
  IdState& st = ids[doc->id];
  if (options.reject_duplicate_ids && st.last_add_seq != 0)
    return absl::AlreadyExistsError(absl::StrCat("duplicate id \"", doc->id, "\" in this run"));
  if (batch.size == batch.docs.size()) {
    if (batch.docs.empty()) batch.docs.reserve(kBatchDocs);
    batch.docs.emplace_back();
  }
  PendingDoc& p = batch.docs[batch.size++];
  p.field_ids.clear();
  for (const Field& f : doc->fields) {
    p.field_ids.push_back(*FieldId(f.name));  // not reserved: cannot fail
    batch_bytes += f.value.size();
    if (f.indexed) stats.bytes_indexed += f.value.size();
  }
  p.seq = ++seq;
  if (st.last_add_seq != 0 || st.deleted) st.dirty = true;
  st.last_add_seq = p.seq;
  st.deleted = false;
  if ((p.seq & 1023) == 0) workers->SetReserved(ids.bytes());
  if (recycle) {
    p.doc.id.swap(doc->id);  // member swaps: std::swap would move each member three times
    p.doc.fields.swap(doc->fields);
  } else {
    p.doc = std::move(*doc);
  }
  stats.docs_added++;
  if (batch.size >= kBatchDocs || batch_bytes >= kBatchBytes) Dispatch();
  return absl::OkStatus();
}

void IndexWriter::Impl::Dispatch() {
  if (batch.size == 0) return;
  batch = workers->Submit(std::move(batch));
  batch_bytes = 0;
}

absl::Status IndexWriter::Impl::WaitIdle() {
  Dispatch();
  return workers->FlushAndWait();
}

absl::StatusOr<std::shared_ptr<SegmentReader>> IndexWriter::Impl::Reader(size_t i) {
  if (!committed_readers[i]) {
    SCOUR_ASSIGN_OR_RETURN(committed_readers[i],
                           SegmentReader::Open(dir, committed.segments[i], false));
  }
  return committed_readers[i];
}

absl::Status IndexWriter::Impl::CommitSession() {
  SCOUR_RETURN_IF_ERROR(WaitIdle());
  std::vector<SessionSegment> session = workers->TakeSegments();
  std::sort(session.begin(), session.end(), [](const SessionSegment& a, const SessionSegment& b) {
    return a.ref.number < b.ref.number;
  });
  stats.segments_flushed += session.size();

  Manifest next = committed;
  next.fields = fields;
  next.next_segment = next_segment.load();
  next.segments.clear();

  // Deletions in committed segments: every id added or deleted in this session.
  for (size_t i = 0; i < committed.segments.size(); ++i) {
    SegmentRef ref = committed.segments[i];
    if (!ids.empty()) {
      SCOUR_ASSIGN_OR_RETURN(auto reader, Reader(i));
      std::vector<uint64_t> bits;
      if (reader->deleted_bits())
        bits.assign(reader->deleted_bits(), reader->deleted_bits() + (ref.doc_count + 63) / 64);
      else
        bits.assign((ref.doc_count + 63) / 64, 0);
      uint32_t added = 0;
      absl::Status lookup;
      ids.ForEach([&](std::string_view id, const IdState&) {
        if (!lookup.ok()) return;
        auto doc = reader->FindId(id);
        if (!doc.ok()) {
          lookup = doc.status();
        } else if (*doc && !((bits[**doc >> 6] >> (**doc & 63)) & 1)) {
          bits[**doc >> 6] |= uint64_t{1} << (**doc & 63);
          ++added;
        }
      });
      SCOUR_RETURN_IF_ERROR(lookup);
      if (added > 0) {
        ref.deleted += added;
        ref.del_gen += 1;
        if (ref.deleted < ref.doc_count)
          SCOUR_RETURN_IF_ERROR(index::WriteDeletes(
              dir, index::DeletesFileName(ref.number, ref.del_gen), ref.doc_count, bits));
      }
    }
    if (ref.deleted < ref.doc_count) next.segments.push_back(ref);
  }
  // Deletions inside this session's segments: superseded or deleted ids.
  std::vector<std::pair<std::string_view, const IdState*>> dirty;
  ids.ForEach([&](std::string_view id, const IdState& st) {
    if (st.dirty) dirty.emplace_back(id, &st);
  });
  for (SessionSegment& seg : session) {
    SegmentRef ref = seg.ref;
    if (!dirty.empty()) {
      SCOUR_ASSIGN_OR_RETURN(auto reader, SegmentReader::Open(dir, ref, false));
      std::vector<uint64_t> bits((ref.doc_count + 63) / 64, 0);
      uint32_t count = 0;
      for (const auto& [id, st] : dirty) {
        SCOUR_ASSIGN_OR_RETURN(auto info, reader->Lookup(index::kIdField, id));
        if (!info) continue;
        index::SegmentPostings p = reader->Postings(index::kIdField, *info);
        for (index::DocId d = p.doc(); d != index::kNoMoreDocs; d = p.Next()) {
          if (seg.seqs[d] != st->last_add_seq || st->deleted) {
            bits[d >> 6] |= uint64_t{1} << (d & 63);
            ++count;
          }
        }
        SCOUR_RETURN_IF_ERROR(p.status());
      }
      if (count > 0) {
        ref.deleted = count;
        ref.del_gen = 1;
        if (count < ref.doc_count)
          SCOUR_RETURN_IF_ERROR(
              index::WriteDeletes(dir, index::DeletesFileName(ref.number, 1), ref.doc_count, bits));
      }
    }
    if (ref.deleted < ref.doc_count) next.segments.push_back(ref);
  }
  return Publish(std::move(next));
}

absl::Status IndexWriter::Impl::Publish(Manifest m) {
  m.generation = committed.generation + 1;
  absl::Status written = index::WriteManifest(dir, m);
  if (!written.ok()) {
    // The rename may have happened before a later step (the directory sync) failed: then the new
    // MANIFEST is what readers see, and forgetting it would let a rollback delete its files.
    auto on_disk = index::ReadManifest(dir);
    if (!on_disk.ok() || on_disk->generation != m.generation) return written;
  }
  // Keep the readers of segments whose deletions did not change.
  std::vector<std::shared_ptr<SegmentReader>> readers(m.segments.size());
  absl::flat_hash_map<uint64_t, size_t> old_index;  // segment number -> index in committed
  for (size_t j = 0; j < committed.segments.size(); ++j)
    old_index[committed.segments[j].number] = j;
  for (size_t i = 0; i < m.segments.size(); ++i) {
    auto it = old_index.find(m.segments[i].number);
    if (it != old_index.end() && committed.segments[it->second].del_gen == m.segments[i].del_gen)
      readers[i] = committed_readers[it->second];
  }
  committed = std::move(m);
  committed_readers = std::move(readers);
  ResetSession();
  if (!written.ok()) return written;  // visible, maybe not durable: say so, keep the files
  DeleteUnreferenced();
  return absl::OkStatus();
}

void IndexWriter::Impl::ResetSession() {
  ids.clear();
  workers->SetReserved(0);
  fields = committed.fields;
  seq = 0;
}

void IndexWriter::Impl::DeleteUnreferenced() {
  auto names = dir->List();
  if (!names.ok()) return;
  std::vector<std::string> keep = committed.FileNames();
  absl::flat_hash_set<std::string> keep_set(keep.begin(), keep.end());
  for (const std::string& n : *names) {
    // Only files of the kinds the writer makes; the lock and MANIFEST are always kept.
    auto parsed = index::ParseFileName(n);
    if (!parsed || parsed->type == index::FileType::kWriteLock ||
        parsed->type == index::FileType::kManifest)
      continue;
    if (!keep_set.contains(n)) (void)dir->Delete(n);  // best effort: retried next open
  }
}

absl::Status IndexWriter::Impl::MaybeMerge(size_t max_segments, bool force) {
  for (;;) {
    std::vector<std::vector<size_t>> groups;
    if (force) {
      size_t n = committed.segments.size();
      bool has_deletes = false;
      for (const auto& s : committed.segments) has_deletes |= s.deleted > 0;
      if (n > max_segments || (n > 0 && max_segments == 1 && (n > 1 || has_deletes))) {
        // Merge the smallest segments into one so that max_segments remain.
        std::vector<size_t> order(n);
        for (size_t i = 0; i < n; ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
          return committed.segments[a].doc_count - committed.segments[a].deleted <
                 committed.segments[b].doc_count - committed.segments[b].deleted;
        });
        size_t take = n > max_segments ? n - max_segments + 1 : n;
        order.resize(take);
        std::sort(order.begin(), order.end());
        groups.push_back(order);
      }
    } else {
      std::vector<uint64_t> sizes;
      for (const auto& s : committed.segments) sizes.push_back(s.doc_count - s.deleted);
      groups = index::PickMerges(sizes, options.merge_factor);
    }
    if (groups.empty()) return absl::OkStatus();
    const std::vector<size_t>& g = groups.front();
    std::vector<std::shared_ptr<SegmentReader>> readers;
    for (size_t i : g) {
      SCOUR_ASSIGN_OR_RETURN(auto r, Reader(i));
      readers.push_back(r);
    }
    uint64_t number = next_segment.fetch_add(1);
    SCOUR_ASSIGN_OR_RETURN(SegmentRef merged, index::MergeSegments(dir, readers, number));
    Manifest m = committed;
    m.next_segment = next_segment.load();
    m.segments.clear();
    bool placed = false;
    for (size_t i = 0; i < committed.segments.size(); ++i) {
      if (std::find(g.begin(), g.end(), i) == g.end()) {
        m.segments.push_back(committed.segments[i]);
      } else if (!placed) {
        if (merged.doc_count > 0) m.segments.push_back(merged);
        placed = true;
      }
    }
    SCOUR_RETURN_IF_ERROR(Publish(std::move(m)));
  }
}

IndexWriter::IndexWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

IndexWriter::~IndexWriter() {
  if (impl_) (void)Rollback();
}

absl::StatusOr<std::unique_ptr<IndexWriter>> IndexWriter::Open(const std::string& path,
                                                               const IndexWriterOptions& options) {
  SCOUR_ASSIGN_OR_RETURN(auto dir, index::OpenFsDirectory(path, options.create_if_missing));
  auto impl = std::make_unique<Impl>();
  impl->owned_dir = std::move(dir);
  impl->dir = impl->owned_dir.get();
  impl->options = options;
  SCOUR_RETURN_IF_ERROR(impl->Init());
  return std::unique_ptr<IndexWriter>(new IndexWriter(std::move(impl)));
}

absl::StatusOr<std::unique_ptr<IndexWriter>> IndexWriter::Open(Directory* dir,
                                                               const IndexWriterOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->options = options;
  SCOUR_RETURN_IF_ERROR(impl->Init());
  return std::unique_ptr<IndexWriter>(new IndexWriter(std::move(impl)));
}

absl::Status IndexWriter::AddDocument(const Document& doc) {
  Document copy(doc);
  return impl_->Add(&copy, false);
}
absl::Status IndexWriter::AddDocument(Document&& doc) { return impl_->Add(&doc, false); }
absl::Status IndexWriter::AddDocumentRecycling(Document* doc) { return impl_->Add(doc, true); }

absl::Status IndexWriter::DeleteDocument(std::string_view id) {
  Impl::IdState& st = impl_->ids[id];
  st.deleted = true;
  st.dirty = true;
  impl_->stats.deletes_requested++;
  return absl::OkStatus();
}

absl::Status IndexWriter::Commit() {
  SCOUR_RETURN_IF_ERROR(impl_->CommitSession());
  // The commit is durable here. The automatic merge that follows changes no document, so its
  // failure must not report the commit as failed (the caller would think its documents lost);
  // the next commit retries it. ForceMerge reports merge errors.
  if (impl_->options.auto_merge) (void)impl_->MaybeMerge(0, false);
  return absl::OkStatus();
}

absl::Status IndexWriter::Rollback() {
  impl_->batch.size = 0;
  impl_->batch_bytes = 0;
  impl_->workers->Discard();
  impl_->ResetSession();
  impl_->DeleteUnreferenced();
  return absl::OkStatus();
}

absl::Status IndexWriter::ForceMerge(size_t max_segments) {
  SCOUR_RETURN_IF_ERROR(Commit());
  return impl_->MaybeMerge(std::max<size_t>(max_segments, 1), true);
}

IndexWriterStats IndexWriter::stats() const { return impl_->stats; }

}  // namespace scour
