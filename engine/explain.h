// Explain: how a plan (plan.h) scored one document, leaf by leaf, as text: each matching term's
// or phrase's score with what it was computed from (tf or phrase frequency, field length and
// its norm byte, and the model's own SimScorer::Explain), each prefix's constant score, and the
// sums of the Boolean nodes. Reads the snapshot only; opens its own cursors.
#ifndef SCOUR_ENGINE_EXPLAIN_H_
#define SCOUR_ENGINE_EXPLAIN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "engine/plan.h"
#include "engine/ranker.h"
#include "index/commit/reader_impl.h"

namespace scour::engine {

// A per-leaf breakdown of the score of global doc `doc`.
absl::StatusOr<std::string> Explain(const PlanNode& plan, const index::Snapshot& index,
                                    uint64_t doc);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_EXPLAIN_H_
