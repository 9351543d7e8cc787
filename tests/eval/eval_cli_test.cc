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
  Result r = RunCli("eval --run " + run_ + " --qrels " + qrels_);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("num_q                 \tall\t2\n"));
  EXPECT_THAT(r.out, HasSubstr("num_ret               \tall\t5\n"));
  EXPECT_THAT(r.out, HasSubstr("map                   \tall\t0.2500\n"));
  // P@5 for query 1 = 2/5, query 2 = 0 -> 0.2.
  EXPECT_THAT(r.out, HasSubstr("P_5                   \tall\t0.2000\n"));
  EXPECT_THAT(r.out, HasSubstr("ndcg_cut_1000         \tall\t"));
  EXPECT_EQ(r.out.find("\t1\t"), std::string::npos);  // no per-query lines without -q
}

TEST_F(EvalCli, PerQueryCompleteAndCutoffs) {
  Result r = RunCli("eval --run " + run_ + " --qrels " + qrels_ + " -q -c -k 2 --metrics map,P");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out,
            "map                   \t1\t0.5000\n"
            "P_2                   \t1\t0.5000\n"
            "map                   \t2\t0.0000\n"
            "P_2                   \t2\t0.0000\n"
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

  EXPECT_EQ(RunCli("eval --qrels " + qrels_).exit_code, 2);
  EXPECT_EQ(RunCli("eval --run " + run_ + " --qrels " + qrels_ + " --metrics nope").exit_code, 2);
  EXPECT_EQ(RunCli("eval --run " + run_ + " --qrels " + qrels_ + " -k 0").exit_code, 2);
}

}  // namespace
