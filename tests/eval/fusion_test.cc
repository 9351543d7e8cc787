// Fusion (docs/FUSION.md): hand-worked runs, a naive reference on random runs, every error.
#include "eval/fusion.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eval/trec_io.h"
#include "scour/evaluation.h"

namespace scour::eval {
namespace {

using ::testing::HasSubstr;
using TrecRun = ::scour::eval::Run;  // `Run` alone is testing::Test::Run in a test body

TrecRun Parse(const std::string& text, const std::string& name) {
  absl::StatusOr<TrecRun> r = ParseRun(text, name);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : TrecRun{};
}

// "docid=score ..." of one query, in output order.
std::string Show(const TrecRun& run, const std::string& qid) {
  const RunQuery* q = run.Find(qid);
  if (q == nullptr) return "<none>";
  std::string out;
  for (const RunEntry& e : q->entries)
    absl::StrAppend(&out, out.empty() ? "" : " ", e.docid, "=", e.score);
  return out;
}

// A: d1 3, d2 2, d3 1 (the rank column is nonsense on purpose: it is ignored).
// B: d2 10, d4 5. Query 2 is only in B.
const char kRunA[] =
    "1 Q0 d3 1 1.0 a\n"
    "1 Q0 d1 7 3.0 a\n"
    "1 Q0 d2 2 2.0 a\n";
const char kRunB[] =
    "1 Q0 d2 1 10 b\n"
    "1 Q0 d4 2 5 b\n"
    "2 Q0 x 1 4 b\n";

absl::StatusOr<TrecRun> FuseAB(FusionOptions o) {
  return FuseRuns({Parse(kRunA, "a.run"), Parse(kRunB, "b.run")}, o);
}

float F(double v) { return static_cast<float>(v); }

TEST(Fusion, RrfByHand) {
  absl::StatusOr<TrecRun> r = FuseAB({});
  ASSERT_TRUE(r.ok()) << r.status();
  // d1: A rank 1 -> 1/61; d2: A rank 2, B rank 1 -> 1/62 + 1/61; d3: 1/63; d4: B rank 2, 1/62.
  const RunQuery* q = r->Find("1");
  ASSERT_NE(q, nullptr);
  ASSERT_EQ(q->entries.size(), 4u);
  EXPECT_EQ(q->entries[0].docid, "d2");
  EXPECT_EQ(q->entries[0].score, F(1.0 / 61 + 1.0 / 62));
  EXPECT_EQ(q->entries[1].docid, "d1");
  EXPECT_EQ(q->entries[1].score, F(1.0 / 61));
  EXPECT_EQ(q->entries[2].docid, "d4");
  EXPECT_EQ(q->entries[2].score, F(1.0 / 62));
  EXPECT_EQ(q->entries[3].docid, "d3");
  EXPECT_EQ(q->entries[3].score, F(1.0 / 63));
  // Query 2 is only in B: the union of queries, x at B's rank 1.
  EXPECT_EQ(Show(*r, "2"), absl::StrCat("x=", F(1.0 / 61)));
  EXPECT_EQ(r->tag, "scour-fuse-rrf");
}

TEST(Fusion, RrfWeightsAndK) {
  FusionOptions o;
  o.rrf_k = 0;
  o.weights = {2, 1};
  absl::StatusOr<TrecRun> r = FuseAB(o);
  ASSERT_TRUE(r.ok()) << r.status();
  // d1 2/1 = 2; d2 2/2 + 1/1 = 2; tie -> docid descending: d2 first. d3 2/3; d4 1/2.
  EXPECT_EQ(Show(*r, "1"), absl::StrCat("d2=2 d1=2 d3=", F(2.0 / 3), " d4=0.5"));
}

TEST(Fusion, CombSumMinMaxByHand) {
  FusionOptions o;
  o.method = FusionMethod::kCombSum;
  absl::StatusOr<TrecRun> r = FuseAB(o);
  ASSERT_TRUE(r.ok()) << r.status();
  // A min-max: d1 1, d2 0.5, d3 0; B: d2 1, d4 0. Sums: d2 1.5, d1 1, d4 0, d3 0 (tie: d4
  // above d3, docid descending). Query 2: one document, all scores equal -> 1.
  EXPECT_EQ(Show(*r, "1"), "d2=1.5 d1=1 d4=0 d3=0");
  EXPECT_EQ(Show(*r, "2"), "x=1");
}

TEST(Fusion, CombMnzByHand) {
  FusionOptions o;
  o.method = FusionMethod::kCombMnz;
  absl::StatusOr<TrecRun> r = FuseAB(o);
  ASSERT_TRUE(r.ok()) << r.status();
  // As CombSUM, times the number of runs holding the document: d2 1.5 * 2 = 3.
  EXPECT_EQ(Show(*r, "1"), "d2=3 d1=1 d4=0 d3=0");
}

TEST(Fusion, LinearByHand) {
  FusionOptions o;
  o.method = FusionMethod::kLinear;
  o.weights = {0.25, 0.75};
  absl::StatusOr<TrecRun> r = FuseAB(o);
  ASSERT_TRUE(r.ok()) << r.status();
  // d1 0.25 * 1; d2 0.25 * 0.5 + 0.75 * 1 = 0.875.
  EXPECT_EQ(Show(*r, "1"), "d2=0.875 d1=0.25 d4=0 d3=0");
}

TEST(Fusion, SumNormByHand) {
  FusionOptions o;
  o.method = FusionMethod::kCombSum;
  o.norm = FusionNorm::kSum;
  absl::StatusOr<TrecRun> r = FuseAB(o);
  ASSERT_TRUE(r.ok()) << r.status();
  // A: min 1, s - min = 2, 1, 0, total 3 -> d1 2/3, d2 1/3, d3 0. B: 5, 0 -> d2 1, d4 0.
  EXPECT_EQ(Show(*r, "1"), absl::StrCat("d2=", F(1.0 / 3 + 1.0), " d1=", F(2.0 / 3), " d4=0 d3=0"));
  EXPECT_EQ(Show(*r, "2"), "x=1");  // one document: 1/n
}

TEST(Fusion, ZScoreByHand) {
  FusionOptions o;
  o.method = FusionMethod::kCombSum;
  o.norm = FusionNorm::kZScore;
  absl::StatusOr<TrecRun> r = FuseAB(o);
  ASSERT_TRUE(r.ok()) << r.status();
  // A: mean 2, population sd sqrt(2/3): d1 1/sqrt(2/3), d2 0, d3 -1/sqrt(2/3).
  // B: mean 7.5, sd 2.5: d2 1, d4 -1. Missing documents add 0 (the run's mean).
  const double z = 1 / std::sqrt(2.0 / 3);
  EXPECT_EQ(Show(*r, "1"), absl::StrCat("d1=", F(z), " d2=1 d4=-1 d3=", F(-z)));
  EXPECT_EQ(Show(*r, "2"), "x=0");  // one document: sd 0 -> 0
}

TEST(Fusion, NoneKeepsScores) {
  FusionOptions o;
  o.method = FusionMethod::kCombSum;
  o.norm = FusionNorm::kNone;
  absl::StatusOr<TrecRun> r = FuseAB(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Show(*r, "1"), "d2=12 d4=5 d1=3 d3=1");
}

TEST(Fusion, DegenerateNormsWithEqualScores) {
  TrecRun a = Parse("q Q0 u 1 2 a\nq Q0 v 2 2 a\n", "a");
  TrecRun b = Parse("q Q0 v 1 7 b\n", "b");
  FusionOptions o;
  o.method = FusionMethod::kCombSum;
  o.norm = FusionNorm::kMinMax;
  EXPECT_EQ(Show(*FuseRuns({a, b}, o), "q"), "v=2 u=1");
  o.norm = FusionNorm::kSum;
  EXPECT_EQ(Show(*FuseRuns({a, b}, o), "q"), "v=1.5 u=0.5");
  o.norm = FusionNorm::kZScore;
  EXPECT_EQ(Show(*FuseRuns({a, b}, o), "q"), "v=0 u=0");
}

TEST(Fusion, InputRanksFollowTrecEvalOrder) {
  // Equal scores: docid descending, so b is rank 1 and a rank 2; 1.0000000001 equals 1.0 as a
  // float, so p and q tie too (q first).
  TrecRun a = Parse("t Q0 a 1 5 x\nt Q0 b 2 5 x\nt Q0 p 3 1.0000000001 x\nt Q0 q 4 1.0 x\n", "a");
  TrecRun b = Parse("u Q0 z 1 1 y\n", "b");
  absl::StatusOr<TrecRun> r = FuseRuns({a, b}, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Show(*r, "t"), absl::StrCat("b=", F(1.0 / 61), " a=", F(1.0 / 62), " q=", F(1.0 / 63),
                                        " p=", F(1.0 / 64)));
}

TEST(Fusion, InputAndOutputDepth) {
  FusionOptions o;
  o.input_depth = 1;
  absl::StatusOr<TrecRun> r = FuseAB(o);
  ASSERT_TRUE(r.ok()) << r.status();
  // Only A's d1 and B's d2 are read, each at rank 1: a tie, d2 first.
  EXPECT_EQ(Show(*r, "1"), absl::StrCat("d2=", F(1.0 / 61), " d1=", F(1.0 / 61)));
  o.input_depth = 0;
  o.depth = 2;
  r = FuseAB(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Show(*r, "1"), absl::StrCat("d2=", F(1.0 / 61 + 1.0 / 62), " d1=", F(1.0 / 61)));
  EXPECT_EQ(r->Find("1")->entries[1].line, 2u);  // the written rank
}

TEST(Fusion, Errors) {
  TrecRun a = Parse(kRunA, "a.run"), b = Parse(kRunB, "b.run");
  auto fails = [&](FusionOptions o, const std::string& what, std::vector<TrecRun> runs = {}) {
    if (runs.empty()) runs = {a, b};
    absl::StatusOr<TrecRun> r = FuseRuns(runs, o);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(what));
  };
  fails({}, "at least two runs", {a});
  FusionOptions o;
  o.rrf_k = -1;
  fails(o, "rrf k must be");
  o.rrf_k = NAN;
  fails(o, "rrf k must be");
  o = {};
  o.norm = FusionNorm::kMinMax;
  fails(o, "rrf reads ranks");
  o = {};
  o.weights = {1, 2, 3};
  fails(o, "3 weights for 2 runs");
  o.weights = {1, -1};
  fails(o, "weight 2 is -1");
  o.weights = {1, INFINITY};
  fails(o, "weight 2 is inf");
  o.weights = {0, 0};
  fails(o, "every weight is 0");
  o = {};
  o.method = FusionMethod::kLinear;
  fails(o, "linear fusion needs weights");
  o = {};
  o.depth = -1;
  fails(o, "depth must be >= 0");
  o = {};
  o.input_depth = -1;
  fails(o, "input depth must be >= 0");
  TrecRun dup = Parse("1 Q0 d1 1 3 a\n1 Q0 d9 2 2 a\n1 Q0 d1 3 1 a\n", "dup.run");
  fails({}, "dup.run:3: document d1 twice in query 1 (first at line 1)", {dup, b});
  TrecRun huge = Parse("1 Q0 d1 1 1e300 a\n", "huge.run");
  o = {};
  o.method = FusionMethod::kCombSum;
  o.norm = FusionNorm::kNone;
  fails(o, "beyond a float's range", {huge, b});
  EXPECT_FALSE(ParseFusionMethod("borda").ok());
  EXPECT_FALSE(ParseFusionNorm("max").ok());
}

// The reference: the definitions of docs/FUSION.md written out with maps, one query at a time.
std::map<std::string, std::vector<std::pair<std::string, float>>> Reference(
    const std::vector<TrecRun>& runs, const FusionOptions& o) {
  std::set<std::string> qids;
  for (const TrecRun& r : runs)
    for (const RunQuery& q : r.queries) qids.insert(q.qid);
  const FusionNorm norm =
      o.norm.value_or(o.method == FusionMethod::kRrf ? FusionNorm::kNone : FusionNorm::kMinMax);
  std::map<std::string, std::vector<std::pair<std::string, float>>> out;
  for (const std::string& qid : qids) {
    std::map<std::string, std::pair<double, int>> acc;  // docid -> (sum, runs)
    for (size_t i = 0; i < runs.size(); ++i) {
      const RunQuery* q = runs[i].Find(qid);
      if (q == nullptr) continue;
      std::vector<std::pair<std::string, double>> list;
      for (const RunEntry& e : q->entries) list.push_back({e.docid, e.score});
      std::sort(list.begin(), list.end(), [](const auto& x, const auto& y) {
        if (F(x.second) != F(y.second)) return F(x.second) > F(y.second);
        return x.first > y.first;
      });
      if (o.input_depth > 0 && list.size() > size_t(o.input_depth)) list.resize(o.input_depth);
      const double w = o.weights.empty() ? 1.0 : o.weights[i];
      const double n = double(list.size());
      double lo = INFINITY, hi = -INFINITY, total = 0, mean = 0, var = 0;
      for (auto& [d, s] : list) lo = std::min(lo, s), hi = std::max(hi, s), mean += s;
      mean /= n;
      for (auto& [d, s] : list) total += s - lo, var += (s - mean) * (s - mean);
      const double sd = std::sqrt(var / n);
      for (size_t rank = 1; rank <= list.size(); ++rank) {
        const double s = list[rank - 1].second;
        double v = s;
        if (o.method == FusionMethod::kRrf) {
          v = 1.0 / (o.rrf_k + double(rank));
        } else if (norm == FusionNorm::kMinMax) {
          v = hi == lo ? 1.0 : (s - lo) / (hi - lo);
        } else if (norm == FusionNorm::kSum) {
          v = total == 0 ? 1.0 / n : (s - lo) / total;
        } else if (norm == FusionNorm::kZScore) {
          v = sd == 0 ? 0.0 : (s - mean) / sd;
        }
        auto& [sum, count] = acc[list[rank - 1].first];
        sum += o.method == FusionMethod::kRrf ? w * v : w * v;
        ++count;
      }
    }
    std::vector<std::pair<std::string, float>> fused;
    for (auto& [d, sc] : acc)
      fused.push_back({d, F(o.method == FusionMethod::kCombMnz ? sc.first * sc.second : sc.first)});
    std::sort(fused.begin(), fused.end(), [](const auto& x, const auto& y) {
      return x.second != y.second ? x.second > y.second : x.first > y.first;
    });
    if (o.depth > 0 && fused.size() > size_t(o.depth)) fused.resize(o.depth);
    out[qid] = fused;
  }
  return out;
}

TEST(Fusion, RandomRunsMatchTheReference) {
  std::mt19937_64 rng(15);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int iter = 0; iter < 200; ++iter) {
    const int num_runs = uniform(2, 4);
    std::vector<TrecRun> runs;
    for (int i = 0; i < num_runs; ++i) {
      std::vector<std::string> lines;
      for (int q = 0; q < 4; ++q) {
        if (uniform(0, 4) == 0) continue;  // a query this run lacks
        std::vector<int> docs(12);
        for (int d = 0; d < 12; ++d) docs[d] = d;
        std::shuffle(docs.begin(), docs.end(), rng);
        const int n = uniform(1, 10);
        for (int k = 0; k < n; ++k) {
          // Coarse scores (ties are frequent), some negative.
          const double score = uniform(-3, 6) * (iter % 2 == 0 ? 0.5 : 1.75);
          lines.push_back(
              absl::StrCat("q", q, " Q0 doc", docs[k], " ", uniform(0, 99), " ", score, " r", i));
        }
      }
      std::shuffle(lines.begin(), lines.end(), rng);
      std::string text;
      for (const std::string& l : lines) absl::StrAppend(&text, l, "\n");
      runs.push_back(Parse(text, absl::StrCat("r", i)));
    }
    FusionOptions o;
    o.method = static_cast<FusionMethod>(iter % 4);
    if (o.method != FusionMethod::kRrf) o.norm = static_cast<FusionNorm>((iter / 4) % 4);
    if (o.method == FusionMethod::kRrf) o.rrf_k = uniform(0, 80);
    if (o.method == FusionMethod::kLinear || uniform(0, 1) == 1)
      for (int i = 0; i < num_runs; ++i) o.weights.push_back(uniform(1, 8) * 0.25);
    o.input_depth = uniform(0, 1) ? 0 : uniform(1, 6);
    o.depth = uniform(0, 1) ? 0 : uniform(1, 8);
    absl::StatusOr<TrecRun> got = FuseRuns(runs, o);
    ASSERT_TRUE(got.ok()) << got.status();
    auto want = Reference(runs, o);
    ASSERT_EQ(got->queries.size(), want.size()) << iter;
    for (const RunQuery& q : got->queries) {
      const auto& w = want[q.qid];
      ASSERT_EQ(q.entries.size(), w.size()) << iter << " " << q.qid;
      for (size_t k = 0; k < w.size(); ++k) {
        EXPECT_EQ(q.entries[k].docid, w[k].first) << iter << " " << q.qid << " " << k;
        EXPECT_EQ(q.entries[k].score, w[k].second) << iter << " " << q.qid << " " << k;
      }
    }
  }
}

