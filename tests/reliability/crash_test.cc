// Crash safety. (1) A real process (crash_writer) indexing and committing in a loop is killed
// with SIGKILL at random moments; the index must then open, pass CheckIndex and hold exactly the
// last commit the process reported (or the next one, if the kill landed between the manifest
// rename and the print). Half the trials continue the previous trial's crashed index.
// (2) In process, through FaultInjectingDirectory: failed writes, fsyncs, renames and a full
// disk during add/flush/merge/commit, then a simulated power cut: the last successful commit.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "batch_docs.h"
#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/directory/fault_directory.h"
#include "index/inspect/checker.h"
#include "index/writer/open_writer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "test_util.h"

namespace scour::reliability {
namespace {

using Clock = std::chrono::steady_clock;

struct RunResult {
  uint64_t last_reported = 0;  // 0: none this run
  bool exited = false;         // finished (or failed) before the kill
  int exit_code = 0;
  std::string err;
};

// Runs crash_writer on `path` and SIGKILLs it after `delay`.
RunResult RunAndKill(const std::string& path, std::chrono::milliseconds delay) {
  RunResult res;
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0) std::abort();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]);
    close(out[1]);
    close(err[0]);
    close(err[1]);
    execl(CRASH_WRITER_PATH, "crash_writer", path.c_str(), "100000", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  fcntl(err[0], F_SETFL, O_NONBLOCK);
  std::string text;
  const auto deadline = Clock::now() + delay;
  auto drain = [&](int fd, std::string* into) {
    char buf[4096];
    for (;;) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      into->append(buf, static_cast<size_t>(n));
    }
  };
  int status = 0;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    poll(p, 2, static_cast<int>(left));
    drain(out[0], &text);
    drain(err[0], &res.err);
    if (waitpid(pid, &status, WNOHANG) == pid) {
      res.exited = true;
      break;
    }
  }
  if (!res.exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    res.exited = !WIFSIGNALED(status);
  }
  if (res.exited && WIFEXITED(status)) res.exit_code = WEXITSTATUS(status);
  // Whatever the process printed before it died is in the pipe.
  fcntl(out[0], F_SETFL, 0);
  drain(out[0], &text);
  drain(err[0], &res.err);
  close(out[0]);
  close(err[0]);
  size_t pos = 0;
  while ((pos = text.find("committed ", pos)) != std::string::npos) {
    pos += 10;
    res.last_reported = std::strtoull(text.c_str() + pos, nullptr, 10);
  }
  return res;
}

