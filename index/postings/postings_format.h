// What the term dictionary stores about a term's postings list and how the skip table packs
// each block's impact (docs/format/README.md, ".post"): shared by the segment writer, which
// lays lists out, and SegmentPostings, which reads them.
#ifndef SCOUR_INDEX_POSTINGS_POSTINGS_FORMAT_H_
#define SCOUR_INDEX_POSTINGS_POSTINGS_FORMAT_H_

#include <cstddef>
#include <cstdint>

#include "base/coding.h"

namespace scour::index {

inline constexpr uint32_t kSkipEntrySize = 16;  // formats 1-4

// The columns of a skip entry, and where each lies in a list's entries (docs/format/README.md,
// ".post"): formats 1-4 have 16-byte entries (max tf in bytes 12-14, min norm byte 15); from 5
// on each list has its own widths, given by a byte before its entries. A column is read with
// one unaligned 4-byte load and a mask: readers check that the 3 bytes after the last entry are
// inside the file.
enum SkipColumn {
  kSkipLastDoc = 0,
  kSkipBlockEnd = 1,
  kSkipPosEnd = 2,
  kSkipMaxTf = 3,
  kSkipMinNorm = 4
};
struct SkipLayout {
  uint32_t stride = kSkipEntrySize;
  uint32_t head = 0;  // bytes before the entries: the widths byte (format 5, nb >= 1)
  uint8_t off[5] = {0, 4, 8, 12, 15};
  uint32_t mask[5] = {~0u, ~0u, ~0u, (1u << 24) - 1, 0xFF};
};

inline uint32_t SkipWidth(uint32_t v) {
  return v < (1u << 8) ? 1 : v < (1u << 16) ? 2 : v < (1u << 24) ? 3 : 4;
}
// The widths byte of format 5: column c (last doc, block end, positions end, max tf) in bits
// 2c..2c+1 as width - 1.
inline uint8_t SkipWidthsByte(const uint32_t widths[4]) {
  return static_cast<uint8_t>((widths[0] - 1) | (widths[1] - 1) << 2 | (widths[2] - 1) << 4 |
                              (widths[3] - 1) << 6);
}
inline uint32_t SkipWidthOf(uint8_t widths, int column) {
  return 1 + ((widths >> (2 * column)) & 3);
}
// The layout of a list with `nb` full blocks whose bytes start at `list`, in a .post of frame
// version `version`; from format 5 on with nb >= 1 the caller has checked that the widths byte
// (list[0]) is inside the file.
inline SkipLayout ReadSkipLayout(uint32_t version, uint32_t nb, const char* list) {
  SkipLayout l;
  if (version < 5 || nb == 0) return l;
  const uint8_t w = static_cast<uint8_t>(list[0]);
  l.head = 1;
  uint32_t at = 0;
  for (int c = 0; c < 4; ++c) {
    const uint32_t width = SkipWidthOf(w, c);
    l.off[c] = static_cast<uint8_t>(at);
    l.mask[c] = width == 4 ? ~0u : (1u << (8 * width)) - 1;
    at += width;
  }
  l.mask[kSkipMaxTf] &= (1u << 24) - 1;  // saturated at 2^24 - 1 ("unbounded"), as in format 4
  l.off[kSkipMinNorm] = static_cast<uint8_t>(at);
  l.mask[kSkipMinNorm] = 0xFF;
  l.stride = at + 1;
  return l;
}
inline uint32_t ReadSkip(const char* entries, const SkipLayout& l, uint32_t b, int column) {
  // The last doc starts every entry: no offset to load for the column skipping reads most.
  const size_t off = column == kSkipLastDoc ? 0 : l.off[column];
  return DecodeFixed32(entries + size_t{b} * l.stride + off) & l.mask[column];
}

// Where a term's postings live; what the dictionary stores per term.
struct TermInfo {
  uint32_t df = 0;          // 0: an `_id` entry of format 7, whose documents the doc map holds
  uint32_t id_entry = 0;    // df == 0: the entry's ordinal (SegmentReader::IdDocs reads its docs)
  uint64_t cf = 0;          // total term frequency
  uint64_t postings = 0;    // .post offset (df >= 2)
  uint32_t single_doc = 0;  // the doc (df == 1)
  uint64_t positions = 0;   // .pos offset
  // The list's max tf and min norm, packed as PackImpact (df >= 2): from format 5 on in the
  // dictionary entry; before, the u32 after the skip entries in .post, which SegmentPostings
  // reads itself (0 here).
  uint32_t impact = 0;
};

inline uint32_t PackImpact(uint32_t max_tf, uint8_t min_norm) {  // max tf saturated
  if (max_tf > (1u << 24) - 1) max_tf = (1u << 24) - 1;
  return max_tf | uint32_t{min_norm} << 24;
}
inline uint32_t ImpactTf(uint32_t impact) { return impact & ((1u << 24) - 1); }
inline uint8_t ImpactNorm(uint32_t impact) { return static_cast<uint8_t>(impact >> 24); }

}  // namespace scour::index

#endif  // SCOUR_INDEX_POSTINGS_POSTINGS_FORMAT_H_
