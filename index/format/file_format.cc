#include "index/format/file_format.h"

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status_macros.h"

namespace scour::index {
namespace {

constexpr char kHeaderMagic[4] = {'S', 'C', 'R', '1'};
constexpr char kFooterMagic[4] = {'1', 'R', 'C', 'S'};

std::string KindLabel(uint32_t kind) {
  const char* n = FileKindName(static_cast<FileKind>(kind));
  return absl::StrCat(n, " (", kind, ")");
}

}  // namespace

const char* FileKindName(FileKind kind) {
  switch (kind) {
    case FileKind::kManifest:
      return "manifest";
    case FileKind::kTermDict:
      return "term dictionary";
    case FileKind::kPostings:
      return "postings";
    case FileKind::kPositions:
      return "positions";
    case FileKind::kNorms:
      return "norms";
    case FileKind::kStored:
      return "stored fields";
    case FileKind::kDeletes:
      return "deletes";
    case FileKind::kSegmentInfo:
      return "segment info";
    case FileKind::kIndexSet:
      return "index set";
    case FileKind::kSynonyms:
      return "synonyms";
    case FileKind::kSurfaceForms:
      return "surface forms";
    case FileKind::kTermVectors:
      return "term vectors";
  }
  return "unknown";
}

FramedWriter::FramedWriter(std::unique_ptr<WritableFile> file, std::string name)
    : file_(std::move(file)), name_(std::move(name)) {}

absl::StatusOr<FramedWriter> FramedWriter::Create(Directory* dir, const std::string& name,
                                                  FileKind kind) {
  SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, dir->Create(name));
  FramedWriter w(std::move(file), name);
  char header[kHeaderSize];
  std::memcpy(header, kHeaderMagic, 4);
  EncodeFixed32(header + 4, static_cast<uint32_t>(kind));
  EncodeFixed32(header + 8, kFormatVersion);
  SCOUR_RETURN_IF_ERROR(w.Append(std::string_view(header, kHeaderSize)));
  return w;
}

absl::Status FramedWriter::Append(std::string_view data) {
  if (file_ == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(name_, ": append after Finish"));
  }
  SCOUR_RETURN_IF_ERROR(file_->Append(data));
  crc_ = crc32c::Extend(crc_, data.data(), data.size());
  written_ += data.size();
  return absl::OkStatus();
}

uint64_t FramedWriter::offset() const { return written_; }

absl::Status FramedWriter::Finish() {
  if (file_ == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(name_, ": Finish called twice"));
  }
  char footer[kFooterSize];
  EncodeFixed64(footer, written_);
  EncodeFixed32(footer + 8, crc_);
  std::memcpy(footer + 12, kFooterMagic, 4);
  SCOUR_RETURN_IF_ERROR(file_->Append(std::string_view(footer, kFooterSize)));
  SCOUR_RETURN_IF_ERROR(file_->Sync());
  SCOUR_RETURN_IF_ERROR(file_->Close());
  file_.reset();
  return absl::OkStatus();
}

namespace {

absl::StatusOr<std::string_view> Check(std::string_view data, FileKind kind,
                                       std::string_view file_name, bool verify_crc) {
  const absl::string_view name(file_name.data(), file_name.size());
  const size_t n = data.size();
  if (n < kHeaderSize + kFooterSize) {
    return absl::DataLossError(absl::StrCat(name, ": truncated: ", n,
                                            " bytes, a framed file has at least ",
                                            kHeaderSize + kFooterSize));
  }
  if (std::memcmp(data.data(), kHeaderMagic, 4) != 0) {
    return absl::DataLossError(absl::StrCat(name, ": bad header magic (not a scour index file)"));
  }
  const char* footer = data.data() + n - kFooterSize;
  if (std::memcmp(footer + 12, kFooterMagic, 4) != 0) {
    return absl::DataLossError(
        absl::StrCat(name, ": bad footer magic (truncated or partially written)"));
  }
  const uint64_t length = DecodeFixed64(footer);
  if (length != n - kFooterSize) {
    return absl::DataLossError(absl::StrCat(name, ": length mismatch: footer says ", length,
                                            " bytes before the footer, file has ",
                                            n - kFooterSize));
  }
  const uint32_t stored = DecodeFixed32(footer + 8);
  const uint32_t computed = verify_crc ? crc32c::Extend(0, data.data(), n - kFooterSize) : stored;
  if (stored != computed) {
    return absl::DataLossError(absl::StrCat(name, ": checksum mismatch: stored 0x",
                                            absl::Hex(stored, absl::kZeroPad8), ", computed 0x",
                                            absl::Hex(computed, absl::kZeroPad8)));
  }
  // Version and kind are checked after the CRC so a flipped bit reports corruption, not a
  // version or kind the file never had.
  const uint32_t version = DecodeFixed32(data.data() + 8);
  if (version < kMinFormatVersion || version > kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(name, ": unknown format version ", version,
                                                      " (supported: ", kMinFormatVersion, " to ",
                                                      kFormatVersion, ")"));
  }
  const uint32_t found = DecodeFixed32(data.data() + 4);
  if (found != static_cast<uint32_t>(kind)) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": wrong file kind: expected ",
                                                   KindLabel(static_cast<uint32_t>(kind)),
                                                   ", found ", KindLabel(found)));
  }
  return data.substr(kHeaderSize, n - kHeaderSize - kFooterSize);
}

}  // namespace

absl::StatusOr<std::string_view> CheckFrame(std::string_view data, FileKind kind,
                                            std::string_view name) {
  return Check(data, kind, name, /*verify_crc=*/true);
}

absl::StatusOr<std::string_view> CheckFrameStructure(std::string_view data, FileKind kind,
                                                     std::string_view name) {
  return Check(data, kind, name, /*verify_crc=*/false);
}

uint32_t FrameVersion(std::string_view data) {
  return data.size() >= kHeaderSize ? DecodeFixed32(data.data() + 8) : 0;
}

}  // namespace scour::index
