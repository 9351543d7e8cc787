#include "scour/index_reader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/internal_access.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "index/commit/reader_impl.h"
#include "index/commit/synonyms_file.h"

namespace scour {

struct IndexReader::Impl : index::Snapshot {};

const std::string* StoredDocument::Get(std::string_view name) const {
  for (const auto& [n, v] : fields)
    if (n == name) return &v;
  return nullptr;
}

namespace index {

FieldStatistics Snapshot::FieldStats(uint32_t field) const {
  FieldStatistics g;
  if (field < manifest.fields.size()) g.name = manifest.fields[field];
  for (const auto& s : segments)
    if (const FieldInfo* f = s->info().Find(field)) {
      g.docs_with_field += f->docs_with_field;
      g.sum_total_term_freq += f->sum_total_term_freq;
      g.sum_doc_freq += f->sum_doc_freq;
      g.terms += f->terms;
    }
  return g;
}

absl::StatusOr<TermStatistics> Snapshot::TermStats(
    uint32_t field, std::string_view term, std::vector<std::optional<TermInfo>>* entries) const {
  TermStatistics t;
  if (field < manifest.fields.size()) t.field = manifest.fields[field];
  t.term = term;
  if (entries != nullptr) entries->clear();
  for (const auto& s : segments) {
    SCOUR_ASSIGN_OR_RETURN(auto info, s->Lookup(field, term));
    if (info) {
      t.doc_freq += info->df;
      t.total_term_freq += info->cf;
    }
    if (entries != nullptr) entries->push_back(info);
  }
  return t;
}

std::pair<size_t, uint32_t> Snapshot::Locate(uint64_t doc) const {
  size_t s = std::upper_bound(bases.begin(), bases.end(), doc) - bases.begin() - 1;
  return {s, static_cast<uint32_t>(doc - bases[s])};
}

const Snapshot& SnapshotOf(const IndexReader& reader) { return InternalAccess::Impl(reader); }

}  // namespace index

namespace {

absl::Status OpenSnapshot(index::Snapshot* impl, const IndexReaderOptions& options) {
  // A writer may publish a new commit and delete the old one's files between our reading the
  // manifest and opening them: then read the new manifest and try again.
  absl::Status last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    SCOUR_ASSIGN_OR_RETURN(impl->manifest, index::ReadManifest(impl->dir));
    impl->segments.clear();
    impl->bases.clear();
    impl->max_doc = impl->deleted = 0;
    last = absl::OkStatus();
    for (const auto& ref : impl->manifest.segments) {
      auto seg = index::SegmentReader::Open(impl->dir, ref, options.verify_checksums);
      if (!seg.ok()) {
        last = seg.status();
        break;
      }
      // Field ids index the manifest's table everywhere above this layer.
      const auto& fields = (*seg)->info().fields;
      if (!fields.empty() && fields.back().field >= impl->manifest.fields.size()) {
        last = absl::DataLossError(absl::StrCat("segment ", ref.number, ": field id ",
                                                fields.back().field, " not in the manifest"));
        break;
      }
      impl->bases.push_back(impl->max_doc);
      impl->max_doc += ref.doc_count;
      impl->deleted += ref.deleted;
      impl->segments.push_back(*std::move(seg));
    }
    if (last.ok()) {
      auto synonyms = index::ReadSynonymsFile(impl->dir, impl->manifest);
      if (synonyms.ok()) {
        impl->synonyms = *std::move(synonyms);
      } else {
        last = synonyms.status();
      }
    }
    if (last.ok() || !absl::IsNotFound(last)) return last;
  }
  return last;
}

}  // namespace

IndexReader::IndexReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexReader::~IndexReader() = default;

absl::StatusOr<std::shared_ptr<IndexReader>> IndexReader::Open(const std::string& path,
                                                               const IndexReaderOptions& options) {
  auto impl = std::make_unique<Impl>();
  SCOUR_ASSIGN_OR_RETURN(impl->owned_dir, index::OpenFsDirectory(path, /*create=*/false));
  impl->dir = impl->owned_dir.get();
  SCOUR_RETURN_IF_ERROR(OpenSnapshot(impl.get(), options));
  return std::shared_ptr<IndexReader>(new IndexReader(std::move(impl)));
}

