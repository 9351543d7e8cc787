// BM25TP proximity re-ranking: the pair statistic against a brute-force reference, the bonus's
// shape (closer is more, none without co-occurrence, below its bound), and the Searcher path
// ("bm25tp" vs "bm25" on a small in-memory index).
#include "engine/proximity.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/writer/open_writer.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"

namespace scour::engine {
namespace {

double BrutePairTpi(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b, uint32_t w) {
  double s = 0;
  for (uint32_t p : a)
    for (uint32_t q : b) {
      const double d = std::fabs(static_cast<double>(p) - static_cast<double>(q));
      if (d > 0 && d <= w) s += 1.0 / (d * d);
    }
  return s;
}

std::vector<uint32_t> RandomPositions(std::mt19937& rng, uint32_t max_pos, size_t n) {
  std::set<uint32_t> s;
  std::uniform_int_distribution<uint32_t> pos(0, max_pos);
  while (s.size() < n) s.insert(pos(rng));
  return {s.begin(), s.end()};
}

TEST(PairTpi, MatchesBruteForceOnRandomPositions) {
  std::mt19937 rng(42);
  for (int iter = 0; iter < 500; ++iter) {
    const uint32_t max_pos = 1 + rng() % 200;
    const size_t na = rng() % std::min<uint32_t>(30, max_pos + 1);
    const size_t nb = rng() % std::min<uint32_t>(30, max_pos + 1);
    const auto a = RandomPositions(rng, max_pos, na);
    const auto b = RandomPositions(rng, max_pos, nb);
    const uint32_t w = 1 + rng() % 8;
    EXPECT_NEAR(PairTpi(a, b, w), BrutePairTpi(a, b, w), 1e-9) << "iter " << iter;
  }
}

TEST(PairTpi, HugePositionsDoNotOverflow) {
  const std::vector<uint32_t> a = {0xfffffff0u, 0xfffffffeu};
  const std::vector<uint32_t> b = {0xfffffff2u, 0xffffffffu};
  EXPECT_NEAR(PairTpi(a, b, 5), BrutePairTpi(a, b, 5), 1e-12);
}

float TwoTermBonus(std::vector<uint32_t> a, std::vector<uint32_t> b) {
  std::vector<ProximityTerm> t = {{a, 2.0f}, {b, 3.0f}};
  return ProximityBonus(t, 0.9f, 0.4f, 100, 100);
}

TEST(ProximityBonus, GrowsAsTermsGetCloser) {
  const float d1 = TwoTermBonus({10}, {11});
  const float d2 = TwoTermBonus({10}, {12});
  const float d5 = TwoTermBonus({10}, {15});
  const float d6 = TwoTermBonus({10}, {16});
  EXPECT_GT(d1, d2);
  EXPECT_GT(d2, d5);
  EXPECT_GT(d5, 0.0f);
  EXPECT_EQ(d6, 0.0f);  // beyond the window
  // Order of the two occurrences does not matter.
  EXPECT_FLOAT_EQ(TwoTermBonus({11}, {10}), d1);
  // More close occurrences: more bonus.
  EXPECT_GT(TwoTermBonus({10, 20}, {11, 21}), d1);
}

TEST(ProximityBonus, ZeroWithoutPositions) {
  EXPECT_EQ(TwoTermBonus({}, {}), 0.0f);
  EXPECT_EQ(TwoTermBonus({1, 2, 3}, {}), 0.0f);
  std::vector<ProximityTerm> one = {{std::span<const uint32_t>(), 1.0f}};
  EXPECT_EQ(ProximityBonus(one, 0.9f, 0.4f, 10, 10), 0.0f);
}

TEST(ProximityBonus, LongerDocsGetLessAndTheBoundHolds) {
  EXPECT_GT(ProximityBonus(std::vector<ProximityTerm>{{std::vector<uint32_t>{1}, 1.0f},
                                                      {std::vector<uint32_t>{2}, 1.0f}},
                           0.9f, 0.75f, 10, 100),
            ProximityBonus(std::vector<ProximityTerm>{{std::vector<uint32_t>{1}, 1.0f},
                                                      {std::vector<uint32_t>{2}, 1.0f}},
                           0.9f, 0.75f, 1000, 100));
  std::mt19937 rng(7);
  for (int iter = 0; iter < 200; ++iter) {
    const size_t n = 2 + rng() % 4;
    std::vector<std::vector<uint32_t>> pos(n);
    std::vector<ProximityTerm> terms(n);
    std::vector<float> w(n);
    for (size_t i = 0; i < n; ++i) {
      pos[i] = RandomPositions(rng, 40, rng() % 15);
      w[i] = 0.1f + static_cast<float>(rng() % 1000) / 100.0f;
      terms[i] = {pos[i], w[i]};
    }
    // Disjoint positions, as distinct terms of one field have.
    std::set<uint32_t> seen;
    for (auto& p : pos) {
      std::vector<uint32_t> keep;
      for (uint32_t x : p)
        if (seen.insert(x).second) keep.push_back(x);
      p = keep;
    }
    for (size_t i = 0; i < n; ++i) terms[i].positions = pos[i];
    const float bonus =
        ProximityBonus(terms, 0.1f + (rng() % 30) / 10.0f, 0.5f, 1 + rng() % 50, 20);
    EXPECT_GE(bonus, 0.0f);
    EXPECT_LT(bonus, ProximityBonusBound(w)) << "iter " << iter;
  }
}

TEST(RerankDepth, AtLeastTheMinimum) {
  EXPECT_EQ(RerankDepth(0), 0u);
  EXPECT_EQ(RerankDepth(10), kMinRerankDepth);
  EXPECT_EQ(RerankDepth(5000), 5000u);
}

class ProximitySearch : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = index::NewMemDirectory();
    IndexWriterOptions o;
    o.analyzer.language = "none";
    o.threads = 1;
    auto w = index::OpenIndexWriter(dir_.get(), o);
    ASSERT_TRUE(w.ok());
    // Same length, same tf: BM25 ties them, and breaks ties by insertion order (far first).
    ASSERT_TRUE((*w)->AddDocument({"far", {{"text", "alpha x x x x x x beta"}}}).ok());
    ASSERT_TRUE((*w)->AddDocument({"mid", {{"text", "alpha x x beta x x x x"}}}).ok());
    ASSERT_TRUE((*w)->AddDocument({"near", {{"text", "x x x x x x alpha beta"}}}).ok());
    for (int i = 0; i < 20; ++i)
      ASSERT_TRUE((*w)->AddDocument({"f" + std::to_string(i), {{"text", "y z y z"}}}).ok());
    ASSERT_TRUE((*w)->Commit().ok());
    auto r = index::OpenIndexReader(dir_.get(), {});
    ASSERT_TRUE(r.ok());
    auto s = Searcher::Create(*r);
    ASSERT_TRUE(s.ok());
    searcher_ = *std::move(s);
  }
  std::vector<Hit> Run(const std::string& q, const std::string& ranker, size_t k = 10) {
    SearchOptions so;
    so.k = k;
    so.ranking.ranker = ranker;
    auto r = searcher_->Search(q, so);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->hits : std::vector<Hit>{};
  }
  std::unique_ptr<index::Directory> dir_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(ProximitySearch, CloserPairsRankHigherAndFarOnesKeepBm25) {
  auto bm25 = Run("alpha beta", "bm25");
  auto tp = Run("alpha beta", "bm25tp");
  ASSERT_EQ(bm25.size(), 3u);
  ASSERT_EQ(tp.size(), 3u);
  EXPECT_EQ(bm25[0].score, bm25[2].score);  // the set-up: a three-way BM25 tie
  EXPECT_EQ(bm25[0].id, "far");
  EXPECT_EQ(tp[0].id, "near");
  EXPECT_EQ(tp[1].id, "mid");
  EXPECT_EQ(tp[2].id, "far");
  EXPECT_GT(tp[0].score, tp[1].score);
  EXPECT_GT(tp[1].score, tp[2].score);
  EXPECT_EQ(tp[2].score, bm25[0].score);  // beyond the window: no bonus at all
}

TEST_F(ProximitySearch, TopOneComesFromTheRerankedDepth) {
  auto tp = Run("alpha beta", "bm25tp", 1);
  ASSERT_EQ(tp.size(), 1u);
  EXPECT_EQ(tp[0].id, "near");  // BM25's top-1 is "far"
}

TEST_F(ProximitySearch, SingleTermEqualsBm25) {
  for (const char* q : {"alpha", "alpha alpha", "alpha -beta", "alpha nosuchterm"}) {
    auto bm25 = Run(q, "bm25");
    auto tp = Run(q, "bm25tp");
    ASSERT_EQ(bm25.size(), tp.size()) << q;
    for (size_t i = 0; i < bm25.size(); ++i) {
      EXPECT_EQ(bm25[i].id, tp[i].id) << q;
      EXPECT_EQ(bm25[i].score, tp[i].score) << q;
    }
  }
}

TEST_F(ProximitySearch, UnknownRankerListsBm25tp) {
  SearchOptions so;
  so.ranking.ranker = "nope";
  auto r = searcher_->Search("alpha", so);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find("bm25tp"), std::string::npos);
}

}  // namespace
}  // namespace scour::engine
