#include "eval/stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace scour::eval {
namespace {

const double kPi = std::acos(-1.0);

TEST(IncompleteBeta, ClosedForms) {
  for (double x : {0.0, 0.01, 0.2, 0.5, 0.77, 0.999, 1.0}) {
    EXPECT_NEAR(RegularizedIncompleteBeta(1, 1, x), x, 1e-13);
    EXPECT_NEAR(RegularizedIncompleteBeta(3.5, 1, x), std::pow(x, 3.5), 1e-13);
    EXPECT_NEAR(RegularizedIncompleteBeta(1, 4, x), 1 - std::pow(1 - x, 4), 1e-13);
    // Symmetry I_x(a, b) = 1 - I_{1-x}(b, a).
    EXPECT_NEAR(RegularizedIncompleteBeta(2.5, 7, x), 1 - RegularizedIncompleteBeta(7, 2.5, 1 - x),
                1e-13);
  }
  EXPECT_NEAR(RegularizedIncompleteBeta(40, 40, 0.5), 0.5, 1e-13);
  // I_x(2, 2) = 3x^2 - 2x^3.
  EXPECT_NEAR(RegularizedIncompleteBeta(2, 2, 0.3), 3 * 0.09 - 2 * 0.027, 1e-13);
}

TEST(StudentT, ClosedFormsForSmallDf) {
  for (double t : {-30.0, -2.5, -0.3, 0.0, 0.7, 1.96, 4.0, 100.0}) {
    // df = 1 is the Cauchy distribution; df = 2 has F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
    EXPECT_NEAR(StudentTCdf(t, 1), 0.5 + std::atan(t) / kPi, 1e-12) << t;
    EXPECT_NEAR(StudentTCdf(t, 2), 0.5 + t / (2 * std::sqrt(2 + t * t)), 1e-12) << t;
    // df = 3: F(t) = 1/2 + (u / (1 + u^2) + atan(u)) / pi with u = t / sqrt(3).
    double u = t / std::sqrt(3.0);
    EXPECT_NEAR(StudentTCdf(t, 3), 0.5 + (u / (1 + u * u) + std::atan(u)) / kPi, 1e-12) << t;
  }
  // Large df tends to the normal distribution: Phi(1.959964) = 0.975.
  EXPECT_NEAR(StudentTCdf(1.959964, 1e7), 0.975, 1e-6);
  // Table value: two-sided 5% critical value for df = 10 is 2.228139.
  EXPECT_NEAR(2 * (1 - StudentTCdf(2.228139, 10)), 0.05, 1e-6);
}

TEST(PairedTTest, HandWorkedExample) {
  // d = a - b = {0.1, 0, 0.2, 0.2}; mean 0.125; squared deviations 0.000625, 0.015625,
  // 0.005625, 0.005625 sum to 0.0275; s^2 = 0.0275 / 3; se = sqrt(s^2 / 4);
  // t = 0.125 / se = 2.61116..., df = 3.
  std::vector<double> a = {0.5, 0.6, 0.7, 0.8}, b = {0.4, 0.6, 0.5, 0.6};
  auto r = PairedTTest(a, b);
  ASSERT_TRUE(r.ok()) << r.status();
  const double t = 0.125 / std::sqrt(0.0275 / 3 / 4);
  EXPECT_NEAR(r->mean_diff, 0.125, 1e-15);
  EXPECT_NEAR(r->t, t, 1e-9);
  EXPECT_EQ(r->df, 3);
  // Two-sided p from the df = 3 closed form.
  double u = t / std::sqrt(3.0);
  double cdf = 0.5 + (u / (1 + u * u) + std::atan(u)) / kPi;
  EXPECT_NEAR(r->p_value, 2 * (1 - cdf), 1e-10);
  // Swapping the systems flips t but not p.
  auto s = PairedTTest(b, a);
  ASSERT_TRUE(s.ok());
  EXPECT_NEAR(s->t, -r->t, 1e-12);
  EXPECT_NEAR(s->p_value, r->p_value, 1e-12);
}

TEST(PairedTTest, DegenerateInputs) {
  std::vector<double> a = {0.3, 0.4, 0.5};
  auto same = PairedTTest(a, a);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->p_value, 1);
  std::vector<double> shifted = {0.2, 0.3, 0.4};  // every difference is 0.1
  auto shift = PairedTTest(a, shifted);
  ASSERT_TRUE(shift.ok());
  EXPECT_EQ(shift->p_value, 0);
  EXPECT_TRUE(std::isinf(shift->t));
  EXPECT_FALSE(PairedTTest(std::vector<double>{1.0}, std::vector<double>{2.0}).ok());
  EXPECT_FALSE(PairedTTest(a, std::vector<double>{1.0, 2.0}).ok());
}

