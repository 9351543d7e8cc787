// The public evaluation API (include/scour/evaluation.h) over the eval module.
#include "scour/evaluation.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "eval/compare.h"
#include "eval/compare_format.h"
#include "eval/fusion.h"
#include "eval/measures.h"
#include "eval/metrics.h"
#include "eval/trec_io.h"

namespace scour {
namespace {

// Tables -> the eval module's grouped forms; `line` is the 1-based row, so the evaluator's
// errors ("source:line: ...") name the row.
eval::Qrels ToQrels(const std::vector<Judgment>& rows, std::string source) {
  std::map<std::string, std::vector<eval::Judgment>, std::less<>> by_qid;
  for (size_t i = 0; i < rows.size(); ++i)
    by_qid[rows[i].qid].push_back(
        eval::Judgment{rows[i].docid, rows[i].relevance, static_cast<uint32_t>(i + 1)});
  eval::Qrels q;
  q.source = std::move(source);
  for (auto& [qid, judgments] : by_qid) {
    std::stable_sort(
        judgments.begin(), judgments.end(),
        [](const eval::Judgment& a, const eval::Judgment& b) { return a.docid < b.docid; });
    q.queries.push_back(eval::QrelsQuery{qid, std::move(judgments)});
  }
  return q;
}

eval::Run ToRun(const std::vector<RunRow>& rows, std::string source, std::string tag) {
  std::map<std::string, std::vector<eval::RunEntry>, std::less<>> by_qid;
  for (size_t i = 0; i < rows.size(); ++i)
    by_qid[rows[i].qid].push_back(
        eval::RunEntry{rows[i].docid, rows[i].score, static_cast<uint32_t>(i + 1)});
  eval::Run r;
  r.source = std::move(source);
  r.tag = std::move(tag);
  for (auto& [qid, entries] : by_qid) r.queries.push_back(eval::RunQuery{qid, std::move(entries)});
  return r;
}

absl::StatusOr<eval::EvalOptions> ToEvalOptions(const EvaluationOptions& o) {
  eval::EvalOptions e;
  std::vector<int64_t> cutoffs = o.cutoffs;
  if (cutoffs.empty())
    cutoffs.assign(std::begin(eval::kDefaultCutoffs), std::end(eval::kDefaultCutoffs));
  for (int64_t k : cutoffs)
    if (k <= 0) return absl::InvalidArgumentError(absl::StrCat("cutoff ", k, " is not positive"));
  if (o.max_retrieved < -1)
    return absl::InvalidArgumentError("max_retrieved must be >= 0 (or -1: every document)");
  if (o.num_docs_in_coll < 0) return absl::InvalidArgumentError("num_docs_in_coll must be >= 0");
  e.relevance_level = o.relevance_level;
  e.max_retrieved = o.max_retrieved < 0 ? eval::kAllRetrieved : o.max_retrieved;
  e.complete = o.complete;
  e.num_docs_in_coll = o.num_docs_in_coll;
  if (o.measures.empty()) {
    e.measures = eval::DefaultMeasures(cutoffs);
  } else {
    SCOUR_ASSIGN_OR_RETURN(e.measures, eval::ParseMeasureList(o.measures, cutoffs));
  }
  return e;
}

}  // namespace

absl::StatusOr<std::vector<Judgment>> ReadQrels(const std::string& path) {
  SCOUR_ASSIGN_OR_RETURN(eval::Qrels q, eval::ReadQrelsFile(path));
  std::vector<std::pair<uint32_t, Judgment>> rows;  // back to file order
  for (eval::QrelsQuery& query : q.queries)
    for (eval::Judgment& j : query.judgments)
      rows.push_back({j.line, Judgment{query.qid, std::move(j.docid), j.rel}});
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Judgment> out;
  out.reserve(rows.size());
  for (auto& [line, j] : rows) out.push_back(std::move(j));
  return out;
}

absl::StatusOr<std::vector<RunRow>> ReadRun(const std::string& path, std::string* tag) {
  SCOUR_ASSIGN_OR_RETURN(eval::Run run, eval::ReadRunFile(path));
  if (tag != nullptr) *tag = run.tag;
  std::vector<std::pair<uint32_t, RunRow>> rows;
  for (eval::RunQuery& query : run.queries)
    for (eval::RunEntry& e : query.entries)
      rows.push_back({e.line, RunRow{query.qid, std::move(e.docid), e.score}});
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<RunRow> out;
  out.reserve(rows.size());
  for (auto& [line, r] : rows) out.push_back(std::move(r));
  return out;
}

absl::StatusOr<std::vector<TopicQuery>> ReadTopics(const std::string& path) {
  SCOUR_ASSIGN_OR_RETURN(std::vector<eval::Topic> topics, eval::ReadTopicsFile(path));
  std::vector<TopicQuery> out;
  out.reserve(topics.size());
  for (eval::Topic& t : topics) out.push_back({std::move(t.qid), std::move(t.title)});
  return out;
}

absl::StatusOr<EvaluationTable> Evaluate(const std::vector<RunRow>& run,
                                         const std::vector<Judgment>& qrels,
                                         const EvaluationOptions& options) {
  SCOUR_ASSIGN_OR_RETURN(eval::EvalOptions e, ToEvalOptions(options));
  SCOUR_ASSIGN_OR_RETURN(
      eval::EvalReport report,
      eval::Evaluate(ToQrels(qrels, "qrels"), ToRun(run, "run", options.run_tag), e));
  EvaluationTable t;
  for (const eval::Column& c : report.columns) {
    const eval::MeasureInfo& info = eval::InfoOf(c.measure);
    t.measures.push_back(c.name);
    t.integral.push_back(c.integral);
    t.text.push_back(c.text);
    t.per_query.push_back(info.per_query);
    t.summarized.push_back(info.summary != eval::SummaryKind::kNone);
  }
  for (eval::QueryResult& q : report.queries) {
    if (!q.in_run) continue;  // -c: counted in the means, not listed (as trec_eval -q)
    t.qids.push_back(std::move(q.qid));
    t.values.push_back(std::move(q.values));
    t.relstrings.push_back(std::move(q.relstring));
  }
  t.summary = std::move(report.summary);
  t.run_tag = std::move(report.run_tag);
  t.num_q = report.num_q;
  return t;
}

absl::StatusOr<ComparisonReport> Compare(const std::vector<NamedRunRows>& runs,
                                         const std::vector<Judgment>& qrels,
                                         const ComparisonOptions& options) {
  eval::CompareOptions o;
  SCOUR_ASSIGN_OR_RETURN(o.eval, ToEvalOptions(options.evaluation));
  o.all_pairs = options.all_pairs;
  if (!options.tests.empty()) {
    SCOUR_ASSIGN_OR_RETURN(o.tests, eval::ParsePairedTests(options.tests));
  }
  if (!options.correction.empty()) {
    SCOUR_ASSIGN_OR_RETURN(o.correction, eval::ParseCorrection(options.correction));
  }
  if (!(options.alpha > 0 && options.alpha < 1))
    return absl::InvalidArgumentError("alpha must be in (0, 1)");
  o.alpha = options.alpha;
  if (options.judged_k < 0) return absl::InvalidArgumentError("judged_k must be >= 0");
  o.judged_k = options.judged_k;
  std::vector<eval::NamedRun> named;
  for (const NamedRunRows& r : runs) named.push_back({r.name, ToRun(r.run, r.name, r.name)});
  SCOUR_ASSIGN_OR_RETURN(eval::Comparison cmp,
                         eval::CompareRuns(ToQrels(qrels, "qrels"), named, o));
  eval::CompareReport report;
  report.cmp = std::move(cmp);
  report.cmp.parameters.emplace_back(
      "measures", options.evaluation.measures.empty() ? "all" : options.evaluation.measures);
  ComparisonReport out;
  out.json = eval::FormatJson(report);
  out.text = eval::FormatText(report);
  out.markdown = eval::FormatMarkdown(report);
  return out;
}

absl::StatusOr<std::vector<RunRow>> Fuse(const std::vector<NamedRunRows>& runs,
                                         const FusionOptions& options) {
  eval::FusionOptions o;
  SCOUR_ASSIGN_OR_RETURN(o.method, eval::ParseFusionMethod(options.method));
  if (!options.norm.empty()) {
    SCOUR_ASSIGN_OR_RETURN(o.norm, eval::ParseFusionNorm(options.norm));
  }
  o.rrf_k = options.k;
  o.weights = options.weights;
  o.input_depth = options.input_depth;
  o.depth = options.depth;
  std::vector<eval::Run> in;
  in.reserve(runs.size());
  for (const NamedRunRows& r : runs) in.push_back(ToRun(r.run, r.name, r.name));
  SCOUR_ASSIGN_OR_RETURN(eval::Run fused, eval::FuseRuns(in, o));
  std::vector<RunRow> out;
  for (eval::RunQuery& q : fused.queries)
    for (eval::RunEntry& e : q.entries) out.push_back(RunRow{q.qid, std::move(e.docid), e.score});
  return out;
}

}  // namespace scour
