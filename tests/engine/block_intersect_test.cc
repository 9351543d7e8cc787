// NextCommon, IntersectRuns, SearchRuns and MergeRuns (engine/block_intersect.h) against
// std::set_intersection on random sorted runs of every length mix (the SSE2 four-by-four steps, the
// scalar tail, empty runs).
#include "engine/algorithm/block_intersect.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace scour::engine {
namespace {

std::vector<uint32_t> RandomRun(std::mt19937_64& rng, size_t n, uint32_t universe) {
  std::set<uint32_t> s;
  while (s.size() < n) s.insert(static_cast<uint32_t>(rng() % universe));
  return {s.begin(), s.end()};
}

// All common values found by repeated calls, each consuming the match, as the conjunction does.
std::vector<uint32_t> AllCommon(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out;
  size_t i = 0, j = 0;
  while (NextCommon(a.data(), &i, a.size(), b.data(), &j, b.size())) {
    EXPECT_EQ(a[i], b[j]);
    out.push_back(a[i]);
    ++i;
    ++j;
  }
  EXPECT_TRUE(i == a.size() || j == b.size());
  return out;
}

TEST(NextCommonTest, MatchesSetIntersection) {
  std::mt19937_64 rng(42);
  for (int iter = 0; iter < 3000; ++iter) {
    const size_t na = rng() % 40, nb = rng() % 140;
    const uint32_t universe = 1 + static_cast<uint32_t>(std::max(na, nb) + rng() % 300);
    const auto a = RandomRun(rng, std::min<size_t>(na, universe), universe);
    const auto b = RandomRun(rng, std::min<size_t>(nb, universe), universe);
    std::vector<uint32_t> want;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(want));
    ASSERT_EQ(AllCommon(a, b), want) << "iter " << iter;
    ASSERT_EQ(AllCommon(b, a), want) << "iter " << iter;
  }
}

TEST(NextCommonTest, FalseReturnLeavesNoMatchBehind) {
  // After a false return, what was passed over matches nothing in the other run's rest, so
  // continuing from the returned positions with a refilled run loses no match.
  const std::vector<uint32_t> a = {1, 5, 9, 13, 17, 21, 25, 29};
  const std::vector<uint32_t> b = {2, 3, 4, 6};
  size_t i = 0, j = 0;
  EXPECT_FALSE(NextCommon(a.data(), &i, a.size(), b.data(), &j, b.size()));
  EXPECT_EQ(j, b.size());  // b is spent; a may stop below b's last value (here at 1 < 6)
  EXPECT_EQ(i, 0u);
  const std::vector<uint32_t> big = {0xFFFFFFF0u, 0xFFFFFFF1u, 0xFFFFFFF2u, 0xFFFFFFFEu};
  i = j = 0;
  EXPECT_TRUE(NextCommon(big.data(), &i, big.size(), big.data() + 3, &j, 1));
  EXPECT_EQ(i, 3u);
}

// Splits a sorted run into consecutive chunks of random sizes (1..max), as a list's blocks.
std::vector<std::vector<uint32_t>> Chunks(std::mt19937_64& rng, const std::vector<uint32_t>& v,
                                          size_t max) {
  std::vector<std::vector<uint32_t>> out;
  for (size_t i = 0; i < v.size();) {
    const size_t n = std::min(v.size() - i, 1 + rng() % max);
    out.emplace_back(v.begin() + i, v.begin() + i + n);
    i += n;
  }
  return out;
}

enum class Kernel { kIntersect, kSearch, kMerge };

template <bool kEmit>
size_t Run(Kernel k, const std::vector<uint32_t>& a, size_t* i, const std::vector<uint32_t>& b,
           size_t* j, uint32_t* out) {
  switch (k) {
    case Kernel::kIntersect:
      return IntersectRuns<kEmit>(a.data(), i, a.size(), b.data(), j, b.size(), out);
    case Kernel::kSearch:
      return SearchRuns<kEmit>(a.data(), i, a.size(), b.data(), j, b.size(), out);
    case Kernel::kMerge:
      return MergeRuns<kEmit>(a.data(), i, a.size(), b.data(), j, b.size(), out);
  }
  return 0;
}

