#include "index/commit/manifest.h"

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status_macros.h"
#include "index/format/file_format.h"
#include "index/format/file_names.h"
#include "index/segment/segment_writer.h"

namespace scour::index {

int Manifest::FieldId(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i] == name) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> Manifest::FileNames() const {
  std::vector<std::string> names = {kManifestFileName};
  for (const SegmentRef& s : segments) {
    for (auto& n : SegmentWriter::FileNames(s.number)) names.push_back(n);
    if (s.del_gen) names.push_back(DeletesFileName(s.number, s.del_gen));
  }
  if (synonyms != 0) names.push_back(SynonymsFileName(synonyms));
  return names;
}

absl::StatusOr<Manifest> ReadManifest(Directory* dir) {
  SCOUR_ASSIGN_OR_RETURN(bool exists, dir->Exists(kManifestFileName));
  if (!exists)
    return absl::NotFoundError(absl::StrCat("no index in ", dir->Describe(), " (no MANIFEST)"));
  SCOUR_ASSIGN_OR_RETURN(auto file, dir->Open(kManifestFileName));
  std::string name = absl::StrCat(dir->Describe(), "/", kManifestFileName);
  SCOUR_ASSIGN_OR_RETURN(std::string_view body,
                         CheckFrame(file->data(), FileKind::kManifest, name));
  ByteReader r(body);
  Manifest m;
  m.generation = r.U64();
  m.next_segment = r.U64();
  m.language = std::string(r.Bytes(r.Varint64()));
  m.stopwords = r.U8() & 1;
  uint64_t nf = r.Varint64();
  if (!r.ok() || nf == 0 || nf > r.remaining())
    return absl::DataLossError(absl::StrCat(name, ": corrupt field table"));
  m.fields.clear();
  for (uint64_t i = 0; i < nf && r.ok(); ++i) m.fields.emplace_back(r.Bytes(r.Varint64()));
  uint64_t ns = r.Varint64();
  if (!r.ok() || ns > r.remaining() / 24)
    return absl::DataLossError(absl::StrCat(name, ": corrupt segment list"));
  for (uint64_t i = 0; i < ns; ++i) {
    SegmentRef s;
    s.number = r.U64();
    s.doc_count = r.U32();
    s.deleted = r.U32();
    s.del_gen = r.U64();
    if (s.deleted > s.doc_count || s.number >= m.next_segment)
      return absl::DataLossError(absl::StrCat(name, ": inconsistent segment entry ", i));
    m.segments.push_back(s);
  }
  if (FrameVersion(file->data()) >= 3) {  // format 3 added the synonyms (docs/format)
    m.synonyms = r.U64();
    if (m.synonyms > m.generation)
      return absl::DataLossError(absl::StrCat(name, ": synonyms generation ", m.synonyms,
                                              " after the commit's ", m.generation));
  }
  if (!r.ok() || r.remaining() != 0 || m.fields[0] != "_id")
    return absl::DataLossError(absl::StrCat(name, ": corrupt manifest body"));
  return m;
}

absl::Status WriteManifest(Directory* dir, const Manifest& m) {
  const std::string tmp = kManifestTempFileName;
  SCOUR_ASSIGN_OR_RETURN(auto w, FramedWriter::Create(dir, tmp, FileKind::kManifest));
  std::string body;
  PutFixed64(&body, m.generation);
  PutFixed64(&body, m.next_segment);
  PutVarint64(&body, m.language.size());
  body += m.language;
  body.push_back(m.stopwords ? 1 : 0);
  PutVarint64(&body, m.fields.size());
  for (const auto& f : m.fields) {
    PutVarint64(&body, f.size());
    body += f;
  }
  PutVarint64(&body, m.segments.size());
  for (const SegmentRef& s : m.segments) {
    PutFixed64(&body, s.number);
    PutFixed32(&body, s.doc_count);
    PutFixed32(&body, s.deleted);
    PutFixed64(&body, s.del_gen);
  }
  PutFixed64(&body, m.synonyms);
  SCOUR_RETURN_IF_ERROR(w.Append(body));
  SCOUR_RETURN_IF_ERROR(w.Finish());
  SCOUR_RETURN_IF_ERROR(dir->Rename(tmp, kManifestFileName));
  return dir->SyncDir();
}

}  // namespace scour::index
