// File names are made and recognised in one place: every name made parses back to what it was
// made from, and near misses (other spellings of the same number, unknown parts, suffixes,
// foreign files) parse to nothing, so cleanup never takes them for its own.
#include "index/format/file_names.h"

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace scour::index {
namespace {

TEST(FileNames, MadeNamesAreTheDocumentedOnes) {
  EXPECT_EQ(SegmentName(42), "s0000002a");
  EXPECT_EQ(SegmentFileName(42, FileKind::kTermDict), "s0000002a.tdict");
  EXPECT_EQ(SegmentFileName(1, FileKind::kPostings), "s00000001.post");
  EXPECT_EQ(SegmentFileName(1, FileKind::kPositions), "s00000001.pos");
  EXPECT_EQ(SegmentFileName(1, FileKind::kNorms), "s00000001.norms");
  EXPECT_EQ(SegmentFileName(1, FileKind::kStored), "s00000001.store");
  EXPECT_EQ(SegmentFileName(1, FileKind::kSegmentInfo), "s00000001.info");
  EXPECT_EQ(SegmentFileName(uint64_t{1} << 32, FileKind::kPostings), "s100000000.post");
  EXPECT_EQ(DeletesFileName(1, 2), "s00000001_2.del");
  EXPECT_EQ(DeletesFileName(0xabc, 0x1f), "s00000abc_1f.del");
  EXPECT_EQ(SynonymsFileName(1), "synonyms_1.syn");
  EXPECT_EQ(SynonymsFileName(0x2a), "synonyms_2a.syn");
  EXPECT_EQ(SegmentFileExtension(FileKind::kSynonyms), nullptr);
  EXPECT_EQ(SegmentFileExtension(FileKind::kManifest), nullptr);
  EXPECT_EQ(SegmentFileExtension(FileKind::kDeletes), nullptr);
}

TEST(FileNames, EveryMadeNameParsesBack) {
  std::mt19937_64 rng(14);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t n = rng() >> (rng() % 64), g = rng() >> (rng() % 64);
    for (FileKind kind : kSegmentFileKinds) {
      const std::string name = SegmentFileName(n, kind);
      auto p = ParseFileName(name);
      ASSERT_TRUE(p.has_value()) << name;
      EXPECT_EQ(p->type, FileType::kSegment);
      EXPECT_EQ(p->segment, n);
      EXPECT_EQ(p->kind, kind);
    }
    const std::string del = DeletesFileName(n, g);
    auto p = ParseFileName(del);
    ASSERT_TRUE(p.has_value()) << del;
    EXPECT_EQ(p->type, FileType::kDeletes);
    EXPECT_EQ(p->kind, FileKind::kDeletes);
    EXPECT_EQ(p->segment, n);
    EXPECT_EQ(p->generation, g);
    const std::string syn = SynonymsFileName(g);
    p = ParseFileName(syn);
    ASSERT_TRUE(p.has_value()) << syn;
    EXPECT_EQ(p->type, FileType::kSynonyms);
    EXPECT_EQ(p->kind, FileKind::kSynonyms);
    EXPECT_EQ(p->generation, g);
  }
  EXPECT_EQ(ParseFileName(kManifestFileName)->type, FileType::kManifest);
  EXPECT_EQ(ParseFileName(kManifestTempFileName)->type, FileType::kManifestTemp);
  EXPECT_EQ(ParseFileName(kWriteLockFileName)->type, FileType::kWriteLock);
}

TEST(FileNames, NearMissesAndForeignFilesParseToNothing) {
  for (const char* name : {"",
                           "s",
                           "s.",
                           "s.post",
                           "s0000001.post",
                           "s000000001.post",
                           "s0000000A.post",
                           "s0000000g.post",
                           "S00000001.post",
                           "s00000001",
                           "s00000001.",
                           "s00000001.postx",
                           "s00000001.post.bak",
                           "s00000001.tmp",
                           "s00000001.del",
                           "s00000001_.del",
                           "s00000001_02.del",
                           "s00000001_2.del~",
                           "s00000001_2_3.del",
                           "s1000000000000000a.post",
                           "s00000001.Post",
                           "MANIFEST.tmp2",
                           "MANIFEST~",
                           "manifest",
                           "write.lock.1",
                           "sfoo.txt",
                           "notes.txt",
                           "scour.log",
                           "s-user.txt",
                           ".s00000001.post",
                           "synonyms_.syn",
                           "synonyms_01.syn",
                           "synonyms_A.syn",
                           "synonyms_1.syn.bak",
                           "synonyms_1.txt",
                           "synonyms.syn",
                           "synonyms_1_2.syn",
                           "synonyms_10000000000000000.syn",
                           "Synonyms_1.syn"}) {
    EXPECT_FALSE(ParseFileName(name).has_value()) << name;
  }
  // A name of a kind and a number, spelled as made, is exactly one file.
  EXPECT_TRUE(ParseFileName("s00000000.post").has_value());
  EXPECT_TRUE(ParseFileName("sffffffffffffffff_ffffffffffffffff.del").has_value());
  EXPECT_TRUE(ParseFileName("synonyms_0.syn").has_value());
  EXPECT_TRUE(ParseFileName("synonyms_ffffffffffffffff.syn").has_value());
}

}  // namespace
}  // namespace scour::index
