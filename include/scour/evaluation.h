// Ranking evaluation over plain tables, as `scour eval` and `scour compare` compute it:
// trec_eval 9.0.x-compatible measures (docs/EVAL.md) and the side-by-side comparison of runs
// with corrected paired significance tests. Measures are named as trec_eval names them ("map",
// "P.10", "ndcg_cut.10", ...; EvaluationOptions::measures), so a measure added to scour's
// evaluator is available here without an API change. Pure functions; thread-safe.
#ifndef SCOUR_EVALUATION_H_
#define SCOUR_EVALUATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scour/export.h"

namespace scour {

// One relevance judgment (a qrels line `qid iter docid relevance`). A negative relevance means
// "in the pool but unjudged", as in trec_eval.
struct Judgment {
  std::string qid;
  std::string docid;
  int32_t relevance = 0;
};

// One retrieved document (a run line `qid Q0 docid rank score tag`). As trec_eval, the ranks
// come from the scores (descending; ties by docid descending), not from the file's rank column.
struct RunRow {
  std::string qid;
  std::string docid;
  double score = 0;
};

// A query of a topics file (`qid<TAB>query` lines, or TREC <top> blocks: the <title>).
struct TopicQuery {
  std::string qid;
  std::string query;
};

// Readers of the TREC files; errors name file:line. The rows keep file order. ReadRun also
// gives the run's tag (of its last line, as trec_eval's runid) when `tag` is not null.
SCOUR_EXPORT absl::StatusOr<std::vector<Judgment>> ReadQrels(const std::string& path);
SCOUR_EXPORT absl::StatusOr<std::vector<RunRow>> ReadRun(const std::string& path,
                                                         std::string* tag = nullptr);
SCOUR_EXPORT absl::StatusOr<std::vector<TopicQuery>> ReadTopics(const std::string& path);

struct EvaluationOptions {
  // Comma-separated measures as trec_eval -m names them, e.g. "map,P.10,ndcg_cut.10",
  // "recall.100,1000", "official", "all_trec"; a cut measure without ".k" gets `cutoffs`;
  // "" = trec_eval's default (official) set. docs/EVAL.md lists them.
  std::string measures;
  std::vector<int64_t> cutoffs;  // empty = 5,10,15,20,30,100,200,500,1000
  int32_t relevance_level = 1;   // trec_eval -l
  int64_t max_retrieved = -1;    // trec_eval -M; -1 = every retrieved document (its default)
  bool complete = false;         // trec_eval -c: every qrels query counts, missing ones as 0
  int64_t num_docs_in_coll = 0;  // trec_eval -N (only utility uses it)
  std::string run_tag = "run";   // the runid measure's value
};

struct EvaluationTable {
  // Per measure, in trec_eval's order: its output name ("map", "P_10"), whether it is a count
  // (num_*; printed as an integer, summed in `summary`), text (runid, relstring: the value is
  // in run_tag / relstrings, `values` hold 0), has a per-query value (not num_q, runid, gm_*)
  // and has a summary value (not relstring).
  std::vector<std::string> measures;
  std::vector<bool> integral, text, per_query, summarized;
  std::vector<std::string> qids;            // the evaluated queries, sorted (bytewise)
  std::vector<std::vector<double>> values;  // values[q][m]
  std::vector<std::string> relstrings;      // per query: relstring's value ("" if not asked)
  std::vector<double> summary;              // the "all" row
  std::string run_tag;                      // runid's value
  int64_t num_q = 0;                        // queries averaged over
};

// Errors: InvalidArgument for an unknown measure, a docid twice in one query of the run or the
// qrels (naming the row, 1-based), or nothing to evaluate (no query in both).
SCOUR_EXPORT absl::StatusOr<EvaluationTable> Evaluate(const std::vector<RunRow>& run,
                                                      const std::vector<Judgment>& qrels,
                                                      const EvaluationOptions& options = {});

struct NamedRunRows {
  std::string name;
  std::vector<RunRow> run;
};

struct ComparisonOptions {
  EvaluationOptions evaluation;  // the measures compared (the counts num_* are dropped)
  bool all_pairs = false;        // every pair of systems, not only each against the first
  // Paired tests, e.g. "rand,t,wilcoxon" (the first marks significance); "" = scour compare's.
  std::string tests;
  std::string correction;  // "holm", "bonferroni" or "none" over pairs x measures; "" = holm
  double alpha = 0.05;
  int64_t judged_k = 10;  // judged@k per system (0 = not computed)
};

// `scour compare`'s report of the comparison, in its formats: `json` is its --format json
// document (docs/cli/compare.md: means, per-query values, and for every pair the delta, its
// bootstrap interval, d_z, wins/ties/losses, raw and adjusted p-values), `text` what it prints
// by default, `markdown` its --format markdown.
struct ComparisonReport {
  std::string json;
  std::string text;
  std::string markdown;
};

SCOUR_EXPORT absl::StatusOr<ComparisonReport> Compare(const std::vector<NamedRunRows>& runs,
                                                      const std::vector<Judgment>& qrels,
                                                      const ComparisonOptions& options = {});

// Fusion of runs (`scour fuse`, docs/FUSION.md). Each run is read in trec_eval's order (score
// as a float descending, ties by docid descending); a document missing from a run contributes
// 0 to it; the result is in qid order, then trec_eval's order, scores stored as floats.
struct FusionOptions {
  std::string method = "rrf";   // rrf, combsum, combmnz or linear
  double k = 60;                // rrf: weight / (k + rank), k >= 0
  std::string norm;             // minmax, sum, zscore or none; "" = none for rrf, else minmax
  std::vector<double> weights;  // one per run, >= 0; empty = 1 each (linear requires them)
  int64_t input_depth = 0;      // documents read per run and query; 0 = all
  int64_t depth = 1000;         // documents kept per query; 0 = all
};

// Errors (InvalidArgument): fewer than two runs, an unknown method or norm, a norm with rrf, a
// weight count other than the run count, a negative or non-finite weight or k, a docid twice in
// one query of a run (naming the run and the rows, 1-based).
SCOUR_EXPORT absl::StatusOr<std::vector<RunRow>> Fuse(const std::vector<NamedRunRows>& runs,
                                                      const FusionOptions& options = {});

}  // namespace scour

#endif  // SCOUR_EVALUATION_H_
