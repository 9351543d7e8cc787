#include "index/segment/term_vectors.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status_macros.h"
#include "base/string_view.h"

namespace scour::index {

void EncodeTermVector(const std::vector<std::pair<std::string, uint32_t>>& terms,
                      std::string* out) {
  PutVarint64(out, terms.size());
  std::string_view prev;
  for (const auto& [term, tf] : terms) {
    size_t shared = 0;
    while (shared < prev.size() && shared < term.size() && prev[shared] == term[shared]) ++shared;
    PutVarint64(out, shared);
    PutVarint64(out, term.size() - shared);
    out->append(term, shared);
    PutVarint32(out, tf);
    prev = term;
  }
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

void TermVectorsBuilder::AddTerm(uint32_t field, std::string_view term, const uint32_t* docs,
                                 const uint32_t* freqs, size_t df) {
  const auto id = static_cast<uint32_t>(refs_.size());
  refs_.push_back({field, terms_.size(), static_cast<uint32_t>(term.size())});
  terms_.append(term);
  for (size_t i = 0; i < df; ++i) postings_.push_back({docs[i], id, freqs[i]});
}

absl::Status TermVectorsBuilder::WriteTo(FramedWriter* out) {
  // Counting sort by document; within one, the terms stay in the order they were added (field,
  // then term).
  std::vector<uint32_t> start(size_t{doc_count_} + 1, 0);
  for (const Posting& p : postings_) ++start[p.doc + 1];
  for (size_t d = 0; d < doc_count_; ++d) start[d + 1] += start[d];
  std::vector<Posting> by_doc(postings_.size());
  {
    std::vector<uint32_t> at(start.begin(), start.end() - 1);
    for (const Posting& p : postings_) by_doc[at[p.doc]++] = p;
  }
  postings_.clear();
  postings_.shrink_to_fit();
  StoredFieldsWriter chunks;
  std::vector<std::string> values;
  std::vector<std::pair<uint32_t, std::string_view>> fields;
  std::vector<std::pair<std::string, uint32_t>> vec;
  for (uint32_t d = 0; d < doc_count_; ++d) {
    values.clear();
    fields.clear();
    std::vector<uint32_t> field_ids;
    for (uint32_t i = start[d]; i < start[d + 1];) {
      const uint32_t field = refs_[by_doc[i].term].field;
      vec.clear();
      for (; i < start[d + 1] && refs_[by_doc[i].term].field == field; ++i) {
        const TermRef& t = refs_[by_doc[i].term];
        vec.emplace_back(terms_.substr(t.offset, t.size), by_doc[i].tf);
      }
      values.emplace_back();
      EncodeTermVector(vec, &values.back());
      field_ids.push_back(field);
    }
    for (size_t f = 0; f < values.size(); ++f) fields.emplace_back(field_ids[f], values[f]);
    chunks.AddDocument(fields);
  }
  return chunks.WriteTo(out);
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
