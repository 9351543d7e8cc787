// CompareRuns, its formats and the tuning helpers on small in-memory cases worked by hand.
#include "eval/compare.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "eval/compare_format.h"
#include "eval/stats.h"
#include "eval/trec_io.h"
#include "eval/tuning.h"
#include "nlohmann/json.hpp"

namespace scour::eval {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Qrels MakeQrels() {
  // Three queries; q1: d1 d2 relevant, d3 judged non-relevant; q2: d4 relevant; q3: d5, d6.
  auto q = ParseQrels(
      "q1 0 d1 1\nq1 0 d2 1\nq1 0 d3 0\nq2 0 d4 1\nq2 0 d9 0\nq3 0 d5 1\nq3 0 d6 1\n", "qrels");
  EXPECT_TRUE(q.ok()) << q.status();
  return *q;
}

Run MakeRun(const std::string& text, const std::string& name) {
  auto r = ParseRun(text, name);
  EXPECT_TRUE(r.ok()) << r.status();
  return *r;
}

// Three systems with P_1 per query hand-computed:
//   base: q1 d3 (0), q2 d4 (1), q3 d5 (1)        -> P_1 = 0, 1, 1
//   good: q1 d1 (1), q2 d4 (1), q3 d5 (1)        -> 1, 1, 1
//   bad:  q1 d3 (0), q2 x1 (0, unjudged), q3 x2  -> 0, 0, 0
std::vector<NamedRun> ThreeSystems() {
  return {
      {"base", MakeRun("q1 Q0 d3 1 3 t\nq1 Q0 d1 2 2 t\nq2 Q0 d4 1 3 t\nq3 Q0 d5 1 3 t\n", "b")},
      {"good", MakeRun("q1 Q0 d1 1 3 t\nq1 Q0 d2 2 2 t\nq2 Q0 d4 1 3 t\nq3 Q0 d5 1 3 t\n", "g")},
      {"bad", MakeRun("q1 Q0 d3 1 3 t\nq2 Q0 x1 1 3 t\nq3 Q0 x2 1 3 t\n", "x")},
  };
}

CompareOptions P1Options() {
  CompareOptions o;
  o.eval.measures = *ParseMeasureList("P.1,P.2");
  o.judged_k = 2;
  o.bootstrap_samples = 200;
  return o;
}

TEST(CompareRuns, MeansPairsAndJudged) {
  auto c = CompareRuns(MakeQrels(), ThreeSystems(), P1Options());
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->columns.size(), 2u);
  EXPECT_EQ(c->columns[0].name, "P_1");
  EXPECT_EQ(c->qids, (std::vector<std::string>{"q1", "q2", "q3"}));
  EXPECT_NEAR(c->means[0][0], 2.0 / 3, 1e-15);
  EXPECT_NEAR(c->means[1][0], 1.0, 1e-15);
  EXPECT_NEAR(c->means[2][0], 0.0, 1e-15);
  // P_2: base q1 {d3, d1} = 1/2, q2 1/2, q3 1/2; good q1 {d1, d2} = 1, q2 1/2, q3 1/2.
  EXPECT_NEAR(c->means[1][1], 2.0 / 3, 1e-15);
  // judged@2 (over min(2, retrieved), as ir_measures): base q1 2/2, q2 1/1, q3 1/1 -> 1;
  // bad: q1 1/1, q2 0/1, q3 0/1 -> 1/3.
  ASSERT_EQ(c->judged_mean.size(), 3u);
  EXPECT_NEAR(c->judged_mean[0], 1.0, 1e-15);
  EXPECT_NEAR(c->judged_mean[2], 1.0 / 3, 1e-15);
  // bad is 2/3 below base: warned; good (1) is not.
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_THAT(c->warnings[0], HasSubstr("bad: judged@2 is 0.333 against 1.000 for base"));
  // Pairs: (good, base) and (bad, base) x 2 measures.
  ASSERT_EQ(c->pairs.size(), 4u);
  const PairedStats* g = c->Pair(1, 0, 0);
  ASSERT_NE(g, nullptr);
  EXPECT_NEAR(g->mean_diff, 1.0 / 3, 1e-15);
  EXPECT_EQ(g->wtl.wins, 1);
  EXPECT_EQ(g->wtl.ties, 2);
  EXPECT_EQ(g->wtl.losses, 0);
  // d = {1, 0, 0}: 8 sign patterns, |sum| >= 1 for all: p = 1 (exact); t-test: mean 1/3,
  // sd = sqrt(((2/3)^2 + 2 (1/3)^2) / 2) = sqrt(1/3), t = (1/3) / (sqrt(1/3) / sqrt 3) = 1, df 2:
  // p = 1 - 2 (F(1) - 1/2) with F(t) = 1/2 + t / (2 sqrt(2 + t^2)) -> p = 1 - 1/sqrt 3.
  EXPECT_EQ(g->p[0], 1.0);
  EXPECT_NEAR(g->p[1], 1 - 1 / std::sqrt(3.0), 1e-12);
  // Wilcoxon: one non-zero difference, p = 1.
  EXPECT_EQ(g->p[2], 1.0);
  // d_z = mean / sd = (1/3) / sqrt(1/3).
  EXPECT_NEAR(g->d_z, (1.0 / 3) / std::sqrt(1.0 / 3), 1e-12);
  EXPECT_TRUE(g->randomization_exact);
}

