#include "index/writer/graph_bisection.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace scour::index {
namespace {

// All per-term state lives in arrays indexed by term id, reset after each split, so nothing is
// allocated per split or per posting.
class Bisector {
 public:
  Bisector(const DocTermGraph& g, const BisectionParams& p)
      : g_(g),
        p_(p),
        deg_l_(g.num_terms, 0),
        deg_r_(g.num_terms, 0),
        gain_l_(g.num_terms, 0.0f),
        gain_r_(g.num_terms, 0.0f),
        x_log_(size_t{g.num_docs()} + 2) {
    for (size_t x = 0; x < x_log_.size(); ++x) x_log_[x] = double(x) * std::log2(double(x) + 1);
    cand_.reserve(g.num_docs());
  }

  void Run(uint32_t* docs, size_t n, int depth) {
    if (n <= p_.min_partition || n < 2 || depth >= p_.max_depth) {
      std::sort(docs, docs + n);
      return;
    }
    ++stats_.splits;
    const size_t nl = n / 2, nr = n - nl;
    node_terms_.clear();
    auto count = [&](const uint32_t* ds, size_t m, std::vector<int32_t>& deg) {
      for (size_t i = 0; i < m; ++i)
        for (uint64_t k = g_.off[ds[i]]; k < g_.off[ds[i] + 1]; ++k) {
          const uint32_t t = g_.term[k];
          if (deg_l_[t] == 0 && deg_r_[t] == 0) node_terms_.push_back(t);
          ++deg[t];
        }
    };
    count(docs, nl, deg_l_);
    count(docs + nl, nr, deg_r_);
    const double log_l = std::log2(double(nl)), log_r = std::log2(double(nr));
    for (int round = 0; round < p_.iterations; ++round) {
      ++stats_.rounds;
      // Gain of moving one document holding t to the other half: cost(dl, dr) minus the cost
      // after the move, with cost(a, b) = a (log_l - log2(a+1)) + b (log_r - log2(b+1)).
      for (uint32_t t : node_terms_) {
        const int32_t dl = deg_l_[t], dr = deg_r_[t];
        if (dl > 0)
          gain_l_[t] =
              float(log_l - log_r - x_log_[dl] + x_log_[dl - 1] - x_log_[dr] + x_log_[dr + 1]);
        if (dr > 0)
          gain_r_[t] =
              float(log_r - log_l - x_log_[dr] + x_log_[dr - 1] - x_log_[dl] + x_log_[dl + 1]);
      }
      // Each document's preference for the left half: minus its gain of moving right when it
      // is on the left, its gain of moving left when it is on the right. The nl documents of
      // highest preference form the new left half: the same halves as sorting both sides by
      // gain and swapping pairs while the sum of their gains is > 0, found by selection.
      cand_.clear();
      for (size_t i = 0; i < n; ++i) {
        const bool was_left = i < nl;
        const float* gain = was_left ? gain_l_.data() : gain_r_.data();
        const uint32_t* t = g_.term.data() + g_.off[docs[i]];
        const uint32_t* t_end = g_.term.data() + g_.off[docs[i] + 1];
        // Four partial sums: one chain of dependent adds would bound the loop by add latency.
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (; t + 4 <= t_end; t += 4) {
          s0 += gain[t[0]];
          s1 += gain[t[1]];
          s2 += gain[t[2]];
          s3 += gain[t[3]];
        }
        for (; t < t_end; ++t) s0 += gain[*t];
        const float s = (s0 + s1) + (s2 + s3);
        cand_.push_back({was_left ? -s : s, docs[i], was_left});
      }
      std::nth_element(cand_.begin(), cand_.begin() + nl, cand_.end(),
                       [](const Cand& a, const Cand& b) {
                         if (a.pref != b.pref) return a.pref > b.pref;
                         if (a.was_left != b.was_left) return a.was_left;
                         return a.doc < b.doc;
                       });
      size_t moved = 0;
      for (size_t i = 0; i < n; ++i) {
        const Cand& c = cand_[i];
        docs[i] = c.doc;
        if (c.was_left == (i < nl)) continue;
        ++moved;
        const int32_t dir = c.was_left ? -1 : 1;  // +1: moved to the left
        for (uint64_t k = g_.off[c.doc]; k < g_.off[c.doc + 1]; ++k) {
          deg_l_[g_.term[k]] += dir;
          deg_r_[g_.term[k]] -= dir;
        }
      }
      stats_.moved += moved;
      if (moved == 0) break;
    }
    for (uint32_t t : node_terms_) deg_l_[t] = deg_r_[t] = 0;
    // Each half in input order again (the selection left it in no particular order), so every
    // split starts from the input's own locality and the result does not depend on how the
    // standard library's nth_element arranges equal elements.
    std::sort(docs, docs + nl);
    std::sort(docs + nl, docs + n);
    Run(docs, nl, depth + 1);
    Run(docs + nl, nr, depth + 1);
  }

  const BisectionStats& stats() const { return stats_; }

 private:
  struct Cand {
    float pref;
    uint32_t doc;
    bool was_left;
  };
  const DocTermGraph& g_;
  const BisectionParams p_;
  std::vector<int32_t> deg_l_, deg_r_;
  std::vector<float> gain_l_, gain_r_;
  std::vector<double> x_log_;  // x log2(x + 1)
  std::vector<uint32_t> node_terms_;
  std::vector<Cand> cand_;
  BisectionStats stats_;
};

}  // namespace

std::vector<uint32_t> BisectionOrder(const DocTermGraph& graph, const BisectionParams& params,
                                     BisectionStats* stats) {
  std::vector<uint32_t> order(graph.num_docs());
  std::iota(order.begin(), order.end(), 0u);
  BisectionParams p = params;
  p.min_partition = std::max<uint32_t>(p.min_partition, 1);
  Bisector b(graph, p);
  b.Run(order.data(), order.size(), 0);
  if (stats != nullptr) *stats = b.stats();
  return order;
}

double LogGapCost(const DocTermGraph& graph, std::span<const uint32_t> order) {
  std::vector<uint32_t> pos(graph.num_docs());
  for (uint32_t i = 0; i < order.size(); ++i) pos[order[i]] = i;
  // Transpose into term -> positions, in increasing position (documents visited in order).
  std::vector<uint64_t> start(size_t{graph.num_terms} + 1, 0);
  for (uint32_t t : graph.term) ++start[t + 1];
  for (uint32_t t = 0; t < graph.num_terms; ++t) start[t + 1] += start[t];
  std::vector<uint32_t> list(graph.term.size());
  std::vector<uint64_t> fill(start.begin(), start.end() - 1);
  for (uint32_t d : order)
    for (uint64_t k = graph.off[d]; k < graph.off[d + 1]; ++k) list[fill[graph.term[k]]++] = pos[d];
  double cost = 0;
  for (uint32_t t = 0; t < graph.num_terms; ++t) {
    uint32_t prev = 0;
    for (uint64_t k = start[t]; k < start[t + 1]; ++k) {
      cost += std::log2(double(list[k] - prev) + 1);
      prev = list[k];
    }
  }
  return cost;
}

}  // namespace scour::index
