// Side-by-side evaluation of several systems (runs) over one qrels, for `scour compare` and the
// Python binding: the metric table, per-query values, judged@k, and paired statistics of every
// system against the first one (or of every pair): randomisation test, t-test, Wilcoxon
// signed-rank test with Holm / Bonferroni correction over systems x measures, a bootstrap
// interval of the mean difference, Cohen's d_z, wins/ties/losses. Pure functions; safe from
// several threads. Formulas: docs/EVAL.md.
#ifndef SCOUR_EVAL_COMPARE_H_
#define SCOUR_EVAL_COMPARE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/metrics.h"
#include "eval/stats.h"
#include "eval/trec_io.h"

namespace scour::eval {

struct NamedRun {
  std::string name;
  Run run;
};

enum class PairedTest { kRandomization = 0, kTTest = 1, kWilcoxon = 2 };
inline constexpr size_t kNumPairedTests = 3;
const char* PairedTestName(PairedTest t);       // "randomization", "t-test", "wilcoxon"
const char* PairedTestShortName(PairedTest t);  // "rand", "t", "wsr"
// Comma-separated list of rand|randomization|permutation, t|t-test|ttest, wilcoxon|wsr.
absl::StatusOr<std::vector<PairedTest>> ParsePairedTests(std::string_view list);

struct CompareOptions {
  EvalOptions eval;          // measures (num_* are dropped), relevance level, -M
  bool paired_tests = true;  // false: means only (parameter sweeps)
  bool all_pairs = false;    // every pair of systems, not only each against the first
  // Tests run, the first decides the significance markers. Every test's p-values are corrected
  // over the whole family (pairs x measures) separately.
  std::vector<PairedTest> tests = {PairedTest::kRandomization, PairedTest::kTTest,
                                   PairedTest::kWilcoxon};
  Correction correction = Correction::kHolm;
  double alpha = 0.05;
  uint64_t seed = kDefaultRandomizationSeed;  // randomisation test and bootstrap
  int64_t permutations = 10000;  // sampled sign assignments (above exact_max_n queries)
  int exact_max_n = 16;          // randomisation test enumerates all 2^n up to this n
  int64_t bootstrap_samples = 10000;
  double ci_level = 0.95;
  WilcoxonOptions wilcoxon;
  double tie_epsilon = 1e-12;  // wins/ties/losses
  int64_t judged_k = 10;       // judged@k per system; 0 = not computed
  // Warn when a system's mean judged@k is below the baseline's by more than this.
  double judged_warn_drop = 0.10;
};

struct PairedStats {
  size_t system = 0;    // the system compared ...
  size_t baseline = 0;  // ... with this one (0 unless all_pairs)
  size_t column = 0;
  double mean_diff = 0;  // system - baseline
  BootstrapInterval ci;
  double d_z = 0;  // NaN when undefined
  WinTieLoss wtl;  // wins = system better
  // Indexed by PairedTest; NaN for a test not run (or fewer than 2 queries).
  std::array<double, kNumPairedTests> p;
  std::array<double, kNumPairedTests> p_adjusted;
  bool randomization_exact = false;
  int64_t randomization_samples = 0;
  bool wilcoxon_exact = false;
  // The adjusted p-value of the first test is < alpha.
  bool significant = false;
};

// Latency of a system run from an index, measured after warm-up (see MeasureLatency in
// eval/search_run.h). Absent for run files.
struct LatencySummary {
  bool measured = false;
  double mean_us = 0, p50_us = 0, p99_us = 0;
  double qps = 0;       // queries / wall time of the timed passes (all threads together)
  int64_t samples = 0;  // timed query executions
  int64_t passes = 0;   // timed passes over the topics
  int64_t warmup_passes = 0;
  int threads = 1;  // topics searched at once; each latency is measured on its own thread
};
// Nearest-rank percentiles (as `scour bench` and the peers' harnesses) of `us` (unsorted).
LatencySummary SummarizeLatency(std::vector<double> us, double wall_seconds, int64_t passes,
                                int64_t warmup_passes);
// How the latencies were taken, for the reports' legends: "one thread", or "N threads (each
// query timed on the thread that ran it)".
std::string LatencyThreadsText(std::span<const LatencySummary> latency);

struct Comparison {
  std::vector<std::string> systems;
  std::vector<Column> columns;    // the requested measures (num_* excluded)
  std::vector<std::string> qids;  // compared queries, sorted
  // values[s][q][c]: system s, query qids[q], column c. A query a system did not retrieve
  // anything for counts 0 for that system.
  std::vector<std::vector<std::vector<double>>> values;
  std::vector<std::vector<double>> means;  // means[s][c] over qids
  // judged@k: judged[s][q] per query and judged_mean[s]; empty when judged_k = 0.
  std::vector<std::vector<double>> judged;
  std::vector<double> judged_mean;
  std::vector<LatencySummary> latency;  // per system; filled by the caller (index systems)
  std::vector<PairedStats> pairs;       // (system, baseline) pairs in order, every column
  std::vector<std::string> warnings;
  CompareOptions options;
  // Everything that decides a number, as (name, value) in print order: the statistics' options
  // from CompareRuns, then whatever the caller adds (depth, index, ranker parameters, ...).
  std::vector<std::pair<std::string, std::string>> parameters;

  // The pair (system, baseline, column), or nullptr.
  const PairedStats* Pair(size_t system, size_t baseline, size_t column) const;
  // Whether any system's latency was measured.
  bool HasLatency() const;
};

// The compared queries are those of `qrels` that at least one run has (trec_eval averages each
// run over its own queries; here every system is averaged over the same ones, so a run with
// fewer queries is not flattered). Needs >= 1 run; p-values need >= 2 queries (else NaN).
absl::StatusOr<Comparison> CompareRuns(const Qrels& qrels, const std::vector<NamedRun>& runs,
                                       const CompareOptions& options);

// The same statistics over per-query values given directly (values[s][q][c]), e.g. the held-out
// values of a tuned system; judged@k and latency are absent.
absl::StatusOr<Comparison> CompareValues(std::vector<std::string> systems,
                                         std::vector<Column> columns, std::vector<std::string> qids,
                                         std::vector<std::vector<std::vector<double>>> values,
                                         const CompareOptions& options);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_COMPARE_H_
