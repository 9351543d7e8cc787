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

namespace scour::eval {
namespace {

// Midranks of `v` (1-based), values within `eps` of the first of a run of sorted values tied.
std::vector<double> MidRanks(const std::vector<double>& v, double eps, bool* ties) {
  const size_t n = v.size();
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return v[x] < v[y]; });
  std::vector<double> rank(n);
  *ties = false;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && v[order[j]] - v[order[i]] <= eps) ++j;
    if (j - i > 1) *ties = true;
    const double mid = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k) rank[order[k]] = mid;
    i = j;
  }
  return rank;
}

double NormalUpperTail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

}  // namespace

absl::StatusOr<WilcoxonResult> WilcoxonSignedRankTest(std::span<const double> a,
                                                      std::span<const double> b,
                                                      const WilcoxonOptions& options) {
  if (absl::Status s = CheckPairs(a, b, 1); !s.ok()) return s;
  WilcoxonResult r;
  std::vector<double> absd;  // |d| of the differences that are ranked
  std::vector<int> sign;     // +1, -1, or 0 (Pratt's zeros: ranked, then dropped)
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = a[i] - b[i];
    const bool zero = std::fabs(d) <= options.zero_epsilon;
    if (zero) ++r.n_zero;
    if (zero && options.zeros == WilcoxonZeros::kWilcox) continue;
    absd.push_back(zero ? 0.0 : std::fabs(d));
    sign.push_back(zero ? 0 : (d > 0 ? 1 : -1));
  }
  const std::vector<double> rank = MidRanks(absd, options.zero_epsilon, &r.ties);
  // The statistic's ranks, doubled so midranks are integers (exact counting below).
  std::vector<int64_t> r2;
  double sum_r = 0, sum_r_sq = 0;
  for (size_t i = 0; i < rank.size(); ++i) {
    if (sign[i] == 0) continue;
    if (sign[i] > 0) r.w_plus += rank[i];
    if (sign[i] < 0) r.w_minus += rank[i];
    r2.push_back(static_cast<int64_t>(std::llround(2 * rank[i])));
    sum_r += rank[i];
    sum_r_sq += rank[i] * rank[i];
  }
  r.n_ranked = static_cast<int64_t>(r2.size());
  if (r.n_ranked == 0) return r;  // p = 1: nothing to test
  const bool exact = options.method == WilcoxonMethod::kExact ||
                     (options.method == WilcoxonMethod::kAuto && r.n_ranked <= 50);
  if (exact) {
    if (r.n_ranked > 1000)
      return absl::InvalidArgumentError("exact Wilcoxon: more than 1000 pairs");
    // count[s]: sign assignments whose positive doubled ranks sum to s. Counts up to 2^1000
    // overflow; scale by 1/2 per rank so count[] is a probability distribution.
    int64_t total = 0;
    for (int64_t v : r2) total += v;
    std::vector<double> prob(static_cast<size_t>(total) + 1, 0.0);
    prob[0] = 1;
    int64_t reach = 0;
    for (int64_t v : r2) {
      for (int64_t s = reach; s >= 0; --s) {
        const double p = prob[static_cast<size_t>(s)] * 0.5;
        prob[static_cast<size_t>(s)] = p;
        prob[static_cast<size_t>(s + v)] += p;
      }
      reach += v;
    }
    const int64_t w = std::llround(2 * r.w_plus);
    double lower = 0, upper = 0;
    for (int64_t s = 0; s <= total; ++s) {
      if (s <= w) lower += prob[static_cast<size_t>(s)];
      if (s >= w) upper += prob[static_cast<size_t>(s)];
    }
    r.exact = true;
    r.p_value = std::min(1.0, 2 * std::min(lower, upper));
    return r;
  }
  const double mean = sum_r / 2, sd = std::sqrt(sum_r_sq / 4);
  double dev = r.w_plus - mean;
  if (options.continuity) dev = std::copysign(std::max(0.0, std::fabs(dev) - 0.5), dev);
  r.z = dev / sd;
  r.p_value = std::min(1.0, 2 * NormalUpperTail(std::fabs(r.z)));
  return r;
}

double SortedQuantile(std::span<const double> sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto f = static_cast<size_t>(std::floor(h));
  if (f + 1 >= sorted.size()) return sorted[sorted.size() - 1];
  return sorted[f] + (h - static_cast<double>(f)) * (sorted[f + 1] - sorted[f]);
}

absl::StatusOr<BootstrapInterval> PairedBootstrapInterval(std::span<const double> a,
                                                          std::span<const double> b,
                                                          int64_t samples, uint64_t seed,
                                                          double level) {
  if (absl::Status s = CheckPairs(a, b, 1); !s.ok()) return s;
  if (samples < 2) return absl::InvalidArgumentError("bootstrap samples must be >= 2");
  if (!(level > 0 && level < 1)) return absl::InvalidArgumentError("level must be in (0, 1)");
  const size_t n = a.size();
  std::vector<double> d(n);
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    d[i] = a[i] - b[i];
    sum += d[i];
  }
  std::mt19937_64 rng(seed);
  std::vector<double> means(static_cast<size_t>(samples));
  for (double& m : means) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += d[UniformIndex(rng(), n)];
    m = s / static_cast<double>(n);
  }
  std::sort(means.begin(), means.end());
  BootstrapInterval r;
  r.mean_diff = sum / static_cast<double>(n);
  r.low = SortedQuantile(means, (1 - level) / 2);
  r.high = SortedQuantile(means, (1 + level) / 2);
  r.level = level;
  r.samples = samples;
  r.seed = seed;
  return r;
}

double CohensDz(std::span<const double> a, std::span<const double> b) {
  const size_t n = std::min(a.size(), b.size());
  if (n < 2 || a.size() != b.size()) return std::numeric_limits<double>::quiet_NaN();
  double mean = 0;
  for (size_t i = 0; i < n; ++i) mean += a[i] - b[i];
  mean /= static_cast<double>(n);
  double ss = 0;
  for (size_t i = 0; i < n; ++i) ss += ((a[i] - b[i]) - mean) * ((a[i] - b[i]) - mean);
  const double sd = std::sqrt(ss / static_cast<double>(n - 1));
  if (sd == 0 || sd <= 1e-14 * std::fabs(mean)) return std::numeric_limits<double>::quiet_NaN();
  return mean / sd;
}

std::vector<double> AdjustPValues(std::span<const double> p, Correction correction) {
  const size_t m = p.size();
  std::vector<double> out(p.begin(), p.end());
  if (correction == Correction::kBonferroni) {
    for (double& v : out) v = std::min(1.0, v * static_cast<double>(m));
  } else if (correction == Correction::kHolm) {
    std::vector<size_t> order(m);
    for (size_t i = 0; i < m; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return p[x] < p[y]; });
    double running = 0;
    for (size_t i = 0; i < m; ++i) {
      running = std::max(running, std::min(1.0, static_cast<double>(m - i) * p[order[i]]));
      out[order[i]] = running;
    }
  }
  return out;
}

absl::StatusOr<Correction> ParseCorrection(std::string_view name) {
  if (name == "none") return Correction::kNone;
  if (name == "bonferroni") return Correction::kBonferroni;
  if (name == "holm") return Correction::kHolm;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown correction \"", std::string(name), "\" (holm, bonferroni, none)"));
}

const char* CorrectionName(Correction c) {
  switch (c) {
    case Correction::kNone:
      return "none";
    case Correction::kBonferroni:
      return "bonferroni";
    case Correction::kHolm:
      return "holm";
  }
  return "?";
}

}  // namespace scour::eval
