// scour's evaluation against trec_eval 9.0.7's own output (tests/data/trec_eval/README.md):
// every value of every measure, per query and `all`, must print the same 4 decimals. The runs
// exercise nDCG's discount (every Cranfield query), exact ties, scores equal only in single
// precision, -c, -M and -l. Measures trec_eval prints that scour lacks are listed on stdout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "eval/metrics.h"
#include "eval/trec_io.h"

namespace scour::eval {
namespace {

const std::string kSource = SCOUR_SOURCE_DIR;
const std::string kData = kSource + "/tests/data/trec_eval/";

struct Case {
  const char* name;
  const char* run;
  const char* qrels;  // relative to the source directory
  const char* reference;
  bool complete;
  int64_t max_retrieved;
  int32_t level;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

const Case kCases[] = {
    {"lucene-cranfield", "lucene-cranfield.run", "corpus/collections/cranfield/qrels.txt",
     "lucene-cranfield.all_trec", false, kAllRetrieved, 1},
    {"ties-cranfield", "ties-cranfield.run", "corpus/collections/cranfield/qrels.txt",
     "ties-cranfield.all_trec", false, kAllRetrieved, 1},
    {"lucene-cisi", "lucene-cisi.run", "corpus/collections/cisi/qrels.txt", "lucene-cisi.all_trec",
     false, kAllRetrieved, 1},
    {"edge-dev", "edge-dev.run", "corpus/dev/qrels.txt", "edge-dev.all_trec", false, kAllRetrieved,
     1},
    {"edge-dev-c-M10-l2", "edge-dev.run", "corpus/dev/qrels.txt", "edge-dev.c-M10-l2.all_trec",
     true, 10, 2},
};

// (measure, qid) -> printed value, in file order.
using Table = std::vector<std::pair<std::pair<std::string, std::string>, std::string>>;

Table ParseTrecEvalText(const std::string& text) {
  Table t;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    EXPECT_EQ(f.size(), 3u) << line;
    if (f.size() != 3) continue;
    t.push_back({{std::string(absl::StripTrailingAsciiWhitespace(f[0])), std::string(f[1])},
                 std::string(f[2])});
  }
  return t;
}

std::string Must(absl::StatusOr<std::string> s) {
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : "";
}

class TrecEvalReference : public ::testing::TestWithParam<Case> {};

TEST_P(TrecEvalReference, EveryValueOfEveryMeasureAgrees) {
  const Case& c = GetParam();
  auto qrels = ReadQrelsFile(kSource + "/" + c.qrels);
  ASSERT_TRUE(qrels.ok()) << qrels.status();
  auto run = ReadRunFile(kData + c.run);
  ASSERT_TRUE(run.ok()) << run.status();
  EvalOptions o;
  o.complete = c.complete;
  o.max_retrieved = c.max_retrieved;
  o.relevance_level = c.level;
  auto measures = ParseMeasureList("all_trec");
  ASSERT_TRUE(measures.ok()) << measures.status();
  o.measures = *measures;
  auto report = Evaluate(*qrels, *run, o);
  ASSERT_TRUE(report.ok()) << report.status();
  const std::string ours_text = FormatTrecEval(*report, /*per_query=*/true);
  const std::string ref_text = Must(ReadWholeFile(kData + c.reference));

  const Table ref = ParseTrecEvalText(ref_text);
  const Table ours = ParseTrecEvalText(ours_text);
  ASSERT_GT(ref.size(), 100u);
  std::map<std::pair<std::string, std::string>, std::string> ref_by_key(ref.begin(), ref.end());
  std::set<std::string> our_measures, missing_measures;
  int compared = 0, differing = 0;
  for (const auto& [key, value] : ours) {
    our_measures.insert(key.first);
    auto it = ref_by_key.find(key);
    if (it == ref_by_key.end()) {
      ADD_FAILURE() << c.name << ": scour prints " << key.first << " for " << key.second
                    << ", trec_eval does not";
      continue;
    }
    ++compared;
    if (it->second != value) {
      if (++differing <= 25) {
        ADD_FAILURE() << c.name << ": " << key.first << " " << key.second << ": trec_eval "
                      << it->second << ", scour " << value;
      }
    }
  }
  EXPECT_EQ(differing, 0) << c.name << ": values differing from trec_eval (first 25 above)";
  for (const auto& [key, value] : ref) {
    if (!our_measures.count(key.first)) missing_measures.insert(key.first);
  }
  // What is not supported stays visible in the test log.
  std::string missing;
  for (const std::string& m : missing_measures) missing += " " + m;
  std::printf("[%s] %d values compared; trec_eval measures scour does not compute:%s\n", c.name,
              compared, missing.empty() ? " (none)" : missing.c_str());
  // Whatever scour supports it must print for every query trec_eval prints it for.
  std::set<std::pair<std::string, std::string>> our_keys;
  for (const auto& [key, value] : ours) our_keys.insert(key);
  for (const auto& [key, value] : ref) {
    if (our_measures.count(key.first) && !our_keys.count(key)) {
      ADD_FAILURE() << c.name << ": trec_eval prints " << key.first << " for " << key.second
                    << ", scour does not";
    }
  }
  // With every measure supported, the output is trec_eval's byte for byte (order and format).
  if (missing_measures.empty()) {
    EXPECT_TRUE(ours_text == ref_text) << c.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Runs, TrecEvalReference, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& i) {
                           std::string n = i.param.name;
                           for (char& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace scour::eval