TEST(Randomization, ExactSmallCase) {
  // d = {1, 2, 3}: the 8 sign patterns give sums 6, 4, 2, 0, 0, -2, -4, -6; |sum| >= 6 for 2.
  std::vector<double> a = {1, 2, 3}, b = {0, 0, 0};
  auto r = PairedRandomizationTest(a, b);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->exact);
  EXPECT_EQ(r->samples, 8);
  EXPECT_DOUBLE_EQ(r->p_value, 2.0 / 8);
  EXPECT_DOUBLE_EQ(r->mean_diff, 2.0);
  // No difference at all: every pattern ties, p = 1.
  auto z = PairedRandomizationTest(a, a);
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->p_value, 1);
}

// Brute force over all sign patterns, summing from scratch each time.
double BruteForceP(const std::vector<double>& d) {
  const size_t n = d.size();
  double observed = 0, mag = 0;
  for (double x : d) {
    observed += x;
    mag += std::fabs(x);
  }
  int64_t hits = 0;
  for (uint64_t mask = 0; mask < (uint64_t{1} << n); ++mask) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += (mask >> i & 1) ? -d[i] : d[i];
    hits += std::fabs(s) >= std::fabs(observed) - 1e-9 * mag;
  }
  return double(hits) / double(uint64_t{1} << n);
}

TEST(Randomization, ExactMatchesBruteForceAndMonteCarloIsClose) {
  std::mt19937 rng(77);
  std::uniform_real_distribution<double> u(0, 1);
  for (int trial = 0; trial < 5; ++trial) {
    const size_t n = 8 + trial;
    std::vector<double> a(n), b(n), d(n);
    for (size_t i = 0; i < n; ++i) {
      a[i] = u(rng);
      b[i] = std::max(0.0, a[i] - 0.15 + 0.3 * u(rng) - 0.05 * trial);
      d[i] = a[i] - b[i];
    }
    auto exact = PairedRandomizationTest(a, b);
    ASSERT_TRUE(exact.ok());
    ASSERT_TRUE(exact->exact);
    EXPECT_NEAR(exact->p_value, BruteForceP(d), 1e-12);
    // Force sampling: 10000 draws estimate p with standard error <= 0.005.
    auto mc = PairedRandomizationTest(a, b, 10000, kDefaultRandomizationSeed, /*exact_max_n=*/0);
    ASSERT_TRUE(mc.ok());
    EXPECT_FALSE(mc->exact);
    EXPECT_EQ(mc->samples, 10000);
    EXPECT_NEAR(mc->p_value, exact->p_value, 0.025) << "trial " << trial;
    // Fixed seed: same answer every time; another seed gives (almost surely) another estimate.
    auto again = PairedRandomizationTest(a, b, 10000, kDefaultRandomizationSeed, 0);
    EXPECT_EQ(again->p_value, mc->p_value);
  }
}

TEST(Randomization, LargeSampleAgreesWithTTestRoughly) {
  // For many queries with a clear shift both tests call it significant; with no shift neither.
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0, 0.1);
  std::vector<double> a(200), b(200), c(200);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = 0.5 + noise(rng);
    b[i] = a[i] - 0.05 + noise(rng);
    c[i] = a[i] + noise(rng);
  }
  auto rb = PairedRandomizationTest(a, b);
  auto tb = PairedTTest(a, b);
  ASSERT_TRUE(rb.ok() && tb.ok());
  EXPECT_LT(rb->p_value, 0.01);
  EXPECT_LT(tb->p_value, 0.01);
  EXPECT_NEAR(rb->p_value, tb->p_value, 0.01);
  auto rc = PairedRandomizationTest(a, c);
  auto tc = PairedTTest(a, c);
  ASSERT_TRUE(rc.ok() && tc.ok());
  EXPECT_NEAR(rc->p_value, tc->p_value, 0.05);
  EXPECT_FALSE(PairedRandomizationTest(a, std::vector<double>(3)).ok());
  EXPECT_FALSE(PairedRandomizationTest(std::vector<double>{}, std::vector<double>{}).ok());
}

