// An in-memory Directory that models durability like a real file system and injects faults,
// for crash-safety tests. Appends not followed by WritableFile::Sync(), and creates, renames
// and deletes not followed by SyncDir(), are lost by SimulateCrash(). Thread-safe.
#ifndef SCOUR_INDEX_DIRECTORY_FAULT_DIRECTORY_H_
#define SCOUR_INDEX_DIRECTORY_FAULT_DIRECTORY_H_

#include <cstdint>
#include <memory>
#include <string>

#include "index/directory/directory.h"

namespace scour::index {

// The model (pessimistic, as ext4/xfs may behave after a power cut):
//  - every name maps to a file body ("inode"); Create makes a new body, so a body replaced by
//    Create or Rename keeps its durable bytes under its old name until SyncDir;
//  - a body's durable length is its length at its last successful Sync; a crash truncates it
//    back to that length;
//  - the name table is durable as of the last successful SyncDir; a crash restores it.
// Readers see the live (page-cache) state. After SimulateCrash, WritableFiles created before
// it fail with FailedPrecondition and all locks are released.
//
// Faults: FailNth makes the nth call of an operation, counting from now, fail once with
// Internal("injected fault ..."); a failed operation has no effect, except that a failed Append
// with torn writes on persists the first half of its data (live, not durable). A space budget
// makes Append fail with ResourceExhausted("... no space left on device") once the bytes
// appended from now would exceed it (with torn writes on, what fits is written). Knobs survive
// SimulateCrash (the disk stays what it is); ClearFaults() heals it.
//
// To test every failure point: run the workload once, read op_count(Op::kAny) = K, then for
// k = 1..K run it on a fresh directory with FailNth(Op::kAny, k), SimulateCrash(), recover.
class FaultInjectingDirectory final : public Directory {
 public:
  enum class Op { kCreate, kAppend, kSync, kRename, kSyncDir, kDelete, kAny };
  static constexpr int kNumOps = 7;

  FaultInjectingDirectory();
  ~FaultInjectingDirectory() override;

  absl::StatusOr<std::unique_ptr<WritableFile>> Create(const std::string& name) override;
  absl::StatusOr<std::shared_ptr<ReadableFile>> Open(const std::string& name) override;
  absl::StatusOr<bool> Exists(const std::string& name) override;
  absl::Status Delete(const std::string& name) override;
  absl::Status Rename(const std::string& from, const std::string& to) override;
  absl::Status SyncDir() override;
  absl::StatusOr<std::vector<std::string>> List() override;
  absl::StatusOr<std::unique_ptr<DirectoryLock>> Lock(const std::string& name) override;
  std::string Describe() const override;

  // Reverts to the durable state (see above).
  void SimulateCrash();

  // The nth call (n >= 1) of `op` from now fails; kAny counts every mutating call (Create,
  // Append, Sync, Rename, SyncDir, Delete). n = 0 cancels. One pending fault per op.
  void FailNth(Op op, uint64_t n);
  // Append fails with ResourceExhausted once more than `bytes` would be appended from now.
  void SetSpaceBudget(uint64_t bytes);
  void SetTornWrites(bool torn);
  void ClearFaults();  // cancels FailNth, the space budget and torn writes

  uint64_t op_count(Op op) const;    // calls so far (failed ones included)
  uint64_t faults_injected() const;  // operations failed on purpose so far

  struct State;  // shared with open files and locks

 private:
  std::shared_ptr<State> state_;
};

std::unique_ptr<FaultInjectingDirectory> NewFaultInjectingDirectory();

}  // namespace scour::index

#endif  // SCOUR_INDEX_DIRECTORY_FAULT_DIRECTORY_H_
