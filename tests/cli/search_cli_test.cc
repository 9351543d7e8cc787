// End-to-end: `scour search` (text, json, trec, batch, errors) and `scour bench` run as the
// built binary (SCOUR_CLI_PATH) against a small index built by `scour index`.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/cli/cli_runner.h"

namespace {

namespace fs = std::filesystem;

using scour::testing_cli::CliRun;

std::string TestStem() { return scour::testing_cli::TestStem("search_cli"); }

CliRun RunScour(const std::string& args) {
  return scour::testing_cli::RunScourCli(args, TestStem());
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

class SearchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestStem();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    index_ = dir_ + "/idx";
    const std::string docs =
        Write("docs.jsonl",
              "{\"id\": \"a\", \"title\": \"Foxes\", \"text\": \"The quick red fox "
              "jumps over the lazy dog.\"}\n"
              "{\"id\": \"b\", \"title\": \"Dogs\", \"text\": \"A lazy dog "
              "sleeps all day long in the sun.\"}\n"
              "{\"id\": \"c\", \"title\": \"Colours\", \"text\": \"Red and "
              "blue, and a red fox or two.\"}\n"
              "{\"id\": \"d\", \"title\": \"Nothing\", \"text\": \"Nothing to "
              "see here at all.\"}\n");
    CliRun r = RunScour("index -q --threads 1 --index '" + index_ + "' '" + docs + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  CliRun Search(const std::string& flags) {
    return RunScour("search --index '" + index_ + "' " + flags);
  }
  std::string dir_, index_;
};

TEST_F(SearchCli, TextOutputRankIdScoreAndHighlightedSnippet) {
  CliRun r = Search("'red fox'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  const std::regex head(R"(^(\d+)\. (\S+)  (\d+\.\d{4})$)");
  int rank = 0;
  double last = 1e9;
  std::vector<std::string> ids;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, head)) continue;
    EXPECT_EQ(std::stoi(m[1]), ++rank) << r.out;
    ids.push_back(m[2]);
    const double score = std::stod(m[3]);
    EXPECT_LE(score, last) << r.out;
    EXPECT_GT(score, 0) << r.out;
    last = score;
    // The snippet line follows, indented, with the query words marked.
    ASSERT_LT(i + 1, lines.size()) << r.out;
    EXPECT_EQ(lines[i + 1].rfind("   ", 0), 0u) << lines[i + 1];
    EXPECT_TRUE(lines[i + 1].find("[red]") != std::string::npos ||
                lines[i + 1].find("[Red]") != std::string::npos ||
                lines[i + 1].find("[fox]") != std::string::npos)
        << lines[i + 1];
  }
  // a and c have both words; b and d neither.
  ASSERT_EQ(ids.size(), 2u) << r.out;
  EXPECT_EQ((std::set<std::string>{ids[0], ids[1]}), (std::set<std::string>{"a", "c"}));
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no colour when not a terminal";

  CliRun none = Search("zebra");
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.out, "no matching documents\n");
}

