// Reads a segment's term dictionary (.tdict) straight from the mapped file: exact lookup by
// binary search over the blocks' first keys, then a scan of one block of at most 32 entries;
// and ordered iteration from a key (prefix enumeration, merging, checking). Immutable and
// thread-safe; iterators are not.
#ifndef SCOUR_INDEX_SEGMENT_TERM_DICT_H_
#define SCOUR_INDEX_SEGMENT_TERM_DICT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/coding.h"
#include "index/segment/segment_format.h"

namespace scour::index {

// Running values an entry is delta-coded against; reset at the start of every block.
struct DictBlockState {
  uint64_t last_post = 0;    // .post offset of the block's last entry with df >= 2
  uint64_t last_pos = 0;     // .pos offset of the block's last entry that stored one
  uint32_t last_id_doc = 0;  // doc of the block's last single-doc _id entry (version 2)
};

// Appends one version-2 entry (docs/format/README.md, ".tdict") for `key`, which shares
// `shared` bytes with the previous key of the block (0 for the block's first entry).
void AppendDictEntryV2(std::string* block, std::string_view key, size_t shared,
                       const TermInfo& info, DictBlockState* state);

// Appends a format-7 `_id` entry: the key alone, its documents being the doc map's.
void AppendDictIdKey(std::string* block, std::string_view key, size_t shared);

// Format 7's doc map (docs/format/README.md, ".tdict", "Format version 7"): documents per block.
inline constexpr uint32_t kDocMapBlock = 128;
// Doc blocks of a map of `docs` documents (in 64 bits: a damaged count near 2^32 must not wrap).
inline uint32_t DocMapBlocks(uint32_t docs) {
  return static_cast<uint32_t>((uint64_t{docs} + kDocMapBlock - 1) / kDocMapBlock);
}

// Encodes the doc map of `ordinals` (document d's `_id` entry ordinal at [d], each below
// `num_id_entries`): each block in the mode of fewer bytes.
std::string EncodeDocMap(const std::vector<uint32_t>& ordinals, uint32_t num_id_entries);

// Bytes per block offset in a format-6 block index: the fewest (1 to 8) that hold `max_offset`.
inline uint32_t DictBlockIndexWidth(uint64_t max_offset) {
  uint32_t w = 1;
  while (w < 8 && (max_offset >> (8 * w)) != 0) ++w;
  return w;
}

class TermDictReader {
 public:
  TermDictReader() = default;
  // `file` is the whole .tdict file (frame already checked by the caller); its header's format
  // version (1 or 2) selects the entry layout.
  static absl::StatusOr<TermDictReader> Open(std::string_view file, std::string name);

  // Exact lookup. nullopt when absent; DataLoss on corruption.
  absl::StatusOr<std::optional<TermInfo>> Lookup(std::string_view key) const;

  uint64_t num_terms() const { return num_terms_; }
  uint32_t num_blocks() const { return num_blocks_; }

  // Format 7 on: the doc map, document -> ordinal of its `_id` entry (the dictionary's first
  // num_id_entries() entries). Without one (versions 1-6) the `_id` entries name their docs.
  bool has_doc_map() const { return version_ >= 7; }
  uint32_t doc_map_docs() const { return map_docs_; }
  uint32_t num_id_entries() const { return map_ids_; }
  // The ordinals of doc block j (documents kDocMapBlock * j on): *n of them into out.
  absl::Status DocBlock(uint32_t j, uint32_t out[kDocMapBlock], uint32_t* n) const;
  // Every document's ordinal, in doc order.
  absl::Status DocMap(std::vector<uint32_t>* ordinals) const;
  // Calls fn(doc) for the documents whose ordinal is `ordinal`, in doc order, until fn returns
  // true. A doc block whose head bounds its ordinals away from `ordinal` is skipped undecoded
  // (FOR mode: [base, base + 2^b - 1]; delta mode: base moved at most 2^(b-1) a step); the
  // others' values are compared as they unpack. Only the heads are checked (DocMap checks all).
  absl::Status FindDocs(uint32_t ordinal, absl::FunctionRef<bool(uint32_t doc)> fn) const;
  // Calls fn(ordinal, id) for each of `ordinals` (increasing, each below num_id_entries()),
  // decoding each dictionary block they fall in once; `id` is the key past its field byte.
  absl::Status ForEachIdEntry(std::span<const uint32_t> ordinals,
                              absl::FunctionRef<void(uint32_t, std::string_view)> fn) const;

