// trec_eval 9.0.x-compatible effectiveness measures (see docs/EVAL.md for every formula and the
// edge-case rules): num_q, num_ret, num_rel, num_rel_ret, map, bpref, recip_rank, P.k, recall.k,
// ndcg_cut.k. Pure functions over immutable inputs; safe to call from several threads.
#ifndef SCOUR_EVAL_METRICS_H_
#define SCOUR_EVAL_METRICS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/trec_io.h"

namespace scour::eval {

// Relevance values given to retrieved documents that have no usable judgment.
inline constexpr int32_t kRelNonPool = -1;   // docid absent from the query's qrels
inline constexpr int32_t kRelUnjudged = -2;  // in the qrels with a negative judgment

inline constexpr int64_t kDefaultCutoffs[] = {5, 10, 15, 20, 30, 100, 200, 500, 1000};

// The judged view of one query's ranking (trec_eval's form_res_rels).
struct RankedJudgments {
  std::vector<int32_t> rels;         // relevance of each retrieved doc, rank order, after -M
  std::vector<int32_t> ideal_gains;  // every judgment with rel > 0, sorted descending
  int64_t num_rel = 0;               // judgments with rel >= relevance_level
  int64_t num_nonrel = 0;            // judgments with 0 <= rel < relevance_level
  int64_t num_rel_ret = 0;           // retrieved docs with rel >= relevance_level
  int32_t relevance_level = 1;
};

// Sorts `run` by score descending, ties by docid descending (bytewise), keeps the first
// `max_retrieved`, and looks every docid up in `qrels` (either may be null = empty). Errors, as
// trec_eval: a docid twice among the kept documents, or twice in the query's qrels.
absl::StatusOr<RankedJudgments> RankQuery(const QrelsQuery* qrels, const RunQuery* run,
                                          int32_t relevance_level, int64_t max_retrieved,
                                          std::string_view qrels_source = "qrels",
                                          std::string_view run_source = "run");

// Single-query measures (k >= 1). Each is 0 when it is undefined (no relevant document).
double AveragePrecision(const RankedJudgments& r);
double PrecisionAt(const RankedJudgments& r, int64_t k);
double RecallAt(const RankedJudgments& r, int64_t k);
double NdcgAt(const RankedJudgments& r, int64_t k);
double Bpref(const RankedJudgments& r);
double ReciprocalRank(const RankedJudgments& r);

enum class Measure {
  kNumQ,
  kNumRet,
  kNumRel,
  kNumRelRet,
  kMap,
  kBpref,
  kRecipRank,
  kP,
  kRecall,
  kNdcgCut
};

struct MeasureRequest {
  Measure measure;
  std::vector<int64_t> cutoffs;  // P, recall, ndcg_cut only: sorted, unique, positive
};

// All ten measures, cut measures at `cutoffs`.
std::vector<MeasureRequest> DefaultMeasures(std::span<const int64_t> cutoffs = kDefaultCutoffs);

// Parses a comma-separated list such as "map,P,ndcg_cut.10,ndcg_cut.20,recall.100". A cut measure
// without ".k" gets `default_cutoffs`; "all" or "official" means DefaultMeasures(default_cutoffs).
// Names as in trec_eval (P, recall, ndcg_cut, map, bpref, recip_rank, num_q, num_ret, num_rel,
// num_rel_ret); "P_10" and "ndcg_cut_10" (the output spelling) are accepted too.
absl::StatusOr<std::vector<MeasureRequest>> ParseMeasureList(
    std::string_view list, std::span<const int64_t> default_cutoffs = kDefaultCutoffs);

struct EvalOptions {
  int32_t relevance_level = 1;   // trec_eval -l
  int64_t max_retrieved = 1000;  // trec_eval -M (its own default is unlimited; TREC uses 1000)
  bool complete = false;  // trec_eval -c: average over every qrels query, missing ones count 0
  std::vector<MeasureRequest> measures = DefaultMeasures();
};

// One output column, e.g. {"P_10", kP, 10, false}.
struct Column {
  std::string name;
  Measure measure;
  int64_t cutoff = 0;
  bool integral = false;  // printed as an integer; summary is a sum, not a mean
};

struct QueryResult {
  std::string qid;
  bool in_run = true;  // false: a qrels query absent from the run, present only with `complete`
  std::vector<double> values;  // parallel to EvalReport::columns
};

struct EvalReport {
  std::vector<Column> columns;       // trec_eval's measure order
  std::vector<QueryResult> queries;  // evaluated queries sorted by qid
  std::vector<double> summary;       // the "all" row
  int64_t num_q = 0;                 // queries averaged over
  std::string run_tag;
  // Index of a column by output name ("map", "P_10"), or -1.
  int ColumnIndex(std::string_view name) const;
};

// Evaluates every query that is both in `qrels` and in `run` (with options.complete: every qrels
// query). Fails when no query can be evaluated.
absl::StatusOr<EvalReport> Evaluate(const Qrels& qrels, const Run& run, const EvalOptions& options);

// trec_eval's text form: "%-22s\t%s\t%6.4f" lines (integers for num_*), per query first when
// `per_query` (queries absent from the run are not printed, as in trec_eval 9.0.x), then "all".
std::string FormatTrecEval(const EvalReport& report, bool per_query);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_METRICS_H_
