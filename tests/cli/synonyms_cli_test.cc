// End-to-end: `scour synonyms set / show / clear / extract` as the built binary (SCOUR_CLI_PATH).
// A bad file fails with file:line and leaves the index's set as it was; stats and check show
// the set; extract mines the definitions of input files.
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/cli/cli_runner.h"

namespace {

namespace fs = std::filesystem;

using scour::testing_cli::CliRun;

class SynonymsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    stem_ = scour::testing_cli::TestStem("synonyms_cli");
    fs::remove_all(stem_);
    fs::create_directories(stem_);
    index_ = stem_ + "/idx";
    const std::string docs = Write(
        "docs.jsonl",
        R"({"id": "d1", "text": "The Ministry of State Security (MSS) recruits."})"
        "\n"
        R"({"id": "d2", "text": "Officers of the MSS met the Chinese Communist Party (CCP)."})"
        "\n");
    CliRun r = Run("index -q --threads 1 --index '" + index_ + "' '" + docs + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = stem_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  CliRun Run(const std::string& args) { return scour::testing_cli::RunScourCli(args, stem_); }
  CliRun Syn(const std::string& args) { return Run("synonyms " + args); }

  std::string stem_, index_;
};

TEST_F(SynonymsCli, SetShowClearAndStats) {
  const std::string text = "# home\nMSS, Ministry of State Security\n";
  const std::string file = Write("syn.txt", text);
  CliRun r = Syn("set -q --index '" + index_ + "' '" + file + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Syn("show --index '" + index_ + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, text);
  r = Syn("show --rules --index '" + index_ + "'");
  EXPECT_EQ(r.out,
            "ministri of state secur => +ministri of state secur, mss\n"
            "mss => +mss, ministri of state secur\n");
  r = Run("stats --json --index '" + index_ + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["synonyms"]["rules"], 2);
  EXPECT_EQ(j["synonyms"]["source"], file);
  // The .syn file counts in the index's bytes.
  uint64_t syn_bytes = 0, sum = 0;
  for (const auto& e : fs::directory_iterator(index_))
    if (e.path().extension() == ".syn") syn_bytes += e.file_size();
  EXPECT_GT(syn_bytes, 0u);
  EXPECT_EQ(j["bytes"]["syn"], syn_bytes);
  for (const auto& [part, b] : j["bytes"].items()) sum += b.get<uint64_t>();
  EXPECT_EQ(j["bytes_total"], sum);
  r = Run("check --index '" + index_ + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(", 2 synonym rules"), std::string::npos) << r.out;

  r = Syn("clear -q --index '" + index_ + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run("stats --json --index '" + index_ + "'");
  EXPECT_TRUE(nlohmann::json::parse(r.out)["synonyms"].is_null());
  EXPECT_FALSE(nlohmann::json::parse(r.out)["bytes"].contains("syn"));
}

TEST_F(SynonymsCli, BadFileFailsWithItsLineAndChangesNothing) {
  const std::string good = Write("good.txt", "MSS, Ministry of State Security\n");
  ASSERT_EQ(Syn("set -q --index '" + index_ + "' '" + good + "'").exit_code, 0);
  const std::string bad = Write("bad.txt", "# ok\nCCP, CPC\nx => y => z\n");
  CliRun r = Syn("set --index '" + index_ + "' '" + bad + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad + ":3: more than one \"=>\""), std::string::npos) << r.err;
  EXPECT_EQ(Syn("show --index '" + index_ + "'").out, "MSS, Ministry of State Security\n");
  r = Syn("set --index '" + index_ + "' '" + stem_ + "/missing.txt'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.txt"), std::string::npos) << r.err;
  EXPECT_EQ(Syn("show --index '" + index_ + "'").out, "MSS, Ministry of State Security\n");
  r = Syn("set --index '" + stem_ + "/no-index' '" + good + "'");
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(SynonymsCli, ExtractMinesTheIndexAndInputFiles) {
  for (const std::string& from : {"--index '" + index_ + "'", "'" + stem_ + "/docs.jsonl'"}) {
    CliRun r = Syn("extract " + from);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("\nMSS, Ministry of State Security\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\nCCP, Chinese Communist Party\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("# MSS: 1 definition; \"MSS\" 2 times in 2 texts"), std::string::npos)
        << r.out;
  }
  EXPECT_EQ(Syn("extract").exit_code, 2);  // neither an index nor inputs
}

// eval, compare and bench use the index's set unless --no-synonyms, or --synonyms FILE instead.
TEST_F(SynonymsCli, EvalCompareAndBenchFollowTheSynonymFlags) {
  const std::string docs =
      Write("docs2.jsonl", R"({"id": "a", "text": "The Ministry of State Security recruits."})"
                           "\n"
                           R"({"id": "b", "text": "Weather in the spring."})"
                           "\n"
                           R"({"id": "c", "text": "MSS officers."})"
                           "\n");
  const std::string idx = stem_ + "/idx2";
  ASSERT_EQ(Run("index -q --threads 1 --index '" + idx + "' '" + docs + "'").exit_code, 0);
  const std::string set = Write("set.txt", "MSS, Ministry of State Security\n");
  const std::string other = Write("other.txt", "spring, mss\n");
  ASSERT_EQ(Syn("set -q --index '" + idx + "' '" + set + "'").exit_code, 0);
  const std::string topics = Write("topics.tsv", "1\tmss\n");
  const std::string qrels = Write("qrels.txt", "1 0 a 1\n1 0 b 1\n1 0 c 0\n");
  auto found = [&](const std::string& flags) {
    CliRun r = Run("eval -m num_rel_ret --index '" + idx + "' --topics '" + topics + "' --qrels '" +
                   qrels + "' " + flags);
    EXPECT_EQ(r.exit_code, 0) << flags << r.err;
    // "num_rel_ret <TAB>all<TAB>N": N (0 when the run is empty and the line missing).
    const size_t at = r.out.find("num_rel_ret");
    if (at == std::string::npos) return std::string("0");
    const size_t end = r.out.find('\n', at);
    const std::string line = r.out.substr(at, end - at);
    return line.substr(line.rfind('\t') + 1);
  };
  EXPECT_EQ(found(""), "1");                            // a, through the index's set
  EXPECT_EQ(found("--no-synonyms"), "0");               // c only (not relevant)
  EXPECT_EQ(found("--synonyms '" + other + "'"), "1");  // b, through the other set
  CliRun r = Run("eval --index '" + idx + "' --topics '" + topics + "' --qrels '" + qrels +
                 "' --no-synonyms --synonyms '" + other + "'");
  EXPECT_EQ(r.exit_code, 2) << r.err;  // the two flags exclude each other
  r = Run("eval --index '" + idx + "' --topics '" + topics + "' --qrels '" + qrels +
          "' --synonyms '" + stem_ + "/missing.txt'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.txt"), std::string::npos) << r.err;

  r = Run("compare --index '" + idx + "' --topics '" + topics + "' --qrels '" + qrels +
          "' --ranker bm25 --ranker bm25l --latency-passes 0 --format json --metrics map" +
          " --no-synonyms");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string with =
      Run("compare --index '" + idx + "' --topics '" + topics + "' --qrels '" + qrels +
          "' --ranker bm25 --ranker bm25l --latency-passes 0 --format json" + " --metrics map")
          .out;
  EXPECT_NE(r.out, with);

  for (const std::string& flags : {std::string(""), std::string("--no-synonyms")}) {
    r = Run("bench --index '" + idx + "' --queries '" + topics +
            "' --repeat 1 --warmup-secs 0 --json " + flags);
    ASSERT_EQ(r.exit_code, 0) << flags << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["synonym_queries"], flags.empty() ? 1 : 0) << flags;
    EXPECT_EQ(j["mean_returned"], flags.empty() ? 2.0 : 1.0) << flags;  // a and c, or c
  }
  // Phrases are built without synonyms: a set file for them is a usage error.
  r = Run("bench --index '" + idx + "' --queries '" + topics +
          "' --repeat 1 --warmup-secs 0 --mode phrase --synonyms '" + other + "'");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--mode phrase builds phrases without synonyms"), std::string::npos)
      << r.err;
}

}  // namespace
