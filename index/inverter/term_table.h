// The in-memory term dictionary of a segment being built: (field, term) -> dense term id, by open
// addressing. The builder's tokens are answered by SurfaceTable, so this table is probed once
// per distinct word of a segment and is laid out for size, not for one-cache-line lookups:
// 8-byte slots (id, 32 hash bits), 8-byte entries pointing at the key bytes (the dictionary key:
// varint field + term) in chunks that never move. Not thread-safe.
#ifndef SCOUR_INDEX_INVERTER_TERM_TABLE_H_
#define SCOUR_INDEX_INVERTER_TERM_TABLE_H_

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
  uint32_t FindOrInsert(uint32_t field, std::string_view term, bool* inserted);
  static uint64_t Hash(uint32_t field, std::string_view term);

  size_t size() const { return entries_.size(); }
  std::string_view key(uint32_t id) const {  // AppendTermKey form
    const Entry& e = entries_[id];
    return std::string_view(KeyBytes(e.addr), e.size);
  }
  uint32_t field(uint32_t id) const;
  size_t bytes() const;
  void Clear();

 private:
  struct Slot {
    uint32_t id1 = 0;   // id + 1; 0 = empty
    uint32_t hash = 0;  // the low 32 bits of Hash(): the home slot, and a filter before the key
  };
  struct Entry {
    uint32_t addr;         // of the key bytes: chunk << kChunkBits | offset
    uint16_t size;         // of the key (a term comes from one token: far below 64 KiB)
    uint16_t term_offset;  // where the term starts in the key (after the field's varint)
  };
  static constexpr uint32_t kChunkBits = 20;
  static constexpr size_t kChunkBytes = size_t{1} << kChunkBits;

  const char* KeyBytes(uint32_t addr) const {
    return chunks_[addr >> kChunkBits].get() + (addr & (kChunkBytes - 1));
  }
  Entry CopyKey(uint32_t field, std::string_view term);
  void Grow();

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<Entry> entries_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_used_ = kChunkBytes;  // in the last chunk
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_INVERTER_TERM_TABLE_H_