TEST(WinsTiesLosses, Counts) {
  std::vector<double> a = {0.5, 0.2, 0.3, 0.30000001, 0.0};
  std::vector<double> b = {0.4, 0.2, 0.6, 0.3, 0.1};
  auto w = CountWinsTiesLosses(a, b);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->wins, 2);
  EXPECT_EQ(w->ties, 1);
  EXPECT_EQ(w->losses, 2);
  auto we = CountWinsTiesLosses(a, b, 1e-6);
  ASSERT_TRUE(we.ok());
  EXPECT_EQ(we->wins, 1);
  EXPECT_EQ(we->ties, 2);
  EXPECT_FALSE(CountWinsTiesLosses(a, std::vector<double>{1.0}).ok());
}

// The sampled randomisation test re-done the simplest way: the same generator, one sign bit per
// query in draw order (64 per draw), p = (hits + 1) / (N + 1).
double ReferenceSampledP(const std::vector<double>& d, int64_t iterations, uint64_t seed) {
  std::mt19937_64 rng(seed);
  double observed = 0, mag = 0;
  for (double x : d) {
    observed += x;
    mag += std::fabs(x);
  }
  int64_t hits = 0;
  for (int64_t it = 0; it < iterations; ++it) {
    double s = 0;
    uint64_t bits = 0;
    for (size_t i = 0; i < d.size(); ++i) {
      if (i % 64 == 0) bits = rng();
      s += (bits & 1) ? -d[i] : d[i];
      bits >>= 1;
    }
    hits += std::fabs(s) >= std::fabs(observed) - 1e-9 * mag;
  }
  return double(hits + 1) / double(iterations + 1);
}

TEST(Randomization, SampledPIsReproducedByAReferenceLoop) {
  std::mt19937 gen(3);
  std::uniform_real_distribution<double> u(0, 1);
  for (size_t n : {20, 64, 65, 130}) {
    std::vector<double> a(n), b(n), d(n);
    for (size_t i = 0; i < n; ++i) {
      a[i] = u(gen);
      b[i] = a[i] + 0.2 * (u(gen) - 0.45);
      d[i] = a[i] - b[i];
    }
    for (uint64_t seed : {uint64_t{1}, kDefaultRandomizationSeed}) {
      auto r = PairedRandomizationTest(a, b, 2000, seed);
      ASSERT_TRUE(r.ok());
      EXPECT_FALSE(r->exact);
      EXPECT_EQ(r->p_value, ReferenceSampledP(d, 2000, seed)) << n << " " << seed;
    }
  }
}

// ---- Wilcoxon signed-rank ----

// Reference: midranks by counting (rank = #smaller + (#equal + 1) / 2), then all 2^n sign
// assignments of the ranks enumerated; p = min(1, 2 min(P(W+ <= w), P(W+ >= w))).
double BruteForceWilcoxonP(const std::vector<double>& d, bool pratt, double* w_plus_out) {
  std::vector<double> ranked;  // |d| values that get ranks
  for (double x : d)
    if (x != 0 || pratt) ranked.push_back(std::fabs(x));
  std::vector<double> ranks;  // ranks of the non-zero differences, with their signs
  std::vector<int> signs;
  for (double x : d) {
    if (x == 0) continue;
    double smaller = 0, equal = 0;
    for (double y : ranked) {
      smaller += y < std::fabs(x);
      equal += y == std::fabs(x);
    }
    ranks.push_back(smaller + (equal + 1) / 2);
    signs.push_back(x > 0 ? 1 : -1);
  }
  double w = 0;
  for (size_t i = 0; i < ranks.size(); ++i)
    if (signs[i] > 0) w += ranks[i];
  *w_plus_out = w;
  const size_t n = ranks.size();
  double lower = 0, upper = 0;
  for (uint64_t mask = 0; mask < (uint64_t{1} << n); ++mask) {
    double s = 0;
    for (size_t i = 0; i < n; ++i)
      if (mask >> i & 1) s += ranks[i];
    lower += s <= w + 1e-9;
    upper += s >= w - 1e-9;
  }
  const double total = double(uint64_t{1} << n);
  return std::min(1.0, 2 * std::min(lower, upper) / total);
}

