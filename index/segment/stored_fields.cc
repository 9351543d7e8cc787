#include "index/segment/stored_fields.h"

#include <zstd.h>

#include <atomic>
#include <memory>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status_macros.h"

namespace scour::index {

void StoredFieldsWriter::AddDocument(
    const std::vector<std::pair<uint32_t, std::string_view>>& fields) {
  if (chunk_docs_ == 0) chunk_first_doc_ = docs_;
  PutVarint64(&raw_, fields.size());
  for (const auto& [field, value] : fields) {
    PutVarint64(&raw_, field);
    PutVarint64(&raw_, value.size());
    raw_.append(value);
  }
  ++docs_;
  ++chunk_docs_;
  if (!fields.empty()) ++chunk_counted_;
  if (chunk_counted_ >= kChunkDocs || raw_.size() >= kChunkBytes) FlushChunk();
}

void StoredFieldsWriter::FreeCCtx::operator()(ZSTD_CCtx_s* c) const { ZSTD_freeCCtx(c); }

void StoredFieldsWriter::FlushChunk() {
  if (chunk_docs_ == 0) return;
  size_t bound = ZSTD_compressBound(raw_.size());
  size_t at = compressed_.size();
  compressed_.resize(at + bound);
  if (cctx_ == nullptr) cctx_.reset(ZSTD_createCCtx());
  size_t n = cctx_ != nullptr
                 ? ZSTD_compressCCtx(cctx_.get(), compressed_.data() + at, bound, raw_.data(),
                                     raw_.size(), 3)
                 : ZSTD_compress(compressed_.data() + at, bound, raw_.data(), raw_.size(), 3);
  // ZSTD_compress cannot fail with a sufficient bound and a valid level.
  compressed_.resize(at + n);
  chunks_.push_back(
      {chunk_first_doc_, at, static_cast<uint32_t>(n), static_cast<uint32_t>(raw_.size())});
  raw_.clear();
  chunk_docs_ = 0;
  chunk_counted_ = 0;
}

absl::Status StoredFieldsWriter::WriteTo(FramedWriter* out) {
  FlushChunk();
  uint64_t base = out->offset();
  SCOUR_RETURN_IF_ERROR(out->Append(compressed_));
  std::string index;
  uint64_t index_offset = out->offset();
  PutFixed32(&index, static_cast<uint32_t>(chunks_.size()));
  for (const Chunk& c : chunks_) {
    PutFixed32(&index, c.first_doc);
    PutFixed64(&index, base + c.offset);
    PutFixed32(&index, c.size);
    PutFixed32(&index, c.raw_size);
  }
  PutFixed64(&index, index_offset);
  SCOUR_RETURN_IF_ERROR(out->Append(index));
  compressed_.clear();
  chunks_.clear();
  return absl::OkStatus();
}

namespace {
constexpr size_t kChunkEntry = 20;

// Readers are told apart in the chunk cache by an id that is never reused (an address could be,
// by a reader of another file opened where a closed one was).
std::atomic<uint64_t> next_reader_id{1};

// The last chunk this thread decompressed in Get, and the thread's zstd context: reading the
// documents of a chunk one by one (a scan, the hits of a query that share a chunk) decompresses
// it once, not once per document. Chunks above kMaxCachedChunk (one huge document) are not kept.
constexpr size_t kMaxCachedChunk = size_t{1} << 20;
struct ChunkCache {
  uint64_t reader = 0;  // 0: empty
  uint32_t chunk = 0;
  std::string raw;
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx{nullptr, ZSTD_freeDCtx};
};
thread_local ChunkCache chunk_cache;
}  // namespace

absl::StatusOr<StoredFieldsReader> StoredFieldsReader::Open(std::string_view file,
                                                            std::string_view name, FileKind kind) {
  SCOUR_ASSIGN_OR_RETURN(std::string_view body, CheckFrameStructure(file, kind, name));
  StoredFieldsReader r;
  r.file_ = file;
  r.name_ = std::string(name);
  if (body.size() < 8)
    return absl::DataLossError(absl::StrCat(r.name_, ": stored-fields body too short"));
  uint64_t index_offset = DecodeFixed64(body.data() + body.size() - 8);
  uint64_t body_start = body.data() - file.data();
  uint64_t body_end = body_start + body.size() - 8;
  // Subtractions, not index_offset + 4: an offset near 2^64 would wrap past the check.
  if (index_offset < body_start || index_offset > body_end || body_end - index_offset < 4)
    return absl::DataLossError(absl::StrCat(r.name_, ": chunk index offset out of range"));
  r.chunk_count_ = DecodeFixed32(file.data() + index_offset);
  if ((body_end - index_offset - 4) / kChunkEntry < r.chunk_count_ ||
      body_end - index_offset - 4 != uint64_t{r.chunk_count_} * kChunkEntry)
    return absl::DataLossError(absl::StrCat(r.name_, ": chunk index size mismatch"));
  r.index_ = file.data() + index_offset + 4;
  r.id_ = next_reader_id.fetch_add(1, std::memory_order_relaxed);
  return r;
}

absl::Status StoredFieldsReader::Get(uint32_t doc, std::vector<StoredField>* out) const {
  out->clear();
  // Last chunk whose first doc <= doc.
  uint32_t lo = 0, hi = chunk_count_;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (DecodeFixed32(index_ + size_t{mid} * kChunkEntry) <= doc)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0) return absl::NotFoundError(absl::StrCat(name_, ": no stored document ", doc));
  const char* e = index_ + size_t{lo - 1} * kChunkEntry;
  uint32_t first = DecodeFixed32(e);
  uint64_t off = DecodeFixed64(e + 4);
  uint32_t size = DecodeFixed32(e + 12), raw_size = DecodeFixed32(e + 16);
  if (off > file_.size() || size > file_.size() - off)
    return absl::DataLossError(absl::StrCat(name_, ": chunk out of range"));
  // The writer stores chunks of any size (one huge document makes one huge chunk), so the raw
  // size is bounded by the zstd frame's own content size rather than a fixed cap: a corrupt size
  // cannot make us allocate more than the frame claims, and the two must agree.
  if (ZSTD_getFrameContentSize(file_.data() + off, size) != raw_size)
    return absl::DataLossError(absl::StrCat(name_, ": chunk size mismatch at offset ", off));
  ChunkCache& cache = chunk_cache;
  std::string uncached;
  std::string_view raw;
  if (cache.reader == id_ && cache.chunk == lo - 1) {
    raw = cache.raw;
  } else {
    const bool keep = raw_size <= kMaxCachedChunk;
    std::string* buf = keep ? &cache.raw : &uncached;
    if (keep) cache.reader = 0;  // until the chunk is decompressed whole
    if (cache.dctx == nullptr) cache.dctx.reset(ZSTD_createDCtx());
    if (cache.dctx == nullptr) return absl::ResourceExhaustedError("zstd: cannot create a context");
    buf->resize(raw_size);
    size_t n =
        ZSTD_decompressDCtx(cache.dctx.get(), buf->data(), buf->size(), file_.data() + off, size);
    if (ZSTD_isError(n) || n != raw_size)
      return absl::DataLossError(absl::StrCat(name_, ": corrupt compressed chunk at offset ", off));
    if (keep) {
      cache.reader = id_;
      cache.chunk = lo - 1;
    }
    raw = *buf;
  }
  ByteReader r(raw);
  for (uint32_t d = first; d <= doc; ++d) {
    uint64_t nf = r.Varint64();
    for (uint64_t i = 0; i < nf && r.ok(); ++i) {
      uint32_t field = r.Varint32();
      uint64_t len = r.Varint64();
      std::string_view v = r.Bytes(len);
      if (d == doc) out->push_back({field, std::string(v)});
    }
    if (!r.ok()) break;
  }
  // A doc past the chunk's last document runs off its bytes above; a document without fields
  // is an empty list (every document of format 5 with nothing stored).
  if (!r.ok()) return absl::DataLossError(absl::StrCat(name_, ": corrupt stored document ", doc));
  return absl::OkStatus();
}

