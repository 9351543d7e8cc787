// The cursors of a plan's leaves in one segment, typed: a term's postings, a phrase's slots and
// PhraseCursor, a prefix's expansion, a synonym leaf's alternatives, a bm25f leaf's fields. What
// the fast paths (execute.cc), the iterator tree (iterators.cc) and Explain (explain.cc) open. Not
// thread-safe (cursors are per query).
#ifndef SCOUR_ENGINE_LEAF_CURSORS_H_
#define SCOUR_ENGINE_LEAF_CURSORS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/combined_postings.h"
#include "engine/phrase.h"
#include "engine/plan.h"
#include "engine/union_postings.h"
#include "index/postings/segment_postings.h"
#include "index/segment/segment_reader.h"

namespace scour::engine {

// A prefix expanding to more terms than this in a segment is an error (make it longer).
inline constexpr size_t kMaxPrefixTerms = 4096;

// The postings of kTerm leaf `n` in `seg`, or nullopt when the segment lacks the term.
absl::StatusOr<std::optional<index::SegmentPostings>> OpenTerm(const PlanNode& n,
                                                               const index::SegmentReader& seg);

// The postings of each alternative of kSynonym leaf `n` in `seg`, in the leaf's order (nullopt
// for one the segment lacks).
absl::StatusOr<std::vector<std::optional<index::SegmentPostings>>> OpenSynonym(
    const PlanNode& n, const index::SegmentReader& seg);

// The postings of kCombined leaf `n`'s term in each of its fields in `seg`, in the leaf's order
// (nullopt for a field that lacks the term in this segment).
absl::StatusOr<std::vector<std::optional<index::SegmentPostings>>> OpenCombined(
    const PlanNode& n, const index::SegmentReader& seg);

// kCombined leaf `n` in `seg` as one cursor over the fields that have its term (nullopt if none
// has it).
absl::StatusOr<std::optional<CombinedPostings<index::SegmentPostings>>> OpenCombinedPostings(
    const PlanNode& n, const index::SegmentReader& seg);

// The union of the alternatives of kSynonym leaf `n` that `seg` has (nullopt if it has none).
absl::StatusOr<std::optional<UnionPostings<index::SegmentPostings>>> OpenSynonymUnion(
    const PlanNode& n, const index::SegmentReader& seg);

// The terms of the words as written in `field` that start with `prefix` (normalised, not
// stemmed), over every segment's surface forms, minus those that start with `prefix`
// themselves: sorted, unique. InvalidArgument beyond kMaxPrefixTerms.
absl::StatusOr<std::vector<std::string>> ExpandSurfaceForms(const index::Snapshot& index,
                                                            uint32_t field,
                                                            const std::string& prefix);

// The postings of kPrefix leaf `n` in `seg`: every term of the segment that starts with the
// prefix, and every term of n.expansion the segment has, each once. InvalidArgument beyond
// kMaxPrefixTerms.
absl::StatusOr<std::vector<index::SegmentPostings>> OpenPrefix(const PlanNode& n,
                                                               const index::SegmentReader& seg);

// One phrase in one segment: a postings cursor per slot and the PhraseCursor over them (which
// points into this object: it does not move).
class SegmentPhrase {
 public:
  // nullptr when the segment cannot hold the phrase (a term absent, or no norms for the field).
  static absl::StatusOr<std::unique_ptr<SegmentPhrase>> Open(const PlanNode& n,
                                                             const index::SegmentReader& seg);
  SegmentPhrase(const SegmentPhrase&) = delete;
  SegmentPhrase& operator=(const SegmentPhrase&) = delete;

  PhraseCursor<index::SegmentPostings>& cursor() { return *cursor_; }
  // A slot's decoding error, or DataLoss for corrupt positions.
  absl::Status status() const;

 private:
  SegmentPhrase(std::vector<index::SegmentPostings> slots, const std::vector<PhraseTerm>& phrase,
                uint32_t slop);
  std::vector<index::SegmentPostings> slots_;
  std::vector<index::SegmentPostings*> ptrs_;
  std::vector<uint32_t> offsets_, term_ids_;
  std::unique_ptr<PhraseCursor<index::SegmentPostings>> cursor_;
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_LEAF_CURSORS_H_
