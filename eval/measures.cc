#include "eval/measures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "base/string_view.h"

namespace scour::eval {
namespace {

using PK = ParamKind;
using SK = SummaryKind;

//                name                     measure                    params             summary
//                per_q  int    off    all_trec
constexpr MeasureInfo kMeasures[] = {
    {"runid", Measure::kRunid, PK::kNone, SK::kRunTag, false, false, true, true},
    {"num_q", Measure::kNumQ, PK::kNone, SK::kNumQ, false, true, true, true},
    {"num_ret", Measure::kNumRet, PK::kNone, SK::kSum, true, true, true, true},
    {"num_rel", Measure::kNumRel, PK::kNone, SK::kSum, true, true, true, true},
    {"num_rel_ret", Measure::kNumRelRet, PK::kNone, SK::kSum, true, true, true, true},
    {"map", Measure::kMap, PK::kNone, SK::kMean, true, false, true, true},
    {"gm_map", Measure::kGmMap, PK::kNone, SK::kGeometricMean, false, false, true, true},
    {"Rprec", Measure::kRprec, PK::kNone, SK::kMean, true, false, true, true},
    {"bpref", Measure::kBpref, PK::kNone, SK::kMean, true, false, true, true},
    {"recip_rank", Measure::kRecipRank, PK::kNone, SK::kMean, true, false, true, true},
    {"iprec_at_recall", Measure::kIprecAtRecall, PK::kDoubleCutoffs, SK::kMean, true, false, true,
     true},
    {"P", Measure::kP, PK::kLongCutoffs, SK::kMean, true, false, true, true},
    {"relstring", Measure::kRelstring, PK::kDoubleParams, SK::kNone, true, false, false, true},
    {"recall", Measure::kRecall, PK::kLongCutoffs, SK::kMean, true, false, false, true},
    {"infAP", Measure::kInfAP, PK::kNone, SK::kMean, true, false, false, true},
    {"gm_bpref", Measure::kGmBpref, PK::kNone, SK::kGeometricMean, false, false, false, true},
    {"Rprec_mult", Measure::kRprecMult, PK::kDoubleCutoffs, SK::kMean, true, false, false, true},
    {"utility", Measure::kUtility, PK::kDoubleParams, SK::kMean, true, false, false, true},
    {"11pt_avg", Measure::k11ptAvg, PK::kDoubleParams, SK::kMean, true, false, false, true},
    {"binG", Measure::kBinG, PK::kNone, SK::kMean, true, false, false, true},
    {"G", Measure::kG, PK::kGainPairs, SK::kMean, true, false, false, true},
    {"ndcg", Measure::kNdcg, PK::kGainPairs, SK::kMean, true, false, false, true},
    {"ndcg_rel", Measure::kNdcgRel, PK::kGainPairs, SK::kMean, true, false, false, true},
    {"Rndcg", Measure::kRndcg, PK::kGainPairs, SK::kMean, true, false, false, true},
    {"ndcg_cut", Measure::kNdcgCut, PK::kLongCutoffs, SK::kMean, true, false, false, true},
    {"map_cut", Measure::kMapCut, PK::kLongCutoffs, SK::kMean, true, false, false, true},
    {"relative_P", Measure::kRelativeP, PK::kLongCutoffs, SK::kMean, true, false, false, true},
    {"success", Measure::kSuccess, PK::kLongCutoffs, SK::kMean, true, false, false, true},
    {"set_P", Measure::kSetP, PK::kNone, SK::kMean, true, false, false, true},
    {"set_relative_P", Measure::kSetRelativeP, PK::kNone, SK::kMean, true, false, false, true},
    {"set_recall", Measure::kSetRecall, PK::kNone, SK::kMean, true, false, false, true},
    {"set_map", Measure::kSetMap, PK::kNone, SK::kMean, true, false, false, true},
    {"set_F", Measure::kSetF, PK::kDoubleParams, SK::kMean, true, false, false, true},
    {"num_nonrel_judged_ret", Measure::kNumNonrelJudgedRet, PK::kNone, SK::kSum, true, true, false,
     true},
    {"judged", Measure::kJudged, PK::kLongCutoffs, SK::kMean, true, false, false, false},
};

// trec_eval's "set" nickname.
constexpr Measure kSetNickname[] = {Measure::kRunid,  Measure::kNumQ,      Measure::kNumRet,
                                    Measure::kNumRel, Measure::kNumRelRet, Measure::kUtility,
                                    Measure::kSetP,   Measure::kSetRecall, Measure::kSetRelativeP,
                                    Measure::kSetMap, Measure::kSetF};

// trec_eval's default parameters (the C doubles of its tables).
constexpr double kElevenRecallPoints[] = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
constexpr double kRprecMultipliers[] = {0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0};
constexpr int64_t kSuccessCutoffs[] = {1, 5, 10};
constexpr double kUtilityCoefficients[] = {1.0, -1.0, 0.0, 0.0};
constexpr double kSetFBeta[] = {1.0};
constexpr double kRelstringLength[] = {10.0};

bool HasCutoffParams(ParamKind k) { return k == PK::kLongCutoffs || k == PK::kDoubleCutoffs; }

absl::Status AddParam(MeasureRequest* req, absl::string_view item) {
  const MeasureInfo& info = InfoOf(req->measure);
  const std::string where = absl::StrCat(Av(info.name), " parameter '", item, "'");
  switch (info.params) {
    case PK::kNone:
      return absl::InvalidArgumentError(
          absl::StrCat("measure ", Av(info.name), " takes no parameters"));
    case PK::kLongCutoffs: {
      int64_t k;
      if (!absl::SimpleAtoi(item, &k) || k <= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": a cutoff must be a positive integer"));
      }
      req->cutoffs.push_back(k);
      break;
    }
    case PK::kDoubleCutoffs:
    case PK::kDoubleParams: {
      double v;
      if (!absl::SimpleAtod(item, &v) || !std::isfinite(v)) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": not a finite number"));
      }
      req->params.push_back(v);
      break;
    }
    case PK::kGainPairs: {
      std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(item, '=');
      int64_t level;
      double gain;
      if (item.find('=') == absl::string_view::npos || !absl::SimpleAtoi(kv.first, &level) ||
          !absl::SimpleAtod(kv.second, &gain) || !std::isfinite(gain)) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": expected LEVEL=GAIN with an integer level"));
      }
      req->gains.push_back(GainOverride{std::string(kv.first), gain});
      break;
    }
  }
  if (!req->param_text.empty()) req->param_text += ",";
  req->param_text.append(item.data(), item.size());
  return absl::OkStatus();
}

