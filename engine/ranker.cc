#include "engine/ranker.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
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

namespace {

// Lucene: avgFieldLength = (float) (sumTotalTermFreq / (double) docCount). An empty field
// would give 0/0; any positive value works there since no document can match.
float AverageLength(const FieldStatistics& stats) {
  if (stats.docs_with_field > 0 && stats.sum_total_term_freq > 0) {
    return static_cast<float>(stats.average_length());
  }
  return 1.0f;
}

float Inverse(float k1, float b, float avgdl, float length) {
  return 1.0f / (k1 * ((1.0f - b) + b * length / avgdl));
}

using InverseTable = std::array<float, 256>;  // Inverse(NormToLength(norm)), by norm byte

std::shared_ptr<const InverseTable> MakeInverseTable(float k1, float b, float avgdl) {
  auto t = std::make_shared<InverseTable>();
  for (int n = 0; n < 256; ++n) {
    (*t)[n] =
        Inverse(k1, b, avgdl, static_cast<float>(index::NormToLength(static_cast<uint8_t>(n))));
  }
  return t;
}

// score = weight - weight / (c0 + freq * inv(length)) + add, inv(length) = 1 / (k1 ((1 - b) +
// b length / avgdl)), every operation in float as Lucene 8's BM25Scorer (whose norm cache holds
// exactly inv(LENGTH_TABLE[norm])).
class Bm25FamilyScorer final : public SimScorer {
 public:
  // `inv`: the norm bytes' factors for these k1, b and the field's average length (shared by the
  // similarity's scorers of that field), or nullptr to make them.
  Bm25FamilyScorer(const RankerParams& p, const FieldStatistics& stats, float idf, float boost,
                   std::shared_ptr<const InverseTable> inv = nullptr)
      : k1_(p.k1),
        b_(p.b),
        idf_(idf),
        boost_(boost),
        avgdl_(AverageLength(stats)),
        inv_(inv != nullptr ? std::move(inv) : MakeInverseTable(k1_, b_, avgdl_)) {
    switch (p.kind) {
      case RankerKind::kLuceneBm25:
        weight_ = boost * idf;
        break;
      case RankerKind::kBm25:
        weight_ = boost * idf * (k1_ + 1.0f);
        break;
      case RankerKind::kBm25Plus: {
        const float delta = p.delta < 0.0f ? 1.0f : p.delta;
        weight_ = boost * idf * (k1_ + 1.0f);
        add_ = boost * idf * delta;
        break;
      }
      case RankerKind::kBm25L: {
        // idf (k1+1)(c+d)/(k1+c+d), c = tf/Nd  ==  W - W / ((1 + d/k1) + tf/(k1 Nd)).
        const float delta = p.delta < 0.0f ? 0.5f : p.delta;
        weight_ = boost * idf * (k1_ + 1.0f);
        c0_ = 1.0f + delta / k1_;
        break;
      }
    }
  }

  float Score(float freq, float length) const override {
    return weight_ - weight_ / (c0_ + freq * Inverse(k1_, b_, avgdl_, length)) + add_;
  }
  // The same operations with the per-length factor of each norm byte looked up (TermScorer's
  // closed form).
  TermScorer::Bm25Form Form() const {
    TermScorer::Bm25Form f;
    f.weight = weight_;
    f.c0 = c0_;
    f.add = add_;
    f.inv = std::shared_ptr<const float[]>(inv_, inv_->data());  // aliases the table
    return f;
  }
  std::string Explain(float, float) const override {
    return absl::StrFormat("idf=%.4f avgdl=%.2f k1=%g b=%g boost=%g", idf_, avgdl_, k1_, b_,
                           boost_);
  }

 private:
  float k1_, b_, idf_, boost_;
  float avgdl_;
  std::shared_ptr<const InverseTable> inv_;
  float weight_ = 0.0f;
  float c0_ = 1.0f;
  float add_ = 0.0f;
};

class Bm25FamilySimilarity final : public Similarity {
 public:
  explicit Bm25FamilySimilarity(const RankerParams& p) : p_(p) {}
  std::string Name() const override {
    static constexpr const char* kNames[] = {"bm25", "bm25-robertson", "bm25+", "bm25l"};
    return absl::StrFormat("%s(k1=%g,b=%g)", kNames[static_cast<int>(p_.kind)], p_.k1, p_.b);
  }
  std::unique_ptr<SimScorer> Prepare(const FieldStatistics& field,
                                     std::span<const TermStatistics> terms,
                                     float boost) const override {
    float idf = 0;  // Lucene: a phrase's idf is the sum of its terms' idfs
    for (const TermStatistics& t : terms) idf += Idf(p_.kind, t.doc_freq, field.docs_with_field);
    return std::make_unique<Bm25FamilyScorer>(p_, field, idf, boost,
                                              Inverses(AverageLength(field)));
  }

 private:
  // The factors of a field's average length, made once and shared by every later scorer of a
  // field with that average (every query term of a snapshot's field): 256 divisions per query
  // term otherwise. A few averages are kept (fields, snapshots); the oldest makes room.
  std::shared_ptr<const InverseTable> Inverses(float avgdl) const {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [a, t] : inverses_)
      if (std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(avgdl)) return t;
    if (inverses_.size() == kInverseTables) inverses_.erase(inverses_.begin());
    inverses_.emplace_back(avgdl, MakeInverseTable(p_.k1, p_.b, avgdl));
    return inverses_.back().second;
  }
  static constexpr size_t kInverseTables = 16;

  RankerParams p_;
  mutable std::mutex mu_;
  mutable std::vector<std::pair<float, std::shared_ptr<const InverseTable>>> inverses_;
};

}  // namespace

std::shared_ptr<const Similarity> Bm25Similarity(const RankerParams& params) {
  return std::make_shared<Bm25FamilySimilarity>(params);
}

std::unique_ptr<SimScorer> Bm25Scorer(const RankerParams& params, const FieldStatistics& stats,
                                      float idf, float boost) {
  return std::make_unique<Bm25FamilyScorer>(params, stats, idf, boost);
}

TermScorer::TermScorer(std::shared_ptr<const SimScorer> sim) : sim_(std::move(sim)) {
  if (const auto* bm25 = dynamic_cast<const Bm25FamilyScorer*>(sim_.get()); bm25 != nullptr) {
    bm25_ = bm25->Form();
    return;
  }
  table_owner_ = std::make_shared_for_overwrite<float[]>(kTableFreqs * 256);
  table_ = table_owner_.get();
  // Every entry's bits set: a negative NaN, which no score is (Compute returns finite >= 0).
  std::memset(table_, 0xFF, kTableFreqs * 256 * sizeof(float));
}

TermScorer TermScorer::Create(const RankerParams& params, const FieldStatistics& stats, float idf,
                              float boost) {
  return TermScorer(Bm25Scorer(params, stats, idf, boost));
}

float TermScorer::Compute(float freq, uint8_t norm) const {
  float v = sim_->Score(freq, static_cast<float>(index::NormToLength(norm)));
  if (!(v >= 0.0f)) v = 0.0f;  // NaN or negative
  if (v > FLT_MAX) v = FLT_MAX;
  if (table_ != nullptr && freq < static_cast<float>(kTableFreqs)) {
    const uint32_t tf = static_cast<uint32_t>(freq);
    if (static_cast<float>(tf) == freq)
      std::atomic_ref<float>(table_[tf * 256 + norm]).store(v, std::memory_order_relaxed);
  }
  return v;
}

}  // namespace scour::engine
