// Stored fields: documents packed into zstd-compressed chunks (docs/format/README.md, .store).
// The writer keeps compressed chunks in memory until WriteTo; the reader decompresses one chunk
// per lookup. Neither is thread-safe; a reader may be copied per thread.
#ifndef SCOUR_INDEX_SEGMENT_STORED_FIELDS_H_
#define SCOUR_INDEX_SEGMENT_STORED_FIELDS_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/format/file_format.h"

struct ZSTD_CCtx_s;

namespace scour::index {

struct StoredField {
  uint32_t field;
  std::string value;
};

class StoredFieldsWriter {
 public:
  static constexpr size_t kChunkBytes = 16 * 1024;
  static constexpr uint32_t kChunkDocs = 128;

  // Documents must be added in doc-id order, one call per document.
  void AddDocument(const std::vector<std::pair<uint32_t, std::string_view>>& fields);
  size_t ram_bytes() const { return compressed_.capacity() + raw_.capacity(); }
  absl::Status WriteTo(FramedWriter* out);

 private:
  void FlushChunk();
  struct Chunk {
    uint32_t first_doc;
    uint64_t offset;  // within compressed_
    uint32_t size, raw_size;
  };
  struct FreeCCtx {
    void operator()(ZSTD_CCtx_s* c) const;
  };
  std::string raw_;
  std::string compressed_;
  std::vector<Chunk> chunks_;
  uint32_t docs_ = 0, chunk_first_doc_ = 0, chunk_docs_ = 0;
  // Documents of the chunk with at least one field: only they count towards kChunkDocs (format
  // 5), so documents without stored fields pack into a few 16 KiB chunks.
  uint32_t chunk_counted_ = 0;
  // One compression context for all chunks: ZSTD_compress would build (and zero) one per call.
  std::unique_ptr<ZSTD_CCtx_s, FreeCCtx> cctx_;
};

class StoredFieldsReader {
 public:
  // `file` is the whole .store file (chunk offsets are absolute); `kind` is kTermVectors for a
  // .tvec file, which has the same layout.
  static absl::StatusOr<StoredFieldsReader> Open(std::string_view file, std::string_view name,
                                                 FileKind kind = FileKind::kStored);
  absl::Status Get(uint32_t doc, std::vector<StoredField>* out) const;
  // Every document in doc order, each chunk decompressed once (merges; Get per doc would
  // decompress a chunk per document). The views are valid during the call only. Stops at the
  // first error fn returns; DataLoss if the chunks do not hold exactly docs [0, doc_count).
  using FieldView = std::pair<uint32_t, std::string_view>;
  absl::Status ForEachDocument(
      uint32_t doc_count,
      absl::FunctionRef<absl::Status(uint32_t doc, std::span<const FieldView> fields)> fn) const;

 private:
  std::string_view file_;
  std::string name_;
  const char* index_ = nullptr;
  uint32_t chunk_count_ = 0;
  uint64_t id_ = 0;  // this reader in the thread's cache of the last chunk Get decompressed
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_SEGMENT_STORED_FIELDS_H_