TEST(CompareRuns, HolmOverTheWholeFamilyPerTest) {
  CompareOptions o = P1Options();
  o.all_pairs = true;
  auto c = CompareRuns(MakeQrels(), ThreeSystems(), o);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->pairs.size(), 6u);  // 3 pairs x 2 measures
  for (size_t t = 0; t < kNumPairedTests; ++t) {
    // Holm by its definition over the 6 raw p-values.
    std::vector<double> raw;
    for (const PairedStats& p : c->pairs) raw.push_back(p.p[t]);
    std::vector<double> sorted = raw;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < raw.size(); ++i) {
      // Equal raw values share the adjusted value of the first of them.
      double want_first = 0;
      const size_t first = std::lower_bound(sorted.begin(), sorted.end(), raw[i]) - sorted.begin();
      for (size_t j = 0; j <= first; ++j)
        want_first = std::max(want_first, double(6 - j) * sorted[j]);
      const double got = c->pairs[i].p_adjusted[t];
      EXPECT_NEAR(got, std::min(1.0, want_first), 1e-12) << t << " " << i;
    }
  }
  // Bonferroni: min(1, 6 p).
  o.correction = Correction::kBonferroni;
  auto b = CompareRuns(MakeQrels(), ThreeSystems(), o);
  ASSERT_TRUE(b.ok());
  for (const PairedStats& p : b->pairs)
    for (size_t t = 0; t < kNumPairedTests; ++t)
      EXPECT_NEAR(p.p_adjusted[t], std::min(1.0, 6 * p.p[t]), 1e-15);
  // None: adjusted = raw.
  o.correction = Correction::kNone;
  auto n = CompareRuns(MakeQrels(), ThreeSystems(), o);
  ASSERT_TRUE(n.ok());
  for (const PairedStats& p : n->pairs)
    for (size_t t = 0; t < kNumPairedTests; ++t) EXPECT_EQ(p.p_adjusted[t], p.p[t]);
}

TEST(CompareRuns, OnlyTheChosenTestsAndErrors) {
  CompareOptions o = P1Options();
  o.tests = {PairedTest::kWilcoxon};
  auto c = CompareRuns(MakeQrels(), ThreeSystems(), o);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(std::isnan(c->pairs[0].p[0]));
  EXPECT_TRUE(std::isnan(c->pairs[0].p[1]));
  EXPECT_FALSE(std::isnan(c->pairs[0].p[2]));
  auto systems = ThreeSystems();
  systems[1].name = "base";
  EXPECT_FALSE(CompareRuns(MakeQrels(), systems, o).ok());  // duplicate name
  o.alpha = 1.5;
  EXPECT_FALSE(CompareRuns(MakeQrels(), ThreeSystems(), o).ok());
  EXPECT_EQ(*ParsePairedTests("wsr,t"),
            (std::vector<PairedTest>{PairedTest::kWilcoxon, PairedTest::kTTest}));
  EXPECT_FALSE(ParsePairedTests("t,t").ok());
  EXPECT_FALSE(ParsePairedTests("sign").ok());
  EXPECT_FALSE(ParsePairedTests("").ok());
}

