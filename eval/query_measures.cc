#include "eval/query_measures.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

namespace scour::eval {
namespace {

// trec_eval's constant for gm_* and infAP.
constexpr double kInfApEpsilon = 0.00001;

bool IsRel(const RankedJudgments& r, int32_t v) { return v >= r.relevance_level; }

int64_t RelevantInTop(const RankedJudgments& r, int64_t k) {
  const int64_t n = std::min(k, r.num_ret());
  int64_t count = 0;
  for (int64_t i = 0; i < n; ++i) count += IsRel(r, r.rels[i]);
  return count;
}

// (long) (fraction * num_rel + 0.9): trec_eval's conversion of a recall or R multiple to a
// number of documents. Saturates instead of overflowing on absurd parameters.
int64_t CutoffOfFraction(double fraction, int64_t num_rel) {
  const double v = fraction * static_cast<double>(num_rel) + 0.9;
  if (!(v < 9.2e18)) return v > 0 ? std::numeric_limits<int64_t>::max() : 0;
  if (v <= -9.2e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

double SetPrecision(const RankedJudgments& r) {
  return r.num_ret() ? double(r.num_rel_ret) / double(r.num_ret()) : 0.0;
}

// Interpolated precision at the given recall fractions (ascending), trec_eval's walk from the
// bottom of the ranking; `emit(cut_index, value)` gets each cutoff's value (unset ones stay 0).
template <typename Emit>
void InterpolatedPrecision(const RankedJudgments& r, std::span<const double> fractions, Emit emit) {
  const int64_t n = static_cast<int64_t>(fractions.size());
  std::vector<int64_t> cutoffs(fractions.size());
  for (int64_t i = 0; i < n; ++i) cutoffs[i] = CutoffOfFraction(fractions[i], r.num_rel);
  int64_t cut = n - 1;
  while (cut >= 0 && cutoffs[cut] > r.num_rel_ret) --cut;
  double int_precis = SetPrecision(r);
  int64_t rel_so_far = r.num_rel_ret;
  for (int64_t i = r.num_ret(); i > 0 && rel_so_far > 0; --i) {
    const double precis = double(rel_so_far) / double(i);
    if (int_precis < precis) int_precis = precis;
    if (IsRel(r, r.rels[i - 1])) {
      while (cut >= 0 && rel_so_far == cutoffs[cut]) emit(cut--, int_precis);
      --rel_so_far;
    }
  }
  while (cut >= 0) emit(cut--, int_precis);
}

void RprecMult(const RankedJudgments& r, std::span<const double> multiples, std::span<double> out) {
  const int64_t n = static_cast<int64_t>(multiples.size());
  std::vector<int64_t> cutoffs(multiples.size());
  for (int64_t i = 0; i < n; ++i) cutoffs[i] = CutoffOfFraction(multiples[i], r.num_rel);
  int64_t cut = n - 1;
  // Beyond the end of the ranking the missing documents count as non-relevant.
  while (cut >= 0 && cutoffs[cut] > r.num_ret()) {
    out[cut] = double(r.num_rel_ret) / double(cutoffs[cut]);
    --cut;
  }
  int64_t rel_so_far = r.num_rel_ret;
  for (int64_t i = r.num_ret(); i > 0 && rel_so_far > 0; --i) {
    const double precis = double(rel_so_far) / double(i);
    while (cut >= 0 && i == cutoffs[cut]) out[cut--] = precis;
    if (IsRel(r, r.rels[i - 1])) --rel_so_far;
  }
}

// ---- Gains of ndcg, ndcg_rel, Rndcg and G (trec_eval's setup_gains / get_gain). ----

struct RelGain {
  int64_t level;
  int64_t num_at_level;
  double gain;
};

// Every judged level (value >= 0) with its count, gain = the value unless overridden; override
// levels no judgment has are kept with count 0. Sorted by gain ascending.
std::vector<RelGain> SetupGains(const RankedJudgments& r, std::span<const GainOverride> overrides) {
  std::vector<RelGain> gains;
  for (const GainOverride& o : overrides) {
    // Levels were validated as integers by the parser; trec_eval skips any that is not.
    char* end = nullptr;
    const long long level = std::strtoll(o.level.c_str(), &end, 10);
    if (o.level.empty() || *end != '\0') continue;
    gains.push_back({level, 0, o.gain});
  }
  const size_t num_overrides = gains.size();
  for (const auto& [value, count] : r.rel_levels) {
    size_t j = 0;
    while (j < num_overrides && gains[j].level != value) ++j;
    if (j < num_overrides) {
      gains[j].num_at_level = count;
    } else {
      gains.push_back({value, count, double(value)});
    }
  }
  std::stable_sort(gains.begin(), gains.end(),
                   [](const RelGain& a, const RelGain& b) { return a.gain < b.gain; });
  return gains;
}

double GainOf(int64_t level, const std::vector<RelGain>& gains) {
  for (const RelGain& g : gains) {
    if (g.level == level) return g.gain;
  }
  return 0.0;
}

// Walks the ideal ranking: the gain levels from the highest gain down, each repeated
// num_at_level times. Next() returns the gain at the next ideal rank (<= 0 once exhausted).
class IdealWalk {
 public:
  explicit IdealWalk(const std::vector<RelGain>& gains)
      : gains_(gains),
        level_(static_cast<int64_t>(gains.size()) - 1),
        gain_(level_ >= 0 ? gains[level_].gain : 0.0) {}
  double gain() const { return gain_; }
  double Next() {
    ++num_at_level_;
    while (level_ >= 0 && num_at_level_ > gains_[level_].num_at_level) {
      num_at_level_ = 1;
      --level_;
      gain_ = level_ >= 0 ? gains_[level_].gain : 0.0;
    }
    return gain_;
  }

 private:
  const std::vector<RelGain>& gains_;
  int64_t level_;
  double gain_;
  int64_t num_at_level_ = 0;
};

double Discount(int64_t index0) { return std::log2(double(index0 + 2)); }

double NdcgWithGains(const RankedJudgments& r, std::span<const GainOverride> overrides) {
  const std::vector<RelGain> gains = SetupGains(r, overrides);
  IdealWalk ideal(gains);
  double results_dcg = 0, ideal_dcg = 0;
  int64_t i = 0;
  for (; i < r.num_ret() && ideal.gain() > 0.0; ++i) {
    const double g = GainOf(r.rels[i], gains);
    if (g != 0) results_dcg += g / Discount(i);
    const double ig = ideal.Next();
    if (ig > 0.0) ideal_dcg += ig / Discount(i);
  }
  for (; i < r.num_ret(); ++i) {
    const double g = GainOf(r.rels[i], gains);
    if (g != 0) results_dcg += g / Discount(i);
  }
  for (; ideal.gain() > 0.0; ++i) {
    const double ig = ideal.Next();
    if (ig > 0.0) ideal_dcg += ig / Discount(i);
  }
  return ideal_dcg > 0.0 ? results_dcg / ideal_dcg : 0.0;
}

// nDCG averaged at every relevant document (trec_eval's ndcg_rel).
double NdcgRel(const RankedJudgments& r, std::span<const GainOverride> overrides) {
  const std::vector<RelGain> gains = SetupGains(r, overrides);
  IdealWalk ideal(gains);
  double results_dcg = 0, ideal_dcg = 0, sum = 0;
  int64_t num_rel = 0, num_rel_ret = 0, i = 0;
  for (; i < r.num_ret() && ideal.gain() > 0.0; ++i) {
    const double g = GainOf(r.rels[i], gains);
    if (g != 0) results_dcg += g / Discount(i);
    const double ig = ideal.Next();
    if (ig > 0.0) {
      ++num_rel;
      ideal_dcg += ig / Discount(i);
    }
    if (g > 0) {
      if (ideal_dcg > 0) sum += results_dcg / ideal_dcg;
      ++num_rel_ret;
    }
  }
  for (; i < r.num_ret(); ++i) {
    const double g = GainOf(r.rels[i], gains);
    if (g != 0) results_dcg += g / Discount(i);
    if (g > 0) {
      if (ideal_dcg > 0) sum += results_dcg / ideal_dcg;
      ++num_rel_ret;
    }
  }
  for (; ideal.gain() > 0.0; ++i) {
    const double ig = ideal.Next();
    if (ig > 0.0) {
      ++num_rel;
      ideal_dcg += ig / Discount(i);
    }
  }
  if (ideal_dcg > 0) sum += double(num_rel - num_rel_ret) * results_dcg / ideal_dcg;
  return sum > 0.0 ? sum / double(num_rel) : 0.0;
}

// nDCG averaged at the ranks where the ideal gain changes (trec_eval's Rndcg).
double Rndcg(const RankedJudgments& r, std::span<const GainOverride> overrides) {
  const std::vector<RelGain> gains = SetupGains(r, overrides);
  if (r.num_rel == 0) return 0;
  IdealWalk ideal(gains);
  double results_dcg = 0, ideal_dcg = 0, sum = 0, old_ideal_gain = ideal.gain();
  int64_t num_changed = 0, i = 0;
  for (; i < r.num_ret() && ideal.gain() > 0.0; ++i) {
    const double g = GainOf(r.rels[i], gains);
    const double ig = ideal.Next();
    if (old_ideal_gain != ig) {
      if (ideal_dcg > 0.0) {
        sum += results_dcg / ideal_dcg;
        ++num_changed;
      }
      old_ideal_gain = ig;
    }
    if (g != 0) results_dcg += g / Discount(i);
    if (ig > 0.0) ideal_dcg += ig / Discount(i);
  }
  if (i < r.num_ret()) {
    for (; i < r.num_ret(); ++i) {
      const double g = GainOf(r.rels[i], gains);
      if (g != 0) results_dcg += g / Discount(i);
    }
    if (ideal_dcg > 0.0) {
      sum += results_dcg / ideal_dcg;
      ++num_changed;
    }
  }
  for (; ideal.gain() > 0.0; ++i) {
    const double ig = ideal.Next();
    if (old_ideal_gain != ig) {
      if (ideal_dcg > 0.0) {
        sum += results_dcg / ideal_dcg;
        ++num_changed;
      }
      old_ideal_gain = ig;
    }
    if (ig > 0.0) ideal_dcg += ig / Discount(i);
  }
  return num_changed > 0 ? sum / double(num_changed) : 0.0;
}

// Normalised gain G (trec_eval's experimental G): gain / log2(2 + ideal cost - results gain).
double GMeasure(const RankedJudgments& r, std::span<const GainOverride> overrides) {
  const std::vector<RelGain> gains = SetupGains(r, overrides);
  IdealWalk ideal(gains);
  const double min_cost = 1.0;
  double results_g = 0, sum_results = 0, sum_ideal = 0, sum_cost = 0;
  int64_t i = 0;
  for (; i < r.num_ret() && ideal.gain() > 0.0; ++i) {
    const double g = GainOf(r.rels[i], gains);
    sum_results += g;
    const double ig = ideal.Next();
    if (ig > 0.0) sum_ideal += ig;
    sum_cost += ig >= min_cost ? ig : min_cost;
    if (g != 0) results_g += g / std::log2(2 + sum_cost - sum_results);
  }
  for (; i < r.num_ret(); ++i) {
    const double g = GainOf(r.rels[i], gains);
    sum_results += g;
    sum_cost += min_cost;
    if (g != 0) results_g += g / std::log2(2 + sum_cost - sum_results);
  }
  while (ideal.gain() > 0.0) {
    const double ig = ideal.Next();
    if (ig > 0.0) sum_ideal += ig;
  }
  return sum_ideal > 0.0 ? results_g / sum_ideal : 0.0;
}

double BinaryG(const RankedJudgments& r) {
  int64_t rel_so_far = 0;
  double sum = 0;
  for (int64_t i = 0; i < r.num_ret(); ++i) {
    if (IsRel(r, r.rels[i])) {
      ++rel_so_far;
      sum += 1.0 / std::log2(double(3 + i - rel_so_far));
    }
  }
  return rel_so_far ? sum / double(r.num_rel) : 0.0;
}

double MapAt(const RankedJudgments& r, int64_t k) {
  if (r.num_rel == 0) return 0;
  double sum = 0;
  int64_t rel_so_far = 0;
  for (int64_t i = 0, n = std::min(k, r.num_ret()); i < n; ++i) {
    if (IsRel(r, r.rels[i])) {
      ++rel_so_far;
      sum += double(rel_so_far) / double(i + 1);
    }
  }
  return sum / double(r.num_rel);
}

double RelativePrecisionAt(const RankedJudgments& r, int64_t k) {
  if (r.num_rel == 0) return 0;
  return double(RelevantInTop(r, k)) / double(std::min(k, r.num_rel));
}

double Utility(const RankedJudgments& r, std::span<const double> c, int64_t num_docs_in_coll) {
  return c[0] * double(r.num_rel_ret) + c[1] * double(r.num_ret() - r.num_rel_ret) +
         c[2] * double(r.num_rel - r.num_rel_ret) +
         c[3] * double(num_docs_in_coll + r.num_rel_ret - r.num_ret() - r.num_rel);
}

double ElevenPointAverage(const RankedJudgments& r, std::span<const double> fractions) {
  double sum = 0;
  InterpolatedPrecision(r, fractions, [&sum](int64_t, double v) { sum += v; });
  return sum / double(fractions.size());
}

double SetF(const RankedJudgments& r, double beta) {
  if (r.num_rel_ret == 0) return 0;
  const double p = double(r.num_rel_ret) / double(r.num_ret());
  const double rec = double(r.num_rel_ret) / double(r.num_rel);
  return (beta + 1.0) * p * rec / (beta * p + rec);
}

std::string Relstring(const RankedJudgments& r, double length) {
  int64_t len = length >= 9.2e18 ? r.num_ret() : static_cast<int64_t>(length);
  len = std::max<int64_t>(0, std::min(len, r.num_ret()));
  std::string s;
  for (int64_t i = 0; i < len; ++i) {
    const int32_t rel = r.rels[i];
    if (rel > 9) {
      s += '>';
    } else if (rel >= 0) {
      s += static_cast<char>('0' + rel);
    } else if (rel == kRelNonPool) {
      s += '-';
    } else if (rel == kRelUnjudged) {
      s += '.';
    } else {
      s += '<';
    }
  }
  return s;
}

}  // namespace

double AveragePrecision(const RankedJudgments& r) {
  double sum = 0;
  int64_t rel_so_far = 0;
  for (int64_t i = 0; i < r.num_ret(); ++i) {
    if (IsRel(r, r.rels[i])) {
      ++rel_so_far;
      sum += double(rel_so_far) / double(i + 1);
    }
  }
  return rel_so_far ? sum / double(r.num_rel) : 0.0;
}

double PrecisionAt(const RankedJudgments& r, int64_t k) {
  return double(RelevantInTop(r, k)) / double(k);
}

double RecallAt(const RankedJudgments& r, int64_t k) {
  if (r.num_rel == 0) return 0;
  return double(RelevantInTop(r, k)) / double(r.num_rel);
}

double NdcgAt(const RankedJudgments& r, int64_t k) {
  double dcg = 0;
  for (int64_t i = 0, n = std::min(k, r.num_ret()); i < n; ++i) {
    const double gain = r.rels[i];
    if (gain > 0) dcg += gain / Discount(i);
  }
  // The ideal ranking: every positive judgment, highest first (not limited by -M).
  double ideal = 0;
  int64_t i = 0;
  for (auto it = r.rel_levels.rbegin(); it != r.rel_levels.rend() && it->first > 0; ++it) {
    for (int64_t c = 0; c < it->second && i < k; ++c, ++i) ideal += double(it->first) / Discount(i);
  }
  return ideal > 0.0 ? dcg / ideal : dcg;
}

double Ndcg(const RankedJudgments& r) { return NdcgWithGains(r, {}); }

double Bpref(const RankedJudgments& r) {
  double bpref = 0;
  int64_t nonrel_so_far = 0;
  const double denom = double(std::min(r.num_nonrel, r.num_rel));
  for (int32_t rel : r.rels) {
    if (rel == kRelNonPool || rel == kRelUnjudged) continue;  // bpref looks at judged docs only
    if (rel >= 0 && rel < r.relevance_level) {
      ++nonrel_so_far;
    } else if (nonrel_so_far > 0) {
      bpref += 1.0 - double(std::min(nonrel_so_far, r.num_rel)) / denom;
    } else {
      bpref += 1.0;
    }
  }
  return r.num_rel ? bpref / double(r.num_rel) : bpref;
}

double ReciprocalRank(const RankedJudgments& r) {
  for (int64_t i = 0; i < r.num_ret(); ++i) {
    if (IsRel(r, r.rels[i])) return 1.0 / double(i + 1);
  }
  return 0;
}

double RPrecision(const RankedJudgments& r) {
  const int64_t n = std::min(r.num_ret(), r.num_rel);
  if (n == 0) return 0;
  return double(RelevantInTop(r, n)) / double(r.num_rel);
}

double InferredAP(const RankedJudgments& r) {
  int64_t nonrel_so_far = 0, rel_so_far = 0, pool_unjudged_so_far = 0;
  double inf_ap = 0;
  for (int64_t j = 0; j < r.num_ret(); ++j) {
    const int32_t rel = r.rels[j];
    if (rel == kRelNonPool) continue;
    if (rel == kRelUnjudged) {
      ++pool_unjudged_so_far;
      continue;
    }
    if (rel >= 0 && rel < r.relevance_level) {
      ++nonrel_so_far;
      continue;
    }
    ++rel_so_far;
    if (j == 0) {
      inf_ap += 1.0;
    } else {
      // Precision above this document: the judged part as measured, the unjudged part assumed
      // relevant in the same proportion (Yilmaz & Aslam), written as trec_eval writes it.
      const double fj = double(j);
      inf_ap += 1.0 / (fj + 1.0) +
                (fj / (fj + 1.0)) *
                    (double(rel_so_far - 1 + nonrel_so_far + pool_unjudged_so_far) / fj) *
                    ((double(rel_so_far - 1) + kInfApEpsilon) /
                     (double(rel_so_far - 1 + nonrel_so_far) + 2 * kInfApEpsilon));
    }
  }
  return r.num_rel ? inf_ap / double(r.num_rel) : inf_ap;
}

double SuccessAt(const RankedJudgments& r, int64_t k) { return RelevantInTop(r, k) ? 1.0 : 0.0; }

double JudgedAt(const RankedJudgments& r, int64_t k) {
  const int64_t n = std::min(k, r.num_ret());
  if (n == 0) return 0;
  int64_t judged = 0;
  for (int64_t i = 0; i < n; ++i) judged += r.rels[i] >= 0;
  return double(judged) / double(n);
}

void ComputeMeasure(const MeasureRequest& req, const RankedJudgments& r, int64_t num_docs_in_coll,
                    std::span<double> out, std::string* text) {
  std::fill(out.begin(), out.end(), 0.0);
  const std::vector<int64_t>& ks = req.cutoffs;
  auto per_cutoff = [&](auto fn) {
    for (size_t c = 0; c < ks.size(); ++c) out[c] = fn(r, ks[c]);
  };
  switch (req.measure) {
    case Measure::kRunid:
      return;
    case Measure::kNumQ:
      out[0] = 1;
      return;
    case Measure::kNumRet:
      out[0] = double(r.num_ret());
      return;
    case Measure::kNumRel:
      out[0] = double(r.num_rel);
      return;
    case Measure::kNumRelRet:
      out[0] = double(r.num_rel_ret);
      return;
    case Measure::kMap:
    case Measure::kGmMap:  // the geometric mean is taken over the queries' AP
      out[0] = AveragePrecision(r);
      return;
    case Measure::kRprec:
      out[0] = RPrecision(r);
      return;
    case Measure::kBpref:
    case Measure::kGmBpref:
      out[0] = Bpref(r);
      return;
    case Measure::kRecipRank:
      out[0] = ReciprocalRank(r);
      return;
    case Measure::kIprecAtRecall:
      InterpolatedPrecision(r, req.params, [&out](int64_t c, double v) { out[c] = v; });
      return;
    case Measure::kP:
      per_cutoff(PrecisionAt);
      return;
    case Measure::kRelstring:
      if (text != nullptr) *text = Relstring(r, req.params.empty() ? 10.0 : req.params[0]);
      return;
    case Measure::kRecall:
      per_cutoff(RecallAt);
      return;
    case Measure::kInfAP:
      out[0] = InferredAP(r);
      return;
    case Measure::kRprecMult:
      RprecMult(r, req.params, out);
      return;
    case Measure::kUtility:
      out[0] = Utility(r, req.params, num_docs_in_coll);
      return;
    case Measure::k11ptAvg:
      out[0] = ElevenPointAverage(r, req.params);
      return;
    case Measure::kBinG:
      out[0] = BinaryG(r);
      return;
    case Measure::kG:
      out[0] = GMeasure(r, req.gains);
      return;
    case Measure::kNdcg:
      out[0] = NdcgWithGains(r, req.gains);
      return;
    case Measure::kNdcgRel:
      out[0] = NdcgRel(r, req.gains);
      return;
    case Measure::kRndcg:
      out[0] = Rndcg(r, req.gains);
      return;
    case Measure::kNdcgCut:
      per_cutoff(NdcgAt);
      return;
    case Measure::kMapCut:
      per_cutoff(MapAt);
      return;
    case Measure::kRelativeP:
      per_cutoff(RelativePrecisionAt);
      return;
    case Measure::kSuccess:
      per_cutoff(SuccessAt);
      return;
    case Measure::kSetP:
      out[0] = SetPrecision(r);
      return;
    case Measure::kSetRelativeP:
      out[0] = r.num_ret() && r.num_rel
                   ? double(r.num_rel_ret) / double(std::min(r.num_ret(), r.num_rel))
                   : 0.0;
      return;
    case Measure::kSetRecall:
      out[0] = r.num_rel ? double(r.num_rel_ret) / double(r.num_rel) : 0.0;
      return;
    case Measure::kSetMap:
      out[0] = r.num_ret() && r.num_rel ? (double(r.num_rel_ret) * double(r.num_rel_ret)) /
                                              (double(r.num_ret()) * double(r.num_rel))
                                        : 0.0;
      return;
    case Measure::kSetF:
      out[0] = SetF(r, req.params.empty() ? 1.0 : req.params[0]);
      return;
    case Measure::kNumNonrelJudgedRet:
      out[0] = double(r.num_ret() - r.num_nonpool - r.num_unjudged - r.num_rel_ret);
      return;
    case Measure::kJudged:
      per_cutoff(JudgedAt);
      return;
  }
}

}  // namespace scour::eval
