// In-memory inversion of documents into one segment: terms in a hash table keyed by
// (field, term) with their bytes in an arena, postings and positions as varint streams in a
// ByteSlicePool (no heap allocation per token), norms as a byte per doc and field, stored
// fields compressed as they come. Flush sorts the terms and writes the segment with
// SegmentWriter. Not thread-safe: one builder per indexing thread.
#ifndef SCOUR_INDEX_INVERTER_SEGMENT_BUILDER_H_
#define SCOUR_INDEX_INVERTER_SEGMENT_BUILDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "index/directory/directory.h"
#include "index/inverter/byte_slice_pool.h"
#include "index/inverter/surface_table.h"
#include "index/inverter/term_table.h"
#include "index/segment/segment_format.h"
#include "index/segment/stored_fields.h"
#include "index/segment/term_vectors.h"
#include "scour/analyzer.h"

namespace scour::tokenizer {
class AnalysisChain;
}

namespace scour::index {

class SegmentWriter;

// A document's field after the writer resolved its name to a global field id.
struct BuilderField {
  uint32_t field;
  std::string_view value;
  bool indexed;
  bool stored;
};

class SegmentBuilder {
 public:
  explicit SegmentBuilder(Analyzer analyzer);

  // Also make each document's term vectors (.tvec) as it is inverted, kept compressed (counted
  // in ram_bytes) and written by Flush. Set before the first document.
  void set_term_vectors(bool on) { term_vectors_ = on; }

  // Inverts one document; its segment-local doc id is doc_count() before the call.
  // On error (invalid UTF-8) nothing of the document is kept... except that the builder must
  // then be discarded: callers validate text before (the readers do).
  absl::Status AddDocument(std::string_view id, const std::vector<BuilderField>& fields);

  uint32_t doc_count() const { return doc_count_; }
  // Whether a document added since the last flush has this id: a scan of them (the writer asks
  // only when an id's hash is already among the unflushed ones).
  bool HasId(std::string_view id) const {
    for (uint32_t d = 0; d < ids_.size(); ++d)
      if (IdOf(d) == id) return true;
    return false;
  }
  size_t ram_bytes() const;
  bool empty() const { return doc_count_ == 0; }

  // Drops everything buffered (a rollback).
  void Discard() { Reset(); }

  // Writes the segment files and resets the builder for a new segment.
  absl::Status Flush(Directory* dir, uint64_t segment_number, SegmentInfo* info);

 private:
  // What every token of a term touches, in half a cache line (so never two lines).
  struct alignas(32) TermState {
    ByteSlicePool::Stream docs;        // (doc delta, freq) pairs of finished docs
    ByteSlicePool::Stream pos;         // position deltas, restarting per doc
    uint32_t last_doc = ~uint32_t{0};  // none yet
    uint32_t last_doc_freq = 0;        // freq in last_doc (not yet written to `docs`)
    uint32_t last_pos = 0;
    uint32_t df = 0;
  };
  static_assert(sizeof(TermState) == 32);
  struct TermHeads {  // where a term's streams start: read at flush only
    uint32_t docs, pos;
  };
  struct IdRef {
    uint64_t offset;  // in id_bytes_
    uint32_t size;
  };
  struct PendingToken {
    uint64_t hash;          // SurfaceTable::Hash
    uint32_t offset, size;  // the word's bytes (unstemmed) in window_bytes_
    uint32_t pos;
  };
  static constexpr size_t kWindow = 32;
  // Resolves the buffered tokens of `field` in `doc` to term ids and records them, in order.
  void ResolveWindow(uint32_t field, uint32_t doc);
  // The term id of a word not yet in surfaces_: stems it, finds or adds the term, remembers it.
  uint32_t AddSurface(uint32_t field, std::string_view word, uint64_t hash);
  std::string_view IdOf(uint32_t doc) const {
    return std::string_view(id_bytes_).substr(ids_[doc].offset, ids_[doc].size);
  }
  absl::Status WriteIdTerms(SegmentWriter* writer);
  // The words whose term differs from them (.surf), in key order.
  void WriteSurfaces(SegmentWriter* writer);
  void AddOccurrence(uint32_t term_id, uint32_t doc, uint32_t pos);
  // Adds the document just inverted to vectors_: its terms (doc_terms_) with the frequencies
  // their states hold for it, per field (ids increasing), terms in bytewise order.
  void AddTermVectors();
  void Reset();

  Analyzer analyzer_;
  tokenizer::AnalysisChain* chain_;  // analyzer_'s
  ByteSlicePool pool_;
  TermTable terms_;        // every field but _id, by stemmed term
  SurfaceTable surfaces_;  // every word seen in this segment -> its term id in terms_
  // The external ids, by doc: unique and never looked up while building, so they stay out of
  // the term table (half its entries otherwise) and become _id terms at flush, sorted.
  std::string id_bytes_;
  std::vector<IdRef> ids_;
  std::vector<TermState> states_;            // by term id
  std::vector<TermHeads> heads_;             // by term id
  std::vector<std::vector<uint8_t>> norms_;  // by field id: one byte per doc
  StoredFieldsWriter stored_;
  bool term_vectors_ = false;
  TermVectorsWriter vectors_;
  std::vector<uint32_t> doc_terms_;         // term ids the current document holds, each once
  std::vector<std::string> vector_values_;  // scratch of AddTermVectors, kept between calls
  std::vector<uint32_t> vector_field_ids_;
  std::vector<std::pair<uint32_t, std::string_view>> vector_fields_;
  struct VectorTerm {
    uint32_t field, tf;
    std::string_view term;
  };
  std::vector<VectorTerm> vector_terms_;
  std::vector<std::pair<std::string_view, uint32_t>> vector_pairs_;
  uint32_t doc_count_ = 0;
  std::vector<std::pair<uint32_t, std::string_view>> stored_scratch_;
  std::vector<PendingToken> window_;
  std::string window_bytes_;
  std::vector<uint32_t> window_ids_;
  uint32_t window_field_ = 0, window_doc_ = 0, window_count_ = 0;  // of the field being inverted
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_INVERTER_SEGMENT_BUILDER_H_
