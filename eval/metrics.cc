#include "eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"

namespace scour::eval {
namespace {

// trec_eval's floor for the geometric means (gm_map, gm_bpref).
constexpr double kMinGeoMean = 0.00001;

// A resolved request and the columns it fills.
struct Group {
  MeasureRequest request;
  size_t first = 0, count = 0;
};

std::vector<Group> BuildGroups(const std::vector<MeasureRequest>& resolved,
                               std::vector<Column>* columns) {
  std::vector<Group> groups;
  for (const MeasureRequest& req : resolved) {
    const MeasureInfo& info = InfoOf(req.measure);
    std::vector<std::string> names = ColumnNames(req);
    Group g{req, columns->size(), names.size()};
    for (size_t i = 0; i < names.size(); ++i) {
      Column c;
      c.name = std::move(names[i]);
      c.measure = req.measure;
      if (info.params == ParamKind::kLongCutoffs) c.cutoff = req.cutoffs[i];
      if (info.params == ParamKind::kDoubleCutoffs) c.param = req.params[i];
      c.integral = info.integral;
      c.text = req.measure == Measure::kRelstring || req.measure == Measure::kRunid;
      columns->push_back(std::move(c));
    }
    groups.push_back(std::move(g));
  }
  return groups;
}

}  // namespace

int EvalReport::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<EvalReport> Evaluate(const Qrels& qrels, const Run& run,
                                    const EvalOptions& options) {
  if (options.max_retrieved < 0) return absl::InvalidArgumentError("max_retrieved must be >= 0");
  SCOUR_ASSIGN_OR_RETURN(std::vector<MeasureRequest> resolved, ResolveMeasures(options.measures));
  EvalReport report;
  const std::vector<Group> groups = BuildGroups(resolved, &report.columns);
  report.run_tag = run.tag;
  const size_t nc = report.columns.size();
  int64_t evaluated = 0;
  for (const QrelsQuery& q : qrels.queries) {
    const RunQuery* rq = run.Find(q.qid);
    if (rq == nullptr && !options.complete) continue;
    QueryResult qr{q.qid, rq != nullptr, std::vector<double>(nc, 0.0), {}};
    if (rq == nullptr) {
      // trec_eval computes nothing for it; num_rel is shown for information only.
      SCOUR_ASSIGN_OR_RETURN(RankedJudgments r,
                             RankQuery(&q, nullptr, options.relevance_level, 0, qrels.source));
      for (size_t c = 0; c < nc; ++c) {
        if (report.columns[c].measure == Measure::kNumRel) qr.values[c] = double(r.num_rel);
      }
      report.queries.push_back(std::move(qr));
      continue;
    }
    SCOUR_ASSIGN_OR_RETURN(RankedJudgments r,
                           RankQuery(&q, rq, options.relevance_level, options.max_retrieved,
                                     qrels.source, run.source));
    for (const Group& g : groups) {
      ComputeMeasure(g.request, r, options.num_docs_in_coll,
                     std::span<double>(qr.values.data() + g.first, g.count), &qr.relstring);
    }
    ++evaluated;
    report.queries.push_back(std::move(qr));
  }
  if (evaluated == 0) {
    return absl::InvalidArgumentError(absl::StrCat("no queries with both results (", run.source,
                                                   ") and relevance judgments (", qrels.source,
                                                   ")"));
  }
  // trec_eval's averaging: with -c over every qrels query, the missing ones adding nothing (or
  // log(1e-5) to a geometric mean).
  const int64_t n = options.complete ? static_cast<int64_t>(qrels.queries.size()) : evaluated;
  report.num_q = n;
  report.summary.assign(nc, 0.0);
  for (size_t c = 0; c < nc; ++c) {
    const Column& col = report.columns[c];
    const SummaryKind kind = InfoOf(col.measure).summary;
    double sum = 0;
    for (const QueryResult& q : report.queries) {
      if (!q.in_run) continue;
      sum += kind == SummaryKind::kGeometricMean ? std::log(std::max(q.values[c], kMinGeoMean))
                                                 : q.values[c];
    }
    switch (kind) {
      case SummaryKind::kMean:
        report.summary[c] = sum / double(n);
        break;
      case SummaryKind::kSum:
        report.summary[c] = sum;
        break;
      case SummaryKind::kGeometricMean:
        sum += double(n - evaluated) * std::log(kMinGeoMean);
        report.summary[c] = std::exp(sum / double(n));
        break;
      case SummaryKind::kNumQ:
        report.summary[c] = double(n);
        break;
      case SummaryKind::kRunTag:
      case SummaryKind::kNone:
        break;
    }
    if (col.measure == Measure::kNumRel && options.complete) {
      // trec_eval 9.0.7 -c: every judgment > 0 of every qrels query, whatever -l says.
      int64_t positive = 0;
      for (const QrelsQuery& q : qrels.queries) {
        for (const Judgment& j : q.judgments) positive += j.rel > 0;
      }
      report.summary[c] = double(positive);
    }
  }
  return report;
}

std::string FormatTrecEval(const EvalReport& report, bool per_query, bool summary) {
  std::string out;
  std::vector<char> buf;
  auto emit = [&](const char* fmt, const std::string& name, absl::string_view qid, auto value) {
    // Long qids or text: size the buffer first.
    const int n = std::snprintf(nullptr, 0, fmt, name.c_str(), static_cast<int>(qid.size()),
                                qid.data(), value);
    if (n <= 0) return;
    buf.resize(static_cast<size_t>(n) + 1);
    std::snprintf(buf.data(), buf.size(), fmt, name.c_str(), static_cast<int>(qid.size()),
                  qid.data(), value);
    out.append(buf.data(), static_cast<size_t>(n));
  };
  auto emit_value = [&](const Column& c, absl::string_view qid, double v) {
    if (c.integral) {
      emit("%-22s\t%.*s\t%lld\n", c.name, qid, static_cast<long long>(v));
    } else {
      emit("%-22s\t%.*s\t%6.4f\n", c.name, qid, v);
    }
  };
  if (per_query) {
    for (const QueryResult& q : report.queries) {
      if (!q.in_run) continue;
      for (size_t i = 0; i < report.columns.size(); ++i) {
        const Column& c = report.columns[i];
        if (!InfoOf(c.measure).per_query) continue;
        if (c.measure == Measure::kRelstring) {
          emit("%-22s\t%.*s\t'%s'\n", c.name, q.qid, q.relstring.c_str());
        } else {
          emit_value(c, q.qid, q.values[i]);
        }
      }
    }
  }
  if (!summary) return out;
  for (size_t i = 0; i < report.columns.size(); ++i) {
    const Column& c = report.columns[i];
    const SummaryKind kind = InfoOf(c.measure).summary;
    if (kind == SummaryKind::kNone) continue;
    if (kind == SummaryKind::kRunTag) {
      emit("%-22s\t%.*s\t%s\n", c.name, "all", report.run_tag.c_str());
    } else {
      emit_value(c, "all", report.summary[i]);
    }
  }
  return out;
}

}  // namespace scour::eval
