// Collection statistics of an index snapshot, as BM25 and its variants use them (Lucene's
// CollectionStatistics and TermStatistics). Deleted documents not yet merged away still count, as
// in Lucene, so scores do not change when documents are deleted until the segments are merged.
#ifndef SCOUR_STATISTICS_H_
#define SCOUR_STATISTICS_H_

#include <cstdint>
#include <string>

namespace scour {

// One field over the whole snapshot.
struct FieldStatistics {
  std::string name;
  uint64_t docs_with_field = 0;      // documents with at least one token in the field
  uint64_t sum_total_term_freq = 0;  // tokens in the field, all documents: the sum of lengths
  uint64_t sum_doc_freq = 0;         // postings: the sum of the field's terms' doc_freq
  uint64_t terms = 0;                // distinct terms, summed over segments

  // Mean field length in tokens (BM25's avgdl): sum_total_term_freq / docs_with_field, 0 for a
  // field no document has.
  double average_length() const {
    return docs_with_field == 0
               ? 0.0
               : static_cast<double>(sum_total_term_freq) / static_cast<double>(docs_with_field);
  }
};

// One analysed term of one field over the whole snapshot.
struct TermStatistics {
  std::string field;
  std::string term;              // as indexed (analysed: lower-cased, stemmed)
  uint64_t doc_freq = 0;         // documents holding the term in the field
  uint64_t total_term_freq = 0;  // its occurrences in the field, all documents
};

}  // namespace scour

#endif  // SCOUR_STATISTICS_H_
