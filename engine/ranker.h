// Rankers (Lucene 8 BM25, classic Robertson BM25, BM25+, BM25L): a TermScorer is built once per
// query term and field and scores a posting from (freq, norm byte) with a 256-entry table and no
// branches or logs. Immutable after construction: safe to share across threads.
// Formulas and the float-arithmetic details are in docs/SCORING.md.
#ifndef SCOUR_ENGINE_RANKER_H_
#define SCOUR_ENGINE_RANKER_H_

#include <array>
#include <cstdint>

#include "index/postings/postings_cursor.h"
#include "scour/statistics.h"

namespace scour::engine {

enum class RankerKind : uint8_t {
  kLuceneBm25,  // Lucene 8.x BM25Similarity, bit for bit (default).
  kBm25,        // Robertson BM25: (k1+1) numerator, RSJ idf clamped at 0.
  kBm25Plus,    // Lv & Zhai BM25+ as in Trotman et al. 2014.
  kBm25L,       // Lv & Zhai BM25L as in Trotman et al. 2014.
};

struct RankerParams {
  RankerKind kind = RankerKind::kLuceneBm25;
  float k1 = 0.9f;
  float b = 0.4f;
  // BM25+ / BM25L lower-bounding constant; negative means the kind's default (1.0 / 0.5).
  float delta = -1.0f;
  // "bm25tp": Lucene BM25 plus a term-proximity bonus, applied by re-ranking the BM25 top-N
  // (engine/proximity.h); the plan's scorers ignore it.
  bool proximity = false;
};

// idf of one term under the given ranker (>= 0 for every kind; see docs/SCORING.md).
float Idf(RankerKind kind, uint64_t doc_freq, uint64_t doc_count);

// Scores one query term (or one phrase, whose idf is the sum of its terms' idfs) in one field.
// score(freq, norm) = weight - weight / (c0 + freq * inv[norm]) + add, which is each ranker's
// formula rearranged (Lucene's own rewrite for kLuceneBm25, with c0 = 1 and add = 0, so the
// result is bitwise Lucene's). Monotone in float: non-decreasing in freq, non-increasing in norm.
class TermScorer {
 public:
  TermScorer() = default;
  // `stats` is the field's over the collection searched (docs_with_field is N, and
  // average_length() avgdl). `boost` (>= 0) is the per-field weight times the query boost; it
  // multiplies the score.
  static TermScorer Create(const RankerParams& params, const FieldStatistics& stats, float idf,
                           float boost = 1.0f);
  static TermScorer ForTerm(const RankerParams& params, const FieldStatistics& stats,
                            uint64_t doc_freq, float boost = 1.0f) {
    return Create(params, stats, Idf(params.kind, doc_freq, stats.docs_with_field), boost);
  }

  float Score(float freq, uint8_t norm) const {
    return weight_ - weight_ / (c0_ + freq * inv_[norm]) + add_;
  }
  // Upper bound of Score(f, n) over f <= max_tf, n >= min_norm; kTfSaturated means f unbounded.
  float MaxScore(uint32_t max_tf, uint8_t min_norm) const {
    if (max_tf >= index::kTfSaturated) return weight_ + add_;  // the freq -> infinity limit
    return Score(static_cast<float>(max_tf), min_norm);
  }
  // The freq -> infinity limit, an upper bound of every score of this term.
  float Limit() const { return weight_ + add_; }

  float weight() const { return weight_; }
  float idf() const { return idf_; }

 private:
  float weight_ = 0.0f;
  float c0_ = 1.0f;
  float add_ = 0.0f;
  float idf_ = 0.0f;
  std::array<float, 256> inv_{};
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_RANKER_H_
