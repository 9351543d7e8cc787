// Append-only byte streams for in-memory inversion, carved out of large shared pages: each
// term owns a doc stream and a position stream made of linked slices whose size grows with the
// stream (Lucene's ByteBlockPool idea), so inverting a token never allocates on the heap.
// Not thread-safe: one pool per segment builder.
#ifndef SCOUR_INDEX_INVERTER_BYTE_SLICE_POOL_H_
#define SCOUR_INDEX_INVERTER_BYTE_SLICE_POOL_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace scour::index {

class ByteSlicePool {
 public:
  static constexpr uint32_t kPageBits = 16;  // 64 KiB pages
  static constexpr uint32_t kPageSize = 1u << kPageBits;

  // A stream's write state (8 bytes: it sits in the per-term state every token touches). Until
  // a slice is full, the 4 bytes at `limit`, later its forward pointer, hold its level.
  struct Stream {
    uint32_t cur = 0;    // address of the next byte to write
    uint32_t limit = 0;  // address of the current slice's 4-byte forward pointer
  };

  ByteSlicePool() = default;
  ByteSlicePool(const ByteSlicePool&) = delete;
  ByteSlicePool& operator=(const ByteSlicePool&) = delete;

  // Gives `s` its first slice; returns the stream's head (where a Reader starts).
  uint32_t Start(Stream* s) {
    const uint32_t a = Allocate(SliceSize(0));
    s->cur = a;
    s->limit = a + SliceSize(0) - 4;
    SetLevel(s->limit, 0);
    return a;
  }
  // REQUIRES: Start(s) was called.
  void WriteByte(Stream* s, uint8_t b) {
    if (s->cur == s->limit) Grow(s);
    *At(s->cur++) = b;
  }
  void WriteVarint(Stream* s, uint32_t v) {
    if (s->limit - s->cur < 5) {  // may cross into the next slice: byte by byte
      while (v >= 0x80) {
        WriteByte(s, static_cast<uint8_t>(v | 0x80));
        v >>= 7;
      }
      WriteByte(s, static_cast<uint8_t>(v));
      return;
    }
    uint8_t* const start = At(s->cur);
    uint8_t* p = start;
    while (v >= 0x80) {
      *p++ = static_cast<uint8_t>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<uint8_t>(v);
    s->cur += static_cast<uint32_t>(p - start);
  }

  // Sequential reader over a finished stream.
  class Reader {
   public:
    // `head` from Start, `end` = the stream's cur when writing stopped.
    Reader(const ByteSlicePool* pool, uint32_t head, uint32_t end)
        : pool_(pool), cur_(head), end_(end), limit_(head + SliceSize(0) - 4), level_(0) {}
    bool done() const { return cur_ == end_; }
    uint8_t ReadByte() {
      if (cur_ == limit_) {
        uint32_t next;
        std::memcpy(&next, pool_->At(limit_), 4);
        level_ = NextLevel(level_);
        cur_ = next;
        limit_ = next + SliceSize(level_) - 4;
      }
      return *pool_->At(cur_++);
    }
    uint32_t ReadVarint() {
      uint32_t v = 0;
      for (int shift = 0;; shift += 7) {
        uint8_t b = ReadByte();
        v |= uint32_t{b & 0x7fu} << shift;
        if (b < 0x80) return v;
      }
    }

   private:
    const ByteSlicePool* pool_;
    uint32_t cur_, end_, limit_, level_;
  };

  // Starts loading the cache line of `addr` (a stream's head, say) ahead of a Reader.
  void Prefetch(uint32_t addr) const { __builtin_prefetch(At(addr)); }
  size_t bytes_allocated() const { return pages_.size() * size_t{kPageSize}; }
  void Reset() {
    pages_.clear();
    used_ = 0;
  }

  static uint32_t SliceSize(uint32_t level) { return kSliceSizes[level]; }
  static uint32_t NextLevel(uint32_t level) { return level + 1 < kLevels ? level + 1 : level; }

 private:
  static constexpr uint32_t kLevels = 10;
  static constexpr uint32_t kSliceSizes[kLevels] = {8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

  uint8_t* At(uint32_t addr) const {
    return pages_[addr >> kPageBits].get() + (addr & (kPageSize - 1));
  }
  // Returns the address of `size` fresh bytes that do not cross a page boundary (address 0 is
  // never handed out).
  uint32_t Allocate(uint32_t size) {
    uint32_t in_page = used_ & (kPageSize - 1);
    if ((used_ >> kPageBits) >= pages_.size() || in_page + size > kPageSize) {
      // Not zeroed: a reader only reads written bytes, and a slice's level is written with it.
      pages_.push_back(std::make_unique_for_overwrite<uint8_t[]>(kPageSize));
      used_ = static_cast<uint32_t>((pages_.size() - 1) << kPageBits);
      if (used_ == 0) used_ = 8;
    }
    uint32_t addr = used_;
    used_ += size;
    return addr;
  }
  void SetLevel(uint32_t limit, uint32_t level) { std::memcpy(At(limit), &level, 4); }
  void Grow(Stream* s) {
    uint32_t level;
    std::memcpy(&level, At(s->limit), 4);
    level = NextLevel(level);
    const uint32_t a = Allocate(SliceSize(level));
    std::memcpy(At(s->limit), &a, 4);
    s->cur = a;
    s->limit = a + SliceSize(level) - 4;
    SetLevel(s->limit, level);
  }

  std::vector<std::unique_ptr<uint8_t[]>> pages_;
  uint32_t used_ = 0;
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_INVERTER_BYTE_SLICE_POOL_H_
