#include "scour/index_reader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "index/commit/reader_impl.h"

namespace scour {

const std::string* StoredDocument::Get(std::string_view name) const {
  for (const auto& [n, v] : fields)
    if (n == name) return &v;
  return nullptr;
}

IndexReader::Impl::GlobalFieldStats IndexReader::Impl::FieldStats(uint32_t field) const {
  GlobalFieldStats g;
  for (const auto& s : segments)
    if (const index::FieldStats* f = s->info().Find(field)) {
      g.docs_with_field += f->docs_with_field;
      g.sum_total_tf += f->sum_total_tf;
    }
  return g;
}

std::pair<size_t, uint32_t> IndexReader::Impl::Locate(uint64_t doc) const {
  size_t s = std::upper_bound(bases.begin(), bases.end(), doc) - bases.begin() - 1;
  return {s, static_cast<uint32_t>(doc - bases[s])};
}

namespace {

absl::Status OpenSnapshot(IndexReader::Impl* impl, const ReaderOptions& options) {
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
      impl->bases.push_back(impl->max_doc);
      impl->max_doc += ref.doc_count;
      impl->deleted += ref.deleted;
      impl->segments.push_back(*std::move(seg));
    }
    if (last.ok() || !absl::IsNotFound(last)) return last;
  }
  return last;
}

}  // namespace

IndexReader::IndexReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexReader::~IndexReader() = default;

absl::StatusOr<std::shared_ptr<IndexReader>> IndexReader::Open(const std::string& path,
                                                               const ReaderOptions& options) {
  auto impl = std::make_unique<Impl>();
  SCOUR_ASSIGN_OR_RETURN(impl->owned_dir, index::OpenFsDirectory(path, /*create=*/false));
  impl->dir = impl->owned_dir.get();
  SCOUR_RETURN_IF_ERROR(OpenSnapshot(impl.get(), options));
  return std::shared_ptr<IndexReader>(new IndexReader(std::move(impl)));
}

absl::StatusOr<std::shared_ptr<IndexReader>> IndexReader::Open(index::Directory* dir,
                                                               const ReaderOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  SCOUR_RETURN_IF_ERROR(OpenSnapshot(impl.get(), options));
  return std::shared_ptr<IndexReader>(new IndexReader(std::move(impl)));
}

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
  for (uint32_t f = 1; f < impl_->manifest.fields.size(); ++f) {
    FieldStatistics fs;
    fs.name = impl_->manifest.fields[f];
    for (const auto& s : impl_->segments)
      if (const index::FieldStats* st = s->info().Find(f)) {
        fs.docs_with_field += st->docs_with_field;
        fs.sum_total_tf += st->sum_total_tf;
        fs.sum_df += st->sum_df;
        fs.terms += st->num_terms;
      }
    out.push_back(fs);
  }
  return out;
}

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
  for (auto& f : fields) {
    if (f.field == index::kIdField) {
      out.id = std::move(f.value);
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
