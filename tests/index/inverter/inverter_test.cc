// The in-memory inverter's parts against simple references: the word and term tables, the
// byte-slice pool, and the builder giving its memory back after a flush.
#include <map>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "index/directory/directory.h"
#include "index/inverter/byte_slice_pool.h"
#include "index/inverter/segment_builder.h"
#include "index/inverter/surface_table.h"
#include "index/inverter/term_table.h"
#include "index/segment/segment_format.h"

namespace scour::index {
namespace {

// Random words of 1..40 bytes in fields on both sides of the slot tag's 255 limit: short
// words in small fields are decided in the slot, the others through their arena record.
std::vector<std::pair<uint32_t, std::string>> RandomKeys(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  const uint32_t fields[] = {1, 2, 7, 254, 255, 256, 300, 1u << 20};
  std::vector<std::pair<uint32_t, std::string>> keys;
  for (size_t i = 0; i < n; ++i) {
    std::string w(1 + rng() % (rng() % 4 == 0 ? 40 : 10), ' ');
    for (char& c : w) c = static_cast<char>('a' + rng() % 4);  // few letters: many near misses
    keys.emplace_back(fields[rng() % 8], std::move(w));
  }
  return keys;
}

TEST(SurfaceTable, FindsWhatWasInsertedAcrossGrowth) {
  SurfaceTable t;
  std::map<std::pair<uint32_t, std::string>, uint32_t> model;
  for (const auto& k : RandomKeys(60000, 1)) {
    const uint64_t h = SurfaceTable::Hash(k.first, k.second);
    auto it = model.find(k);
    ASSERT_EQ(t.Find(k.first, k.second, h),
              it == model.end() ? SurfaceTable::kNotFound : it->second);
    if (it == model.end()) {
      const uint32_t id = static_cast<uint32_t>(model.size() * 7 % 100003);
      t.Insert(k.first, k.second, h, id);
      model.emplace(k, id);
    }
  }
  EXPECT_EQ(t.size(), model.size());
  for (const auto& [k, id] : model) {
    EXPECT_EQ(t.Find(k.first, k.second, SurfaceTable::Hash(k.first, k.second)), id);
  }
  const size_t full = t.bytes();
  t.Clear();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_LT(t.bytes(), full / 8);
  EXPECT_EQ(t.Find(1, "a", SurfaceTable::Hash(1, "a")), SurfaceTable::kNotFound);
}

TEST(TermTable, GivesDenseIdsAndDictionaryKeys) {
  TermTable t;
  std::map<std::pair<uint32_t, std::string>, uint32_t> model;
  for (const auto& k : RandomKeys(60000, 2)) {
    bool inserted;
    const uint32_t id = t.FindOrInsert(k.first, k.second, &inserted);
    auto [it, fresh] = model.emplace(k, static_cast<uint32_t>(model.size()));
    EXPECT_EQ(inserted, fresh);
    ASSERT_EQ(id, it->second);
  }
  EXPECT_EQ(t.size(), model.size());
  std::string key;
  for (const auto& [k, id] : model) {
    key.clear();
    AppendTermKey(k.first, k.second, &key);
    EXPECT_EQ(t.key(id), key);
    EXPECT_EQ(t.field(id), k.first);
  }
}

// Many interleaved streams (slices of every level, varints across slice ends) read back.
TEST(ByteSlicePool, InterleavedStreamsReadBack) {
  ByteSlicePool pool;
  std::mt19937 rng(5);
  constexpr int kStreams = 500;
  std::vector<ByteSlicePool::Stream> streams(kStreams);
  std::vector<uint32_t> heads(kStreams);
  std::vector<std::vector<uint32_t>> want(kStreams);
  for (int i = 0; i < kStreams; ++i) heads[i] = pool.Start(&streams[i]);
  for (int n = 0; n < 400000; ++n) {
    const int i = static_cast<int>(rng() % (rng() % 8 == 0 ? kStreams : 20));  // some long ones
    const uint32_t v = rng() >> (rng() % 32);
    pool.WriteVarint(&streams[i], v);
    want[i].push_back(v);
  }
  for (int i = 0; i < kStreams; ++i) {
    ByteSlicePool::Reader r(&pool, heads[i], streams[i].cur);
    for (uint32_t v : want[i]) ASSERT_EQ(r.ReadVarint(), v) << "stream " << i;
    EXPECT_TRUE(r.done());
  }
}

TEST(SegmentBuilder, GivesItsMemoryBackAfterAFlush) {
  auto analyzer = Analyzer::Create({.language = "none"});
  ASSERT_TRUE(analyzer.ok());
  SegmentBuilder b(*std::move(analyzer));
  const size_t empty = b.ram_bytes();
  std::mt19937 rng(3);
  std::string text;
  for (uint32_t d = 0; d < 20000; ++d) {
    text.clear();
    for (int w = 0; w < 30; ++w) text += "w" + std::to_string(rng() % 50000) + " ";
    ASSERT_TRUE(b.AddDocument("id" + std::to_string(d), {{1, text, true, false}}).ok());
  }
  const size_t full = b.ram_bytes();
  EXPECT_GT(full, empty + (8u << 20));
  auto dir = NewMemDirectory();
  SegmentInfo info;
  ASSERT_TRUE(b.Flush(dir.get(), 1, &info).ok());
  // Capacity kept from the last segment would count against the budget and make every later
  // segment flush early (it did: vector = {} keeps the capacity).
  EXPECT_LE(b.ram_bytes(), empty + 4096) << "empty " << empty << ", full " << full;
}

}  // namespace
}  // namespace scour::index
