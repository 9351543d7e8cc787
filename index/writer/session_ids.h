// The external ids an IndexWriter session added or deleted, with what happened to each last
// (commit turned them into deletions of older copies). The writer kept one until session 15;
// it now keeps no table of the session's ids (docs/ARCHITECTURE.md, "Replace-by-id with memory
// bounded by the budget"), and the tests use this one as the reference of those semantics. Compact
// because it lives for the whole session and is charged to the writer's RAM budget: 16 bytes of
// record per id (a pointer to the id and an 8-byte state), the id's 8-byte hash, the id bytes with
// a varint length in fixed-size arena chunks, and a hash set of 4-byte record numbers: ~43 bytes
// per id. Records, hashes and ids sit in chunks that never move, so the table grows without the
// doubling copies of a vector, which hold the old and the new array at once. Not thread-safe.
#ifndef SCOUR_INDEX_WRITER_SESSION_IDS_H_
#define SCOUR_INDEX_WRITER_SESSION_IDS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "base/string_view.h"

namespace scour::index {

class SessionIds {
 public:
  struct State {
    uint64_t last_add_seq : 62 = 0;  // 0: never added in this session (sequences are < 2^62)
    uint64_t deleted : 1 = 0;        // deleted after its last add
    uint64_t dirty : 1 = 0;          // added twice or deleted: session docs need checking
  };

  SessionIds() : set_(0, Hasher{this}, Equal{this}) {}
  SessionIds(const SessionIds&) = delete;  // the set's functors point at this object
  SessionIds& operator=(const SessionIds&) = delete;

  // The state of `id`, or nullptr if the session has not seen it.
  const State* Find(std::string_view id) const {
    auto it = set_.find(id);
    return it == set_.end() ? nullptr : &Rec(*it).state;
  }
  // The state of `id`, inserted if new. States never move: the reference stays valid until
  // clear(). One hash and one probe, new id or not.
  State& operator[](std::string_view id) {
    const Hashed key{id, Hasher::Of(id)};
    auto it = set_.lazy_emplace(key, [&](const Set::constructor& ctor) {
      const uint32_t i = static_cast<uint32_t>(size_);
      if ((i & (kRecordsPerChunk - 1)) == 0) {
        records_.push_back(std::make_unique<Record[]>(kRecordsPerChunk));
        hashes_.push_back(std::make_unique_for_overwrite<size_t[]>(kRecordsPerChunk));
      }
      Rec(i) = Record{StoreKey(id), State{}};
      hashes_[i / kRecordsPerChunk][i % kRecordsPerChunk] = key.hash;
      ++size_;
      ctor(i);
    });
    return Rec(*it).state;
  }
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  // Heap bytes held.
  size_t bytes() const {
    return records_.size() * kRecordsPerChunk * (sizeof(Record) + sizeof(size_t)) + arena_bytes_ +
           set_.capacity() * (sizeof(uint32_t) + 1);
  }
  void clear() {
    // Swaps with fresh objects: clear() and `= {}` keep the capacity.
    Set(0, Hasher{this}, Equal{this}).swap(set_);
    std::vector<std::unique_ptr<Record[]>>().swap(records_);
    std::vector<std::unique_ptr<size_t[]>>().swap(hashes_);
    std::vector<std::unique_ptr<char[]>>().swap(arena_);
    arena_bytes_ = 0;
    arena_left_ = 0;
    arena_next_ = nullptr;
    size_ = 0;
  }
  // f(std::string_view id, const State&) for every id, in insertion order.
  template <typename F>
  void ForEach(F&& f) const {
    for (size_t i = 0; i < size_; ++i) {
      const Record& r = Rec(static_cast<uint32_t>(i));
      f(Key(r), r.state);
    }
  }

 private:
  static constexpr uint32_t kRecordsPerChunk = 4096;  // 64 KB
  static constexpr size_t kArenaChunk = 64 << 10;

  struct Record {
    const char* key;  // varint length, then the id's bytes, in an arena chunk
    State state;
  };
  static_assert(sizeof(Record) == 16);

  Record& Rec(uint32_t i) { return records_[i / kRecordsPerChunk][i % kRecordsPerChunk]; }
  const Record& Rec(uint32_t i) const {
    return records_[i / kRecordsPerChunk][i % kRecordsPerChunk];
  }
  static std::string_view Key(const Record& r) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(r.key);
    size_t n = 0;
    for (int shift = 0;; shift += 7) {
      n |= size_t{*p & 0x7fu} << shift;
      if ((*p++ & 0x80) == 0) break;
    }
    return std::string_view(reinterpret_cast<const char*>(p), n);
  }
  // Copies `id` behind its varint length into the arena; an id longer than a chunk gets a
  // chunk of its own.
  const char* StoreKey(std::string_view id) {
    const size_t need = id.size() + 10;
    if (need > arena_left_) {
      const size_t chunk = need > kArenaChunk ? need : kArenaChunk;
      arena_.push_back(std::make_unique_for_overwrite<char[]>(chunk));
      arena_bytes_ += chunk;
      arena_next_ = arena_.back().get();
      arena_left_ = chunk;
    }
    char* start = arena_next_;
    char* p = start;
    size_t n = id.size();
    while (n >= 0x80) {
      *p++ = static_cast<char>(n | 0x80);
      n >>= 7;
    }
    *p++ = static_cast<char>(n);
    if (!id.empty()) std::memcpy(p, id.data(), id.size());
    p += id.size();
    arena_left_ -= p - start;
    arena_next_ = p;
    return start;
  }

  // An id with its hash, computed once for the probe and kept for the record.
  struct Hashed {
    std::string_view id;
    size_t hash;
  };
  struct Hasher {
    using is_transparent = void;
    const SessionIds* ids;
    static size_t Of(std::string_view s) { return absl::Hash<absl::string_view>{}(Av(s)); }
    size_t operator()(std::string_view s) const { return Of(s); }
    size_t operator()(const Hashed& h) const { return h.hash; }
    // Kept, not recomputed: growing the set rehashes every id, which otherwise read each
    // record and its bytes in the arena in random order (cache misses on the reading thread).
    size_t operator()(uint32_t i) const {
      return ids->hashes_[i / kRecordsPerChunk][i % kRecordsPerChunk];
    }
  };
  struct Equal {
    using is_transparent = void;
    const SessionIds* ids;
    std::string_view K(std::string_view s) const { return s; }
    std::string_view K(const Hashed& h) const { return h.id; }
    std::string_view K(uint32_t i) const { return Key(ids->Rec(i)); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return K(a) == K(b);
    }
  };

  std::vector<std::unique_ptr<Record[]>> records_;
  std::vector<std::unique_ptr<size_t[]>> hashes_;  // by record: Hasher::Of(its id)
  std::vector<std::unique_ptr<char[]>> arena_;
  size_t arena_bytes_ = 0, arena_left_ = 0;
  char* arena_next_ = nullptr;
  size_t size_ = 0;
  using Set = absl::flat_hash_set<uint32_t, Hasher, Equal>;
  Set set_;
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_SESSION_IDS_H_
