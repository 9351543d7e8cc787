// End-to-end: runs the built `scour analyze` binary (SCOUR_CLI_PATH) through the shell.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/cli/cli_runner.h"

namespace {

using scour::testing_cli::CliRun;

// Runs `scour <args>` with `input` on stdin.
CliRun RunScour(const std::string& args, const std::string& input) {
  const std::string stem = scour::testing_cli::TestStem("analyze");
  const std::string in_path = stem + ".in";
  std::ofstream(in_path, std::ios::binary) << input;
  return scour::testing_cli::RunScourCli(args, stem, in_path);
}

TEST(AnalyzeCli, TextArgumentOneTokenPerLine) {
  CliRun r = RunScour("analyze \"Xi Jinping’s party-state\"", "");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // position, term, byte start, byte end; "Jinping’s" spans 3..14 (’ is three bytes).
  EXPECT_EQ(r.out, "0\txi\t0\t2\n1\tjinp\t3\t14\n2\tparti\t15\t20\n3\tstate\t21\t26\n");
}

TEST(AnalyzeCli, StdinLanguageAndStopwords) {
  CliRun r = RunScour("analyze --language none --stopwords", "The party-state\nof 7,000 ¥1.36");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\tparty\t4\t9\n2\tstate\t10\t15\n4\t7,000\t19\t24\n5\t1.36\t27\t31\n");
}

TEST(AnalyzeCli, EmptyInputPrintsNothing) {
  CliRun r = RunScour("analyze", "");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
}

TEST(AnalyzeCli, InvalidUtf8ExitsTwoWithOffset) {
  CliRun r = RunScour("analyze", std::string("party \xe5\xa4 state"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("invalid UTF-8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("byte offset 6"), std::string::npos) << r.err;
}

TEST(AnalyzeCli, UnknownLanguageListsValidNames) {
  CliRun r = RunScour("analyze --language klingon word", "");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  for (const char* name : {"klingon", "none", "english", "german", "porter"}) {
    EXPECT_NE(r.err.find(name), std::string::npos) << name << " in: " << r.err;
  }
}

}  // namespace
