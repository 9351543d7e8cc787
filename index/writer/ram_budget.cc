#include "index/writer/ram_budget.h"

#include <algorithm>

namespace scour::index {

RamBudget SplitRamBudget(size_t ram_budget_mb) {
  const size_t budget = std::max<size_t>(ram_budget_mb, 1) << 20;
  const size_t fixed =
      std::clamp<size_t>(budget / 4, std::min<size_t>(budget / 2, 12 << 20), size_t{16} << 20);
  RamBudget out;
  out.builders = (budget - fixed) * 8 / 10;
  out.batches = (budget - fixed) / 10;  // half of the rest; flush temporaries the other
  return out;
}

size_t BuilderBudget(size_t builders, size_t reserved, size_t slots) {
  const size_t left = builders > reserved ? builders - reserved : 0;
  const size_t share = builders / slots;
  return std::max(left / slots, std::min(share, size_t{4} << 20));
}

}  // namespace scour::index
