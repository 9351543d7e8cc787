// NextCommon (engine/block_intersect.h) against std::set_intersection on random sorted runs of
// every length mix (the SSE2 four-by-four steps, the scalar tail, empty runs).
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

}  // namespace
}  // namespace scour::engine
