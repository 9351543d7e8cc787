// Runs a bound plan (plan.h) over every segment of a snapshot and merges the segments' top k.
// Dispatch, per segment: a flat query of single-field term and synonym leaves, or of bm25f
// leaves only (`+a b -c`, one term, OR or AND of terms), takes the pruned algorithms of
// retrieval.h (MaxScore, block-max conjunction) over the on-disk cursors; a plan that is one phrase
// takes PhraseTopK; anything else runs through the iterator tree (iterators.h). Every path scores a
// doc the same way. Reentrant: the plan and the snapshot are only read.
#ifndef SCOUR_ENGINE_EXECUTE_H_
#define SCOUR_ENGINE_EXECUTE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/plan.h"
#include "engine/topk.h"
#include "index/commit/reader_impl.h"

namespace scour::engine {

// Top-k over all segments (global doc ids), and the exact match count when `count` is set.
// k == 0 with `count` counts only: doc ids alone (engine/algorithm/count.h), nothing scored.
struct ExecResult {
  std::vector<ScoredDoc> top;  // doc = global id
  uint64_t count = 0;
};
absl::StatusOr<ExecResult> Execute(const PlanNode& plan, const index::Snapshot& index, size_t k,
                                   bool count);

// The iterator tree alone on every segment, every matching doc scored and nothing skipped: the
// reference every path of Execute equals, ids and scores bit for bit (tests compare them).
absl::StatusOr<ExecResult> ExecuteExhaustive(const PlanNode& plan, const index::Snapshot& index,
                                             size_t k, bool count);

// Whether Execute runs `plan` through the pruned term algorithms (a flat query) rather than
// PhraseTopK or the iterator tree.
bool RunsFlat(const PlanNode& plan);

// The reference for counts: every live doc the iterator tree (iterators.h) matches, one by one.
absl::StatusOr<uint64_t> CountExhaustive(const PlanNode& plan, const index::Snapshot& index);

// `--verify-pruning`: runs the plan again through the iterator tree alone (ExecuteExhaustive:
// every match scored, nothing skipped, the tree's own summation order) and compares its top k
// with `pruned` (what Execute gave for k), and the count with CountExhaustive's: "" when the
// ids, scores (bit for bit) and count agree, else the first differences, one per line.
absl::StatusOr<std::string> VerifyPruning(const PlanNode& plan, const index::Snapshot& index,
                                          size_t k, bool count, const ExecResult& pruned);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_EXECUTE_H_
