#include "eval/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace scour::eval {
namespace {

// Continued fraction for I_x(a, b) by the modified Lentz method; converges fast for
// x < (a + 1) / (a + b + 2), which the caller guarantees by symmetry.
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-15;
  constexpr int kMaxIter = 10000;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1;
  double d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxIter; ++m) {
    const double m2 = 2.0 * m;
    // Even step.
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return h;
}

absl::Status CheckPairs(std::span<const double> a, std::span<const double> b, size_t min_n) {
  if (a.size() != b.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("paired samples differ in size: ", a.size(), " vs ", b.size()));
  }
  if (a.size() < min_n) {
    return absl::InvalidArgumentError(absl::StrCat("need at least ", min_n, " pairs"));
  }
  return absl::OkStatus();
}

}  // namespace

double RegularizedIncompleteBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1) / (a + b + 2)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
}

double StudentTCdf(double t, double df) {
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  // P(|T| > |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2).
  const double tail = 0.5 * RegularizedIncompleteBeta(df / 2, 0.5, df / (df + t * t));
  return t > 0 ? 1 - tail : tail;
}

absl::StatusOr<TTestResult> PairedTTest(std::span<const double> a, std::span<const double> b) {
  if (absl::Status s = CheckPairs(a, b, 2); !s.ok()) return s;
  const size_t n = a.size();
  double mean = 0;
  for (size_t i = 0; i < n; ++i) mean += a[i] - b[i];
  mean /= double(n);
  double ss = 0;
  for (size_t i = 0; i < n; ++i) {
    const double dev = (a[i] - b[i]) - mean;
    ss += dev * dev;
  }
  TTestResult r;
  r.mean_diff = mean;
  r.df = double(n - 1);
  const double se = std::sqrt(ss / r.df / double(n));
  // Treat a spread that is rounding noise relative to the mean as no spread at all.
  if (se == 0 || se <= 1e-14 * std::fabs(mean)) {
    r.t = mean == 0 ? 0 : std::copysign(std::numeric_limits<double>::infinity(), mean);
    r.p_value = mean == 0 ? 1 : 0;
    return r;
  }
  r.t = mean / se;
  r.p_value = RegularizedIncompleteBeta(r.df / 2, 0.5, r.df / (r.df + r.t * r.t));
  return r;
}

absl::StatusOr<RandomizationResult> PairedRandomizationTest(std::span<const double> a,
                                                            std::span<const double> b,
                                                            int64_t iterations, uint64_t seed,
                                                            int exact_max_n) {
  if (absl::Status s = CheckPairs(a, b, 1); !s.ok()) return s;
  if (iterations < 1) return absl::InvalidArgumentError("iterations must be >= 1");
  const size_t n = a.size();
  std::vector<double> d(n);
  double observed = 0, magnitude = 0;
  for (size_t i = 0; i < n; ++i) {
    d[i] = a[i] - b[i];
    observed += d[i];
    magnitude += std::fabs(d[i]);
  }
  RandomizationResult r;
  r.mean_diff = observed / double(n);
  // Sums of the same terms in another order or sign pattern differ by rounding; count those as
  // ties with the observed value rather than as smaller.
  const double threshold = std::fabs(observed) - 1e-9 * magnitude;
  int64_t at_least = 0;
  if (n <= static_cast<size_t>(std::min(exact_max_n, 24))) {
    // Gray-code walk: each step flips one sign, so a sum update is O(1).
    std::vector<double> sign(n, 1.0);
    double sum = observed;
    const uint64_t total = uint64_t{1} << n;
    at_least = std::fabs(sum) >= threshold;
    for (uint64_t g = 1; g < total; ++g) {
      const int j = __builtin_ctzll(g);
      sum -= 2 * sign[j] * d[j];
      sign[j] = -sign[j];
      at_least += std::fabs(sum) >= threshold;
    }
    r.exact = true;
    r.samples = static_cast<int64_t>(total);
    r.p_value = double(at_least) / double(total);
    return r;
  }
  std::mt19937_64 rng(seed);
  for (int64_t it = 0; it < iterations; ++it) {
    double sum = 0;
    uint64_t bits = 0;
    for (size_t i = 0; i < n; ++i) {
      if ((i & 63) == 0) bits = rng();
      // Branch-free sign: +d or -d from one random bit.
      sum += d[i] * (1.0 - 2.0 * static_cast<double>(bits & 1));
      bits >>= 1;
    }
    at_least += std::fabs(sum) >= threshold;
  }
  r.samples = iterations;
  r.p_value = double(at_least + 1) / double(iterations + 1);
  return r;
}

absl::StatusOr<WinTieLoss> CountWinsTiesLosses(std::span<const double> a, std::span<const double> b,
                                               double epsilon) {
  if (absl::Status s = CheckPairs(a, b, 0); !s.ok()) return s;
  WinTieLoss w;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i] + epsilon) {
      ++w.wins;
    } else if (a[i] < b[i] - epsilon) {
      ++w.losses;
    } else {
      ++w.ties;
    }
  }
  return w;
}

}  // namespace scour::eval
