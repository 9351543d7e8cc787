// The public evaluation API (include/scour/evaluation.h) against the eval module it wraps: the
// same tables from rows as from the files, in any row order; file readers keep file order;
// errors name the row.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "eval/metrics.h"
#include "eval/trec_io.h"
#include "scour/evaluation.h"

namespace scour {
namespace {

using ::testing::HasSubstr;

const std::string kQrels =
    "q1 0 d1 2\nq1 0 d2 0\nq1 0 d3 1\nq1 0 d9 -1\nq2 0 d4 1\nq2 0 d5 1\nq3 0 d1 1\n";
const std::string kRun =
    "q1 Q0 d3 1 9.5 t\nq1 Q0 d1 2 9.5 t\nq1 Q0 d7 3 3 t\nq1 Q0 d9 4 2.5 t\nq1 Q0 d2 5 1 t\n"
    "q2 Q0 d5 1 4 t\nq2 Q0 d8 2 3 t\nq4 Q0 d1 1 1 t\n";

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/evaluation_api_" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(EvaluationApi, ReadersKeepFileOrder) {
  auto run = ReadRun(WriteTemp("run", kRun));
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->size(), 8u);
  EXPECT_EQ((*run)[0].docid, "d3");
  EXPECT_EQ((*run)[1].docid, "d1");
  EXPECT_EQ((*run)[7].qid, "q4");
  EXPECT_EQ((*run)[2].score, 3.0);
  auto qrels = ReadQrels(WriteTemp("qrels", kQrels));
  ASSERT_TRUE(qrels.ok()) << qrels.status();
  ASSERT_EQ(qrels->size(), 7u);
  EXPECT_EQ((*qrels)[3].relevance, -1);
  EXPECT_EQ((*qrels)[6].qid, "q3");
  auto topics = ReadTopics(WriteTemp("topics", "b\tsecond topic\na\tfirst\n"));
  ASSERT_TRUE(topics.ok()) << topics.status();
  ASSERT_EQ(topics->size(), 2u);
  EXPECT_EQ((*topics)[0].qid, "b");
  EXPECT_EQ((*topics)[0].query, "second topic");
  EXPECT_TRUE(absl::IsNotFound(ReadRun("/nonexistent/run").status()));
}

TEST(EvaluationApi, RowsGiveTheFileTablesInAnyOrder) {
  auto run = ReadRun(WriteTemp("run2", kRun));
  auto qrels = ReadQrels(WriteTemp("qrels2", kQrels));
  ASSERT_TRUE(run.ok() && qrels.ok());
  auto want = eval::Evaluate(*eval::ParseQrels(kQrels, "q"), *eval::ParseRun(kRun, "r"), {});
  ASSERT_TRUE(want.ok()) << want.status();
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    EvaluationOptions o;
    o.complete = round == 4;
    auto got = Evaluate(*run, *qrels, o);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(got->measures.size(), want->columns.size());
    for (size_t m = 0; m < want->columns.size(); ++m) {
      EXPECT_EQ(got->measures[m], want->columns[m].name);
      EXPECT_EQ(got->integral[m], want->columns[m].integral);
      if (!o.complete) {
        EXPECT_EQ(got->summary[m], want->summary[m]) << got->measures[m];
      }
    }
    if (!o.complete) {
      ASSERT_EQ(got->qids.size(), want->queries.size());
      for (size_t q = 0; q < got->qids.size(); ++q) {
        EXPECT_EQ(got->qids[q], want->queries[q].qid);
        EXPECT_EQ(got->values[q], want->queries[q].values);
      }
      EXPECT_EQ(got->num_q, want->num_q);
    } else {
      EXPECT_EQ(got->num_q, 3);  // q1, q2, q3 (q3 missing from the run counts 0)
    }
    std::shuffle(run->begin(), run->end(), rng);
    std::shuffle(qrels->begin(), qrels->end(), rng);
  }
}

TEST(EvaluationApi, MeasuresByName) {
  auto run = ReadRun(WriteTemp("run3", kRun));
  auto qrels = ReadQrels(WriteTemp("qrels3", kQrels));
  EvaluationOptions o;
  o.measures = "ndcg_cut.3,map,P";
  o.cutoffs = {1, 2};
  auto t = Evaluate(*run, *qrels, o);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->measures, (std::vector<std::string>{"map", "P_1", "P_2", "ndcg_cut_3"}));
  o.measures = "map,bogus";
  EXPECT_THAT(std::string(Evaluate(*run, *qrels, o).status().message()), HasSubstr("bogus"));
  o.measures = "map";
  o.cutoffs = {0};
  EXPECT_TRUE(absl::IsInvalidArgument(Evaluate(*run, *qrels, o).status()));
}

TEST(EvaluationApi, ErrorsNameTheRow) {
  std::vector<RunRow> run = {{"q1", "d1", 1}, {"q1", "d2", 2}, {"q1", "d1", 3}};
  std::vector<Judgment> qrels = {{"q1", "d1", 1}};
  auto t = Evaluate(run, qrels);
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("d1"));
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("3"));  // the repeated row
  EXPECT_FALSE(Evaluate({}, qrels).ok());                          // nothing to evaluate
}

TEST(EvaluationApi, CompareReportsInEveryFormat) {
  auto run = ReadRun(WriteTemp("run4", kRun));
  auto qrels = ReadQrels(WriteTemp("qrels4", kQrels));
  std::vector<RunRow> other = *run;
  std::reverse(other.begin(), other.end());
  for (size_t i = 0; i < other.size(); ++i) other[i].score = double(i);
  ComparisonOptions o;
  o.evaluation.measures = "map,P.2";
  auto c = Compare({{"base", *run}, {"other", other}}, *qrels, o);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->json, HasSubstr("\"name\": \"other\""));
  EXPECT_THAT(c->json, HasSubstr("\"P_2\""));
  EXPECT_THAT(c->text, HasSubstr("other"));
  EXPECT_THAT(c->markdown, HasSubstr("|"));
  o.correction = "sidak";
  EXPECT_TRUE(absl::IsInvalidArgument(Compare({{"base", *run}}, *qrels, o).status()));
  o.correction = "";
  o.tests = "t,nosuch";
  EXPECT_TRUE(absl::IsInvalidArgument(Compare({{"base", *run}}, *qrels, o).status()));
}

}  // namespace
}  // namespace scour
