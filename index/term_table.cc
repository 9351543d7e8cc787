#include "index/term_table.h"

#include <algorithm>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace scour::index {

uint64_t TermTable::Hash(uint32_t field, std::string_view term) {
  const uint64_t h = absl::Hash<absl::string_view>{}(absl::string_view(term.data(), term.size()));
  return h ^ (uint64_t{field} * 0x9E3779B97F4A7C15ull);
}

void TermTable::Clear() {
  // Fresh vectors, not assign/clear: a table grown for the last segment would keep its
  // capacity, which counts against the RAM budget and made every later segment flush early.
  std::vector<Slot>(1 << 12).swap(slots_);
  mask_ = slots_.size() - 1;
  std::vector<Entry>().swap(entries_);
  chunks_.clear();
  next_ = nullptr;
  left_ = chunk_bytes_ = 0;
}

size_t TermTable::bytes() const {
  return slots_.capacity() * sizeof(Slot) + entries_.capacity() * sizeof(Entry) + chunk_bytes_;
}

std::string_view TermTable::CopyKey(uint32_t field, std::string_view term, uint32_t* term_offset) {
  char head[5];
  size_t n = 0;
  for (uint32_t f = field; ; f >>= 7) {
    head[n++] = static_cast<char>(f >= 0x80 ? (f & 0x7f) | 0x80 : f);
    if (f < 0x80) break;
  }
  const size_t need = n + term.size();
  if (need > left_) {
    const size_t size = std::max<size_t>(size_t{1} << 20, need);
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    next_ = chunks_.back().get();
    left_ = size;
    chunk_bytes_ += size;
  }
  std::memcpy(next_, head, n);
  std::memcpy(next_ + n, term.data(), term.size());
  std::string_view key(next_, need);
  next_ += need;
  left_ -= need;
  *term_offset = static_cast<uint32_t>(n);
  return key;
}

void TermTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id1 == 0) continue;
    size_t i = entries_[s.id1 - 1].hash & mask_;
    while (slots_[i].id1 != 0) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

uint32_t TermTable::FindOrInsertHashed(uint32_t field, std::string_view term, uint64_t h,
                                       bool* inserted) {
  const uint32_t tag = Tag(h, field, term.size());
  const uint64_t prefix = Prefix(term);
  const bool inline_exact = term.size() <= 8 && field < 255;
  size_t i = h & mask_;
  for (;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.id1 == 0) break;
    if (s.tag != tag || s.prefix != prefix) continue;
    if (inline_exact) {
      *inserted = false;
      return s.id1 - 1;
    }
    const Entry& e = entries_[s.id1 - 1];
    if (e.field == field && e.key.substr(e.term_offset) == term) {
      *inserted = false;
      return s.id1 - 1;
    }
  }
  const uint32_t id = static_cast<uint32_t>(entries_.size());
  Entry e;
  e.key = CopyKey(field, term, &e.term_offset);
  e.field = field;
  e.hash = h;
  entries_.push_back(e);
  slots_[i] = Slot{id + 1, tag, prefix};
  *inserted = true;
  if (entries_.size() * 2 > slots_.size()) Grow();
  return id;
}

}  // namespace scour::index
