// Reads a segment's term dictionary (.tdict) straight from the mapped file: exact lookup by
// binary search over the blocks' first keys, then a scan of one block of at most 32 entries;
// and ordered iteration from a key (prefix enumeration, merging, checking). Immutable and
// thread-safe; iterators are not.
#ifndef SCOUR_INDEX_SEGMENT_TERM_DICT_H_
#define SCOUR_INDEX_SEGMENT_TERM_DICT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

  // Iterates entries in key order starting at the first key >= `from`.
  class Iterator {
   public:
    bool Valid() const { return valid_; }
    std::string_view key() const { return key_; }
    const TermInfo& info() const { return info_; }
    void Next();
    absl::Status status() const { return status_; }

   private:
    friend class TermDictReader;
    bool LoadBlock(uint32_t b);
    bool ReadEntry();
    bool ReadEntryV1();
    bool ReadEntryV2();
    bool ReadLocation(ByteReader* r);
    bool BadEntry();
    const TermDictReader* dict_ = nullptr;
    uint32_t block_ = 0;
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
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_SEGMENT_TERM_DICT_H_
