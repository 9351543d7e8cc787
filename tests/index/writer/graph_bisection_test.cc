// Recursive graph bisection: a permutation, deterministic, the identity when nothing is split,
// and on a graph with structure (clusters of documents sharing terms, interleaved) an order
// whose log-gap cost is far below the input's and that puts each cluster together.
#include "index/writer/graph_bisection.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace scour::index {
namespace {

// n documents in `clusters` clusters (document d in cluster d % clusters: interleaved), each
// with `per_doc` distinct terms drawn from its cluster's 40 terms, plus noise terms shared by all.
DocTermGraph Clustered(uint32_t n, uint32_t clusters, uint32_t per_doc, uint32_t seed) {
  std::mt19937 rng(seed);
  DocTermGraph g;
  g.num_terms = clusters * 40 + 10;
  for (uint32_t d = 0; d < n; ++d) {
    std::set<uint32_t> terms;
    const uint32_t c = d % clusters;
    while (terms.size() < per_doc) terms.insert(c * 40 + rng() % 40);
    terms.insert(clusters * 40 + rng() % 10);
    g.term.insert(g.term.end(), terms.begin(), terms.end());
    g.off.push_back(g.term.size());
  }
  return g;
}

bool IsPermutation(std::vector<uint32_t> order, uint32_t n) {
  std::sort(order.begin(), order.end());
  std::vector<uint32_t> id(n);
  std::iota(id.begin(), id.end(), 0u);
  return order == id;
}

std::vector<uint32_t> Identity(uint32_t n) {
  std::vector<uint32_t> id(n);
  std::iota(id.begin(), id.end(), 0u);
  return id;
}

TEST(GraphBisection, GroupsInterleavedClustersAndLowersTheCost) {
  const DocTermGraph g = Clustered(2048, 8, 6, 1);
  BisectionParams p;
  p.iterations = 10;
  p.min_partition = 16;
  BisectionStats st;
  const std::vector<uint32_t> order = BisectionOrder(g, p, &st);
  ASSERT_TRUE(IsPermutation(order, g.num_docs()));
  EXPECT_GT(st.splits, 0u);
  EXPECT_GT(st.moved, 0u);
  const double before = LogGapCost(g, Identity(g.num_docs()));
  const double after = LogGapCost(g, order);
  EXPECT_LT(after, 0.6 * before) << before << " -> " << after;
  // Each aligned run of 256 (2048 / 8) positions is mostly one cluster.
  size_t agree = 0;
  for (uint32_t run = 0; run < 8; ++run) {
    std::vector<uint32_t> count(8, 0);
    for (uint32_t i = run * 256; i < (run + 1) * 256; ++i) ++count[order[i] % 8];
    agree += *std::max_element(count.begin(), count.end());
  }
  EXPECT_GT(agree, 2048u * 9 / 10);
  // A shuffled order has no locality either: BP beats it as well.
  std::vector<uint32_t> shuffled = Identity(g.num_docs());
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
  EXPECT_LT(after, 0.6 * LogGapCost(g, shuffled));
}

TEST(GraphBisection, Deterministic) {
  const DocTermGraph g = Clustered(1000, 5, 4, 2);
  BisectionParams p;
  p.min_partition = 8;
  EXPECT_EQ(BisectionOrder(g, p), BisectionOrder(g, p));
}

TEST(GraphBisection, SmallRangesKeepTheInputOrder) {
  const DocTermGraph g = Clustered(100, 4, 3, 3);
  BisectionParams p;
  p.min_partition = 100;
  EXPECT_EQ(BisectionOrder(g, p), Identity(100));
  p.min_partition = 25;  // splits into ranges of 25, each increasing
  const std::vector<uint32_t> order = BisectionOrder(g, p);
  ASSERT_TRUE(IsPermutation(order, 100));
  for (size_t i = 0; i < 100; i += 25) EXPECT_TRUE(std::is_sorted(&order[i], &order[i] + 25));
}

TEST(GraphBisection, EmptyAndTermlessDocuments) {
  DocTermGraph empty;
  EXPECT_TRUE(BisectionOrder(empty, {}).empty());
  DocTermGraph bare;  // 50 documents without terms: nothing to gain, nothing moves
  bare.off.assign(51, 0);
  BisectionParams p;
  p.min_partition = 2;
  BisectionStats st;
  EXPECT_EQ(BisectionOrder(bare, p, &st), Identity(50));
  EXPECT_EQ(st.moved, 0u);
}

TEST(GraphBisection, LogGapCostByHand) {
  DocTermGraph g;  // doc 0: {0}, doc 1: {0, 1}, doc 2: {1}
  g.num_terms = 2;
  g.term = {0, 0, 1, 1};
  g.off = {0, 1, 3, 4};
  // Identity: term 0 at positions 0, 1: log2(1) + log2(2) = 1; term 1 at 1, 2: log2(2) + 1 = 2.
  EXPECT_DOUBLE_EQ(LogGapCost(g, Identity(3)), 3.0);
  // Order 2, 0, 1: term 0 at positions 1, 2: 1 + 1; term 1 at 0, 2: 0 + log2(3).
  const std::vector<uint32_t> order = {2, 0, 1};
  EXPECT_DOUBLE_EQ(LogGapCost(g, order), 2.0 + std::log2(3.0));
}

}  // namespace
}  // namespace scour::index
