#include "eval/compare.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace scour::eval {

absl::StatusOr<Comparison> CompareRuns(const Qrels& qrels, const std::vector<NamedRun>& runs,
                                       const EvalOptions& options, bool paired_tests) {
  if (runs.empty()) return absl::InvalidArgumentError("compare: no system");
  EvalOptions opts = options;
  opts.complete = false;
  opts.measures.erase(std::remove_if(opts.measures.begin(), opts.measures.end(),
                                     [](const MeasureRequest& m) {
                                       return m.measure == Measure::kNumQ ||
                                              m.measure == Measure::kNumRet ||
                                              m.measure == Measure::kNumRel ||
                                              m.measure == Measure::kNumRelRet;
                                     }),
                      opts.measures.end());
  if (opts.measures.empty()) return absl::InvalidArgumentError("compare: no measure to compare");
  Comparison c;
  std::vector<EvalReport> reports;
  for (const NamedRun& r : runs) {
    c.systems.push_back(r.name);
    auto rep = Evaluate(qrels, r.run, opts);
    if (!rep.ok())
      return absl::Status(rep.status().code(), absl::StrCat(r.name, ": ", rep.status().message()));
    reports.push_back(*std::move(rep));
  }
  c.columns = reports[0].columns;
  for (const EvalReport& rep : reports)
    for (const QueryResult& q : rep.queries) c.qids.push_back(q.qid);
  std::sort(c.qids.begin(), c.qids.end());
  c.qids.erase(std::unique(c.qids.begin(), c.qids.end()), c.qids.end());
  const size_t nc = c.columns.size(), nq = c.qids.size();
  c.values.assign(runs.size(), std::vector<std::vector<double>>(nq, std::vector<double>(nc, 0.0)));
  c.means.assign(runs.size(), std::vector<double>(nc, 0.0));
  for (size_t s = 0; s < runs.size(); ++s) {
    for (const QueryResult& q : reports[s].queries) {
      const size_t qi = std::lower_bound(c.qids.begin(), c.qids.end(), q.qid) - c.qids.begin();
      c.values[s][qi] = q.values;
    }
    for (size_t qi = 0; qi < nq; ++qi)
      for (size_t col = 0; col < nc; ++col) c.means[s][col] += c.values[s][qi][col];
    for (double& m : c.means[s]) m /= static_cast<double>(nq);
  }
  std::vector<double> a(nq), b(nq);
  for (size_t s = 1; paired_tests && s < runs.size(); ++s) {
    for (size_t col = 0; col < nc; ++col) {
      for (size_t qi = 0; qi < nq; ++qi) {
        a[qi] = c.values[s][qi][col];
        b[qi] = c.values[0][qi][col];
      }
      PairedStats p;
      p.system = s;
      p.column = col;
      p.mean_diff = c.means[s][col] - c.means[0][col];
      SCOUR_ASSIGN_OR_RETURN(p.wtl, CountWinsTiesLosses(a, b, 1e-12));
      if (nq >= 2) {
        SCOUR_ASSIGN_OR_RETURN(RandomizationResult rr, PairedRandomizationTest(a, b));
        SCOUR_ASSIGN_OR_RETURN(TTestResult tt, PairedTTest(a, b));
        p.p_randomization = rr.p_value;
        p.p_ttest = tt.p_value;
      }
      c.pairs.push_back(p);
    }
  }
  return c;
}

std::string FormatComparison(const Comparison& c, int per_query_column) {
  std::string out;
  char buf[256];
  size_t name_w = 6;
  for (const std::string& s : c.systems) name_w = std::max(name_w, s.size());
  std::snprintf(buf, sizeof(buf), "%-*s", static_cast<int>(name_w), "system");
  absl::StrAppend(&out, buf);
  for (const Column& col : c.columns) {
    std::snprintf(buf, sizeof(buf), "  %12s", col.name.c_str());
    absl::StrAppend(&out, buf);
  }
  absl::StrAppend(&out, "\n");
  auto pair_of = [&](size_t s, size_t col) -> const PairedStats* {
    for (const PairedStats& p : c.pairs)
      if (p.system == s && p.column == col) return &p;
    return nullptr;
  };
  for (size_t s = 0; s < c.systems.size(); ++s) {
    std::snprintf(buf, sizeof(buf), "%-*s", static_cast<int>(name_w), c.systems[s].c_str());
    absl::StrAppend(&out, buf);
    for (size_t col = 0; col < c.columns.size(); ++col) {
      const PairedStats* p = pair_of(s, col);
      std::snprintf(buf, sizeof(buf), "  %11.4f%s", c.means[s][col],
                    p != nullptr && p->p_randomization < 0.05 ? "*" : " ");
      absl::StrAppend(&out, buf);
    }
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out, c.qids.size(), " queries");
  if (!c.pairs.empty())
    absl::StrAppend(&out, "; * = randomisation-test p < 0.05 against ", c.systems[0]);
  absl::StrAppend(&out, "\n");
  if (!c.pairs.empty()) {
    absl::StrAppend(&out, "\npaired tests against ", c.systems[0],
                    " (randomisation test: sign flips, fixed seed; t-test: two-sided)\n");
    std::snprintf(buf, sizeof(buf), "%-*s  %-12s  %9s  %5s %5s %5s  %8s  %8s\n",
                  static_cast<int>(name_w), "system", "measure", "delta", "wins", "ties", "losses",
                  "p_rand", "p_t");
    absl::StrAppend(&out, buf);
    for (const PairedStats& p : c.pairs) {
      std::snprintf(buf, sizeof(buf), "%-*s  %-12s  %+9.4f  %5lld %5lld %5lld  %8.4f  %8.4f\n",
                    static_cast<int>(name_w), c.systems[p.system].c_str(),
                    c.columns[p.column].name.c_str(), p.mean_diff,
                    static_cast<long long>(p.wtl.wins), static_cast<long long>(p.wtl.ties),
                    static_cast<long long>(p.wtl.losses), p.p_randomization, p.p_ttest);
      absl::StrAppend(&out, buf);
    }
  }
  if (per_query_column >= 0 && static_cast<size_t>(per_query_column) < c.columns.size() &&
      c.systems.size() > 1 && !c.pairs.empty()) {
    const size_t col = static_cast<size_t>(per_query_column);
    for (size_t s = 1; s < c.systems.size(); ++s) {
      absl::StrAppend(&out, "\nper-query ", c.columns[col].name, ": ", c.systems[s], " - ",
                      c.systems[0], " (biggest gain first)\n");
      std::vector<size_t> order(c.qids.size());
      std::iota(order.begin(), order.end(), size_t{0});
      auto delta = [&](size_t q) { return c.values[s][q][col] - c.values[0][q][col]; };
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t x, size_t y) { return delta(x) > delta(y); });
      for (size_t q : order) {
        std::snprintf(buf, sizeof(buf), "  %-12s %8.4f %8.4f %+9.4f\n", c.qids[q].c_str(),
                      c.values[0][q][col], c.values[s][q][col], delta(q));
        absl::StrAppend(&out, buf);
      }
    }
  }
  return out;
}

}  // namespace scour::eval
