#include "engine/lucene_models.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"

namespace scour::engine {
namespace {

// Lucene's BasicStats, filled as SimilarityBase.fillBasicStats does (8.x).
struct BasicStats {
  double boost;
  int64_t docs;          // N: documents with the field
  int64_t field_tokens;  // sum of the field's lengths
  double avg_length;     // field_tokens / (double) N
  int64_t df;
  int64_t ttf;
};

BasicStats Fill(const FieldStatistics& field, const TermStatistics& term, float boost) {
  BasicStats s;
  s.boost = boost;
  s.docs = static_cast<int64_t>(field.docs_with_field);
  s.field_tokens = static_cast<int64_t>(field.sum_total_term_freq);
  s.avg_length = static_cast<double>(s.field_tokens) / static_cast<double>(s.docs);
  s.df = static_cast<int64_t>(term.doc_freq);
  s.ttf = static_cast<int64_t>(term.total_term_freq);
  return s;
}

double Log2(double x) { return std::log(x) / std::log(2.0); }

// One scorer per word; a phrase sums its words' float scores in order, as Lucene does.
template <typename Term>
class SumScorer final : public SimScorer {
 public:
  explicit SumScorer(std::vector<Term> terms) : terms_(std::move(terms)) {}
  float Score(float freq, float length) const override {
    float sum = 0.0f;
    for (const Term& t : terms_) sum += t.Score(freq, length);
    return sum;
  }
  std::string Explain(float freq, float length) const override {
    std::string out;
    for (const Term& t : terms_) out += (out.empty() ? "" : " + ") + t.Explain(freq, length);
    return out;
  }

 private:
  std::vector<Term> terms_;
};

// LMDirichletSimilarity.score, collection probability of DefaultCollectionModel.
struct QldTerm {
  double boost, mu, p;
  float Score(float freq, float length) const {
    const double score = boost * (std::log(1 + static_cast<double>(freq) / (mu * p)) +
                                  std::log(mu / (static_cast<double>(length) + mu)));
    return static_cast<float>(score > 0.0 ? score : 0.0);
  }
  std::string Explain(float, float) const {
    return absl::StrFormat("mu=%g P=%.6g boost=%g", mu, p, boost);
  }
};

class QldSimilarity final : public Similarity {
 public:
  explicit QldSimilarity(float mu) : mu_(mu) {}
  std::string Name() const override { return absl::StrFormat("qld(mu=%g)", mu_); }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics& field,
                                     std::span<const TermStatistics> terms,
                                     float boost) const override {
    std::vector<QldTerm> out;
    for (const TermStatistics& t : terms) {
      const BasicStats s = Fill(field, t, boost);
      const double p =
          (static_cast<double>(s.ttf) + 1.0) / (static_cast<double>(s.field_tokens) + 1.0);
      out.push_back({s.boost, static_cast<double>(mu_), p});
    }
    return std::make_unique<SumScorer<QldTerm>>(std::move(out));
  }

 private:
  float mu_;
};

// DFRSimilarity.score: boost * basicModel.score(stats, tfn, afterEffect.scoreTimes1pTfn(stats)),
// basic model score = A * aeTimes1pTfn * (1 - 1 / (1 + tfn)), tfn = NormalizationH2's.
struct DfrTerm {
  double boost, a, ae, c_avg;  // c_avg = c * avgFieldLength
  float Score(float freq, float length) const {
    const double tfn = static_cast<double>(freq) * Log2(1 + c_avg / static_cast<double>(length));
    return static_cast<float>(boost * (a * ae * (1 - 1 / (1 + tfn))));
  }
  std::string Explain(float freq, float length) const {
    const double tfn = static_cast<double>(freq) * Log2(1 + c_avg / static_cast<double>(length));
    return absl::StrFormat("A=%.6g aftereffect(1+tfn)=%.6g tfn=%.6g boost=%g", a, ae, tfn, boost);
  }
};

class DfrSimilarityImpl final : public Similarity {
 public:
  DfrSimilarityImpl(DfrBasicModel basic, DfrAfterEffect after, float c)
      : basic_(basic), after_(after), c_(c) {}
  std::string Name() const override {
    return absl::StrFormat("dfr-%s%s2(c=%g)", basic_ == DfrBasicModel::kIn ? "in" : "inexp",
                           after_ == DfrAfterEffect::kB ? "b" : "l", c_);
  }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics& field,
                                     std::span<const TermStatistics> terms,
                                     float boost) const override {
    std::vector<DfrTerm> out;
    for (const TermStatistics& t : terms) {
      const BasicStats s = Fill(field, t, boost);
      const int64_t n_docs = s.docs;
      double a;
      if (basic_ == DfrBasicModel::kIn) {  // BasicModelIn
        a = Log2(static_cast<double>(n_docs + 1) / (static_cast<double>(s.df) + 0.5));
      } else {  // BasicModelIne
        const double ne =
            static_cast<double>(n_docs) *
            (1 - std::pow(static_cast<double>(n_docs - 1) / static_cast<double>(n_docs),
                          static_cast<double>(s.ttf)));
        a = Log2(static_cast<double>(n_docs + 1) / (ne + 0.5));
      }
      double ae = 1.0;  // AfterEffectL: 1 / (1 + tfn), times (1 + tfn)
      if (after_ == DfrAfterEffect::kB) {
        const int64_t f = s.ttf + 1, n = s.df + 1;  // AfterEffectB
        ae = (static_cast<double>(f) + 1.0) / static_cast<double>(n);
      }
      out.push_back({s.boost, a, ae, static_cast<double>(c_) * s.avg_length});
    }
    return std::make_unique<SumScorer<DfrTerm>>(std::move(out));
  }

 private:
  DfrBasicModel basic_;
  DfrAfterEffect after_;
  float c_;
};

}  // namespace

std::shared_ptr<const Similarity> LmDirichletSimilarity(float mu) {
  return std::make_shared<QldSimilarity>(mu);
}

std::shared_ptr<const Similarity> DfrSimilarity(DfrBasicModel basic, DfrAfterEffect after,
                                                float c) {
  return std::make_shared<DfrSimilarityImpl>(basic, after, c);
}

}  // namespace scour::engine
