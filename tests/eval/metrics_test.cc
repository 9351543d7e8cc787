#include "eval/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eval/trec_io.h"

namespace scour::eval {
namespace {

using ::testing::HasSubstr;

Qrels MustQrels(const std::string& text) {
  auto q = ParseQrels(text, "qrels");
  EXPECT_TRUE(q.ok()) << q.status();
  return *std::move(q);
}
Run MustRun(const std::string& text) {
  auto r = ParseRun(text, "run");
  EXPECT_TRUE(r.ok()) << r.status();
  return *std::move(r);
}
EvalReport MustEval(const Qrels& q, const Run& r, const EvalOptions& o = {}) {
  auto e = Evaluate(q, r, o);
  EXPECT_TRUE(e.ok()) << e.status();
  return *std::move(e);
}
double Get(const EvalReport& e, const std::string& qid, const std::string& col) {
  int c = e.ColumnIndex(col);
  EXPECT_GE(c, 0) << col;
  if (qid == "all") return e.summary[c];
  for (const QueryResult& q : e.queries) {
    if (q.qid == qid) return q.values[c];
  }
  ADD_FAILURE() << "no query " << qid;
  return -1;
}

// Query 1 of the hand-worked example: qrels d1=1, d2=0, d3=2, d4=1 (R = 3 relevant, 1 judged
// non-relevant). Run scores d1 3.0, d2 2.0, d9 2.0, d3 1.0: the d2/d9 tie is broken by docid
// descending, so the ranking is d1 (rel 1), d9 (not judged), d2 (rel 0), d3 (rel 2).
const char kQrels[] =
    "1 0 d1 1\n1 0 d2 0\n1 0 d3 2\n1 0 d4 1\n"
    "2 0 a 0\n2 0 b 0\n"  // judged, but nothing relevant
    "3 0 x 1\n";          // not in the run
const char kRun[] =
    "1 Q0 d1 1 3.0 t\n1 Q0 d2 2 2.0 t\n1 Q0 d9 3 2.0 t\n1 Q0 d3 4 1.0 t\n"
    "2 Q0 a 1 5 t\n2 Q0 z 2 4 t\n"
    "4 Q0 x 1 1 t\n";  // not in the qrels: ignored

// The ten measures scour printed by default before it followed trec_eval's "official" set.
std::vector<MeasureRequest> Classic(const std::vector<int64_t>& ks) {
  auto m = ParseMeasureList(
      "num_q,num_ret,num_rel,num_rel_ret,map,bpref,recip_rank,P,recall,"
      "ndcg_cut",
      ks);
  EXPECT_TRUE(m.ok()) << m.status();
  return *std::move(m);
}

TEST(Metrics, HandWorkedQuery) {
  EvalOptions o;
  o.measures = Classic({1, 2, 3, 10});
  EvalReport e = MustEval(MustQrels(kQrels), MustRun(kRun), o);
  // Ranks of relevant docs: 1 (d1) and 4 (d3). AP = (1/1 + 2/4) / 3 = 0.5.
  EXPECT_DOUBLE_EQ(Get(e, "1", "map"), 0.5);
  EXPECT_DOUBLE_EQ(Get(e, "1", "recip_rank"), 1.0);
  // P@1 = 1/1, P@2 = 1/2, P@3 = 1/3, P@10 = 2/10 (missing ranks count as non-relevant).
  EXPECT_DOUBLE_EQ(Get(e, "1", "P_1"), 1.0);
  EXPECT_DOUBLE_EQ(Get(e, "1", "P_2"), 0.5);
  EXPECT_DOUBLE_EQ(Get(e, "1", "P_3"), 1.0 / 3);
  EXPECT_DOUBLE_EQ(Get(e, "1", "P_10"), 0.2);
  // recall@3 = 1/3, recall@10 = 2/3.
  EXPECT_DOUBLE_EQ(Get(e, "1", "recall_3"), 1.0 / 3);
  EXPECT_DOUBLE_EQ(Get(e, "1", "recall_10"), 2.0 / 3);
  // bpref: N = 1 judged non-relevant. d1: no non-relevant above -> 1. d3: d2 above ->
  // 1 - min(1,3)/min(1,3) = 0. bpref = (1 + 0) / 3.
  EXPECT_DOUBLE_EQ(Get(e, "1", "bpref"), 1.0 / 3);
  // DCG gains by rank: 1, 0, 0, 2. Discount of rank r: log2(r + 1) (trec_eval >= 9.0.4), so
  // 1, log2(3), 2, log2(5). Ideal gains 2, 1, 1. ndcg@1 = 1/2. ndcg@2 = 1 / (2 + 1/log2(3)).
  // ndcg@3 = 1 / (2 + 1/log2(3) + 1/2). ndcg@10 = (1 + 2/log2(5)) / (2 + 1/log2(3) + 1/2).
  EXPECT_DOUBLE_EQ(Get(e, "1", "ndcg_cut_1"), 0.5);
  EXPECT_NEAR(Get(e, "1", "ndcg_cut_2"), 1.0 / (2 + 1 / std::log2(3.0)), 1e-15);
  EXPECT_NEAR(Get(e, "1", "ndcg_cut_3"), 1.0 / (2.5 + 1 / std::log2(3.0)), 1e-15);
  EXPECT_NEAR(Get(e, "1", "ndcg_cut_10"), (1 + 2 / std::log2(5.0)) / (2.5 + 1 / std::log2(3.0)),
              1e-15);
  EXPECT_EQ(Get(e, "1", "num_ret"), 4);
  EXPECT_EQ(Get(e, "1", "num_rel"), 3);
  EXPECT_EQ(Get(e, "1", "num_rel_ret"), 2);

  // Query 2 has judgments but none relevant: evaluated, every measure 0, and it counts in the
  // averages. Query 3 (no run) and 4 (no qrels) are not evaluated.
  ASSERT_EQ(e.queries.size(), 2u);
  EXPECT_EQ(Get(e, "2", "map"), 0);
  EXPECT_EQ(Get(e, "2", "ndcg_cut_10"), 0);
  EXPECT_EQ(e.num_q, 2);
  EXPECT_DOUBLE_EQ(Get(e, "all", "map"), 0.25);  // (0.5 + 0) / 2
  EXPECT_DOUBLE_EQ(Get(e, "all", "P_2"), 0.25);
  EXPECT_EQ(Get(e, "all", "num_ret"), 6);  // sums, not means
  EXPECT_EQ(Get(e, "all", "num_rel"), 3);
  EXPECT_EQ(Get(e, "all", "num_q"), 2);
}

TEST(Metrics, CompleteAveragesOverAllQrelsQueries) {
  EvalOptions o;
  o.complete = true;
  o.measures = *ParseMeasureList("num_q,num_rel,num_ret,map,P.2");
  EvalReport e = MustEval(MustQrels(kQrels), MustRun(kRun), o);
  // Queries 1, 2, 3; query 3 is missing from the run and scores 0.
  ASSERT_EQ(e.queries.size(), 3u);
  EXPECT_FALSE(e.queries[2].in_run);
  EXPECT_EQ(e.num_q, 3);
  EXPECT_DOUBLE_EQ(Get(e, "all", "map"), 0.5 / 3);
  EXPECT_DOUBLE_EQ(Get(e, "all", "P_2"), 0.5 / 3);
  EXPECT_EQ(Get(e, "all", "num_rel"), 4);  // 3 (query 1) + 0 + 1 (query 3)
  EXPECT_EQ(Get(e, "all", "num_ret"), 6);
  EXPECT_EQ(Get(e, "3", "num_rel"), 1);
  EXPECT_EQ(Get(e, "3", "map"), 0);
  // As trec_eval 9.0.x, the missing query is averaged but not printed per query.
  std::string text = FormatTrecEval(e, /*per_query=*/true);
  EXPECT_THAT(text, HasSubstr("map                   \t1\t0.5000\n"));
  EXPECT_EQ(text.find("\t3\t"), std::string::npos);
  EXPECT_THAT(text, HasSubstr("num_q                 \tall\t3\n"));
  EXPECT_THAT(text, HasSubstr("map                   \tall\t0.1667\n"));
}

TEST(Metrics, NoCommonQueryIsAnErrorEvenWithComplete) {
  // As trec_eval ("No queries with both results and relevance info"), -c or not.
  Qrels q = MustQrels("1 0 a 1\n");
  eval::Run r = MustRun("2 Q0 a 1 1 t\n");
  EXPECT_FALSE(Evaluate(q, r, {}).ok());
  EvalOptions o;
  o.complete = true;
  EXPECT_FALSE(Evaluate(q, r, o).ok());
}

TEST(Metrics, FormatIsTrecEvalThreeColumns) {
  EvalOptions o;
  o.measures = *ParseMeasureList("num_ret,map,ndcg_cut.10");
  EvalReport e = MustEval(MustQrels(kQrels), MustRun(kRun), o);
  EXPECT_EQ(FormatTrecEval(e, false),
            "num_ret               \tall\t6\n"
            "map                   \tall\t0.2500\n"
            // ((1 + 2/log2(5)) / (2.5 + 1/log2(3)) + 0) / 2 = 0.29725...
            "ndcg_cut_10           \tall\t0.2973\n");
}

TEST(Metrics, TiesBrokenByDocidDescending) {
  // All scores equal: the ranking is z, y, x. Only x is relevant -> rank 3.
  Qrels q = MustQrels("1 0 x 1\n1 0 y 0\n");
  eval::Run r = MustRun("1 Q0 x 1 1.0 t\n1 Q0 y 2 1.0 t\n1 Q0 z 3 1.0 t\n");
  auto rj = RankQuery(q.Find("1"), r.Find("1"), 1, 1000);
  ASSERT_TRUE(rj.ok());
  EXPECT_EQ(rj->rels, (std::vector<int32_t>{kRelNonPool, 0, 1}));
  EXPECT_DOUBLE_EQ(ReciprocalRank(*rj), 1.0 / 3);
  // Bytewise: "B" < "a", so among equal scores "a" ranks before "B".
  eval::Run r2 = MustRun("1 Q0 B 1 1.0 t\n1 Q0 a 2 1.0 t\n");
  Qrels q2 = MustQrels("1 0 B 1\n");
  auto rj2 = RankQuery(q2.Find("1"), r2.Find("1"), 1, 1000);
  ASSERT_TRUE(rj2.ok());
  EXPECT_EQ(rj2->rels, (std::vector<int32_t>{kRelNonPool, 1}));
}

TEST(Metrics, ScoresAreReadAsFloats) {
  // 3.000000001 and 3.0 are one float: trec_eval ranks them by docid descending (b, then a),
  // though as doubles a would come first. 2.5 and 2.50000001 likewise (d, then c).
  Qrels q = MustQrels("1 0 a 1\n1 0 c 1\n");
  eval::Run r =
      MustRun("1 Q0 a 1 3.000000001 t\n1 Q0 b 2 3.0 t\n1 Q0 c 3 2.50000001 t\n1 Q0 d 4 2.5 t\n");
  auto rj = RankQuery(q.Find("1"), r.Find("1"), 1, kAllRetrieved);
  ASSERT_TRUE(rj.ok());
  EXPECT_EQ(rj->rels, (std::vector<int32_t>{kRelNonPool, 1, kRelNonPool, 1}));
  EXPECT_DOUBLE_EQ(ReciprocalRank(*rj), 0.5);
}

TEST(Metrics, DuplicateDocidsAreErrorsWithinTheCutoffOnly) {
  Qrels q = MustQrels("1 0 a 1\n");
  eval::Run r = MustRun("1 Q0 a 1 3 t\n1 Q0 b 2 2 t\n1 Q0 a 3 1 t\n");
  auto e = Evaluate(q, r, {});
  ASSERT_FALSE(e.ok());
  EXPECT_THAT(std::string(e.status().message()), HasSubstr("run:3:"));
  // With -M 2 the second "a" (score 1) is cut off before trec_eval's duplicate check.
  EvalOptions o;
  o.max_retrieved = 2;
  EXPECT_TRUE(Evaluate(q, r, o).ok());

  Qrels dup = MustQrels("1 0 a 1\n1 0 a 0\n");
  auto e2 = Evaluate(dup, MustRun("1 Q0 a 1 1 t\n"), {});
  ASSERT_FALSE(e2.ok());
  EXPECT_THAT(std::string(e2.status().message()), HasSubstr("qrels:2:"));
}

TEST(Metrics, MaxRetrievedTruncatesAfterSorting) {
  // Sorted: c (3), b (2), a (1). -M 2 keeps c, b; a (relevant) is dropped.
  Qrels q = MustQrels("1 0 a 1\n1 0 b 1\n");
  eval::Run r = MustRun("1 Q0 a 1 1 t\n1 Q0 b 2 2 t\n1 Q0 c 3 3 t\n");
  EvalOptions o;
  o.max_retrieved = 2;
  o.measures = *ParseMeasureList("num_ret,num_rel_ret,map,P.5");
  EvalReport e = MustEval(q, r, o);
  EXPECT_EQ(Get(e, "1", "num_ret"), 2);
  EXPECT_EQ(Get(e, "1", "num_rel_ret"), 1);
  EXPECT_DOUBLE_EQ(Get(e, "1", "map"), (1.0 / 2) / 2);  // b at rank 2, R = 2
  EXPECT_DOUBLE_EQ(Get(e, "1", "P_5"), 1.0 / 5);
}

TEST(Metrics, RelevanceLevelAndGradedGains) {
  // With level 2 only d2 is relevant for binary measures, but ndcg still uses every gain > 0.
  Qrels q = MustQrels("1 0 d1 1\n1 0 d2 2\n1 0 d3 0\n");
  eval::Run r = MustRun("1 Q0 d1 1 3 t\n1 Q0 d3 2 2 t\n1 Q0 d2 3 1 t\n");
  EvalOptions o;
  o.relevance_level = 2;
  o.measures = *ParseMeasureList("num_rel,map,bpref,P.1,ndcg_cut.3");
  EvalReport e = MustEval(q, r, o);
  EXPECT_EQ(Get(e, "1", "num_rel"), 1);
  EXPECT_DOUBLE_EQ(Get(e, "1", "map"), 1.0 / 3);  // d2 at rank 3
  EXPECT_EQ(Get(e, "1", "P_1"), 0);
  // bpref: non-relevant judged = d1 (rel 1 < 2) and d3 -> N = 2; R = 1. Two above d2:
  // 1 - min(2, 1) / min(2, 1) = 0.
  EXPECT_EQ(Get(e, "1", "bpref"), 0);
  // DCG = 1/log2(2) + 0 + 2/log2(4) = 2; ideal = 2/log2(2) + 1/log2(3).
  EXPECT_NEAR(Get(e, "1", "ndcg_cut_3"), 2 / (2 + 1 / std::log2(3.0)), 1e-15);
}

TEST(Metrics, NegativeJudgmentsAreUnjudged) {
  // d2 is "in the pool but unjudged" (-1): neither relevant nor non-relevant; bpref skips it.
  Qrels q = MustQrels("1 0 d1 1\n1 0 d2 -1\n1 0 d3 0\n");
  eval::Run r = MustRun("1 Q0 d2 1 3 t\n1 Q0 d1 2 2 t\n");
  auto rj = RankQuery(q.Find("1"), r.Find("1"), 1, 1000);
  ASSERT_TRUE(rj.ok());
  EXPECT_EQ(rj->rels, (std::vector<int32_t>{kRelUnjudged, 1}));
  EXPECT_EQ(rj->num_rel, 1);
  EXPECT_EQ(rj->num_nonrel, 1);
  EXPECT_DOUBLE_EQ(Bpref(*rj), 1.0);
  EXPECT_DOUBLE_EQ(AveragePrecision(*rj), 0.5);
}

TEST(ParseMeasureList, NamesCutoffsAndErrors) {
  auto m = ParseMeasureList("map, P.5,10 ,ndcg_cut_20,recall", std::vector<int64_t>{7});
  ASSERT_TRUE(m.ok()) << m.status();
  // One request per measure, in trec_eval's output order.
  ASSERT_EQ(m->size(), 4u);
  EXPECT_EQ((*m)[0].measure, Measure::kMap);
  EXPECT_EQ((*m)[1].cutoffs, (std::vector<int64_t>{5, 10}));
  EXPECT_EQ((*m)[2].measure, Measure::kRecall);
  EXPECT_EQ((*m)[2].cutoffs, (std::vector<int64_t>{7}));
  EXPECT_EQ((*m)[3].measure, Measure::kNdcgCut);
  EXPECT_EQ((*m)[3].cutoffs, (std::vector<int64_t>{20}));
  EXPECT_EQ(ParseMeasureList("all")->size(), AllTrecMeasureNames().size());
  EXPECT_FALSE(ParseMeasureList("mapp").ok());
  EXPECT_FALSE(ParseMeasureList("map.5").ok());
  EXPECT_FALSE(ParseMeasureList("P.0").ok());
  EXPECT_FALSE(ParseMeasureList("").ok());
  EXPECT_FALSE(ParseMeasureList("10").ok());
}

TEST(ParseMeasureList, TrecEvalParametersNicknamesAndNames) {
  // A parameter overrides the set's default, as trec_eval's -m all_trec -m P.10.
  auto m = ParseMeasureList("all_trec,P.10");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->size(), AllTrecMeasureNames().size());
  for (const MeasureRequest& r : *m) {
    if (r.measure == Measure::kP) {
      EXPECT_EQ(r.cutoffs, (std::vector<int64_t>{10}));
    }
    if (r.measure == Measure::kSuccess) {
      EXPECT_EQ(r.cutoffs, (std::vector<int64_t>{1, 5, 10}));
    }
  }
  auto names = [](const std::string& list) {
    auto r = ParseMeasureList(list);
    EXPECT_TRUE(r.ok()) << list << ": " << r.status();
    std::vector<std::string> out;
    for (const MeasureRequest& req : r.value_or(std::vector<MeasureRequest>{})) {
      for (std::string& n : ColumnNames(req)) out.push_back(std::move(n));
    }
    return out;
  };
  EXPECT_EQ(names("set_F.0.5,ndcg.1=2,2=4,utility.1,-1,0,0"),
            (std::vector<std::string>{"utility_1,-1,0,0", "ndcg_1=2,2=4", "set_F_0.5"}));
  EXPECT_EQ(
      names("iprec_at_recall_0.10,Rprec_mult.0.5,1"),
      (std::vector<std::string>{"iprec_at_recall_0.10", "Rprec_mult_0.50", "Rprec_mult_1.00"}));
  EXPECT_EQ(names("success,judged.3"),
            (std::vector<std::string>{"success_1", "success_5", "success_10", "judged_3"}));
  EXPECT_EQ(names("set_F,relstring"), (std::vector<std::string>{"relstring", "set_F"}));
  EXPECT_EQ(names("official"), (std::vector<std::string>{"runid",
                                                         "num_q",
                                                         "num_ret",
                                                         "num_rel",
                                                         "num_rel_ret",
                                                         "map",
                                                         "gm_map",
                                                         "Rprec",
                                                         "bpref",
                                                         "recip_rank",
                                                         "iprec_at_recall_0.00",
                                                         "iprec_at_recall_0.10",
                                                         "iprec_at_recall_0.20",
                                                         "iprec_at_recall_0.30",
                                                         "iprec_at_recall_0.40",
                                                         "iprec_at_recall_0.50",
                                                         "iprec_at_recall_0.60",
                                                         "iprec_at_recall_0.70",
                                                         "iprec_at_recall_0.80",
                                                         "iprec_at_recall_0.90",
                                                         "iprec_at_recall_1.00",
                                                         "P_5",
                                                         "P_10",
                                                         "P_15",
                                                         "P_20",
                                                         "P_30",
                                                         "P_100",
                                                         "P_200",
                                                         "P_500",
                                                         "P_1000"}));
  for (const char* bad : {"utility.1,2", "ndcg.x=1", "ndcg.1", "set_F.a", "set_F.0.5,set_F.1", "P.",
                          "map,,P", "judged.0", "runid.3"}) {
    EXPECT_FALSE(ParseMeasureList(bad).ok()) << bad;
  }
}

// ---- Random runs against a reference written straight from the definitions. ----

struct RefQuery {
  std::map<std::string, int> qrels;
  std::vector<std::pair<std::string, double>> run;
};

struct RefValues {
  double ap, rr, bpref;
  std::vector<double> p, recall, ndcg;
};

RefValues Reference(const RefQuery& q, const std::vector<int64_t>& ks, int64_t max_ret) {
  auto ranked = q.run;
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first > b.first;
  });
  if (static_cast<int64_t>(ranked.size()) > max_ret) ranked.resize(max_ret);
  auto rel_of = [&](const std::string& d) {
    auto it = q.qrels.find(d);
    return it == q.qrels.end() ? -1 : it->second;
  };
  int64_t R = 0, N = 0;
  std::vector<double> ideal;
  for (const auto& [d, rel] : q.qrels) {
    R += rel >= 1;
    N += rel == 0;
    if (rel > 0) ideal.push_back(rel);
  }
  std::sort(ideal.rbegin(), ideal.rend());
  auto rel_in_top = [&](int64_t k) {
    int64_t c = 0;
    for (int64_t i = 0; i < k && i < static_cast<int64_t>(ranked.size()); ++i) {
      c += rel_of(ranked[i].first) >= 1;
    }
    return c;
  };
  RefValues v{0, 0, 0, {}, {}, {}};
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (rel_of(ranked[i].first) < 1) continue;
    v.ap += double(rel_in_top(i + 1)) / double(i + 1);
    if (v.rr == 0) v.rr = 1.0 / double(i + 1);
    int64_t nonrel_above = 0;
    for (size_t j = 0; j < i; ++j) nonrel_above += rel_of(ranked[j].first) == 0;
    v.bpref +=
        nonrel_above == 0 ? 1.0 : 1.0 - double(std::min(nonrel_above, R)) / double(std::min(N, R));
  }
  if (R > 0) {
    v.ap /= double(R);
    v.bpref /= double(R);
  }
  for (int64_t k : ks) {
    v.p.push_back(double(rel_in_top(k)) / double(k));
    v.recall.push_back(R > 0 ? double(rel_in_top(k)) / double(R) : 0.0);
    double dcg = 0, idcg = 0;
    for (int64_t r = 1; r <= k; ++r) {
      double disc = std::log2(double(r + 1));
      if (r <= static_cast<int64_t>(ranked.size())) {
        dcg += std::max(0, rel_of(ranked[r - 1].first)) / disc;
      }
      if (r <= static_cast<int64_t>(ideal.size())) idcg += ideal[r - 1] / disc;
    }
    v.ndcg.push_back(idcg > 0 ? dcg / idcg : 0.0);
  }
  return v;
}

