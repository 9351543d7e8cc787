// Old indexes keep opening: tests/data/golden-vN/ is an index written by format version N and
// checked in (N = 1 to 8; from 3 on with a synonyms file; from 5 on with the optional .surf,
// which CurrentWriterAddsSurfaceFormsForPrefixes covers further; none has a full block:
// impact_list_test covers format 4's lists, dense_blocks_test format 8's bit sets; from 5 on
// `.store` holds no ids). Each must open, pass
// CheckIndex and answer exactly as when it was written; the current writer must reproduce the
// current version's files byte for byte. Write a new golden-vN folder (only when the format version
// changes) with
//   SCOUR_WRITE_GOLDEN=<dir> build/.../index_test --gtest_filter=Golden.*
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "gtest/gtest.h"
#include "index/directory/directory.h"
#include "index/format/file_format.h"
#include "index/inspect/checker.h"
#include "index/segment/segment_format.h"
#include "index/segment/stored_fields.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"
#include "scour/synonyms.h"

namespace scour {
namespace {

std::string GoldenDir(uint32_t version) {
  return std::string(SCOUR_SOURCE_DIR "/tests/data/golden-v") + std::to_string(version);
}

std::vector<Document> GoldenDocs(int batch) {
  if (batch == 0)
    return {
        {"a",
         {{"title", "United front work"},
          {"text", "The United Front Work Department guides party committees."}}},
        {"b",
         {{"title", "Party-state"},
          {"text", "Xi Jinping’s party-state and the party committee of 2008."}}},
        {"c",
         {{"title", "天眼系统"},
          {"text", "Skynet 天眼系统 cameras; 7,000 members; US$1.8 billion."}}},
    };
  return {
      {"d", {{"title", "Subsidies"}, {"text", "Government subsidies and subsidy programmes."}}},
      {"b",
       {{"title", "Party-state (updated)"},
        {"text", "The party committee was established in 2008."}}},
  };
}

constexpr std::string_view kGoldenSynonyms =
    "# golden\nUFWD, United Front Work Department\nsubsidy => grant, subsidy\n";

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
  auto synonyms = SynonymSet::Parse(kGoldenSynonyms, AnalyzerOptions{}, "golden.txt");
  ASSERT_TRUE(synonyms.ok()) << synonyms.status();
  ASSERT_TRUE((*w)->SetSynonyms(*synonyms).ok());
  ASSERT_TRUE((*w)->Commit().ok());
}

TEST(GoldenWrite, WriteWhenAsked) {
  const char* out = std::getenv("SCOUR_WRITE_GOLDEN");
  if (out == nullptr) GTEST_SKIP() << "set SCOUR_WRITE_GOLDEN=<dir> to regenerate";
  WriteGolden(out);
}

class Golden : public ::testing::TestWithParam<uint32_t> {};

TEST_P(Golden, IndexOpensChecksAndAnswers) {
  const std::string kGolden = GoldenDir(GetParam());
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
  EXPECT_EQ(doc->id, "b");  // from the dictionary (versions 1-4 also stored it)
  ASSERT_NE(doc->Get("title"), nullptr);
  EXPECT_EQ(*doc->Get("title"), "Party-state (updated)");
  EXPECT_FALSE((*reader)->Find("c").ok());

  auto searcher = Searcher::Create(*reader);
  ASSERT_TRUE(searcher.ok());
  auto ids = [&](const std::string& q) {
    std::vector<std::string> out;
    const SearchOptions opts;
    auto r = (*searcher)->Search(q, opts);
    EXPECT_TRUE(r.ok()) << r.status();
    if (r.ok())
      for (const auto& h : r->hits) out.push_back(h.id);
    return out;
  };
  EXPECT_EQ(ids("\"united front\""), std::vector<std::string>{"a"});
  EXPECT_EQ(ids("subsidy"), std::vector<std::string>{"d"});
  EXPECT_EQ(ids("+party +committee +2008"), std::vector<std::string>{"b"});
  EXPECT_TRUE(ids("天眼系统").empty());  // only in the deleted document
  // Versions 1 and 2 have no synonyms; from 3 on the golden index has the set WriteGolden gave it.
  auto synonyms = (*reader)->synonyms();
  if (GetParam() < 3) {
    EXPECT_EQ(synonyms, nullptr);
  } else {
    ASSERT_NE(synonyms, nullptr);
    EXPECT_EQ(synonyms->source_text(), kGoldenSynonyms);
    EXPECT_EQ(synonyms->source_name(), "golden.txt");
    EXPECT_EQ(synonyms->rules().size(), 3u);  // subsidi; ufwd; unit front work depart
    EXPECT_EQ(rep.synonym_rules, 3u);
  }
  EXPECT_EQ(ids("commit*"), (std::vector<std::string>{"a", "b"}));
  if (GetParam() < 5) {
    // Written before surface forms: prefixes expand over the stemmed terms only, as they did.
    EXPECT_TRUE(ids("committee*").empty());  // "committee" is indexed as "committe"
    EXPECT_TRUE(ids("unite*").empty());      // "united" as "unit"
  } else {
    // From 5 on with surface forms (5: plain blocks, 6: zstd groups), read through either layout.
    std::vector<std::string> committee = ids("committee*");
    std::sort(committee.begin(), committee.end());
    EXPECT_EQ(committee, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(ids("unite*"), std::vector<std::string>{"a"});
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, Golden, ::testing::Values(1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u));

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), {});
}