absl::Status StoredFieldsReader::ForEachDocument(
    uint32_t doc_count,
    absl::FunctionRef<absl::Status(uint32_t doc, std::span<const FieldView> fields)> fn) const {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (dctx == nullptr) return absl::ResourceExhaustedError("zstd: cannot create a context");
  std::string raw;
  std::vector<FieldView> fields;
  uint32_t doc = 0;
  for (uint32_t c = 0; c < chunk_count_; ++c) {
    const char* e = index_ + size_t{c} * kChunkEntry;
    const uint32_t first = DecodeFixed32(e);
    const uint64_t off = DecodeFixed64(e + 4);
    const uint32_t size = DecodeFixed32(e + 12), raw_size = DecodeFixed32(e + 16);
    if (first != doc) {
      return absl::DataLossError(
          absl::StrCat(name_, ": chunk ", c, " starts at doc ", first, ", expected ", doc));
    }
    if (off > file_.size() || size > file_.size() - off)
      return absl::DataLossError(absl::StrCat(name_, ": chunk out of range"));
    if (ZSTD_getFrameContentSize(file_.data() + off, size) != raw_size)
      return absl::DataLossError(absl::StrCat(name_, ": chunk size mismatch at offset ", off));
    raw.resize(raw_size);
    const size_t n =
        ZSTD_decompressDCtx(dctx.get(), raw.data(), raw.size(), file_.data() + off, size);
    if (ZSTD_isError(n) || n != raw_size)
      return absl::DataLossError(absl::StrCat(name_, ": corrupt compressed chunk at offset ", off));
    ByteReader r(raw);
    while (r.ok() && r.remaining() > 0) {
      if (doc >= doc_count)
        return absl::DataLossError(absl::StrCat(name_, ": more stored documents than ", doc_count));
      const uint64_t nf = r.Varint64();
      fields.clear();
      for (uint64_t i = 0; i < nf && r.ok(); ++i) {
        const uint32_t field = r.Varint32();
        const uint64_t len = r.Varint64();
        fields.emplace_back(field, r.Bytes(len));
      }
      if (!r.ok()) break;
      SCOUR_RETURN_IF_ERROR(fn(doc, fields));
      ++doc;
    }
    if (!r.ok()) return absl::DataLossError(absl::StrCat(name_, ": corrupt stored document ", doc));
  }
  if (doc != doc_count) {
    return absl::DataLossError(
        absl::StrCat(name_, ": ", doc, " stored documents, expected ", doc_count));
  }
  return absl::OkStatus();
}

}  // namespace scour::index