TEST(CompareValues, SameStatisticsAsCompareRuns) {
  auto c = CompareRuns(MakeQrels(), ThreeSystems(), P1Options());
  ASSERT_TRUE(c.ok());
  auto v = CompareValues(c->systems, c->columns, c->qids, c->values, P1Options());
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->pairs.size(), c->pairs.size());
  for (size_t i = 0; i < c->pairs.size(); ++i) {
    EXPECT_EQ(v->pairs[i].mean_diff, c->pairs[i].mean_diff);
    EXPECT_EQ(v->pairs[i].ci.low, c->pairs[i].ci.low);
    EXPECT_EQ(v->pairs[i].ci.high, c->pairs[i].ci.high);
    for (size_t t = 0; t < kNumPairedTests; ++t) {
      EXPECT_EQ(v->pairs[i].p[t], c->pairs[i].p[t]);
      EXPECT_EQ(v->pairs[i].p_adjusted[t], c->pairs[i].p_adjusted[t]);
    }
  }
  EXPECT_EQ(v->means, c->means);
  EXPECT_TRUE(v->judged_mean.empty());
  // Shapes must agree.
  auto bad = c->values;
  bad[1].pop_back();
  EXPECT_FALSE(CompareValues(c->systems, c->columns, c->qids, bad, P1Options()).ok());
  EXPECT_FALSE(CompareValues({}, c->columns, c->qids, {}, P1Options()).ok());
}

TEST(JudgedAt, DividesByTheRetrievedUpToK) {
  RankedJudgments r;
  r.rels = {1, kRelNonPool, 0, kRelUnjudged, 2};
  EXPECT_DOUBLE_EQ(JudgedAt(r, 1), 1.0);
  EXPECT_DOUBLE_EQ(JudgedAt(r, 4), 2.0 / 4);
  EXPECT_DOUBLE_EQ(JudgedAt(r, 10), 3.0 / 5);  // ir_measures since PR #48: over min(k, n)
  EXPECT_DOUBLE_EQ(JudgedAt(RankedJudgments{}, 10), 0.0);
}

TEST(SummarizeLatency, NearestRank) {
  std::vector<double> us;
  for (int i = 100; i >= 1; --i) us.push_back(i);
  LatencySummary l = SummarizeLatency(us, 0.5, 2, 1);
  EXPECT_TRUE(l.measured);
  EXPECT_EQ(l.p50_us, 50);
  EXPECT_EQ(l.p99_us, 99);
  EXPECT_EQ(l.mean_us, 50.5);
  EXPECT_EQ(l.qps, 200);
  EXPECT_FALSE(SummarizeLatency({}, 1, 1, 0).measured);
}

TEST(Formats, MarkersLettersAndEscaping) {
  EXPECT_EQ(SystemLetter(0), "a");
  EXPECT_EQ(SystemLetter(25), "z");
  EXPECT_EQ(SystemLetter(26), "aa");
  CompareOptions o = P1Options();
  o.correction = Correction::kNone;
  o.alpha = 0.5;  // so that small-sample p-values count
  o.tests = {PairedTest::kTTest};
  o.all_pairs = true;
  auto systems = ThreeSystems();
  systems[2].name = "bad_&_50%";
  auto c = CompareRuns(MakeQrels(), systems, o);
  ASSERT_TRUE(c.ok());
  // t-test on P_1: good vs bad d = {1, 1, 1}: p = 0; good vs base d = {1, 0, 0}: p = 1 - 1/sqrt 3
  // = 0.42 < 0.5 -> good beats a and c; base vs bad: d = {0, 1, 1}, t = 2, p = 1 - 2/sqrt 6
  // = 0.18 -> base beats c; bad beats nobody.
  EXPECT_EQ(SignificanceMarker(*c, 1, 0, true), "ac");
  EXPECT_EQ(SignificanceMarker(*c, 0, 0, true), "c");
  EXPECT_EQ(SignificanceMarker(*c, 2, 0, true), "");
  CompareReport r;
  r.cmp = *c;
  std::string tex = FormatLatex(r);
  EXPECT_THAT(tex, HasSubstr("bad\\_\\&\\_50\\%"));
  EXPECT_THAT(tex, HasSubstr("$^{c}$"));
  EXPECT_THAT(tex, HasSubstr("\\toprule"));
  EXPECT_THAT(tex, HasSubstr("two-sided t-test, none correction over 6 comparisons"));
  std::string md = FormatMarkdown(r);
  EXPECT_THAT(md, HasSubstr("| (a) base |"));
  EXPECT_THAT(md, HasSubstr("- correction: none"));
  std::string text = FormatText(r);
  EXPECT_THAT(text, HasSubstr("letters: significantly better than that system (t-test"));
}

