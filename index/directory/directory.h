// All index file I/O goes through a Directory, so crashes, torn writes and failing disks can
// be simulated in tests (MemDirectory, FaultInjectingDirectory) exactly as they happen on a
// real file system (FsDirectory). Directories are thread-safe; files are not.
#ifndef SCOUR_INDEX_DIRECTORY_DIRECTORY_H_
#define SCOUR_INDEX_DIRECTORY_DIRECTORY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace scour::index {

// A file being written, append-only. Data is durable only after Sync() returns OK.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual absl::Status Append(std::string_view data) = 0;
  virtual absl::Status Sync() = 0;    // flush to stable storage (fsync)
  virtual absl::Status Close() = 0;   // idempotent; also called by the destructor (errors lost)
  virtual uint64_t size() const = 0;  // bytes appended so far
};

// A whole immutable file, readable as one contiguous byte range (mmap for FsDirectory).
// The bytes stay valid for the lifetime of this object; share it with shared_ptr.
class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  virtual std::string_view data() const = 0;
  virtual const std::string& name() const = 0;
  // A hint: bytes [begin, end) will not be read again soon, so their pages can leave the
  // process's resident set (a mapped file keeps them in the page cache and faults them back
  // in if they are read after all). Whole pages inside the range only; no-op where not mapped.
  virtual void Release(uint64_t begin, uint64_t end) const {
    (void)begin;
    (void)end;
  }
};

// Held while a writer owns the index; released on destruction.
class DirectoryLock {
 public:
  virtual ~DirectoryLock() = default;
};

class Directory {
 public:
  virtual ~Directory() = default;
  // Creates (or truncates) `name` for writing.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> Create(const std::string& name) = 0;
  virtual absl::StatusOr<std::shared_ptr<ReadableFile>> Open(const std::string& name) = 0;
  virtual absl::StatusOr<bool> Exists(const std::string& name) = 0;
  virtual absl::Status Delete(const std::string& name) = 0;
  // Atomically replaces `to` with `from` (rename(2)).
  virtual absl::Status Rename(const std::string& from, const std::string& to) = 0;
  // Makes earlier creates/renames/deletes durable (fsync of the directory).
  virtual absl::Status SyncDir() = 0;
  virtual absl::StatusOr<std::vector<std::string>> List() = 0;  // file names, sorted
  // Exclusive lock named `name`; FailedPrecondition("index is locked ...") when another
  // writer (another process or another object in this one) holds it.
  virtual absl::StatusOr<std::unique_ptr<DirectoryLock>> Lock(const std::string& name) = 0;
  // Human-readable location for messages (the path, or "mem:").
  virtual std::string Describe() const = 0;
};

// A directory on the file system. Creates it when `create` is true and it does not exist;
// an error when the path is a file or unreadable.
absl::StatusOr<std::unique_ptr<Directory>> OpenFsDirectory(const std::string& path, bool create);

// An in-memory directory (for tests). Thread-safe.
std::unique_ptr<Directory> NewMemDirectory();

// OK when `name` is a plain file name every directory accepts: not empty, `.` or `..`, and
// without `/` or NUL; InvalidArgument naming it otherwise.
absl::Status CheckFileName(const std::string& name);

// A ReadableFile holding a copy of `data` (the in-memory and fault-injecting directories).
std::shared_ptr<ReadableFile> NewStringReadableFile(std::string name, std::string data);

// Wraps a directory and injects faults, for crash-safety tests. See fault_directory.h.

}  // namespace scour::index

#endif  // SCOUR_INDEX_DIRECTORY_DIRECTORY_H_
