// The general execution of a plan in one segment: a tree of iterators mirroring the plan (term,
// phrase, prefix union, synonym union, +required optional -excluded, empty), one virtual call per
// node per document and none per posting. What runs when no fast path (execute.cc) applies: several
// fields, prefixes, nested Booleans, phrases inside Booleans.
#ifndef SCOUR_ENGINE_ITERATORS_H_
#define SCOUR_ENGINE_ITERATORS_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/plan.h"
#include "index/postings/postings_cursor.h"
#include "index/segment/segment_reader.h"

namespace scour::engine {

// The docs a plan node matches in one segment, in increasing order, with their scores.
class DocIterator {
 public:
  virtual ~DocIterator() = default;
  index::DocId doc() const { return doc_; }  // kNoMoreDocs once exhausted
  virtual index::DocId Next() = 0;
  virtual index::DocId Advance(index::DocId target) = 0;  // REQUIRES target > doc()
  virtual float Score() = 0;                              // of doc()
  virtual uint64_t cost() const = 0;                      // an estimate of the docs it matches
  virtual absl::Status status() const { return absl::OkStatus(); }

 protected:
  index::DocId doc_ = index::kNoMoreDocs;
};

// The iterator tree of `plan` over `seg`, positioned on its first doc. The plan must outlive it.
absl::StatusOr<std::unique_ptr<DocIterator>> MakeIterator(const PlanNode& plan,
                                                          const index::SegmentReader& seg);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_ITERATORS_H_