TEST(Formats, JsonCarriesEverything) {
  auto c = CompareRuns(MakeQrels(), ThreeSystems(), P1Options());
  ASSERT_TRUE(c.ok());
  CompareReport r;
  r.cmp = *c;
  auto j = nlohmann::json::parse(FormatJson(r));
  EXPECT_EQ(j["systems"].size(), 3u);
  EXPECT_EQ(j["systems"][1]["name"], "good");
  EXPECT_DOUBLE_EQ(j["systems"][1]["means"]["P_1"].get<double>(), 1.0);
  EXPECT_EQ(j["systems"][0]["per_query"]["P_1"], nlohmann::json::parse("[0.0, 1.0, 1.0]"));
  EXPECT_TRUE(j["systems"][0]["latency"].is_null());
  EXPECT_EQ(j["pairs"].size(), 4u);
  EXPECT_EQ(j["pairs"][0]["system"], "good");
  EXPECT_TRUE(j["pairs"][0]["p"].contains("wilcoxon"));
  EXPECT_TRUE(j["pairs"][0]["p_adjusted"].contains("randomization"));
  EXPECT_EQ(j["parameters"]["correction"], "holm over systems x measures, per test");
  EXPECT_THAT(j["parameters"]["interval"].get<std::string>(), HasSubstr("200 resamples, seed"));
  EXPECT_EQ(j["warnings"].size(), 1u);
}

TEST(Formats, PerQueryTsv) {
  auto c = CompareRuns(MakeQrels(), ThreeSystems(), P1Options());
  ASSERT_TRUE(c.ok());
  std::string tsv = FormatPerQueryTsv(*c);
  EXPECT_THAT(tsv, HasSubstr("base\tP_1\tq1\t0.000000\n"));
  EXPECT_THAT(tsv, HasSubstr("good\tP_1\tq1\t1.000000\n"));
  EXPECT_THAT(tsv, HasSubstr("bad\tjudged_2\tq2\t0.000000\n"));
  // Header + 3 systems x (2 measures + judged) x 3 queries.
  EXPECT_EQ(std::count(tsv.begin(), tsv.end(), '\n'), 1 + 3 * 3 * 3);
}

// ---- tuning ----

TEST(Folds, ReproducedByAReferenceShuffle) {
  for (size_t n : {5, 20, 23}) {
    for (int k : {2, 5}) {
      auto folds = MakeFolds(n, k, 99);
      ASSERT_TRUE(folds.ok());
      std::vector<size_t> perm(n);
      for (size_t i = 0; i < n; ++i) perm[i] = i;
      std::mt19937_64 rng(99);
      for (size_t i = n - 1; i >= 1; --i) {
        const uint64_t x = rng();
        const uint64_t m = i + 1, hi = x >> 32, lo = x & 0xffffffffu;
        std::swap(perm[i], perm[(hi * m + ((lo * m) >> 32)) >> 32]);
      }
      std::vector<int> seen(n, 0);
      for (int f = 0; f < k; ++f) {
        std::vector<size_t> want;
        for (size_t p = f; p < n; p += k) want.push_back(perm[p]);
        std::sort(want.begin(), want.end());
        EXPECT_EQ((*folds)[f].test, want);
        EXPECT_EQ((*folds)[f].train.size() + want.size(), n);
        for (size_t q : want) ++seen[q];
      }
      EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<long>(n));
    }
  }
  EXPECT_FALSE(MakeFolds(3, 4, 1).ok());
  EXPECT_FALSE(MakeFolds(3, 1, 1).ok());
}