// The common values of two chunked runs, refilling whichever chunk the kernel spends (as
// ConjunctionCount refills a cursor's block); the count variant must agree on every call.
std::vector<uint32_t> ChunkedCommon(Kernel kernel, const std::vector<std::vector<uint32_t>>& ca,
                                    const std::vector<std::vector<uint32_t>>& cb) {
  std::vector<uint32_t> out;
  size_t x = 0, y = 0, i = 0, j = 0;
  while (x < ca.size() && y < cb.size()) {
    const auto& a = ca[x];
    const auto& b = cb[y];
    std::vector<uint32_t> got(std::min(a.size() - i, b.size() - j) + 1);
    size_t i2 = i, j2 = j;
    const size_t m = Run<true>(kernel, a, &i, b, &j, got.data());
    EXPECT_EQ(Run<false>(kernel, a, &i2, b, &j2, nullptr), m);
    EXPECT_EQ(i2, i);
    EXPECT_EQ(j2, j);
    EXPECT_TRUE(i == a.size() || j == b.size());
    out.insert(out.end(), got.begin(), got.begin() + static_cast<std::ptrdiff_t>(m));
    if (i == a.size()) ++x, i = 0;
    if (j == b.size()) ++y, j = 0;
  }
  return out;
}

TEST(IntersectRunsTest, ChunkedRunsMatchSetIntersection) {
  std::mt19937_64 rng(7);
  int searched = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    // Densities from disjoint to nearly equal runs (steps with 0 to 4 matches) and runs far
    // denser than the other (MergeRuns then searches).
    const size_t na = rng() % 300, nb = rng() % 600;
    const uint32_t universe = 1 + static_cast<uint32_t>(std::max(na, nb) + rng() % 900);
    auto a = RandomRun(rng, std::min<size_t>(na, universe), universe);
    auto b = RandomRun(rng, std::min<size_t>(nb, universe), universe);
    if (iter % 3 == 0) {
      // b packed into a window of 1/64th of a's span, shifted to a random part of it.
      const uint32_t shift = static_cast<uint32_t>(rng() % (universe * 63u));
      for (uint32_t& v : b) v += shift;
      for (uint32_t& v : a) v *= 64;
    }
    std::vector<uint32_t> want;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(want));
    const auto ca = Chunks(rng, a, 1 + rng() % 130), cb = Chunks(rng, b, 1 + rng() % 130);
    for (Kernel k : {Kernel::kIntersect, Kernel::kSearch, Kernel::kMerge}) {
      ASSERT_EQ(ChunkedCommon(k, ca, cb), want) << "iter " << iter << " kernel " << int(k);
      ASSERT_EQ(ChunkedCommon(k, cb, ca), want) << "iter " << iter << " kernel " << int(k);
    }
    // A dense run against values spread far wider, where MergeRuns searches.
    if (!ca.empty() && !cb.empty()) {
      const auto& x = ca[0];
      const auto& y = cb[0];
      searched += y.size() * (uint64_t{x.back()} - x.front() + 1) >=
                  kSearchDensityRatio * x.size() * (uint64_t{y.back()} - y.front() + 1);
    }
  }
  EXPECT_GT(searched, 10);
}

TEST(IntersectRunsTest, SearchRunsLeavesTheUnmatchedValueForTheNextRun) {
  // b is spent before a: the a value above b's last stays unconsumed, the ones below are passed.
  const std::vector<uint32_t> a = {3, 40, 41, 500};
  const std::vector<uint32_t> b = {1, 2, 3, 4, 5, 6, 7, 8, 9, 40, 42};
  size_t i = 0, j = 0;
  uint32_t out[5];
  ASSERT_EQ((SearchRuns<true>(a.data(), &i, a.size(), b.data(), &j, b.size(), out)), 2u);
  EXPECT_EQ(out[0], 3u);
  EXPECT_EQ(out[1], 40u);
  EXPECT_EQ(i, 3u);  // 500 is left
  EXPECT_EQ(j, b.size());
}

TEST(IntersectRunsTest, EqualWindowsAndTopValues) {
  // Equal last values move both windows; values near 2^32 - 1 are not wrapped.
  const std::vector<uint32_t> a = {1, 2, 3, 8, 9, 10, 11, 12, 0xFFFFFFF0u, 0xFFFFFFFEu};
  const std::vector<uint32_t> b = {0, 2, 5, 8, 10, 11, 12, 13, 0xFFFFFFFEu};
  size_t i = 0, j = 0;
  uint32_t out[10];
  ASSERT_EQ((IntersectRuns<true>(a.data(), &i, a.size(), b.data(), &j, b.size(), out)), 6u);
  EXPECT_EQ(std::vector<uint32_t>(out, out + 6),
            (std::vector<uint32_t>{2, 8, 10, 11, 12, 0xFFFFFFFEu}));
  EXPECT_EQ(i, a.size());
  EXPECT_EQ(j, b.size());
}

}  // namespace
}  // namespace scour::engine
