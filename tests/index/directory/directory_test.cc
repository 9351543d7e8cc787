#include "index/directory/directory.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/directory/fault_directory.h"

namespace scour::index {
namespace {

namespace fs = std::filesystem;

// A fresh temporary directory under /tmp, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string t = "/tmp/scour_dir_test.XXXXXX";
    char* p = ::mkdtemp(t.data());
    EXPECT_NE(p, nullptr);
    path_ = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct FsFactory {
  TempDir tmp;
  std::unique_ptr<Directory> Make() {
    auto d = OpenFsDirectory(tmp.path() + "/index", /*create=*/true);
    EXPECT_TRUE(d.ok()) << d.status();
    return std::move(d).value();
  }
};
struct MemFactory {
  std::unique_ptr<Directory> Make() { return NewMemDirectory(); }
};
struct FaultFactory {
  std::unique_ptr<Directory> Make() { return NewFaultInjectingDirectory(); }
};

std::string ReadAll(Directory* d, const std::string& name) {
  auto f = d->Open(name);
  EXPECT_TRUE(f.ok()) << f.status();
  if (!f.ok()) return "<error>";
  EXPECT_EQ((*f)->name(), name);
  return std::string((*f)->data());
}

void WriteFile(Directory* d, const std::string& name, std::string_view data) {
  auto w = d->Create(name);
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_TRUE((*w)->Append(data).ok());
  ASSERT_TRUE((*w)->Sync().ok());
  ASSERT_TRUE((*w)->Close().ok());
}

template <typename F>
class DirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = factory_.Make(); }
  F factory_;
  std::unique_ptr<Directory> dir_;
};

using Factories = ::testing::Types<FsFactory, MemFactory, FaultFactory>;
TYPED_TEST_SUITE(DirectoryTest, Factories);

TYPED_TEST(DirectoryTest, WriteThenRead) {
  Directory* d = this->dir_.get();
  std::mt19937 rng(1);
  // Mixed append sizes around the FS write buffer (64 KiB) boundary.
  std::string want;
  auto w = d->Create("data");
  ASSERT_TRUE(w.ok());
  for (size_t n : {0, 1, 100, 65535, 1, 65536, 200000, 3, 70000}) {
    std::string chunk(n, '\0');
    for (auto& c : chunk) c = static_cast<char>(rng());
    ASSERT_TRUE((*w)->Append(chunk).ok());
    want += chunk;
    EXPECT_EQ((*w)->size(), want.size());
  }
  ASSERT_TRUE((*w)->Sync().ok());
  ASSERT_TRUE((*w)->Close().ok());
  EXPECT_TRUE((*w)->Close().ok());  // idempotent
  EXPECT_FALSE((*w)->Append("x").ok());
  EXPECT_EQ(ReadAll(d, "data"), want);
}

TYPED_TEST(DirectoryTest, EmptyFile) {
  Directory* d = this->dir_.get();
  WriteFile(d, "empty", "");
  auto f = d->Open("empty");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ((*f)->data().size(), 0u);
}

TYPED_TEST(DirectoryTest, ReadableOutlivesDeleteAndReplace) {
  Directory* d = this->dir_.get();
  WriteFile(d, "a", "first");
  auto f = d->Open("a");
  ASSERT_TRUE(f.ok());
  WriteFile(d, "a", "second, longer");  // Create truncates
  EXPECT_EQ(ReadAll(d, "a"), "second, longer");
  ASSERT_TRUE(d->Delete("a").ok());
  EXPECT_EQ((*f)->data(), "first");
}

TYPED_TEST(DirectoryTest, ExistsDeleteRenameList) {
  Directory* d = this->dir_.get();
  EXPECT_FALSE(*d->Exists("x"));
  EXPECT_TRUE(absl::IsNotFound(d->Open("x").status()));
  EXPECT_TRUE(absl::IsNotFound(d->Delete("x")));
  EXPECT_TRUE(absl::IsNotFound(d->Rename("x", "y")));
  WriteFile(d, "c", "C");
  WriteFile(d, "a", "A");
  WriteFile(d, "b", "B");
  EXPECT_TRUE(*d->Exists("a"));
  auto names = d->List();
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_TRUE(d->Rename("a", "c").ok());  // replaces c
  EXPECT_FALSE(*d->Exists("a"));
  EXPECT_EQ(ReadAll(d, "c"), "A");
  ASSERT_TRUE(d->Delete("b").ok());
  ASSERT_TRUE(d->SyncDir().ok());
  EXPECT_EQ(*d->List(), (std::vector<std::string>{"c"}));
  EXPECT_FALSE(d->Create("bad/name").ok());
  EXPECT_FALSE(d->Create("").ok());
  EXPECT_FALSE(d->Describe().empty());
}