TEST(Wilcoxon, HollanderWolfeDepressionExample) {
  // Hollander & Wolfe (1973), p. 29: Hamilton depression scale of 9 patients at the first (x) and
  // second (y) visit; R's documented example wilcox.test(x, y, paired = TRUE, alternative =
  // "greater") gives V = 40, p = 0.01953 (= 10/512); two-sided p = 20/512.
  std::vector<double> x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
  std::vector<double> y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
  auto r = WilcoxonSignedRankTest(x, y);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->w_plus, 40);
  EXPECT_EQ(r->w_minus, 5);
  EXPECT_EQ(r->n_ranked, 9);
  EXPECT_TRUE(r->exact);
  EXPECT_FALSE(r->ties);
  EXPECT_NEAR(r->p_value, 20.0 / 512, 1e-15);
  // The test is symmetric in the sign of d.
  auto s = WilcoxonSignedRankTest(y, x);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->w_plus, 5);
  EXPECT_NEAR(s->p_value, 20.0 / 512, 1e-15);
}

TEST(Wilcoxon, ExactDistributionMatchesTheCriticalValueTable) {
  // Two-sided 5% critical values of T = min(W+, W-) from the standard tables (e.g. Siegel &
  // Castellan 1988, table H): n = 9: 5, n = 10: 8, n = 15: 25, n = 20: 52, n = 30: 137. So
  // W+ = T gives p <= 0.05 and W+ = T + 1 gives p > 0.05. Differences 1..n, those in `neg`
  // negative, make W- any value; pick sets summing to T and T + 1.
  for (auto [n, crit] : {std::pair{9, 5}, {10, 8}, {15, 25}, {20, 52}, {30, 137}}) {
    for (int target : {crit, crit + 1}) {
      std::vector<double> d;
      int left = target;
      for (int v = n; v >= 1; --v) {
        const bool neg = v <= left;
        if (neg) left -= v;
        d.push_back(neg ? -v : v);
      }
      ASSERT_EQ(left, 0);
      auto r = WilcoxonSignedRankTest(d, std::vector<double>(d.size(), 0.0));
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->w_minus, target);
      if (target == crit) {
        EXPECT_LE(r->p_value, 0.05) << n;
      } else {
        EXPECT_GT(r->p_value, 0.05) << n;
      }
    }
  }
}

TEST(Wilcoxon, TiesAndZerosHandWorked) {
  // d = {0, 2, -2, 3, 3, 3, 5, -1}.
  // Wilcoxon's zeros: the 0 is dropped; |d| = 2 2 3 3 3 5 1 rank 2.5 2.5 5 5 5 7 1:
  // W+ = 2.5 + 15 + 7 = 24.5, W- = 2.5 + 1 = 3.5; E = 28 / 2 = 14;
  // V = sum r^2 / 4 = (1 + 2 * 6.25 + 3 * 25 + 49) / 4 = 34.375
  //   (= 7 * 8 * 15 / 24 - (2^3 - 2 + 3^3 - 3) / 48, the closed form with the tie correction);
  // z = (24.5 - 14 - 0.5) / sqrt(34.375) = 1.7056...; scipy 1.10.1 wilcoxon(d, correction=True,
  // mode="approx") gives p = 0.08808151.
  std::vector<double> d = {0, 2, -2, 3, 3, 3, 5, -1};
  std::vector<double> zero(d.size(), 0.0);
  WilcoxonOptions o;
  o.method = WilcoxonMethod::kNormal;
  auto r = WilcoxonSignedRankTest(d, zero, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->w_plus, 24.5);
  EXPECT_EQ(r->w_minus, 3.5);
  EXPECT_EQ(r->n_zero, 1);
  EXPECT_EQ(r->n_ranked, 7);
  EXPECT_TRUE(r->ties);
  const double z = 10 / std::sqrt(34.375);
  EXPECT_NEAR(r->z, z, 1e-12);
  EXPECT_NEAR(r->p_value, std::erfc(z / std::sqrt(2.0)), 1e-12);
  EXPECT_NEAR(r->p_value, 0.08808151, 1e-8);
  // Pratt: the 0 is ranked (rank 1) and then dropped: |d| ranks 1 | 3.5 3.5 6 6 6 8 2;
  // W+ = 3.5 + 18 + 8 = 29.5, W- = 3.5 + 2 = 5.5; E = 35 / 2 = 17.5;
  // V = (2 * 3.5^2 + 3 * 36 + 64 + 4) / 4 = 50.125; z = (29.5 - 17.5 - 0.5) / sqrt(50.125).
  // scipy 1.10.1 wilcoxon(d, zero_method="pratt", correction=True, mode="approx"): p = 0.10430828.
  o.zeros = WilcoxonZeros::kPratt;
  auto p = WilcoxonSignedRankTest(d, zero, o);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->w_plus, 29.5);
  EXPECT_EQ(p->w_minus, 5.5);
  const double zp = 11.5 / std::sqrt(50.125);
  EXPECT_NEAR(p->z, zp, 1e-12);
  EXPECT_NEAR(p->p_value, std::erfc(zp / std::sqrt(2.0)), 1e-12);
  EXPECT_NEAR(p->p_value, 0.10430828, 1e-8);
  // Without the continuity correction.
  o.continuity = false;
  auto nc = WilcoxonSignedRankTest(d, zero, o);
  ASSERT_TRUE(nc.ok());
  EXPECT_NEAR(nc->z, 12 / std::sqrt(50.125), 1e-12);
}

