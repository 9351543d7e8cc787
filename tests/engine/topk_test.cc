// TopK, the bounded heap every top-k algorithm fills, against a reference: sort everything
// inserted (higher score first, then smaller doc) and keep k.
#include "engine/topk.h"

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace scour::engine {
namespace {

std::vector<ScoredDoc> Reference(std::vector<ScoredDoc> all, size_t k) {
  std::sort(all.begin(), all.end(), RanksBefore);
  if (all.size() > k) all.resize(k);
  return all;
}

TEST(TopK, EqualsSortingEverythingOnRandomStreams) {
  std::mt19937_64 rng(11);
  for (int iter = 0; iter < 3000; ++iter) {
    const size_t k = iter % 50 == 0 ? 0 : 1 + rng() % (iter % 3 == 0 ? 3 : 40);
    const size_t n = rng() % 200;
    // Few distinct scores, so that ties (broken by the smaller doc) are common; docs arrive in
    // any order (the heap must not rely on increasing ids, though the algorithms supply them).
    const int levels = 1 + static_cast<int>(rng() % 20);
    TopK top(k);
    std::vector<ScoredDoc> all;
    std::vector<index::DocId> docs(n);
    for (size_t i = 0; i < n; ++i) docs[i] = static_cast<index::DocId>(i * 3);
    std::shuffle(docs.begin(), docs.end(), rng);
    for (index::DocId d : docs) {
      const float s = static_cast<float>(rng() % levels) * 0.25f;
      all.push_back({d, s});
      const std::vector<ScoredDoc> after = Reference(all, k);
      // Insert returns whether the doc entered the top k.
      const bool entered = std::find(after.begin(), after.end(), ScoredDoc{d, s}) != after.end();
      ASSERT_EQ(top.Insert(d, s), entered) << "iteration " << iter;
      ASSERT_EQ(top.size(), after.size());
      ASSERT_EQ(top.full(), after.size() >= k);
      // threshold(): -inf until full, +inf for k == 0, else the k-th best score.
      const float want_threshold = k == 0             ? std::numeric_limits<float>::infinity()
                                   : after.size() < k ? -std::numeric_limits<float>::infinity()
                                                      : after.back().score;
      ASSERT_EQ(top.threshold(), want_threshold);
    }
    ASSERT_EQ(top.Take(), Reference(all, k)) << "iteration " << iter;
    // Take leaves it empty and reusable with the same k.
    EXPECT_EQ(top.size(), 0u);
    top.Insert(1, 1.0f);
    EXPECT_EQ(top.Take().size(), std::min<size_t>(k, 1));
  }
}

TEST(TopK, TiesGoToTheSmallerDoc) {
  TopK top(2);
  EXPECT_TRUE(top.Insert(7, 1.0f));
  EXPECT_TRUE(top.Insert(5, 1.0f));
  EXPECT_FALSE(top.Insert(9, 1.0f));  // an equal score with a larger doc does not enter
  EXPECT_TRUE(top.Insert(3, 1.0f));   // a smaller doc does, evicting doc 7
  EXPECT_TRUE(top.Insert(8, 2.0f));
  EXPECT_EQ(top.Take(), (std::vector<ScoredDoc>{{8, 2.0f}, {3, 1.0f}}));
}

TEST(TopK, KZeroKeepsNothing) {
  TopK top(0);
  EXPECT_TRUE(top.full());
  EXPECT_FALSE(top.Insert(1, 100.0f));
  EXPECT_EQ(top.threshold(), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(top.Take().empty());
}

}  // namespace
}  // namespace scour::engine