TYPED_TEST(DirectoryTest, LockConflictsUntilReleased) {
  Directory* d = this->dir_.get();
  auto l1 = d->Lock("write.lock");
  ASSERT_TRUE(l1.ok()) << l1.status();
  auto l2 = d->Lock("write.lock");
  ASSERT_TRUE(absl::IsFailedPrecondition(l2.status())) << l2.status();
  EXPECT_NE(l2.status().message().find("index is locked by another writer: "),
            std::string_view::npos);
  EXPECT_NE(l2.status().message().find("write.lock"), std::string_view::npos);
  auto other = d->Lock("other.lock");
  EXPECT_TRUE(other.ok());
  l1->reset();
  auto l3 = d->Lock("write.lock");
  EXPECT_TRUE(l3.ok()) << l3.status();
}

TYPED_TEST(DirectoryTest, ConcurrentWritersInDifferentFiles) {
  Directory* d = this->dir_.get();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([d, t] {
      for (int i = 0; i < 20; ++i) {
        std::string name = absl::StrCat("t", t, "_", i);
        auto w = d->Create(name);
        ASSERT_TRUE(w.ok());
        ASSERT_TRUE((*w)->Append(name).ok());
        ASSERT_TRUE((*w)->Close().ok());
        ASSERT_TRUE(d->List().ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  auto names = d->List();
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->size(), 80u);
  for (const auto& n : *names) EXPECT_EQ(ReadAll(d, n), n);
}

// --- FsDirectory only ---

TEST(FsDirectory, PathIsAFile) {
  TempDir tmp;
  std::string file = tmp.path() + "/plain";
  std::ofstream(file) << "x";
  for (bool create : {false, true}) {
    auto d = OpenFsDirectory(file, create);
    ASSERT_FALSE(d.ok());
    EXPECT_NE(d.status().message().find(file), std::string_view::npos) << d.status();
    EXPECT_NE(d.status().message().find("not a directory"), std::string_view::npos);
  }
}

TEST(FsDirectory, MissingWithoutCreate) {
  TempDir tmp;
  auto d = OpenFsDirectory(tmp.path() + "/nope", false);
  EXPECT_TRUE(absl::IsNotFound(d.status())) << d.status();
  EXPECT_NE(d.status().message().find("No such file or directory"), std::string_view::npos);
  EXPECT_TRUE(OpenFsDirectory(tmp.path() + "/nope", true).ok());
  EXPECT_TRUE(OpenFsDirectory(tmp.path() + "/nope", false).ok());
}

TEST(FsDirectory, UnreadableDirectory) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores permissions";
  TempDir tmp;
  std::string p = tmp.path() + "/locked";
  ASSERT_EQ(::mkdir(p.c_str(), 0), 0);
  auto d = OpenFsDirectory(p, false);
  EXPECT_TRUE(absl::IsPermissionDenied(d.status())) << d.status();
  EXPECT_NE(d.status().message().find(p), std::string_view::npos);
  ::chmod(p.c_str(), 0755);
}

TEST(FsDirectory, FilesAreRealFiles) {
  TempDir tmp;
  auto d = OpenFsDirectory(tmp.path(), false);
  ASSERT_TRUE(d.ok());
  WriteFile(d->get(), "f", "hello");
  std::ifstream in(tmp.path() + "/f");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(s, "hello");
  // Data is visible to readers once the buffer is flushed by Sync, before Close.
  auto w = (*d)->Create("g");
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append("abc").ok());
  ASSERT_TRUE((*w)->Sync().ok());
  EXPECT_EQ(ReadAll(d->get(), "g"), "abc");
  EXPECT_EQ((*d)->Describe(), tmp.path());
}

// Resident pages of this process, from /proc/self/statm (Linux), in bytes.
uint64_t ResidentBytes() {
  std::ifstream in("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

TEST(FsDirectory, ReleasedPagesLeaveTheResidentSetAndReadBackUnchanged) {
  TempDir tmp;
  auto d = OpenFsDirectory(tmp.path(), false);
  ASSERT_TRUE(d.ok());
  std::string data(16 << 20, '\0');
  uint32_t x = 12345;
  for (char& c : data) c = static_cast<char>((x = x * 1103515245 + 12345) >> 24);
  WriteFile(d->get(), "big", data);
  auto f = (*d)->Open("big");
  ASSERT_TRUE(f.ok());
  uint64_t sum = 0;
  for (size_t i = 0; i < data.size(); i += 512) sum += static_cast<uint8_t>((*f)->data()[i]);
  const uint64_t touched = ResidentBytes();
  // Unaligned ends (only whole pages inside go), a range past the end, an empty range.
  (*f)->Release(1, data.size() - 1);
  (*f)->Release(data.size() - 10, data.size() + 100000);
  (*f)->Release(100, 100);
  const uint64_t released = ResidentBytes();
  EXPECT_GT(touched, released + (8u << 20)) << "touched " << touched << ", after " << released;
  EXPECT_EQ((*f)->data(), data);  // faulted back in from the file
  EXPECT_GT(sum, 0u);
}

TEST(FsDirectory, TwoDirectoryObjectsConflict) {
  TempDir tmp;
  auto a = OpenFsDirectory(tmp.path(), false);
  auto b = OpenFsDirectory(tmp.path() + "/", false);
  ASSERT_TRUE(a.ok() && b.ok());
  auto la = (*a)->Lock("LOCK");
  ASSERT_TRUE(la.ok());
  auto lb = (*b)->Lock("LOCK");
  EXPECT_TRUE(absl::IsFailedPrecondition(lb.status())) << lb.status();
  EXPECT_EQ(lb.status().message(), "index is locked by another writer: " + tmp.path() + "/LOCK");
}

TEST(FsDirectory, LockConflictsAcrossProcesses) {
  TempDir tmp;
  auto d = OpenFsDirectory(tmp.path(), false);
  ASSERT_TRUE(d.ok());
  auto held = (*d)->Lock("LOCK");
  ASSERT_TRUE(held.ok());
  auto child_can_lock = [&] {
    pid_t pid = ::fork();
    if (pid == 0) {
      // The child inherits this process's lock registry; a different spelling of the path
      // bypasses it, so only flock(2) can report the conflict.
      auto cd = OpenFsDirectory(tmp.path() + "/.", false);
      if (!cd.ok()) ::_exit(2);
      auto l = (*cd)->Lock("LOCK");
      ::_exit(l.ok() ? 0 : absl::IsFailedPrecondition(l.status()) ? 1 : 3);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(child_can_lock(), 1);  // held by this process
  held->reset();
  EXPECT_EQ(child_can_lock(), 0);
}

// --- FaultInjectingDirectory only ---

using Op = FaultInjectingDirectory::Op;

TEST(FaultDirectory, CrashLosesExactlyUnsyncedData) {
  FaultInjectingDirectory d;
  // Durable: created, synced, directory synced.
  WriteFile(&d, "durable", "D");
  ASSERT_TRUE(d.SyncDir().ok());
  // Data synced, then more appended without sync: keeps the synced prefix.
  auto w = d.Create("partial");
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append("synced|").ok());
  ASSERT_TRUE((*w)->Sync().ok());
  ASSERT_TRUE(d.SyncDir().ok());
  ASSERT_TRUE((*w)->Append("unsynced").ok());
  // Name durable, data never synced: empty after the crash.
  auto w2 = d.Create("no_datasync");
  ASSERT_TRUE(w2.ok());
  ASSERT_TRUE((*w2)->Append("lost").ok());
  ASSERT_TRUE(d.SyncDir().ok());
  // Rename and delete without SyncDir: undone.
  WriteFile(&d, "old", "O");
  ASSERT_TRUE(d.SyncDir().ok());
  ASSERT_TRUE(d.Rename("old", "new").ok());
  ASSERT_TRUE(d.Delete("durable").ok());
  // Synced data but the name never made durable: lost.
  WriteFile(&d, "no_dirsync", "N");
  EXPECT_EQ(ReadAll(&d, "partial"), "synced|unsynced");  // readers see the live state

  d.SimulateCrash();
  EXPECT_EQ(*d.List(), (std::vector<std::string>{"durable", "no_datasync", "old", "partial"}));
  EXPECT_EQ(ReadAll(&d, "durable"), "D");
  EXPECT_EQ(ReadAll(&d, "partial"), "synced|");
  EXPECT_EQ(ReadAll(&d, "no_datasync"), "");
  EXPECT_EQ(ReadAll(&d, "old"), "O");
  // Handles from before the crash are dead.
  EXPECT_TRUE(absl::IsFailedPrecondition((*w)->Append("x")));
  EXPECT_TRUE(absl::IsFailedPrecondition((*w)->Sync()));
  EXPECT_EQ(ReadAll(&d, "partial"), "synced|");
}

TEST(FaultDirectory, ReplacedFileRevertsToDurableVersion) {
  FaultInjectingDirectory d;
  WriteFile(&d, "m", "v1");
  ASSERT_TRUE(d.SyncDir().ok());
  // The atomic-replace pattern without the final SyncDir: the old version survives.
  WriteFile(&d, "m.tmp", "v2");
  ASSERT_TRUE(d.Rename("m.tmp", "m").ok());
  EXPECT_EQ(ReadAll(&d, "m"), "v2");
  d.SimulateCrash();
  EXPECT_EQ(ReadAll(&d, "m"), "v1");
  EXPECT_FALSE(*d.Exists("m.tmp"));
  // With it, the new version is durable.
  WriteFile(&d, "m.tmp", "v2");
  ASSERT_TRUE(d.Rename("m.tmp", "m").ok());
  ASSERT_TRUE(d.SyncDir().ok());
  d.SimulateCrash();
  EXPECT_EQ(ReadAll(&d, "m"), "v2");
  EXPECT_EQ(*d.List(), (std::vector<std::string>{"m"}));
}

TEST(FaultDirectory, CrashReleasesLocks) {
  FaultInjectingDirectory d;
  auto l = d.Lock("LOCK");
  ASSERT_TRUE(l.ok());
  d.SimulateCrash();
  auto l2 = d.Lock("LOCK");
  ASSERT_TRUE(l2.ok());
  l->reset();  // the stale lock must not release the new owner's
  EXPECT_TRUE(absl::IsFailedPrecondition(d.Lock("LOCK").status()));
}

TEST(FaultDirectory, FailNthOfEachOp) {
  FaultInjectingDirectory d;
  WriteFile(&d, "a", "x");
  // Create
  d.FailNth(Op::kCreate, 2);
  EXPECT_TRUE(d.Create("c1").ok());
  auto c2 = d.Create("c2");
  EXPECT_TRUE(absl::IsInternal(c2.status())) << c2.status();
  EXPECT_NE(c2.status().message().find("injected fault"), std::string_view::npos);
  EXPECT_FALSE(*d.Exists("c2"));
  EXPECT_TRUE(d.Create("c3").ok());  // one-shot
  // Append
  auto w = d.Create("w");
  ASSERT_TRUE(w.ok());
  d.FailNth(Op::kAppend, 1);
  EXPECT_FALSE((*w)->Append("abc").ok());
  EXPECT_TRUE((*w)->Append("def").ok());
  EXPECT_EQ(ReadAll(&d, "w"), "def");  // not torn: nothing written
  EXPECT_EQ((*w)->size(), 3u);
  // Sync: a failed sync makes nothing durable
  d.FailNth(Op::kSync, 1);
  EXPECT_FALSE((*w)->Sync().ok());
  ASSERT_TRUE(d.SyncDir().ok());
  // Rename
  d.FailNth(Op::kRename, 1);
  EXPECT_FALSE(d.Rename("a", "b").ok());
  EXPECT_TRUE(*d.Exists("a"));
  EXPECT_FALSE(*d.Exists("b"));
  // Delete
  d.FailNth(Op::kDelete, 1);
  EXPECT_FALSE(d.Delete("a").ok());
  EXPECT_TRUE(*d.Exists("a"));
  // SyncDir: a failed SyncDir makes nothing durable
  WriteFile(&d, "late", "L");
  d.FailNth(Op::kSyncDir, 1);
  EXPECT_FALSE(d.SyncDir().ok());
  d.SimulateCrash();
  EXPECT_FALSE(*d.Exists("late"));
  EXPECT_EQ(ReadAll(&d, "w"), "");  // its sync failed
  EXPECT_EQ(d.faults_injected(), 6u);
  // Cancelled faults do not fire.
  d.FailNth(Op::kCreate, 1);
  d.FailNth(Op::kCreate, 0);
  EXPECT_TRUE(d.Create("z").ok());
}

TEST(FaultDirectory, CountersAndFailAtEveryOp) {
  // The workload: an atomic replace of a two-chunk file.
  auto workload = [](Directory* d) -> absl::Status {
    auto w = d->Create("f.tmp");
    if (!w.ok()) return w.status();
    for (std::string_view chunk : {"hello ", "world"}) {
      if (auto s = (*w)->Append(chunk); !s.ok()) return s;
    }
    if (auto s = (*w)->Sync(); !s.ok()) return s;
    if (auto s = d->Rename("f.tmp", "f"); !s.ok()) return s;
    return d->SyncDir();
  };
  FaultInjectingDirectory clean;
  ASSERT_TRUE(workload(&clean).ok());
  EXPECT_EQ(clean.op_count(Op::kCreate), 1u);
  EXPECT_EQ(clean.op_count(Op::kAppend), 2u);
  EXPECT_EQ(clean.op_count(Op::kSync), 1u);
  EXPECT_EQ(clean.op_count(Op::kRename), 1u);
  EXPECT_EQ(clean.op_count(Op::kSyncDir), 1u);
  EXPECT_EQ(clean.op_count(Op::kDelete), 0u);
  const uint64_t k_max = clean.op_count(Op::kAny);
  ASSERT_EQ(k_max, 6u);
  for (uint64_t k = 1; k <= k_max; ++k) {
    FaultInjectingDirectory d;
    d.FailNth(Op::kAny, k);
    EXPECT_FALSE(workload(&d).ok()) << k;
    EXPECT_EQ(d.op_count(Op::kAny), k);  // the workload stops at the failed op
    d.SimulateCrash();
    // Whatever failed, "f" is either absent or complete, never partial.
    auto exists = d.Exists("f");
    ASSERT_TRUE(exists.ok());
    EXPECT_FALSE(*exists) << k;  // the last op (SyncDir) is needed for it to survive
  }
}

TEST(FaultDirectory, SpaceBudgetAndTornWrites) {
  for (bool torn : {false, true}) {
    FaultInjectingDirectory d;
    d.SetTornWrites(torn);
    d.SetSpaceBudget(10);
    auto w = d.Create("f");
    ASSERT_TRUE(w.ok());
    EXPECT_TRUE((*w)->Append("123456").ok());
    absl::Status s = (*w)->Append("abcdefgh");
    EXPECT_TRUE(absl::IsResourceExhausted(s)) << s;
    EXPECT_NE(s.message().find("no space left on device"), std::string_view::npos);
    EXPECT_EQ(ReadAll(&d, "f"), torn ? "123456abcd" : "123456");
    EXPECT_FALSE((*w)->Append("x").ok());  // the disk stays full
    d.ClearFaults();
    EXPECT_TRUE((*w)->Append("x").ok());
  }
  FaultInjectingDirectory d;
  d.SetTornWrites(true);
  auto w = d.Create("f");
  ASSERT_TRUE(w.ok());
  d.FailNth(Op::kAppend, 1);
  EXPECT_FALSE((*w)->Append("abcdefgh").ok());
  EXPECT_EQ(ReadAll(&d, "f"), "abcd");  // a torn write: a prefix persists (not durably)
  ASSERT_TRUE((*w)->Sync().ok());
  ASSERT_TRUE(d.SyncDir().ok());
  d.SimulateCrash();
  EXPECT_EQ(ReadAll(&d, "f"), "abcd");
}

}  // namespace
}  // namespace scour::index
