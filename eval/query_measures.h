// Per-query values of every measure in eval/measures.h, computed as trec_eval 9.0.7 computes
// them (the same arithmetic in the same order, so the printed 4 decimals agree), over the
// RankedJudgments of eval/ranking.h. Formulas and edge cases: docs/EVAL.md. Pure functions.
#ifndef SCOUR_EVAL_QUERY_MEASURES_H_
#define SCOUR_EVAL_QUERY_MEASURES_H_

#include <cstdint>
#include <span>
#include <string>

#include "eval/measures.h"
#include "eval/ranking.h"

namespace scour::eval {

// Writes the values of `req`'s columns (ColumnNames(req).size() of them) for one query to `out`.
// `req` must be resolved (ResolveMeasures). relstring writes its string to `*text` (out[0] = 0);
// runid writes 0; num_q writes 1. `num_docs_in_coll` is trec_eval's -N (utility only).
void ComputeMeasure(const MeasureRequest& req, const RankedJudgments& r, int64_t num_docs_in_coll,
                    std::span<double> out, std::string* text);

// The common measures on their own. Each is 0 where trec_eval leaves it 0 (no relevant document,
// nothing retrieved).
double AveragePrecision(const RankedJudgments& r);        // map
double PrecisionAt(const RankedJudgments& r, int64_t k);  // P_k
double RecallAt(const RankedJudgments& r, int64_t k);     // recall_k
double NdcgAt(const RankedJudgments& r, int64_t k);       // ndcg_cut_k
double Ndcg(const RankedJudgments& r);                    // ndcg, gains = judgment values
double Bpref(const RankedJudgments& r);
double ReciprocalRank(const RankedJudgments& r);
double RPrecision(const RankedJudgments& r);            // Rprec
double InferredAP(const RankedJudgments& r);            // infAP
double SuccessAt(const RankedJudgments& r, int64_t k);  // success_k
double JudgedAt(const RankedJudgments& r, int64_t k);   // judged_k (ir_measures' Judged@k)

}  // namespace scour::eval

#endif  // SCOUR_EVAL_QUERY_MEASURES_H_