TEST(Wilcoxon, ExactWithTiesAndZerosMatchesBruteForce) {
  std::mt19937 gen(11);
  for (int trial = 0; trial < 40; ++trial) {
    const size_t n = 3 + trial % 14;
    std::vector<double> d(n);
    // Coarse values: ties and zeros are frequent.
    for (double& x : d) x = static_cast<int>(gen() % 9) - 3;
    for (bool pratt : {false, true}) {
      double w = 0;
      const double want = BruteForceWilcoxonP(d, pratt, &w);
      WilcoxonOptions o;
      o.zeros = pratt ? WilcoxonZeros::kPratt : WilcoxonZeros::kWilcox;
      o.method = WilcoxonMethod::kExact;
      auto r = WilcoxonSignedRankTest(d, std::vector<double>(n, 0.0), o);
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->w_plus, w);
      EXPECT_NEAR(r->p_value, want, 1e-12) << "trial " << trial << " pratt " << pratt;
    }
  }
}

TEST(Wilcoxon, NormalApproximationApproachesExact) {
  // n = 40 distinct differences: the exact and approximate p agree to about 0.005.
  std::mt19937 gen(2);
  std::uniform_real_distribution<double> u(-1, 1.4);
  std::vector<double> d(40);
  for (double& x : d) x = u(gen);
  std::vector<double> zero(d.size(), 0.0);
  WilcoxonOptions e, a;
  e.method = WilcoxonMethod::kExact;
  a.method = WilcoxonMethod::kNormal;
  auto re = WilcoxonSignedRankTest(d, zero, e), ra = WilcoxonSignedRankTest(d, zero, a);
  ASSERT_TRUE(re.ok() && ra.ok());
  EXPECT_NEAR(re->p_value, ra->p_value, 0.005);
  // Auto: exact up to 50 ranked differences, normal above.
  EXPECT_TRUE(WilcoxonSignedRankTest(d, zero)->exact);
  std::vector<double> big(51, 1.0);
  EXPECT_FALSE(WilcoxonSignedRankTest(big, std::vector<double>(51, 0.0))->exact);
}

TEST(Wilcoxon, DegenerateInputs) {
  std::vector<double> a = {0.5, 0.5, 0.5};
  auto r = WilcoxonSignedRankTest(a, a);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->n_ranked, 0);
  EXPECT_EQ(r->n_zero, 3);
  EXPECT_EQ(r->p_value, 1);
  EXPECT_FALSE(WilcoxonSignedRankTest(a, std::vector<double>{1.0}).ok());
  EXPECT_FALSE(WilcoxonSignedRankTest(std::vector<double>{}, std::vector<double>{}).ok());
  // One non-zero difference: p = min(1, 2 * 1/2) = 1.
  EXPECT_EQ(WilcoxonSignedRankTest(std::vector<double>{1.0}, std::vector<double>{0.0})->p_value, 1);
}

// ---- Bootstrap, effect size, corrections ----

