// A segment's surface forms (.surf, docs/format/README.md): the words as the analyser saw them
// before stemming whose term differs from them, each with its term, so that a prefix query can
// match the words as written ("committee*" finds the term "committe"). Written in key order by
// SurfaceDictWriter; read straight from the mapped file by SurfaceDictReader (binary search over
// the blocks' first keys, then a scan). The reader is immutable and thread-safe; iterators are
// not.
#ifndef SCOUR_INDEX_SEGMENT_SURFACE_DICT_H_
#define SCOUR_INDEX_SEGMENT_SURFACE_DICT_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace scour::index {

inline constexpr uint32_t kSurfacesPerBlock = 32;  // formats 1-5
// Format 6: a group ends after the entry that brings its raw bytes to kSurfaceGroupBytes; a
// reader rejects a group whose raw size exceeds kMaxSurfaceGroupBytes.
inline constexpr size_t kSurfaceGroupBytes = size_t{512} << 10;
inline constexpr size_t kMaxSurfaceGroupBytes = size_t{1} << 20;
inline constexpr int kSurfaceZstdLevel = 9;
inline constexpr int kSurfaceZstdTableLog = 18;

class SurfaceDictWriter {
 public:
  // `group_bytes`: where a group ends (tests make small groups; files use the default).
  explicit SurfaceDictWriter(size_t group_bytes = kSurfaceGroupBytes) : group_bytes_(group_bytes) {}
  // `key` = AppendTermKey(field, word), strictly increasing over the calls; `term` is the
  // word's stemmed term (without the field), different from the word.
  // REQUIRES: key.size() + term.size() < kMaxSurfaceGroupBytes - kSurfaceGroupBytes - 32.
  void Add(std::string_view key, std::string_view term);
  size_t size() const { return entries_; }
  // The file's body (format 6); `body_offset` is where it starts in the file (the header's size).
  std::string Finish(uint64_t body_offset);

 private:
  struct Group {
    uint64_t frame_offset = 0;  // relative to the body
    std::string first_key;
    uint32_t raw_size = 0, entries = 0;
  };
  void FlushGroup();
  std::string body_, raw_, last_key_;
  std::vector<Group> groups_;
  size_t group_bytes_;
  uint32_t group_entries_ = 0;
  uint64_t entries_ = 0;
};

class SurfaceDictReader {
 public:
  SurfaceDictReader() = default;
  // `file` is the whole .surf file (frame already checked by the caller).
  static absl::StatusOr<SurfaceDictReader> Open(std::string_view file, std::string name);

  uint64_t size() const { return entries_; }

  // Format 6, made on first use: every group decompressed and every entry checked.
  struct Decoded {
    absl::Status status;
    std::string raw;                  // the groups' raw bytes, back to back
    std::vector<size_t> group_start;  // G + 1 offsets into raw
    struct Restart {                  // every 32nd entry: where it starts, and the keys around
      std::string key, prev_key;      // its own, and the previous entry's (its front coding's)
      size_t pos;
      uint32_t group, left;  // its group, and the entries of the group from it on
    };
    std::vector<Restart> restarts;
  };

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
    bool Fail(std::string_view what);
    // The bytes entries are read from: the mapped file (formats 1-5) or the decompressed
    // groups (6).
    const char* base() const;
    const SurfaceDictReader* dict_ = nullptr;
    const Decoded* decoded_ = nullptr;  // format 6
    bool grouped_ = false;
    uint32_t block_ = 0;  // the block (formats 1-5) or the group (6)
    size_t pos_ = 0, block_end_ = 0;
    size_t entry_pos_ = 0;  // where the current entry starts
    uint32_t left_in_block_ = 0;
    std::string key_, term_;
    bool valid_ = false;
    absl::Status status_;
  };
  Iterator Seek(std::string_view from) const;

 private:
  uint64_t BlockOffset(uint32_t b) const;
  bool FirstKey(uint32_t b, std::string_view* key) const;

  const Decoded& Decode() const;
  void DecodeAll(Decoded* d) const;

  std::string_view file_;
  std::string name_;
  uint32_t version_ = 0;
  const char* block_index_ = nullptr;  // formats 1-5: u64 offsets; 6: 24-byte group entries
  uint32_t num_blocks_ = 0;            // blocks or groups
  uint64_t blocks_end_ = 0;            // where the blocks (1-5) or the first keys (6) end
  uint64_t entries_ = 0;
  struct Lazy {
    std::once_flag once;
    Decoded decoded;
  };
  std::unique_ptr<Lazy> lazy_ = std::make_unique<Lazy>();
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_SEGMENT_SURFACE_DICT_H_
