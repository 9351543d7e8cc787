// The in-memory term dictionary of a segment being built: (field, term) -> dense term id, by open
// addressing over 16-byte slots. A slot holds the id, a tag (16 hash bits, the field and the
// length) and the term's first 8 bytes, so a lookup of a term of at most 8 bytes (most English
// stems) is decided inside one cache line, without touching the key bytes. Key bytes (the
// dictionary key: varint field + term) live in chunks that never move. Not thread-safe.
#ifndef SCOUR_INDEX_TERM_TABLE_H_
#define SCOUR_INDEX_TERM_TABLE_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace scour::index {

class TermTable {
 public:
  TermTable() { Clear(); }

  // The id of (field, term): existing, or the next free one (== size() before the call).
  uint32_t FindOrInsert(uint32_t field, std::string_view term, bool* inserted) {
    return FindOrInsertHashed(field, term, Hash(field, term), inserted);
  }
  // The same with hash = Hash(field, term) computed earlier, e.g. by a caller that prefetched
  // the slot: the lookup's cost is the slot's cache miss, so callers hash a window of tokens,
  // Prefetch each, then resolve them.
  uint32_t FindOrInsertHashed(uint32_t field, std::string_view term, uint64_t hash,
                              bool* inserted);
  static uint64_t Hash(uint32_t field, std::string_view term);
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }

  size_t size() const { return entries_.size(); }
  std::string_view key(uint32_t id) const { return entries_[id].key; }  // AppendTermKey form
  uint32_t field(uint32_t id) const { return entries_[id].field; }
  size_t bytes() const;
  void Clear();

 private:
  struct Slot {
    uint32_t id1 = 0;  // id + 1; 0 = empty
    uint32_t tag = 0;
    uint64_t prefix = 0;
  };
  struct Entry {
    std::string_view key;
    uint32_t field;
    uint32_t term_offset;  // where the term starts in key
    uint64_t hash;
  };
  static uint32_t Tag(uint64_t hash, uint32_t field, size_t len) {
    return static_cast<uint32_t>(hash >> 48) << 16 | (field < 255 ? field : 255) << 8 |
           static_cast<uint32_t>(len < 255 ? len : 255);
  }
  static uint64_t Prefix(std::string_view term) {
    uint64_t p = 0;
    std::memcpy(&p, term.data(), term.size() < 8 ? term.size() : 8);
    return p;
  }
  std::string_view CopyKey(uint32_t field, std::string_view term, uint32_t* term_offset);
  void Grow();

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<Entry> entries_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* next_ = nullptr;
  size_t left_ = 0, chunk_bytes_ = 0;
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_TERM_TABLE_H_
