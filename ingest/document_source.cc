// The public DocumentSource (include/scour/document_source.h) over the ingest readers.
#include "scour/document_source.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "ingest/document_reader.h"

namespace scour {

struct DocumentSource::Impl {
  std::unique_ptr<ingest::DocumentReader> reader;
};

DocumentSource::DocumentSource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DocumentSource::~DocumentSource() = default;

absl::StatusOr<std::unique_ptr<DocumentSource>> DocumentSource::Open(
    const std::string& path, const DocumentSourceOptions& options) {
  ingest::ReaderOptions o;
  SCOUR_ASSIGN_OR_RETURN(o.format, ingest::ParseFormat(options.format));
  o.id_field = options.id_field;
  o.fields = options.fields;
  o.store = options.store;
  auto impl = std::make_unique<Impl>();
  SCOUR_ASSIGN_OR_RETURN(impl->reader, ingest::OpenReader(path, o));
  return std::unique_ptr<DocumentSource>(new DocumentSource(std::move(impl)));
}

absl::StatusOr<bool> DocumentSource::Next(Document* doc) { return impl_->reader->Next(doc); }

std::string DocumentSource::origin() const {
  ingest::RecordOrigin o = impl_->reader->origin();
  return o.line ? absl::StrCat(o.file, ":", o.line) : o.file;
}

uint64_t DocumentSource::bytes_read() const { return impl_->reader->bytes_read(); }
uint64_t DocumentSource::bytes_total() const { return impl_->reader->bytes_total(); }

}  // namespace scour
