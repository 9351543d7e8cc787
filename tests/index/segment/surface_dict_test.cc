// The surface-form dictionary (.surf): what the writer adds comes back in order, Seek finds the
// first key at or after any key (brute force over the sorted list), and damaged bytes give
// DataLoss, never a crash or a read outside the file.
#include "index/segment/surface_dict.h"

#include <zstd.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "base/coding.h"
#include "base/crc32c.h"
#include "gtest/gtest.h"
#include "index/format/file_format.h"
#include "index/segment/segment_format.h"

namespace scour::index {
namespace {

std::string Frame(std::string_view body, uint32_t version = kFormatVersion) {
  std::string out("SCR1");
  PutFixed32(&out, static_cast<uint32_t>(FileKind::kSurfaceForms));
  PutFixed32(&out, version);
  out.append(body);
  const uint64_t len = out.size();
  PutFixed64(&out, len);
  PutFixed32(&out, crc32c::Value(out));
  out.append("1RCS");
  return out;
}

struct Entry {
  std::string key, term;
};

std::vector<Entry> RandomEntries(std::mt19937* rng, size_t n) {
  std::vector<Entry> e;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t field = 1 + (*rng)() % 3 + ((*rng)() % 10 == 0 ? 300 : 0);  // 2-byte varints
    std::string word;
    // Mostly short words; some past 15 bytes, where the lengths' nibbles escape to a varint.
    const size_t len = 1 + (*rng)() % ((*rng)() % 8 == 0 ? 40 : 14);
    for (size_t k = 0; k < len; ++k) word.push_back("abcxyz\xc3\xa9"[(*rng)() % 8]);
    Entry x;
    AppendTermKey(field, word, &x.key);
    // A term: the word cut by 0..3 bytes plus 0..2 new ones, never the word itself.
    const size_t cut = std::min<size_t>((*rng)() % 4, word.size());
    x.term = word.substr(0, word.size() - cut) + std::string((*rng)() % 3, 'q');
    if (x.term == word) x.term += "i";
    e.push_back(std::move(x));
  }
  std::sort(e.begin(), e.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
  e.erase(std::unique(e.begin(), e.end(),
                      [](const Entry& a, const Entry& b) { return a.key == b.key; }),
          e.end());
  return e;
}

// Groups of 2 KiB here, so that a few hundred entries make several (files use 512 KiB).
std::string Write(const std::vector<Entry>& entries, size_t group_bytes = 2048) {
  SurfaceDictWriter w(group_bytes);
  for (const Entry& e : entries) w.Add(e.key, e.term);
  EXPECT_EQ(w.size(), entries.size());
  return Frame(w.Finish(kHeaderSize));
}

TEST(SurfaceDict, RoundTripAndSeekAgainstBruteForce) {
  std::mt19937 rng(14);
  for (size_t n : {0, 1, 31, 32, 33, 64, 1000, 5000}) {
    const std::vector<Entry> entries = RandomEntries(&rng, n);
    const std::string file = Write(entries, n == 1000 ? kSurfaceGroupBytes : 2048);
    auto r = SurfaceDictReader::Open(file, "t.surf");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->size(), entries.size());
    size_t i = 0;
    auto it = r->Seek("");
    for (; it.Valid(); it.Next(), ++i) {
      ASSERT_LT(i, entries.size());
      EXPECT_EQ(it.key(), entries[i].key);
      EXPECT_EQ(it.term(), entries[i].term);
    }
    EXPECT_TRUE(it.status().ok()) << it.status();
    EXPECT_EQ(i, entries.size());
    // Seek from existing keys, keys between, and keys past the end.
    for (int q = 0; q < 300; ++q) {
      std::string from;
      if (!entries.empty() && q % 2 == 0) {
        from = entries[rng() % entries.size()].key;
        if (q % 4 == 0) from.resize(from.size() - std::min<size_t>(from.size(), rng() % 3));
      } else {
        from = RandomEntries(&rng, 1)[0].key;
      }
      auto want = std::lower_bound(entries.begin(), entries.end(), from,
                                   [](const Entry& e, const std::string& k) { return e.key < k; });
      auto s = r->Seek(from);
      ASSERT_TRUE(s.status().ok());
      if (want == entries.end()) {
        EXPECT_FALSE(s.Valid()) << from;
      } else {
        ASSERT_TRUE(s.Valid()) << from;
        EXPECT_EQ(s.key(), want->key);
        EXPECT_EQ(s.term(), want->term);
      }
    }
  }
}

// The raw bytes of group `g` of a format-6 body that starts at kHeaderSize.
std::string RawGroup(std::string_view body, uint32_t g) {
  const size_t tail = body.size() - 16;
  const uint64_t index_off = DecodeFixed64(body.data() + tail) - kHeaderSize;
  const char* e = body.data() + index_off + 4 + size_t{g} * 24;
  const uint64_t off = DecodeFixed64(e) - kHeaderSize, key = DecodeFixed64(e + 8) - kHeaderSize;
  const uint32_t groups = DecodeFixed32(body.data() + index_off);
  const uint64_t end = g + 1 < groups ? DecodeFixed64(e + 24) - kHeaderSize : key;
  std::string raw(DecodeFixed32(e + 16), '\0');
  const size_t n = ZSTD_decompress(raw.data(), raw.size(), body.data() + off, end - off);
  EXPECT_EQ(n, raw.size());
  return raw;
}

TEST(SurfaceDict, TermsAreEditsOfTheirWords) {
  // committees -> committe: cut 2, nothing added; happy -> happi: cut 1, "i" added.
  std::string k1, k2;
  AppendTermKey(1, "committees", &k1);
  AppendTermKey(1, "happy", &k2);
  SurfaceDictWriter w;
  w.Add(k1, "committe");
  w.Add(k2, "happi");
  const std::string body = w.Finish(kHeaderSize);
  // Per entry: the (shared, suffix length) byte, the suffix, the (cut, add length) byte, the
  // added bytes; all in one zstd frame, the group's first key beside it, then the group index.
  using std::string_literals::operator""s;
  const std::string want = "\xb0\x01"s + "committees" + "\x02"s +  // 1st: 0 shared, 11 new
                           "\x51"s + "happy" + "\x11i"s;           // 2nd: 1 shared, 5 new
  EXPECT_EQ(RawGroup(body, 0), want);
  const std::string file = Frame(body);
  auto r = SurfaceDictReader::Open(file, "t.surf");
  ASSERT_TRUE(r.ok()) << r.status();
  auto it = r->Seek("");
  ASSERT_TRUE(it.Valid()) << it.status();
  EXPECT_EQ(it.term(), "committe");
  it.Next();
  ASSERT_TRUE(it.Valid()) << it.status();
  EXPECT_EQ(it.term(), "happi");
}

// A version-5 file (plain blocks of 32 entries, varint lengths) is still read.
TEST(SurfaceDict, ReadsVersion5Blocks) {
  using std::string_literals::operator""s;
  // varint n, then per entry: shared, length, key, cut, add length, add bytes.
  std::string body = "\x02"s + "\x00\x0b\x01"s + "committees" + "\x02\x00"s +  // 1st
                     "\x01\x05"s + "happy" + "\x01\x01i"s;                     // 2nd
  const uint64_t index_off = kHeaderSize + body.size();
  PutFixed32(&body, 1);
  PutFixed64(&body, kHeaderSize);
  PutFixed64(&body, index_off);
  PutFixed64(&body, 2);
  const std::string file = Frame(body, 5);
  auto r = SurfaceDictReader::Open(file, "t.surf");
  ASSERT_TRUE(r.ok()) << r.status();
  std::string from;
  AppendTermKey(1, "h", &from);
  auto it = r->Seek(from);
  ASSERT_TRUE(it.Valid()) << it.status();
  EXPECT_EQ(it.term(), "happi");
  it.Next();
  EXPECT_FALSE(it.Valid());
  EXPECT_TRUE(it.status().ok()) << it.status();
  // The same bytes framed as version 6 are not a group index.
  EXPECT_FALSE(SurfaceDictReader::Open(Frame(body, 6), "t.surf").ok());
}

// A group whose first key in the index differs from its first entry is named.
TEST(SurfaceDict, DamagedGroupIsNamed) {
  std::mt19937 rng(16);
  const std::vector<Entry> entries = RandomEntries(&rng, 1000);
  std::string file = Write(entries);
  const size_t tail = file.size() - kFooterSize - 16;
  const uint64_t index_off = DecodeFixed64(file.data() + tail);
  ASSERT_GE(DecodeFixed32(file.data() + index_off), 2u);
  const uint64_t key1 = DecodeFixed64(file.data() + index_off + 4 + 24 + 8);
  file[key1 + 2] = static_cast<char>(file[key1 + 2] ^ 1);  // past the field varint
  auto r = SurfaceDictReader::Open(file, "t.surf");
  ASSERT_TRUE(r.ok()) << r.status();
  auto it = r->Seek("");
  while (it.Valid()) it.Next();
  EXPECT_EQ(it.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(it.status().message().find("t.surf: corrupt surface forms: group 1"),
            std::string_view::npos)
      << it.status();
}

TEST(SurfaceDict, DamagedBytesAreDataLoss) {
  std::mt19937 rng(15);
  const std::string good = Write(RandomEntries(&rng, 300));  // three groups
  for (int trial = 0; trial < 2000; ++trial) {
    std::string bad = good;
    const size_t at = kHeaderSize + rng() % (bad.size() - kHeaderSize - kFooterSize);
    bad[at] = static_cast<char>(bad[at] ^ (1 + rng() % 255));
    auto r = SurfaceDictReader::Open(bad, "t.surf");
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
      continue;
    }
    auto it = r->Seek("");
    size_t n = 0;
    for (; it.Valid(); it.Next()) ++n;
    if (!it.status().ok()) {
      EXPECT_EQ(it.status().code(), absl::StatusCode::kDataLoss);
    }
    std::string from;
    AppendTermKey(2, "b", &from);
    (void)r->Seek(from);
  }
  // Truncated: too short, or the tail's offsets out of range.
  for (size_t len : {size_t{0}, size_t{20}, good.size() / 2})
    EXPECT_FALSE(SurfaceDictReader::Open(good.substr(0, len), "t.surf").ok());
}

}  // namespace
}  // namespace scour::index
