// The four commands that read topic files (search --queries, eval --index, compare, bench) agree:
// one flag (--syntax), one default (plain text, as Anserini and Terrier read topics). Runs the
// built binary on the home corpus, indexed once per test binary run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_runner.h"

namespace {

using scour::testing_cli::CliRun;
using scour::testing_cli::ReadFile;
using ::testing::HasSubstr;

const std::string kSrc = SCOUR_SOURCE_DIR;

// stderr merged into out.
CliRun Scour(const std::string& args) { return scour::testing_cli::RunScourCliMerged(args); }

// "qid docid rank" of every line of a run, sorted: the ranking without the score's format.
std::vector<std::string> Ranking(const std::string& run_text) {
  std::vector<std::string> out;
  std::istringstream in(run_text);
  std::string qid, q0, doc, rank, score, tag;
  while (in >> qid >> q0 >> doc >> rank >> score >> tag)
    out.push_back(qid + " " + doc + " " + rank);
  std::sort(out.begin(), out.end());
  return out;
}

class TopicSyntax : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = testing::TempDir() + "/scour_topic_syntax_" + std::to_string(getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    index_ = dir_ + "/index";
    CliRun r = Scour("index -q --threads 1 --index " + index_ +
                     " --combine body=title,text --fields title,text --store none " + kSrc +
                     "/corpus/party_state.jsonl");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    // Line 2 is no valid query-language text (a lone '-', a trailing '\'); line 3 means
    // something else in it (+ and - are operators there, AND too).
    topics_ = dir_ + "/topics.tsv";
    std::ofstream(topics_) << "T1\tparty committee members\n"
                              "T2\tcensorship - surveillance (state) \\\n"
                              "T3\t+huawei -zte AND military\n";
    qrels_ = dir_ + "/qrels.txt";
    std::ofstream(qrels_) << "T1 0 huawei-1 1\nT3 0 zte-1 1\n";
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }
  static std::string dir_, index_, topics_, qrels_;
};
std::string TopicSyntax::dir_, TopicSyntax::index_, TopicSyntax::topics_, TopicSyntax::qrels_;

TEST_F(TopicSyntax, PlainTextByDefaultAndTheSameRunEverywhere) {
  const std::string eval_run = dir_ + "/eval.run", bench_run = dir_ + "/bench.run";
  CliRun search =
      Scour("search --index " + index_ + " --queries " + topics_ + " --format trec -k 1000");
  ASSERT_EQ(search.exit_code, 0) << search.out;
  CliRun eval = Scour("eval --index " + index_ + " --topics " + topics_ + " --qrels " + qrels_ +
                      " --run-out " + eval_run + " -m map");
  ASSERT_EQ(eval.exit_code, 0) << eval.out;
  CliRun bench = Scour("bench --index " + index_ + " --queries " + topics_ +
                       " -k 1000 --repeat 1 --warmup-secs 0 --run " + bench_run);
  ASSERT_EQ(bench.exit_code, 0) << bench.out;
  EXPECT_THAT(bench.out, HasSubstr("3 queries (0 skipped)"));
  const std::vector<std::string> ranking = Ranking(search.out);
  ASSERT_FALSE(ranking.empty());
  EXPECT_EQ(Ranking(ReadFile(eval_run)), ranking);
  EXPECT_EQ(Ranking(ReadFile(bench_run)), ranking);
  // T3 as plain text: every word is a term (huawei, zte, and, military), none an operator.
  EXPECT_THAT(search.out, HasSubstr("T3 Q0 zte-"));
}

TEST_F(TopicSyntax, SyntaxFlagReadsTheQueryLanguageEverywhere) {
  CliRun search = Scour("search --index " + index_ + " --queries " + topics_ +
                        " --format trec -k 1000 --syntax");
  EXPECT_EQ(search.exit_code, 2);
  EXPECT_THAT(search.out, HasSubstr(topics_ + ":2: query T2:"));
  EXPECT_THAT(search.out, HasSubstr("T1 Q0 "));                 // the other topics still run
  EXPECT_EQ(search.out.find("T3 Q0 zte-"), std::string::npos);  // -zte excludes zte
  CliRun eval = Scour("eval --index " + index_ + " --topics " + topics_ + " --qrels " + qrels_ +
                      " -m map --syntax");
  EXPECT_EQ(eval.exit_code, 2);
  EXPECT_THAT(eval.out, HasSubstr("topic T2 (line 2)"));
  CliRun compare = Scour("compare --index " + index_ + " --topics " + topics_ + " --qrels " +
                         qrels_ + " --ranker bm25 --ranker bm25tp --syntax");
  EXPECT_EQ(compare.exit_code, 2);
  CliRun bench = Scour("bench --index " + index_ + " --queries " + topics_ +
                       " --repeat 1 --warmup-secs 0 --syntax");
  ASSERT_EQ(bench.exit_code, 0) << bench.out;
  EXPECT_THAT(bench.out, HasSubstr(topics_ + ":2: query T2:"));
  EXPECT_THAT(bench.out, HasSubstr("2 queries (1 skipped)"));
  EXPECT_EQ(Scour("bench --index " + index_ + " --queries " + topics_ + " --syntax --mode phrase")
                .exit_code,
            2);
}

// The Cranfield topics (query 170 has a lone " - ") run through `search --queries`.
TEST_F(TopicSyntax, CranfieldTopicsRunAsPlainText) {
  const std::string topics = kSrc + "/corpus/collections/cranfield/topics.tsv";
  CliRun r = Scour("search --index " + index_ + " --queries " + topics + " --format trec -k 1");
  ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 2000);
  EXPECT_THAT(r.out, HasSubstr("\n170 Q0 "));
  EXPECT_EQ(r.out.find("scour:"), std::string::npos) << r.out.substr(0, 2000);
}

}  // namespace