// `file` with its header's version set to `version` and its CRC made to match again.
std::string WithVersion(std::string file, uint32_t version) {
  std::string v;
  PutFixed32(&v, version);
  file.replace(8, 4, v);
  const size_t len = file.size() - index::kFooterSize;
  std::string crc;
  PutFixed32(&crc, crc32c::Value(std::string_view(file).substr(0, len)));
  file.replace(len + 8, 4, crc);
  return file;
}

// Format 5's `.store` holds no id, 1-4 hold it first: CheckIndex names a document that breaks
// its file's version either way (sound frames, CRCs repaired), and the golden files pass.
TEST(GoldenWrite, CheckNamesAStoredIdThatBreaksItsStoreVersion) {
  const std::string dir = ::testing::TempDir() + "/scour_golden_store_ids";
  const std::string store = "/s00000001.store";  // a, b, c (deleted later)
  auto problems = [&](const std::string& file) {
    std::filesystem::remove_all(dir);
    std::filesystem::copy(GoldenDir(5), dir);
    std::ofstream(dir + store, std::ios::binary | std::ios::trunc) << file;
    auto d = index::OpenFsDirectory(dir, false);
    EXPECT_TRUE(d.ok());
    return index::CheckIndex(d->get()).problems;
  };
  const std::string golden = ReadAll(GoldenDir(5) + store);
  EXPECT_TRUE(problems(golden).empty());
  // The same bytes claiming version 4: its documents lack the id.
  std::vector<std::string> p = problems(WithVersion(golden, 4));
  ASSERT_FALSE(p.empty());
  EXPECT_NE(p[0].find("stored doc 0 has no id"), std::string::npos) << p[0];
  // Version 5 with a stored _id (as version 4 wrote it) in the second document.
  auto reader = index::StoredFieldsReader::Open(golden, "s.store");
  ASSERT_TRUE(reader.ok()) << reader.status();
  index::StoredFieldsWriter w;
  std::vector<std::pair<uint32_t, std::string_view>> fields;
  ASSERT_TRUE(reader
                  ->ForEachDocument(
                      3,
                      [&](uint32_t d, std::span<const index::StoredFieldsReader::FieldView> f) {
                        fields.assign(f.begin(), f.end());
                        if (d == 1) fields.insert(fields.begin(), {index::kIdField, "b"});
                        w.AddDocument(fields);
                        return absl::OkStatus();
                      })
                  .ok());
  auto mem = index::NewMemDirectory();
  auto out = index::FramedWriter::Create(mem.get(), "s", index::FileKind::kStored);
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(w.WriteTo(&*out).ok());
  ASSERT_TRUE(out->Finish().ok());
  auto with_id = mem->Open("s");
  ASSERT_TRUE(with_id.ok());
  p = problems(std::string((*with_id)->data()));
  ASSERT_FALSE(p.empty());
  EXPECT_NE(p[0].find(absl::StrCat("stored doc 1 holds an _id field (format ",
                                   index::kFormatVersion, " stores none)")),
            std::string::npos)
      << p[0];
  // Version 4's own files keep their ids and pass (IndexOpensChecksAndAnswers).
  std::filesystem::remove_all(dir);
}

