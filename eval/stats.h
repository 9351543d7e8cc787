// Significance statistics for comparing two systems query by query (paired samples `a`, `b` of
// one measure over the same queries): randomisation test, Student's t-test, Wilcoxon signed-rank
// test, paired bootstrap confidence interval, Cohen's d_z, wins/ties/losses, and the Holm and
// Bonferroni corrections for multiple comparisons (docs/EVAL.md gives every formula).
// Pure, deterministic (fixed seeds) functions; safe to call from several threads.
#ifndef SCOUR_EVAL_STATS_H_
#define SCOUR_EVAL_STATS_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

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

// A uniform index in [0, n) from one 64-bit draw: floor(x * n / 2^64) (Lemire's multiply-shift,
// without rejection: bias below n / 2^64). Spelled out so a test or another language can
// reproduce every bootstrap and shuffle exactly from std::mt19937_64's standard output.
inline uint64_t UniformIndex(uint64_t x, uint64_t n) {
  __extension__ using U128 = unsigned __int128;
  return static_cast<uint64_t>((static_cast<U128>(x) * n) >> 64);
}

// Which differences the Wilcoxon test ranks. kWilcox drops zero differences before ranking
// (Wilcoxon 1945; R's wilcox.test and scipy's default); kPratt ranks them with the others and then
// drops their ranks from the statistic (Pratt 1959).
enum class WilcoxonZeros { kWilcox, kPratt };
// kAuto: exact when at most 50 differences are ranked (ties included: the exact conditional
// distribution of the midranks), else the normal approximation.
enum class WilcoxonMethod { kAuto, kExact, kNormal };

struct WilcoxonOptions {
  WilcoxonZeros zeros = WilcoxonZeros::kWilcox;
  WilcoxonMethod method = WilcoxonMethod::kAuto;
  bool continuity = true;       // normal approximation: |W+ - mean| reduced by 0.5 (as R's default)
  double zero_epsilon = 1e-12;  // |d| <= this is a zero difference; |d| within it are tied
};

struct WilcoxonResult {
  double w_plus = 0;     // sum of the ranks of the positive differences
  double w_minus = 0;    // sum of the ranks of the negative differences
  int64_t n_ranked = 0;  // non-zero differences (whose ranks enter the statistic)
  int64_t n_zero = 0;
  bool ties = false;  // tied |d| among the ranked (midranks used)
  bool exact = false;
  double z = 0;        // normal approximation only
  double p_value = 1;  // two-sided
};

// Wilcoxon signed-rank test of d_i = a_i - b_i. Exact: p = min(1, 2 * min(P(W+ <= w), P(W+ >= w)))
// over the 2^n equally likely sign assignments of the ranks (counted by dynamic programming on
// doubled ranks, so midranks are exact). Normal: z = (W+ - E) / sqrt(V), E = sum(r) / 2,
// V = sum(r^2) / 4 over the ranked differences (this V includes the tie and Pratt corrections).
// No non-zero difference: p = 1. Needs equal sizes and >= 1 pair.
absl::StatusOr<WilcoxonResult> WilcoxonSignedRankTest(std::span<const double> a,
                                                      std::span<const double> b,
                                                      const WilcoxonOptions& options = {});

// Percentile bootstrap of the mean difference mean(a - b): `samples` resamples of the n queries
// with replacement, query index UniformIndex(rng(), n) from std::mt19937_64(seed), then the
// (1 - level) / 2 and (1 + level) / 2 quantiles of the resampled means (linear interpolation
// between order statistics, R's type 7). Needs equal sizes, >= 1 pair, samples >= 2.
struct BootstrapInterval {
  double mean_diff = 0;
  double low = 0;
  double high = 0;
  double level = 0.95;
  int64_t samples = 0;
  uint64_t seed = 0;
};
inline constexpr uint64_t kDefaultBootstrapSeed = 0x5c0a7b00ull;
absl::StatusOr<BootstrapInterval> PairedBootstrapInterval(std::span<const double> a,
                                                          std::span<const double> b,
                                                          int64_t samples = 10000,
                                                          uint64_t seed = kDefaultBootstrapSeed,
                                                          double level = 0.95);

// Quantile of sorted values with linear interpolation (R type 7): h = (n - 1) p,
// x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). Needs n >= 1, p in [0, 1].
double SortedQuantile(std::span<const double> sorted, double p);

// Cohen's d_z for paired samples: mean(d) / sd(d), sd with n - 1. NaN when undefined (n < 2, or
// every difference equal).
double CohensDz(std::span<const double> a, std::span<const double> b);

// Multiple-comparison corrections of a family of p-values. Bonferroni: min(1, m p_i). Holm
// (1979): with p sorted ascending, p~_(i) = min(1, max_{j <= i} (m - j + 1) p_(j)) (1-based);
// equal p-values keep their input order. The result is in input order.
enum class Correction { kNone, kBonferroni, kHolm };
std::vector<double> AdjustPValues(std::span<const double> p, Correction correction);
absl::StatusOr<Correction> ParseCorrection(std::string_view name);  // none, bonferroni, holm
const char* CorrectionName(Correction c);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_STATS_H_
