#include "eval/compare.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"

namespace scour::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string Num(double v) { return absl::StrFormat("%g", v); }

}  // namespace

const char* PairedTestName(PairedTest t) {
  switch (t) {
    case PairedTest::kRandomization:
      return "randomization";
    case PairedTest::kTTest:
      return "t-test";
    case PairedTest::kWilcoxon:
      return "wilcoxon";
  }
  return "?";
}

const char* PairedTestShortName(PairedTest t) {
  switch (t) {
    case PairedTest::kRandomization:
      return "rand";
    case PairedTest::kTTest:
      return "t";
    case PairedTest::kWilcoxon:
      return "wsr";
  }
  return "?";
}

absl::StatusOr<std::vector<PairedTest>> ParsePairedTests(std::string_view list) {
  std::vector<PairedTest> out;
  for (absl::string_view item :
       absl::StrSplit(absl::string_view(list.data(), list.size()), ',', absl::SkipEmpty())) {
    item = absl::StripAsciiWhitespace(item);
    PairedTest t;
    if (item == "rand" || item == "randomization" || item == "randomisation" ||
        item == "permutation") {
      t = PairedTest::kRandomization;
    } else if (item == "t" || item == "t-test" || item == "ttest") {
      t = PairedTest::kTTest;
    } else if (item == "wilcoxon" || item == "wsr") {
      t = PairedTest::kWilcoxon;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown test \"", item, "\" (randomization, t-test, wilcoxon)"));
    }
    if (std::find(out.begin(), out.end(), t) != out.end())
      return absl::InvalidArgumentError(absl::StrCat("test \"", item, "\" given twice"));
    out.push_back(t);
  }
  if (out.empty()) return absl::InvalidArgumentError("no test given");
  return out;
}

LatencySummary SummarizeLatency(std::vector<double> us, double wall_seconds, int64_t passes,
                                int64_t warmup_passes) {
  LatencySummary l;
  if (us.empty()) return l;
  std::sort(us.begin(), us.end());
  auto pct = [&](double p) {
    const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(us.size())));
    return us[std::max<size_t>(rank, 1) - 1];
  };
  l.measured = true;
  double sum = 0;
  for (double v : us) sum += v;
  l.mean_us = sum / static_cast<double>(us.size());
  l.p50_us = pct(50);
  l.p99_us = pct(99);
  l.samples = static_cast<int64_t>(us.size());
  l.qps = wall_seconds > 0 ? static_cast<double>(us.size()) / wall_seconds : 0;
  l.passes = passes;
  l.warmup_passes = warmup_passes;
  return l;
}

std::string LatencyThreadsText(std::span<const LatencySummary> latency) {
  int threads = 1;
  for (const LatencySummary& l : latency)
    if (l.measured) threads = std::max(threads, l.threads);
  if (threads == 1) return "one thread";
  return absl::StrCat(threads, " threads (each query timed on the thread that ran it)");
}

bool Comparison::HasLatency() const {
  for (const LatencySummary& l : latency)
    if (l.measured) return true;
  return false;
}

const PairedStats* Comparison::Pair(size_t system, size_t baseline, size_t column) const {
  for (const PairedStats& p : pairs)
    if (p.system == system && p.baseline == baseline && p.column == column) return &p;
  return nullptr;
}