TEST(FusionApi, PublicFuseMatchesTheModule) {
  std::vector<NamedRunRows> runs = {{"a", {{"1", "d1", 3}, {"1", "d2", 2}, {"1", "d3", 1}}},
                                    {"b", {{"1", "d2", 10}, {"1", "d4", 5}, {"2", "x", 4}}}};
  scour::FusionOptions o;
  o.method = "combmnz";
  absl::StatusOr<std::vector<RunRow>> r = scour::Fuse(runs, o);
  ASSERT_TRUE(r.ok()) << r.status();
  std::string got;
  for (const RunRow& row : *r) absl::StrAppend(&got, row.qid, ":", row.docid, "=", row.score, " ");
  EXPECT_EQ(got, "1:d2=3 1:d1=1 1:d4=0 1:d3=0 2:x=1 ");
  o.method = "rrf";
  o.norm = "zscore";
  EXPECT_THAT(std::string(scour::Fuse(runs, o).status().message()), HasSubstr("rrf reads ranks"));
  o.norm = "";
  o.method = "borda";
  EXPECT_THAT(std::string(scour::Fuse(runs, o).status().message()), HasSubstr("unknown fusion"));
  runs[1].run.push_back({"1", "d4", 1});
  o.method = "rrf";
  EXPECT_THAT(std::string(scour::Fuse(runs, o).status().message()),
              HasSubstr("b:4: document d4 twice in query 1 (first at line 2)"));
}

}  // namespace
}  // namespace scour::eval