// Format 5 keeps each list's impact in .tdict, 1-4 in .post: a segment whose two files
// disagree (a v4 .tdict beside a v5 .post, sound frames) is DataLoss, not lists without bounds.
TEST(GoldenWrite, TermDictAndPostingsOfDifferentSidesOfFormat5AreDataLoss) {
  const std::string dir = ::testing::TempDir() + "/scour_golden_mixed_dict";
  std::filesystem::remove_all(dir);
  std::filesystem::copy(GoldenDir(5), dir);
  const std::string tdict = dir + "/s00000001.tdict";
  const std::string v4 = WithVersion(ReadAll(tdict), 4);
  std::ofstream(tdict, std::ios::binary | std::ios::trunc) << v4;
  auto reader = IndexReader::Open(dir, {.verify_checksums = true});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss) << reader.status();
  EXPECT_NE(reader.status().message().find("s00000001.post: format version 5 beside"),
            std::string_view::npos)
      << reader.status();
  auto d = index::OpenFsDirectory(dir, false);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(index::CheckIndex(d->get()).ok());
  std::filesystem::remove_all(dir);
}

// An old index takes new segments (a mixed-version index), deletes and replaces across them,
// and a merge rewrites everything in the current version.
TEST(GoldenWrite, Version1IndexTakesUpdatesAndMergesToCurrentVersion) {
  const std::string dir = ::testing::TempDir() + "/scour_golden_v1_update";
  std::filesystem::remove_all(dir);
  std::filesystem::copy(GoldenDir(1), dir);
  auto frame_versions = [&] {
    std::set<uint32_t> versions;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() != ".tdict") continue;
      std::ifstream f(e.path(), std::ios::binary);
      std::string head(12, '\0');
      f.read(head.data(), 12);
      versions.insert(index::FrameVersion(head));
    }
    return versions;
  };
  IndexWriterOptions opts;
  opts.threads = 1;
  opts.auto_merge = false;
  {
    auto w = IndexWriter::Open(dir, opts);
    ASSERT_TRUE(w.ok()) << w.status();
    ASSERT_TRUE(
        (*w)->AddDocument({"e", {{"title", "Subsidy"}, {"text", "A united front subsidy."}}}).ok());
    ASSERT_TRUE(
        (*w)->AddDocument({"a", {{"title", "Replaced"}, {"text", "No longer about that."}}}).ok());
    ASSERT_TRUE((*w)->DeleteDocument("d").ok());
    ASSERT_TRUE((*w)->Commit().ok());
  }
  EXPECT_EQ(frame_versions(), (std::set<uint32_t>{1u, index::kFormatVersion}));
  auto check = [&](const char* when) {
    auto d = index::OpenFsDirectory(dir, false);
    ASSERT_TRUE(d.ok());
    index::CheckReport rep = index::CheckIndex(d->get());
    EXPECT_TRUE(rep.ok()) << when << ": " << (rep.problems.empty() ? "" : rep.problems[0]);
    auto reader = IndexReader::Open(dir, {.verify_checksums = true});
    ASSERT_TRUE(reader.ok()) << reader.status();
    EXPECT_EQ((*reader)->num_docs(), 3u) << when;  // a (replaced), b, e
    auto searcher = Searcher::Create(*reader);
    ASSERT_TRUE(searcher.ok());
    const SearchOptions search;
    auto r = (*searcher)->Search("subsidy", search);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->hits.size(), 1u) << when;
    EXPECT_EQ(r->hits[0].id, "e");
    r = (*searcher)->Search("\"united front\"", search);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->hits.size(), 1u) << when;  // the old "a" is deleted
    EXPECT_EQ(r->hits[0].id, "e");
    EXPECT_TRUE((*reader)->Find("a").ok());
    EXPECT_FALSE((*reader)->Find("d").ok());
  };
  check("mixed versions");
  {
    auto w = IndexWriter::Open(dir, opts);
    ASSERT_TRUE(w.ok()) << w.status();
    ASSERT_TRUE((*w)->ForceMerge(1).ok());
  }
  EXPECT_EQ(frame_versions(), (std::set<uint32_t>{index::kFormatVersion}));
  check("after the merge");
  std::filesystem::remove_all(dir);
}

