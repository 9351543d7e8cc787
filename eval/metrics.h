// trec_eval 9.0.7-compatible evaluation of a run against qrels: Evaluate ranks every query as
// trec_eval does (eval/ranking.h), computes the requested measures (eval/measures.h,
// eval/query_measures.h) per query and forms the `all` row; FormatTrecEval prints trec_eval's
// exact text. Formulas, edge cases and the known differences: docs/EVAL.md. Pure functions over
// immutable inputs; safe to call from several threads.
#ifndef SCOUR_EVAL_METRICS_H_
#define SCOUR_EVAL_METRICS_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/measures.h"
#include "eval/query_measures.h"
#include "eval/ranking.h"
#include "eval/trec_io.h"

namespace scour::eval {

// -M's default, as trec_eval's: every retrieved document is evaluated.
inline constexpr int64_t kAllRetrieved = std::numeric_limits<int64_t>::max();

struct EvalOptions {
  int32_t relevance_level = 1;            // trec_eval -l
  int64_t max_retrieved = kAllRetrieved;  // trec_eval -M (>= 0)
  bool complete = false;  // trec_eval -c: average over every qrels query, missing ones count 0
  int64_t num_docs_in_coll = 0;  // trec_eval -N: only utility's fourth coefficient uses it
  std::vector<MeasureRequest> measures = DefaultMeasures();
};

// One output column, e.g. {"P_10", kP, 10}.
struct Column {
  std::string name;
  Measure measure;
  int64_t cutoff = 0;     // integer-cutoff measures
  double param = 0;       // iprec_at_recall, Rprec_mult: the fraction or multiple
  bool integral = false;  // printed as an integer; `all` is a sum (num_q: a count)
  bool text = false;      // relstring (per query) and runid (all): printed as text
};

struct QueryResult {
  std::string qid;
  bool in_run = true;  // false: a qrels query absent from the run, present only with `complete`
  std::vector<double> values;  // parallel to EvalReport::columns; 0 for text columns
  std::string relstring;       // the relstring column's text, if requested
};

struct EvalReport {
  std::vector<Column> columns;       // trec_eval's measure order
  std::vector<QueryResult> queries;  // evaluated queries sorted by qid (bytewise)
  // The `all` row. Means over num_q queries, sums of counts, geometric means; 0 for text
  // columns (runid prints run_tag).
  std::vector<double> summary;
  int64_t num_q = 0;  // queries averaged over (with `complete`: every qrels query)
  std::string run_tag;
  // Index of a column by output name ("map", "P_10"), or -1.
  int ColumnIndex(std::string_view name) const;
};

// Evaluates every query that is both in `qrels` and in `run`; with options.complete the means
// are over every qrels query (absent ones count 0; they are in `queries` with in_run = false).
// Fails, as trec_eval, when no query is in both, and on the errors of RankQuery.
absl::StatusOr<EvalReport> Evaluate(const Qrels& qrels, const Run& run, const EvalOptions& options);

// trec_eval's text: "%-22s\t%s\t%6.4f" lines (integers for the counts, 'relstring' quoted), per
// query first when `per_query` (queries absent from the run are not printed, as trec_eval),
// then the `all` rows unless !summary (trec_eval -n). Per query trec_eval leaves out num_q,
// runid, gm_map and gm_bpref; in `all` it leaves out relstring.
std::string FormatTrecEval(const EvalReport& report, bool per_query, bool summary = true);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_METRICS_H_
