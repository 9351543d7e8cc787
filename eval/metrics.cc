#include "eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"

namespace scour::eval {
namespace {

// Debian's Abseil has its own string_view type; convert at the API boundary.
absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool IsCutMeasure(Measure m) {
  return m == Measure::kP || m == Measure::kRecall || m == Measure::kNdcgCut;
}

bool IsIntegral(Measure m) {
  return m == Measure::kNumQ || m == Measure::kNumRet || m == Measure::kNumRel ||
         m == Measure::kNumRelRet;
}

struct MeasureName {
  absl::string_view name;
  Measure measure;
};
// trec_eval's measure-table order, which is also its output order.
constexpr MeasureName kMeasureNames[] = {
    {"num_q", Measure::kNumQ},
    {"num_ret", Measure::kNumRet},
    {"num_rel", Measure::kNumRel},
    {"num_rel_ret", Measure::kNumRelRet},
    {"map", Measure::kMap},
    {"bpref", Measure::kBpref},
    {"recip_rank", Measure::kRecipRank},
    {"P", Measure::kP},
    {"recall", Measure::kRecall},
    {"ndcg_cut", Measure::kNdcgCut},
};

absl::string_view NameOf(Measure m) {
  for (const MeasureName& n : kMeasureNames) {
    if (n.measure == m) return n.name;
  }
  return "?";
}

bool LookupMeasure(absl::string_view name, Measure* m) {
  for (const MeasureName& n : kMeasureNames) {
    if (n.name == name) {
      *m = n.measure;
      return true;
    }
  }
  return false;
}

int64_t Kept(const RankedJudgments& r, int64_t k) {
  return std::min<int64_t>(k, static_cast<int64_t>(r.rels.size()));
}

int64_t RelevantInTop(const RankedJudgments& r, int64_t k) {
  int64_t n = Kept(r, k), count = 0;
  for (int64_t i = 0; i < n; ++i) count += r.rels[i] >= r.relevance_level;
  return count;
}

// Rank-1 is undiscounted, rank i >= 2 is divided by log2(i) (Jarvelin & Kekalainen, b = 2), as
// trec_eval's ndcg_cut does.
double Discount(int64_t index0) { return index0 == 0 ? 1.0 : std::log2(double(index0 + 1)); }

}  // namespace

absl::StatusOr<RankedJudgments> RankQuery(const QrelsQuery* qrels, const RunQuery* run,
                                          int32_t relevance_level, int64_t max_retrieved,
                                          std::string_view qrels_source_in,
                                          std::string_view run_source_in) {
  const absl::string_view qrels_source = Av(qrels_source_in), run_source = Av(run_source_in);
  RankedJudgments r;
  r.relevance_level = relevance_level;
  static const std::vector<Judgment> kNoJudgments;
  const std::vector<Judgment>& judged = qrels ? qrels->judgments : kNoJudgments;
  for (size_t i = 0; i < judged.size(); ++i) {
    const Judgment& j = judged[i];
    if (i > 0 && judged[i - 1].docid == j.docid) {
      return absl::InvalidArgumentError(
          absl::StrCat(qrels_source, ":", j.line, ": duplicate judgment of ", j.docid,
                       " for query ", qrels->qid, " (also at line ", judged[i - 1].line, ")"));
    }
    if (j.rel > 0) r.ideal_gains.push_back(j.rel);
    if (j.rel >= 0) {
      if (j.rel >= relevance_level) {
        ++r.num_rel;
      } else {
        ++r.num_nonrel;
      }
    }
  }
  std::sort(r.ideal_gains.begin(), r.ideal_gains.end(), std::greater<>());
  if (run == nullptr) return r;

  const std::vector<RunEntry>& e = run->entries;
  std::vector<uint32_t> order(e.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&e](uint32_t a, uint32_t b) {
    if (e[a].score != e[b].score) return e[a].score > e[b].score;
    return e[a].docid > e[b].docid;
  });
  if (max_retrieved >= 0 && static_cast<int64_t>(order.size()) > max_retrieved) {
    order.resize(max_retrieved);
  }
  // trec_eval rejects a docid retrieved twice, but only looks among the kept (top -M) documents.
  std::vector<uint32_t> by_doc = order;
  std::sort(by_doc.begin(), by_doc.end(), [&e](uint32_t a, uint32_t b) {
    return e[a].docid != e[b].docid ? e[a].docid < e[b].docid : e[a].line < e[b].line;
  });
  for (size_t i = 1; i < by_doc.size(); ++i) {
    const RunEntry& prev = e[by_doc[i - 1]];
    const RunEntry& cur = e[by_doc[i]];
    if (prev.docid == cur.docid) {
      return absl::InvalidArgumentError(absl::StrCat(run_source, ":", cur.line,
                                                     ": duplicate docid ", cur.docid, " for query ",
                                                     run->qid, " (also at line ", prev.line, ")"));
    }
  }
  r.rels.reserve(order.size());
  for (uint32_t idx : order) {
    const std::string& docid = e[idx].docid;
    auto it = std::lower_bound(judged.begin(), judged.end(), docid,
                               [](const Judgment& j, const std::string& d) { return j.docid < d; });
    int32_t rel = kRelNonPool;
    if (it != judged.end() && it->docid == docid) rel = it->rel >= 0 ? it->rel : kRelUnjudged;
    r.rels.push_back(rel);
    if (rel >= 0 && rel >= relevance_level) ++r.num_rel_ret;
  }
  return r;
}

