// Runs the real `scour eval` binary (path from SCOUR_CLI_PATH) on small files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "nlohmann/json.hpp"
#include "tests/cli/cli_runner.h"

namespace {

using ::testing::HasSubstr;

using Result = scour::testing_cli::CliRun;

// stderr is merged into out.
Result RunCli(const std::string& args) { return scour::testing_cli::RunScourCliMerged(args); }

// Unique per test (TestStem): ctest runs the tests of this fixture as parallel processes, and a
// shared path let one test truncate the file another was reading (a flaky failure).
std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = scour::testing_cli::TestStem("eval_cli") + "_" + name;
  std::ofstream(path) << text;
  return path;
}

class EvalCli : public testing::Test {
 protected:
  void SetUp() override {
    // Query 1: ranking d1 (rel), d9 (unjudged; ties d2 at 2.0 and wins on docid), d2 (non-rel),
    // d3 (rel 2); R = 3 -> AP = (1/1 + 2/4) / 3 = 0.5. Query 2: nothing relevant -> 0.
    qrels_ = WriteFile("qrels", "1 0 d1 1\n1 0 d2 0\n1 0 d3 2\n1 0 d4 1\n2 0 a 0\n3 0 x 1\n");
    run_ = WriteFile("run",
                     "1 Q0 d1 1 3.0 sys\n1 Q0 d2 2 2.0 sys\n1 Q0 d9 3 2.0 sys\n"
                     "1 Q0 d3 4 1.0 sys\n2 Q0 a 1 5 sys\n");
  }
  std::string qrels_, run_;
};

TEST_F(EvalCli, TrecEvalColumns) {
  // Without -m: trec_eval's "official" set, in its order.
  Result r = RunCli("eval --run " + run_ + " --qrels " + qrels_);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.find("runid                 \tall\tsys\n"
                       "num_q                 \tall\t2\n"
                       "num_ret               \tall\t5\n"),
            0u)
      << r.out;
  EXPECT_THAT(r.out, HasSubstr("map                   \tall\t0.2500\n"));
  EXPECT_THAT(r.out, HasSubstr("gm_map                \tall\t"));
  EXPECT_THAT(r.out, HasSubstr("iprec_at_recall_0.10  \tall\t"));
  // P@5 for query 1 = 2/5, query 2 = 0 -> 0.2.
  EXPECT_THAT(r.out, HasSubstr("P_5                   \tall\t0.2000\n"));
  EXPECT_EQ(r.out.find("ndcg"), std::string::npos);   // not official
  EXPECT_EQ(r.out.find("\t1\t"), std::string::npos);  // no per-query lines without -q
}

// `scour eval` takes trec_eval's arguments and prints its exact output
// (tests/data/trec_eval/README.md says how the files were made).
TEST_F(EvalCli, SameTextAsTrecEvalWithItsArguments) {
  const std::string src = SCOUR_SOURCE_DIR;
  const std::string data = src + "/tests/data/trec_eval/";
  Result cisi = RunCli("eval -q -m all_trec " + src + "/corpus/collections/cisi/qrels.txt " + data +
                       "lucene-cisi.run");
  ASSERT_EQ(cisi.exit_code, 0) << cisi.out.substr(0, 500);
  EXPECT_TRUE(cisi.out == scour::testing_cli::ReadFile(data + "lucene-cisi.all_trec"));
  // Options glued to their values, as trec_eval is often called.
  Result dev = RunCli("eval -q -c -M10 -l2 -mall_trec " + src + "/corpus/dev/qrels.txt " + data +
                      "edge-dev.run");
  ASSERT_EQ(dev.exit_code, 0) << dev.out.substr(0, 500);
  EXPECT_TRUE(dev.out == scour::testing_cli::ReadFile(data + "edge-dev.c-M10-l2.all_trec"));
}

TEST_F(EvalCli, MeasureSelectionAsTrecEval) {
  Result r = RunCli("eval -m P.5,10 -m ndcg_cut.1 -m map -m set_F.0.5 " + qrels_ + " " + run_);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // trec_eval's order, whatever the order of -m; parameters name single-column measures.
  EXPECT_EQ(r.out,
            "map                   \tall\t0.2500\n"
            "P_5                   \tall\t0.2000\n"
            "P_10                  \tall\t0.1000\n"
            "ndcg_cut_1            \tall\t0.2500\n"  // query 1: gain 1 / ideal 2; query 2: 0
            // set_F(0.5) of query 1: P = 2/4, R = 2/3 -> 1.5 * P * R / (0.5 P + R) = 0.5455.
            "set_F_0.5             \tall\t0.2727\n");
  // Parameters override a set's defaults, as in trec_eval.
  Result over = RunCli("eval -m official -m P.2 " + qrels_ + " " + run_);
  ASSERT_EQ(over.exit_code, 0) << over.out;
  EXPECT_THAT(over.out, HasSubstr("P_2                   \tall\t"));
  EXPECT_EQ(over.out.find("P_5"), std::string::npos) << over.out;
  Result n = RunCli("eval -q -n -m num_ret " + qrels_ + " " + run_);
  ASSERT_EQ(n.exit_code, 0) << n.out;
  EXPECT_EQ(n.out, "num_ret               \t1\t4\nnum_ret               \t2\t1\n");
  Result judged = RunCli("eval -q -m judged.1,4 -m relstring.5 " + qrels_ + " " + run_);
  ASSERT_EQ(judged.exit_code, 0) << judged.out;
  // Query 1 ranks d1 (1), d9 (not judged), d2 (0), d3 (2).
  EXPECT_THAT(judged.out, HasSubstr("relstring_5           \t1\t'1-02'\n"));
  EXPECT_THAT(judged.out, HasSubstr("judged_4              \t1\t0.7500\n"));
  EXPECT_THAT(judged.out, HasSubstr("judged_1              \tall\t1.0000\n"));
}