TEST(Metrics, RandomRunsMatchReferenceAndInvariants) {
  std::mt19937 rng(20240611);
  const std::vector<int64_t> ks = {1, 3, 5, 10, 20};
  for (int trial = 0; trial < 40; ++trial) {
    std::string qrels_text, run_text;
    std::map<std::string, RefQuery> ref;
    const int num_queries = 1 + rng() % 6;
    for (int qi = 0; qi < num_queries; ++qi) {
      std::string qid = absl::StrCat("q", qi);
      RefQuery& rq = ref[qid];
      const int pool = 1 + rng() % 25;
      for (int d = 0; d < pool; ++d) {
        if (rng() % 3 == 0) continue;  // not judged
        int rel = std::vector<int>{0, 0, 0, 1, 1, 2, 3}[rng() % 7];
        std::string doc = absl::StrCat("D", d);
        rq.qrels[doc] = rel;
        qrels_text += qid + " 0 " + doc + " " + std::to_string(rel) + "\n";
      }
      if (rq.qrels.empty()) {
        rq.qrels["D0"] = 1;
        qrels_text += qid + " 0 D0 1\n";
      }
      for (int d = 0; d < pool; ++d) {
        if (rng() % 4 == 0) continue;          // not retrieved
        double score = double(rng() % 8) / 2;  // coarse scores force many ties
        std::string doc = absl::StrCat("D", d);
        rq.run.emplace_back(doc, score);
      }
      if (rq.run.empty()) rq.run.emplace_back("D0", 1.0);
    }
    // Write the run with lines shuffled across queries: order must not matter.
    std::vector<std::string> lines;
    for (const auto& [qid, rq] : ref) {
      for (const auto& [doc, score] : rq.run) {
        lines.push_back(qid + " Q0 " + doc + " 0 " + std::to_string(score) + " t\n");
      }
    }
    std::shuffle(lines.begin(), lines.end(), rng);
    for (const std::string& l : lines) run_text += l;

    EvalOptions o;
    o.max_retrieved = trial % 2 == 0 ? 1000 : 7;
    o.measures = Classic(ks);
    EvalReport e = MustEval(MustQrels(qrels_text), MustRun(run_text), o);
    ASSERT_EQ(e.queries.size(), ref.size());
    double map_sum = 0;
    for (const QueryResult& qr : e.queries) {
      RefValues v = Reference(ref[qr.qid], ks, o.max_retrieved);
      EXPECT_NEAR(Get(e, qr.qid, "map"), v.ap, 1e-12) << "trial " << trial << " " << qr.qid;
      EXPECT_NEAR(Get(e, qr.qid, "recip_rank"), v.rr, 1e-12);
      EXPECT_NEAR(Get(e, qr.qid, "bpref"), v.bpref, 1e-12) << "trial " << trial;
      for (size_t i = 0; i < ks.size(); ++i) {
        std::string k = std::to_string(ks[i]);
        EXPECT_NEAR(Get(e, qr.qid, "P_" + k), v.p[i], 1e-12);
        EXPECT_NEAR(Get(e, qr.qid, "recall_" + k), v.recall[i], 1e-12);
        EXPECT_NEAR(Get(e, qr.qid, "ndcg_cut_" + k), v.ndcg[i], 1e-12) << "trial " << trial;
        EXPECT_GE(Get(e, qr.qid, "ndcg_cut_" + k), 0);
        EXPECT_LE(Get(e, qr.qid, "ndcg_cut_" + k), 1 + 1e-12);
        EXPECT_LE(Get(e, qr.qid, "P_" + k), 1);
        EXPECT_LE(Get(e, qr.qid, "recall_" + k), 1);
      }
      map_sum += Get(e, qr.qid, "map");
    }
    EXPECT_NEAR(Get(e, "all", "map"), map_sum / double(e.queries.size()), 1e-12);
  }
}

}  // namespace
}  // namespace scour::eval
