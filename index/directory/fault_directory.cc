#include "index/directory/fault_directory.h"

#include <array>
#include <map>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/mutex.h"

namespace scour::index {
namespace {

using Op = FaultInjectingDirectory::Op;

const char* OpName(Op op) {
  switch (op) {
    case Op::kCreate:
      return "Create";
    case Op::kAppend:
      return "Append";
    case Op::kSync:
      return "Sync";
    case Op::kRename:
      return "Rename";
    case Op::kSyncDir:
      return "SyncDir";
    case Op::kDelete:
      return "Delete";
    case Op::kAny:
      return "any";
  }
  return "?";
}

}  // namespace

// Named, not anonymous: State (declared in the header) holds Nodes.
namespace fault_internal {
struct Node {
  std::string data;    // live bytes (what readers see)
  size_t durable = 0;  // length at the last successful Sync
};
}  // namespace fault_internal
using fault_internal::Node;

struct FaultInjectingDirectory::State {
  mutable Mutex mu;
  std::map<std::string, std::shared_ptr<Node>> live ABSL_GUARDED_BY(mu);
  std::map<std::string, std::shared_ptr<Node>> durable ABSL_GUARDED_BY(mu);
  uint64_t epoch ABSL_GUARDED_BY(mu) = 0;                                // bumped by every crash
  absl::flat_hash_map<std::string, uint64_t> locks ABSL_GUARDED_BY(mu);  // name -> token
  uint64_t next_lock_token ABSL_GUARDED_BY(mu) = 0;

  std::array<uint64_t, kNumOps> counts ABSL_GUARDED_BY(mu) = {};
  std::array<uint64_t, kNumOps> fail_at ABSL_GUARDED_BY(mu) = {};  // 0: none
  std::optional<uint64_t> budget ABSL_GUARDED_BY(mu);
  bool torn ABSL_GUARDED_BY(mu) = false;
  uint64_t injected ABSL_GUARDED_BY(mu) = 0;

  // Counts one call of `op`; returns an error when a fault is due on it.
  absl::Status Count(Op op, absl::string_view what) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    bool fail = false;
    for (Op o : {op, Op::kAny}) {
      const int i = static_cast<int>(o);
      ++counts[i];
      if (fail_at[i] != 0 && counts[i] == fail_at[i]) {
        fail_at[i] = 0;
        fail = true;
      }
    }
    if (!fail) return absl::OkStatus();
    ++injected;
    return absl::InternalError(absl::StrCat("injected fault: ", OpName(op), " ", what, " (",
                                            OpName(op), " #", counts[static_cast<int>(op)], ")"));
  }
};

namespace {

using State = FaultInjectingDirectory::State;

absl::Status NotFound(absl::string_view op, const std::string& name) {
  return absl::NotFoundError(absl::StrCat(op, " fault:/", name, ": no such file"));
}

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(std::shared_ptr<State> state, std::shared_ptr<Node> node, std::string name,
                    uint64_t epoch)
      : state_(std::move(state)), node_(std::move(node)), name_(std::move(name)), epoch_(epoch) {}
  ~FaultWritableFile() override { Close().IgnoreError(); }

  absl::Status Append(std::string_view data) override {
    MutexLock l(&state_->mu);
    if (absl::Status s = Usable("append to"); !s.ok()) return s;
    if (absl::Status s = state_->Count(Op::kAppend, name_); !s.ok()) {
      if (state_->torn) node_->data.append(data.substr(0, data.size() / 2));
      return s;
    }
    if (state_->budget.has_value()) {
      uint64_t& left = *state_->budget;
      if (data.size() > left) {
        if (state_->torn) node_->data.append(data.substr(0, left));
        left = 0;
        return absl::ResourceExhaustedError(
            absl::StrCat("write fault:/", name_, ": no space left on device"));
      }
      left -= data.size();
    }
    node_->data.append(data);
    size_ += data.size();
    return absl::OkStatus();
  }

  absl::Status Sync() override {
    MutexLock l(&state_->mu);
    if (absl::Status s = Usable("sync"); !s.ok()) return s;
    if (absl::Status s = state_->Count(Op::kSync, name_); !s.ok()) return s;
    node_->durable = node_->data.size();
    return absl::OkStatus();
  }

  absl::Status Close() override {
    closed_ = true;
    return absl::OkStatus();
  }
  uint64_t size() const override { return size_; }

 private:
  absl::Status Usable(absl::string_view op) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu) {
    if (closed_) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot ", op, " closed file fault:/", name_));
    }
    if (epoch_ != state_->epoch) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot ", op, " fault:/", name_, ": opened before a simulated crash"));
    }
    return absl::OkStatus();
  }

  std::shared_ptr<State> state_;
  std::shared_ptr<Node> node_;
  std::string name_;
  uint64_t epoch_;
  uint64_t size_ = 0;
  bool closed_ = false;
};

