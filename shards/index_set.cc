#include "shards/index_set.h"

#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/coding.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "base/utf8.h"
#include "index/format/file_format.h"

namespace scour::shards {
namespace {

constexpr size_t kMaxNameLength = 255;

absl::Status Corrupt(size_t offset, std::string_view what) {
  return absl::DataLossError(absl::StrCat(kIndexSetFile, ": body offset ", offset, ": ", Av(what)));
}

// A single path component: no '/', no NUL, not "." or "..", valid UTF-8, 1..255 bytes.
std::string BadName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength)
    return absl::StrCat("shard name length ", name.size(), " (1 to ", kMaxNameLength, ")");
  if (name == "." || name == "..")
    return absl::StrCat("shard name \"", Av(name), "\" is not allowed");
  if (name.find('/') != std::string_view::npos || name.find('\0') != std::string_view::npos)
    return "shard name holds '/' or NUL (must be one path component)";
  if (!IsValidUtf8(name)) return "shard name is not valid UTF-8";
  return "";
}

}  // namespace

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string DefaultShardName(uint32_t i) { return absl::StrFormat("shard-%04d", i); }

absl::StatusOr<IndexSetManifest> ParseIndexSet(std::string_view file_bytes) {
  SCOUR_ASSIGN_OR_RETURN(std::string_view body,
                         index::CheckFrame(file_bytes, index::FileKind::kIndexSet, kIndexSetFile));
  ByteReader r(body);
  auto at = [&] { return static_cast<size_t>(r.pos() - body.data()); };
  const uint32_t version = r.U32();
  if (!r.ok()) return Corrupt(0, "truncated: no set format version");
  if (version != kIndexSetVersion) {
    return absl::FailedPreconditionError(absl::StrCat(kIndexSetFile, ": set format version ",
                                                      version, " (this build reads ",
                                                      kIndexSetVersion, ")"));
  }
  IndexSetManifest m;
  m.routing = r.U8();
  if (!r.ok()) return Corrupt(4, "truncated: no routing byte");
  if (m.routing != kRoutingFnv1a64) {
    return absl::FailedPreconditionError(absl::StrCat(kIndexSetFile, ": body offset 4: routing ",
                                                      m.routing, " unknown (this build knows 1)"));
  }
  const uint32_t n = r.U32();
  if (!r.ok()) return Corrupt(5, "truncated: no shard count");
  if (n < 1 || n > kMaxShards)
    return Corrupt(5, absl::StrCat("shard count ", n, " (1 to ", kMaxShards, ")"));
  std::set<std::string_view> seen;
  for (uint32_t i = 0; i < n; ++i) {
    const size_t start = at();
    const uint64_t len = r.Varint64();
    if (!r.ok()) return Corrupt(start, absl::StrCat("truncated: shard ", i, " of ", n));
    if (len < 1 || len > kMaxNameLength)
      return Corrupt(start,
                     absl::StrCat("shard name length ", len, " (1 to ", kMaxNameLength, ")"));
    const size_t name_at = at();
    std::string_view name = r.Bytes(len);
    if (!r.ok()) return Corrupt(name_at, absl::StrCat("truncated: shard ", i, "'s name"));
    if (std::string bad = BadName(name); !bad.empty()) return Corrupt(name_at, bad);
    if (!seen.insert(name).second)
      return Corrupt(name_at, absl::StrCat("shard name \"", Av(name), "\" listed twice"));
    m.shards.emplace_back(name);
  }
  if (r.remaining() != 0)
    return Corrupt(at(), absl::StrCat(r.remaining(), " bytes after the last shard"));
  return m;
}

absl::StatusOr<std::string> SerializeIndexSet(const IndexSetManifest& m) {
  if (m.routing != kRoutingFnv1a64)
    return absl::InvalidArgumentError(absl::StrCat("index set: routing ", m.routing, " unknown"));
  if (m.shards.empty() || m.shards.size() > kMaxShards)
    return absl::InvalidArgumentError(
        absl::StrCat("index set: ", m.shards.size(), " shards (1 to ", kMaxShards, ")"));
  std::set<std::string_view> seen;
  std::string body;
  PutFixed32(&body, kIndexSetVersion);
  body.push_back(static_cast<char>(m.routing));
  PutFixed32(&body, static_cast<uint32_t>(m.shards.size()));
  for (const std::string& name : m.shards) {
    if (std::string bad = BadName(name); !bad.empty())
      return absl::InvalidArgumentError(absl::StrCat("index set: ", bad));
    if (!seen.insert(name).second)
      return absl::InvalidArgumentError(absl::StrCat("index set: shard \"", name, "\" twice"));
    PutVarint64(&body, name.size());
    body.append(name);
  }
  // Frame it through a memory directory's writer so the frame code is the index's own.
  std::unique_ptr<index::Directory> mem = index::NewMemDirectory();
  SCOUR_ASSIGN_OR_RETURN(
      index::FramedWriter w,
      index::FramedWriter::Create(mem.get(), kIndexSetFile, index::FileKind::kIndexSet));
  SCOUR_RETURN_IF_ERROR(w.Append(body));
  SCOUR_RETURN_IF_ERROR(w.Finish());
  SCOUR_ASSIGN_OR_RETURN(auto file, mem->Open(kIndexSetFile));
  return std::string(file->data());
}

absl::StatusOr<IndexSetManifest> ReadIndexSet(const std::string& set_dir) {
  SCOUR_ASSIGN_OR_RETURN(auto dir, index::OpenFsDirectory(set_dir, /*create=*/false));
  SCOUR_ASSIGN_OR_RETURN(auto file, dir->Open(kIndexSetFile));
  absl::StatusOr<IndexSetManifest> m = ParseIndexSet(file->data());
  if (!m.ok()) {
    return absl::Status(m.status().code(), absl::StrCat(set_dir, "/", m.status().message()));
  }
  return m;
}

absl::Status WriteIndexSet(index::Directory* dir, const IndexSetManifest& manifest) {
  SCOUR_ASSIGN_OR_RETURN(std::string bytes, SerializeIndexSet(manifest));
  const std::string tmp = absl::StrCat(kIndexSetFile, ".tmp");
  {
    SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<index::WritableFile> f, dir->Create(tmp));
    SCOUR_RETURN_IF_ERROR(f->Append(bytes));
    SCOUR_RETURN_IF_ERROR(f->Sync());
    SCOUR_RETURN_IF_ERROR(f->Close());
  }
  SCOUR_RETURN_IF_ERROR(dir->Rename(tmp, kIndexSetFile));
  return dir->SyncDir();
}

bool IsIndexSet(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path(path) / kIndexSetFile, ec);
}

std::vector<std::string> ShardPaths(const std::string& set_dir, const IndexSetManifest& m) {
  std::vector<std::string> paths;
  for (const std::string& s : m.shards)
    paths.push_back((std::filesystem::path(set_dir) / s).string());
  return paths;
}

}  // namespace scour::shards
