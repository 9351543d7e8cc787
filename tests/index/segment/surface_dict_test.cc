// The surface-form dictionary (.surf): what the writer adds comes back in order, Seek finds the
// first key at or after any key (brute force over the sorted list), and damaged bytes give
// DataLoss, never a crash or a read outside the file.
#include "index/segment/surface_dict.h"

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

std::string Frame(std::string_view body) {
  std::string out("SCR1");
  PutFixed32(&out, static_cast<uint32_t>(FileKind::kSurfaceForms));
  PutFixed32(&out, kFormatVersion);
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
    const size_t len = 1 + (*rng)() % 14;
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

std::string Write(const std::vector<Entry>& entries) {
  SurfaceDictWriter w;
  for (const Entry& e : entries) w.Add(e.key, e.term);
  EXPECT_EQ(w.size(), entries.size());
  return Frame(w.Finish(kHeaderSize));
}

TEST(SurfaceDict, RoundTripAndSeekAgainstBruteForce) {
  std::mt19937 rng(14);
  for (size_t n : {0, 1, 31, 32, 33, 64, 1000}) {
    const std::vector<Entry> entries = RandomEntries(&rng, n);
    const std::string file = Write(entries);
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

TEST(SurfaceDict, TermsAreEditsOfTheirWords) {
  // committees -> committe: cut 2, nothing added; happy -> happi: cut 1, "i" added.
  std::string k1, k2;
  AppendTermKey(1, "committees", &k1);
  AppendTermKey(1, "happy", &k2);
  SurfaceDictWriter w;
  w.Add(k1, "committe");
  w.Add(k2, "happi");
  const std::string body = w.Finish(kHeaderSize);
  // varint n, then per entry: shared, length, key, cut, add length, add bytes.
  using std::string_literals::operator""s;
  const std::string want = "\x02"s + "\x00\x0b\x01"s + "committees" + "\x02\x00"s +  // 1st
                           "\x01\x05"s + "happy" + "\x01\x01i"s;                     // 2nd
  EXPECT_EQ(body.substr(0, want.size()), want);
}

TEST(SurfaceDict, DamagedBytesAreDataLoss) {
  std::mt19937 rng(15);
  const std::string good = Write(RandomEntries(&rng, 200));
  for (int trial = 0; trial < 3000; ++trial) {
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
