#include "ingest/byte_source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace scour::ingest {
namespace {

constexpr size_t kChunk = size_t{1} << 20;  // streaming read size

absl::Status ErrnoError(int err, const std::string& path) {
  return absl::ErrnoToStatus(err, absl::StrCat(path, ": ", std::strerror(err)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ByteSource>> ByteSource::OpenFile(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return ErrnoError(errno, path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return ErrnoError(err, path);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return ErrnoError(EISDIR, path);
  }
  std::unique_ptr<ByteSource> src(new ByteSource());
  src->name_ = path;
  if (S_ISREG(st.st_mode)) {
    src->size_hint_ = static_cast<uint64_t>(st.st_size);
    if (st.st_size == 0) {
      ::close(fd);
      return src;
    }
    void* m = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (m != MAP_FAILED) {
      ::madvise(m, static_cast<size_t>(st.st_size), MADV_SEQUENTIAL);
      ::close(fd);
      src->map_ = m;
      src->map_len_ = static_cast<size_t>(st.st_size);
      src->data_ = static_cast<const char*>(m);
      src->len_ = src->map_len_;
      return src;
    }
    // Not mappable (unusual file system): fall back to streaming reads.
  }
  src->fd_ = fd;
  src->owns_fd_ = true;
  src->eof_ = false;
  return src;
}

std::unique_ptr<ByteSource> ByteSource::FromFd(int fd, std::string display_name) {
  std::unique_ptr<ByteSource> src(new ByteSource());
  src->fd_ = fd;
  src->eof_ = false;
  src->name_ = std::move(display_name);
  return src;
}

std::unique_ptr<ByteSource> ByteSource::FromBuffer(std::string_view data) {
  std::unique_ptr<ByteSource> src(new ByteSource());
  src->data_ = data.data();
  src->len_ = data.size();
  src->size_hint_ = data.size();
  return src;
}

ByteSource::~ByteSource() {
  if (map_ != nullptr) ::munmap(map_, map_len_);
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

absl::StatusOr<bool> ByteSource::Fill(bool keep_all) {
  if (eof_) return false;
  if (!keep_all && pos_ > 0) {
    // Drop consumed bytes so the buffer holds at most one partial line plus fresh input.
    buf_.erase(0, pos_);
    base_ += pos_;
    pos_ = 0;
  }
  const size_t old = buf_.size();
  buf_.resize(old + kChunk);
  ssize_t n;
  do {
    n = ::read(fd_, buf_.data() + old, kChunk);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    const int err = errno;
    buf_.resize(old);
    return ErrnoError(err, name_);
  }
  buf_.resize(old + static_cast<size_t>(n));
  data_ = buf_.data();
  len_ = buf_.size();
  if (n == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

// Mapped pages already parsed count towards the process's resident memory until the kernel
// reclaims them; hand them back in large steps so a big input file does not eat the indexing
// RAM budget. Only bytes before the current line are released (earlier lines are not referenced
// any more); the mapping stays valid and would fault the pages back in if touched.
void ByteSource::ReleaseBefore(size_t offset) {
  constexpr size_t kStep = size_t{4} << 20;
  if (map_ == nullptr || offset < released_ + kStep) return;
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t end = offset / page * page;
  ::madvise(static_cast<char*>(map_) + released_, end - released_, MADV_DONTNEED);
  released_ = end;
}

absl::StatusOr<bool> ByteSource::NextLine(std::string_view* line, uint64_t* offset) {
  size_t scan_from = pos_;
  for (;;) {
    if (scan_from < len_) {
      const void* nl = std::memchr(data_ + scan_from, '\n', len_ - scan_from);
      if (nl != nullptr) {
        const size_t e = static_cast<size_t>(static_cast<const char*>(nl) - data_);
        *line = std::string_view(data_ + pos_, e - pos_);
        *offset = base_ + pos_;
        ReleaseBefore(pos_);
        pos_ = e + 1;
        return true;
      }
    }
    const size_t scanned = len_ - pos_;  // bytes of the partial line already searched
    absl::StatusOr<bool> more = Fill(/*keep_all=*/false);
    if (!more.ok()) return more.status();
    if (!*more) break;
    scan_from = pos_ + scanned;
  }
  if (pos_ >= len_) return false;
  *line = std::string_view(data_ + pos_, len_ - pos_);
  *offset = base_ + pos_;
  pos_ = len_;
  return true;
}

absl::StatusOr<std::string_view> ByteSource::ReadAll() {
  for (;;) {
    absl::StatusOr<bool> more = Fill(/*keep_all=*/true);
    if (!more.ok()) return more.status();
    if (!*more) break;
  }
  std::string_view rest(data_ + pos_, len_ - pos_);
  pos_ = len_;
  return rest;
}

absl::StatusOr<int> ByteSource::PeekFirstNonBlank() {
  size_t i = pos_;
  for (;;) {
    for (; i < len_; ++i) {
      const char c = data_[i];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') {
        return static_cast<unsigned char>(c);
      }
    }
    absl::StatusOr<bool> more = Fill(/*keep_all=*/true);
    if (!more.ok()) return more.status();
    if (!*more) return -1;
  }
}

}  // namespace scour::ingest
