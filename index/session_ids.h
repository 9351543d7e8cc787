// The external ids an IndexWriter session added or deleted, with what happened to each last
// (commit turns them into deletions of older copies). Compact because it lives for the whole
// session, outside the builders' RAM budget: id bytes in one arena, a 32-byte record and the
// 8-byte hash per id and a hash set of 4-byte record numbers (about 50 bytes per id instead of
// ~130 in a flat_hash_map<std::string, ...>). Not thread-safe.
#ifndef SCOUR_INDEX_SESSION_IDS_H_
#define SCOUR_INDEX_SESSION_IDS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"

namespace scour::index {

class SessionIds {
 public:
  struct State {
    uint64_t last_add_seq = 0;  // 0: never added in this session
    bool deleted = false;       // deleted after its last add
    bool dirty = false;         // added twice or deleted: session docs need checking
  };

  SessionIds() : set_(0, Hasher{this}, Equal{this}) {}
  SessionIds(const SessionIds&) = delete;  // the set's functors point at this object
  SessionIds& operator=(const SessionIds&) = delete;

  // The state of `id`, or nullptr if the session has not seen it.
  const State* Find(std::string_view id) const {
    auto it = set_.find(id);
    return it == set_.end() ? nullptr : &records_[*it].state;
  }
  // The state of `id`, inserted if new. The reference is valid until the next insertion.
  // One hash and one probe, new id or not (find + insert hashed and probed twice).
  State& operator[](std::string_view id) {
    const Hashed key{id, Hasher::Of(id)};
    auto it = set_.lazy_emplace(key, [&](const Set::constructor& ctor) {
      records_.push_back(Record{arena_.size(), static_cast<uint32_t>(id.size()), State{}});
      hashes_.push_back(key.hash);
      arena_.append(id);
      ctor(static_cast<uint32_t>(records_.size() - 1));
    });
    return records_[*it].state;
  }
  bool empty() const { return records_.empty(); }
  size_t size() const { return records_.size(); }
  // Heap bytes held (capacities).
  size_t bytes() const {
    return arena_.capacity() + records_.capacity() * sizeof(Record) +
           hashes_.capacity() * sizeof(size_t) + set_.capacity() * (sizeof(uint32_t) + 1);
  }
  void clear() {
    // Swaps with fresh objects: clear() and `= {}` keep the capacity.
    Set(0, Hasher{this}, Equal{this}).swap(set_);
    std::vector<Record>().swap(records_);
    std::vector<size_t>().swap(hashes_);
    std::string().swap(arena_);
  }
  // f(std::string_view id, const State&) for every id, in insertion order.
  template <typename F>
  void ForEach(F&& f) const {
    for (uint32_t i = 0; i < records_.size(); ++i) f(Key(i), records_[i].state);
  }

 private:
  struct Record {
    uint64_t offset;  // in arena_
    uint32_t size;
    State state;
  };
  std::string_view Key(uint32_t i) const {
    return std::string_view(arena_).substr(records_[i].offset, records_[i].size);
  }
  // An id with its hash, computed once for the probe and kept for the record.
  struct Hashed {
    std::string_view id;
    size_t hash;
  };
  struct Hasher {
    using is_transparent = void;
    const SessionIds* ids;
    static size_t Of(std::string_view s) {
      return absl::Hash<absl::string_view>{}(absl::string_view(s.data(), s.size()));
    }
    size_t operator()(std::string_view s) const { return Of(s); }
    size_t operator()(const Hashed& h) const { return h.hash; }
    // Kept, not recomputed: growing the set rehashes every id, which otherwise read each
    // record and its bytes in the arena in random order (cache misses on the reading thread).
    size_t operator()(uint32_t i) const { return ids->hashes_[i]; }
  };
  struct Equal {
    using is_transparent = void;
    const SessionIds* ids;
    std::string_view K(std::string_view s) const { return s; }
    std::string_view K(const Hashed& h) const { return h.id; }
    std::string_view K(uint32_t i) const { return ids->Key(i); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return K(a) == K(b);
    }
  };

  std::string arena_;
  std::vector<Record> records_;
  std::vector<size_t> hashes_;  // by record: Hasher::Of(its id)
  using Set = absl::flat_hash_set<uint32_t, Hasher, Equal>;
  Set set_;
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_SESSION_IDS_H_
