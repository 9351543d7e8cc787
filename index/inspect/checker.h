// CheckIndex: verifies every checksum and structural invariant of a committed index, as
// `scour check` reports them (Lucene's CheckIndex in spirit). Reads everything; O(index size).
#ifndef SCOUR_INDEX_INSPECT_CHECKER_H_
#define SCOUR_INDEX_INSPECT_CHECKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "index/directory/directory.h"

namespace scour::index {

struct CheckReport {
  std::vector<std::string> problems;  // one line each; empty = sound
  uint64_t segments = 0, documents = 0, terms = 0, postings = 0, positions = 0;
  uint64_t synonym_rules = 0;  // of the synonyms file, if the index has one
  bool ok() const { return problems.empty(); }
};

CheckReport CheckIndex(Directory* dir);

}  // namespace scour::index

#endif  // SCOUR_INDEX_INSPECT_CHECKER_H_
