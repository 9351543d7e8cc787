// End-to-end: `--threads N` of `search --queries`, `eval --index`, `compare` and `bench` gives
// byte-identical output (stdout, stderr, run files, exit codes) to `--threads 1`. The index is the
// home corpus; the queries are drawn from its words, a few of them broken or analysing to
// nothing so errors and notes are in the output too. Run under TSan in CI (label concurrency).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/cli/cli_runner.h"

namespace {

namespace fs = std::filesystem;

using scour::testing_cli::CliRun;
using scour::testing_cli::ReadFile;

class ThreadsCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "/scour_threads_cli_" + std::to_string(getpid()));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    const std::string corpus = std::string(SCOUR_SOURCE_DIR) + "/corpus/party_state.jsonl";
    CliRun r = Run("index -q --threads 1 --index '" + Index() + "' '" + corpus + "'", "setup");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Words of the corpus, as whitespace-separated lower-case letter runs.
    const std::string text = ReadFile(corpus);
    std::set<std::string> words;
    const std::regex word("[A-Za-z]{3,}");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), word);
         it != std::sregex_iterator(); ++it)
      words.insert(it->str());
    const std::vector<std::string> vocab(words.begin(), words.end());
    std::mt19937 rng(5);
    std::string topics;
    for (int i = 0; i < 300; ++i) {
      std::string q;
      if (i % 37 == 20) {
        q = "!!!";  // analyses to nothing: a note, no hits
      } else if (i % 41 == 30) {
        q = "(" + vocab[rng() % vocab.size()];  // a syntax error with --syntax
      } else {
        for (int w = 0; w <= i % 4; ++w) q += (w ? " " : "") + vocab[rng() % vocab.size()];
      }
      topics += "t" + std::to_string(i) + "\t" + q + "\n";
    }
    std::ofstream(Topics(), std::ios::binary) << topics;
    // Qrels: three documents of the corpus judged per topic, one of them relevant.
    std::vector<std::string> ids;
    const std::regex id("\"id\": \"([^\"]+)\"");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), id); it != std::sregex_iterator();
         ++it)
      ids.push_back((*it)[1].str());
    ASSERT_GT(ids.size(), 100u);
    std::string qrels;
    for (int i = 0; i < 300; ++i) {
      const size_t first = rng() % ids.size();
      for (size_t j = 0; j < 3; ++j)  // three different documents
        qrels += "t" + std::to_string(i) + " 0 " + ids[(first + j * 17) % ids.size()] + " " +
                 std::to_string(j == 0) + "\n";
    }
    std::ofstream(Qrels(), std::ios::binary) << qrels;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static std::string Index() { return *dir_ + "/idx"; }
  static std::string Topics() { return *dir_ + "/topics.tsv"; }
  static std::string Qrels() { return *dir_ + "/qrels.txt"; }
  static CliRun Run(const std::string& args, const std::string& name) {
    return scour::testing_cli::RunScourCli(args, *dir_ + "/" + name);
  }
  // Runs `args --threads N` for N = 1 and 3 and expects the same exit code, stdout and stderr,
  // and the same bytes in `out_file` (when given; the command writes it). Returns the one-thread
  // run.
  static CliRun SameForAnyThreads(const std::string& args, const std::string& out_file = "") {
    CliRun base;
    std::string base_file;
    for (int threads : {1, 3}) {
      const std::string name = "t" + std::to_string(threads);
      CliRun r = Run(args + " --threads " + std::to_string(threads), name);
      if (threads == 1) {
        base = r;
        if (!out_file.empty()) base_file = ReadFile(out_file);
        continue;
      }
      EXPECT_EQ(r.exit_code, base.exit_code) << args << " threads " << threads << ": " << r.err;
      EXPECT_EQ(r.out, base.out) << args << " threads " << threads;
      EXPECT_EQ(r.err, base.err) << args << " threads " << threads;
      if (!out_file.empty()) {
        EXPECT_EQ(ReadFile(out_file), base_file) << args << " " << threads;
      }
    }
    return base;
  }
  static std::string* dir_;
};
std::string* ThreadsCli::dir_ = nullptr;