TEST_F(SearchCli, JsonOneObjectPerLine) {
  CliRun r = Search("--format json -k 3 'lazy OR red'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;  // a, b, c match; k = 3
  double last = 1e9;
  for (size_t i = 0; i < lines.size(); ++i) {
    nlohmann::json j = nlohmann::json::parse(lines[i], nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << lines[i];
    EXPECT_EQ(j["rank"], i + 1);
    EXPECT_TRUE(j["id"].is_string());
    EXPECT_LE(j["score"].get<double>(), last);
    last = j["score"].get<double>();
    EXPECT_TRUE(j["fields"]["title"].is_string()) << lines[i];
    EXPECT_TRUE(j["fields"]["text"].is_string()) << lines[i];
    ASSERT_TRUE(j["snippet"].is_string()) << lines[i];
    // Highlights are byte ranges of the snippet holding a query word.
    const std::string snippet = j["snippet"];
    ASSERT_TRUE(j["highlights"].is_array() && !j["highlights"].empty()) << lines[i];
    for (const auto& h : j["highlights"]) {
      const size_t b = h[0], e = h[1];
      ASSERT_LE(e, snippet.size());
      std::string word = snippet.substr(b, e - b);
      for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      EXPECT_TRUE(word == "lazy" || word == "red") << word;
    }
  }
  CliRun f = Search("--format json --fields title 'lazy'");
  ASSERT_EQ(f.exit_code, 0) << f.err;
  for (const auto& line : Lines(f.out)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_EQ(j["fields"].size(), 1u) << line;
  }
}

TEST_F(SearchCli, TrecSixColumnsAndBatchQueries) {
  CliRun one = Search("--format trec --tag myrun 'red fox'");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  std::vector<std::string> lines = Lines(one.out);
  ASSERT_EQ(lines.size(), 2u) << one.out;
  for (size_t i = 0; i < lines.size(); ++i) {
    auto w = Words(lines[i]);
    ASSERT_EQ(w.size(), 6u) << lines[i];
    EXPECT_EQ(w[0], "1");
    EXPECT_EQ(w[1], "Q0");
    EXPECT_EQ(w[3], std::to_string(i + 1));
    EXPECT_GT(std::stod(w[4]), 0);
    EXPECT_EQ(w[5], "myrun");
  }
  const std::string q = Write("queries.tsv", "q1\tred fox\nq2\tlazy dog\nq3\tzebra\n");
  CliRun batch = Search("--format trec --tag myrun --queries '" + q + "'");
  ASSERT_EQ(batch.exit_code, 0) << batch.err;
  std::vector<std::string> q1, q2;
  for (const auto& line : Lines(batch.out)) {
    auto w = Words(line);
    ASSERT_EQ(w.size(), 6u) << line;
    ASSERT_TRUE(w[0] == "q1" || w[0] == "q2") << line;
    (w[0] == "q1" ? q1 : q2).push_back(line.substr(line.find(' ')));
  }
  // The batch answers each query as the single search does.
  ASSERT_EQ(q1.size(), lines.size());
  for (size_t i = 0; i < q1.size(); ++i) EXPECT_EQ(q1[i], lines[i].substr(lines[i].find(' ')));
  CliRun two = Search("--format trec --tag myrun 'lazy dog'");
  EXPECT_EQ(q2.size(), Lines(two.out).size());
  // Text output separates the queries.
  CliRun text = Search("--queries '" + q + "'");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("== q1: red fox"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("== q3: zebra"), std::string::npos) << text.out;
}

// The models by name, with --verify-pruning: each ranks by its own scores, the check finds no
// difference and says so; bad parameters and names exit 2.
TEST_F(SearchCli, ModelsByNameAndVerifyPruning) {
  const std::string q = Write("models.tsv", "q1\tred fox\nq2\tlazy dog\nq3\tzebra\n");
  std::set<std::string> tops;
  for (const char* m : {"bm25", "qld --mu 10", "dfr-inb2", "dfr-inexpb2", "dfr-inl2 --c 2"}) {
    CliRun r = Search(std::string("--format trec -k 2 --verify-pruning --ranker ") + m +
                      " --queries '" + q + "'");
    ASSERT_EQ(r.exit_code, 0) << m << ": " << r.err;
    EXPECT_NE(r.err.find("verify-pruning: 3 queries, 0 differ"), std::string::npos) << r.err;
    std::vector<std::string> lines = Lines(r.out);
    ASSERT_GE(lines.size(), 2u) << m << ": " << r.out;
    for (size_t i = 1; i < lines.size(); ++i) {
      auto a = Words(lines[i - 1]), b = Words(lines[i]);
      if (a[0] == b[0]) {
        EXPECT_GE(std::stod(a[4]), std::stod(b[4])) << m;
      }
    }
    tops.insert(Words(lines[0])[4]);
  }
  EXPECT_GE(tops.size(), 4u);  // different models, different scores
  EXPECT_EQ(Search("--ranker qld --mu 0 red").exit_code, 2);
  EXPECT_EQ(Search("--ranker dfr-inl2 --c=-1 red").exit_code, 2);
  CliRun bad = Search("--ranker dfr-xyz red");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("dfr-inl2"), std::string::npos) << bad.err;
}

// Values the library would read as "the default" (negative) or that would score everything 0
// (infinite, NaN) are usage errors on the command line, not silently run.
TEST_F(SearchCli, OutOfRangeRankingValuesAreUsageErrors) {
  for (const char* flags :
       {"--expand rm3 --fb-weight -0.5", "--expand rm3 --fb-weight nan",
        "--expand rm3 --fb-weight 2", "--expand rm3 --fb-docs 0", "--expand rm3 --fb-docs -3",
        "--expand bo1 --fb-terms -1", "--weights text=inf", "--weights text=-1", "--k1 inf",
        "--k1 nan", "--ranker bm25+ --delta inf"}) {
    CliRun r = Search(std::string(flags) + " red");
    EXPECT_EQ(r.exit_code, 2) << flags << ": " << r.err;
    EXPECT_EQ(r.out, "") << flags;
  }
  CliRun ok = Search("--expand rm3 --fb-weight 0.7 --fb-docs 2 --weights text=2 red");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST_F(SearchCli, SyntaxErrorExitsTwoWithACaretLine) {
  CliRun r = Search("'title:(red fox'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("column 7"), std::string::npos) << r.err;
  const std::vector<std::string> lines = Lines(r.err);
  bool caret = false;
  for (size_t i = 1; i < lines.size(); ++i)
    if (lines[i] == "      ^" && lines[i - 1].find("title:(red fox") != std::string::npos)
      caret = true;
  EXPECT_TRUE(caret) << r.err;
}

TEST_F(SearchCli, MissingIndexExitsOneWithOneLine) {
  CliRun r = RunScour("search --index '" + dir_ + "/nope' red");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Lines(r.err).size(), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("scour: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
}

TEST_F(SearchCli, UnknownFieldsExitTwo) {
  CliRun r = Search("--fields colour red");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("colour"), std::string::npos) << r.err;
  CliRun q = Search("colour:red");
  EXPECT_EQ(q.exit_code, 2);
  EXPECT_NE(q.err.find("colour"), std::string::npos) << q.err;
  CliRun s = Search("--search-fields colour red");
  EXPECT_EQ(s.exit_code, 2) << s.err;
}

TEST_F(SearchCli, BenchPrintsPercentiles) {
  const std::string q = Write("queries.tsv", "q1\tred fox\nq2\tlazy dog\nq3\tsun\n");
  CliRun r =
      RunScour("bench --index '" + index_ + "' --queries '" + q + "' --repeat 2 --warmup-secs 0");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::regex pct(R"(p50 (\d+\.\d)  p90 (\d+\.\d)  p99 (\d+\.\d))");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, pct)) << r.out;
  EXPECT_LE(std::stod(m[1]), std::stod(m[2]));
  EXPECT_LE(std::stod(m[2]), std::stod(m[3]));
  EXPECT_NE(r.out.find("3 queries"), std::string::npos) << r.out;
  CliRun j = RunScour("bench --json --index '" + index_ + "' --queries '" + q +
                      "' --repeat 1 --warmup-secs 0");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  nlohmann::json parsed = nlohmann::json::parse(j.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << j.out;
  EXPECT_TRUE(parsed.contains("p50_us") && parsed.contains("p90_us") && parsed.contains("p99_us"));
}

}  // namespace
