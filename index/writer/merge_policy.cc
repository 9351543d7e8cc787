#include "index/writer/merge_policy.h"

#include <algorithm>

namespace scour::index {

std::vector<std::vector<size_t>> PickMerges(const std::vector<uint64_t>& live_docs, size_t factor) {
  const std::vector<uint64_t>& sizes = live_docs;
  std::vector<std::vector<size_t>> out;
  if (factor < 2) factor = 2;
  // Tier t holds segments of [factor^t, factor^(t+1)) live docs (tier 0 also holds < factor).
  std::vector<std::vector<size_t>> tiers;
  for (size_t i = 0; i < sizes.size(); ++i) {
    size_t t = 0;
    for (uint64_t s = sizes[i]; s >= factor; s /= factor) ++t;
    if (tiers.size() <= t) tiers.resize(t + 1);
    tiers[t].push_back(i);
  }
  for (auto& tier : tiers) {
    if (tier.size() < factor) continue;
    std::sort(tier.begin(), tier.end(), [&](size_t a, size_t b) { return sizes[a] < sizes[b]; });
    std::vector<size_t> group(tier.begin(), tier.begin() + factor);
    std::sort(group.begin(), group.end());
    out.push_back(group);
  }
  return out;
}

std::vector<size_t> PickForcedMerge(const std::vector<SegmentRef>& segments, size_t max_segments) {
  const size_t n = segments.size();
  bool has_deletes = false;
  for (const auto& s : segments) has_deletes |= s.deleted > 0;
  if (!(n > max_segments || (n > 0 && max_segments == 1 && (n > 1 || has_deletes)))) return {};
  // Merge the smallest segments into one so that max_segments remain.
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return segments[a].doc_count - segments[a].deleted <
           segments[b].doc_count - segments[b].deleted;
  });
  const size_t take = n > max_segments ? n - max_segments + 1 : n;
  order.resize(take);
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace scour::index
