#include "index/format/file_names.h"

#include <cassert>

#include "absl/strings/str_format.h"

namespace scour::index {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Parses the canonical lowercase hex of a uint64: at least `min_digits` digits, zero-padded to
// exactly that many and no leading zero beyond them (so one value has one spelling).
std::optional<uint64_t> ParseHex(std::string_view s, size_t min_digits) {
  if (s.size() < min_digits || s.size() > 16) return std::nullopt;
  if (s.size() > min_digits && s[0] == '0') return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    const int d = HexDigit(c);
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<uint64_t>(d);
  }
  return v;
}

}  // namespace

std::string SegmentName(uint64_t segment) { return absl::StrFormat("s%08x", segment); }

const char* SegmentFileExtension(FileKind kind) {
  switch (kind) {
    case FileKind::kTermDict:
      return "tdict";
    case FileKind::kPostings:
      return "post";
    case FileKind::kPositions:
      return "pos";
    case FileKind::kNorms:
      return "norms";
    case FileKind::kStored:
      return "store";
    case FileKind::kSegmentInfo:
      return "info";
    case FileKind::kSurfaceForms:
      return "surf";
    case FileKind::kTermVectors:
      return "tvec";
    case FileKind::kManifest:
    case FileKind::kDeletes:
    case FileKind::kIndexSet:
    case FileKind::kSynonyms:
      break;
  }
  return nullptr;
}

std::string SegmentFileName(uint64_t segment, FileKind kind) {
  const char* ext = SegmentFileExtension(kind);
  assert(ext != nullptr);
  return absl::StrFormat("s%08x.%s", segment, ext == nullptr ? "?" : ext);
}

std::string DeletesFileName(uint64_t segment, uint64_t generation) {
  return absl::StrFormat("s%08x_%x.del", segment, generation);
}

std::string SynonymsFileName(uint64_t generation) {
  return absl::StrFormat("synonyms_%x.syn", generation);
}

std::optional<ParsedFileName> ParseFileName(std::string_view name) {
  ParsedFileName p;
  if (name == kManifestFileName) {
    p.type = FileType::kManifest;
    return p;
  }
  if (name == kManifestTempFileName) {
    p.type = FileType::kManifestTemp;
    return p;
  }
  if (name == kWriteLockFileName) {
    p.type = FileType::kWriteLock;
    return p;
  }
  constexpr std::string_view kSynPrefix = "synonyms_", kSynSuffix = ".syn";
  if (name.size() > kSynPrefix.size() + kSynSuffix.size() && name.starts_with(kSynPrefix) &&
      name.ends_with(kSynSuffix)) {
    auto generation = ParseHex(
        name.substr(kSynPrefix.size(), name.size() - kSynPrefix.size() - kSynSuffix.size()), 1);
    if (!generation) return std::nullopt;
    p.type = FileType::kSynonyms;
    p.kind = FileKind::kSynonyms;
    p.generation = *generation;
    return p;
  }
  if (name.size() < 2 || name[0] != 's') return std::nullopt;
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view stem = name.substr(1, dot - 1), ext = name.substr(dot + 1);
  if (ext == "del") {
    const size_t us = stem.find('_');
    if (us == std::string_view::npos) return std::nullopt;
    auto segment = ParseHex(stem.substr(0, us), 8);
    auto generation = ParseHex(stem.substr(us + 1), 1);
    if (!segment || !generation) return std::nullopt;
    p.type = FileType::kDeletes;
    p.kind = FileKind::kDeletes;
    p.segment = *segment;
    p.generation = *generation;
    return p;
  }
  auto segment = ParseHex(stem, 8);
  if (!segment) return std::nullopt;
  for (FileKind kind : kSegmentFileKinds) {
    if (ext == SegmentFileExtension(kind)) {
      p.type = FileType::kSegment;
      p.kind = kind;
      p.segment = *segment;
      return p;
    }
  }
  return std::nullopt;
}

}  // namespace scour::index
