// Significance statistics for comparing two systems query by query (paired samples `a`, `b` of
// one measure over the same queries): randomisation test, Student's t-test, wins/ties/losses.
// Pure, deterministic (fixed seeds) functions; safe to call from several threads.
#ifndef SCOUR_EVAL_STATS_H_
#define SCOUR_EVAL_STATS_H_

#include <cstdint>
#include <span>

#include "absl/status/statusor.h"

namespace scour::eval {

// Regularised incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1].
double RegularizedIncompleteBeta(double a, double b, double x);

// P(T <= t) for Student's t distribution with `df` > 0 degrees of freedom.
double StudentTCdf(double t, double df);

struct TTestResult {
  double mean_diff = 0;  // mean of a[i] - b[i]
  double t = 0;          // +-infinity when every difference is the same non-zero value
  double df = 0;
  double p_value = 1;  // two-sided
};

// Paired two-sided t-test. Needs equal sizes and at least 2 pairs. All differences equal: p = 1
// when they are 0, else p = 0.
absl::StatusOr<TTestResult> PairedTTest(std::span<const double> a, std::span<const double> b);

inline constexpr uint64_t kDefaultRandomizationSeed = 0x5c0a7e57ull;

struct RandomizationResult {
  double mean_diff = 0;
  double p_value = 1;   // two-sided
  int64_t samples = 0;  // sign assignments examined
  bool exact = false;   // all 2^n assignments enumerated
};

// Paired two-sided randomisation (sign-flip permutation) test on the mean difference. When
// n <= exact_max_n it enumerates all 2^n sign assignments and p = #{|mean*| >= |mean|} / 2^n;
// otherwise it draws `iterations` random assignments from a fixed-seed generator and
// p = (#{|mean*| >= |mean|} + 1) / (iterations + 1). Sums within 1e-9 * sum|d_i| of the observed
// |sum| count as >= (rounding).
absl::StatusOr<RandomizationResult> PairedRandomizationTest(
    std::span<const double> a, std::span<const double> b, int64_t iterations = 10000,
    uint64_t seed = kDefaultRandomizationSeed, int exact_max_n = 16);

struct WinTieLoss {
  int64_t wins = 0;  // a[i] > b[i] + epsilon
  int64_t ties = 0;
  int64_t losses = 0;  // a[i] < b[i] - epsilon
};

absl::StatusOr<WinTieLoss> CountWinsTiesLosses(std::span<const double> a, std::span<const double> b,
                                               double epsilon = 0);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_STATS_H_
