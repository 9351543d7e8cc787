// TermScorer: how the engine scores one query term (or phrase) in one field. It wraps the
// SimScorer a Similarity prepared (include/scour/similarity.h: the built-in rankers and user
// models alike). The built-in BM25 family is evaluated in closed form from a per-norm factor
// computed once per scorer, as Lucene's BM25Scorer caches it: no virtual call, no table to fill
// per query. Other models are tabulated lazily over (tf < kTableFreqs) x (256 norm bytes), so a
// posting costs a table load, not a virtual call; other frequencies call the model. Block and
// list bounds are the model evaluated at the block's max tf and min norm (exact under the
// contract: scores non-decreasing in tf, non-increasing in length). Safe to share across
// threads: a table entry is written (relaxed, always with the same value) the first time it is
// needed.
//
// Also here: the built-in BM25 family (Lucene 8 BM25, classic Robertson BM25, BM25+, BM25L) as
// Similarity models; formulas and float details in docs/SCORING.md.
#ifndef SCOUR_ENGINE_RANKER_H_
#define SCOUR_ENGINE_RANKER_H_

#include <atomic>
#include <bit>
#include <cfloat>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "index/postings/postings_cursor.h"
#include "scour/similarity.h"
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

// The built-in BM25 family as a Similarity (a phrase's idf is the float sum of its terms').
std::shared_ptr<const Similarity> Bm25Similarity(const RankerParams& params);
// Its scorer for a given idf (tests and benchmarks build scorers without an index).
std::unique_ptr<SimScorer> Bm25Scorer(const RankerParams& params, const FieldStatistics& stats,
                                      float idf, float boost);

// CheckSimilarity, run once per Similarity object (the result is cached while it lives).
absl::Status CheckSimilarityOnce(const std::shared_ptr<const Similarity>& similarity);

class TermScorer {
 public:
  static constexpr uint32_t kTableFreqs = 16;

  TermScorer() = default;
  explicit TermScorer(std::shared_ptr<const SimScorer> sim);
  // A built-in BM25-family scorer (tests, benchmarks): `stats` is the field's, `idf` the term's
  // (or the phrase's summed idf), `boost` multiplies the score.
  static TermScorer Create(const RankerParams& params, const FieldStatistics& stats, float idf,
                           float boost = 1.0f);
  static TermScorer ForTerm(const RankerParams& params, const FieldStatistics& stats,
                            uint64_t doc_freq, float boost = 1.0f) {
    return Create(params, stats, Idf(params.kind, doc_freq, stats.docs_with_field), boost);
  }

  // The score of a posting with integer frequency `tf` (>= 1) in a doc whose norm byte is `norm`.
  float ScoreTf(uint32_t tf, uint8_t norm) const {
    if (bm25_.inv != nullptr) return bm25_.Score(static_cast<float>(tf), norm);
    if (tf < kTableFreqs) {
      const float v =
          std::atomic_ref<float>(table_[tf * 256 + norm]).load(std::memory_order_relaxed);
      if (std::bit_cast<int32_t>(v) >= 0) return v;  // not yet computed: all bits set
    }
    return Compute(static_cast<float>(tf), norm);
  }
  // Any frequency > 0 (sloppy phrases are fractional).
  float Score(float freq, uint8_t norm) const {
    if (bm25_.inv != nullptr) return bm25_.Score(freq, norm);
    if (freq < static_cast<float>(kTableFreqs)) {
      const uint32_t tf = static_cast<uint32_t>(freq);
      if (static_cast<float>(tf) == freq) return ScoreTf(tf, norm);
    }
    return Compute(freq, norm);
  }
  // Upper bound of Score(f, n) over f <= max_tf, n >= min_norm; kTfSaturated means f unbounded
  // (the model at FLT_MAX, as Lucene bounds an unknown frequency).
  float MaxScore(uint32_t max_tf, uint8_t min_norm) const {
    if (max_tf >= index::kTfSaturated) return Compute(FLT_MAX, min_norm);
    return ScoreTf(max_tf, min_norm);
  }
  // An upper bound of every score of this term.
  float Limit() const { return Compute(FLT_MAX, 0); }

  const SimScorer* sim() const { return sim_.get(); }
  // Whether scores come from the closed form of the built-in BM25 family (no table).
  bool closed_form() const { return bm25_.inv != nullptr; }

  // The BM25 family's score, w - w / (c0 + freq * inv[norm]) + add: the float operations of its
  // SimScorer's Score (bit for bit), with inv[norm] = 1 / (k1 ((1 - b) + b length / avgdl))
  // evaluated once per norm byte and field (shared by the field's scorers).
  struct Bm25Form {
    float weight = 0, c0 = 1, add = 0;
    // 256 factors by norm byte, shared by the field's scorers; null: not the built-in family.
    std::shared_ptr<const float[]> inv;
    float Score(float freq, uint8_t norm) const {
      float v = weight - weight / (c0 + freq * inv[norm]) + add;
      if (!(v >= 0.0f)) v = 0.0f;  // as Compute: NaN or negative
      if (v > FLT_MAX) v = FLT_MAX;
      return v;
    }
  };

 private:
  // The model's score, made finite and >= 0 (a model that breaks the contract at search time
  // cannot make pruning read garbage); stored in the table when tabulated.
  float Compute(float freq, uint8_t norm) const;

  std::shared_ptr<const SimScorer> sim_;
  Bm25Form bm25_;  // the built-in BM25 family (then no table)
  // Plain floats read and written through std::atomic_ref: a fresh table is one memset of
  // 0xFF bytes (no per-entry atomic stores; 16 KiB per scorer of a model not in closed form).
  std::shared_ptr<float[]> table_owner_;
  float* table_ = nullptr;
};

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_RANKER_H_
