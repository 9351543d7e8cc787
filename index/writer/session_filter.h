// What a writer session keeps to refuse a repeated id when it is added
// (IndexWriterOptions::reject_duplicate_ids) without a table of every id of the session
// (docs/ARCHITECTURE.md, "Replace-by-id with memory bounded by the budget"): the 64-bit hashes
// of the ids not yet flushed, counted, and a Bloom filter per segment flushed in the session.
// Both only narrow the search: a hit is settled exactly by the caller (the unflushed ids) or
// here, by the segment's `_id` entry on disk. Not thread-safe (the writer's thread).
#ifndef SCOUR_INDEX_WRITER_SESSION_FILTER_H_
#define SCOUR_INDEX_WRITER_SESSION_FILTER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "index/directory/directory.h"
#include "index/segment/segment_reader.h"
#include "index/writer/worker_pool.h"

namespace scour::index {

// The hash the session filter uses for an id: absl's (64 bits, per-process seed), masked by
// `mask` (tests keep a few bits to force collisions and false positives).
uint64_t SessionIdHash(std::string_view id, uint64_t mask = ~uint64_t{0});

// A split-block Bloom filter (Putze et al.; Apache Parquet's layout): a 32-byte block per key
// chosen by the hash's high half, one bit set in each of its eight 32-bit words by the low half,
// so a probe reads one cache line. 0.14% false positives at 16 bits per key (measured,
// tests/index/writer/session_deletes_test.cc).
class IdBloom {
 public:
  static constexpr size_t kBitsPerKey = 16;
  IdBloom() = default;
  explicit IdBloom(std::span<const uint64_t> hashes, size_t bits_per_key = kBitsPerKey);
  bool MayContain(uint64_t h) const {
    if (blocks_ == 0) return false;
    const uint32_t* b = &words_[Block(h) * 8];
    const uint32_t lo = static_cast<uint32_t>(h);
    uint32_t all = 1;
    for (int i = 0; i < 8; ++i) all &= b[i] >> ((lo * kSalt[i]) >> 27);
    return all != 0;
  }
  size_t bytes() const { return words_.capacity() * sizeof(uint32_t); }

 private:
  static constexpr uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                                        0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};
  uint64_t Block(uint64_t h) const { return ((h >> 32) * blocks_) >> 32; }
  uint64_t blocks_ = 0;
  std::vector<uint32_t> words_;  // 8 per block
};

class SessionFilter {
 public:
  void set_hash_mask(uint64_t mask) { mask_ = mask; }
  uint64_t Hash(std::string_view id) const { return SessionIdHash(id, mask_); }

  // An id added (not yet flushed).
  void AddUnflushed(uint64_t h) { ++unflushed_[h]; }
  // Whether an unflushed id has this hash (the caller then compares the ids themselves).
  bool UnflushedMayHold(uint64_t h) const { return unflushed_.contains(h); }
  // A segment of the session was flushed: its ids leave the unflushed ones for its filter.
  void AddFlushed(FlushedIds ids);
  // Whether a segment flushed in this session holds `id` (hash h): the filters, then the `_id`
  // entry of each segment whose filter says maybe. Errors: opening or reading a segment.
  absl::StatusOr<bool> FlushedHold(Directory* dir, std::string_view id, uint64_t h);

  // Heap bytes held (charged to the writer's budget).
  size_t bytes() const;
  // Unmaps the flushed segments' dictionaries (reopened on the next hit): the commit reads the
  // same files through segment readers of its own.
  void CloseDictionaries();
  void clear();
  // Filter hits and the hits that were false (the id was not in the segment), since clear().
  uint64_t filter_hits() const { return filter_hits_; }
  uint64_t false_hits() const { return false_hits_; }

 private:
  struct Flushed {
    SegmentRef ref;
    IdBloom bloom;
    // The segment's dictionary, opened on the filter's first hit; its pages are given back
    // every kReleaseEveryLookups lookups (false hits come from every flushed segment, and
    // each kept the pages it read resident: ~170 KB of .tdict per segment at 285k ids).
    std::optional<SegmentReader::Dictionary> dict;
    uint32_t lookups = 0;
  };
  static constexpr uint32_t kReleaseEveryLookups = 64;
  uint64_t mask_ = ~uint64_t{0};
  absl::flat_hash_map<uint64_t, uint32_t> unflushed_;  // hash -> ids added with it
  std::vector<Flushed> flushed_;
  uint64_t filter_hits_ = 0, false_hits_ = 0;
};

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_SESSION_FILTER_H_
