// IndexWriter: the session state machine (docs/ARCHITECTURE.md, "index/writer"): documents are
// batched (batch.h) and inverted on the calling thread and worker threads (worker_pool.h) into
// in-memory segments, flushed at the RAM budget (ram_budget.h); Commit applies replace-by-id
// and deletes (id_deletes.h) and publishes the result through one atomic MANIFEST rename
// (publisher.h); the merge policy (merge_policy.h) then picks segments to merge (merger.h).
#include "scour/index_writer.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "base/internal_access.h"
#include "base/status_macros.h"
#include "index/commit/manifest.h"
#include "index/commit/synonyms_file.h"
#include "index/directory/directory.h"
#include "index/format/file_names.h"
#include "index/writer/batch.h"
#include "index/writer/id_deletes.h"
#include "index/writer/merge_policy.h"
#include "index/writer/merger.h"
#include "index/writer/open_writer.h"
#include "index/writer/publisher.h"
#include "index/writer/ram_budget.h"
#include "index/writer/session_filter.h"
#include "index/writer/worker_pool.h"

namespace scour {

using index::Batch;
using index::Directory;
using index::Manifest;
using index::PendingDoc;
using index::SegmentReader;
using index::SegmentRef;
using index::SessionSegment;

struct IndexWriter::Impl {
  std::unique_ptr<Directory> owned_dir;
  Directory* dir = nullptr;
  std::unique_ptr<index::DirectoryLock> lock;
  IndexWriterOptions options;
  std::unique_ptr<index::Publisher> publisher;  // the last commit
  std::vector<std::string> fields;              // the committed fields + fields new in this session
  std::atomic<uint64_t> next_segment{1};
  std::unique_ptr<index::WorkerPool> workers;
  Batch batch;
  size_t batch_bytes = 0;
  // Replace-by-id without a table of the session's ids (docs/ARCHITECTURE.md, "Replace-by-id
  // with memory bounded by the budget"): the deleted ids, and, with reject_duplicate_ids, the
  // filter that finds a repeated id.
  index::DeletedIds deleted;
  size_t deleted_bytes = 0;  // of the ids' bytes beyond their strings' inline capacity
  index::SessionFilter filter;
  uint64_t seq = 0;  // documents added in the session
  IndexWriterStats stats;
  // The last automatic merge's error (leveldb's bg_error_), and whether the next call has yet
  // to report it.
  absl::Status background_error;
  bool background_error_unreported = false;
  // Set by SetSynonyms for the next commit: the new set, or nullptr to remove it.
  std::optional<std::shared_ptr<const SynonymSet>> pending_synonyms;