TEST_F(ThreadsCli, SearchQueriesOutputIsTheSameForAnyThreads) {
  for (const char* format : {"trec", "json", "text"}) {
    const std::string args = std::string("search --index '") + Index() + "' --queries '" +
                             Topics() + "' --format " + format + " -k 20 --color never";
    CliRun r = SameForAnyThreads(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(r.out.empty());
    if (std::string(format) != "text") {
      EXPECT_NE(r.err.find("query t20: note:"), std::string::npos) << r.err;
    }
  }
  // Errors (--syntax) are reported in file order, with the same exit code.
  CliRun r = SameForAnyThreads("search --index '" + Index() + "' --queries '" + Topics() +
                               "' --syntax --format trec -k 1000 --ranker bm25tp --and");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(":31: query t30:"), std::string::npos) << r.err;
  EXPECT_LT(r.err.find(":31: query t30:"), r.err.find(":72: query t71:")) << r.err;
  // More queries than one chunk of output (64 per thread), with --count and --explain.
  SameForAnyThreads("search --index '" + Index() + "' --queries '" + Topics() +
                    "' --format json --count --explain -k 3");
}

TEST_F(ThreadsCli, EvalRunFileIsTheSameForAnyThreads) {
  const std::string run = *dir_ + "/eval.run";
  for (const char* ranker : {"bm25", "bm25tp"}) {
    CliRun r = SameForAnyThreads(std::string("eval --index '") + Index() + "' --topics '" +
                                     Topics() + "' --qrels '" + Qrels() + "' --run-out '" + run +
                                     "' -m map --ranker " + ranker,
                                 run);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(ReadFile(run).empty());
  }
  // The first failing topic in file order names the error.
  CliRun r = SameForAnyThreads("eval --index '" + Index() + "' --topics '" + Topics() +
                               "' --qrels '" + Qrels() + "' --syntax");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("topic t30 (line 31)"), std::string::npos) << r.err;
}

TEST_F(ThreadsCli, BenchRunFileIsTheSameForAnyThreads) {
  const std::string run = *dir_ + "/bench.run";
  for (const char* mode : {"or", "and", "phrase"}) {
    for (const char* k : {"20"}) {
      const std::string args = std::string("bench --index '") + Index() + "' --queries '" +
                               Topics() + "' --mode " + mode + " -k " + k +
                               " --warmup-secs 0 --repeat 2 --json --run '" + run + "'";
      CliRun base = Run(args + " --threads 1", "b1");
      ASSERT_EQ(base.exit_code, 0) << base.err;
      const std::string base_run = ReadFile(run);
      EXPECT_FALSE(base_run.empty());
      for (int threads : {3}) {
        CliRun r = Run(args + " --threads " + std::to_string(threads), "bn");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(ReadFile(run), base_run) << mode << " k " << k << " threads " << threads;
        auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j["threads"], threads);
        EXPECT_EQ(j["queries"], nlohmann::json::parse(base.out)["queries"]);
        EXPECT_GT(j["qps"].get<double>(), 0);
        EXPECT_GE(j["cpu_s"].get<double>(), 0);
      }
    }
  }
}

TEST_F(ThreadsCli, CompareIsTheSameForAnyThreadsButTheLatency) {
  const std::string args = "compare --index '" + Index() + "' --topics '" + Topics() +
                           "' --qrels '" + Qrels() +
                           "' --ranker bm25 --ranker bm25tp --metrics map,P.10 --format json "
                           "--latency-passes 1 --warmup-passes 0 --permutations 200 "
                           "--bootstrap 200";
  nlohmann::json base;
  for (int threads : {1, 3}) {
    CliRun r = Run(args + " --threads " + std::to_string(threads), "cmp");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json j = nlohmann::json::parse(r.out);
    for (auto& sys : j["systems"]) {
      EXPECT_EQ(sys["latency"]["threads"], threads);
      sys.erase("latency");
    }
    const std::string latency = j["parameters"]["latency"];
    EXPECT_NE(latency.find(threads == 1 ? "; one thread;"
                                        : "; " + std::to_string(threads) + " threads (each"),
              std::string::npos)
        << latency;
    j["parameters"].erase("latency");
    if (threads == 1) {
      base = j;
      continue;
    }
    EXPECT_EQ(j, base) << "threads " << threads;
  }
}

TEST_F(ThreadsCli, BadThreadsIsAUsageError) {
  for (const char* cmd :
       {"search --queries x", "bench --queries x", "eval --topics x", "compare --topics x"}) {
    CliRun r = Run(std::string(cmd) + " --index '" + Index() + "' --threads -1", "bad");
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.out << r.err;
  }
}

}  // namespace
