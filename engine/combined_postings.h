// CombinedPostings: a bm25f leaf (PlanKind::kCombined, docs/SCORING.md "BM25F") in one segment as
// one cursor: the union of the term's postings in several fields, which scores itself. It
// follows the cursor contract of index/postings/postings_cursor.h for doc ids and blocks, and
// engine/algorithm/clauses.h's SelfScoringCursor for scores and bounds, so the pruned top-k
// algorithms (MaxScore, block-max WAND, the block-max conjunction) run over bm25f queries.
//
// Score: tf~ = the float sum, in the leaf's field order, of scale_f[norm_f(doc)] * tf_f over the
// fields on doc(), saturated by the leaf's scorer at (tf~, norm 0): exactly what the iterator
// tree's CombinedIterator computes, so pruned and exhaustive runs agree bit for bit.
//
// Bounds (exact under the scoring contract: the saturation is non-decreasing in tf~). The index
// stores per block and per list a max tf and a min norm, independently (not pairs), so over a
// block of field f: tf_f <= BlockMaxTf_f and norm_f >= BlockMinNorm_f, and
// scale_f[norm_f] * tf_f <= max_scale_f[BlockMinNorm_f] * BlockMaxTf_f, where max_scale_f[n] is
// the largest scale_f[m] over m >= n (CombinedField::max_scale). The sum over the fields is taken
// in double, padded for the float rounding of the score's products and sums, rounded up to a
// float and saturated. A field's max tf of kTfSaturated makes the bound the model at FLT_MAX.
// Blocks of different fields are not aligned: after ShallowAdvance(target) the window is
// [target, the smallest block end of the fields still holding a doc >= target]; each such doc
// lies, in every field, in that field's current block (as for UnionPostings). The list bound is
// the same sum over the lists' MaxTf() and MinNorm().
#ifndef SCOUR_ENGINE_COMBINED_POSTINGS_H_
#define SCOUR_ENGINE_COMBINED_POSTINGS_H_

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "engine/ranker.h"
#include "index/postings/postings_cursor.h"

namespace scour::engine {

template <typename Cursor>
class CombinedPostings {
 public:
  struct Field {
    Cursor postings;
    const float* scale;      // CombinedField::scale: w_f / B_f(dl) per norm byte
    const float* max_scale;  // CombinedField::max_scale: its suffix maximum
    const uint8_t* norms;    // the field's norms in this segment
  };

  explicit CombinedPostings(std::vector<Field> fields) : fields_(std::move(fields)) {
    for (const Field& f : fields_) {
      df_ += f.postings.df();
      list_tf_bound_ += TfBound(f, f.postings.MaxTf(), f.postings.MinNorm());
    }
    Settle();
    ShallowAdvance(doc_ == index::kNoMoreDocs ? 0 : doc_);
  }

  index::DocId doc() const { return doc_; }
  index::DocId Next() {
    if (doc_ == index::kNoMoreDocs) return doc_;
    for (Field& f : fields_)
      if (f.postings.doc() == doc_) f.postings.Next();
    return Settle();
  }
  index::DocId Advance(index::DocId target) {
    for (Field& f : fields_)
      if (f.postings.doc() < target) f.postings.Advance(target);
    return Settle();
  }
  // The sum of the fields' document frequencies: an upper bound of the union's (a cost).
  uint64_t df() const { return df_; }

  // The pseudo-frequency of doc() (the order and the float operations of CombinedIterator).
  float PseudoFreq() const {
    float tf = 0;
    for (const Field& f : fields_)
      if (f.postings.doc() == doc_)
        tf += f.scale[f.norms[doc_]] * static_cast<float>(f.postings.freq());
    return tf;
  }
  float Score(const TermScorer& scorer) const { return scorer.Score(PseudoFreq(), 0); }
  // Upper bounds of Score over the whole list and over the current shallow window.
  float MaxScore(const TermScorer& scorer) const { return Saturate(scorer, list_tf_bound_); }
  float BlockMaxScore(const TermScorer& scorer) const { return Saturate(scorer, block_tf_bound_); }

  void ShallowAdvance(index::DocId target) {
    block_last_ = index::kNoMoreDocs;
    block_tf_bound_ = 0;
    for (Field& f : fields_) {
      if (f.postings.doc() == index::kNoMoreDocs) continue;
      f.postings.ShallowAdvance(target);
      const index::DocId last = f.postings.BlockLastDoc();
      if (last < target) continue;  // no doc >= target left (a one-doc list already passed)
      block_last_ = std::min(block_last_, last);
      block_tf_bound_ += TfBound(f, f.postings.BlockMaxTf(), f.postings.BlockMinNorm());
    }
  }
  index::DocId BlockLastDoc() const { return block_last_; }

  bool ok() const {
    for (const Field& f : fields_)
      if (!f.postings.ok()) return false;
    return true;
  }
  // The first field's decoding error, if any.
  absl::Status status() const {
    for (const Field& f : fields_)
      if (!f.postings.ok()) return f.postings.status();
    return absl::OkStatus();
  }

 private:
  // A field's share of the pseudo-frequency bound (infinite when its max tf is unbounded).
  static double TfBound(const Field& f, uint32_t max_tf, uint8_t min_norm) {
    if (max_tf >= index::kTfSaturated) return HUGE_VAL;
    return static_cast<double>(f.max_scale[min_norm]) * static_cast<double>(max_tf);
  }
  // The score at a pseudo-frequency bound `tf` (a sum of exact double products): padded by
  // (2F + 2) * 2^-23 relative, which covers the rounding of the F float products and F float
  // sums the score's tf~ went through, and rounded up to a float.
  float Saturate(const TermScorer& scorer, double tf) const {
    tf *= 1.0 + static_cast<double>(2 * fields_.size() + 2) * 0x1p-23;
    if (!(tf < static_cast<double>(FLT_MAX))) return scorer.MaxScore(index::kTfSaturated, 0);
    float f = static_cast<float>(tf);
    if (static_cast<double>(f) < tf) f = std::nextafter(f, FLT_MAX);
    return scorer.Score(f, 0);
  }
  index::DocId Settle() {
    doc_ = index::kNoMoreDocs;
    for (const Field& f : fields_) doc_ = std::min(doc_, f.postings.doc());
    return doc_;
  }

  std::vector<Field> fields_;
  index::DocId doc_ = index::kNoMoreDocs;
  uint64_t df_ = 0;
  double list_tf_bound_ = 0;
  index::DocId block_last_ = index::kNoMoreDocs;
  double block_tf_bound_ = 0;
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_COMBINED_POSTINGS_H_
