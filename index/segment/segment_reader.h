// An open, immutable segment: its files mapped, the term dictionary, norms, stored fields and
// (optionally) a deletion bitmap. Thread-safe for concurrent readers; cursors are per thread.
#ifndef SCOUR_INDEX_SEGMENT_SEGMENT_READER_H_
#define SCOUR_INDEX_SEGMENT_SEGMENT_READER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/directory/directory.h"
#include "index/postings/segment_postings.h"
#include "index/segment/segment_format.h"
#include "index/segment/stored_fields.h"
#include "index/segment/surface_dict.h"
#include "index/segment/term_dict.h"
#include "index/segment/term_vectors.h"

namespace scour::index {

struct SegmentRef {
  uint64_t number = 0;
  uint32_t doc_count = 0;
  uint32_t deleted = 0;
  uint64_t del_gen = 0;  // 0: no deletions file
};

class SegmentReader {
 public:
  // Opens the segment. verify_checksums: also check the CRC of every file (O(size)).
  static absl::StatusOr<std::shared_ptr<SegmentReader>> Open(Directory* dir, const SegmentRef& ref,
                                                             bool verify_checksums);
  ~SegmentReader();

  // Just a segment's term dictionary, its frame checked as Open checks it: for a writer's
  // duplicate-id checks, which look ids up and read nothing else (a whole reader maps and
  // touches every file).
  struct Dictionary {
    std::shared_ptr<ReadableFile> file;
    TermDictReader dict;
  };
  static absl::StatusOr<Dictionary> OpenDictionary(Directory* dir, const SegmentRef& ref);

  const SegmentRef& ref() const { return ref_; }
  uint32_t max_doc() const { return info_.doc_count; }
  const SegmentInfo& info() const { return info_; }
  const TermDictReader& dict() const { return dict_; }
  // The words as written whose term differs from them (.surf), or nullptr for a segment
  // written before surface forms existed (docs/format/README.md).
  const SurfaceDictReader* surfaces() const { return surfaces_.get(); }
  // Each document's terms per field (.tvec), or nullptr when the segment was written without.
  const TermVectorsReader* term_vectors() const { return term_vectors_.get(); }

  absl::StatusOr<std::optional<TermInfo>> Lookup(uint32_t field, std::string_view term) const;
  SegmentPostings Postings(uint32_t field, const TermInfo& info) const;

  // Norm bytes of `field` (max_doc() of them), or nullptr if the field has none here.
  const uint8_t* norms(uint32_t field) const;
  // Deletion bitmap (max_doc() bits) or nullptr when nothing is deleted.
  const uint64_t* deleted_bits() const { return deleted_.empty() ? nullptr : deleted_.data(); }
  bool IsDeleted(uint32_t doc) const {
    return !deleted_.empty() && (deleted_[doc >> 6] >> (doc & 63)) & 1;
  }
  uint32_t num_deleted() const { return ref_.deleted; }

  // The `.store` frame's format version: from 5 on its documents hold no `_id` field.
  uint32_t store_version() const { return FrameVersion(store_->data()); }
  absl::Status Stored(uint32_t doc, std::vector<StoredField>* out) const {
    return stored_.Get(doc, out);
  }
  // Every document's stored fields in doc order (deleted ones included), chunk by chunk.
  absl::Status ForEachStored(
      absl::FunctionRef<absl::Status(uint32_t doc,
                                     std::span<const StoredFieldsReader::FieldView> fields)>
          fn) const {
    return stored_.ForEachDocument(max_doc(), fn);
  }
  // Finds the live doc whose external id is `id`. Format 7: the first kFindsBeforeInverse calls
  // scan the doc map (O(documents), no memory); later ones read its inverse (IdDocs).
  absl::StatusOr<std::optional<uint32_t>> FindId(std::string_view id) const;
  static constexpr uint32_t kFindsBeforeInverse = 8;
  // The documents (deleted ones included), increasing, of the _id entry `info` (what Lookup of
  // kIdField or a dictionary iterator gave): its postings up to format 6; from 7 on the doc
  // map's inverse, made once per reader on first use (O(documents)).
  absl::Status IdDocs(const TermInfo& info, std::vector<uint32_t>* docs) const;
  // External id of `doc` (deleted docs included): the inverse of FindId. Format 7: from the doc
  // map, the ids of the doc's block of 128 decoded together on first use and kept (no walk over
  // the ids), until a sixteenth of the blocks have been: then from the table below. Up to
  // format 6: from a table of every doc's id made once, on first use, from the _id terms (~12
  // bytes per doc plus the ids). Thread-safe. The view lives as long as the reader.
  absl::StatusOr<std::string_view> ExternalId(uint32_t doc) const;

