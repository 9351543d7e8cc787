// The measure catalogue: every measure of trec_eval 9.0.7's `all_trec` set (names, parameters,
// output order, how the `all` row is formed), plus `judged` (ir_measures' Judged@k, which
// trec_eval lacks), and the parser of measure lists as trec_eval's `-m` reads them
// ("P.5,10", "ndcg_cut.10", "all_trec", "set_F.0.5", "ndcg.1=3,2=7"). Formulas: docs/EVAL.md.
// Plain data and pure functions; safe from several threads.
#ifndef SCOUR_EVAL_MEASURES_H_
#define SCOUR_EVAL_MEASURES_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace scour::eval {

// In trec_eval's measure-table order, which is also its output order; judged last.
enum class Measure {
  kRunid,
  kNumQ,
  kNumRet,
  kNumRel,
  kNumRelRet,
  kMap,
  kGmMap,
  kRprec,
  kBpref,
  kRecipRank,
  kIprecAtRecall,
  kP,
  kRelstring,
  kRecall,
  kInfAP,
  kGmBpref,
  kRprecMult,
  kUtility,
  k11ptAvg,
  kBinG,
  kG,
  kNdcg,
  kNdcgRel,
  kRndcg,
  kNdcgCut,
  kMapCut,
  kRelativeP,
  kSuccess,
  kSetP,
  kSetRelativeP,
  kSetRecall,
  kSetMap,
  kSetF,
  kNumNonrelJudgedRet,
  kJudged,  // not trec_eval: ir_measures' Judged@k
};

enum class ParamKind {
  kNone,
  kLongCutoffs,    // one column per cutoff k >= 1, named NAME_k (P_10)
  kDoubleCutoffs,  // one column per cutoff, named NAME_%3.2f (iprec_at_recall_0.10)
  kDoubleParams,   // one column; parameters are numbers (set_F.0.5, utility.1,-1,0,0)
  kGainPairs,      // one column; parameters are level=gain pairs (ndcg.1=3,2=7)
};

enum class SummaryKind {
  kMean,           // arithmetic mean over the averaged queries
  kSum,            // counts: sum over the evaluated queries
  kGeometricMean,  // gm_map, gm_bpref: exp(mean(log(max(v, 1e-5))))
  kNumQ,           // the number of queries averaged over
  kRunTag,         // runid: the run's tag
  kNone,           // relstring: per query only
};

struct MeasureInfo {
  std::string_view name;
  Measure measure;
  ParamKind params;
  SummaryKind summary;
  bool per_query;  // printed per query with -q
  bool integral;   // printed with %ld
  bool official;   // in trec_eval's "official" set (its default)
  bool all_trec;   // in trec_eval's "all_trec" set
};

// Every measure, in output order.
std::span<const MeasureInfo> AllMeasures();
const MeasureInfo& InfoOf(Measure m);
// nullptr when `name` is no measure.
const MeasureInfo* FindMeasure(std::string_view name);

// True for the measures whose `all` value is the arithmetic mean of numeric per-query values
// (what `scour compare` can test pairwise): not the counts, gm_*, runid or relstring.
bool IsPerQueryMean(Measure m);

// trec_eval's "rel_level=gain" parameter of ndcg, ndcg_rel, Rndcg and G. `level` is kept as
// written: trec_eval silently ignores a pair whose level is not an integer.
struct GainOverride {
  std::string level;
  double gain = 0;
};

// One requested measure and its parameters. Empty parameters mean the measure's defaults
// (resolved by ResolveDefaults / ParseMeasureList).
struct MeasureRequest {
  Measure measure;
  std::vector<int64_t> cutoffs;     // kLongCutoffs: sorted, unique, positive
  std::vector<double> params;       // kDoubleCutoffs (sorted, unique) or kDoubleParams
  std::vector<GainOverride> gains;  // kGainPairs
  std::string param_text;           // the parameters as written; names single-column measures
};

inline constexpr int64_t kDefaultCutoffs[] = {5, 10, 15, 20, 30, 100, 200, 500, 1000};

// trec_eval's "official" set (its default without -m): runid, num_q, num_ret, num_rel,
// num_rel_ret, map, gm_map, Rprec, bpref, recip_rank, iprec_at_recall, P (P at `cutoffs`).
std::vector<MeasureRequest> DefaultMeasures(std::span<const int64_t> cutoffs = kDefaultCutoffs);

// Parses a comma-separated list of measures and nicknames, trec_eval's `-m` grammar extended to
// several measures per list: "NAME[.PARAM]" starts a measure, and an item that is not a measure
// name continues the parameters of the one before it, so "map,P.5,10,ndcg_cut.10" is map,
// P_5, P_10, ndcg_cut_10. The output spellings are accepted too (P_10, iprec_at_recall_0.10).
// Nicknames: official, all_trec, set (as trec_eval), "all" = all_trec. A measure named several
// times gets the union of its cutoffs (trec_eval keeps the first -m's); without parameters it
// gets its defaults: `default_cutoffs` for P, recall, ndcg_cut, map_cut, relative_P and judged,
// trec_eval's own for the others (success 1,5,10; iprec_at_recall 0.0..1.0; ...). The result
// has one request per measure, in output order.
absl::StatusOr<std::vector<MeasureRequest>> ParseMeasureList(
    std::string_view list, std::span<const int64_t> default_cutoffs = kDefaultCutoffs);

// ParseMeasureList's first step: the requests as written, nicknames expanded to requests without
// parameters, nothing merged or defaulted. For combining several lists (trec_eval's repeated -m)
// before one ResolveMeasures, so that `-m all_trec -m P.10` gives P_10 only.
absl::StatusOr<std::vector<MeasureRequest>> ParseMeasureItems(std::string_view list);

// Merges requests of the same measure (union of cutoffs; different non-cutoff parameters are an
// error), fills in defaults and validates, returning one request per measure in output order.
absl::StatusOr<std::vector<MeasureRequest>> ResolveMeasures(
    std::span<const MeasureRequest> requests,
    std::span<const int64_t> default_cutoffs = kDefaultCutoffs);

// The output column names of a resolved request, e.g. {"P_5", "P_10"} or {"set_F_0.5"}.
std::vector<std::string> ColumnNames(const MeasureRequest& r);

// Names of the all_trec measures (the base names trec_eval's -m takes).
std::vector<std::string> AllTrecMeasureNames();

}  // namespace scour::eval

#endif  // SCOUR_EVAL_MEASURES_H_
