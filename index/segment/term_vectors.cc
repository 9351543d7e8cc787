#include "index/segment/term_vectors.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status_macros.h"
#include "base/string_view.h"

namespace scour::index {

void EncodeTermVector(std::span<const std::pair<std::string_view, uint32_t>> terms,
                      std::string* out) {
  PutVarint64(out, terms.size());
  std::string_view prev;
  for (const auto& [term, tf] : terms) {
    size_t shared = 0;
    while (shared < prev.size() && shared < term.size() && prev[shared] == term[shared]) ++shared;
    PutVarint64(out, shared);
    PutVarint64(out, term.size() - shared);
    out->append(term.substr(shared));
    PutVarint32(out, tf);
    prev = term;
  }
}

void EncodeTermVector(const std::vector<std::pair<std::string, uint32_t>>& terms,
                      std::string* out) {
  std::vector<std::pair<std::string_view, uint32_t>> views(terms.begin(), terms.end());
  EncodeTermVector(views, out);
}

absl::Status DecodeTermVector(std::string_view bytes, std::string_view name,
                              std::vector<std::pair<std::string, uint32_t>>* terms) {
  terms->clear();
  ByteReader r(bytes);
  const uint64_t m = r.Varint64();
  // Each term takes at least 3 bytes: a corrupt count cannot make us reserve more than that.
  if (!r.ok() || m == 0 || m > r.remaining() / 3)
    return absl::DataLossError(absl::StrCat(Av(name), ": bad term vector length"));
  terms->reserve(m);
  std::string prev;
  for (uint64_t i = 0; i < m; ++i) {
    const uint64_t shared = r.Varint64();
    const uint64_t suffix_len = r.Varint64();
    if (!r.ok() || shared > prev.size())
      return absl::DataLossError(absl::StrCat(Av(name), ": bad term vector entry ", i));
    const std::string_view suffix = r.Bytes(suffix_len);
    const uint32_t tf = r.Varint32();
    if (!r.ok() || tf == 0)
      return absl::DataLossError(absl::StrCat(Av(name), ": bad term vector entry ", i));
    std::string term = prev.substr(0, shared);
    term.append(suffix);
    if (i > 0 && !(prev < term))
      return absl::DataLossError(absl::StrCat(Av(name), ": term vector terms out of order"));
    prev = term;
    terms->emplace_back(std::move(term), tf);
  }
  if (r.remaining() != 0)
    return absl::DataLossError(absl::StrCat(Av(name), ": bytes after a term vector"));
  return absl::OkStatus();
}

void TermVectorsWriter::AddDocument(const std::vector<FieldTermVector>& fields) {
  values_.resize(fields.size());
  encoded_.clear();
  for (size_t i = 0; i < fields.size(); ++i) {
    values_[i].clear();
    EncodeTermVector(fields[i].terms, &values_[i]);
    encoded_.emplace_back(fields[i].field, values_[i]);
  }
  chunks_.AddDocument(encoded_);
}

absl::StatusOr<TermVectorsReader> TermVectorsReader::Open(std::string_view file,
                                                          std::string_view name) {
  TermVectorsReader r;
  SCOUR_ASSIGN_OR_RETURN(r.chunks_, StoredFieldsReader::Open(file, name, FileKind::kTermVectors));
  r.name_ = std::string(name);
  return r;
}

namespace {

absl::Status DecodeFields(std::span<const std::pair<uint32_t, std::string_view>> in,
                          std::string_view name, uint32_t doc, std::vector<FieldTermVector>* out) {
  out->resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i].first == 0 || (i > 0 && in[i].first <= in[i - 1].first))
      return absl::DataLossError(
          absl::StrCat(Av(name), ": document ", doc, ": term vector fields out of order"));
    (*out)[i].field = in[i].first;
    SCOUR_RETURN_IF_ERROR(DecodeTermVector(in[i].second, name, &(*out)[i].terms));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status TermVectorsReader::Get(uint32_t doc, std::vector<FieldTermVector>* out) const {
  std::vector<StoredField> raw;
  SCOUR_RETURN_IF_ERROR(chunks_.Get(doc, &raw));
  std::vector<std::pair<uint32_t, std::string_view>> views;
  for (const StoredField& f : raw) views.emplace_back(f.field, f.value);
  return DecodeFields(views, name_, doc, out);
}

absl::Status TermVectorsReader::ForEachDocument(
    uint32_t doc_count,
    absl::FunctionRef<absl::Status(uint32_t doc, const std::vector<FieldTermVector>& fields)> fn)
    const {
  std::vector<FieldTermVector> vectors;
  return chunks_.ForEachDocument(
      doc_count, [&](uint32_t doc, std::span<const StoredFieldsReader::FieldView> fields) {
        SCOUR_RETURN_IF_ERROR(DecodeFields(fields, name_, doc, &vectors));
        return fn(doc, vectors);
      });
}

}  // namespace scour::index