namespace index {

absl::StatusOr<std::shared_ptr<IndexReader>> OpenIndexReader(Directory* dir,
                                                             const IndexReaderOptions& options) {
  auto impl = InternalAccess::NewImpl<IndexReader>();
  impl->dir = dir;
  SCOUR_RETURN_IF_ERROR(OpenSnapshot(impl.get(), options));
  return std::shared_ptr<IndexReader>(InternalAccess::New<IndexReader>(std::move(impl)));
}

}  // namespace index

uint64_t IndexReader::generation() const { return impl_->manifest.generation; }
uint64_t IndexReader::num_docs() const { return impl_->max_doc - impl_->deleted; }
uint64_t IndexReader::max_doc() const { return impl_->max_doc; }
uint64_t IndexReader::num_deleted() const { return impl_->deleted; }
size_t IndexReader::num_segments() const { return impl_->segments.size(); }

std::vector<std::string> IndexReader::field_names() const {
  return std::vector<std::string>(impl_->manifest.fields.begin() + 1, impl_->manifest.fields.end());
}

std::vector<FieldStatistics> IndexReader::field_statistics() const {
  std::vector<FieldStatistics> out;
  for (uint32_t f = 1; f < impl_->manifest.fields.size(); ++f) out.push_back(impl_->FieldStats(f));
  return out;
}

absl::StatusOr<TermStatistics> IndexReader::term_statistics(std::string_view field,
                                                            std::string_view term) const {
  const int id = impl_->manifest.FieldId(field);
  if (id <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("unknown field \"", Av(field), "\""));
  }
  return impl_->TermStats(static_cast<uint32_t>(id), term);
}

std::shared_ptr<const SynonymSet> IndexReader::synonyms() const { return impl_->synonyms; }

AnalyzerOptions IndexReader::analyzer_options() const {
  AnalyzerOptions a;
  a.language = impl_->manifest.language;
  a.stopwords = impl_->manifest.stopwords;
  return a;
}

absl::StatusOr<StoredDocument> IndexReader::Document(uint64_t doc) const {
  if (doc >= impl_->max_doc)
    return absl::OutOfRangeError(absl::StrCat("document ", doc, " >= max_doc ", impl_->max_doc));
  auto [s, local] = impl_->Locate(doc);
  std::vector<index::StoredField> fields;
  SCOUR_RETURN_IF_ERROR(impl_->segments[s]->Stored(local, &fields));
  StoredDocument out;
  // The id from the dictionary, for every format version: from 5 on `.store` has none, and
  // formats 1-4 hold the same bytes as their first stored field (skipped below).
  SCOUR_ASSIGN_OR_RETURN(std::string_view id, impl_->segments[s]->ExternalId(local));
  out.id = std::string(id);
  for (auto& f : fields) {
    if (f.field == index::kIdField) {
      continue;
    } else if (f.field < impl_->manifest.fields.size()) {
      out.fields.emplace_back(impl_->manifest.fields[f.field], std::move(f.value));
    } else {
      return absl::DataLossError(absl::StrCat("stored field id ", f.field, " not in the manifest"));
    }
  }
  return out;
}

absl::StatusOr<std::string_view> IndexReader::ExternalId(uint64_t doc) const {
  if (doc >= impl_->max_doc)
    return absl::OutOfRangeError(absl::StrCat("document ", doc, " >= max_doc ", impl_->max_doc));
  auto [s, local] = impl_->Locate(doc);
  return impl_->segments[s]->ExternalId(local);
}

absl::StatusOr<uint64_t> IndexReader::Find(std::string_view id) const {
  for (size_t s = 0; s < impl_->segments.size(); ++s) {
    SCOUR_ASSIGN_OR_RETURN(auto d, impl_->segments[s]->FindId(id));
    if (d) return impl_->bases[s] + *d;
  }
  return absl::NotFoundError(absl::StrCat("no document with id \"", std::string(id), "\""));
}

}  // namespace scour
