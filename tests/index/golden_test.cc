// Old indexes keep opening: tests/data/golden-v1/ is an index written by format version 1 and
// checked in. It must open, pass CheckIndex and answer exactly as when it was written.
// Regenerate (only when the format version changes, into a new golden-vN folder) with
//   SCOUR_WRITE_GOLDEN=<dir> build/.../index_test --gtest_filter=Golden.*
#include <cstdlib>
#include <filesystem>

#include "gtest/gtest.h"
#include "index/checker.h"
#include "index/directory.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"

namespace scour {
namespace {

const char* kGolden = SCOUR_SOURCE_DIR "/tests/data/golden-v1";

std::vector<Document> GoldenDocs(int batch) {
  if (batch == 0)
    return {
        {"a", {{"title", "United front work"}, {"text", "The United Front Work Department guides party committees."}}},
        {"b", {{"title", "Party-state"}, {"text", "Xi Jinping’s party-state and the party committee of 2008."}}},
        {"c", {{"title", "天眼系统"}, {"text", "Skynet 天眼系统 cameras; 7,000 members; US$1.8 billion."}}},
    };
  return {
      {"d", {{"title", "Subsidies"}, {"text", "Government subsidies and subsidy programmes."}}},
      {"b", {{"title", "Party-state (updated)"}, {"text", "The party committee was established in 2008."}}},
  };
}

void WriteGolden(const std::string& dir) {
  std::filesystem::remove_all(dir);
  IndexWriterOptions o;
  o.threads = 1;
  o.auto_merge = false;
  auto w = IndexWriter::Open(dir, o);
  ASSERT_TRUE(w.ok()) << w.status();
  for (int batch = 0; batch < 2; ++batch) {
    for (auto& d : GoldenDocs(batch)) ASSERT_TRUE((*w)->AddDocument(d).ok());
    ASSERT_TRUE((*w)->Commit().ok());
  }
  ASSERT_TRUE((*w)->DeleteDocument("c").ok());
  ASSERT_TRUE((*w)->Commit().ok());
}

TEST(Golden, WriteWhenAsked) {
  const char* out = std::getenv("SCOUR_WRITE_GOLDEN");
  if (out == nullptr) GTEST_SKIP() << "set SCOUR_WRITE_GOLDEN=<dir> to regenerate";
  WriteGolden(out);
}

TEST(Golden, Version1IndexOpensChecksAndAnswers) {
  auto dir = index::OpenFsDirectory(kGolden, false);
  ASSERT_TRUE(dir.ok()) << dir.status();
  index::CheckReport rep = index::CheckIndex(dir->get());
  EXPECT_TRUE(rep.ok()) << (rep.problems.empty() ? "" : rep.problems[0]);

  auto reader = IndexReader::Open(kGolden, {.verify_checksums = true});
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->num_docs(), 3u);  // a, b (replaced), d; c deleted
  EXPECT_EQ((*reader)->num_segments(), 2u);
  auto b = (*reader)->Find("b");
  ASSERT_TRUE(b.ok());
  auto doc = (*reader)->Document(*b);
  ASSERT_TRUE(doc.ok());
  ASSERT_NE(doc->Get("title"), nullptr);
  EXPECT_EQ(*doc->Get("title"), "Party-state (updated)");
  EXPECT_FALSE((*reader)->Find("c").ok());

  auto searcher = Searcher::Create(*reader);
  ASSERT_TRUE(searcher.ok());
  auto ids = [&](const std::string& q) {
    std::vector<std::string> out;
    auto r = (*searcher)->Search(q, {});
    EXPECT_TRUE(r.ok()) << r.status();
    if (r.ok())
      for (const auto& h : r->hits) out.push_back(h.id);
    return out;
  };
  EXPECT_EQ(ids("\"united front\""), std::vector<std::string>{"a"});
  EXPECT_EQ(ids("subsidy"), std::vector<std::string>{"d"});
  EXPECT_EQ(ids("+party +committee +2008"), std::vector<std::string>{"b"});
  EXPECT_TRUE(ids("天眼系统").empty());  // only in the deleted document
}

}  // namespace
}  // namespace scour