std::string FormatDouble(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

}  // namespace

std::span<const MeasureInfo> AllMeasures() { return kMeasures; }

const MeasureInfo& InfoOf(Measure m) { return kMeasures[static_cast<size_t>(m)]; }

const MeasureInfo* FindMeasure(std::string_view name) {
  for (const MeasureInfo& m : kMeasures) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

bool IsPerQueryMean(Measure m) {
  const MeasureInfo& i = InfoOf(m);
  return i.summary == SK::kMean && !i.integral;
}

std::vector<MeasureRequest> DefaultMeasures(std::span<const int64_t> cutoffs) {
  std::vector<MeasureRequest> out;
  for (const MeasureInfo& m : kMeasures) {
    if (!m.official) continue;
    MeasureRequest r{m.measure, {}, {}, {}, {}};
    if (m.measure == Measure::kP) r.cutoffs.assign(cutoffs.begin(), cutoffs.end());
    out.push_back(std::move(r));
  }
  auto resolved = ResolveMeasures(out, cutoffs);
  return resolved.ok() ? *std::move(resolved) : out;
}

absl::StatusOr<std::vector<MeasureRequest>> ParseMeasureList(
    std::string_view list, std::span<const int64_t> default_cutoffs) {
  absl::StatusOr<std::vector<MeasureRequest>> items = ParseMeasureItems(list);
  if (!items.ok()) return items.status();
  return ResolveMeasures(*items, default_cutoffs);
}

absl::StatusOr<std::vector<MeasureRequest>> ParseMeasureItems(std::string_view list_in) {
  const absl::string_view list = Av(list_in);
  std::vector<MeasureRequest> out;
  bool continuable = false;  // the last item was "NAME.PARAM": bare items extend its parameters
  auto add_all = [&](auto pred) {
    for (const MeasureInfo& m : kMeasures) {
      if (pred(m)) out.push_back(MeasureRequest{m.measure, {}, {}, {}, {}});
    }
  };
  for (absl::string_view raw : absl::StrSplit(list, ',')) {
    absl::string_view tok = absl::StripAsciiWhitespace(raw);
    if (tok.empty()) return absl::InvalidArgumentError("empty item in the measure list");
    if (tok == "official") {
      add_all([](const MeasureInfo& m) { return m.official; });
      continuable = false;
      continue;
    }
    if (tok == "all_trec" || tok == "all") {
      add_all([](const MeasureInfo& m) { return m.all_trec; });
      continuable = false;
      continue;
    }
    if (tok == "set") {
      for (Measure m : kSetNickname) out.push_back(MeasureRequest{m, {}, {}, {}, {}});
      continuable = false;
      continue;
    }
    const size_t dot = tok.find('.');
    const absl::string_view name = tok.substr(0, dot);
    if (const MeasureInfo* m = FindMeasure(std::string_view(name.data(), name.size()))) {
      out.push_back(MeasureRequest{m->measure, {}, {}, {}, {}});
      continuable = dot != absl::string_view::npos;
      if (continuable) {
        absl::string_view param = tok.substr(dot + 1);
        if (param.empty()) {
          return absl::InvalidArgumentError(absl::StrCat("empty parameter in '", tok, "'"));
        }
        if (absl::Status s = AddParam(&out.back(), param); !s.ok()) return s;
      }
      continue;
    }
    // Output spelling of a cutoff column: P_10, ndcg_cut_20, iprec_at_recall_0.10.
    if (size_t us = tok.rfind('_'); us != absl::string_view::npos) {
      absl::string_view base = tok.substr(0, us);
      const MeasureInfo* m = FindMeasure(std::string_view(base.data(), base.size()));
      if (m != nullptr && HasCutoffParams(m->params) && us + 1 < tok.size()) {
        out.push_back(MeasureRequest{m->measure, {}, {}, {}, {}});
        if (absl::Status s = AddParam(&out.back(), tok.substr(us + 1)); !s.ok()) return s;
        continuable = true;
        continue;
      }
    }
    if (continuable) {
      if (absl::Status s = AddParam(&out.back(), tok); !s.ok()) return s;
      continue;
    }
    return absl::InvalidArgumentError(absl::StrCat("unknown measure '", tok, "'"));
  }
  if (out.empty()) return absl::InvalidArgumentError("empty measure list");
  return out;
}

absl::StatusOr<std::vector<MeasureRequest>> ResolveMeasures(
    std::span<const MeasureRequest> requests, std::span<const int64_t> default_cutoffs) {
  std::vector<MeasureRequest> out;
  for (const MeasureInfo& info : kMeasures) {
    MeasureRequest merged{info.measure, {}, {}, {}, {}};
    bool wanted = false, explicit_params = false;
    for (const MeasureRequest& r : requests) {
      if (r.measure != info.measure) continue;
      wanted = true;
      const bool has = !r.cutoffs.empty() || !r.params.empty() || !r.gains.empty();
      if (!has) continue;
      if (info.params == PK::kNone) {
        return absl::InvalidArgumentError(
            absl::StrCat("measure ", Av(info.name), " takes no parameters"));
      }
      if (HasCutoffParams(info.params)) {
        merged.cutoffs.insert(merged.cutoffs.end(), r.cutoffs.begin(), r.cutoffs.end());
        merged.params.insert(merged.params.end(), r.params.begin(), r.params.end());
      } else if (!explicit_params) {
        merged.params = r.params;
        merged.gains = r.gains;
        merged.param_text = r.param_text;
      } else if (r.params != merged.params || r.param_text != merged.param_text) {
        return absl::InvalidArgumentError(
            absl::StrCat("measure ", Av(info.name), " given twice with different parameters"));
      }
      explicit_params = true;
    }
    if (!wanted) continue;
    MeasureRequest defaults{info.measure, {}, {}, {}, {}};
    {
      MeasureRequest& merged = defaults;  // fills the defaults below
      switch (info.measure) {
        case Measure::kSuccess:
          merged.cutoffs.assign(std::begin(kSuccessCutoffs), std::end(kSuccessCutoffs));
          break;
        case Measure::kIprecAtRecall:
        case Measure::k11ptAvg:
          merged.params.assign(std::begin(kElevenRecallPoints), std::end(kElevenRecallPoints));
          break;
        case Measure::kRprecMult:
          merged.params.assign(std::begin(kRprecMultipliers), std::end(kRprecMultipliers));
          break;
        case Measure::kUtility:
          merged.params.assign(std::begin(kUtilityCoefficients), std::end(kUtilityCoefficients));
          break;
        case Measure::kSetF:
          merged.params.assign(std::begin(kSetFBeta), std::end(kSetFBeta));
          break;
        case Measure::kRelstring:
          merged.params.assign(std::begin(kRelstringLength), std::end(kRelstringLength));
          break;
        default:
          if (info.params == PK::kLongCutoffs) {
            merged.cutoffs.assign(default_cutoffs.begin(), default_cutoffs.end());
          }
          break;
      }
    }
    if (!explicit_params) merged = defaults;
    if (info.params == PK::kLongCutoffs) {
      for (int64_t k : merged.cutoffs) {
        if (k <= 0) {
          return absl::InvalidArgumentError(absl::StrCat("cutoff must be positive: ", k));
        }
      }
      std::sort(merged.cutoffs.begin(), merged.cutoffs.end());
      merged.cutoffs.erase(std::unique(merged.cutoffs.begin(), merged.cutoffs.end()),
                           merged.cutoffs.end());
      if (merged.cutoffs.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(Av(info.name), " needs a cutoff"));
      }
    }
    if (info.params == PK::kDoubleCutoffs) {
      for (double v : merged.params) {
        if (!std::isfinite(v)) {
          return absl::InvalidArgumentError(absl::StrCat(Av(info.name), ": cutoff not finite"));
        }
      }
      std::sort(merged.params.begin(), merged.params.end());
      merged.params.erase(std::unique(merged.params.begin(), merged.params.end()),
                          merged.params.end());
      if (merged.params.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(Av(info.name), " needs a cutoff"));
      }
    }
    if (info.measure == Measure::kUtility && merged.params.size() != 4) {
      return absl::InvalidArgumentError(
          "utility takes exactly four coefficients (retrieved relevant, retrieved non-relevant, "
          "missed relevant, missed non-relevant)");
    }
    if ((info.measure == Measure::k11ptAvg || info.measure == Measure::kSetF ||
         info.measure == Measure::kRelstring) &&
        merged.params.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(Av(info.name), " needs a parameter"));
    }
    // Requests built in code (or resolved before) may carry parameters without their text:
    // name the column by them unless they are the defaults.
    if (merged.param_text.empty() && !HasCutoffParams(info.params) &&
        (merged.params != defaults.params || !merged.gains.empty())) {
      std::vector<std::string> parts;
      for (double v : merged.params) parts.push_back(absl::StrCat(v));
      for (const GainOverride& g : merged.gains)
        parts.push_back(absl::StrCat(g.level, "=", g.gain));
      merged.param_text = absl::StrJoin(parts, ",");
    }
    out.push_back(std::move(merged));
  }
  if (out.empty()) return absl::InvalidArgumentError("no measures requested");
  return out;
}

std::vector<std::string> ColumnNames(const MeasureRequest& r) {
  const MeasureInfo& info = InfoOf(r.measure);
  const std::string name(info.name);
  std::vector<std::string> out;
  switch (info.params) {
    case PK::kLongCutoffs:
      for (int64_t k : r.cutoffs) out.push_back(absl::StrCat(name, "_", k));
      break;
    case PK::kDoubleCutoffs:
      for (double v : r.params) out.push_back(absl::StrCat(name, "_", FormatDouble("%3.2f", v)));
      break;
    case PK::kDoubleParams:
    case PK::kGainPairs:
      out.push_back(r.param_text.empty() ? name : absl::StrCat(name, "_", r.param_text));
      break;
    case PK::kNone:
      out.push_back(name);
      break;
  }
  return out;
}

std::vector<std::string> AllTrecMeasureNames() {
  std::vector<std::string> out;
  for (const MeasureInfo& m : kMeasures) {
    if (m.all_trec) out.emplace_back(m.name);
  }
  return out;
}

}  // namespace scour::eval
