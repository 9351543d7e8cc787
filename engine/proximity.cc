#include "engine/proximity.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

#include "base/status_macros.h"
#include "index/segment/norms.h"

namespace scour::engine {

double PairTpi(std::span<const uint32_t> a, std::span<const uint32_t> b, uint32_t window) {
  double tpi = 0.0;
  size_t lo = 0;
  const size_t nb = b.size();
  for (const uint32_t p : a) {
    // b[lo] is the first occurrence that can still be within the window of p or a later p.
    while (lo < nb && static_cast<uint64_t>(b[lo]) + window < p) ++lo;
    for (size_t t = lo; t < nb && b[t] <= static_cast<uint64_t>(p) + window; ++t) {
      if (b[t] == p) continue;
      const double d = b[t] > p ? b[t] - p : p - b[t];
      tpi += 1.0 / (d * d);
    }
  }
  return tpi;
}

float ProximityBonus(std::span<const ProximityTerm> terms, float k1, float b, float dl,
                     float avgdl) {
  const double norm = avgdl > 0 ? dl / avgdl : 1.0;
  const double big_k = k1 * (1.0 - b + b * norm);
  double bonus = 0.0;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (terms[i].positions.empty()) continue;
    for (size_t j = i + 1; j < terms.size(); ++j) {
      if (terms[j].positions.empty()) continue;
      const double tpi = PairTpi(terms[i].positions, terms[j].positions);
      if (tpi <= 0) continue;
      bonus += std::min(terms[i].weight, terms[j].weight) * (tpi / (big_k + tpi));
    }
  }
  return static_cast<float>(bonus);
}

float ProximityBonusBound(std::span<const float> weights) {
  double bound = 0.0;
  for (size_t i = 0; i < weights.size(); ++i)
    for (size_t j = i + 1; j < weights.size(); ++j) bound += std::min(weights[i], weights[j]);
  // Rounded up so that float sums of the parts stay below it.
  return static_cast<float>(bound * (1.0 + 1e-6));
}

namespace {

struct Leaf {
  uint32_t field;
  const std::string* term;
  float weight;
  float avgdl;  // the field's, from the bound statistics
};

void CollectLeaves(const PlanNode& n, std::vector<Leaf>* out) {
  if (n.kind == PlanKind::kTerm) {
    for (const Leaf& l : *out)
      if (l.field == n.field && *l.term == n.term) return;  // a repeated term pairs with nothing
    out->push_back({n.field, &n.term, n.bm25_weight, n.proximity_avgdl});
    return;
  }
  if (n.kind != PlanKind::kBool) return;
  for (const auto& [occur, child] : n.clauses)
    if (occur != Occur::kMustNot) CollectLeaves(*child, out);
}

}  // namespace

absl::StatusOr<RerankInfo> ProximityRerank(const PlanNode& plan, const index::Snapshot& index,
                                           const RankerParams& ranker, size_t k, size_t depth,
                                           std::vector<ScoredDoc>* top) {
  RerankInfo info;
  info.candidates = top->size();
  std::vector<Leaf> leaves;
  CollectLeaves(plan, &leaves);
  std::stable_sort(leaves.begin(), leaves.end(),
                   [](const Leaf& a, const Leaf& b) { return a.field < b.field; });
  // Field groups [begin, end) with at least two terms: only they can earn a bonus.
  std::vector<std::pair<size_t, size_t>> groups;
  for (size_t i = 0; i < leaves.size();) {
    size_t j = i;
    while (j < leaves.size() && leaves[j].field == leaves[i].field) ++j;
    if (j - i >= 2) {
      groups.emplace_back(i, j);
      std::vector<float> w;
      for (size_t t = i; t < j; ++t) w.push_back(leaves[t].weight);
      info.bonus_bound += ProximityBonusBound(w);
    }
    i = j;
  }
  const float nth_bm25 = top->empty() ? 0.0f : top->back().score;

  if (!groups.empty() && !top->empty()) {
    const size_t n = top->size();
    const size_t nl = leaves.size();
    // Candidates in doc order, so each postings cursor only moves forward.
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return (*top)[a].doc < (*top)[b].doc; });
    // Positions of candidate c for leaf l: arena[span_of[c * nl + l]].
    std::vector<uint32_t> arena;
    std::vector<std::pair<uint32_t, uint32_t>> span_of(n * nl, {0, 0});
    std::vector<uint8_t> norm_of(n * groups.size(), 0);  // per candidate and group
    std::vector<uint32_t> buf;
    size_t o = 0;
    while (o < n) {
      const auto [seg_idx, first_local] = index.Locate((*top)[order[o]].doc);
      const index::SegmentReader& seg = *index.segments[seg_idx];
      const uint64_t base = index.bases[seg_idx];
      size_t end = o;
      while (end < n && (*top)[order[end]].doc - base < seg.max_doc()) ++end;
      for (size_t g = 0; g < groups.size(); ++g) {
        const auto [gb, ge] = groups[g];
        if (const uint8_t* norms = seg.norms(leaves[gb].field)) {
          for (size_t t = o; t < end; ++t)
            norm_of[order[t] * groups.size() + g] = norms[(*top)[order[t]].doc - base];
        }
        for (size_t l = gb; l < ge; ++l) {
          SCOUR_ASSIGN_OR_RETURN(auto tinfo, seg.Lookup(leaves[l].field, *leaves[l].term));
          if (!tinfo) continue;
          index::SegmentPostings p = seg.Postings(leaves[l].field, *tinfo);
          for (size_t t = o; t < end; ++t) {
            const size_t c = order[t];
            const auto local = static_cast<index::DocId>((*top)[c].doc - base);
            if (p.doc() < local) p.Advance(local);
            if (p.doc() == index::kNoMoreDocs) break;
            if (p.doc() != local) continue;
            if (!p.Positions(&buf)) break;
            span_of[c * nl + l] = {static_cast<uint32_t>(arena.size()),
                                   static_cast<uint32_t>(buf.size())};
            arena.insert(arena.end(), buf.begin(), buf.end());
          }
          SCOUR_RETURN_IF_ERROR(p.status());
        }
      }
      o = end;
    }
    std::vector<ProximityTerm> terms;
    for (size_t c = 0; c < n; ++c) {
      float bonus = 0.0f;
      for (size_t g = 0; g < groups.size(); ++g) {
        const auto [gb, ge] = groups[g];
        terms.clear();
        for (size_t l = gb; l < ge; ++l) {
          const auto [off, len] = span_of[c * nl + l];
          terms.push_back({std::span<const uint32_t>(arena.data() + off, len), leaves[l].weight});
        }
        const uint8_t norm = norm_of[c * groups.size() + g];
        // The bound statistics' avgdl (a shard of a set scores with the collection's).
        bonus += ProximityBonus(terms, ranker.k1, ranker.b,
                                static_cast<float>(index::NormToLength(norm)), leaves[gb].avgdl);
      }
      (*top)[c].score += bonus;
    }
    std::sort(top->begin(), top->end(), RanksBefore);
  }
  if (top->size() > k) top->resize(k);
  info.exact = info.candidates < depth || info.bonus_bound == 0.0f ||
               (top->size() == k && k > 0 && top->back().score > nth_bm25 + info.bonus_bound);
  return info;
}

}  // namespace scour::engine
