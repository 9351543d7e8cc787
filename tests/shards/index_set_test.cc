// The INDEXSET manifest (docs/format/index-set.md): round trip, every corrupted byte detected,
// and each body rule broken under a valid frame, with the body offset in the message.
#include "shards/index_set.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "base/coding.h"
#include "gtest/gtest.h"
#include "index/directory/directory.h"
#include "index/format/file_format.h"

namespace scour::shards {
namespace {

// `body` framed as a file of `kind` (a valid CRC, so only the body rules can fail).
std::string Framed(const std::string& body, index::FileKind kind = index::FileKind::kIndexSet) {
  auto dir = index::NewMemDirectory();
  auto w = index::FramedWriter::Create(dir.get(), "f", kind);
  EXPECT_TRUE(w.ok());
  EXPECT_TRUE(w->Append(body).ok());
  EXPECT_TRUE(w->Finish().ok());
  return std::string((*dir->Open("f"))->data());
}

std::string Body(uint32_t version, uint8_t routing, uint32_t n,
                 const std::vector<std::string>& names) {
  std::string b;
  PutFixed32(&b, version);
  b.push_back(static_cast<char>(routing));
  PutFixed32(&b, n);
  for (const auto& name : names) {
    PutVarint64(&b, name.size());
    b += name;
  }
  return b;
}

TEST(IndexSetTest, RoundTrip) {
  IndexSetManifest m;
  for (uint32_t i = 0; i < 5; ++i) m.shards.push_back(DefaultShardName(i));
  auto bytes = SerializeIndexSet(m);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  // The layout of docs/format/index-set.md: header, version, routing, count, names, footer.
  EXPECT_EQ(bytes->size(), 12u + 9u + 5u * 11u + 16u);
  EXPECT_EQ(*bytes, Framed(Body(1, 1, 5, m.shards)));
  auto back = ParseIndexSet(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->shards, m.shards);
  EXPECT_EQ(back->routing, kRoutingFnv1a64);
  EXPECT_EQ(m.shards[3], "shard-0003");
}

// The fuzzer's seed was written by an independent Python script from the format document (its
// own CRC-32C): the writer must produce those bytes.
TEST(IndexSetTest, MatchesTheDocumentedBytes) {
  std::ifstream in(
      std::string(SCOUR_SOURCE_DIR) + "/fuzz/corpus/index_set_fuzzer/seed_three_shards",
      std::ios::binary);
  const std::string seed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  IndexSetManifest m;
  for (uint32_t i = 0; i < 3; ++i) m.shards.push_back(DefaultShardName(i));
  EXPECT_EQ(*SerializeIndexSet(m), seed);
}

TEST(IndexSetTest, EveryFlippedByteIsDetected) {
  IndexSetManifest m{kRoutingFnv1a64, {"a", "bb"}};
  const std::string good = *SerializeIndexSet(m);
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] ^= 0x20;
    EXPECT_FALSE(ParseIndexSet(bad).ok()) << "byte " << i;
  }
  for (size_t n = 0; n < good.size(); ++n)
    EXPECT_FALSE(ParseIndexSet(good.substr(0, n)).ok()) << "truncated to " << n;
}

TEST(IndexSetTest, BodyRulesNameTheOffset) {
  struct Case {
    std::string body;
    absl::StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {Body(7, 1, 1, {"a"}), absl::StatusCode::kFailedPrecondition, "set format version 7"},
      {Body(1, 2, 1, {"a"}), absl::StatusCode::kFailedPrecondition, "body offset 4: routing 2"},
      {Body(1, 1, 0, {}), absl::StatusCode::kDataLoss, "body offset 5: shard count 0"},
      {Body(1, 1, 5000, {}), absl::StatusCode::kDataLoss, "body offset 5: shard count 5000"},
      {Body(1, 1, 1, {""}), absl::StatusCode::kDataLoss, "body offset 9: shard name length 0"},
      {Body(1, 1, 2, {"a"}), absl::StatusCode::kDataLoss, "body offset 11: truncated: shard 1"},
      {Body(1, 1, 2, {"a", "a"}), absl::StatusCode::kDataLoss,
       "body offset 12: shard name \"a\" listed twice"},
      {Body(1, 1, 1, {".."}), absl::StatusCode::kDataLoss, "body offset 10: shard name \"..\""},
      {Body(1, 1, 1, {"a/b"}), absl::StatusCode::kDataLoss, "body offset 10: shard name holds"},
      {Body(1, 1, 1, {"\xff"}), absl::StatusCode::kDataLoss, "body offset 10: shard name is not"},
      {Body(1, 1, 1, {"a"}) + "x", absl::StatusCode::kDataLoss,
       "body offset 11: 1 bytes after the last shard"},
      {Body(1, 1, 1, {}).substr(0, 7), absl::StatusCode::kDataLoss, "body offset 5: truncated"},
      {std::string("\x01\0\0", 3), absl::StatusCode::kDataLoss, "body offset 0: truncated"},
  };
  for (const Case& c : cases) {
    auto r = ParseIndexSet(Framed(c.body));
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_EQ(r.status().code(), c.code) << r.status();
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << r.status();
  }
  // Another kind of file (a MANIFEST) is not an index set.
  auto r = ParseIndexSet(Framed(Body(1, 1, 1, {"a"}), index::FileKind::kManifest));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
}

TEST(IndexSetTest, SerializeRejectsBadManifests) {
  EXPECT_FALSE(SerializeIndexSet({kRoutingFnv1a64, {}}).ok());
  EXPECT_FALSE(SerializeIndexSet({kRoutingFnv1a64, {"a", "a"}}).ok());
  EXPECT_FALSE(SerializeIndexSet({kRoutingFnv1a64, {"x/y"}}).ok());
  EXPECT_FALSE(SerializeIndexSet({9, {"a"}}).ok());
}

TEST(IndexSetTest, WriteReadOnDisk) {
  const auto dir = std::filesystem::path(testing::TempDir()) / "index_set_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  EXPECT_FALSE(IsIndexSet(dir.string()));
  EXPECT_EQ(ReadIndexSet(dir.string()).status().code(), absl::StatusCode::kNotFound);
  auto d = index::OpenFsDirectory(dir.string(), false);
  ASSERT_TRUE(d.ok());
  IndexSetManifest m{kRoutingFnv1a64, {"s0", "s1"}};
  ASSERT_TRUE(WriteIndexSet(d->get(), m).ok());
  EXPECT_TRUE(IsIndexSet(dir.string()));
  EXPECT_FALSE(std::filesystem::exists(dir / "INDEXSET.tmp"));
  auto back = ReadIndexSet(dir.string());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->shards, m.shards);
  EXPECT_EQ(ShardPaths(dir.string(), *back)[1], (dir / "s1").string());
}

TEST(IndexSetTest, RoutingIsFnv1a64) {
  // Published FNV-1a 64 vectors: "" and "a".
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(ShardOf("a", 7), 0xaf63dc4c8601ec8cull % 7);
  for (uint32_t n = 1; n < 9; ++n) EXPECT_LT(ShardOf("doc-17", n), n);
}

}  // namespace
}  // namespace scour::shards
