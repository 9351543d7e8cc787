// The bytes of one input (a file, stdin, or a caller's buffer), handed out line by line or whole.
// Regular files are memory-mapped; pipes and stdin are read in large chunks into a growing
// buffer, so a line never costs a system call. Not thread-safe.
#ifndef SCOUR_INGEST_BYTE_SOURCE_H_
#define SCOUR_INGEST_BYTE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace scour::ingest {

class ByteSource {
 public:
  // Opens `path`: NotFound / PermissionDenied / ... (with the path in the message) on failure.
  static absl::StatusOr<std::unique_ptr<ByteSource>> OpenFile(const std::string& path);
  // Reads from an open descriptor (not closed by the source), e.g. stdin.
  static std::unique_ptr<ByteSource> FromFd(int fd, std::string display_name);
  // Serves `data`, which must outlive the source.
  static std::unique_ptr<ByteSource> FromBuffer(std::string_view data);

  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Next line without its '\n' (a final line without '\n' counts); *offset = its byte offset in
  // the input. Returns false at the end. The view stays valid until the next call.
  absl::StatusOr<bool> NextLine(std::string_view* line, uint64_t* offset);
  // Everything not yet consumed; valid until the source is destroyed.
  absl::StatusOr<std::string_view> ReadAll();
  // First byte that is not ASCII whitespace, without consuming anything; -1 when there is none.
  absl::StatusOr<int> PeekFirstNonBlank();

  uint64_t consumed() const { return base_ + pos_; }
  // Size when known up front (regular files, buffers), else 0.
  uint64_t size_hint() const { return size_hint_; }

 private:
  ByteSource() = default;
  // Reads more from fd_ into buf_, compacting consumed bytes away first unless `keep_all`.
  // Returns false at end of input.
  void ReleaseBefore(size_t offset);
  absl::StatusOr<bool> Fill(bool keep_all);

  const char* data_ = nullptr;  // window of input bytes: [data_, data_ + len_)
  size_t len_ = 0;
  size_t pos_ = 0;     // consumed bytes of the window
  uint64_t base_ = 0;  // input offset of data_[0]
  uint64_t size_hint_ = 0;
  bool eof_ = true;  // no more bytes beyond the window
  // Streaming state.
  int fd_ = -1;
  bool owns_fd_ = false;
  std::string buf_;
  std::string name_;
  // Mapping state.
  void* map_ = nullptr;
  size_t map_len_ = 0;
  size_t released_ = 0;  // mapped bytes before this were handed back (MADV_DONTNEED)
};

}  // namespace scour::ingest

#endif  // SCOUR_INGEST_BYTE_SOURCE_H_
