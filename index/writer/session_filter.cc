#include "index/writer/session_filter.h"

#include <algorithm>
#include <string>

#include "absl/hash/hash.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "index/segment/segment_format.h"

namespace scour::index {

uint64_t SessionIdHash(std::string_view id, uint64_t mask) {
  return static_cast<uint64_t>(absl::Hash<absl::string_view>{}(Av(id))) & mask;
}

IdBloom::IdBloom(std::span<const uint64_t> hashes, size_t bits_per_key) {
  if (hashes.empty()) return;
  blocks_ = std::max<uint64_t>(1, (hashes.size() * bits_per_key + 255) / 256);
  words_.assign(blocks_ * 8, 0);
  for (const uint64_t h : hashes) {
    uint32_t* b = &words_[Block(h) * 8];
    const uint32_t lo = static_cast<uint32_t>(h);
    for (int i = 0; i < 8; ++i) b[i] |= uint32_t{1} << ((lo * kSalt[i]) >> 27);
  }
}

void SessionFilter::AddFlushed(FlushedIds ids) {
  for (const uint64_t h : ids.hashes) {
    auto it = unflushed_.find(h);
    if (it != unflushed_.end() && --it->second == 0) unflushed_.erase(it);
  }
  flushed_.push_back({ids.ref, IdBloom(ids.hashes), std::nullopt, 0});
}

absl::StatusOr<bool> SessionFilter::FlushedHold(Directory* dir, std::string_view id, uint64_t h) {
  for (Flushed& f : flushed_) {
    if (!f.bloom.MayContain(h)) continue;
    ++filter_hits_;
    if (!f.dict) {
      SCOUR_ASSIGN_OR_RETURN(f.dict, SegmentReader::OpenDictionary(dir, f.ref));
    }
    std::string key;
    AppendTermKey(kIdField, id, &key);
    SCOUR_ASSIGN_OR_RETURN(auto info, f.dict->dict.Lookup(key));
    if (++f.lookups % kReleaseEveryLookups == 0)
      f.dict->file->Release(0, f.dict->file->data().size());
    if (info) return true;
    ++false_hits_;
  }
  return false;
}

size_t SessionFilter::bytes() const {
  size_t n = unflushed_.capacity() * (sizeof(std::pair<uint64_t, uint32_t>) + 1) +
             flushed_.capacity() * sizeof(Flushed);
  for (const Flushed& f : flushed_) n += f.bloom.bytes();
  return n;
}

void SessionFilter::CloseDictionaries() {
  for (Flushed& f : flushed_) {
    f.dict.reset();
    f.lookups = 0;
  }
}

void SessionFilter::clear() {
  absl::flat_hash_map<uint64_t, uint32_t>().swap(unflushed_);
  std::vector<Flushed>().swap(flushed_);
  filter_hits_ = false_hits_ = 0;
}

}  // namespace scour::index
