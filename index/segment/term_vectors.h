// Term vectors (.tvec, docs/format/README.md): each document's terms with their frequencies, per
// indexed field, so that feedback reads a document's terms without re-analysing its text. Laid
// out as .store is (zstd chunks of documents), each field's value a front-coded vector.
// TermVectorsBuilder collects them from the terms a SegmentWriter writes (field, then term
// order, so every vector comes out sorted) and writes the file; TermVectorsReader reads it.
// Neither is thread-safe; the reader may be copied per thread.
#ifndef SCOUR_INDEX_SEGMENT_TERM_VECTORS_H_
#define SCOUR_INDEX_SEGMENT_TERM_VECTORS_H_

#include <cstdint>
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
void EncodeTermVector(const std::vector<std::pair<std::string, uint32_t>>& terms, std::string* out);
// DataLoss (naming `name`) unless `bytes` is exactly one well-formed vector.
absl::Status DecodeTermVector(std::string_view bytes, std::string_view name,
                              std::vector<std::pair<std::string, uint32_t>>* terms);

class TermVectorsBuilder {
 public:
  explicit TermVectorsBuilder(uint32_t doc_count) : doc_count_(doc_count) {}
  // One term of `field` (not _id) with its postings, in the SegmentWriter's key order.
  void AddTerm(uint32_t field, std::string_view term, const uint32_t* docs, const uint32_t* freqs,
               size_t df);
  // Writes the body (every document 0 .. doc_count-1, in order).
  absl::Status WriteTo(FramedWriter* out);

 private:
  uint32_t doc_count_;
  struct TermRef {
    uint32_t field;
    uint64_t offset;  // in terms_
    uint32_t size;
  };
  std::string terms_;
  std::vector<TermRef> refs_;
  struct Posting {
    uint32_t doc, term, tf;  // term: index in refs_
  };
  std::vector<Posting> postings_;
};

class TermVectorsReader {
 public:
  // `file` is the whole .tvec file (frame already checked by the caller).
  static absl::StatusOr<TermVectorsReader> Open(std::string_view file, std::string_view name);
  // The vectors of `doc` (its fields with at least one token, ids increasing).
  absl::Status Get(uint32_t doc, std::vector<FieldTermVector>* out) const;
  // Every document in order, each chunk decompressed once (check, merges); DataLoss unless the
  // file holds exactly documents [0, doc_count) with well-formed vectors in increasing fields.
  absl::Status ForEachDocument(
      uint32_t doc_count,
      absl::FunctionRef<absl::Status(uint32_t doc, const std::vector<FieldTermVector>& fields)> fn)
      const;

 private:
  StoredFieldsReader chunks_;
  std::string name_;
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_SEGMENT_TERM_VECTORS_H_
