// The framing shared by every index file (docs/format/README.md):
//   header: magic "SCR1" (4 bytes) | u32 file kind | u32 format version
//   ...body...
//   footer: u64 body+header length | u32 CRC-32C of everything before the footer | magic "1RCS"
// All integers little-endian. A reader checks magic, kind, version and CRC before trusting any
// byte of the body.
#ifndef SCOUR_INDEX_FORMAT_FILE_FORMAT_H_
#define SCOUR_INDEX_FORMAT_FILE_FORMAT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "index/directory/directory.h"

namespace scour::index {

enum class FileKind : uint32_t {
  kManifest = 1,
  kTermDict = 2,
  kPostings = 3,
  kPositions = 4,
  kNorms = 5,
  kStored = 6,
  kDeletes = 7,
  kSegmentInfo = 8,
  kIndexSet = 9,  // an index set's INDEXSET (docs/format/index-set.md), not inside an index
  kSynonyms = 10,
  kSurfaceForms = 11,  // optional: segments written before it have none
  kTermVectors = 12,   // optional: written only when asked for (--term-vectors)
};
const char* FileKindName(FileKind kind);

// Version 2 changed only the term dictionary's entry layout, version 3 added the synonyms file
// and its generation at the end of the MANIFEST, version 4 the impact list at the start of each
// full `.post` block, version 5 dropped the external id from `.store` and narrowed the skip
// entries, version 6 compressed `.surf` in zstd groups, version 7 gave `.tdict` a document ->
// `_id` entry map, version 8 stored dense `.post` doc blocks as bit sets (docs/format/README.md,
// "Versions"); readers accept all eight.
inline constexpr uint32_t kFormatVersion = 8;
inline constexpr uint32_t kMinFormatVersion = 1;
inline constexpr size_t kHeaderSize = 12;
inline constexpr size_t kFooterSize = 16;

// Writes a framed file: the header on creation, CRC maintained over every Append, the footer
// on Finish (which also Syncs and Closes).
class FramedWriter {
 public:
  static absl::StatusOr<FramedWriter> Create(Directory* dir, const std::string& name,
                                             FileKind kind);
  FramedWriter(FramedWriter&&) = default;
  FramedWriter& operator=(FramedWriter&&) = default;
  absl::Status Append(std::string_view data);
  uint64_t offset() const;  // bytes written so far, header included
  absl::Status Finish();

 private:
  FramedWriter(std::unique_ptr<WritableFile> file, std::string name);
  std::unique_ptr<WritableFile> file_;
  std::string name_;
  uint32_t crc_ = 0;
  uint64_t written_ = 0;
};

// Checks the frame of `data` (a whole file named `name` for messages) and returns its body
// (between header and footer). Errors: DataLoss for a bad magic, length or checksum,
// FailedPrecondition for an unknown version, InvalidArgument for the wrong kind.
absl::StatusOr<std::string_view> CheckFrame(std::string_view data, FileKind kind,
                                            std::string_view name);

// CheckFrame without the CRC (O(1)): magic, length, version and kind only, for large mmapped
// files whose checksum is verified separately (e.g. by a full check) rather than on every open.
absl::StatusOr<std::string_view> CheckFrameStructure(std::string_view data, FileKind kind,
                                                     std::string_view name);

// The format version in the header of a file whose frame was checked by one of the above.
uint32_t FrameVersion(std::string_view data);

}  // namespace scour::index

#endif  // SCOUR_INDEX_FORMAT_FILE_FORMAT_H_
