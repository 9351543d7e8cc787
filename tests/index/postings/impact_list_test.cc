// Impact lists (.post format 4, docs/format/README.md "Pareto impacts"): the frontier against a
// brute-force one on random blocks, the cut, the bytes, the decoder's rejections, and an index
// whose lists SegmentPostings reads back and `check` verifies (a damaged list is reported).
#include "index/postings/impact_list.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "base/coding.h"
#include "base/crc32c.h"
#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/format/file_format.h"
#include "index/format/file_names.h"
#include "index/inspect/checker.h"
#include "index/postings/segment_postings.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"

namespace scour::index {
namespace {

// Every distinct (tf, norm) of the block that no other document dominates, tf increasing.
std::vector<ImpactPair> BruteFrontier(const std::vector<uint32_t>& tfs,
                                      const std::vector<uint8_t>& norms) {
  std::vector<ImpactPair> out;
  for (size_t i = 0; i < tfs.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < tfs.size() && !dominated; ++j) {
      const bool same = tfs[j] == tfs[i] && norms[j] == norms[i];
      dominated = !same && tfs[j] >= tfs[i] && norms[j] <= norms[i];
    }
    const ImpactPair p{tfs[i], norms[i]};
    if (!dominated && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.tf < b.tf; });
  return out;
}

bool Bounds(const std::vector<ImpactPair>& pairs, uint32_t tf, uint8_t norm) {
  for (const auto& p : pairs)
    if (p.tf >= tf && p.norm <= norm) return true;
  return false;
}

TEST(ImpactList, FrontierEqualsBruteForceOnRandomBlocks) {
  std::mt19937 rng(19);
  for (int round = 0; round < 2000; ++round) {
    const size_t n = 1 + rng() % kBlockSize;
    const uint32_t max_tf = round % 3 == 0 ? 3 : (round % 3 == 1 ? 40 : 100000);
    const int norm_span = round % 2 == 0 ? 8 : 256;
    std::vector<uint32_t> tfs(n);
    std::vector<uint8_t> norms(n);
    for (size_t i = 0; i < n; ++i) {
      tfs[i] = 1 + rng() % max_tf;
      norms[i] = static_cast<uint8_t>(rng() % norm_span);
    }
    ImpactPair f[kBlockSize];
    const size_t m = ParetoFrontier(tfs.data(), norms.data(), n, f);
    const auto want = BruteFrontier(tfs, norms);
    ASSERT_EQ(std::vector<ImpactPair>(f, f + m), want) << "round " << round;
    ASSERT_EQ(f[m - 1].tf, *std::max_element(tfs.begin(), tfs.end()));
    ASSERT_EQ(f[0].norm, *std::min_element(norms.begin(), norms.end()));

    // The cut keeps a bound of every document, both orders strict, the ends unchanged.
    const size_t max = 1 + rng() % 6;
    const size_t c = CutFrontier(f, m, max);
    ASSERT_EQ(c, std::min(m, max));
    std::vector<ImpactPair> cut(f, f + c);
    for (size_t i = 0; i < n; ++i) ASSERT_TRUE(Bounds(cut, tfs[i], norms[i])) << round;
    for (size_t i = 1; i < c; ++i)
      ASSERT_TRUE(cut[i].tf > cut[i - 1].tf && cut[i].norm > cut[i - 1].norm);
    ASSERT_EQ(cut.back().tf, want.back().tf);
    ASSERT_EQ(cut.front().norm, want.front().norm);

    // Round trip through the bytes.
    std::string bytes;
    AppendImpactList(f, c, &bytes);
    ASSERT_EQ(static_cast<uint8_t>(bytes[0]), bytes.size() - 1);
    ImpactPair back[kMaxImpactPairs];
    bool malformed = true;
    const size_t k = DecodeImpactList(bytes.data() + 1, bytes.size() - 1, back, &malformed);
    ASSERT_FALSE(malformed);
    if (c == 1) {
      ASSERT_EQ(k, 0u);  // one pair: the skip entry's impact, no bytes
    } else {
      ASSERT_EQ(std::vector<ImpactPair>(back, back + k), cut);
    }
  }
  ImpactPair f[1];
  const uint32_t tf = 5;
  EXPECT_EQ(ParetoFrontier(&tf, nullptr, 1, f), 1u);  // no norms: all 0
  EXPECT_EQ(f[0], (ImpactPair{5, 0}));
}

// The cut merges the adjacent pairs whose norms differ least, the first such.
TEST(ImpactList, CutMergesClosestNorms) {
  ImpactPair f[] = {{1, 10}, {2, 12}, {3, 20}, {4, 21}, {5, 40}};
  EXPECT_EQ(CutFrontier(f, 5, 4), 4u);  // {3,20},{4,21} -> {4,20}
  EXPECT_EQ(std::vector<ImpactPair>(f, f + 4),
            (std::vector<ImpactPair>{{1, 10}, {2, 12}, {4, 20}, {5, 40}}));
  EXPECT_EQ(CutFrontier(f, 4, 3), 3u);  // {1,10},{2,12} -> {2,10}
  EXPECT_EQ(std::vector<ImpactPair>(f, f + 3),
            (std::vector<ImpactPair>{{2, 10}, {4, 20}, {5, 40}}));
}

TEST(ImpactList, BytesAsSpecified) {
  const ImpactPair f[] = {{1, 3}, {200, 7}};
  std::string out;
  AppendImpactList(f, 2, &out);
  EXPECT_EQ(out, std::string("\x05\x01\x03\xc8\x01\x07", 6));
  out.clear();
  AppendImpactList(f, 1, &out);
  EXPECT_EQ(out, std::string(1, '\0'));
}

TEST(ImpactList, DecoderRejectsMalformedLists) {
  ImpactPair out[kMaxImpactPairs];
  bool malformed = false;
  auto decode = [&](const std::string& s) {
    return DecodeImpactList(s.data(), s.size(), out, &malformed);
  };
  EXPECT_EQ(decode(""), 0u);
  EXPECT_FALSE(malformed);
  EXPECT_EQ(decode(std::string("\x01\x03\x02\x05", 4)), 2u);
  EXPECT_FALSE(malformed);
  for (const std::string& bad : {std::string("\x01\x03", 2),          // one pair
                                 std::string("\x01\x03\x02", 3),      // norm missing
                                 std::string("\x01\x03\x80", 3),      // tf cut short
                                 std::string("\x02\x03\x01\x05", 4),  // tf decreasing
                                 std::string("\x01\x03\x02\x03", 4),  // norm not increasing
                                 std::string("\x01\x03\xff\xff\xff\xff\xff\x7f\x05", 9)}) {
    EXPECT_EQ(decode(bad), 0u);
    EXPECT_TRUE(malformed) << bad.size();
  }
  std::string seventeen;
  for (int i = 0; i < 17; ++i) seventeen += {static_cast<char>(i + 1), static_cast<char>(i)};
  EXPECT_EQ(decode(seventeen), 0u);
  EXPECT_TRUE(malformed);
  seventeen.resize(32);
  EXPECT_EQ(decode(seventeen), 16u);
}

// An index whose term "zebra" has 3 full blocks with varied (tf, length): SegmentPostings gives
// each block's frontier, `check` passes, and a damaged list (CRC repaired) is reported.
class ImpactListIndex : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/scour_impact_lists";
    std::filesystem::remove_all(dir_);
    IndexWriterOptions o;
    o.threads = 1;
    auto w = IndexWriter::Open(dir_, o);
    ASSERT_TRUE(w.ok()) << w.status();
    for (int i = 0; i < 400; ++i) {
      std::string text;
      for (int k = 0; k < 1 + (i * 7) % 5; ++k) text += "zebra ";
      for (int k = 0; k < (i * 13) % 41; ++k) text += "filler ";
      ASSERT_TRUE((*w)->AddDocument({"d" + std::to_string(i), {{"text", text}}}).ok());
    }
    ASSERT_TRUE((*w)->Commit().ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(ImpactListIndex, ListsAreTheBlocksFrontiersAndCheckCatchesADamagedOne) {
  uint64_t list_offset = 0;  // where block 1's list bytes start in the .post file
  std::string post_name;
  {
    auto reader = IndexReader::Open(dir_, {.verify_checksums = true});
    ASSERT_TRUE(reader.ok()) << reader.status();
    const Snapshot& snap = SnapshotOf(**reader);
    ASSERT_EQ(snap.segments.size(), 1u);
    const SegmentReader& seg = *snap.segments[0];
    EXPECT_EQ(FrameVersion(seg.post_file()), kFormatVersion);
    const auto& fields = snap.manifest.fields;
    const uint32_t field =
        static_cast<uint32_t>(std::find(fields.begin(), fields.end(), "text") - fields.begin());
    ASSERT_LT(field, fields.size());
    auto info = seg.Lookup(field, "zebra");
    ASSERT_TRUE(info.ok() && info->has_value());
    ASSERT_EQ((*info)->df, 400u);
    const uint8_t* norms = seg.norms(field);
    SegmentPostings p = seg.Postings(field, **info);
    ASSERT_TRUE(p.has_impact_lists());
    size_t with_pairs = 0;
    for (uint32_t b = 0; b < 3; ++b) {
      std::vector<uint32_t> tfs;
      std::vector<uint8_t> ns;
      p.ShallowAdvance(p.doc());
      ImpactPair got[kMaxImpactPairs];
      const uint32_t m = p.BlockImpacts(got);
      if (b == 1) {
        ASSERT_GT(p.BlockImpactBytes().size(), 0u);
        list_offset = p.BlockImpactBytes().data() - seg.post_file().data();
      }
      for (size_t i = 0; i < kBlockSize; ++i, p.Next()) {
        tfs.push_back(p.freq());
        ns.push_back(norms[p.doc()]);
      }
      const auto want = BruteFrontier(tfs, ns);
      ASSERT_LE(want.size(), kMaxImpactPairs);
      EXPECT_EQ(std::vector<ImpactPair>(got, got + m), want) << "block " << b;
      with_pairs += m >= 2;
    }
    EXPECT_EQ(with_pairs, 3u);
    ImpactPair tail[kMaxImpactPairs];
    p.ShallowAdvance(p.doc());
    EXPECT_EQ(p.BlockImpacts(tail), 1u);  // the tail has no list: the list impact
    EXPECT_TRUE(p.ok());
    post_name = SegmentFileName(seg.ref().number, FileKind::kPostings);
  }
  auto dir = OpenFsDirectory(dir_, false);
  ASSERT_TRUE(dir.ok());
  EXPECT_TRUE(CheckIndex(dir->get()).ok());

  // Flip the first pair's norm byte (after a one-byte tf: tfs here are below 128), then give
  // the file a valid CRC again, so only the list rule can catch it.
  const std::string path = dir_ + "/" + post_name;
  std::string file;
  {
    std::ifstream in(path, std::ios::binary);
    file.assign(std::istreambuf_iterator<char>(in), {});
  }
  file[list_offset + 1] ^= 0x01;
  const size_t body = file.size() - kFooterSize;
  std::string footer;
  PutFixed64(&footer, body);
  PutFixed32(&footer, crc32c::Value(std::string_view(file.data(), body)));
  file.replace(body, 12, footer);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(file.data(), static_cast<std::streamsize>(file.size()));
  }
  const CheckReport rep = CheckIndex(dir->get());
  ASSERT_FALSE(rep.ok());
  bool named = false;
  for (const auto& p : rep.problems) named |= p.find("impact list of block 1") != std::string::npos;
  EXPECT_TRUE(named) << rep.problems[0];
}

}  // namespace
}  // namespace scour::index
