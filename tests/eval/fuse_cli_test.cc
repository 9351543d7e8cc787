// Runs the real `scour fuse` binary (path from SCOUR_CLI_PATH) on small runs (docs/FUSION.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/cli/cli_runner.h"

namespace {

using scour::testing_cli::CliRun;
using scour::testing_cli::ReadFile;
using scour::testing_cli::RunScourCli;
using scour::testing_cli::TestStem;
using ::testing::HasSubstr;

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = TestStem("fuse_cli") + "_" + name;
  std::ofstream(path) << text;
  return path;
}

class FuseCli : public testing::Test {
 protected:
  void SetUp() override {
    a_ = WriteFile("a.run", "1 Q0 d3 1 1.0 a\n1 Q0 d1 7 3.0 a\n1 Q0 d2 2 2.0 a\n");
    b_ = WriteFile("b.run", "1 Q0 d2 1 10 b\n1 Q0 d4 2 5 b\n2 Q0 x 1 4 b\n");
    stem_ = TestStem("fuse_cli");
  }
  CliRun Fuse(const std::string& args) { return RunScourCli("fuse " + args, stem_); }
  std::string a_, b_, stem_;
};

TEST_F(FuseCli, RrfToStdoutInTrecEvalOrder) {
  CliRun r = Fuse(a_ + " " + b_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 1/61 + 1/62 = 0.0325224749..., 1/61 = 0.0163934426..., 1/62, 1/63 (as floats, 9 digits).
  EXPECT_EQ(r.out,
            "1 Q0 d2 1 0.0325224735 scour-fuse-rrf\n"
            "1 Q0 d1 2 0.0163934417 scour-fuse-rrf\n"
            "1 Q0 d4 3 0.0161290318 scour-fuse-rrf\n"
            "1 Q0 d3 4 0.0158730168 scour-fuse-rrf\n"
            "2 Q0 x 1 0.0163934417 scour-fuse-rrf\n");
}

TEST_F(FuseCli, CombMnzToFileWithTagAndDepth) {
  const std::string out = stem_ + ".out";
  CliRun r =
      Fuse("--method combmnz --norm minmax --depth 2 --tag mnz -o " + out + " " + a_ + " " + b_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ReadFile(out), "1 Q0 d2 1 3 mnz\n1 Q0 d1 2 1 mnz\n2 Q0 x 1 1 mnz\n");
  // The output reads back and evaluates.
  const std::string qrels = WriteFile("qrels", "1 0 d1 1\n1 0 d2 0\n");
  CliRun e = RunScourCli("eval -m map " + qrels + " " + out, stem_);
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_THAT(e.out, HasSubstr("map                   \tall\t0.5000"));
}

TEST_F(FuseCli, LinearWeights) {
  CliRun r = Fuse("--method linear --weights 0.25,0.75 " + a_ + " " + b_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 Q0 d2 1 0.875 scour-fuse-linear\n1 Q0 d1 2 0.25 "));
}

TEST_F(FuseCli, UsageErrorsExit2AndWriteNothing) {
  const std::string out = stem_ + ".never";
  for (const std::string& args : {
           "--method borda " + a_ + " " + b_,
           "--norm minmax " + a_ + " " + b_,
           "--k -1 " + a_ + " " + b_,
           "--method linear " + a_ + " " + b_,
           "--weights 1,2,3 " + a_ + " " + b_,
           "--weights 1,-2 " + a_ + " " + b_,
           "--weights 1,x " + a_ + " " + b_,
           "--method combsum --norm l2 " + a_ + " " + b_,
           "--depth -1 " + a_ + " " + b_,
           a_,
       }) {
    CliRun r = Fuse("-o " + out + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_FALSE(r.err.empty()) << args;
  }
  EXPECT_EQ(ReadFile(out), "");
  CliRun r = Fuse("--method linear " + a_ + " " + b_);
  EXPECT_THAT(r.err, HasSubstr("linear fusion needs weights"));
  r = Fuse("--weights 1,2,3 " + a_ + " " + b_);
  EXPECT_THAT(r.err, HasSubstr("3 weights for 2 runs"));
}

TEST_F(FuseCli, BadRunsNameFileAndLine) {
  const std::string bad = WriteFile("bad.run", "1 Q0 d1 1 3 a\n1 Q0 d2 2 abc a\n");
  CliRun r = Fuse(a_ + " " + bad);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(bad + ":2: score 'abc' is not a finite number"));
  const std::string dup = WriteFile("dup.run", "1 Q0 d1 1 3 a\n1 Q0 d1 2 2 a\n");
  r = Fuse(a_ + " " + dup);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(dup + ":2: document d1 twice in query 1 (first at line 1)"));
  r = Fuse(a_ + " " + stem_ + ".missing");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot open"));
}

}  // namespace
