// trec_eval's ranking step (form_res_rels): one query's run sorted as trec_eval 9.0.x sorts it
// (score read as a C float, descending; ties by docid descending, bytewise; rank column ignored),
// cut at -M, each document given its judgment. Every measure in eval/query_measures.h reads this.
// Pure function over immutable inputs; safe to call from several threads.
#ifndef SCOUR_EVAL_RANKING_H_
#define SCOUR_EVAL_RANKING_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/trec_io.h"

namespace scour::eval {

// Relevance values given to retrieved documents that have no usable judgment.
inline constexpr int32_t kRelNonPool = -1;   // docid absent from the query's qrels
inline constexpr int32_t kRelUnjudged = -2;  // in the qrels with a negative judgment

// The judged view of one query's ranking.
struct RankedJudgments {
  std::vector<int32_t> rels;  // judgment of each retrieved doc in rank order, after -M
  // (value, count) of the query's judgments with value >= 0, ascending value, no zero count:
  // trec_eval's rel_levels without its empty slots.
  std::vector<std::pair<int32_t, int64_t>> rel_levels;
  int64_t num_rel = 0;       // judgments with value >= relevance_level (and >= 0)
  int64_t num_nonrel = 0;    // judgments with 0 <= value < relevance_level
  int64_t num_rel_ret = 0;   // retrieved docs judged >= relevance_level
  int64_t num_nonpool = 0;   // retrieved docs absent from the qrels
  int64_t num_unjudged = 0;  // retrieved docs with a negative judgment
  int32_t relevance_level = 1;

  int64_t num_ret() const { return static_cast<int64_t>(rels.size()); }
  // Judgments with value >= 1 (the ideal ranking of ndcg_cut), highest value first.
  std::vector<int32_t> PositiveJudgmentsDescending() const;
};

// The float a run score is ranked by: trec_eval stores atof(score) in a C float.
inline float RankingScore(double score) { return static_cast<float>(score); }

// Sorts `run` by RankingScore descending, ties by docid descending (bytewise, as strcmp), keeps
// the first `max_retrieved`, and looks every docid up in `qrels` (either may be null = empty).
// Errors name `source:line`, as trec_eval rejects them: a docid twice among the kept documents,
// or twice in the query's qrels.
absl::StatusOr<RankedJudgments> RankQuery(const QrelsQuery* qrels, const RunQuery* run,
                                          int32_t relevance_level, int64_t max_retrieved,
                                          std::string_view qrels_source = "qrels",
                                          std::string_view run_source = "run");

}  // namespace scour::eval

#endif  // SCOUR_EVAL_RANKING_H_