  // Iterates entries in key order starting at the first key >= `from`.
  class Iterator {
   public:
    bool Valid() const { return valid_; }
    std::string_view key() const { return key_; }
    const TermInfo& info() const { return info_; }
    void Next();
    absl::Status status() const { return status_; }
    // Bytes of the file before the current block (all of the blocks once exhausted): what an
    // iterator that only moves on is done with, for a merge to give back.
    uint64_t bytes_done() const;

   private:
    friend class TermDictReader;
    bool LoadBlock(uint32_t b);
    bool ReadEntry();
    bool ReadEntryV1();
    bool ReadEntryV2();
    bool ReadLocation(ByteReader* r);
    bool BadEntry();
    // The current entry's place in its block, and in the dictionary.
    uint32_t entry_in_block() const { return block_size_ - left_in_block_ - 1; }
    uint64_t ordinal() const { return uint64_t{block_} * kTermsPerDictBlock + entry_in_block(); }
    const TermDictReader* dict_ = nullptr;
    uint32_t block_ = 0;
    uint32_t block_size_ = 0;
    const char* p_ = nullptr;
    const char* block_end_ = nullptr;
    uint32_t left_in_block_ = 0;
    DictBlockState state_;
    std::string key_;
    TermInfo info_;
    bool valid_ = false;
    absl::Status status_;
  };
  Iterator Seek(std::string_view from) const;

 private:
  absl::Status Corrupt(const std::string& what) const;
  absl::Status OpenDocMap(const char* map, uint64_t size);
  // Doc block j's head, checked: its values lie in the map.
  struct DocBlockHead {
    uint32_t count;    // documents in the block
    uint32_t base;     // FOR mode: the values' base; delta mode: the first ordinal
    uint32_t width;    // bits per packed value (0..32)
    bool delta;        // delta mode
    const char* bits;  // the packed values
  };
  absl::Status ReadDocBlockHead(uint32_t j, DocBlockHead* h) const;
  absl::Status DecodeDocBlock(uint32_t j, const DocBlockHead& h, uint32_t out[kDocMapBlock]) const;
  uint64_t BlockOffset(uint32_t b) const;
  // First key of block b (its first entry has shared = 0).
  bool FirstKey(uint32_t b, std::string_view* key) const;
  uint32_t FindBlock(std::string_view key) const;  // last block with first key <= key
  // Lookup in block b: version 2 entries read in place, version 1 through the iterator (the
  // reference the tests compare LookupInBlock with).
  absl::StatusOr<std::optional<TermInfo>> LookupInBlock(uint32_t b, std::string_view key) const;
  absl::StatusOr<std::optional<TermInfo>> LookupByIterator(uint32_t b, std::string_view key) const;
  // An entry's values after its key (`id`: the key is an _id's), against the block's running
  // state; false when they are corrupt.
  static bool ReadEntryValues(ByteReader* r, bool id, bool impacts, DictBlockState* state,
                              TermInfo* info);
  static bool ReadLocationValues(ByteReader* r, bool impacts, DictBlockState* state,
                                 TermInfo* info);

  std::string_view file_;
  std::string name_;
  uint32_t version_ = 0;
  const char* block_index_ = nullptr;
  uint32_t index_width_ = 8;            // bytes per block offset (format 6: 1 to 8)
  uint64_t index_mask_ = ~uint64_t{0};  // the low index_width_ bytes
  uint32_t num_blocks_ = 0;
  uint64_t blocks_end_ = 0;
  uint64_t num_terms_ = 0;
  // Format 7's doc map: its first byte, its end, and its header's values.
  const char* map_ = nullptr;
  uint64_t map_size_ = 0;
  uint32_t map_docs_ = 0, map_ids_ = 0, map_width_ = 0;
  uint64_t map_mask_ = 0;
  uint64_t map_blocks_at_ = 0;  // where the block offsets end: the first block's least offset
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_SEGMENT_TERM_DICT_H_
