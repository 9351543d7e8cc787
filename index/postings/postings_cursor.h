// The read side of one term's postings in one segment, as the query engine sees it.
// Contract shared by every cursor type (the on-disk SegmentPostings and the test VectorPostings),
// so retrieval algorithms are templates over the cursor type: no virtual call per posting.
//
//   doc()            current doc id (segment-local), or kNoMoreDocs once exhausted.
//                    A fresh cursor is positioned on its first doc (or kNoMoreDocs if empty).
//   Next()           advance to the next doc; returns the new doc().
//   Advance(target)  REQUIRES target > doc(): move to the first doc >= target; returns doc().
//   freq()           term frequency in doc(); >= 1.
//   norm()           not here: document lengths come from the segment's norms (NormsReader).
//   ShallowAdvance(target)  moves only the block pointer (no decoding of doc ids) to the block
//                    that contains target (or the first block after), so that BlockMaxTf(),
//                    BlockMinNorm() and BlockLastDoc() describe it; never moves doc() backwards.
//   BlockLastDoc()   last doc id of the current shallow block (kNoMoreDocs past the end).
//   BlockMaxTf()     max tf in that block (kTfSaturated means "unbounded": treat as infinite).
//   BlockMinNorm()   min norm byte (shortest document) in that block.
//   MaxTf() / MinNorm() the same over the whole list (for MaxScore's term upper bounds).
//   df()             number of docs in the list (including deleted ones).
//   Positions(std::vector<uint32_t>* out)  the positions of doc() in increasing order (decoded
//                    lazily: only phrase queries pay for them). Returns false on corruption.
//   PositionSpan()   the same positions in place (a span valid until the cursor moves; what
//                    PhraseCursor reads): empty on corruption (ok() false).
//   ok()             false once a decoding error (corruption) was hit; doc() is then kNoMoreDocs
//                    and status() says what.
#ifndef SCOUR_INDEX_POSTINGS_POSTINGS_CURSOR_H_
#define SCOUR_INDEX_POSTINGS_POSTINGS_CURSOR_H_

#include <cstdint>
#include <limits>

namespace scour::index {

using DocId = uint32_t;
inline constexpr DocId kNoMoreDocs = std::numeric_limits<DocId>::max();
inline constexpr uint32_t kTfSaturated = (1u << 24) - 1;

}  // namespace scour::index

#endif  // SCOUR_INDEX_POSTINGS_POSTINGS_CURSOR_H_
