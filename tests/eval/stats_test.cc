#include "eval/stats.h"

#include <gtest/gtest.h>

#include <cmath>
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

}  // namespace
}  // namespace scour::eval
