// Recursive graph bisection (BP; Dhulipala et al., KDD 2016): an order of documents in which
// documents sharing terms sit close together, so that postings gaps shrink. Used by
// `scour merge --reorder` (docs/cli/merge.md, "Reordering") and bench/bp_reorder. Pure
// computation over a document -> terms graph; deterministic (no seed, no threads): the same
// graph and parameters give the same order.
#ifndef SCOUR_INDEX_WRITER_GRAPH_BISECTION_H_
#define SCOUR_INDEX_WRITER_GRAPH_BISECTION_H_

#include <cstdint>
#include <span>
#include <vector>

namespace scour::index {

// Document d's terms are term[off[d], off[d + 1]) (each once), term ids < num_terms. Documents
// without terms are allowed.
struct DocTermGraph {
  uint32_t num_terms = 0;
  std::vector<uint64_t> off{0};
  std::vector<uint32_t> term;
  uint32_t num_docs() const { return static_cast<uint32_t>(off.size() - 1); }
};

struct BisectionParams {
  int iterations = 3;             // swap rounds per split (a round that moves nothing ends it)
  uint32_t min_partition = 1024;  // ranges of at most this many documents are not split
  int max_depth = 64;
};

struct BisectionStats {
  uint64_t splits = 0, rounds = 0, moved = 0;  // moved: documents that changed half
};

// The documents in their new order: order[i] is the document placed at position i. Each range
// is split in halves; per round every document gets the gain of moving to the other half under
// the log-gap cost (a term in d documents of a half of n costs d log2(n / (d + 1))), and the
// n/2 documents that most prefer the left half form it (ties: the side it was on, then the
// smaller id); each half then recurses in increasing id order, and a range of at most
// min_partition documents stays in it.
std::vector<uint32_t> BisectionOrder(const DocTermGraph& graph, const BisectionParams& params,
                                     BisectionStats* stats = nullptr);

// The bisection's objective for reference and tests: over every term, the sum of log2(gap + 1)
// of its documents' positions under `order` (order[i] = document at position i), sorted; the
// first gap is the first position itself.
double LogGapCost(const DocTermGraph& graph, std::span<const uint32_t> order);

}  // namespace scour::index

#endif  // SCOUR_INDEX_WRITER_GRAPH_BISECTION_H_
