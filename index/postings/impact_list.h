// A full block's impact list (`.post` format version 4, docs/format/README.md, "Pareto
// impacts"): the block's Pareto frontier of (tf, norm) pairs - high tf, short document - so that
// a block's score bound is the best model score over a few pairs instead of the model at (max tf,
// min norm), two values that usually come from different documents. Shared by the segment writer
// (ParetoFrontier, CutFrontier, AppendImpactList), SegmentPostings (DecodeImpactList) and
// `scour check`.
#ifndef SCOUR_INDEX_POSTINGS_IMPACT_LIST_H_
#define SCOUR_INDEX_POSTINGS_IMPACT_LIST_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace scour::index {

// No default member initializers: the pair arrays the hot loops declare as output buffers
// would be zeroed on every call (a `rep stos` per block bound: 3.8% of a median AND query's
// time samples). `ImpactPair{}` is still {0, 0}.
struct ImpactPair {
  uint32_t tf;
  uint8_t norm;
  bool operator==(const ImpactPair&) const = default;
};

// A list holds at most this many pairs; longer frontiers are cut (CutFrontier).
inline constexpr size_t kMaxImpactPairs = 16;

// The Pareto frontier of the n documents (tfs[i], norms[i]) (norms may be null: all 0): the
// pairs no other document dominates (tf at least as high and norm at most as low), distinct,
// written to out[0..m) with tf and norm both strictly increasing; returns m (1 <= m <= 256 for
// n >= 1; 0 for n == 0). O(n + 256), no allocation. `out` needs room for min(n, 256) pairs.
size_t ParetoFrontier(const uint32_t* tfs, const uint8_t* norms, size_t n, ImpactPair* out);

// Cuts a frontier of m pairs to at most `max` (>= 1): while more remain, the two adjacent pairs
// whose norms differ least (the first such) become one, (the larger tf, the smaller norm) - a
// bound on both, no longer a document's. Returns the new count; both orders stay strict.
size_t CutFrontier(ImpactPair* f, size_t m, size_t max = kMaxImpactPairs);

// Appends the list of a frontier of m >= 1 pairs: u8 L, then L bytes - nothing when m == 1,
// else m x { varint tf, u8 norm }.
void AppendImpactList(const ImpactPair* f, size_t m, std::string* out);

// Decodes the L bytes of a list (after its length byte) into out (room for kMaxImpactPairs).
// Returns the pair count: 0 when L == 0 (the block's frontier is its skip entry's impact) or
// when the bytes are malformed (a pair cut short, more than kMaxImpactPairs, a single pair, or
// tf / norm not strictly increasing); sets *malformed in the latter case.
size_t DecodeImpactList(const char* p, size_t len, ImpactPair* out, bool* malformed);

}  // namespace scour::index

#endif  // SCOUR_INDEX_POSTINGS_IMPACT_LIST_H_
