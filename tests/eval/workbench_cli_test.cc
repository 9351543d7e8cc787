// Runs the real binary (SCOUR_CLI_PATH): `scour eval --index` and `scour compare` on the home
// corpus dev set (corpus/party_state.jsonl, corpus/dev/), indexed once per test binary run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/cli/cli_runner.h"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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

TEST_F(Workbench, BenchNeedsATimedPass) {
  // --repeat 0 read the latency of an empty sample (a crash).
  EXPECT_EQ(RunCli("bench --index " + index_ + " --queries " + kTopics + " --repeat 0").exit_code,
            2);
  Result r = RunCli("bench --index " + index_ + " --queries " + kTopics +
                    " --repeat 1 --warmup-secs 0 --json");
  EXPECT_EQ(r.exit_code, 0) << r.out;
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
  EXPECT_THAT(r.out, HasSubstr("p_rand(holm)"));
  EXPECT_THAT(r.out, HasSubstr("p_t(holm)"));
  EXPECT_THAT(r.out, HasSubstr("p_wsr(holm)"));
  EXPECT_THAT(r.out, HasSubstr("95% CI"));
  EXPECT_THAT(r.out, HasSubstr("W/T/L"));
  EXPECT_THAT(r.out, HasSubstr("20 queries"));
  // Latency from the index, and the parameters that decide the numbers.
  EXPECT_THAT(r.out, HasSubstr("mean_us"));
  EXPECT_THAT(r.out, HasSubstr("p99_us"));
  EXPECT_THAT(r.out, HasSubstr("qps"));
  EXPECT_THAT(r.out, HasSubstr("judged@10"));
  EXPECT_THAT(r.out, HasSubstr("randomization: 10000 sampled sign assignments, seed 1544191575"));
  EXPECT_THAT(r.out, HasSubstr("interval: 95% paired bootstrap (percentile), 10000 resamples"));
  EXPECT_THAT(r.out, HasSubstr("search depth: 1000"));
  EXPECT_THAT(r.out, HasSubstr("relevance level: 1"));
  EXPECT_THAT(r.out, HasSubstr("per-query map: bm25tp - bm25"));
  std::string page = ReadFile(html);
  EXPECT_THAT(page, HasSubstr("<svg"));
  EXPECT_THAT(page, HasSubstr("</html>"));
  EXPECT_EQ(page.find("<script src"), std::string::npos);  // self-contained
}

TEST_F(Workbench, CompareIdenticalSystemsHasNoDifference) {
  Result r = RunCli("compare --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                    " --metrics map --ranker bm25 --config \"same:--ranker bm25 --k1 0.9 --b 0.4\" "
                    "--format json --latency-passes 0");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out.substr(0, r.out.rfind('}') + 1));
  ASSERT_EQ(j["pairs"].size(), 1u);
  const auto& p = j["pairs"][0];
  EXPECT_EQ(p["delta"].get<double>(), 0);
  EXPECT_EQ(p["ci"][0].get<double>(), 0);
  EXPECT_EQ(p["ci"][1].get<double>(), 0);
  EXPECT_TRUE(p["d_z"].is_null());
  EXPECT_EQ(p["wins"], 0);
  EXPECT_EQ(p["ties"], 20);
  EXPECT_EQ(p["losses"], 0);
  for (const char* t : {"randomization", "t-test", "wilcoxon"}) {
    EXPECT_EQ(p["p"][t].get<double>(), 1) << t;
    EXPECT_EQ(p["p_adjusted"][t].get<double>(), 1) << t;
  }
  EXPECT_TRUE(j["systems"][0]["latency"].is_null());
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
  EXPECT_THAT(s.out, HasSubstr("best map (in-sample): "));
  EXPECT_THAT(s.out, HasSubstr("the best grid point is chosen and scored on the same 20 topics"));
  EXPECT_THAT(ReadFile(html), HasSubstr("<svg"));
  EXPECT_EQ(RunCli("compare --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                   " --sweep q=1:2:1")
                .exit_code,
            2);
}

