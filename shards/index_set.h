// The index-set manifest (INDEXSET, docs/format/index-set.md): the shard directories of a set
// and how documents are routed to them. Parsing is pure (bytes in, value or error out);
// writing goes through a Directory and publishes by atomic rename.
#ifndef SCOUR_SHARDS_INDEX_SET_H_
#define SCOUR_SHARDS_INDEX_SET_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/directory/directory.h"

namespace scour::shards {

inline constexpr char kIndexSetFile[] = "INDEXSET";
inline constexpr uint32_t kIndexSetVersion = 1;
inline constexpr uint8_t kRoutingFnv1a64 = 1;
inline constexpr uint32_t kMaxShards = 4096;

struct IndexSetManifest {
  uint8_t routing = kRoutingFnv1a64;
  std::vector<std::string> shards;  // directory names, relative to the set, in global-id order
};

// FNV-1a 64-bit of the id's bytes: the routing hash fixed by the format.
uint64_t Fnv1a64(std::string_view bytes);
// The shard (0 <= result < n) a document with this id goes to. REQUIRES n >= 1.
inline uint32_t ShardOf(std::string_view id, uint32_t n) {
  return static_cast<uint32_t>(Fnv1a64(id) % n);
}

// "shard-0000", "shard-0001", ...
std::string DefaultShardName(uint32_t i);

// Errors name the body offset and the rule broken (docs/format/index-set.md, "Errors").
absl::StatusOr<IndexSetManifest> ParseIndexSet(std::string_view file_bytes);
// The whole file (frame included).
absl::StatusOr<std::string> SerializeIndexSet(const IndexSetManifest& manifest);

// Reads `set_dir`/INDEXSET. NotFound when the directory has none.
absl::StatusOr<IndexSetManifest> ReadIndexSet(const std::string& set_dir);
// Writes INDEXSET.tmp, syncs it, renames it over INDEXSET, syncs the directory.
absl::Status WriteIndexSet(index::Directory* dir, const IndexSetManifest& manifest);

// True when `path` is a directory holding an INDEXSET.
bool IsIndexSet(const std::string& path);

// `set_dir`/name for each shard.
std::vector<std::string> ShardPaths(const std::string& set_dir, const IndexSetManifest& manifest);

}  // namespace scour::shards

#endif  // SCOUR_SHARDS_INDEX_SET_H_