TEST(CrashTest, SigkillAtRandomMomentsKeepsTheLastReportedCommit) {
  std::mt19937 rng(20240611);
  constexpr int kTrials = 60;
  int continued = 0, mid_commit = 0, killed_before_first = 0;
  uint64_t max_batches = 0;
  std::unique_ptr<TempDir> tmp;
  uint64_t committed = 0;  // what the current index holds (known from earlier trials)
  const auto start = Clock::now();
  for (int trial = 0; trial < kTrials; ++trial) {
    if (tmp == nullptr || rng() % 2 == 0) {
      tmp = std::make_unique<TempDir>();
      committed = 0;
    } else {
      ++continued;
    }
    const std::string path = tmp->Sub("idx");
    const auto delay = std::chrono::milliseconds(20 + rng() % 400);
    RunResult r = RunAndKill(path, delay);
    ASSERT_FALSE(r.exited && r.exit_code != 0)
        << "trial " << trial << ": crash_writer failed: " << r.err;
    const uint64_t reported = r.last_reported != 0 ? r.last_reported : committed;
    max_batches = std::max(max_batches, reported);

    auto reader = IndexReader::Open(path);
    if (!reader.ok() && reported == 0) {
      // Killed before the first commit completed; nothing may have been committed...
      ASSERT_TRUE(absl::IsNotFound(reader.status()) || absl::IsDataLoss(reader.status()) ||
                  absl::IsFailedPrecondition(reader.status()) ||
                  absl::IsInvalidArgument(reader.status()))
          << reader.status();
      // ...but if a MANIFEST exists, it must be readable.
      ASSERT_FALSE(std::filesystem::exists(path + "/MANIFEST")) << reader.status();
      ++killed_before_first;
      continue;
    }
    ASSERT_TRUE(reader.ok()) << "trial " << trial << ": " << reader.status();
    auto dir = index::OpenFsDirectory(path, false);
    ASSERT_TRUE(dir.ok());
    index::CheckReport check = index::CheckIndex(dir->get());
    ASSERT_TRUE(check.ok()) << "trial " << trial << ": " << check.problems[0];

    std::string diff = DiffIndex(**reader, ModelAfter(reported));
    if (!diff.empty()) {
      std::string next = DiffIndex(**reader, ModelAfter(reported + 1));
      ASSERT_TRUE(next.empty()) << "trial " << trial << ": not commit " << reported << " (" << diff
                                << ") nor " << reported + 1 << " (" << next << ")";
      ++mid_commit;
      committed = reported + 1;
    } else {
      committed = reported;
    }
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf(
      "crash trials: %d (%d continued a crashed index, %d killed before the first "
      "commit, %d landed after the rename but before the report); up to %llu commits "
      "per index; %.1f s\n",
      kTrials, continued, killed_before_first, mid_commit,
      static_cast<unsigned long long>(max_batches), secs);
  RecordProperty("trials", kTrials);
}

// In-process: a fault (or a full disk) at a random point of a session of batches, then a power
// cut. The index must hold exactly the last batch whose Commit/ForceMerge returned OK.
TEST(CrashTest, InjectedFaultsThenPowerCutKeepTheLastSuccessfulCommit) {
  using Op = index::FaultInjectingDirectory::Op;
  std::mt19937 rng(77);
  const Op ops[] = {Op::kAppend,  Op::kSync,   Op::kCreate, Op::kRename,
                    Op::kSyncDir, Op::kDelete, Op::kAny};
  int scenarios = 0, faulted = 0, full_disk = 0;
  for (int round = 0; round < 60; ++round) {
    auto dir = index::NewFaultInjectingDirectory();
    dir->SetTornWrites(rng() % 2 == 0);
    IndexWriterOptions opt;
    opt.analyzer.language = "none";
    opt.threads = 1 + static_cast<int>(rng() % 2);
    opt.ram_budget_mb = 1;
    opt.merge_factor = 3;
    uint64_t last_ok = 0;
    {
      auto w = index::OpenIndexWriter(dir.get(), opt);
      ASSERT_TRUE(w.ok()) << w.status();
      // A few clean commits first.
      const uint64_t clean = 1 + rng() % 3;
      for (uint64_t n = 1; n <= clean; ++n) {
        ASSERT_TRUE(AddBatch(w->get(), n).ok());
        ASSERT_TRUE((*w)->Commit().ok());
        last_ok = n;
      }
      const bool budget = round % 3 == 2;
      if (budget) {
        dir->SetSpaceBudget(rng() % 60000);
        ++full_disk;
      } else {
        dir->FailNth(ops[rng() % std::size(ops)], 1 + rng() % 40);
      }
      for (uint64_t n = clean + 1; n <= clean + 8; ++n) {
        absl::Status s = AddBatch(w->get(), n);
        if (s.ok()) s = (*w)->Commit();
        if (!s.ok()) break;
        last_ok = n;
        if (n % 3 == 0 && !(*w)->ForceMerge(1).ok()) break;
      }
    }  // the writer rolls back whatever was not committed
    if (dir->faults_injected() > 0) ++faulted;
    dir->SimulateCrash();
    dir->ClearFaults();
    ++scenarios;
    auto reader = index::OpenIndexReader(dir.get(), {.verify_checksums = true});
    ASSERT_TRUE(reader.ok()) << "round " << round << ": " << reader.status();
    index::CheckReport check = index::CheckIndex(dir.get());
    ASSERT_TRUE(check.ok()) << "round " << round << ": " << check.problems[0];
    EXPECT_EQ(DiffIndex(**reader, ModelAfter(last_ok)), "") << "round " << round;
    // And the index stays writable after the crash.
    auto w = index::OpenIndexWriter(dir.get(), opt);
    ASSERT_TRUE(w.ok()) << w.status();
    ASSERT_TRUE(AddBatch(w->get(), last_ok + 1).ok());
    ASSERT_TRUE((*w)->Commit().ok());
    w->reset();
    auto r2 = index::OpenIndexReader(dir.get(), {.verify_checksums = true});
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ(DiffIndex(**r2, ModelAfter(last_ok + 1)), "") << "round " << round;
  }
  std::printf("fault scenarios: %d (%d with an injected fault, %d full-disk budgets)\n", scenarios,
              faulted, full_disk);
  EXPECT_GT(faulted, scenarios / 2);
}

}  // namespace
}  // namespace scour::reliability