TEST_F(Workbench, CompareFormatsAndPerQueryTsv) {
  const std::string base = "compare --index " + index_ + " --topics " + kTopics + " --qrels " +
                           kQrels + " --ranker bm25 --ranker bm25tp --ranker bm25l --metrics " +
                           "map,P.10 --latency-passes 1 --seed 7 --permutations 500 ";
  Result j = RunCli(base + "--format json --per-query-tsv " + dir_ + "/pq.tsv");
  ASSERT_EQ(j.exit_code, 0) << j.out;
  auto json = nlohmann::json::parse(j.out.substr(0, j.out.rfind('}') + 1));
  ASSERT_EQ(json["systems"].size(), 3u);
  EXPECT_EQ(json["pairs"].size(), 4u);  // 2 systems x 2 measures against bm25
  EXPECT_THAT(json["parameters"]["randomization"].get<std::string>(),
              HasSubstr("500 sampled sign assignments, seed 7"));
  EXPECT_TRUE(json["systems"][1]["latency"].contains("p99_us"));
  // Holm over the 4 p-values of each test, recomputed from the raw ones.
  for (const char* test : {"randomization", "t-test", "wilcoxon"}) {
    std::vector<double> raw;
    for (const auto& p : json["pairs"]) raw.push_back(p["p"][test].get<double>());
    std::vector<size_t> order = {0, 1, 2, 3};
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return raw[a] < raw[b]; });
    double running = 0;
    for (size_t i = 0; i < 4; ++i) {
      running = std::max(running, std::min(1.0, double(4 - i) * raw[order[i]]));
      EXPECT_NEAR(json["pairs"][order[i]]["p_adjusted"][test].get<double>(), running, 1e-12);
    }
  }
  // The TSV holds the JSON's per-query values.
  std::string tsv = ReadFile(dir_ + "/pq.tsv");
  const std::string q0 = json["queries"][0];
  char want[128];
  std::snprintf(want, sizeof(want), "bm25tp\tmap\t%s\t%.6f\n", q0.c_str(),
                json["systems"][1]["per_query"]["map"][0].get<double>());
  EXPECT_THAT(tsv, HasSubstr(want));
  Result md = RunCli(base + "--format markdown");
  ASSERT_EQ(md.exit_code, 0) << md.out;
  EXPECT_THAT(md.out, HasSubstr("| system | map | P_10 | judged@10 | mean_us |"));
  EXPECT_THAT(md.out, HasSubstr("- correction: holm over systems x measures, per test"));
  Result tex = RunCli(base + "--format latex --all-pairs --correction bonferroni");
  ASSERT_EQ(tex.exit_code, 0) << tex.out;
  EXPECT_THAT(tex.out, HasSubstr("\\begin{tabular}"));
  EXPECT_THAT(tex.out, HasSubstr("bonferroni correction over 6 comparisons"));
  EXPECT_THAT(tex.out, HasSubstr("% randomization: 500 sampled sign assignments, seed 7"));
  EXPECT_EQ(RunCli(base + "--format yaml").exit_code, 2);
  EXPECT_EQ(RunCli(base + "--correction fdr").exit_code, 2);
  EXPECT_EQ(RunCli(base + "--tests sign").exit_code, 2);
}

TEST_F(Workbench, CompareWarnsWhenASystemIsLessJudged) {
  // A copy of the bm25 run with every document id changed: nothing in its top 10 is judged.
  const std::string r1 = dir_ + "/judged_a.run", r2 = dir_ + "/judged_b.run";
  ASSERT_EQ(RunCli("eval --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                   " --run-out " + r1)
                .exit_code,
            0);
  std::string text = ReadFile(r1), out;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    size_t a = line.find(" Q0 ") + 4;
    line.insert(a, "x");
    out += line + "\n";
  }
  std::FILE* f = std::fopen(r2.c_str(), "w");
  std::fwrite(out.data(), 1, out.size(), f);
  std::fclose(f);
  Result c = RunCli("compare --qrels " + kQrels + " --run " + r1 + " --run " + r2);
  ASSERT_EQ(c.exit_code, 0) << c.out;
  EXPECT_THAT(c.out, HasSubstr("warning: judged_b.run: judged@10 is 0.000 against"));
  EXPECT_THAT(c.out, Not(HasSubstr("mean_us")));  // run files: no latency
}

