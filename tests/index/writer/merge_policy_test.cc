// The merge policy's choices, directly: the tiered policy and the forced merge against a
// reference written from their contracts (merge_policy.h) on random segment sizes, and a few
// cases worked by hand.
#include "index/writer/merge_policy.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace scour::index {
namespace {

// Tier of a segment with `live` documents: the largest t with factor^t <= live (0 below factor).
size_t Tier(uint64_t live, uint64_t factor) {
  size_t t = 0;
  for (uint64_t bound = factor; bound <= live; bound *= factor) {
    ++t;
    if (bound > UINT64_MAX / factor) break;
  }
  return t;
}

// The sizes of the `k` smallest of `members`, ascending.
std::vector<uint64_t> SmallestSizes(const std::vector<size_t>& members,
                                    const std::vector<uint64_t>& sizes, size_t k) {
  std::vector<uint64_t> s;
  for (size_t i : members) s.push_back(sizes[i]);
  std::sort(s.begin(), s.end());
  s.resize(std::min(k, s.size()));
  return s;
}

TEST(PickMerges, WorkedExamples) {
  using Groups = std::vector<std::vector<size_t>>;
  // Nine small segments: not enough for a group of ten; the tenth makes one.
  std::vector<uint64_t> sizes = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(PickMerges(sizes, 10), Groups{});
  sizes.push_back(3);
  EXPECT_EQ(PickMerges(sizes, 10), (Groups{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}));
  // Factor 3: tier 0 = {0, 2, 5} (sizes < 3), tier 1 = {1, 3, 4} (3..8), tier 2 = {6} (9..26).
  sizes = {1, 3, 2, 8, 5, 0, 9};
  EXPECT_EQ(PickMerges(sizes, 3), (Groups{{0, 2, 5}, {1, 3, 4}}));
  // A full tier merges only its `factor` smallest.
  sizes = {30, 10, 20, 15, 90};
  EXPECT_EQ(PickMerges(sizes, 3), (Groups{{1, 2, 3}}));
  // Factors below 2 count as 2.
  EXPECT_EQ(PickMerges({1, 1}, 0), (Groups{{0, 1}}));
  EXPECT_EQ(PickMerges({1, 1}, 1), (Groups{{0, 1}}));
  EXPECT_EQ(PickMerges({}, 10), Groups{});
}

TEST(PickMerges, MatchesTheTierReferenceOnRandomSizes) {
  std::mt19937_64 rng(14);
  for (int round = 0; round < 3000; ++round) {
    const size_t factor = 2 + rng() % 12;
    std::vector<uint64_t> sizes(rng() % 60);
    for (auto& s : sizes) s = rng() % 4 == 0 ? rng() % 5 : rng() >> (rng() % 64);
    const auto groups = PickMerges(sizes, factor);

    std::vector<std::vector<size_t>> tiers;
    for (size_t i = 0; i < sizes.size(); ++i) {
      const size_t t = Tier(sizes[i], factor);
      if (tiers.size() <= t) tiers.resize(t + 1);
      tiers[t].push_back(i);
    }
    size_t g = 0;
    for (const auto& tier : tiers) {
      if (tier.size() < factor) continue;
      ASSERT_LT(g, groups.size()) << "round " << round;
      const auto& group = groups[g++];
      ASSERT_EQ(group.size(), factor);
      EXPECT_TRUE(std::is_sorted(group.begin(), group.end()));
      EXPECT_EQ(std::adjacent_find(group.begin(), group.end()), group.end());
      for (size_t i : group) EXPECT_EQ(Tier(sizes[i], factor), Tier(sizes[tier[0]], factor));
      // Ties between equal sizes may go either way: compare the sizes taken.
      EXPECT_EQ(SmallestSizes(group, sizes, factor), SmallestSizes(tier, sizes, factor));
    }
    EXPECT_EQ(g, groups.size()) << "round " << round;
  }
}

SegmentRef Seg(uint32_t docs, uint32_t deleted) {
  SegmentRef r;
  r.doc_count = docs;
  r.deleted = deleted;
  return r;
}

TEST(PickForcedMerge, WorkedExamples) {
  // Nothing to do: few enough segments, and a single segment without deletions.
  EXPECT_TRUE(PickForcedMerge({}, 1).empty());
  EXPECT_TRUE(PickForcedMerge({Seg(10, 0)}, 1).empty());
  EXPECT_TRUE(PickForcedMerge({Seg(10, 3), Seg(5, 0)}, 2).empty());
  // One segment with deletions is rewritten to purge them (max_segments == 1 only).
  EXPECT_EQ(PickForcedMerge({Seg(10, 3)}, 1), std::vector<size_t>{0});
  // Down to one: everything.
  EXPECT_EQ(PickForcedMerge({Seg(10, 0), Seg(5, 0), Seg(7, 0)}, 1), (std::vector<size_t>{0, 1, 2}));
  // Five down to three: the three smallest by live documents (10-8 = 2, 5, 7), merged into one.
  EXPECT_EQ(PickForcedMerge({Seg(10, 8), Seg(50, 0), Seg(5, 0), Seg(7, 0), Seg(9, 0)}, 3),
            (std::vector<size_t>{0, 2, 3}));
}

TEST(PickForcedMerge, LeavesMaxSegmentsAndTakesTheSmallest) {
  std::mt19937_64 rng(15);
  for (int round = 0; round < 3000; ++round) {
    std::vector<SegmentRef> segs(rng() % 30);
    for (auto& s : segs) {
      s.doc_count = 1 + rng() % 1000;
      s.deleted = rng() % 3 == 0 ? static_cast<uint32_t>(rng() % s.doc_count) : 0;
    }
    const size_t max_segments = 1 + rng() % 12;
    const auto group = PickForcedMerge(segs, max_segments);
    const size_t n = segs.size();
    bool deletes = false;
    for (const auto& s : segs) deletes |= s.deleted > 0;
    const bool work = n > max_segments || (max_segments == 1 && (n > 1 || deletes));
    if (!work) {
      EXPECT_TRUE(group.empty()) << "round " << round;
      continue;
    }
    ASSERT_FALSE(group.empty());
    EXPECT_TRUE(std::is_sorted(group.begin(), group.end()));
    EXPECT_EQ(std::adjacent_find(group.begin(), group.end()), group.end());
    EXPECT_EQ(n - group.size() + 1, std::min(n, max_segments)) << "round " << round;
    std::vector<uint64_t> live, all;
    for (size_t i = 0; i < n; ++i) all.push_back(segs[i].doc_count - segs[i].deleted);
    for (size_t i : group) live.push_back(all[i]);
    std::sort(live.begin(), live.end());
    std::sort(all.begin(), all.end());
    all.resize(group.size());
    EXPECT_EQ(live, all) << "round " << round;
  }
}

}  // namespace
}  // namespace scour::index
