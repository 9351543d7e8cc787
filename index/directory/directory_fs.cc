// FsDirectory: a POSIX directory. Writes are buffered appends, reads are read-only mmaps, the
// writer lock is flock(2) on a lock file plus a process-wide registry (flock alone does not
// conflict within a process on every file system, e.g. NFS emulates it with fcntl locks).
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/mutex.h"
#include "base/status_macros.h"
#include "index/directory/directory.h"

namespace scour::index {
namespace {

constexpr size_t kWriteBuffer = 64 * 1024;

// Maps errno to a status whose message names the operation, the path and strerror.
absl::Status PosixError(int err, absl::string_view op, absl::string_view path) {
  std::string msg = absl::StrCat(op, " ", path, ": ", std::strerror(err));
  switch (err) {
    case ENOENT:
      return absl::NotFoundError(msg);
    case EEXIST:
      return absl::AlreadyExistsError(msg);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(msg);
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
      return absl::ResourceExhaustedError(msg);
    case ENOTDIR:
    case EISDIR:
    case ENAMETOOLONG:
    case EINVAL:
      return absl::InvalidArgumentError(msg);
    case EAGAIN:
    case EBUSY:
      return absl::UnavailableError(msg);
    default:
      return absl::InternalError(msg);  // EIO and friends: the device failed
  }
}

// Retries a system call interrupted by a signal.
template <typename F>
auto RetryEintr(F f) {
  decltype(f()) r;
  do {
    r = f();
  } while (r == -1 && errno == EINTR);
  return r;
}

// Lock files held by this process, by path: a second Lock in the same process conflicts.
Mutex g_locks_mu;
absl::flat_hash_set<std::string>& HeldLocks() ABSL_EXCLUSIVE_LOCKS_REQUIRED(g_locks_mu) {
  static auto* held = new absl::flat_hash_set<std::string>();
  return *held;
}

class FsWritableFile final : public WritableFile {
 public:
  FsWritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {
    buf_.reserve(kWriteBuffer);
  }
  ~FsWritableFile() override { Close().IgnoreError(); }

  absl::Status Append(std::string_view data) override {
    SCOUR_RETURN_IF_ERROR(CheckUsable("append to"));
    if (buf_.size() + data.size() <= kWriteBuffer) {
      buf_.append(data);
    } else {
      SCOUR_RETURN_IF_ERROR(Flush());
      if (data.size() >= kWriteBuffer) {
        SCOUR_RETURN_IF_ERROR(WriteAll(data));
      } else {
        buf_.append(data);
      }
    }
    size_ += data.size();
    return absl::OkStatus();
  }

  absl::Status Sync() override {
    SCOUR_RETURN_IF_ERROR(CheckUsable("sync"));
    SCOUR_RETURN_IF_ERROR(Flush());
    if (RetryEintr([&] { return ::fdatasync(fd_); }) != 0) {
      return Fail(PosixError(errno, "fdatasync", path_));
    }
    return absl::OkStatus();
  }

  absl::Status Close() override {
    if (fd_ < 0) return error_;
    absl::Status s = error_.ok() ? Flush() : error_;
    // close(2) must not be retried on EINTR (the descriptor is released either way).
    if (::close(fd_) != 0 && s.ok() && errno != EINTR) s = PosixError(errno, "close", path_);
    fd_ = -1;
    error_ = s;
    return s;
  }

  uint64_t size() const override { return size_; }

 private:
  absl::Status CheckUsable(absl::string_view op) {
    if (!error_.ok()) return error_;  // after a failed write the file's contents are unknown
    if (fd_ < 0) {
      return absl::FailedPreconditionError(absl::StrCat("cannot ", op, " closed file ", path_));
    }
    return absl::OkStatus();
  }
  absl::Status Fail(absl::Status s) {
    error_ = s;
    return s;
  }
  absl::Status Flush() {
    if (buf_.empty()) return absl::OkStatus();
    absl::Status s = WriteAll(buf_);
    buf_.clear();
    return s;
  }
  absl::Status WriteAll(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = RetryEintr([&] { return ::write(fd_, data.data(), data.size()); });
      if (n < 0) return Fail(PosixError(errno, "write", path_));
      data.remove_prefix(static_cast<size_t>(n));
    }
    return absl::OkStatus();
  }

  int fd_;
  std::string path_;
  std::string buf_;
  uint64_t size_ = 0;
  absl::Status error_;
};

class FsReadableFile final : public ReadableFile {
 public:
  FsReadableFile(std::string name, const char* data, size_t size)
      : name_(std::move(name)), data_(data), size_(size) {}
  ~FsReadableFile() override {
    if (size_ > 0) ::munmap(const_cast<char*>(data_), size_);
  }
  std::string_view data() const override { return {data_, size_}; }
  const std::string& name() const override { return name_; }
  void Release(uint64_t begin, uint64_t end) const override {
    static const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    end = std::min<uint64_t>(end, size_);
    begin = (begin + page - 1) / page * page;  // the mapping starts on a page boundary
    end = end / page * page;
    if (begin < end) ::madvise(const_cast<char*>(data_) + begin, end - begin, MADV_DONTNEED);
  }

 private:
  std::string name_;
  const char* data_;
  size_t size_;
};

class FsLock final : public DirectoryLock {
 public:
  FsLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FsLock() override {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
    MutexLock l(&g_locks_mu);
    HeldLocks().erase(path_);
  }

 private:
  int fd_;
  std::string path_;
};

class FsDirectory final : public Directory {
 public:
  FsDirectory(std::string path, int dir_fd) : path_(std::move(path)), dir_fd_(dir_fd) {}
  ~FsDirectory() override { ::close(dir_fd_); }

