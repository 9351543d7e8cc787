#include "base/coding.h"

#include <random>

#include "gtest/gtest.h"

namespace scour {
namespace {

TEST(Coding, VarintRoundTrip) {
  std::mt19937_64 rng(1);
  std::string buf;
  std::vector<uint64_t> vals = {0, 1, 127, 128, 16383, 16384, UINT32_MAX, UINT64_MAX};
  for (int i = 0; i < 1000; ++i) vals.push_back(rng() >> (rng() % 64));
  for (uint64_t v : vals) PutVarint64(&buf, v);
  ByteReader r(buf);
  for (uint64_t v : vals) EXPECT_EQ(r.Varint64(), v);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(Coding, TruncatedVarintFails) {
  std::string buf;
  PutVarint64(&buf, 1u << 30);
  buf.pop_back();
  ByteReader r(buf);
  r.Varint64();
  EXPECT_FALSE(r.ok());
}

TEST(Coding, OverlongVarintFails) {
  std::string buf(11, '\x80');
  ByteReader r(buf);
  r.Varint64();
  EXPECT_FALSE(r.ok());
}

// Two lengths in a byte: one byte while both are below 15, escapes for the rest; a cut escape
// fails the reader.
TEST(Coding, NibblePairRoundTrip) {
  std::vector<std::pair<uint64_t, uint64_t>> pairs;
  for (uint64_t a = 0; a < 20; ++a)
    for (uint64_t b = 0; b < 20; ++b) pairs.emplace_back(a, b);
  pairs.emplace_back(300, 0);
  pairs.emplace_back(0, 1u << 20);
  std::string buf;
  for (auto [a, b] : pairs) {
    const size_t before = buf.size();
    PutNibblePair(&buf, a, b);
    if (a < 15 && b < 15) {
      EXPECT_EQ(buf.size() - before, 1u);
    }
  }
  ByteReader r(buf);
  for (auto [a, b] : pairs) {
    uint64_t x = 0, y = 0;
    GetNibblePair(&r, &x, &y);
    EXPECT_EQ(x, a);
    EXPECT_EQ(y, b);
  }
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.remaining(), 0u);
  std::string cut;
  PutNibblePair(&cut, 3, 200);
  cut.pop_back();
  ByteReader rc(cut);
  uint64_t x, y;
  GetNibblePair(&rc, &x, &y);
  EXPECT_FALSE(rc.ok());
}

TEST(Coding, ReaderNeverReadsPastEnd) {
  std::string buf = "abc";
  ByteReader r(buf);
  EXPECT_EQ(r.U32(), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.Bytes(1).size(), 0u);
}

TEST(Coding, FixedLittleEndian) {
  std::string buf;
  PutFixed32(&buf, 0x01020304);
  PutFixed64(&buf, 0x0102030405060708ULL);
  EXPECT_EQ(buf[0], 4);
  EXPECT_EQ(buf[4], 8);
  ByteReader r(buf);
  EXPECT_EQ(r.U32(), 0x01020304u);
  EXPECT_EQ(r.U64(), 0x0102030405060708ULL);
}

}  // namespace
}  // namespace scour