TEST_F(EvalCli, PerQueryCompleteAndCutoffs) {
  Result r = RunCli("eval --run " + run_ + " --qrels " + qrels_ +
                    " -q -c -k 2 --metrics map,P,num_q,num_rel");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out,
            "num_rel               \t1\t3\n"
            "map                   \t1\t0.5000\n"
            "P_2                   \t1\t0.5000\n"
            "num_rel               \t2\t0\n"
            "map                   \t2\t0.0000\n"
            "P_2                   \t2\t0.0000\n"
            "num_q                 \tall\t3\n"
            "num_rel               \tall\t4\n"       // with -c: every judgment > 0 in the qrels
            "map                   \tall\t0.1667\n"  // 0.5 / 3 qrels queries
            "P_2                   \tall\t0.1667\n");
}

TEST_F(EvalCli, Json) {
  Result r =
      RunCli("eval --run " + run_ + " --qrels " + qrels_ + " --json -q --metrics map,num_rel");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_DOUBLE_EQ(j["all"]["map"].get<double>(), 0.25);
  EXPECT_EQ(j["all"]["num_rel"].get<int>(), 3);
  EXPECT_EQ(j["num_q"].get<int>(), 2);
  EXPECT_EQ(j["run_tag"].get<std::string>(), "sys");
  ASSERT_EQ(j["queries"].size(), 2u);
  EXPECT_DOUBLE_EQ(j["queries"][0]["metrics"]["map"].get<double>(), 0.5);
}

TEST_F(EvalCli, MaxRetrieved) {
  // -M 1 keeps only d1 for query 1: AP = (1/1) / 3.
  Result r = RunCli("eval --run " + run_ + " --qrels " + qrels_ + " -M 1 -q --metrics map");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("map                   \t1\t0.3333\n"));
}

TEST_F(EvalCli, Errors) {
  Result missing = RunCli("eval --run /nonexistent/run.txt --qrels " + qrels_);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.out, HasSubstr("/nonexistent/run.txt"));

  std::string bad = WriteFile("bad_run", "1 Q0 d1 1 3.0 sys\n1 Q0 d2 2\n");
  Result malformed = RunCli("eval --run " + bad + " --qrels " + qrels_);
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_THAT(malformed.out, HasSubstr(bad + ":2:"));

  std::string dup = WriteFile("dup_run", "1 Q0 d1 1 3.0 sys\n1 Q0 d1 2 2.0 sys\n");
  Result duplicate = RunCli("eval --run " + dup + " --qrels " + qrels_);
  EXPECT_EQ(duplicate.exit_code, 1);
  EXPECT_THAT(duplicate.out, HasSubstr(dup + ":2:"));

  std::string bad_qrels = WriteFile("bad_qrels", "1 0 d1 1\n1 0 d2 high\n");
  Result q = RunCli("eval " + bad_qrels + " " + run_);
  EXPECT_EQ(q.exit_code, 1);
  EXPECT_THAT(q.out, HasSubstr(bad_qrels + ":2: relevance 'high' is not an integer"));

  std::string bad_score = WriteFile("bad_score", "1 Q0 d1 1 3.0 sys\n\n1 Q0 d2 2 x7 sys\n");
  Result score = RunCli("eval " + qrels_ + " " + bad_score);
  EXPECT_EQ(score.exit_code, 1);
  EXPECT_THAT(score.out, HasSubstr(bad_score + ":3: score 'x7'"));

  EXPECT_EQ(RunCli("eval --qrels " + qrels_).exit_code, 2);
  EXPECT_EQ(RunCli("eval --run " + run_ + " --qrels " + qrels_ + " --metrics nope").exit_code, 2);
  EXPECT_EQ(RunCli("eval --run " + run_ + " --qrels " + qrels_ + " -k 0").exit_code, 2);
  EXPECT_EQ(RunCli("eval -m P.x " + qrels_ + " " + run_).exit_code, 2);
  EXPECT_EQ(RunCli("eval -m utility.1,2 " + qrels_ + " " + run_).exit_code, 2);
  EXPECT_EQ(RunCli("eval -m map.5 " + qrels_ + " " + run_).exit_code, 2);
  EXPECT_EQ(RunCli("eval " + qrels_).exit_code, 2);                                  // one file
  EXPECT_EQ(RunCli("eval " + qrels_ + " " + run_ + " --run " + run_).exit_code, 2);  // both
  EXPECT_EQ(RunCli("eval -M -1 " + qrels_ + " " + run_).exit_code, 2);
}

}  // namespace
