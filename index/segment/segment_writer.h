// Writes one immutable segment (docs/format/README.md) from terms fed in key order. Used by the
// in-memory builder's flush and by merges. Call order: SetNorms for each field, then AddTerm
// for every term in increasing key order, then the stored fields through stored() and the
// surface forms through surfaces() (in any order), then Finish.
// Not thread-safe.
#ifndef SCOUR_INDEX_SEGMENT_SEGMENT_WRITER_H_
#define SCOUR_INDEX_SEGMENT_SEGMENT_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/directory/directory.h"
#include "index/format/file_format.h"
#include "index/segment/segment_format.h"
#include "index/segment/stored_fields.h"
#include "index/segment/surface_dict.h"
#include "index/segment/term_dict.h"
#include "index/segment/term_vectors.h"

namespace scour::index {

class SegmentWriter {
 public:
  static absl::StatusOr<std::unique_ptr<SegmentWriter>> Create(Directory* dir, uint64_t number,
                                                               uint32_t doc_count);

  // Norm bytes of `field` for docs [0, doc_count). The field's statistics (docs with the
  // field, token total) are derived from the norms and the terms.
  void SetNorms(uint32_t field, std::vector<uint8_t> norms);

  // One term: `key` = AppendTermKey(field, term); docs strictly increasing, freqs >= 1,
  // positions = for each doc its freq positions (increasing), concatenated. For the _id field
  // positions may be null.
  absl::Status AddTerm(std::string_view key, uint32_t field, const uint32_t* docs,
                       const uint32_t* freqs, size_t df, const uint32_t* positions);
  // AddTerm in parts, for a term too large to gather at once (a merge's most frequent terms:
  // their positions alone run to tens of MB): BeginTerm, AddTermDocs for each run of its docs in
  // order (with positions, as AddTerm's), then EndTerm, which needs at least one doc. The
  // positions are encoded as each group of kBlockSize docs completes, so only the docs and
  // frequencies are held; the bytes written are AddTerm's. Not for the _id field.
  void BeginTerm(std::string_view key, uint32_t field);
  absl::Status AddTermDocs(const uint32_t* docs, const uint32_t* freqs, size_t n,
                           const uint32_t* positions);
  absl::Status EndTerm();

  StoredFieldsWriter& stored() { return stored_; }
  // Words whose term differs from them, in key order; each term must be one AddTerm was given.
  SurfaceDictWriter& surfaces() { return surfaces_; }

  // Also write .tvec: the caller adds every document's vectors to term_vectors() (the builder
  // as it inverts them, a merge from its sources), as it does stored fields to stored().
  void EnableTermVectors() { term_vectors_ = std::make_unique<TermVectorsWriter>(); }
  TermVectorsWriter* term_vectors() { return term_vectors_.get(); }  // nullptr unless enabled

  // Writes .norms, .info, .store, .surf (and .tvec) and finishes every file (each is fsynced).
  absl::Status Finish(SegmentInfo* info);
  // The files this segment consists of.
  static std::vector<std::string> FileNames(uint64_t number);

 private:
  SegmentWriter(Directory* dir, uint64_t number, uint32_t doc_count);
  absl::Status FlushDictBlock();
  absl::Status AddIdTerm(std::string_view key, const uint32_t* docs, size_t df);
  absl::Status AppendDictEntry(std::string_view key, const TermInfo* info);
  void EncodePositions(const uint32_t* pos, size_t n);
  void StartPositions();
  const uint32_t* AddDocPositions(const uint32_t* positions, uint32_t freq);
  absl::Status AppendPositionGroup();
  // The postings and dictionary entry of a term whose positions are written (pos_start_,
  // pos_ends_).
  absl::Status WriteTerm(std::string_view key, uint32_t field, const uint32_t* docs,
                         const uint32_t* freqs, size_t df, bool with_positions);

  Directory* dir_;
  uint64_t number_;
  uint32_t doc_count_;
  std::unique_ptr<FramedWriter> dict_, post_, pos_;
  // Norms and stats per field, indexed by field id.
  struct FieldData {
    bool present = false;
    std::vector<uint8_t> norms;
    FieldInfo stats;
  };
  std::vector<FieldData> fields_;
  // Current dictionary block.
  std::string block_;
  std::string last_key_;
  uint32_t block_terms_ = 0;
  DictBlockState block_state_;
  std::vector<uint64_t> block_offsets_;
  uint64_t num_terms_ = 0;
  // Format 7's doc map: each document's _id entry ordinal (UINT32_MAX: none yet).
  std::vector<uint32_t> doc_entry_;
  uint32_t id_terms_ = 0;
  std::string scratch_;
  std::vector<uint32_t> buf_;  // the current group's position deltas
  // The current term's positions in .pos: where they start, bytes so far, each group's end.
  uint64_t pos_start_ = 0;
  uint64_t pos_bytes_ = 0;
  std::vector<uint32_t> pos_ends_;
  // The term BeginTerm started.
  std::string term_key_;
  uint32_t term_field_ = 0;
  std::vector<uint32_t> term_docs_, term_freqs_;
  // The current list's skip entries, written at its widths once all are known.
  struct SkipRow {
    uint32_t last_doc, end, pos_end, max_tf;
    uint8_t min_norm;
  };
  std::vector<SkipRow> skip_rows_;
  StoredFieldsWriter stored_;
  SurfaceDictWriter surfaces_;
  std::unique_ptr<TermVectorsWriter> term_vectors_;
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_SEGMENT_SEGMENT_WRITER_H_
