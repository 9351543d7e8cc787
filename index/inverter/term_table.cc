#include "index/inverter/term_table.h"

#include <cassert>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "base/string_view.h"

namespace scour::index {

uint64_t TermTable::Hash(uint32_t field, std::string_view term) {
  const uint64_t h = absl::Hash<absl::string_view>{}(Av(term));
  return h ^ (uint64_t{field} * 0x9E3779B97F4A7C15ull);
}

void TermTable::Clear() {
  // Fresh vectors, not assign/clear: a table grown for the last segment would keep its
  // capacity, which counts against the RAM budget and made every later segment flush early.
  std::vector<Slot>(1 << 12).swap(slots_);
  mask_ = slots_.size() - 1;
  std::vector<Entry>().swap(entries_);
  std::vector<std::unique_ptr<char[]>>().swap(chunks_);
  chunk_used_ = kChunkBytes;
}

size_t TermTable::bytes() const {
  return slots_.capacity() * sizeof(Slot) + entries_.capacity() * sizeof(Entry) +
         chunks_.size() * kChunkBytes;
}

uint32_t TermTable::field(uint32_t id) const {
  const Entry& e = entries_[id];
  const auto* p = reinterpret_cast<const uint8_t*>(KeyBytes(e.addr));
  uint32_t f = 0;
  for (int shift = 0;; shift += 7) {
    f |= uint32_t{*p & 0x7fu} << shift;
    if (*p++ < 0x80) return f;
  }
}

TermTable::Entry TermTable::CopyKey(uint32_t field, std::string_view term) {
  char head[5];
  size_t n = 0;
  for (uint32_t f = field;; f >>= 7) {
    head[n++] = static_cast<char>(f >= 0x80 ? (f & 0x7f) | 0x80 : f);
    if (f < 0x80) break;
  }
  const size_t need = n + term.size();
  assert(need <= UINT16_MAX);  // a token is at most 255 bytes before normalisation
  if (chunk_used_ + need > kChunkBytes) {
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(kChunkBytes));
    chunk_used_ = 0;
  }
  char* p = chunks_.back().get() + chunk_used_;
  std::memcpy(p, head, n);
  std::memcpy(p + n, term.data(), term.size());
  Entry e;
  e.addr = static_cast<uint32_t>((chunks_.size() - 1) << kChunkBits | chunk_used_);
  e.size = static_cast<uint16_t>(need);
  e.term_offset = static_cast<uint16_t>(n);
  chunk_used_ += need;
  return e;
}

void TermTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  std::vector<Slot>(old.size() * 2).swap(slots_);
  mask_ = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id1 == 0) continue;
    size_t i = s.hash & mask_;
    while (slots_[i].id1 != 0) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

uint32_t TermTable::FindOrInsert(uint32_t field, std::string_view term, bool* inserted) {
  const uint32_t h = static_cast<uint32_t>(Hash(field, term));
  size_t i = h & mask_;
  for (;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.id1 == 0) break;
    if (s.hash != h) continue;
    const Entry& e = entries_[s.id1 - 1];
    if (static_cast<size_t>(e.size - e.term_offset) == term.size() &&
        this->field(s.id1 - 1) == field &&
        std::memcmp(KeyBytes(e.addr) + e.term_offset, term.data(), term.size()) == 0) {
      *inserted = false;
      return s.id1 - 1;
    }
  }
  const uint32_t id = static_cast<uint32_t>(entries_.size());
  entries_.push_back(CopyKey(field, term));
  slots_[i] = Slot{id + 1, h};
  *inserted = true;
  if (entries_.size() * 2 > slots_.size()) Grow();
  return id;
}

}  // namespace scour::index