double AveragePrecision(const RankedJudgments& r) {
  if (r.num_rel == 0) return 0;
  double sum = 0;
  int64_t rel_so_far = 0;
  for (size_t i = 0; i < r.rels.size(); ++i) {
    if (r.rels[i] >= r.relevance_level) {
      ++rel_so_far;
      sum += double(rel_so_far) / double(i + 1);
    }
  }
  return sum / double(r.num_rel);
}

double PrecisionAt(const RankedJudgments& r, int64_t k) {
  return double(RelevantInTop(r, k)) / double(k);
}

double RecallAt(const RankedJudgments& r, int64_t k) {
  if (r.num_rel == 0) return 0;
  return double(RelevantInTop(r, k)) / double(r.num_rel);
}

double NdcgAt(const RankedJudgments& r, int64_t k) {
  double dcg = 0;
  for (int64_t i = 0, n = Kept(r, k); i < n; ++i) {
    if (r.rels[i] > 0) dcg += r.rels[i] / Discount(i);
  }
  double ideal = 0;
  int64_t n_ideal = std::min<int64_t>(k, static_cast<int64_t>(r.ideal_gains.size()));
  for (int64_t i = 0; i < n_ideal; ++i) ideal += r.ideal_gains[i] / Discount(i);
  return ideal > 0 ? dcg / ideal : dcg;
}

double Bpref(const RankedJudgments& r) {
  if (r.num_rel == 0) return 0;
  double bpref = 0;
  int64_t nonrel_so_far = 0;
  const double denom = double(std::min(r.num_nonrel, r.num_rel));
  for (int32_t rel : r.rels) {
    if (rel < 0) continue;  // not in the pool, or unjudged: bpref only looks at judged docs
    if (rel < r.relevance_level) {
      ++nonrel_so_far;
    } else if (nonrel_so_far > 0) {
      bpref += 1.0 - double(std::min(nonrel_so_far, r.num_rel)) / denom;
    } else {
      bpref += 1.0;
    }
  }
  return bpref / double(r.num_rel);
}

double ReciprocalRank(const RankedJudgments& r) {
  for (size_t i = 0; i < r.rels.size(); ++i) {
    if (r.rels[i] >= r.relevance_level) return 1.0 / double(i + 1);
  }
  return 0;
}

std::vector<MeasureRequest> DefaultMeasures(std::span<const int64_t> cutoffs) {
  std::vector<MeasureRequest> out;
  for (const MeasureName& n : kMeasureNames) {
    MeasureRequest req{n.measure, {}};
    if (IsCutMeasure(n.measure)) req.cutoffs.assign(cutoffs.begin(), cutoffs.end());
    out.push_back(std::move(req));
  }
  return out;
}

