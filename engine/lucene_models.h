// Lucene 8.8's probabilistic models as Similarity models (SimilarityBase: statistics and the
// score in double, the score cast to float; a phrase scores as the float sum of its words'
// scorers, as MultiSimilarity.MultiSimScorer): LMDirichletSimilarity (query likelihood with
// Dirichlet smoothing, collection model (ttf + 1) / (tokens + 1), clamped at 0) and
// DFRSimilarity with BasicModelIn / BasicModelIne, AfterEffectB / AfterEffectL and
// NormalizationH2(c). Formulas in docs/SCORING.md.
#ifndef SCOUR_ENGINE_LUCENE_MODELS_H_
#define SCOUR_ENGINE_LUCENE_MODELS_H_

#include <memory>

#include "scour/similarity.h"

namespace scour::engine {

// mu >= 0 and finite (Lucene's check).
std::shared_ptr<const Similarity> LmDirichletSimilarity(float mu);

enum class DfrBasicModel { kIn, kIne };
enum class DfrAfterEffect { kB, kL };
// NormalizationH2 with c >= 0 and finite.
std::shared_ptr<const Similarity> DfrSimilarity(DfrBasicModel basic, DfrAfterEffect after, float c);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_LUCENE_MODELS_H_
