// MemDirectory: files are strings behind one mutex. Names map to shared file bodies like
// inodes, so a writer whose file was replaced or deleted keeps writing to the orphan, as on a
// real file system. Open snapshots the bytes (ReadableFile is immutable). Nothing is ever lost:
// Sync and SyncDir are no-ops (FaultInjectingDirectory models durability).
#include <map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/mutex.h"
#include "index/directory/directory.h"

namespace scour::index {
namespace {

struct MemState {
  Mutex mu;
  std::map<std::string, std::shared_ptr<std::string>> files ABSL_GUARDED_BY(mu);
  absl::flat_hash_set<std::string> locks ABSL_GUARDED_BY(mu);
};

// A snapshot of an in-memory file: readers keep their bytes whatever happens to the name.
class StringReadableFile final : public ReadableFile {
 public:
  StringReadableFile(std::string name, std::string data)
      : name_(std::move(name)), data_(std::move(data)) {}
  std::string_view data() const override { return data_; }
  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  std::string data_;
};

class MemWritableFile final : public WritableFile {
 public:
  MemWritableFile(std::shared_ptr<MemState> state, std::shared_ptr<std::string> body,
                  std::string name)
      : state_(std::move(state)), body_(std::move(body)), name_(std::move(name)) {}
  ~MemWritableFile() override { Close().IgnoreError(); }
  absl::Status Append(std::string_view data) override {
    if (closed_) return Closed("append to");
    MutexLock l(&state_->mu);
    body_->append(data);
    size_ += data.size();
    return absl::OkStatus();
  }
  absl::Status Sync() override { return closed_ ? Closed("sync") : absl::OkStatus(); }
  absl::Status Close() override {
    closed_ = true;
    return absl::OkStatus();
  }
  uint64_t size() const override { return size_; }

 private:
  absl::Status Closed(absl::string_view op) const {
    return absl::FailedPreconditionError(absl::StrCat("cannot ", op, " closed file mem:", name_));
  }
  std::shared_ptr<MemState> state_;
  std::shared_ptr<std::string> body_;
  std::string name_;
  uint64_t size_ = 0;
  bool closed_ = false;
};

class MemLock final : public DirectoryLock {
 public:
  MemLock(std::shared_ptr<MemState> state, std::string name)
      : state_(std::move(state)), name_(std::move(name)) {}
  ~MemLock() override {
    MutexLock l(&state_->mu);
    state_->locks.erase(name_);
  }

 private:
  std::shared_ptr<MemState> state_;
  std::string name_;
};

class MemDirectory final : public Directory {
 public:
  absl::StatusOr<std::unique_ptr<WritableFile>> Create(const std::string& name) override {
    if (absl::Status s = CheckFileName(name); !s.ok()) return s;
    auto body = std::make_shared<std::string>();
    {
      MutexLock l(&state_->mu);
      state_->files[name] = body;
    }
    return std::make_unique<MemWritableFile>(state_, std::move(body), name);
  }

  absl::StatusOr<std::shared_ptr<ReadableFile>> Open(const std::string& name) override {
    MutexLock l(&state_->mu);
    auto it = state_->files.find(name);
    if (it == state_->files.end()) return NotFound("open", name);
    return NewStringReadableFile(name, *it->second);
  }

  absl::StatusOr<bool> Exists(const std::string& name) override {
    MutexLock l(&state_->mu);
    return state_->files.count(name) > 0;
  }

  absl::Status Delete(const std::string& name) override {
    MutexLock l(&state_->mu);
    if (state_->files.erase(name) == 0) return NotFound("delete", name);
    return absl::OkStatus();
  }

  absl::Status Rename(const std::string& from, const std::string& to) override {
    if (absl::Status s = CheckFileName(to); !s.ok()) return s;
    MutexLock l(&state_->mu);
    auto it = state_->files.find(from);
    if (it == state_->files.end()) return NotFound("rename", from);
    if (from == to) return absl::OkStatus();
    auto body = std::move(it->second);
    state_->files.erase(it);
    state_->files[to] = std::move(body);
    return absl::OkStatus();
  }

  absl::Status SyncDir() override { return absl::OkStatus(); }

  absl::StatusOr<std::vector<std::string>> List() override {
    MutexLock l(&state_->mu);
    std::vector<std::string> names;
    names.reserve(state_->files.size());
    for (const auto& [name, body] : state_->files) names.push_back(name);  // std::map: sorted
    return names;
  }

  absl::StatusOr<std::unique_ptr<DirectoryLock>> Lock(const std::string& name) override {
    if (absl::Status s = CheckFileName(name); !s.ok()) return s;
    MutexLock l(&state_->mu);
    if (!state_->locks.insert(name).second) {
      return absl::FailedPreconditionError(
          absl::StrCat("index is locked by another writer: mem:/", name));
    }
    return std::make_unique<MemLock>(state_, name);
  }

  std::string Describe() const override { return "mem:"; }

 private:
  static absl::Status NotFound(absl::string_view op, const std::string& name) {
    return absl::NotFoundError(absl::StrCat(op, " mem:/", name, ": no such file"));
  }
  std::shared_ptr<MemState> state_ = std::make_shared<MemState>();
};

}  // namespace

absl::Status CheckFileName(const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
      name.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("invalid file name \"", name, "\""));
  }
  return absl::OkStatus();
}

std::shared_ptr<ReadableFile> NewStringReadableFile(std::string name, std::string data) {
  return std::make_shared<StringReadableFile>(std::move(name), std::move(data));
}

std::unique_ptr<Directory> NewMemDirectory() { return std::make_unique<MemDirectory>(); }

}  // namespace scour::index
