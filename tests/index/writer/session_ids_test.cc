// The writer session's id table against a map: lookups, insertion order, memory given back.
#include "index/writer/session_ids.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace scour::index {
namespace {

TEST(SessionIds, FindsInsertsAndIteratesInInsertionOrder) {
  SessionIds ids;
  EXPECT_TRUE(ids.empty());
  EXPECT_EQ(ids.Find("a"), nullptr);
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back("doc/" + std::to_string(i * 7919 % 5003));
  for (size_t i = 0; i < keys.size(); ++i) ids[keys[i]].last_add_seq = i + 1;
  ids[keys[3]].dirty = true;
  ASSERT_EQ(ids.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const SessionIds::State* st = ids.Find(keys[i]);
    ASSERT_NE(st, nullptr) << keys[i];
    EXPECT_EQ(uint64_t{st->last_add_seq}, i + 1);
    EXPECT_EQ(st->dirty != 0, i == 3);
  }
  EXPECT_EQ(ids.Find("doc/"), nullptr);
  EXPECT_EQ(ids.Find(std::string("doc/1\0", 6)), nullptr);
  size_t n = 0;
  ids.ForEach([&](std::string_view id, const SessionIds::State& st) {
    EXPECT_EQ(id, keys[n]);
    EXPECT_EQ(uint64_t{st.last_add_seq}, n + 1);
    ++n;
  });
  EXPECT_EQ(n, keys.size());
  EXPECT_GT(ids.bytes(), 5000u * 24);
  ids.clear();
  EXPECT_TRUE(ids.empty());
  EXPECT_EQ(ids.Find(keys[0]), nullptr);
  EXPECT_LT(ids.bytes(), 1024u) << "clear() gives the memory back";
}

}  // namespace
}  // namespace scour::index