// The same documents written today carry their surface forms (.surf): a prefix matches the words
// as written, so "committee*" finds what "committee" finds.
TEST(GoldenWrite, CurrentWriterAddsSurfaceFormsForPrefixes) {
  const std::string out = ::testing::TempDir() + "/scour_golden_surfaces";
  WriteGolden(out);
  EXPECT_TRUE(std::filesystem::exists(out + "/s00000001.surf"));
  auto dir = index::OpenFsDirectory(out, false);
  ASSERT_TRUE(dir.ok()) << dir.status();
  index::CheckReport rep = index::CheckIndex(dir->get());
  EXPECT_TRUE(rep.ok()) << (rep.problems.empty() ? "" : rep.problems[0]);
  auto reader = IndexReader::Open(out, {.verify_checksums = true});
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto searcher = Searcher::Create(*reader);
  ASSERT_TRUE(searcher.ok());
  auto ids = [&](const std::string& q) {
    std::set<std::string> got;
    auto r = (*searcher)->Search(q, SearchOptions{});
    EXPECT_TRUE(r.ok()) << r.status();
    if (r.ok())
      for (const auto& h : r->hits) got.insert(h.id);
    return got;
  };
  EXPECT_EQ(ids("committee*"), (std::set<std::string>{"a", "b"}));
  EXPECT_EQ(ids("committee*"), ids("committee"));
  // Only a writes "committees", but prefixes match through terms: "committe" is b's too.
  EXPECT_EQ(ids("Committees*"), (std::set<std::string>{"a", "b"}));
  EXPECT_EQ(ids("unite*"), (std::set<std::string>{"a"}));  // "United" -> "unit"
  EXPECT_TRUE(ids("jinping*").empty());  // "Jinping’s" is only in the replaced "b"
  EXPECT_EQ(ids("commit*"), (std::set<std::string>{"a", "b"}));  // the stems still match
  EXPECT_EQ(ids("subsidie*"), (std::set<std::string>{"d"}));     // "subsidies" -> "subsidi"
  EXPECT_TRUE(ids("committeez*").empty());
  std::filesystem::remove_all(out);
}

// The writer of today produces the current version's golden files byte for byte (the files
// depend only on the documents and the options: no clocks, no randomness). Files the golden
// folder lacks (.surf, added later and optional) are not compared.
TEST(GoldenWrite, CurrentWriterReproducesCurrentGolden) {
  const std::string out = ::testing::TempDir() + "/scour_golden_rewrite";
  WriteGolden(out);
  const std::string golden = GoldenDir(index::kFormatVersion);
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(golden)) {
    const std::string name = e.path().filename().string();
    if (name == "write.lock") continue;
    std::ifstream a(e.path(), std::ios::binary), b(out + "/" + name, std::ios::binary);
    ASSERT_TRUE(b.good()) << name << " not written";
    std::string da((std::istreambuf_iterator<char>(a)), {}),
        db((std::istreambuf_iterator<char>(b)), {});
    EXPECT_EQ(da, db) << name << " differs from the golden file";
    ++files;
  }
  EXPECT_GE(files, 10u);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace scour
