// A segment's surface forms (.surf, docs/format/README.md): the words as the analyser saw them
// before stemming whose term differs from them, each with its term, so that a prefix query can
// match the words as written ("committee*" finds the term "committe"). Written in key order by
// SurfaceDictWriter; read straight from the mapped file by SurfaceDictReader (binary search over
// the blocks' first keys, then a scan). The reader is immutable and thread-safe; iterators are
// not.
#ifndef SCOUR_INDEX_SEGMENT_SURFACE_DICT_H_
#define SCOUR_INDEX_SEGMENT_SURFACE_DICT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace scour::index {

inline constexpr uint32_t kSurfacesPerBlock = 32;

class SurfaceDictWriter {
 public:
  // `key` = AppendTermKey(field, word), strictly increasing over the calls; `term` is the
  // word's stemmed term (without the field), different from the word.
  void Add(std::string_view key, std::string_view term);
  size_t size() const { return entries_; }
  // The file's body; `body_offset` is where it starts in the file (the header's size).
  std::string Finish(uint64_t body_offset);

 private:
  void FlushBlock();
  std::string body_, block_, last_key_;
  std::vector<uint64_t> block_offsets_;  // relative to the body
  uint32_t block_entries_ = 0;
  uint64_t entries_ = 0;
};

class SurfaceDictReader {
 public:
  SurfaceDictReader() = default;
  // `file` is the whole .surf file (frame already checked by the caller).
  static absl::StatusOr<SurfaceDictReader> Open(std::string_view file, std::string name);

  uint64_t size() const { return entries_; }

  // Iterates entries in key order from the first key >= `from`.
  class Iterator {
   public:
    bool Valid() const { return valid_; }
    std::string_view key() const { return key_; }    // field varint ++ word
    std::string_view term() const { return term_; }  // without the field
    void Next();
    absl::Status status() const { return status_; }

   private:
    friend class SurfaceDictReader;
    bool LoadBlock(uint32_t b);
    bool ReadEntry();
    bool Fail(const char* what);
    const SurfaceDictReader* dict_ = nullptr;
    uint32_t block_ = 0;
    const char* p_ = nullptr;
    const char* block_end_ = nullptr;
    uint32_t left_in_block_ = 0;
    std::string key_, term_;
    bool valid_ = false;
    absl::Status status_;
  };
  Iterator Seek(std::string_view from) const;

 private:
  uint64_t BlockOffset(uint32_t b) const;
  bool FirstKey(uint32_t b, std::string_view* key) const;

  std::string_view file_;
  std::string name_;
  const char* block_index_ = nullptr;
  uint32_t num_blocks_ = 0;
  uint64_t blocks_end_ = 0;
  uint64_t entries_ = 0;
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_SEGMENT_SURFACE_DICT_H_