TEST_F(Workbench, SweepCrossValidationAndSplits) {
  const std::string sweep = "compare --index " + index_ + " --topics " + kTopics + " --qrels " +
                            kQrels + " --sweep k1=0.5:1.5:0.5,b=0.25:0.75:0.25 --metrics map " +
                            "--latency-passes 1 ";
  Result cv = RunCli(sweep + "--folds 4");
  ASSERT_EQ(cv.exit_code, 0) << cv.out;
  EXPECT_THAT(cv.out, HasSubstr("cross-validation on map:"));
  EXPECT_THAT(cv.out, HasSubstr("fold 4"));
  EXPECT_THAT(cv.out, HasSubstr("cross-validated map: "));
  EXPECT_THAT(cv.out, HasSubstr("4-fold cross-validation by topic on map"));
  // The held-out choices tested against the default parameters (k1 0.9, b 0.4) on every topic.
  EXPECT_THAT(cv.out, HasSubstr("held-out choices against the default parameters, on the 20 "
                                "held-out topics:"));
  EXPECT_THAT(cv.out, HasSubstr("tuned (held-out)  default (ranker=bm25 k1=0.9 b=0.4)"));
  EXPECT_THAT(cv.out, HasSubstr("tuned vs default: family size: 1 (1 pair x 1 measure)"));
  EXPECT_THAT(cv.out, Not(HasSubstr("chosen and scored on the same")));
  EXPECT_THAT(cv.out, HasSubstr("mean_us"));  // latency per grid point
  const std::string train = dir_ + "/train.txt", test = dir_ + "/test.txt";
  std::FILE* f = std::fopen(train.c_str(), "w");
  std::fputs("# tune on the first ten\nD1\nD2\nD3\nD4\nD5\nD6\nD7\nD8\nD9\nD10\n", f);
  std::fclose(f);
  Result sp = RunCli(sweep + "--train-topics " + train);
  ASSERT_EQ(sp.exit_code, 0) << sp.out;
  EXPECT_THAT(sp.out, HasSubstr("train/test split on map:"));
  EXPECT_THAT(sp.out, HasSubstr("held-out map: "));
  EXPECT_THAT(sp.out, HasSubstr("against the default parameters, on the 10 held-out topics"));
  // Bad split files: an unknown topic, a repeated one; folds without a sweep; folds > topics.
  f = std::fopen(test.c_str(), "w");
  std::fputs("D11\nD99\n", f);
  std::fclose(f);
  Result bad = RunCli(sweep + "--train-topics " + train + " --test-topics " + test);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.out, HasSubstr("test.txt:2: topic \"D99\" is not among the compared topics"));
  f = std::fopen(test.c_str(), "w");
  std::fputs("D11\nD12\nD11\n", f);
  std::fclose(f);
  Result dup = RunCli(sweep + "--test-topics " + test);
  EXPECT_EQ(dup.exit_code, 1);
  EXPECT_THAT(dup.out, HasSubstr("test.txt:3: topic \"D11\" repeated"));
  EXPECT_EQ(RunCli(sweep + "--folds 21").exit_code, 2);
  EXPECT_EQ(RunCli(sweep + "--folds 3 --train-topics " + train).exit_code, 2);
  EXPECT_EQ(RunCli("compare --index " + index_ + " --topics " + kTopics + " --qrels " + kQrels +
                   " --ranker bm25 --ranker bm25l --folds 3")
                .exit_code,
            2);
}

}  // namespace
