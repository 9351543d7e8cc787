// Where the bytes of a segment's postings go: doc ids, frequencies, skip data and impact lists of
// the lists in .post, and how many postings the dictionary holds inline (df == 1). For `scour
// stats` (bits per doc id and per frequency) and for benchmarks; O(size of .post), full blocks are
// sized from their headers without decoding.
#ifndef SCOUR_INDEX_INSPECT_POSTINGS_BYTES_H_
#define SCOUR_INDEX_INSPECT_POSTINGS_BYTES_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "index/segment/segment_format.h"
#include "index/segment/segment_reader.h"

namespace scour::index {

struct PostingsBytes {
  uint64_t lists = 0;            // terms with df >= 2 (their postings are in .post)
  uint64_t list_postings = 0;    // sum of their df
  uint64_t inline_postings = 0;  // terms with df == 1: the doc id is in the dictionary
  uint64_t skip = 0;             // skip entries and list impacts
  uint64_t doc_ids = 0;          // doc-id blocks and tails
  uint64_t freqs = 0;            // frequency blocks and tails
  uint64_t impacts = 0;          // impact lists of full blocks (format 4), length bytes included

  PostingsBytes& operator+=(const PostingsBytes& o);
};

// The bytes of one list (df >= 2) at info.postings in the whole .post file `post`. DataLoss
// when a block or offset lies outside the file.
absl::StatusOr<PostingsBytes> MeasureList(std::string_view post, const TermInfo& info);

// Every term of the segment, every field (`_id` included).
absl::StatusOr<PostingsBytes> MeasurePostings(const SegmentReader& segment);

}  // namespace scour::index

#endif  // SCOUR_INDEX_INSPECT_POSTINGS_BYTES_H_
