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
    // Some streams use ids near the top of the range (the key inverts them).
    const index::DocId base = iter % 7 == 0 ? 0xFFFF0000u : 0;
    for (size_t i = 0; i < n; ++i) docs[i] = base + static_cast<index::DocId>(i * 3);
    std::shuffle(docs.begin(), docs.end(), rng);
    for (index::DocId d : docs) {
      // Negative scores too, in some streams (the key flips their bits).
      const int shift = iter % 5 == 0 ? levels / 2 : 0;
      const float s = static_cast<float>(static_cast<int>(rng() % levels) - shift) * 0.25f;
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

// Key(a) > Key(b) exactly when RanksBefore(a, b): the heap compares keys.
TEST(TopK, KeyOrderIsRanksBefore) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> scores = {-inf,  -1e30f,     -2.5f,  -1.0f,  -1e-40f,
                                     -0.0f, 0.0f,       1e-40f, 1e-30f, 0.25f,
                                     1.0f,  1.0000001f, 7.5f,   3e38f,  inf};
  const std::vector<index::DocId> docs = {0,           1,           2,           1000,
                                          0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu};
  std::vector<ScoredDoc> all;
  for (float s : scores)
    for (index::DocId d : docs) all.push_back({d, s});
  for (const ScoredDoc& a : all) {
    const uint64_t ka = TopK::Key(a.doc, a.score);
    // The key gives the doc and score back (-0 as +0: they compare equal).
    ASSERT_EQ(TopK::DocOf(ka), a.doc);
    ASSERT_EQ(TopK::ScoreOf(ka), a.score);
    for (const ScoredDoc& b : all)
      ASSERT_EQ(ka > TopK::Key(b.doc, b.score), RanksBefore(a, b))
          << a.doc << " " << a.score << " vs " << b.doc << " " << b.score;
  }
}

// A heap a thousand deep, as evaluation runs fill it, against sorting everything.
TEST(TopK, DeepHeapEqualsSorting) {
  std::mt19937_64 rng(5);
  for (size_t k : {999u, 1000u, 1024u}) {
    TopK top(k);
    std::vector<ScoredDoc> all;
    for (index::DocId d = 0; d < 30000; ++d) {
      const float s = static_cast<float>(rng() % 5000) * 0.01f;
      all.push_back({d, s});
      top.Insert(d, s);
    }
    const std::vector<ScoredDoc> want = Reference(all, k);
    EXPECT_EQ(top.threshold(), want.back().score);
    EXPECT_EQ(top.Take(), want);
  }
}

TEST(TopK, AbsorbEqualsInsertingEveryDoc) {
  // Segments' top k absorbed into a global one (the first into an empty global takes the
  // array whole), then more docs inserted: the same as inserting everything into one top k.
  std::mt19937_64 rng(13);
  for (int iter = 0; iter < 2000; ++iter) {
    const size_t k = iter % 50 == 0 ? 0 : 1 + rng() % (iter % 3 == 0 ? 3 : 40);
    const int levels = 1 + static_cast<int>(rng() % 20);
    const size_t segments = 1 + rng() % 4;
    TopK global(k);
    std::vector<ScoredDoc> all;
    index::DocId base = static_cast<index::DocId>(rng() % 2 == 0 ? 0 : rng() % 1000);
    for (size_t s = 0; s < segments; ++s) {
      TopK seg(k);
      const size_t n = rng() % (rng() % 2 == 0 ? 2 * k + 2 : 200);
      for (size_t i = 0; i < n; ++i) {
        const index::DocId d = static_cast<index::DocId>(i);
        const float score = static_cast<float>(rng() % levels) * 0.25f;
        seg.Insert(d, score);
        all.push_back({base + d, score});
      }
      global.Absorb(seg, base);
      ASSERT_EQ(seg.size(), 0u) << "iteration " << iter;
      base += static_cast<index::DocId>(n);
      const std::vector<ScoredDoc> want = Reference(all, k);
      ASSERT_EQ(global.size(), want.size()) << "iteration " << iter;
      const float want_threshold = k == 0            ? std::numeric_limits<float>::infinity()
                                   : want.size() < k ? -std::numeric_limits<float>::infinity()
                                                     : want.back().score;
      ASSERT_EQ(global.threshold(), want_threshold) << "iteration " << iter;
    }
    // The absorbed array is a valid top k to go on inserting into.
    for (int i = 0; i < 20; ++i) {
      const float score = static_cast<float>(rng() % levels) * 0.25f;
      global.Insert(base, score);
      all.push_back({base++, score});
    }
    ASSERT_EQ(global.Take(), Reference(all, k)) << "iteration " << iter;
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