  absl::StatusOr<std::unique_ptr<WritableFile>> Create(const std::string& name) override {
    SCOUR_RETURN_IF_ERROR(CheckFileName(name));
    std::string p = PathOf(name);
    // Replace rather than truncate: an existing file may be mmapped by a reader, and
    // truncating a mapped file would change its bytes under it (or SIGBUS it).
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) return PosixError(errno, "replace", p);
    int fd = RetryEintr(
        [&] { return ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); });
    if (fd < 0) return PosixError(errno, "create", p);
    return std::make_unique<FsWritableFile>(fd, std::move(p));
  }

  absl::StatusOr<std::shared_ptr<ReadableFile>> Open(const std::string& name) override {
    SCOUR_RETURN_IF_ERROR(CheckFileName(name));
    std::string p = PathOf(name);
    int fd = RetryEintr([&] { return ::open(p.c_str(), O_RDONLY | O_CLOEXEC); });
    if (fd < 0) return PosixError(errno, "open", p);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      absl::Status s = PosixError(errno, "stat", p);
      ::close(fd);
      return s;
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      return absl::InvalidArgumentError(absl::StrCat("open ", p, ": not a regular file"));
    }
    const size_t size = static_cast<size_t>(st.st_size);
    const char* data = "";  // a zero-length file cannot be mapped: give an empty view
    if (size > 0) {
      void* m = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
      if (m == MAP_FAILED) {
        absl::Status s = PosixError(errno, "mmap", p);
        ::close(fd);
        return s;
      }
      data = static_cast<const char*>(m);
    }
    ::close(fd);  // the mapping keeps the file alive
    return std::make_shared<FsReadableFile>(name, data, size);
  }

  absl::StatusOr<bool> Exists(const std::string& name) override {
    SCOUR_RETURN_IF_ERROR(CheckFileName(name));
    std::string p = PathOf(name);
    struct stat st;
    if (::stat(p.c_str(), &st) == 0) return true;
    if (errno == ENOENT) return false;
    return PosixError(errno, "stat", p);
  }

  absl::Status Delete(const std::string& name) override {
    SCOUR_RETURN_IF_ERROR(CheckFileName(name));
    std::string p = PathOf(name);
    if (::unlink(p.c_str()) != 0) return PosixError(errno, "delete", p);
    return absl::OkStatus();
  }

  absl::Status Rename(const std::string& from, const std::string& to) override {
    SCOUR_RETURN_IF_ERROR(CheckFileName(from));
    SCOUR_RETURN_IF_ERROR(CheckFileName(to));
    std::string f = PathOf(from), t = PathOf(to);
    if (::rename(f.c_str(), t.c_str()) != 0) {
      return PosixError(errno, "rename", absl::StrCat(f, " to ", t));
    }
    return absl::OkStatus();
  }

  absl::Status SyncDir() override {
    if (RetryEintr([&] { return ::fsync(dir_fd_); }) != 0) {
      return PosixError(errno, "fsync directory", path_);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<std::string>> List() override {
    DIR* d = ::opendir(path_.c_str());
    if (d == nullptr) return PosixError(errno, "list", path_);
    std::vector<std::string> names;
    errno = 0;
    while (struct dirent* e = ::readdir(d)) {
      std::string_view n = e->d_name;
      if (n != "." && n != "..") names.emplace_back(n);
    }
    const int err = errno;
    ::closedir(d);
    if (err != 0) return PosixError(err, "list", path_);
    std::sort(names.begin(), names.end());
    return names;
  }

  absl::StatusOr<std::unique_ptr<DirectoryLock>> Lock(const std::string& name) override {
    SCOUR_RETURN_IF_ERROR(CheckFileName(name));
    std::string p = PathOf(name);
    auto locked = [&] {
      return absl::FailedPreconditionError(absl::StrCat("index is locked by another writer: ", p));
    };
    {
      MutexLock l(&g_locks_mu);
      if (!HeldLocks().insert(p).second) return locked();
    }
    auto unregister = [&] {
      MutexLock l(&g_locks_mu);
      HeldLocks().erase(p);
    };
    int fd = RetryEintr([&] { return ::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644); });
    if (fd < 0) {
      absl::Status s = PosixError(errno, "open lock file", p);
      unregister();
      return s;
    }
    if (RetryEintr([&] { return ::flock(fd, LOCK_EX | LOCK_NB); }) != 0) {
      const int err = errno;
      ::close(fd);
      unregister();
      if (err == EWOULDBLOCK) return locked();
      return PosixError(err, "lock", p);
    }
    return std::make_unique<FsLock>(fd, std::move(p));
  }

  std::string Describe() const override { return path_; }

 private:
  std::string PathOf(const std::string& name) const { return absl::StrCat(path_, "/", name); }

  const std::string path_;
  const int dir_fd_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Directory>> OpenFsDirectory(const std::string& path, bool create) {
  if (path.empty()) return absl::InvalidArgumentError("empty index directory path");
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT || !create) return PosixError(errno, "open index directory", path);
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
      return PosixError(errno, "create index directory", path);
    }
    if (::stat(path.c_str(), &st) != 0) return PosixError(errno, "open index directory", path);
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("open index directory ", path, ": exists and is not a directory"));
  }
  // Reading the directory proves it is readable; the descriptor is kept for SyncDir.
  int fd = RetryEintr([&] { return ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); });
  if (fd < 0) return PosixError(errno, "open index directory", path);
  if (::access(path.c_str(), R_OK | X_OK) != 0) {
    absl::Status s = PosixError(errno, "open index directory", path);
    ::close(fd);
    return s;
  }
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return std::unique_ptr<Directory>(std::make_unique<FsDirectory>(std::move(p), fd));
}

}  // namespace scour::index
