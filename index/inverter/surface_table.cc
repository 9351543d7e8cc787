#include "index/inverter/surface_table.h"

#include "index/inverter/term_table.h"

namespace scour::index {

uint64_t SurfaceTable::Hash(uint32_t field, std::string_view word) {
  return TermTable::Hash(field, word);
}

void SurfaceTable::Clear() {
  // Fresh vectors: capacity kept from the last segment would count against the RAM budget.
  std::vector<Slot>(1 << 12).swap(slots_);
  mask_ = slots_.size() - 1;
  size_ = 0;
  std::vector<std::unique_ptr<char[]>>().swap(chunks_);
  chunk_used_ = kChunkBytes;
}

uint64_t SurfaceTable::AddRecord(uint32_t field, std::string_view word) {
  const size_t need = 8 + word.size();  // a word is a token: far below a chunk
  if (chunk_used_ + need > kChunkBytes) {
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(kChunkBytes));
    chunk_used_ = 0;
  }
  char* r = chunks_.back().get() + chunk_used_;
  const uint32_t len = static_cast<uint32_t>(word.size());
  std::memcpy(r, &field, 4);
  std::memcpy(r + 4, &len, 4);
  std::memcpy(r + 8, word.data(), word.size());
  const uint64_t addr = uint64_t{chunks_.size() - 1} << kChunkBits | chunk_used_;
  chunk_used_ += (need + 7) & ~size_t{7};
  return addr;
}

void SurfaceTable::Insert(uint32_t field, std::string_view word, uint64_t hash, uint32_t term_id) {
  size_t i = hash & mask_;
  while (slots_[i].id1 != 0) i = (i + 1) & mask_;
  const uint64_t key = IsInline(field, word.size()) ? Prefix(word) : AddRecord(field, word);
  slots_[i] = Slot{term_id + 1, Tag(hash, field, word.size()), key};
  if (++size_ * 2 > slots_.size()) Grow();
}

void SurfaceTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  std::vector<Slot>(old.size() * 2).swap(slots_);
  mask_ = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id1 == 0) continue;
    // The hash is not kept (it would double the slot): recompute it from the key.
    const uint32_t len = s.tag & 0xff;
    uint64_t h;
    if (len <= 8 && (s.tag >> 8 & 0xff) < 255) {
      char bytes[8];
      std::memcpy(bytes, &s.key, 8);
      h = Hash(s.tag >> 8 & 0xff, std::string_view(bytes, len));
    } else {
      const char* r = Record(s.key);
      uint32_t f, n;
      std::memcpy(&f, r, 4);
      std::memcpy(&n, r + 4, 4);
      h = Hash(f, std::string_view(r + 8, n));
    }
    size_t i = h & mask_;
    while (slots_[i].id1 != 0) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

}  // namespace scour::index