double ReferenceQuantile7(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double h = (double(v.size()) - 1) * p;
  const double lo = std::floor(h);
  const size_t i = static_cast<size_t>(lo);
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (h - lo) * (v[i + 1] - v[i]);
}

TEST(Bootstrap, ReproducedByAReferenceLoop) {
  std::mt19937 gen(9);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> a(37), b(37);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = u(gen);
    b[i] = u(gen) * 0.8;
  }
  for (uint64_t seed : {uint64_t{42}, kDefaultBootstrapSeed}) {
    auto r = PairedBootstrapInterval(a, b, 3000, seed, 0.95);
    ASSERT_TRUE(r.ok()) << r.status();
    // Reference: draw the index as the high 64 bits of x * n (x the next mt19937_64 output).
    std::mt19937_64 rng(seed);
    std::vector<double> means;
    for (int s = 0; s < 3000; ++s) {
      double sum = 0;
      for (size_t i = 0; i < a.size(); ++i) {
        const uint64_t x = rng();
        // x * n / 2^64 = floor(x / 2^32 * n / 2^32) computed in two halves, no 128-bit type.
        const uint64_t hi = x >> 32, lo = x & 0xffffffffu, n = a.size();
        const uint64_t j = (hi * n + ((lo * n) >> 32)) >> 32;
        sum += a[j] - b[j];
      }
      means.push_back(sum / double(a.size()));
    }
    EXPECT_EQ(r->low, ReferenceQuantile7(means, (1 - 0.95) / 2));
    EXPECT_EQ(r->high, ReferenceQuantile7(means, (1 + 0.95) / 2));
    EXPECT_EQ(r->samples, 3000);
    EXPECT_EQ(r->seed, seed);
    double mean = 0;
    for (size_t i = 0; i < a.size(); ++i) mean += a[i] - b[i];
    EXPECT_NEAR(r->mean_diff, mean / double(a.size()), 1e-15);
    EXPECT_LT(r->low, r->mean_diff);
    EXPECT_GT(r->high, r->mean_diff);
  }
}

TEST(Bootstrap, ConstantDifferencesAndErrors) {
  std::vector<double> a = {0.5, 0.7, 0.9}, b = {0.4, 0.6, 0.8};
  auto r = PairedBootstrapInterval(a, b, 100, 1);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->low, 0.1, 1e-12);
  EXPECT_NEAR(r->high, 0.1, 1e-12);
  EXPECT_FALSE(PairedBootstrapInterval(a, b, 1, 1).ok());
  EXPECT_FALSE(PairedBootstrapInterval(a, b, 100, 1, 1.0).ok());
  EXPECT_FALSE(PairedBootstrapInterval(a, std::vector<double>{1}, 100, 1).ok());
  // Quantile type 7 by hand: {1, 2, 4}, p = 0.25: h = 0.5, 1 + 0.5 * (2 - 1) = 1.5.
  std::vector<double> v = {1, 2, 4};
  EXPECT_EQ(SortedQuantile(v, 0.25), 1.5);
  EXPECT_EQ(SortedQuantile(v, 1.0), 4);
  EXPECT_EQ(SortedQuantile(v, 0.0), 1);
}

TEST(UniformIndex, HighHalfOfTheProduct) {
  EXPECT_EQ(UniformIndex(0, 10), 0u);
  EXPECT_EQ(UniformIndex(~uint64_t{0}, 10), 9u);
  EXPECT_EQ(UniformIndex(uint64_t{1} << 63, 10), 5u);
}

TEST(CohensDz, HandWorked) {
  // d = {0.1, 0, 0.2, 0.2}: mean 0.125, sd = sqrt(0.0275 / 3) = 0.0957427; d_z = 1.3055824.
  std::vector<double> a = {0.5, 0.6, 0.7, 0.8}, b = {0.4, 0.6, 0.5, 0.6};
  EXPECT_NEAR(CohensDz(a, b), 0.125 / std::sqrt(0.0275 / 3), 1e-12);
  EXPECT_NEAR(CohensDz(b, a), -0.125 / std::sqrt(0.0275 / 3), 1e-12);
  EXPECT_TRUE(std::isnan(CohensDz(a, a)));
  EXPECT_TRUE(std::isnan(CohensDz(std::vector<double>{1}, std::vector<double>{0})));
}

