// The names of the files in an index directory, made and recognised here only (as leveldb's
// db/filename.h): a name the writer makes parses back to what it was made from, and any other
// name parses to nothing, so cleanup deletes only files of its own kinds, never a file someone
// else put in the directory.
//
//   MANIFEST                the current commit (docs/format/README.md)
//   MANIFEST.tmp            a commit being written, renamed over MANIFEST
//   write.lock              the writer's lock
//   s<n>.<ext>              part <ext> of segment n: tdict post pos norms store info surf tvec
//   s<n>_<g>.del            generation g of segment n's deletion bitmap
//   synonyms_<g>.syn        the synonyms the commit of generation g installed
//
// <n> is lowercase hex, zero-padded to 8 digits (more for n >= 2^32); <g> is lowercase hex
// without leading zeros. Pure functions, thread-safe.
#ifndef SCOUR_INDEX_FORMAT_FILE_NAMES_H_
#define SCOUR_INDEX_FORMAT_FILE_NAMES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "index/format/file_format.h"

namespace scour::index {

inline constexpr char kManifestFileName[] = "MANIFEST";
inline constexpr char kManifestTempFileName[] = "MANIFEST.tmp";
inline constexpr char kWriteLockFileName[] = "write.lock";

// The parts of a segment, one file each, in the order the writer lists them. kSurfaceForms is
// absent from segments written before it existed, kTermVectors from segments written without
// term vectors (docs/format/README.md).
inline constexpr FileKind kSegmentFileKinds[] = {
    FileKind::kTermDict, FileKind::kPostings,    FileKind::kPositions,    FileKind::kNorms,
    FileKind::kStored,   FileKind::kSegmentInfo, FileKind::kSurfaceForms, FileKind::kTermVectors};

// "s0000002a": the prefix shared by segment 42's files (also used in messages).
std::string SegmentName(uint64_t segment);
// The extension of a segment part ("tdict"), or nullptr when `kind` is not one.
const char* SegmentFileExtension(FileKind kind);
// REQUIRES: `kind` is one of kSegmentFileKinds.
std::string SegmentFileName(uint64_t segment, FileKind kind);
std::string DeletesFileName(uint64_t segment, uint64_t generation);
std::string SynonymsFileName(uint64_t generation);

enum class FileType { kManifest, kManifestTemp, kWriteLock, kSegment, kDeletes, kSynonyms };

struct ParsedFileName {
  FileType type = FileType::kManifest;
  uint64_t segment = 0;                 // kSegment, kDeletes
  FileKind kind = FileKind::kManifest;  // what the file holds (kSegment: which part)
  uint64_t generation = 0;              // kDeletes, kSynonyms
};

// What `name` (a file name, no directory) is, or nullopt when no function above makes it.
std::optional<ParsedFileName> ParseFileName(std::string_view name);

}  // namespace scour::index

#endif  // SCOUR_INDEX_FORMAT_FILE_NAMES_H_
