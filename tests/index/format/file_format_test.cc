#include "index/format/file_format.h"

#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "gtest/gtest.h"

namespace scour::index {
namespace {

// Builds a framed file by hand from the documented layout (docs/format/framing.md), so the
// reader is checked against the spec rather than against FramedWriter alone.
std::string HandFramed(std::string_view body, uint32_t kind, uint32_t version) {
  std::string f = "SCR1";
  PutFixed32(&f, kind);
  PutFixed32(&f, version);
  f.append(body);
  const uint32_t crc = crc32c::Value(f);
  PutFixed64(&f, f.size());
  PutFixed32(&f, crc);
  f.append("1RCS");
  return f;
}

std::string WriteFramed(Directory* dir, const std::string& name, FileKind kind,
                        const std::vector<std::string>& chunks) {
  auto w = FramedWriter::Create(dir, name, kind);
  EXPECT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->offset(), kHeaderSize);
  uint64_t expect = kHeaderSize;
  for (const auto& c : chunks) {
    EXPECT_TRUE(w->Append(c).ok());
    expect += c.size();
    EXPECT_EQ(w->offset(), expect);
  }
  EXPECT_TRUE(w->Finish().ok());
  EXPECT_FALSE(w->Append("x").ok());  // finished
  auto f = dir->Open(name);
  EXPECT_TRUE(f.ok()) << f.status();
  return std::string((*f)->data());
}

TEST(FileFormat, RoundTripMatchesHandBuiltFrame) {
  auto dir = NewMemDirectory();
  std::mt19937 rng(1);
  for (size_t len : {0, 1, 7, 100, 5000}) {
    std::string body(len, '\0');
    for (auto& c : body) c = static_cast<char>(rng());
    std::vector<std::string> chunks;
    for (size_t i = 0; i < len;) {
      size_t n = std::min<size_t>(len - i, rng() % 300);
      chunks.push_back(body.substr(i, n));
      i += n;
    }
    std::string file = WriteFramed(dir.get(), "f", FileKind::kPostings, chunks);
    EXPECT_EQ(file, HandFramed(body, 3, kFormatVersion));
    EXPECT_EQ(file.size(), kHeaderSize + len + kFooterSize);
    auto got = CheckFrame(file, FileKind::kPostings, "f");
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, body);
    EXPECT_EQ(got->data(), file.data() + kHeaderSize);  // a view into the file, not a copy
    auto structure = CheckFrameStructure(file, FileKind::kPostings, "f");
    ASSERT_TRUE(structure.ok());
    EXPECT_EQ(*structure, body);
  }
}

TEST(FileFormat, EveryFlippedByteIsDetected) {
  std::string file = HandFramed("a small body of postings", 3, 1);
  ASSERT_TRUE(CheckFrame(file, FileKind::kPostings, "seg.post").ok());
  for (size_t i = 0; i < file.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::string bad = file;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      auto r = CheckFrame(bad, FileKind::kPostings, "seg.post");
      ASSERT_FALSE(r.ok()) << "byte " << i;
      EXPECT_TRUE(absl::IsDataLoss(r.status())) << i << " " << r.status();
      EXPECT_NE(r.status().message().find("seg.post"), std::string_view::npos);
    }
  }
}

TEST(FileFormat, ChecksumMismatchNamesBothValues) {
  std::string file = HandFramed("body", 3, 1);
  file[kHeaderSize] ^= 1;
  auto r = CheckFrame(file, FileKind::kPostings, "x");
  ASSERT_TRUE(absl::IsDataLoss(r.status()));
  const uint32_t stored = DecodeFixed32(file.data() + file.size() - 8);
  const uint32_t computed = crc32c::Value(std::string_view(file).substr(0, file.size() - 16));
  char want[64];
  std::snprintf(want, sizeof(want), "stored 0x%08x, computed 0x%08x", stored, computed);
  EXPECT_NE(r.status().message().find(want), std::string_view::npos) << r.status();
  // The structure-only check does not read the body, so it accepts this file.
  EXPECT_TRUE(CheckFrameStructure(file, FileKind::kPostings, "x").ok());
}

TEST(FileFormat, EveryTruncationAndExtensionIsDetected) {
  std::string file = HandFramed("some body bytes here", 2, 1);
  for (size_t n = 0; n < file.size(); ++n) {
    auto r = CheckFrame(file.substr(0, n), FileKind::kTermDict, "t");
    EXPECT_TRUE(absl::IsDataLoss(r.status())) << n << " " << r.status();
    EXPECT_TRUE(absl::IsDataLoss(
        CheckFrameStructure(file.substr(0, n), FileKind::kTermDict, "t").status()));
  }
  EXPECT_TRUE(absl::IsDataLoss(CheckFrame(file + "x", FileKind::kTermDict, "t").status()));
  EXPECT_TRUE(absl::IsDataLoss(CheckFrame(file + file, FileKind::kTermDict, "t").status()));
  auto r = CheckFrame(file.substr(0, 10), FileKind::kTermDict, "t");
  EXPECT_NE(r.status().message().find("truncated"), std::string_view::npos) << r.status();
}

TEST(FileFormat, LengthMismatchReported) {
  // A well-formed footer whose length field disagrees with the file size.
  std::string file = HandFramed("body", 3, 1);
  EncodeFixed64(file.data() + file.size() - 16, 3);
  auto r = CheckFrame(file, FileKind::kPostings, "p");
  EXPECT_TRUE(absl::IsDataLoss(r.status()));
  EXPECT_NE(r.status().message().find("length mismatch"), std::string_view::npos) << r.status();
}

TEST(FileFormat, UnknownVersionIsFailedPrecondition) {
  for (uint32_t version : {0u, kFormatVersion + 1}) {
    std::string file = HandFramed("body", 3, version);
    auto r = CheckFrame(file, FileKind::kPostings, "p");
    EXPECT_TRUE(absl::IsFailedPrecondition(r.status())) << r.status();
    EXPECT_NE(r.status().message().find(absl::StrCat("unknown format version ", version,
                                                     " (supported: 1 to ", kFormatVersion, ")")),
              std::string_view::npos)
        << r.status();
    EXPECT_TRUE(
        absl::IsFailedPrecondition(CheckFrameStructure(file, FileKind::kPostings, "p").status()));
  }
}

TEST(FileFormat, BothVersionsAccepted) {
  for (uint32_t version : {1u, 2u}) {
    std::string file = HandFramed("body", 3, version);
    auto r = CheckFrame(file, FileKind::kPostings, "p");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(*r, "body");
    EXPECT_EQ(FrameVersion(file), version);
  }
}

TEST(FileFormat, WrongKindIsInvalidArgument) {
  auto dir = NewMemDirectory();
  std::string file = WriteFramed(dir.get(), "n", FileKind::kNorms, {"abc"});
  auto r = CheckFrame(file, FileKind::kPostings, "n");
  EXPECT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  EXPECT_NE(r.status().message().find("expected postings (3), found norms (5)"),
            std::string_view::npos)
      << r.status();
  auto u = CheckFrame(HandFramed("", 99, 1), FileKind::kManifest, "m");
  EXPECT_TRUE(absl::IsInvalidArgument(u.status()));
  EXPECT_NE(u.status().message().find("unknown (99)"), std::string_view::npos) << u.status();
}

TEST(FileFormat, KindNames) {
  EXPECT_STREQ(FileKindName(FileKind::kManifest), "manifest");
  EXPECT_STREQ(FileKindName(FileKind::kSegmentInfo), "segment info");
  EXPECT_STREQ(FileKindName(static_cast<FileKind>(0)), "unknown");
}

}  // namespace
}  // namespace scour::index