TEST(Corrections, HolmWorkedExample) {
  // The Holm-Bonferroni example of Wikipedia ("Holm–Bonferroni method", Example): four hypotheses
  // at alpha = 0.05 with p = 0.01, 0.04, 0.03, 0.005; H1 and H4 are rejected, H2 and H3 not.
  // Adjusted: sorted 0.005 * 4 = 0.02, 0.01 * 3 = 0.03, 0.03 * 2 = 0.06, max(0.04 * 1, 0.06).
  std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  std::vector<double> holm = AdjustPValues(p, Correction::kHolm);
  ASSERT_EQ(holm.size(), 4u);
  EXPECT_NEAR(holm[0], 0.03, 1e-15);
  EXPECT_NEAR(holm[1], 0.06, 1e-15);
  EXPECT_NEAR(holm[2], 0.06, 1e-15);
  EXPECT_NEAR(holm[3], 0.02, 1e-15);
  int rejected = 0;
  for (double v : holm) rejected += v <= 0.05;
  EXPECT_EQ(rejected, 2);
  // R's p.adjust reference values (R 4.x, ?p.adjust): p = .001 .01 .05 .1 .5 .9 gives holm
  // .006 .05 .2 .3 1 1 and bonferroni .006 .06 .3 .6 1 1.
  std::vector<double> q = {0.001, 0.01, 0.05, 0.1, 0.5, 0.9};
  std::vector<double> want_holm = {0.006, 0.05, 0.2, 0.3, 1, 1};
  std::vector<double> want_bonf = {0.006, 0.06, 0.3, 0.6, 1, 1};
  std::vector<double> h = AdjustPValues(q, Correction::kHolm);
  std::vector<double> bf = AdjustPValues(q, Correction::kBonferroni);
  for (size_t i = 0; i < q.size(); ++i) {
    EXPECT_NEAR(h[i], want_holm[i], 1e-15) << i;
    EXPECT_NEAR(bf[i], want_bonf[i], 1e-15) << i;
  }
  EXPECT_EQ(AdjustPValues(q, Correction::kNone), q);
  EXPECT_TRUE(AdjustPValues(std::vector<double>{}, Correction::kHolm).empty());
  EXPECT_EQ(*ParseCorrection("holm"), Correction::kHolm);
  EXPECT_EQ(*ParseCorrection("bonferroni"), Correction::kBonferroni);
  EXPECT_EQ(*ParseCorrection("none"), Correction::kNone);
  EXPECT_FALSE(ParseCorrection("bh").ok());
}

TEST(Corrections, HolmMatchesItsDefinitionOnRandomFamilies) {
  // p~_(i) = min(1, max_{j <= i} (m - j + 1) p_(j)), computed by the definition.
  std::mt19937 gen(4);
  std::uniform_real_distribution<double> u(0, 0.2);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<double> p(1 + trial % 9);
    for (double& v : p) v = trial % 3 == 0 ? std::round(u(gen) * 20) / 100 : u(gen);  // ties
    std::vector<double> adj = AdjustPValues(p, Correction::kHolm);
    const size_t m = p.size();
    std::vector<double> sorted = p;
    std::sort(sorted.begin(), sorted.end());
    for (size_t k = 0; k < m; ++k) {
      const size_t i = std::lower_bound(sorted.begin(), sorted.end(), p[k]) - sorted.begin();
      // Equal p-values get the same adjusted value: take the last of the run of equals.
      size_t last = i;
      while (last + 1 < m && sorted[last + 1] == p[k]) ++last;
      double want = 0;
      for (size_t j = 0; j <= last; ++j) want = std::max(want, double(m - j) * sorted[j]);
      want = std::min(1.0, want);
      // Equal p-values: the earlier of two equal inputs is adjusted as the first of the run.
      double want_first = 0;
      for (size_t j = 0; j <= i; ++j) want_first = std::max(want_first, double(m - j) * sorted[j]);
      want_first = std::min(1.0, want_first);
      EXPECT_TRUE(std::fabs(adj[k] - want) < 1e-15 || std::fabs(adj[k] - want_first) < 1e-15)
          << trial << " " << k;
      EXPECT_GE(adj[k], p[k]);
    }
  }
}

}  // namespace
}  // namespace scour::eval
