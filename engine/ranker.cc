#include "engine/ranker.h"

#include <algorithm>
#include <cmath>

#include "index/segment/norms.h"

namespace scour::engine {

float Idf(RankerKind kind, uint64_t doc_freq, uint64_t doc_count) {
  const double n = static_cast<double>(doc_count);
  const double df = static_cast<double>(doc_freq);
  double idf = 0.0;
  switch (kind) {
    case RankerKind::kLuceneBm25:
      // Lucene 8: (float) Math.log(1 + (docCount - docFreq + 0.5D) / (docFreq + 0.5D)).
      idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
      break;
    case RankerKind::kBm25:
      idf = std::log((n - df + 0.5) / (df + 0.5));
      break;
    case RankerKind::kBm25Plus:
      idf = std::log((n + 1.0) / std::max(df, 1.0));
      break;
    case RankerKind::kBm25L:
      idf = std::log((n + 1.0) / (df + 0.5));
      break;
  }
  // Negative idf (a term in more than half the documents under the RSJ idf, or df > N from
  // inconsistent statistics) is clamped to 0: the term still matches but adds nothing, and every
  // score stays >= 0, which the pruning algorithms rely on.
  if (!(idf > 0.0)) return 0.0f;
  return static_cast<float>(idf);
}

TermScorer TermScorer::Create(const RankerParams& params, const FieldStatistics& stats, float idf,
                              float boost) {
  TermScorer s;
  const float k1 = params.k1;
  const float b = params.b;
  // Lucene: avgFieldLength = (float) (sumTotalTermFreq / (double) docCount). An empty field
  // would give 0/0; any positive value works there since no document can match.
  float avgdl = 1.0f;
  if (stats.docs_with_field > 0 && stats.sum_total_term_freq > 0) {
    avgdl = static_cast<float>(stats.average_length());
  }
  // Lucene: cache[i] = 1f / (k1 * ((1 - b) + b * LENGTH_TABLE[i] / avgdl)), all in float.
  for (int i = 0; i < 256; ++i) {
    const float length = static_cast<float>(index::NormToLength(static_cast<uint8_t>(i)));
    s.inv_[i] = 1.0f / (k1 * ((1.0f - b) + b * length / avgdl));
  }
  s.idf_ = idf;
  switch (params.kind) {
    case RankerKind::kLuceneBm25:
      s.weight_ = boost * idf;
      break;
    case RankerKind::kBm25:
      s.weight_ = boost * idf * (k1 + 1.0f);
      break;
    case RankerKind::kBm25Plus: {
      const float delta = params.delta < 0.0f ? 1.0f : params.delta;
      s.weight_ = boost * idf * (k1 + 1.0f);
      s.add_ = boost * idf * delta;
      break;
    }
    case RankerKind::kBm25L: {
      // idf (k1+1)(c+d)/(k1+c+d), c = tf/Nd  ==  W - W / ((1 + d/k1) + tf/(k1 Nd)).
      const float delta = params.delta < 0.0f ? 0.5f : params.delta;
      s.weight_ = boost * idf * (k1 + 1.0f);
      s.c0_ = 1.0f + delta / k1;
      break;
    }
  }
  return s;
}

}  // namespace scour::engine
