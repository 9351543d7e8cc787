// Rankers against the textbook formulas (in double), Lucene's float arithmetic, and the
// upper-bound property MaxScore / block-max pruning relies on; TopK against a full sort.
#include "engine/ranker.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/topk.h"
#include "gtest/gtest.h"
#include "index/segment/norms.h"

namespace scour::engine {
namespace {

FieldStatistics Stats(uint64_t docs_with_field, uint64_t sum_total_term_freq) {
  FieldStatistics s;
  s.docs_with_field = docs_with_field;
  s.sum_total_term_freq = sum_total_term_freq;
  return s;
}

constexpr RankerKind kAllKinds[] = {RankerKind::kLuceneBm25, RankerKind::kBm25,
                                    RankerKind::kBm25Plus, RankerKind::kBm25L};

// Textbook formulas from docs/SCORING.md, in double.
double Reference(RankerKind kind, double k1, double b, double delta, double n, double df,
                 double avgdl, double tf, double dl, double boost) {
  const double norm = 1 - b + b * dl / avgdl;
  switch (kind) {
    case RankerKind::kLuceneBm25: {
      const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
      return boost * idf * tf / (tf + k1 * norm);
    }
    case RankerKind::kBm25: {
      const double idf = std::max(0.0, std::log((n - df + 0.5) / (df + 0.5)));
      return boost * idf * (k1 + 1) * tf / (tf + k1 * norm);
    }
    case RankerKind::kBm25Plus: {
      const double idf = std::log((n + 1) / df);
      return boost * idf * ((k1 + 1) * tf / (k1 * norm + tf) + delta);
    }
    case RankerKind::kBm25L: {
      const double idf = std::log((n + 1) / (df + 0.5));
      const double c = tf / norm;
      return boost * idf * (k1 + 1) * (c + delta) / (k1 + c + delta);
    }
  }
  return 0;
}

TEST(RankerTest, MatchesTextbookFormulas) {
  std::mt19937_64 rng(7);
  for (RankerKind kind : kAllKinds) {
    for (int iter = 0; iter < 2000; ++iter) {
      RankerParams p;
      p.kind = kind;
      p.k1 = std::uniform_real_distribution<float>(0.3f, 2.0f)(rng);
      p.b = std::uniform_real_distribution<float>(0.0f, 1.0f)(rng);
      p.delta = std::uniform_real_distribution<float>(0.0f, 1.5f)(rng);
      const uint64_t n = 1 + rng() % 1000000;
      const uint64_t df = 1 + rng() % std::max<uint64_t>(1, n / 3);  // keeps RSJ idf > 0
      FieldStatistics stats = Stats(n, n * (1 + rng() % 500));
      const float boost = std::uniform_real_distribution<float>(0.1f, 3.0f)(rng);
      const TermScorer s = TermScorer::ForTerm(p, stats, df, boost);
      const uint32_t tf = 1 + static_cast<uint32_t>(rng() % 50);
      const uint8_t norm = static_cast<uint8_t>(rng() % 256);
      const double avgdl = static_cast<float>(static_cast<double>(stats.sum_total_term_freq) / n);
      const double want =
          Reference(kind, p.k1, p.b, p.delta, n, df, avgdl, tf, index::NormToLength(norm), boost);
      const double got = s.Score(static_cast<float>(tf), norm);
      ASSERT_NEAR(got, want, 1e-6 * s.Limit() + 1e-5 * std::abs(want))
          << static_cast<int>(kind) << " tf=" << tf << " norm=" << int{norm};
    }
  }
}

TEST(RankerTest, LuceneFloatArithmetic) {
  // Lucene 8.8 BM25Similarity, transcribed: idf and avgdl in double then float, the cache and
  // the score in float.
  RankerParams p;  // k1 = 0.9, b = 0.4
  std::mt19937_64 rng(11);
  for (int iter = 0; iter < 200; ++iter) {
    const uint64_t n = 1 + rng() % 100000;
    const uint64_t df = 1 + rng() % n;
    const FieldStatistics stats = Stats(n, n * (1 + rng() % 300) + rng() % n);
    const float idf = static_cast<float>(
        std::log(1 + (static_cast<double>(n) - static_cast<double>(df) + 0.5) / (df + 0.5)));
    const float avgdl = static_cast<float>(stats.sum_total_term_freq / static_cast<double>(n));
    const float weight = 1.0f * idf;
    const TermScorer s = TermScorer::ForTerm(p, stats, df);
    EXPECT_EQ(Idf(RankerKind::kLuceneBm25, df, n), idf);
    for (int norm = 0; norm < 256; ++norm) {
      const float len = static_cast<float>(index::NormToLength(static_cast<uint8_t>(norm)));
      const float cache = 1.0f / (0.9f * ((1 - 0.4f) + 0.4f * len / avgdl));
      for (float freq : {1.0f, 2.0f, 3.0f, 17.0f, 1000.0f}) {
        const float want = weight - weight / (1.0f + freq * cache);
        ASSERT_EQ(s.Score(freq, static_cast<uint8_t>(norm)), want);
      }
    }
  }
}

// The built-in family's closed form (TermScorer::Bm25Form) against its SimScorer's own Score,
// bit for bit: integer and fractional frequencies, every norm byte, the unbounded bound.
TEST(RankerTest, ClosedFormEqualsTheModel) {
  std::mt19937_64 rng(5);
  for (RankerKind kind : kAllKinds) {
    RankerParams p;
    p.kind = kind;
    for (int iter = 0; iter < 100; ++iter) {
      p.k1 = std::uniform_real_distribution<float>(0.1f, 3.0f)(rng);
      p.b = std::uniform_real_distribution<float>(0.0f, 1.0f)(rng);
      p.delta = iter % 2 == 0 ? -1.0f : std::uniform_real_distribution<float>(0.0f, 2.0f)(rng);
      const uint64_t n = 1 + rng() % 1000000;
      const TermScorer s = TermScorer::ForTerm(p, Stats(n, n * (1 + rng() % 1000)), 1 + rng() % n,
                                               std::uniform_real_distribution<float>(0, 4)(rng));
      ASSERT_TRUE(s.closed_form());
      for (int norm = 0; norm < 256; ++norm) {
        const uint8_t nb = static_cast<uint8_t>(norm);
        const float len = static_cast<float>(index::NormToLength(nb));
        for (uint32_t tf = 1; tf <= 40; ++tf) {
          ASSERT_EQ(s.ScoreTf(tf, nb), s.sim()->Score(static_cast<float>(tf), len)) << tf;
        }
        for (float freq : {0.5f, 1.25f, 7.75f, 1e6f}) {
          ASSERT_EQ(s.Score(freq, nb), s.sim()->Score(freq, len));
        }
        ASSERT_EQ(s.MaxScore(index::kTfSaturated, nb), s.sim()->Score(FLT_MAX, len));
      }
    }
  }
}

// A model that is not the built-in family is tabulated, and its table gives the model's scores.
TEST(RankerTest, OtherModelsAreTabulated) {
  struct Linear final : SimScorer {
    float Score(float freq, float length) const override { return freq / (1.0f + length); }
    std::string Explain(float, float) const override { return "linear"; }
  };
  const TermScorer s(std::make_shared<Linear>());
  EXPECT_FALSE(s.closed_form());
  for (int norm = 0; norm < 256; ++norm) {
    const uint8_t nb = static_cast<uint8_t>(norm);
    const float len = static_cast<float>(index::NormToLength(nb));
    for (uint32_t tf = 1; tf <= 20; ++tf) {
      ASSERT_EQ(s.ScoreTf(tf, nb), tf / (1.0f + len));
      ASSERT_EQ(s.ScoreTf(tf, nb), tf / (1.0f + len));  // the second read comes from the table
    }
  }
}

TEST(RankerTest, NegativeRsjIdfIsClampedToZero) {
  EXPECT_EQ(Idf(RankerKind::kBm25, 900, 1000), 0.0f);
  EXPECT_GT(Idf(RankerKind::kBm25, 100, 1000), 0.0f);
  RankerParams p;
  p.kind = RankerKind::kBm25;
  const TermScorer s = TermScorer::ForTerm(p, Stats(1000, 50000), 900);
  EXPECT_EQ(s.Score(3.0f, 40), 0.0f);
  for (RankerKind kind : kAllKinds) EXPECT_GE(Idf(kind, 1000, 1000), 0.0f);
}

TEST(RankerTest, BoostMultipliesScore) {
  for (RankerKind kind : kAllKinds) {
    RankerParams p;
    p.kind = kind;
    const FieldStatistics stats = Stats(5000, 5000 * 120);
    const TermScorer a = TermScorer::ForTerm(p, stats, 30, 1.0f);
    const TermScorer b = TermScorer::ForTerm(p, stats, 30, 2.5f);
    EXPECT_NEAR(b.Score(4.0f, 60), 2.5f * a.Score(4.0f, 60), 1e-5);
  }
}

// MaxScore(max_tf, min_norm) >= Score(tf, norm) for tf <= max_tf and norm >= min_norm, and the
// score is monotone in both (in float, not just mathematically).
TEST(RankerTest, UpperBoundAndMonotonicity) {
  std::mt19937_64 rng(3);
  for (RankerKind kind : kAllKinds) {
    RankerParams p;
    p.kind = kind;
    for (int iter = 0; iter < 300; ++iter) {
      p.k1 = std::uniform_real_distribution<float>(0.2f, 3.0f)(rng);
      p.b = std::uniform_real_distribution<float>(0.0f, 1.0f)(rng);
      const uint64_t n = 1 + rng() % 1000000;
      const TermScorer s = TermScorer::ForTerm(p, Stats(n, n * (1 + rng() % 1000)), 1 + rng() % n,
                                               std::uniform_real_distribution<float>(0, 4)(rng));
      for (int j = 0; j < 200; ++j) {
        const uint32_t max_tf = 1 + static_cast<uint32_t>(rng() % 300);
        const uint8_t min_norm = static_cast<uint8_t>(rng() % 256);
        const uint32_t tf = 1 + static_cast<uint32_t>(rng() % max_tf);
        const uint8_t norm = static_cast<uint8_t>(min_norm + rng() % (256 - min_norm));
        const float score = s.Score(static_cast<float>(tf), norm);
        ASSERT_LE(score, s.MaxScore(max_tf, min_norm));
        ASSERT_LE(score, s.MaxScore(index::kTfSaturated, min_norm));
        ASSERT_LE(s.MaxScore(max_tf, 0), s.MaxScore(index::kTfSaturated, 255));
        ASSERT_LE(s.Score(static_cast<float>(tf), norm), s.Score(static_cast<float>(tf + 1), norm));
        if (norm < 255) {
          ASSERT_GE(score, s.Score(static_cast<float>(tf), static_cast<uint8_t>(norm + 1)));
        }
        ASSERT_GE(score, 0.0f);
      }
    }
  }
}

TEST(TopKTest, MatchesFullSortWithTies) {
  std::mt19937_64 rng(5);
  for (size_t k : {0, 1, 3, 10, 100, 1000}) {
    for (int iter = 0; iter < 20; ++iter) {
      std::vector<ScoredDoc> all;
      TopK topk(k);
      const int n = static_cast<int>(rng() % 500);
      std::vector<index::DocId> ids(n);
      for (int i = 0; i < n; ++i) ids[i] = static_cast<index::DocId>(i * 3 + rng() % 3);
      std::shuffle(ids.begin(), ids.end(), rng);  // any insertion order
      for (int i = 0; i < n; ++i) {
        const float score = static_cast<float>(rng() % 20);  // many ties
        all.push_back({ids[i], score});
        topk.Insert(ids[i], score);
        if (topk.full() && k > 0) {
          EXPECT_LE(topk.threshold(), 19.0f);
        }
      }
      std::sort(all.begin(), all.end(), [](const ScoredDoc& a, const ScoredDoc& b) {
        return a.score != b.score ? a.score > b.score : a.doc < b.doc;
      });
      all.resize(std::min(all.size(), k));
      if (k > 0 && static_cast<size_t>(n) >= k) {
        EXPECT_EQ(topk.threshold(), all.back().score);
      }
      EXPECT_EQ(topk.Take(), all);
    }
  }
  TopK empty(0);
  EXPECT_FALSE(empty.Insert(1, 5.0f));
  EXPECT_EQ(empty.threshold(), std::numeric_limits<float>::infinity());
}

}  // namespace
}  // namespace scour::engine
