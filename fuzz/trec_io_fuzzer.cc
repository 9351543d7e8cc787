// libFuzzer target for the evaluation inputs: qrels, runs and topics (eval/trec_io.h) and
// measure lists (eval/measures.h). Arbitrary bytes must parse or fail with a status (never a
// crash), and whatever parses is evaluated with every all_trec measure: every value must be
// finite and the text format must run. Input layout: byte 0 picks the options (-c, -l, -M), then
// sections separated by 0xFF bytes: qrels, run, measure list, topics.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "eval/metrics.h"
#include "eval/trec_io.h"

namespace {

std::vector<std::string_view> Sections(std::string_view data) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= data.size(); ++i) {
    if (i == data.size() || static_cast<unsigned char>(data[i]) == 0xFF) {
      out.push_back(data.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  using namespace scour::eval;
  const uint8_t flags = bytes[0];
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  std::vector<std::string_view> s = Sections(data);
  s.resize(4);

  auto qrels = ParseQrels(s[0], "fuzz.qrels");
  auto run = ParseRun(s[1], "fuzz.run");
  auto topics = ParseTopics(s[3], "fuzz.topics");
  if (topics.ok()) {
    for (const Topic& t : *topics) {
      if (t.qid.empty()) std::abort();
    }
  }
  if (run.ok()) {
    for (const RunQuery& q : run->queries) {
      for (const RunEntry& e : q.entries) {
        if (!std::isfinite(e.score)) std::abort();
      }
    }
  }
  auto listed = ParseMeasureItems(s[2]);
  if (!qrels.ok() || !run.ok()) return 0;

  EvalOptions o;
  o.complete = flags & 1;
  o.relevance_level = (flags >> 1) & 3;                                       // 0..3
  o.max_retrieved = (flags & 0x30) ? ((flags >> 4) & 3) * 2 : kAllRetrieved;  // 2, 4, 6 or all
  auto all = ParseMeasureItems("all_trec,judged");
  if (!all.ok()) std::abort();
  o.measures = *all;
  if (listed.ok()) o.measures.insert(o.measures.end(), listed->begin(), listed->end());
  auto report = Evaluate(*qrels, *run, o);
  if (!report.ok()) {
    o.measures = *all;  // the listed parameters may be invalid: an error is fine
    report = Evaluate(*qrels, *run, o);
    if (!report.ok()) return 0;
  }
  // Finite everywhere, except that utility's coefficients may be large enough to overflow.
  auto check = [&](const std::vector<double>& values) {
    for (size_t c = 0; c < values.size(); ++c) {
      if (!std::isfinite(values[c]) && report->columns[c].measure != Measure::kUtility) {
        std::abort();
      }
    }
  };
  for (const QueryResult& q : report->queries) check(q.values);
  check(report->summary);
  const std::string text = FormatTrecEval(*report, /*per_query=*/true);
  if (text.empty()) std::abort();
  return 0;
}
