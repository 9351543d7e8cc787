// Term vectors (.tvec, docs/format/README.md): each document's terms with their frequencies, per
// indexed field, so that feedback reads a document's terms without re-analysing its text. Laid
// out as .store is (zstd chunks of documents), each field's value a front-coded vector, and
// written as .store is: a document at a time, compressed as it comes (the writer keeps only
// compressed chunks). The SegmentBuilder makes each document's vectors from the term ids it
// inverted; a merge copies its sources' encoded vectors. TermVectorsWriter writes the file,
// TermVectorsReader reads it. Neither is thread-safe; the reader may be copied per thread.
#ifndef SCOUR_INDEX_SEGMENT_TERM_VECTORS_H_
#define SCOUR_INDEX_SEGMENT_TERM_VECTORS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/format/file_format.h"
#include "index/segment/stored_fields.h"

namespace scour::index {

// One field's vector: (term, tf), terms strictly increasing bytewise, tf >= 1.
struct FieldTermVector {
  uint32_t field = 0;
  std::vector<std::pair<std::string, uint32_t>> terms;
};

// A field's bytes in the file; `terms` strictly increasing, non-empty, tf >= 1.
void EncodeTermVector(std::span<const std::pair<std::string_view, uint32_t>> terms,
                      std::string* out);
void EncodeTermVector(const std::vector<std::pair<std::string, uint32_t>>& terms, std::string* out);
// DataLoss (naming `name`) unless `bytes` is exactly one well-formed vector.
absl::Status DecodeTermVector(std::string_view bytes, std::string_view name,
                              std::vector<std::pair<std::string, uint32_t>>* terms);

class TermVectorsWriter {
 public:
  // Documents in doc-id order from 0, one call each. A document's fields: ids increasing, not
  // _id, each with at least one term; a document without indexed tokens has none.
  void AddDocument(const std::vector<FieldTermVector>& fields);
  // The same with each field's value already encoded (EncodeTermVector): the builder's
  // vectors, or a merge copying a source's document as it is.
  void AddEncoded(const std::vector<std::pair<uint32_t, std::string_view>>& fields) {
    chunks_.AddDocument(fields);
  }
  size_t ram_bytes() const { return chunks_.ram_bytes(); }
  // Writes the body (every document added, in order).
  absl::Status WriteTo(FramedWriter* out) { return chunks_.WriteTo(out); }

 private:
  StoredFieldsWriter chunks_;
  std::vector<std::string> values_;
  std::vector<std::pair<uint32_t, std::string_view>> encoded_;
};

class TermVectorsReader {
 public:
  // `file` is the whole .tvec file (frame already checked by the caller).
  static absl::StatusOr<TermVectorsReader> Open(std::string_view file, std::string_view name);
  // The vectors of `doc` (its fields with at least one token, ids increasing).
  absl::Status Get(uint32_t doc, std::vector<FieldTermVector>* out) const;
  // Every document in order, each chunk decompressed once (check); DataLoss unless the file
  // holds exactly documents [0, doc_count) with well-formed vectors in increasing fields.
  absl::Status ForEachDocument(
      uint32_t doc_count,
      absl::FunctionRef<absl::Status(uint32_t doc, const std::vector<FieldTermVector>& fields)> fn)
      const;
  // Every document's encoded fields in order, undecoded (a merge copies them as they are); the
  // views are valid during the call only.
  absl::Status ForEachEncoded(
      uint32_t doc_count,
      absl::FunctionRef<absl::Status(uint32_t doc,
                                     std::span<const StoredFieldsReader::FieldView> fields)>
          fn) const {
    return chunks_.ForEachDocument(doc_count, fn);
  }

 private:
  StoredFieldsReader chunks_;
  std::string name_;
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_SEGMENT_TERM_VECTORS_H_
