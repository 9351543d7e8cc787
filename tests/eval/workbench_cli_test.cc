// Runs the real binary (SCOUR_CLI_PATH): `scour eval --index` and `scour compare` on the home
// corpus dev set (corpus/party_state.jsonl, corpus/dev/), indexed once per test binary run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/cli/cli_runner.h"

namespace {

using ::testing::HasSubstr;

using Result = scour::testing_cli::CliRun;

// stderr is merged into out.
Result RunCli(const std::string& args) { return scour::testing_cli::RunScourCliMerged(args); }

using scour::testing_cli::ReadFile;

const std::string kSrc = SCOUR_SOURCE_DIR;
const std::string kTopics = kSrc + "/corpus/dev/topics.tsv";
const std::string kQrels = kSrc + "/corpus/dev/qrels.txt";

class Workbench : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = testing::TempDir() + "/scour_workbench_" + std::to_string(getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    index_ = dir_ + "/index";
    Result r = RunCli("index -q --threads 1 --index " + index_ +
                      " --combine body=title,text --fields title,text --store none " + kSrc +
                      "/corpus/party_state.jsonl");
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }
  static std::string dir_, index_;
};
std::string Workbench::dir_, Workbench::index_;

TEST_F(Workbench, EvalIndexMatchesEvalOfItsOwnRunFile) {
  const std::string run = dir_ + "/bm25.run";
  Result a = RunCli("eval --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                    " --metrics map,ndcg_cut.10 --run-out " + run);
  ASSERT_EQ(a.exit_code, 0) << a.out;
  EXPECT_THAT(a.out, HasSubstr("map                   \tall\t"));
  EXPECT_THAT(a.out, HasSubstr("ndcg_cut_10           \tall\t"));
  // The written run, evaluated as a file, gives the same numbers.
  Result b = RunCli("eval --run " + run + " --qrels " + kQrels + " --metrics map,ndcg_cut.10");
  ASSERT_EQ(b.exit_code, 0) << b.out;
  EXPECT_EQ(a.out, b.out);
  // 20 topics, each with hits; the run has at most 1000 lines per topic and rank 1 lines.
  std::string text = ReadFile(run);
  EXPECT_THAT(text, HasSubstr("D1 Q0 "));
  EXPECT_THAT(text, HasSubstr("D20 Q0 "));
}

TEST_F(Workbench, EvalIndexRankerChangesTheRun) {
  Result a = RunCli("eval --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                    " --metrics map -q --ranker bm25");
  Result b = RunCli("eval --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                    " --metrics map -q --ranker bm25 --k1 2.0 --b 1.0");
  ASSERT_EQ(a.exit_code, 0) << a.out;
  ASSERT_EQ(b.exit_code, 0) << b.out;
  EXPECT_NE(a.out, b.out);
}

TEST_F(Workbench, EvalUsageErrors) {
  EXPECT_EQ(RunCli("eval --index " + index_ + " --qrels " + kQrels).exit_code, 2);  // no topics
  EXPECT_EQ(RunCli("eval --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                   " --ranker nope")
                .exit_code,
            2);
}

TEST_F(Workbench, CompareTwoRankersWithHtml) {
  const std::string html = dir_ + "/report.html";
  Result r = RunCli("compare --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                    " --ranker bm25 --ranker bm25tp --html " + html);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("system"));
  EXPECT_THAT(r.out, HasSubstr("map"));
  EXPECT_THAT(r.out, HasSubstr("ndcg_cut_10"));
  EXPECT_THAT(r.out, HasSubstr("bm25tp"));
  EXPECT_THAT(r.out, HasSubstr("p_rand"));
  EXPECT_THAT(r.out, HasSubstr("p_t"));
  EXPECT_THAT(r.out, HasSubstr("wins"));
  EXPECT_THAT(r.out, HasSubstr("20 queries"));
  EXPECT_THAT(r.out, HasSubstr("per-query map: bm25tp - bm25"));
  std::string page = ReadFile(html);
  EXPECT_THAT(page, HasSubstr("<svg"));
  EXPECT_THAT(page, HasSubstr("</html>"));
  EXPECT_EQ(page.find("<script src"), std::string::npos);  // self-contained
}

TEST_F(Workbench, CompareIdenticalSystemsHasNoDifference) {
  Result r = RunCli("compare --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                    " --metrics map --ranker bm25 --config \"same:--ranker bm25 --k1 0.9 --b 0.4\" "
                    "--brief");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("+0.0000      0    20     0    1.0000    1.0000"));
}

TEST_F(Workbench, CompareRunFilesAndSweep) {
  const std::string r1 = dir_ + "/a.run", r2 = dir_ + "/b.run";
  ASSERT_EQ(RunCli("eval --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                   " --run-out " + r1)
                .exit_code,
            0);
  ASSERT_EQ(RunCli("eval --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                   " --ranker bm25l --run-out " + r2)
                .exit_code,
            0);
  Result c = RunCli("compare --qrels " + kQrels + " --run " + r1 + " --run " + r2);
  ASSERT_EQ(c.exit_code, 0) << c.out;
  EXPECT_THAT(c.out, HasSubstr("b.run"));
  const std::string html = dir_ + "/sweep.html";
  Result s = RunCli("compare --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                    " --sweep k1=0.5:1.5:0.5,b=0.25:0.75:0.25 --metrics map --html " + html);
  ASSERT_EQ(s.exit_code, 0) << s.out;
  EXPECT_THAT(s.out, HasSubstr("k1=0.5,b=0.25"));
  EXPECT_THAT(s.out, HasSubstr("k1=1.5,b=0.75"));
  EXPECT_THAT(s.out, HasSubstr("best map: "));
  EXPECT_THAT(ReadFile(html), HasSubstr("<svg"));
  EXPECT_EQ(RunCli("compare --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                   " --sweep q=1:2:1")
                .exit_code,
            2);
}

}  // namespace