TEST(Tune, HandWorkedFolds) {
  // Two grid points over four queries; values of the measure:
  //   s0: 0.9 0.9 0.1 0.1      s1: 0.5 0.5 0.5 0.5
  Comparison c;
  c.systems = {"s0", "s1"};
  c.columns = {{"map", Measure::kMap, 0, false}};
  c.qids = {"a", "b", "c", "d"};
  c.values = {{{0.9}, {0.9}, {0.1}, {0.1}}, {{0.5}, {0.5}, {0.5}, {0.5}}};
  c.means = {{0.5}, {0.5}};
  // Fold A tests {a, b}: trained on {c, d}, s1 wins (0.5 vs 0.1) and scores 0.5 on {a, b}.
  // Fold B tests {c, d}: trained on {a, b}, s0 wins (0.9) and scores 0.1 on {c, d}.
  std::vector<TopicSplit> splits = {{"A", {2, 3}, {0, 1}}, {"B", {0, 1}, {2, 3}}};
  auto t = Tune(c, 0, splits, "cross-validation", 7);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->folds.size(), 2u);
  EXPECT_EQ(t->folds[0].chosen, 1u);
  EXPECT_DOUBLE_EQ(t->folds[0].train_score, 0.5);
  EXPECT_DOUBLE_EQ(t->folds[0].test_score, 0.5);
  EXPECT_EQ(t->folds[1].chosen, 0u);
  EXPECT_DOUBLE_EQ(t->folds[1].test_score, 0.1);
  // Cross-validated: mean of 0.5 0.5 0.1 0.1 = 0.3, below both in-sample means of 0.5.
  EXPECT_DOUBLE_EQ(t->score, 0.3);
  EXPECT_EQ(t->held_out, (std::vector<double>{0.5, 0.5, 0.1, 0.1}));
  // Ties go to the lower index: train on {a, c} gives 0.5 for both.
  auto tie = Tune(c, 0, {{"T", {0, 2}, {1}}}, "split", 0);
  ASSERT_TRUE(tie.ok());
  EXPECT_EQ(tie->folds[0].chosen, 0u);
  EXPECT_FALSE(Tune(c, 0, {{"E", {}, {1}}}, "split", 0).ok());
  EXPECT_FALSE(Tune(c, 3, splits, "split", 0).ok());
}

TEST(TopicIds, ParsesAndRejectsBadInput) {
  auto ok = ParseTopicIds("# train\n q1\nq2\tsome query text\n\n  q10  \r\n", "t.txt");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->ids, (std::vector<std::string>{"q1", "q2", "q10"}));
  EXPECT_EQ(ok->lines, (std::vector<uint32_t>{2, 3, 5}));
  auto dup = ParseTopicIds("q1\nq2\nq1\n", "t.txt");
  ASSERT_FALSE(dup.ok());
  EXPECT_THAT(std::string(dup.status().message()),
              HasSubstr("t.txt:3: topic \"q1\" repeated (first on line 1)"));
  auto empty = ParseTopicIds("# nothing\n\n", "e.txt");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(std::string(empty.status().message()), HasSubstr("e.txt: no topic id"));
  auto nul = ParseTopicIds(std::string("q1\nq\0 2\n", 8), "n.txt");
  ASSERT_FALSE(nul.ok());
  EXPECT_THAT(std::string(nul.status().message()), HasSubstr("n.txt:2: NUL byte"));
  auto longid = ParseTopicIds(std::string(300, 'x'), "l.txt");
  ASSERT_FALSE(longid.ok());
  EXPECT_THAT(std::string(longid.status().message()), HasSubstr("l.txt:1: topic id longer"));
  EXPECT_FALSE(ReadTopicIdsFile("/nonexistent/topics.txt").ok());
}

TEST(TopicIds, SplitsAgainstTheComparedTopics) {
  const std::vector<std::string> qids = {"q1", "q2", "q3", "q4"};
  auto train = ParseTopicIds("q1\nq2\n", "train.txt");
  auto test = ParseTopicIds("q3\n", "test.txt");
  ASSERT_TRUE(train.ok() && test.ok());
  auto s = MakeSplit(qids, &*train, &*test);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->train, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(s->test, (std::vector<size_t>{2}));  // q4 is in neither
  auto only_train = MakeSplit(qids, &*train, nullptr);
  ASSERT_TRUE(only_train.ok());
  EXPECT_EQ(only_train->test, (std::vector<size_t>{2, 3}));
  auto unknown = ParseTopicIds("q1\nq9\n", "bad.txt");
  auto u = MakeSplit(qids, &*unknown, nullptr);
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(std::string(u.status().message()),
              HasSubstr("bad.txt:2: topic \"q9\" is not among the compared topics"));
  auto overlap = ParseTopicIds("q2\n", "o.txt");
  auto both = MakeSplit(qids, &*train, &*overlap);
  ASSERT_FALSE(both.ok());
  EXPECT_THAT(std::string(both.status().message()), HasSubstr("o.txt:1: topic \"q2\" is in both"));
  auto all = ParseTopicIds("q1\nq2\nq3\nq4\n", "all.txt");
  EXPECT_FALSE(MakeSplit(qids, &*all, nullptr).ok());  // no test topic left
}

}  // namespace
}  // namespace scour::eval
