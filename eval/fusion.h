// Fusion of TREC runs (docs/FUSION.md): reciprocal rank fusion, CombSUM, CombMNZ and a weighted
// linear combination, with min-max / sum / z-score normalisation. Each run is read in trec_eval's
// order (float score descending, docid descending); a document missing from a run contributes 0;
// the fused run is written in trec_eval's order. Pure functions; thread-safe.
#ifndef SCOUR_EVAL_FUSION_H_
#define SCOUR_EVAL_FUSION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/trec_io.h"

namespace scour::eval {

enum class FusionMethod { kRrf, kCombSum, kCombMnz, kLinear };
enum class FusionNorm { kNone, kMinMax, kSum, kZScore };

struct FusionOptions {
  FusionMethod method = FusionMethod::kRrf;
  double rrf_k = 60;               // rrf: w / (k + rank)
  std::optional<FusionNorm> norm;  // unset: none for rrf, minmax for the score methods
  std::vector<double> weights;     // one per run; empty = 1 each (linear requires them)
  int64_t input_depth = 0;         // documents kept per run and query; 0 = all
  int64_t depth = 1000;            // documents written per query; 0 = all
  std::string tag;                 // "" = "scour-fuse-<method>"
};

absl::StatusOr<FusionMethod> ParseFusionMethod(std::string_view name);
absl::StatusOr<FusionNorm> ParseFusionNorm(std::string_view name);
std::string_view FusionMethodName(FusionMethod method);

// InvalidArgument for options that cannot apply to `num_runs` runs (docs/FUSION.md "Errors").
absl::Status ValidateFusionOptions(const FusionOptions& options, size_t num_runs);

// Fuses `runs` (at least two). Errors: ValidateFusionOptions's, and a docid twice in one query
// of one run (naming `source:line` of both).
absl::StatusOr<Run> FuseRuns(const std::vector<Run>& runs, const FusionOptions& options);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_FUSION_H_
