// Side-by-side evaluation of several systems (runs) over one qrels, for `scour compare`: the
// metric table, per-query values, and paired statistics of every system against the first one
// (wins/ties/losses, randomisation test, t-test). Pure functions; safe from several threads.
#ifndef SCOUR_EVAL_COMPARE_H_
#define SCOUR_EVAL_COMPARE_H_

#include <cstddef>
#include <string>
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

struct PairedStats {
  size_t system = 0;  // compared with system 0 (the baseline)
  size_t column = 0;
  double mean_diff = 0;  // system - baseline
  WinTieLoss wtl;        // wins = system better
  double p_randomization = 1;
  double p_ttest = 1;
};

struct Comparison {
  std::vector<std::string> systems;
  std::vector<Column> columns;    // the requested measures (num_* excluded)
  std::vector<std::string> qids;  // compared queries, sorted
  // values[s][q][c]: system s, query qids[q], column c. A query a system did not retrieve
  // anything for counts 0 for that system.
  std::vector<std::vector<std::vector<double>>> values;
  std::vector<std::vector<double>> means;  // means[s][c] over qids
  std::vector<PairedStats> pairs;          // for s >= 1, every column
};

// The compared queries are those of `qrels` that at least one run has (trec_eval averages each
// run over its own queries; here every system is averaged over the same ones, so a run with
// fewer queries is not flattered). Needs >= 1 run; p-values need >= 2 queries (else 1).
// `paired_tests` false: leave `pairs` empty (parameter sweeps with many systems).
absl::StatusOr<Comparison> CompareRuns(const Qrels& qrels, const std::vector<NamedRun>& runs,
                                       const EvalOptions& options, bool paired_tests = true);

// The text report: metric table (means; "*" after a value whose randomisation-test p < 0.05
// against the baseline), then for every other system and every column: mean delta, W/T/L and
// both p-values, then (when per_query_column >= 0) that column's per-query deltas, biggest gain
// first.
std::string FormatComparison(const Comparison& c, int per_query_column);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_COMPARE_H_
