// Constants and small records shared by the segment writers and readers (docs/format/README.md).
#ifndef SCOUR_INDEX_SEGMENT_SEGMENT_FORMAT_H_
#define SCOUR_INDEX_SEGMENT_SEGMENT_FORMAT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "index/postings/postings_format.h"

namespace scour::index {

inline constexpr uint32_t kIdField = 0;  // the reserved "_id" field
inline constexpr const char* kIdFieldName = "_id";
inline constexpr uint32_t kTermsPerDictBlock = 32;

// What a segment's .info records about one field: its statistics in this segment, named as in
// scour::FieldStatistics (index::Snapshot sums them over the segments into one), and where its
// norms are.
struct FieldInfo {
  uint32_t field = 0;
  uint32_t docs_with_field = 0;
  uint64_t sum_total_term_freq = 0;
  uint64_t sum_doc_freq = 0;
  uint64_t terms = 0;
  uint64_t norms_offset = 0;
};

struct SegmentInfo {
  uint32_t doc_count = 0;
  std::vector<FieldInfo> fields;  // sorted by field id
  const FieldInfo* Find(uint32_t field) const {
    for (const auto& f : fields)
      if (f.field == field) return &f;
    return nullptr;
  }
};

// Appends the dictionary key of (field, term).
inline void AppendTermKey(uint32_t field, std::string_view term, std::string* key) {
  while (field >= 0x80) {
    key->push_back(static_cast<char>(field | 0x80));
    field >>= 7;
  }
  key->push_back(static_cast<char>(field));
  key->append(term);
}

}  // namespace scour::index

#endif  // SCOUR_INDEX_SEGMENT_SEGMENT_FORMAT_H_