class FaultLock final : public DirectoryLock {
 public:
  FaultLock(std::shared_ptr<State> state, std::string name, uint64_t token)
      : state_(std::move(state)), name_(std::move(name)), token_(token) {}
  ~FaultLock() override {
    MutexLock l(&state_->mu);
    auto it = state_->locks.find(name_);
    // After a crash the name may be held by a new owner: release only our own lock.
    if (it != state_->locks.end() && it->second == token_) state_->locks.erase(it);
  }

 private:
  std::shared_ptr<State> state_;
  std::string name_;
  uint64_t token_;
};

}  // namespace

FaultInjectingDirectory::FaultInjectingDirectory() : state_(std::make_shared<State>()) {}
FaultInjectingDirectory::~FaultInjectingDirectory() = default;

absl::StatusOr<std::unique_ptr<WritableFile>> FaultInjectingDirectory::Create(
    const std::string& name) {
  if (absl::Status s = CheckFileName(name); !s.ok()) return s;
  MutexLock l(&state_->mu);
  if (absl::Status s = state_->Count(Op::kCreate, name); !s.ok()) return s;
  auto node = std::make_shared<Node>();
  state_->live[name] = node;
  return std::make_unique<FaultWritableFile>(state_, std::move(node), name, state_->epoch);
}

absl::StatusOr<std::shared_ptr<ReadableFile>> FaultInjectingDirectory::Open(
    const std::string& name) {
  MutexLock l(&state_->mu);
  auto it = state_->live.find(name);
  if (it == state_->live.end()) return NotFound("open", name);
  return NewStringReadableFile(name, it->second->data);
}

absl::StatusOr<bool> FaultInjectingDirectory::Exists(const std::string& name) {
  MutexLock l(&state_->mu);
  return state_->live.count(name) > 0;
}

absl::Status FaultInjectingDirectory::Delete(const std::string& name) {
  MutexLock l(&state_->mu);
  if (absl::Status s = state_->Count(Op::kDelete, name); !s.ok()) return s;
  if (state_->live.erase(name) == 0) return NotFound("delete", name);
  return absl::OkStatus();
}

absl::Status FaultInjectingDirectory::Rename(const std::string& from, const std::string& to) {
  if (absl::Status s = CheckFileName(to); !s.ok()) return s;
  MutexLock l(&state_->mu);
  if (absl::Status s = state_->Count(Op::kRename, absl::StrCat(from, " to ", to)); !s.ok()) {
    return s;
  }
  auto it = state_->live.find(from);
  if (it == state_->live.end()) return NotFound("rename", from);
  if (from == to) return absl::OkStatus();
  auto node = std::move(it->second);
  state_->live.erase(it);
  state_->live[to] = std::move(node);
  return absl::OkStatus();
}

absl::Status FaultInjectingDirectory::SyncDir() {
  MutexLock l(&state_->mu);
  if (absl::Status s = state_->Count(Op::kSyncDir, "fault:"); !s.ok()) return s;
  state_->durable = state_->live;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> FaultInjectingDirectory::List() {
  MutexLock l(&state_->mu);
  std::vector<std::string> names;
  for (const auto& [name, node] : state_->live) names.push_back(name);
  return names;
}

absl::StatusOr<std::unique_ptr<DirectoryLock>> FaultInjectingDirectory::Lock(
    const std::string& name) {
  if (absl::Status s = CheckFileName(name); !s.ok()) return s;
  MutexLock l(&state_->mu);
  const uint64_t token = ++state_->next_lock_token;
  if (!state_->locks.emplace(name, token).second) {
    return absl::FailedPreconditionError(
        absl::StrCat("index is locked by another writer: fault:/", name));
  }
  return std::make_unique<FaultLock>(state_, name, token);
}

std::string FaultInjectingDirectory::Describe() const { return "fault:"; }

void FaultInjectingDirectory::SimulateCrash() {
  MutexLock l(&state_->mu);
  state_->live = state_->durable;
  for (auto& [name, node] : state_->live) node->data.resize(node->durable);
  ++state_->epoch;
  state_->locks.clear();
}

void FaultInjectingDirectory::FailNth(Op op, uint64_t n) {
  MutexLock l(&state_->mu);
  const int i = static_cast<int>(op);
  state_->fail_at[i] = n == 0 ? 0 : state_->counts[i] + n;
}

void FaultInjectingDirectory::SetSpaceBudget(uint64_t bytes) {
  MutexLock l(&state_->mu);
  state_->budget = bytes;
}

void FaultInjectingDirectory::SetTornWrites(bool torn) {
  MutexLock l(&state_->mu);
  state_->torn = torn;
}

void FaultInjectingDirectory::ClearFaults() {
  MutexLock l(&state_->mu);
  state_->fail_at = {};
  state_->budget.reset();
  state_->torn = false;
}

uint64_t FaultInjectingDirectory::op_count(Op op) const {
  MutexLock l(&state_->mu);
  return state_->counts[static_cast<int>(op)];
}

uint64_t FaultInjectingDirectory::faults_injected() const {
  MutexLock l(&state_->mu);
  return state_->injected;
}

std::unique_ptr<FaultInjectingDirectory> NewFaultInjectingDirectory() {
  return std::make_unique<FaultInjectingDirectory>();
}

}  // namespace scour::index