absl::StatusOr<std::vector<MeasureRequest>> ParseMeasureList(
    std::string_view list_in, std::span<const int64_t> default_cutoffs) {
  const absl::string_view list = Av(list_in);
  std::vector<MeasureRequest> out;
  MeasureRequest* last_cut = nullptr;  // a bare number after "P.5" extends it: "P.5,10"
  std::vector<absl::string_view> tokens = absl::StrSplit(list, ',');
  out.reserve(tokens.size() + std::size(kMeasureNames));
  for (absl::string_view raw : tokens) {
    absl::string_view tok = absl::StripAsciiWhitespace(raw);
    int64_t k;
    if (last_cut != nullptr && absl::SimpleAtoi(tok, &k)) {
      if (k <= 0) return absl::InvalidArgumentError(absl::StrCat("cutoff must be positive: ", tok));
      last_cut->cutoffs.push_back(k);
      continue;
    }
    last_cut = nullptr;
    if (tok == "all" || tok == "official") {
      for (MeasureRequest& r : DefaultMeasures(default_cutoffs)) out.push_back(std::move(r));
      continue;
    }
    absl::string_view name = tok, param;
    bool has_param = false;
    if (size_t dot = tok.find('.'); dot != absl::string_view::npos) {
      name = tok.substr(0, dot);
      param = tok.substr(dot + 1);
      has_param = true;
    }
    Measure m;
    if (!LookupMeasure(name, &m)) {
      // Output spelling: P_10, recall_100, ndcg_cut_20.
      size_t us = tok.rfind('_');
      if (us == absl::string_view::npos || has_param || !LookupMeasure(tok.substr(0, us), &m) ||
          !IsCutMeasure(m)) {
        return absl::InvalidArgumentError(absl::StrCat("unknown measure '", tok, "'"));
      }
      name = tok.substr(0, us);
      param = tok.substr(us + 1);
      has_param = true;
    }
    MeasureRequest req{m, {}};
    if (has_param) {
      if (!IsCutMeasure(m)) {
        return absl::InvalidArgumentError(absl::StrCat("measure ", name, " takes no cutoff"));
      }
      if (!absl::SimpleAtoi(param, &k) || k <= 0) {
        return absl::InvalidArgumentError(absl::StrCat("bad cutoff in '", tok, "'"));
      }
      req.cutoffs.push_back(k);
    } else if (IsCutMeasure(m)) {
      req.cutoffs.assign(default_cutoffs.begin(), default_cutoffs.end());
    }
    out.push_back(std::move(req));
    if (has_param) last_cut = &out.back();
  }
  if (out.empty()) return absl::InvalidArgumentError("empty measure list");
  return out;
}

int EvalReport::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

std::vector<Column> BuildColumns(const std::vector<MeasureRequest>& requests) {
  std::vector<Column> cols;
  for (const MeasureName& n : kMeasureNames) {
    bool wanted = false;
    std::vector<int64_t> cutoffs;
    for (const MeasureRequest& r : requests) {
      if (r.measure != n.measure) continue;
      wanted = true;
      cutoffs.insert(cutoffs.end(), r.cutoffs.begin(), r.cutoffs.end());
    }
    if (!wanted) continue;
    if (!IsCutMeasure(n.measure)) {
      cols.push_back(Column{std::string(n.name), n.measure, 0, IsIntegral(n.measure)});
      continue;
    }
    std::sort(cutoffs.begin(), cutoffs.end());
    cutoffs.erase(std::unique(cutoffs.begin(), cutoffs.end()), cutoffs.end());
    for (int64_t k : cutoffs) {
      cols.push_back(Column{absl::StrCat(n.name, "_", k), n.measure, k, false});
    }
  }
  return cols;
}

double ValueOf(const Column& c, const RankedJudgments& r) {
  switch (c.measure) {
    case Measure::kNumQ:
      return 1;
    case Measure::kNumRet:
      return double(r.rels.size());
    case Measure::kNumRel:
      return double(r.num_rel);
    case Measure::kNumRelRet:
      return double(r.num_rel_ret);
    case Measure::kMap:
      return AveragePrecision(r);
    case Measure::kBpref:
      return Bpref(r);
    case Measure::kRecipRank:
      return ReciprocalRank(r);
    case Measure::kP:
      return PrecisionAt(r, c.cutoff);
    case Measure::kRecall:
      return RecallAt(r, c.cutoff);
    case Measure::kNdcgCut:
      return NdcgAt(r, c.cutoff);
  }
  return 0;
}

}  // namespace

