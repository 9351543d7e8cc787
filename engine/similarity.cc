// The public scoring API (include/scour/similarity.h): the contract check and the built-in
// models by name.
#include "scour/similarity.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <mutex>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/lucene_models.h"
#include "engine/ranker.h"
#include "index/segment/norms.h"

namespace scour {

SimScorer::~SimScorer() = default;
std::string SimScorer::Explain(float, float) const { return ""; }
Similarity::~Similarity() = default;
StatisticsSource::~StatisticsSource() = default;

const std::vector<std::string>& StatisticsSource::Fields() const {
  static const std::vector<std::string> kNone;
  return kNone;
}

float NormLength(uint8_t norm) { return static_cast<float>(index::NormToLength(norm)); }

namespace {

constexpr const char* kBuiltinModelNames =
    "bm25, bm25-robertson, bm25+, bm25l, qld, dfr-inb2, dfr-inexpb2, dfr-inl2";

struct GridCollection {
  uint64_t docs;
  double avg_length;
  uint64_t df;
  uint64_t total_tf;
};

std::string Describe(const FieldStatistics& f, std::span<const TermStatistics> terms, float boost) {
  std::string s = absl::StrFormat("docs_with_field=%u sum_total_term_freq=%u", f.docs_with_field,
                                  f.sum_total_term_freq);
  for (const TermStatistics& t : terms)
    absl::StrAppendFormat(&s, " [doc_freq=%u total_term_freq=%u]", t.doc_freq, t.total_term_freq);
  absl::StrAppendFormat(&s, " boost=%g", boost);
  return s;
}

}  // namespace

namespace {

// Every integer frequency up to this one is checked (python/src/model.h tabulates the same).
constexpr uint32_t kCheckedAllUpTo = 64;

// The frequencies the contract is checked at, ascending: every integer up to `all_up_to` (the
// engine tabulates tf < 16 per query leaf; nearly every posting and block maximum is below 64),
// 0.25, 0.5 and 1.5 (sloppy phrases), then a sample (powers of two, round numbers) up to the
// largest integer a block bound can take (kTfSaturated - 1), and FLT_MAX (the bound of an
// unbounded frequency).
std::vector<float> CheckedFrequencies(uint32_t all_up_to) {
  std::vector<float> f = {0.25f, 0.5f};
  for (uint32_t tf = 1; tf <= all_up_to; ++tf) {
    f.push_back(static_cast<float>(tf));
    if (tf == 1) f.push_back(1.5f);
  }
  for (float x : {20.0f, 32.0f, 64.0f, 100.0f, 128.0f, 256.0f, 1000.0f, 1024.0f, 4096.0f, 65536.0f,
                  1e5f, 1e6f, static_cast<float>(index::kTfSaturated - 1), 1e9f, 1e20f, FLT_MAX})
    if (x > f.back()) f.push_back(x);
  return f;
}

}  // namespace

absl::Status CheckSimilarity(const Similarity& similarity) {
  // Every scorer is checked at every integer tf the engine tabulates (< 16) and the sample
  // above; the boost-1 scorers (every collection, terms and phrases) at every tf up to 64 too:
  // that keeps installing a model near 0.15 s (docs/SCORING.md).
  static const std::vector<float> kSampled = CheckedFrequencies(16);
  static const std::vector<float> kAll = CheckedFrequencies(kCheckedAllUpTo);
  std::vector<GridCollection> grid;
  for (uint64_t docs : {1ull, 10ull, 1000ull, 1000000ull, 50000000ull}) {
    for (double avg : {1.0, 8.0, 200.0, 5000.0}) {
      const uint64_t sum = static_cast<uint64_t>(static_cast<double>(docs) * avg);
      for (uint64_t df : {uint64_t{1}, (docs + 1) / 2, docs}) {
        // total_tf between df and the field's tokens.
        for (uint64_t total_tf : {std::min<uint64_t>(sum, df),
                                  std::max<uint64_t>(df, std::min<uint64_t>(sum, df * 3))}) {
          const GridCollection g{docs, avg, df, total_tf};
          if (std::none_of(grid.begin(), grid.end(), [&](const GridCollection& h) {
                return h.docs == g.docs && h.avg_length == g.avg_length && h.df == g.df &&
                       h.total_tf == g.total_tf;
              }))
            grid.push_back(g);
        }
      }
    }
  }
  const std::string name = similarity.Name();
  std::vector<float> prev_row(kAll.size()), row(kAll.size());
  for (const GridCollection& g : grid) {
    FieldStatistics field;
    field.name = "body";
    field.docs_with_field = g.docs;
    field.sum_total_term_freq = static_cast<uint64_t>(static_cast<double>(g.docs) * g.avg_length);
    field.sum_doc_freq = field.sum_total_term_freq;
    field.terms = field.sum_total_term_freq;
    TermStatistics term{"body", "t", g.df, g.total_tf};
    const TermStatistics phrase[] = {term, TermStatistics{"body", "u", g.docs, g.total_tf},
                                     TermStatistics{"body", "v", 1, 1}};
    for (float boost : {0.5f, 1.0f, 4.0f}) {
      for (size_t words : {size_t{1}, size_t{3}}) {
        std::span<const TermStatistics> terms = words == 1
                                                    ? std::span<const TermStatistics>(&term, 1)
                                                    : std::span<const TermStatistics>(phrase, 3);
        std::unique_ptr<SimScorer> scorer = similarity.Prepare(field, terms, boost);
        if (scorer == nullptr) {
          return absl::InvalidArgumentError(absl::StrCat("scoring model \"", name,
                                                         "\": Prepare returned no scorer for ",
                                                         Describe(field, terms, boost)));
        }
        const std::vector<float>& kFreqs = boost == 1.0f ? kAll : kSampled;
        for (int norm = 0; norm < 256; ++norm) {
          const float length = NormLength(static_cast<uint8_t>(norm));
          for (size_t i = 0; i < kFreqs.size(); ++i) {
            const float freq = kFreqs[i];
            const float s = scorer->Score(freq, length);
            std::string broken;
            if (!std::isfinite(s) || s < 0) {
              broken = "must be finite and >= 0";
            } else if (i > 0 && s < row[i - 1]) {
              broken = absl::StrFormat("must not decrease with freq: Score(freq=%g) = %g",
                                       kFreqs[i - 1], row[i - 1]);
            } else if (norm > 0 && s > prev_row[i]) {
              broken = absl::StrFormat("must not increase with length: Score(length=%g) = %g",
                                       NormLength(static_cast<uint8_t>(norm - 1)), prev_row[i]);
            }
            if (!broken.empty()) {
              return absl::InvalidArgumentError(absl::StrFormat(
                  "scoring model \"%s\" breaks the contract: Score(freq=%g, length=%g) = %g %s; "
                  "statistics: %s",
                  name, freq, length, s, broken, Describe(field, terms, boost)));
            }
            row[i] = s;
          }
          prev_row.swap(row);
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const Similarity>> BuiltinSimilarity(
    const BuiltinModelOptions& options) {
  const std::string& name = options.name;
  if (name == "qld") {
    if (!(options.mu > 0) || !std::isfinite(options.mu))
      return absl::InvalidArgumentError("ranking: qld needs a finite mu > 0");
    return engine::LmDirichletSimilarity(options.mu);
  }
  if (name == "dfr-inb2" || name == "dfr-inexpb2" || name == "dfr-inl2") {
    if (!(options.c >= 0) || !std::isfinite(options.c))
      return absl::InvalidArgumentError("ranking: dfr needs a finite c >= 0");
    return engine::DfrSimilarity(
        name == "dfr-inexpb2" ? engine::DfrBasicModel::kIne : engine::DfrBasicModel::kIn,
        name == "dfr-inl2" ? engine::DfrAfterEffect::kL : engine::DfrAfterEffect::kB, options.c);
  }
  engine::RankerParams p;
  if (name == "bm25" || name == "lucene" || name == "bm25-lucene") {
    p.kind = engine::RankerKind::kLuceneBm25;
  } else if (name == "bm25-robertson" || name == "robertson") {
    p.kind = engine::RankerKind::kBm25;
  } else if (name == "bm25+" || name == "bm25plus") {
    p.kind = engine::RankerKind::kBm25Plus;
  } else if (name == "bm25l") {
    p.kind = engine::RankerKind::kBm25L;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown ranker \"", name, "\" (rankers: ", kBuiltinModelNames, ")"));
  }
  if (!(options.k1 >= 0) || !std::isfinite(options.k1) || !(options.b >= 0 && options.b <= 1))
    return absl::InvalidArgumentError("ranking: need a finite k1 >= 0 and 0 <= b <= 1");
  // A negative delta means the model's default; NaN or infinity would score everything 0.
  if (!std::isfinite(options.delta))
    return absl::InvalidArgumentError("ranking: delta must be finite");
  p.k1 = options.k1;
  p.b = options.b;
  p.delta = options.delta;
  return engine::Bm25Similarity(p);
}

namespace engine {

absl::Status CheckSimilarityOnce(const std::shared_ptr<const Similarity>& similarity) {
  static std::mutex mu;
  static std::vector<std::weak_ptr<const Similarity>>* checked =
      new std::vector<std::weak_ptr<const Similarity>>();
  {
    std::lock_guard<std::mutex> l(mu);
    for (const auto& w : *checked) {
      if (!w.owner_before(similarity) && !similarity.owner_before(w) && !w.expired()) {
        return absl::OkStatus();
      }
    }
  }
  absl::Status s = CheckSimilarity(*similarity);
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> l(mu);
  std::erase_if(*checked, [](const auto& w) { return w.expired(); });
  checked->push_back(similarity);
  return absl::OkStatus();
}

}  // namespace engine
}  // namespace scour