namespace {

absl::Status CheckOptions(const CompareOptions& options) {
  if (!(options.alpha > 0 && options.alpha < 1))
    return absl::InvalidArgumentError("compare: alpha must be in (0, 1)");
  if (options.paired_tests && options.tests.empty())
    return absl::InvalidArgumentError("compare: no paired test chosen");
  if (options.permutations < 1 || options.bootstrap_samples < 2)
    return absl::InvalidArgumentError(
        "compare: permutations must be >= 1 and bootstrap samples >= 2");
  if (!(options.ci_level > 0 && options.ci_level < 1))
    return absl::InvalidArgumentError("compare: the interval level must be in (0, 1)");
  if (options.judged_k < 0) return absl::InvalidArgumentError("compare: judged k must be >= 0");
  return absl::OkStatus();
}

// The statistics' parameters and the paired statistics of every (system, baseline) pair and
// column of `c`, whose values and means are filled.
absl::Status AddPairedStats(Comparison& c) {
  const CompareOptions& options = c.options;
  const size_t ns = c.systems.size(), nc = c.columns.size(), nq = c.qids.size();
  auto& P = c.parameters;
  if (options.paired_tests && ns > 1) {
    P.emplace_back("comparisons", options.all_pairs
                                      ? "all pairs"
                                      : absl::StrCat("each system against ", c.systems[0]));
    std::string tests;
    for (PairedTest t : options.tests)
      absl::StrAppend(&tests, tests.empty() ? "" : ", ", PairedTestName(t));
    P.emplace_back("tests (two-sided)", tests);
    P.emplace_back("significance", absl::StrCat(PairedTestName(options.tests[0]), " p (",
                                                CorrectionName(options.correction), "-adjusted) < ",
                                                Num(options.alpha)));
    P.emplace_back("correction", absl::StrCat(CorrectionName(options.correction),
                                              " over systems x measures, per test"));
    if (std::find(options.tests.begin(), options.tests.end(), PairedTest::kRandomization) !=
        options.tests.end()) {
      P.emplace_back("randomization",
                     nq <= static_cast<size_t>(std::min(options.exact_max_n, 24))
                         ? absl::StrCat("exact: all 2^", nq, " sign assignments")
                         : absl::StrCat(options.permutations, " sampled sign assignments, seed ",
                                        options.seed, " (std::mt19937_64)"));
    }
    if (std::find(options.tests.begin(), options.tests.end(), PairedTest::kWilcoxon) !=
        options.tests.end()) {
      const WilcoxonOptions& w = options.wilcoxon;
      P.emplace_back(
          "wilcoxon",
          absl::StrCat(w.zeros == WilcoxonZeros::kPratt ? "Pratt" : "Wilcoxon", " zero handling, ",
                       w.method == WilcoxonMethod::kExact    ? "exact"
                       : w.method == WilcoxonMethod::kNormal ? "normal approximation"
                                                             : "exact up to 50 pairs, else normal",
                       w.continuity ? " (continuity-corrected)" : ""));
    }
    P.emplace_back("interval",
                   absl::StrCat(Num(options.ci_level * 100), "% paired bootstrap (percentile), ",
                                options.bootstrap_samples, " resamples, seed ", options.seed));
    P.emplace_back("effect size", "Cohen's d_z = mean(d) / sd(d)");
    P.emplace_back("wins/ties/losses",
                   absl::StrCat("|d| <= ", Num(options.tie_epsilon), " is a tie"));
  }
  if (!options.paired_tests || ns < 2) return absl::OkStatus();

  std::vector<std::pair<size_t, size_t>> todo;  // (system, baseline)
  if (options.all_pairs) {
    for (size_t b = 0; b < ns; ++b)
      for (size_t s = b + 1; s < ns; ++s) todo.emplace_back(s, b);
  } else {
    for (size_t s = 1; s < ns; ++s) todo.emplace_back(s, 0);
  }
  std::vector<double> a(nq), b(nq);
  for (auto [s, base] : todo) {
    for (size_t col = 0; col < nc; ++col) {
      for (size_t qi = 0; qi < nq; ++qi) {
        a[qi] = c.values[s][qi][col];
        b[qi] = c.values[base][qi][col];
      }
      PairedStats p;
      p.system = s;
      p.baseline = base;
      p.column = col;
      p.mean_diff = c.means[s][col] - c.means[base][col];
      p.p.fill(kNaN);
      p.p_adjusted.fill(kNaN);
      SCOUR_ASSIGN_OR_RETURN(p.wtl, CountWinsTiesLosses(a, b, options.tie_epsilon));
      SCOUR_ASSIGN_OR_RETURN(p.ci, PairedBootstrapInterval(a, b, options.bootstrap_samples,
                                                           options.seed, options.ci_level));
      p.d_z = CohensDz(a, b);
      if (nq >= 2) {
        for (PairedTest t : options.tests) {
          double pv = kNaN;
          if (t == PairedTest::kRandomization) {
            SCOUR_ASSIGN_OR_RETURN(RandomizationResult rr,
                                   PairedRandomizationTest(a, b, options.permutations, options.seed,
                                                           options.exact_max_n));
            pv = rr.p_value;
            p.randomization_exact = rr.exact;
            p.randomization_samples = rr.samples;
          } else if (t == PairedTest::kTTest) {
            SCOUR_ASSIGN_OR_RETURN(TTestResult tt, PairedTTest(a, b));
            pv = tt.p_value;
          } else {
            SCOUR_ASSIGN_OR_RETURN(WilcoxonResult w,
                                   WilcoxonSignedRankTest(a, b, options.wilcoxon));
            pv = w.p_value;
            p.wilcoxon_exact = w.exact;
          }
          p.p[static_cast<size_t>(t)] = pv;
        }
      }
      c.pairs.push_back(p);
    }
  }
  // Correct each test over the family of every pair and measure.
  for (PairedTest t : options.tests) {
    const size_t ti = static_cast<size_t>(t);
    std::vector<double> raw;
    std::vector<size_t> where;
    for (size_t i = 0; i < c.pairs.size(); ++i) {
      if (std::isnan(c.pairs[i].p[ti])) continue;
      raw.push_back(c.pairs[i].p[ti]);
      where.push_back(i);
    }
    std::vector<double> adj = AdjustPValues(raw, options.correction);
    for (size_t k = 0; k < where.size(); ++k) c.pairs[where[k]].p_adjusted[ti] = adj[k];
  }
  const size_t primary = static_cast<size_t>(options.tests[0]);
  for (PairedStats& p : c.pairs)
    p.significant = !std::isnan(p.p_adjusted[primary]) && p.p_adjusted[primary] < options.alpha;
  P.emplace_back("family size", absl::StrCat(c.pairs.size(), " (", todo.size(),
                                             todo.size() == 1 ? " pair" : " pairs", " x ", nc,
                                             nc == 1 ? " measure)" : " measures)"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Comparison> CompareRuns(const Qrels& qrels, const std::vector<NamedRun>& runs,
                                       const CompareOptions& options) {
  if (runs.empty()) return absl::InvalidArgumentError("compare: no system");
  SCOUR_RETURN_IF_ERROR(CheckOptions(options));
  EvalOptions opts = options.eval;
  opts.complete = false;
  opts.measures.erase(std::remove_if(opts.measures.begin(), opts.measures.end(),
                                     [](const MeasureRequest& m) {
                                       // Counts, gm_*, runid, relstring: not per-query means.
                                       return !IsPerQueryMean(m.measure);
                                     }),
                      opts.measures.end());
  if (opts.measures.empty()) return absl::InvalidArgumentError("compare: no measure to compare");
  Comparison c;
  c.options = options;
  std::vector<EvalReport> reports;
  for (const NamedRun& r : runs) {
    for (const std::string& s : c.systems)
      if (s == r.name)
        return absl::InvalidArgumentError(
            absl::StrCat("compare: two systems are named \"", r.name, "\""));
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
  const size_t ns = runs.size(), nc = c.columns.size(), nq = c.qids.size();
  c.values.assign(ns, std::vector<std::vector<double>>(nq, std::vector<double>(nc, 0.0)));
  c.means.assign(ns, std::vector<double>(nc, 0.0));
  for (size_t s = 0; s < ns; ++s) {
    for (const QueryResult& q : reports[s].queries) {
      const size_t qi = std::lower_bound(c.qids.begin(), c.qids.end(), q.qid) - c.qids.begin();
      c.values[s][qi] = q.values;
    }
    for (size_t qi = 0; qi < nq; ++qi)
      for (size_t col = 0; col < nc; ++col) c.means[s][col] += c.values[s][qi][col];
    for (double& m : c.means[s]) m /= static_cast<double>(nq);
  }
  if (options.judged_k > 0) {
    c.judged.assign(ns, std::vector<double>(nq, 0.0));
    c.judged_mean.assign(ns, 0.0);
    for (size_t s = 0; s < ns; ++s) {
      for (size_t qi = 0; qi < nq; ++qi) {
        SCOUR_ASSIGN_OR_RETURN(
            RankedJudgments rj,
            RankQuery(qrels.Find(c.qids[qi]), runs[s].run.Find(c.qids[qi]), opts.relevance_level,
                      opts.max_retrieved, qrels.source, runs[s].run.source));
        c.judged[s][qi] = JudgedAt(rj, options.judged_k);
        c.judged_mean[s] += c.judged[s][qi];
      }
      c.judged_mean[s] /= static_cast<double>(nq);
    }
    for (size_t s = 1; s < ns; ++s) {
      if (c.judged_mean[s] < c.judged_mean[0] - options.judged_warn_drop) {
        c.warnings.push_back(absl::StrFormat(
            "%s: judged@%d is %.3f against %.3f for %s: its top %d holds many unjudged documents, "
            "which every measure counts as non-relevant; its scores are likely underestimated",
            c.systems[s], options.judged_k, c.judged_mean[s], c.judged_mean[0], c.systems[0],
            options.judged_k));
      }
    }
  }
  c.latency.assign(ns, LatencySummary{});

  // Parameters that decide the numbers.
  auto& P = c.parameters;
  P.emplace_back("queries", absl::StrCat(nq));
  P.emplace_back("relevance level", absl::StrCat(opts.relevance_level));
  P.emplace_back("evaluated depth (-M)", absl::StrCat(opts.max_retrieved));
  if (options.judged_k > 0) P.emplace_back("judged@k", absl::StrCat(options.judged_k));
  SCOUR_RETURN_IF_ERROR(AddPairedStats(c));
  return c;
}

absl::StatusOr<Comparison> CompareValues(std::vector<std::string> systems,
                                         std::vector<Column> columns, std::vector<std::string> qids,
                                         std::vector<std::vector<std::vector<double>>> values,
                                         const CompareOptions& options) {
  SCOUR_RETURN_IF_ERROR(CheckOptions(options));
  if (systems.empty() || columns.empty() || qids.empty())
    return absl::InvalidArgumentError("compare: no system, measure or query");
  if (values.size() != systems.size())
    return absl::InvalidArgumentError("compare: values for a different number of systems");
  for (const auto& v : values) {
    if (v.size() != qids.size())
      return absl::InvalidArgumentError("compare: values for a different number of queries");
    for (const auto& q : v)
      if (q.size() != columns.size())
        return absl::InvalidArgumentError("compare: values for a different number of measures");
  }
  Comparison c;
  c.options = options;
  c.options.judged_k = 0;
  c.systems = std::move(systems);
  c.columns = std::move(columns);
  c.qids = std::move(qids);
  c.values = std::move(values);
  c.means.assign(c.systems.size(), std::vector<double>(c.columns.size(), 0.0));
  for (size_t s = 0; s < c.systems.size(); ++s) {
    for (size_t qi = 0; qi < c.qids.size(); ++qi)
      for (size_t col = 0; col < c.columns.size(); ++col) c.means[s][col] += c.values[s][qi][col];
    for (double& m : c.means[s]) m /= static_cast<double>(c.qids.size());
  }
  c.latency.assign(c.systems.size(), LatencySummary{});
  c.parameters.emplace_back("queries", absl::StrCat(c.qids.size()));
  SCOUR_RETURN_IF_ERROR(AddPairedStats(c));
  return c;
}

}  // namespace scour::eval