  // A merge that has read everything of .post before `post_offset` and of .pos before
  // `pos_offset` gives those pages back (ReadableFile::Release): a merge of many segments would
  // otherwise keep every source it has read resident until it ends.
  void ReleaseReadPostings(uint64_t post_offset, uint64_t pos_offset) const {
    post_->Release(0, post_offset);
    pos_->Release(0, pos_offset);
  }
  // The same for .tdict before `dict_offset` (TermDictReader::Iterator::bytes_done).
  void ReleaseReadDict(uint64_t dict_offset) const { dict_file_->Release(0, dict_offset); }
  void ReleaseStored() const { store_->Release(0, store_->data().size()); }
  void ReleaseTermVectors() const {
    if (tvec_file_) tvec_file_->Release(0, tvec_file_->data().size());
  }

  std::string_view post_file() const { return post_->data(); }
  std::string_view pos_file() const { return pos_->data(); }
  std::vector<std::shared_ptr<ReadableFile>> files() const;

 private:
  SegmentRef ref_;
  SegmentInfo info_;
  std::shared_ptr<ReadableFile> dict_file_, post_, pos_, norms_, store_, info_file_, del_,
      surf_file_, tvec_file_;
  TermDictReader dict_;
  std::unique_ptr<SurfaceDictReader> surfaces_;
  std::unique_ptr<TermVectorsReader> term_vectors_;
  StoredFieldsReader stored_;
  std::vector<uint64_t> deleted_;
  std::vector<std::pair<uint32_t, const uint8_t*>> norms_by_field_;  // by field id

  struct IdTable {
    absl::Status status;          // of building it (DataLoss for a doc without an id)
    std::string bytes;            // the ids, in key order
    std::vector<uint64_t> start;  // per doc: offset in `bytes`
    std::vector<uint32_t> size;   // per doc: length
  };
  const IdTable& ids() const;
  mutable std::once_flag ids_once_;
  mutable std::unique_ptr<IdTable> ids_;

  // Format 7: ids of one doc block, by document; made on first use, never changed after.
  struct IdPage {
    std::string bytes;
    uint32_t start[kDocMapBlock], size[kDocMapBlock];
  };
  absl::StatusOr<const IdPage*> Page(uint32_t j) const;
  std::unique_ptr<std::atomic<IdPage*>[]> id_pages_;  // null up to format 6
  mutable std::atomic<size_t> pages_made_{0};
  mutable std::atomic<uint32_t> finds_{0};
  // Format 7: _id entry ordinal -> documents (ordinal o's are docs[start[o] .. start[o+1])).
  struct IdInverse {
    absl::Status status;
    std::vector<uint32_t> start, docs;
  };
  const IdInverse& inverse() const;
  mutable std::once_flag inverse_once_;
  mutable std::unique_ptr<IdInverse> inverse_;
};

// Deletion bitmaps (.del).
absl::Status WriteDeletes(Directory* dir, const std::string& name, uint32_t doc_count,
                          const std::vector<uint64_t>& bits);
absl::StatusOr<std::vector<uint64_t>> ReadDeletes(std::string_view file, std::string_view name,
                                                  uint32_t doc_count, uint32_t* deleted_count);

}  // namespace scour::index

#endif  // SCOUR_INDEX_SEGMENT_SEGMENT_READER_H_
