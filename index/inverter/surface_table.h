// The words of a segment being built, before stemming: (field, normalised word) -> term id, so
// that a token costs one probe here instead of a stem-cache probe plus a term-table probe, and a
// word is stemmed once per segment (on first sight). Open addressing over 16-byte slots: a slot
// holds the term id, a tag (16 hash bits, the field and the length) and, for a word of at most
// 8 bytes in a field < 255 (nine tokens in ten), the word itself, so such a lookup touches one
// cache line; a longer word's slot points at its bytes in an arena. Not thread-safe.
#ifndef SCOUR_INDEX_INVERTER_SURFACE_TABLE_H_
#define SCOUR_INDEX_INVERTER_SURFACE_TABLE_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace scour::index {

class SurfaceTable {
 public:
  static constexpr uint32_t kNotFound = ~uint32_t{0};

  SurfaceTable() { Clear(); }

  static uint64_t Hash(uint32_t field, std::string_view word);
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }

  // The term id of (field, word), or kNotFound. REQUIRES: hash == Hash(field, word).
  uint32_t Find(uint32_t field, std::string_view word, uint64_t hash) const {
    const uint32_t tag = Tag(hash, field, word.size());
    const bool inline_key = IsInline(field, word.size());
    const uint64_t key = inline_key ? Prefix(word) : 0;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.id1 == 0) return kNotFound;
      if (s.tag != tag) continue;
      if (inline_key ? s.key == key : LongEquals(s.key, field, word)) return s.id1 - 1;
    }
  }
  // REQUIRES: (field, word) is not in the table; hash == Hash(field, word).
  void Insert(uint32_t field, std::string_view word, uint64_t hash, uint32_t term_id);

  // Calls fn(field, word, term_id) for every entry, in no particular order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const Slot& s : slots_) {
      if (s.id1 == 0) continue;
      const uint32_t len = s.tag & 0xff;
      const uint32_t f = s.tag >> 8 & 0xff;
      if (len <= 8 && f < 255) {
        char bytes[8];
        std::memcpy(bytes, &s.key, 8);
        fn(f, std::string_view(bytes, len), s.id1 - 1);
      } else {
        const char* r = Record(s.key);
        uint32_t rf, n;
        std::memcpy(&rf, r, 4);
        std::memcpy(&n, r + 4, 4);
        fn(rf, std::string_view(r + 8, n), s.id1 - 1);
      }
    }
  }

  size_t size() const { return size_; }
  size_t bytes() const { return slots_.capacity() * sizeof(Slot) + chunks_.size() * kChunkBytes; }
  void Clear();

 private:
  struct Slot {
    uint32_t id1 = 0;  // term id + 1; 0 = empty
    uint32_t tag = 0;
    uint64_t key = 0;  // the word's bytes (inline) or the arena address of its record
  };
  // A long word's arena record: field (4 bytes), length (4 bytes), the bytes. Records never
  // cross a chunk; an address is chunk << kChunkBits | offset.
  static constexpr uint32_t kChunkBits = 20;
  static constexpr size_t kChunkBytes = size_t{1} << kChunkBits;

  static bool IsInline(uint32_t field, size_t len) { return len <= 8 && field < 255; }
  static uint32_t Tag(uint64_t hash, uint32_t field, size_t len) {
    return static_cast<uint32_t>(hash >> 48) << 16 | (field < 255 ? field : 255) << 8 |
           static_cast<uint32_t>(len < 255 ? len : 255);
  }
  static uint64_t Prefix(std::string_view word) {
    uint64_t p = 0;
    std::memcpy(&p, word.data(), word.size());
    return p;
  }
  const char* Record(uint64_t addr) const {
    return chunks_[addr >> kChunkBits].get() + (addr & (kChunkBytes - 1));
  }
  bool LongEquals(uint64_t addr, uint32_t field, std::string_view word) const {
    const char* r = Record(addr);
    uint32_t f, len;
    std::memcpy(&f, r, 4);
    std::memcpy(&len, r + 4, 4);
    return f == field && len == word.size() && std::memcmp(r + 8, word.data(), len) == 0;
  }
  uint64_t AddRecord(uint32_t field, std::string_view word);
  void Grow();

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_used_ = kChunkBytes;  // in the last chunk
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_INVERTER_SURFACE_TABLE_H_