  const Manifest& committed() const { return publisher->committed(); }
  absl::Status Init();
  absl::StatusOr<uint32_t> FieldId(const std::string& name);
  // Takes *doc's contents; with `recycle`, leaves in *doc the buffers of an earlier document.
  absl::Status Add(Document* doc, bool recycle);
  void Dispatch();
  absl::Status WaitIdle();
  absl::Status CommitSession();
  absl::Status Publish(Manifest m);
  // reorder: with force, merge every segment (even one) into one in BP order.
  absl::Status MaybeMerge(size_t max_segments, bool force,
                          const index::MergeOptions& merge_options = {});
  // Runs the merge policy after a commit; keeps its error as the background error.
  void AutoMerge();
  // The background error once, if it has not been reported yet; else OK.
  absl::Status ReportBackgroundError();
  void ResetSession();
  // With reject_duplicate_ids: whether `id` (hash h) was added in this session.
  absl::StatusOr<bool> AddedInSession(std::string_view id, uint64_t h);
  void TakeFlushedIds();
  // What the session holds besides the builders, charged to their budget.
  void UpdateReserved() {
    workers->SetReserved(filter.bytes() + deleted_bytes +
                         deleted.capacity() * (sizeof(index::DeletedIds::value_type) + 1));
  }
};

absl::Status IndexWriter::Impl::Init() {
  SCOUR_ASSIGN_OR_RETURN(lock, dir->Lock(index::kWriteLockFileName));
  Manifest on_disk;
  auto m = index::ReadManifest(dir);
  if (m.ok()) {
    on_disk = *std::move(m);
    if (options.analyzer_explicit && (on_disk.language != options.analyzer.language ||
                                      on_disk.stopwords != options.analyzer.stopwords))
      return absl::InvalidArgumentError(absl::StrCat(
          "the index was built with --language ", on_disk.language,
          on_disk.stopwords ? " --stopwords" : "",
          "; it cannot take documents analysed with --language ", options.analyzer.language,
          options.analyzer.stopwords ? " --stopwords" : ""));
  } else if (absl::IsNotFound(m.status())) {
    if (!options.create_if_missing) return m.status();
    on_disk.language = options.analyzer.language;
    on_disk.stopwords = options.analyzer.stopwords;
  } else {
    return m.status();
  }
  fields = on_disk.fields;
  next_segment = on_disk.next_segment;
  publisher = std::make_unique<index::Publisher>(dir, std::move(on_disk));
  publisher->DeleteUnreferenced();  // leftovers of a crashed or abandoned session

  AnalyzerOptions aopts;
  aopts.language = committed().language;
  aopts.stopwords = committed().stopwords;
  int threads = options.threads > 0
                    ? options.threads
                    : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const index::RamBudget budget = index::SplitRamBudget(options.ram_budget_mb);
  std::vector<Analyzer> analyzers;
  for (int i = 0; i < threads; ++i) {
    SCOUR_ASSIGN_OR_RETURN(Analyzer a, Analyzer::Create(aopts));
    analyzers.push_back(std::move(a));
  }
  workers = std::make_unique<index::WorkerPool>(dir, std::move(analyzers), budget.builders,
                                                budget.batches, &next_segment, options.term_vectors,
                                                options.reject_duplicate_ids);
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
  // The errors in their usual order: a repeated id first, then a field name (FieldId).
  uint64_t id_hash = 0;
  if (options.reject_duplicate_ids) {
    id_hash = filter.Hash(doc->id);
    SCOUR_ASSIGN_OR_RETURN(const bool added, AddedInSession(doc->id, id_hash));
    if (added)
      return absl::AlreadyExistsError(absl::StrCat("duplicate id \"", doc->id, "\" in this run"));
  }
  bool reserved_field = false;
  for (const Field& f : doc->fields) reserved_field |= f.name.empty() || f.name[0] == '_';
  if (reserved_field) {
    for (const Field& f : doc->fields) SCOUR_RETURN_IF_ERROR(FieldId(f.name).status());
  }
  // Nothing below can fail.
  if (options.reject_duplicate_ids) filter.AddUnflushed(id_hash);
  if (batch.size == batch.docs.size()) {
    if (batch.docs.empty()) batch.docs.reserve(index::kBatchDocs);
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
  p.id_hash = id_hash;
  if ((p.seq & 1023) == 0) UpdateReserved();
  if (recycle) {
    p.doc.id.swap(doc->id);  // member swaps: std::swap would move each member three times
    p.doc.fields.swap(doc->fields);
  } else {
    p.doc = std::move(*doc);
  }
  stats.docs_added++;
  if (batch.size >= index::kBatchDocs || batch_bytes >= index::kBatchBytes) Dispatch();
  return absl::OkStatus();
}

void IndexWriter::Impl::TakeFlushedIds() {
  for (index::FlushedIds& f : workers->TakeFlushedIds()) filter.AddFlushed(std::move(f));
  UpdateReserved();
}

absl::StatusOr<bool> IndexWriter::Impl::AddedInSession(std::string_view id, uint64_t h) {
  if (workers->HasFlushedIds()) TakeFlushedIds();
  if (filter.UnflushedMayHold(h)) {
    // Exactly: the batch being filled, then the builders once the workers are idle (a document
    // flushed meanwhile is found below, in its segment).
    for (size_t i = 0; i < batch.size; ++i)
      if (batch.docs[i].doc.id == id) return true;
    Dispatch();
    workers->WaitIdle();
    if (workers->HasFlushedIds()) TakeFlushedIds();
    if (workers->BuildersHoldId(id)) return true;
  }
  return filter.FlushedHold(dir, id, h);
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

absl::Status IndexWriter::Impl::CommitSession() {
  SCOUR_RETURN_IF_ERROR(WaitIdle());
  std::vector<SessionSegment> session = workers->TakeSegments();
  std::sort(session.begin(), session.end(), [](const SessionSegment& a, const SessionSegment& b) {
    return a.ref.number < b.ref.number;
  });
  stats.segments_flushed += session.size();

  Manifest next = committed();
  next.fields = fields;
  next.next_segment = next_segment.load();
  next.segments.clear();
  if (pending_synonyms) {
    next.synonyms = 0;
    if (*pending_synonyms) {
      next.synonyms = committed().generation + 1;  // the generation Publish gives `next`
      SCOUR_RETURN_IF_ERROR(index::WriteSynonymsFile(dir, next.synonyms, **pending_synonyms));
    }
  }

  // Deletions in committed segments (every id added or deleted in this session) and inside this
  // session's segments (superseded or deleted ids).
  std::vector<SegmentRef> committed_refs, session_refs;
  filter.CloseDictionaries();
  SCOUR_RETURN_IF_ERROR(index::ApplyIdDeletes(
      dir, committed().segments, [&](size_t i) { return publisher->Reader(i); }, session, deleted,
      &committed_refs, &session_refs));
  for (const SegmentRef& ref : committed_refs)
    if (ref.deleted < ref.doc_count) next.segments.push_back(ref);
  for (const SegmentRef& ref : session_refs)
    if (ref.deleted < ref.doc_count) next.segments.push_back(ref);
  return Publish(std::move(next));
}

absl::Status IndexWriter::Impl::Publish(Manifest m) {
  bool visible = false;
  absl::Status s = publisher->Publish(std::move(m), &visible);
  if (visible) ResetSession();
  return s;
}

void IndexWriter::Impl::ResetSession() {
  pending_synonyms.reset();
  index::DeletedIds().swap(deleted);
  deleted_bytes = 0;
  filter.clear();
  workers->SetReserved(0);
  fields = committed().fields;
  seq = 0;
}

absl::Status IndexWriter::Impl::MaybeMerge(size_t max_segments, bool force,
                                           const index::MergeOptions& merge_options) {
  for (bool first = true;; first = false) {
    std::vector<std::vector<size_t>> groups;
    if (force && merge_options.reorder) {
      // One merge of everything; then done.
      if (!first || committed().segments.empty()) return absl::OkStatus();
      std::vector<size_t> all(committed().segments.size());
      for (size_t i = 0; i < all.size(); ++i) all[i] = i;
      groups.push_back(std::move(all));
    } else if (force) {
      std::vector<size_t> group = index::PickForcedMerge(committed().segments, max_segments);
      if (!group.empty()) groups.push_back(std::move(group));
    } else {
      std::vector<uint64_t> sizes;
      for (const auto& s : committed().segments) sizes.push_back(s.doc_count - s.deleted);
      groups = index::PickMerges(sizes, options.merge_factor);
    }
    if (groups.empty()) return absl::OkStatus();
    const std::vector<size_t>& g = groups.front();
    std::vector<std::shared_ptr<SegmentReader>> readers;
    for (size_t i : g) {
      SCOUR_ASSIGN_OR_RETURN(auto r, publisher->Reader(i));
      readers.push_back(r);
    }
    uint64_t number = next_segment.fetch_add(1);
    index::MergeStats merge_stats;
    SCOUR_ASSIGN_OR_RETURN(SegmentRef merged,
                           index::MergeSegments(dir, readers, number, merge_options, &merge_stats));
    if (merge_options.reorder) {
      stats.reorder_terms = merge_stats.graph_terms;
      stats.reorder_postings = merge_stats.graph_postings;
      stats.reorder_seconds = merge_stats.reorder_seconds;
    }
    Manifest m = committed();
    m.next_segment = next_segment.load();
    m.segments.clear();
    bool placed = false;
    for (size_t i = 0; i < committed().segments.size(); ++i) {
      if (std::find(g.begin(), g.end(), i) == g.end()) {
        m.segments.push_back(committed().segments[i]);
      } else if (!placed) {
        if (merged.doc_count > 0) m.segments.push_back(merged);
        placed = true;
      }
    }
    SCOUR_RETURN_IF_ERROR(Publish(std::move(m)));
  }
}

void IndexWriter::Impl::AutoMerge() {
  const uint64_t generation = committed().generation;
  absl::Status s = MaybeMerge(0, false);
  if (s.ok()) {
    background_error = absl::OkStatus();
    background_error_unreported = false;
    return;
  }
  background_error = absl::Status(
      s.code(),
      absl::StrCat("the automatic merge after commit ", generation, " failed: ", s.message(),
                   " (the commit stands; the next commit retries the merge)"));
  background_error_unreported = true;
}

absl::Status IndexWriter::Impl::ReportBackgroundError() {
  if (!background_error_unreported) return absl::OkStatus();
  background_error_unreported = false;
  return absl::Status(background_error.code(),
                      absl::StrCat(background_error.message(),
                                   "; reported once by this call, which did nothing else"));
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

absl::StatusOr<std::unique_ptr<IndexWriter>> index::OpenIndexWriter(
    Directory* dir, const IndexWriterOptions& options) {
  auto impl = InternalAccess::NewImpl<IndexWriter>();
  impl->dir = dir;
  impl->options = options;
  SCOUR_RETURN_IF_ERROR(impl->Init());
  return std::unique_ptr<IndexWriter>(InternalAccess::New<IndexWriter>(std::move(impl)));
}

void index::SetIdHashMaskForTesting(IndexWriter* writer, uint64_t mask) {
  InternalAccess::Impl(*writer).filter.set_hash_mask(mask);
}

index::SessionFilterHits index::SessionFilterHitsForTesting(const IndexWriter& writer) {
  const auto& impl = InternalAccess::Impl(writer);
  return {impl.filter.filter_hits(), impl.filter.false_hits()};
}

absl::Status IndexWriter::AddDocument(const Document& doc) {
  SCOUR_RETURN_IF_ERROR(impl_->ReportBackgroundError());
  Document copy(doc);
  return impl_->Add(&copy, false);
}
absl::Status IndexWriter::AddDocument(Document&& doc) {
  SCOUR_RETURN_IF_ERROR(impl_->ReportBackgroundError());
  return impl_->Add(&doc, false);
}
absl::Status IndexWriter::AddDocumentRecycling(Document* doc) {
  SCOUR_RETURN_IF_ERROR(impl_->ReportBackgroundError());
  return impl_->Add(doc, true);
}

absl::Status IndexWriter::DeleteDocument(std::string_view id) {
  SCOUR_RETURN_IF_ERROR(impl_->ReportBackgroundError());
  auto [it, inserted] = impl_->deleted.try_emplace(std::string(id), impl_->seq);
  if (inserted) {
    if (it->first.capacity() > sizeof(std::string) - 1)
      impl_->deleted_bytes += it->first.capacity() + 1;
  } else {
    it->second = impl_->seq;  // the last delete counts
  }
  if ((++impl_->stats.deletes_requested & 1023) == 0) impl_->UpdateReserved();
  return absl::OkStatus();
}

absl::Status IndexWriter::SetSynonyms(std::shared_ptr<const SynonymSet> synonyms) {
  const Manifest& m = impl_->committed();
  if (synonyms && (synonyms->analyzer_options().language != m.language ||
                   synonyms->analyzer_options().stopwords != m.stopwords)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "synonyms ", synonyms->source_name(), " were analysed with --language ",
        synonyms->analyzer_options().language,
        synonyms->analyzer_options().stopwords ? " --stopwords" : "",
        "; the index uses --language ", m.language, m.stopwords ? " --stopwords" : ""));
  }
  impl_->pending_synonyms = std::move(synonyms);
  return absl::OkStatus();
}

absl::Status IndexWriter::Commit() {
  SCOUR_RETURN_IF_ERROR(impl_->ReportBackgroundError());
  SCOUR_RETURN_IF_ERROR(impl_->CommitSession());
  // The commit is durable here. The automatic merge that follows changes no document, so its
  // failure must not report the commit as failed (the caller would think its documents lost):
  // it is kept and reported by background_error() and the next call; the next commit retries
  // it. ForceMerge reports its own merge's errors.
  if (impl_->options.auto_merge) impl_->AutoMerge();
  return absl::OkStatus();
}

absl::Status IndexWriter::Rollback() {
  impl_->batch.size = 0;
  impl_->batch_bytes = 0;
  impl_->workers->Discard();
  impl_->ResetSession();
  impl_->publisher->DeleteUnreferenced();
  return absl::OkStatus();
}

absl::Status IndexWriter::ForceMerge(size_t max_segments) {
  SCOUR_RETURN_IF_ERROR(Commit());
  absl::Status s = impl_->MaybeMerge(std::max<size_t>(max_segments, 1), true);
  // This call reports its own merge's outcome: a failure of the automatic merge just before it
  // is not reported again, and a forced merge that succeeds leaves nothing to retry.
  impl_->background_error_unreported = false;
  if (s.ok()) impl_->background_error = absl::OkStatus();
  return s;
}

absl::Status IndexWriter::ForceMerge(const ForceMergeOptions& options) {
  if (!options.reorder) return ForceMerge(options.max_segments);
  const ReorderOptions& r = options.reorder_options;
  if (options.max_segments > 1)
    return absl::InvalidArgumentError("reorder merges into one segment: max_segments must be 1");
  if (r.iterations < 1 || r.iterations > 100)
    return absl::InvalidArgumentError(
        absl::StrCat("reorder iterations must be 1-100, not ", r.iterations));
  if (r.min_doc_freq < 2)
    return absl::InvalidArgumentError(
        absl::StrCat("reorder min_doc_freq must be at least 2, not ", r.min_doc_freq));
  if (r.min_partition < 2)
    return absl::InvalidArgumentError(
        absl::StrCat("reorder min_partition must be at least 2, not ", r.min_partition));
  SCOUR_RETURN_IF_ERROR(Commit());
  index::MergeOptions m;
  m.reorder = true;
  m.bisection.iterations = r.iterations;
  m.bisection.min_partition = r.min_partition;
  m.min_doc_freq = r.min_doc_freq;
  m.buffer_bytes = std::max<size_t>(impl_->options.ram_budget_mb, 1) << 20;
  absl::Status s = impl_->MaybeMerge(1, true, m);
  impl_->background_error_unreported = false;
  if (s.ok()) impl_->background_error = absl::OkStatus();
  return s;
}

IndexWriterStats IndexWriter::stats() const { return impl_->stats; }

absl::Status IndexWriter::background_error() const { return impl_->background_error; }

}  // namespace scour
