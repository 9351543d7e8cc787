// End-to-end: an index set (`scour index --shards 3`) against one index of the same documents:
// `synonyms set|show` on the set stores one set in every shard and `search` applies it as one
// index does; `bench` on the set gives the run (qid, rank, score) of `bench` on one index for
// every mode, and `bench --count` the number of matches of every query.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/cli/cli_runner.h"

namespace {

namespace fs = std::filesystem;

using scour::testing_cli::CliRun;
using scour::testing_cli::ReadFile;

// (qid, rank, score) of each line of a TREC run: the document may differ among equal scores.
std::vector<std::string> Ranked(const std::string& run) {
  std::vector<std::string> out;
  std::istringstream in(run);
  std::string qid, q0, doc, rank, score;
  while (in >> qid >> q0 >> doc >> rank >> score) {
    std::string tag;
    in >> tag;
    out.push_back(qid + " " + rank + " " + score);
  }
  return out;
}

TEST(SetsCli, BenchAndSynonymsOnASetAreOneIndexs) {
  const std::string dir = ::testing::TempDir() + "/scour_sets_cli_" + std::to_string(getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto run = [&](const std::string& args, const std::string& name) {
    return scour::testing_cli::RunScourCli(args, dir + "/" + name);
  };
  const std::string corpus = std::string(SCOUR_SOURCE_DIR) + "/corpus/party_state.jsonl";
  const std::string synonyms = std::string(SCOUR_SOURCE_DIR) + "/corpus/synonyms.txt";
  const std::string one = dir + "/one", set = dir + "/set";
  ASSERT_EQ(run("index -q --threads 1 --index '" + one + "' '" + corpus + "'", "i1").exit_code, 0);
  CliRun r = run("index -q --threads 1 --shards 3 --index '" + set + "' '" + corpus + "'", "i3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& idx : {one, set}) {
    r = run("synonyms set -q --index '" + idx + "' '" + synonyms + "'", "syn");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  CliRun show_one = run("synonyms show --rules --index '" + one + "'", "s1");
  CliRun show_set = run("synonyms show --rules --index '" + set + "'", "s3");
  ASSERT_EQ(show_set.exit_code, 0) << show_set.err;
  EXPECT_EQ(show_one.out, show_set.out);
  EXPECT_FALSE(show_set.out.empty());
  // Topics that hit synonyms (MSS: "Ministry of State Security") and plain words.
  const std::string topics = dir + "/topics.tsv";
  std::ofstream(topics) << "1\tMSS\n2\tparty state\n3\tcentral committee meeting\n"
                           "4\tMIIT industry\n5\tcommunist party of china\n6\tnosuchword\n";
  for (const char* mode : {"or", "and", "phrase"}) {
    for (const char* ranker : {"bm25", "bm25tp"}) {
      SCOPED_TRACE(std::string(mode) + " " + ranker);
      std::vector<std::string> runs;
      for (const std::string& idx : {one, set}) {
        const std::string out = dir + "/bench.run";
        r = run(std::string("bench --index '") + idx + "' --queries '" + topics + "' --mode " +
                    mode + " --ranker " + ranker +
                    " -k 20 --warmup-secs 0 --repeat 1 --threads 1 --run '" + out + "'",
                "b");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        runs.push_back(ReadFile(out));
      }
      EXPECT_FALSE(runs[0].empty());
      EXPECT_EQ(Ranked(runs[0]), Ranked(runs[1]));
    }
    // `bench --count`: qid<TAB>count, each count the number of hits of a top k deep enough
    // for every match, on one index and on the set.
    SCOPED_TRACE(std::string(mode) + " --count");
    for (const std::string& idx : {one, set}) {
      const std::string all = dir + "/all.run", counts = dir + "/count.run";
      const std::string common = std::string("bench --index '") + idx + "' --queries '" + topics +
                                 "' --mode " + mode + " --warmup-secs 0 --repeat 1 --run '";
      r = run(common + all + "' -k 100000", "b");
      ASSERT_EQ(r.exit_code, 0) << r.err;
      r = run(common + counts + "' --count", "b");
      ASSERT_EQ(r.exit_code, 0) << r.err;
      std::map<std::string, int> hits;
      for (const std::string& line : Ranked(ReadFile(all))) ++hits[line.substr(0, line.find(' '))];
      std::string want;
      for (const char* qid : {"1", "2", "3", "4", "5", "6"}) {
        want += std::string(qid) + "\t" + std::to_string(hits[qid]) + "\n";
      }
      EXPECT_EQ(ReadFile(counts), want) << idx;
      EXPECT_GT(hits["2"], 0);
    }
  }
  // `search` applies the stored synonyms (bench does not, on one index or a set): the same run.
  std::vector<std::string> runs;
  for (const std::string& idx : {one, set}) {
    r = run("search --index '" + idx + "' --queries '" + topics + "' -k 20 --format trec", "s");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    runs.push_back(r.out);
  }
  EXPECT_NE(runs[0].find("1 Q0"), std::string::npos) << "MSS finds nothing without synonyms";
  EXPECT_EQ(Ranked(runs[0]), Ranked(runs[1]));
  fs::remove_all(dir);
}

}  // namespace
