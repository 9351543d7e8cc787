// What the term dictionary stores about a term's postings list and how the skip table packs
// each block's impact (docs/format/README.md, ".post"): shared by the segment writer, which
// lays lists out, and SegmentPostings, which reads them.
#ifndef SCOUR_INDEX_POSTINGS_POSTINGS_FORMAT_H_
#define SCOUR_INDEX_POSTINGS_POSTINGS_FORMAT_H_

#include <cstdint>

namespace scour::index {

inline constexpr uint32_t kSkipEntrySize = 16;

// Where a term's postings live; what the dictionary stores per term.
struct TermInfo {
  uint32_t df = 0;
  uint64_t cf = 0;          // total term frequency
  uint64_t postings = 0;    // .post offset (df >= 2)
  uint32_t single_doc = 0;  // the doc (df == 1)
  uint64_t positions = 0;   // .pos offset
};

inline uint32_t PackImpact(uint32_t max_tf, uint8_t min_norm) {
  if (max_tf > (1u << 24) - 1) max_tf = (1u << 24) - 1;
  return max_tf | uint32_t{min_norm} << 24;
}
inline uint32_t ImpactTf(uint32_t impact) { return impact & ((1u << 24) - 1); }
inline uint8_t ImpactNorm(uint32_t impact) { return static_cast<uint8_t>(impact >> 24); }

}  // namespace scour::index

#endif  // SCOUR_INDEX_POSTINGS_POSTINGS_FORMAT_H_