absl::StatusOr<EvalReport> Evaluate(const Qrels& qrels, const Run& run,
                                    const EvalOptions& options) {
  for (const MeasureRequest& r : options.measures) {
    for (int64_t k : r.cutoffs) {
      if (k <= 0) return absl::InvalidArgumentError(absl::StrCat("cutoff must be positive: ", k));
    }
    if (IsCutMeasure(r.measure) && r.cutoffs.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(NameOf(r.measure), " needs a cutoff"));
    }
  }
  if (options.max_retrieved < 0) return absl::InvalidArgumentError("max_retrieved must be >= 0");
  EvalReport report;
  report.columns = BuildColumns(options.measures);
  if (report.columns.empty()) return absl::InvalidArgumentError("no measures requested");
  report.run_tag = run.tag;
  int64_t in_both = 0;
  for (const QrelsQuery& q : qrels.queries) {
    const RunQuery* rq = run.Find(q.qid);
    if (rq == nullptr && !options.complete) continue;
    SCOUR_ASSIGN_OR_RETURN(RankedJudgments r,
                           RankQuery(&q, rq, options.relevance_level, options.max_retrieved,
                                     qrels.source, run.source));
    QueryResult qr{q.qid, rq != nullptr, {}};
    qr.values.reserve(report.columns.size());
    for (const Column& c : report.columns) {
      // A query missing from the run scores 0 everywhere, but its relevant documents still
      // count in num_rel (trec_eval -c).
      double v = (rq != nullptr || c.measure == Measure::kNumQ || c.measure == Measure::kNumRel)
                     ? ValueOf(c, r)
                     : 0.0;
      qr.values.push_back(v);
    }
    in_both += rq != nullptr;
    report.queries.push_back(std::move(qr));
  }
  if (in_both == 0 && !(options.complete && !report.queries.empty())) {
    return absl::InvalidArgumentError(absl::StrCat("no queries with both results (", run.source,
                                                   ") and relevance judgments (", qrels.source,
                                                   ")"));
  }
  report.num_q = static_cast<int64_t>(report.queries.size());
  report.summary.assign(report.columns.size(), 0.0);
  for (const QueryResult& qr : report.queries) {
    for (size_t i = 0; i < qr.values.size(); ++i) report.summary[i] += qr.values[i];
  }
  for (size_t i = 0; i < report.columns.size(); ++i) {
    if (!report.columns[i].integral) report.summary[i] /= double(report.num_q);
  }
  return report;
}

std::string FormatTrecEval(const EvalReport& report, bool per_query) {
  std::string out;
  char buf[512];
  auto emit = [&](const Column& c, absl::string_view qid, double v) {
    int n = c.integral
                ? std::snprintf(buf, sizeof(buf), "%-22s\t%.*s\t%lld\n", c.name.c_str(),
                                static_cast<int>(qid.size()), qid.data(), static_cast<long long>(v))
                : std::snprintf(buf, sizeof(buf), "%-22s\t%.*s\t%6.4f\n", c.name.c_str(),
                                static_cast<int>(qid.size()), qid.data(), v);
    if (n >= static_cast<int>(sizeof(buf))) {  // absurdly long qid: format without the buffer
      out += absl::StrCat(c.name, "\t", qid, "\t", v, "\n");
    } else if (n > 0) {
      out.append(buf, n);
    }
  };
  if (per_query) {
    for (const QueryResult& q : report.queries) {
      if (!q.in_run) continue;
      for (size_t i = 0; i < report.columns.size(); ++i) {
        if (report.columns[i].measure == Measure::kNumQ) continue;  // summary-only, as trec_eval
        emit(report.columns[i], q.qid, q.values[i]);
      }
    }
  }
  for (size_t i = 0; i < report.columns.size(); ++i) {
    emit(report.columns[i], "all", report.summary[i]);
  }
  return out;
}

}  // namespace scour::eval
