// The index's synonyms file (docs/format/README.md, synonyms_<gen>.syn): SetSynonyms + Commit
// installs a set every later reader sees, byte for byte; adds, deletes and merges keep it; a new
// set or none replaces it atomically (a failed commit at any I/O operation leaves the previous
// set); a set made for another analyser is refused; a corrupt file is DataLoss for readers and
// a problem for CheckIndex.
#include <filesystem>
#include <fstream>

#include "base/status_macros.h"
#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/fault_directory.h"
#include "index/format/file_names.h"
#include "index/inspect/checker.h"
#include "index/writer/open_writer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/synonyms.h"

namespace scour {
namespace {

IndexWriterOptions Options() {
  IndexWriterOptions o;
  o.threads = 1;
  o.auto_merge = false;
  return o;
}

std::shared_ptr<const SynonymSet> Set(std::string_view text, bool stopwords = false) {
  AnalyzerOptions a;
  a.stopwords = stopwords;
  auto s = SynonymSet::Parse(text, a, "home.txt");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : nullptr;
}

// The source text of the set a fresh reader of `dir` sees ("" = none), or the error.
std::string Installed(index::Directory* dir) {
  auto r = index::OpenIndexReader(dir, {.verify_checksums = true});
  if (!r.ok()) return "error: " + std::string(r.status().message());
  auto s = (*r)->synonyms();
  return s ? s->source_text() : "";
}

std::vector<std::string> SynFiles(index::Directory* dir) {
  std::vector<std::string> out;
  auto names = dir->List();
  EXPECT_TRUE(names.ok());
  for (const auto& n : *names)
    if (auto p = index::ParseFileName(n); p && p->type == index::FileType::kSynonyms)
      out.push_back(n);
  return out;
}

TEST(SynonymsFile, InstalledKeptReplacedAndCleared) {
  auto dir = index::NewMemDirectory();
  auto w = index::OpenIndexWriter(dir.get(), Options());
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_TRUE((*w)->AddDocument({"a", {{"text", "The CCP and the PLA."}}}).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  EXPECT_EQ(Installed(dir.get()), "");
  EXPECT_TRUE(SynFiles(dir.get()).empty());

  const std::string first = "CCP, Chinese Communist Party\nMSS => Ministry of State Security\n";
  ASSERT_TRUE((*w)->SetSynonyms(Set(first)).ok());
  EXPECT_EQ(Installed(dir.get()), "");  // not before the commit
  ASSERT_TRUE((*w)->Commit().ok());
  EXPECT_EQ(Installed(dir.get()), first);
  EXPECT_EQ(SynFiles(dir.get()), std::vector<std::string>{"synonyms_2.syn"});
  {
    auto r = index::OpenIndexReader(dir.get(), {});
    ASSERT_TRUE(r.ok());
    const auto& set = *(*r)->synonyms();
    EXPECT_EQ(set.source_name(), "home.txt");
    EXPECT_EQ(set.rules().size(), 3u);  // ccp, chines communist parti, mss (one-way)
    ASSERT_EQ(set.rules().size(), Set(first)->rules().size());
    for (size_t i = 0; i < set.rules().size(); ++i) {
      EXPECT_EQ(set.rules()[i].input, Set(first)->rules()[i].input);
      EXPECT_EQ(set.rules()[i].outputs, Set(first)->rules()[i].outputs);
    }
    index::CheckReport rep = index::CheckIndex(dir.get());
    EXPECT_TRUE(rep.ok()) << rep.problems[0];
    EXPECT_EQ(rep.synonym_rules, set.rules().size());
  }

  // Adds, deletes and a merge keep the set (and its file).
  ASSERT_TRUE((*w)->AddDocument({"b", {{"text", "Chinese Communist Party"}}}).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  ASSERT_TRUE((*w)->DeleteDocument("a").ok());
  ASSERT_TRUE((*w)->Commit().ok());
  ASSERT_TRUE((*w)->ForceMerge(1).ok());
  EXPECT_EQ(Installed(dir.get()), first);
  EXPECT_EQ(SynFiles(dir.get()), std::vector<std::string>{"synonyms_2.syn"});

  // A new set replaces it; the old file goes with the commit.
  const std::string second = "PLA, People's Liberation Army\n";
  ASSERT_TRUE((*w)->SetSynonyms(Set(second)).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  EXPECT_EQ(Installed(dir.get()), second);
  ASSERT_EQ(SynFiles(dir.get()).size(), 1u);
  EXPECT_NE(SynFiles(dir.get())[0], "synonyms_2.syn");

  // A rollback forgets a pending set.
  ASSERT_TRUE((*w)->SetSynonyms(nullptr).ok());
  ASSERT_TRUE((*w)->Rollback().ok());
  ASSERT_TRUE((*w)->Commit().ok());
  EXPECT_EQ(Installed(dir.get()), second);

  ASSERT_TRUE((*w)->SetSynonyms(nullptr).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  EXPECT_EQ(Installed(dir.get()), "");
  EXPECT_TRUE(SynFiles(dir.get()).empty());
}

TEST(SynonymsFile, ASetForAnotherAnalyserIsRefused) {
  auto dir = index::NewMemDirectory();
  auto w = index::OpenIndexWriter(dir.get(), Options());  // English, no stopwords
  ASSERT_TRUE(w.ok());
  absl::Status s = (*w)->SetSynonyms(Set("cat, dog\n", /*stopwords=*/true));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("--stopwords"), std::string::npos) << s;
}

TEST(SynonymsFile, CorruptFileIsDataLossAndACheckProblem) {
  const std::string path = ::testing::TempDir() + "/scour_synonyms_corrupt";
  std::filesystem::remove_all(path);
  {
    auto w = IndexWriter::Open(path, Options());
    ASSERT_TRUE(w.ok()) << w.status();
    ASSERT_TRUE((*w)->AddDocument({"a", {{"text", "x"}}}).ok());
    ASSERT_TRUE((*w)->SetSynonyms(Set("CCP, Chinese Communist Party\n")).ok());
    ASSERT_TRUE((*w)->Commit().ok());
  }
  const std::string file = path + "/synonyms_1.syn";
  ASSERT_TRUE(std::filesystem::exists(file));
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(20);
    f.put('\x7f');
  }
  auto r = IndexReader::Open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
  EXPECT_NE(r.status().message().find("synonyms_1.syn"), std::string::npos) << r.status();
  auto dir = index::OpenFsDirectory(path, false);
  ASSERT_TRUE(dir.ok());
  index::CheckReport rep = index::CheckIndex(dir->get());
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.problems[0].find("synonyms_1.syn"), std::string::npos) << rep.problems[0];
  std::filesystem::remove(file);
  r = IndexReader::Open(path);
  ASSERT_FALSE(r.ok());  // named by the MANIFEST but missing: never silently no synonyms
  std::filesystem::remove_all(path);
}

TEST(SynonymsFile, FailedCommitAtAnyOperationKeepsThePreviousSet) {
  const std::string old_set = "CCP, Chinese Communist Party\n", new_set = "PLA, army\n";
  auto prepare = [&](index::Directory* dir) {
    auto w = index::OpenIndexWriter(dir, Options());
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->AddDocument({"a", {{"text", "x"}}}).ok());
    ASSERT_TRUE((*w)->SetSynonyms(Set(old_set)).ok());
    ASSERT_TRUE((*w)->Commit().ok());
  };
  auto replace = [&](index::Directory* dir) -> absl::Status {
    auto w = index::OpenIndexWriter(dir, Options());
    if (!w.ok()) return w.status();
    SCOUR_RETURN_IF_ERROR((*w)->AddDocument({"b", {{"text", "y"}}}));
    SCOUR_RETURN_IF_ERROR((*w)->SetSynonyms(Set(new_set)));
    return (*w)->Commit();
  };
  uint64_t total;
  {
    auto dir = index::NewFaultInjectingDirectory();
    prepare(dir.get());
    const uint64_t before = dir->op_count(index::FaultInjectingDirectory::Op::kAny);
    ASSERT_TRUE(replace(dir.get()).ok());
    total = dir->op_count(index::FaultInjectingDirectory::Op::kAny) - before;
    EXPECT_EQ(Installed(dir.get()), new_set);
  }
  int failed = 0;
  for (uint64_t k = 1; k <= total; ++k) {
    auto dir = index::NewFaultInjectingDirectory();
    prepare(dir.get());
    dir->FailNth(index::FaultInjectingDirectory::Op::kAny, k);
    const absl::Status s = replace(dir.get());
    dir->SimulateCrash();
    dir->ClearFaults();
    const std::string seen = Installed(dir.get());
    if (s.ok()) {
      EXPECT_EQ(seen, new_set) << k;
    } else {
      ++failed;
      EXPECT_TRUE(seen == old_set || seen == new_set) << k << ": " << seen;
    }
  }
  EXPECT_GT(failed, 0);
}

}  // namespace
}  // namespace scour
