#include "eval/fusion.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/string_view.h"
#include "eval/ranking.h"

namespace scour::eval {
namespace {

// trec_eval's order: the score as a float descending, ties by docid descending (bytewise).
bool TrecOrder(const RunEntry& a, const RunEntry& b) {
  const float sa = RankingScore(a.score), sb = RankingScore(b.score);
  if (sa != sb) return sa > sb;
  return a.docid > b.docid;
}

// One document's contribution from one run.
struct Contribution {
  std::string_view docid;
  double value;
  size_t run;  // the order contributions are summed in
};

// Scores of one run's kept documents, normalised in place.
void Normalize(FusionNorm norm, std::vector<double>* s) {
  const size_t n = s->size();
  if (n == 0 || norm == FusionNorm::kNone) return;
  const double lo = *std::min_element(s->begin(), s->end());
  const double hi = *std::max_element(s->begin(), s->end());
  switch (norm) {
    case FusionNorm::kNone:
      return;
    case FusionNorm::kMinMax:
      for (double& v : *s) v = hi == lo ? 1.0 : (v - lo) / (hi - lo);
      return;
    case FusionNorm::kSum: {
      double total = 0;
      for (double v : *s) total += v - lo;
      for (double& v : *s) v = total == 0 ? 1.0 / static_cast<double>(n) : (v - lo) / total;
      return;
    }
    case FusionNorm::kZScore: {
      double mean = 0;
      for (double v : *s) mean += v;
      mean /= static_cast<double>(n);
      double var = 0;
      for (double v : *s) var += (v - mean) * (v - mean);
      const double sd = std::sqrt(var / static_cast<double>(n));
      for (double& v : *s) v = sd == 0 ? 0.0 : (v - mean) / sd;
      return;
    }
  }
}

}  // namespace

absl::StatusOr<FusionMethod> ParseFusionMethod(std::string_view name) {
  if (name == "rrf") return FusionMethod::kRrf;
  if (name == "combsum") return FusionMethod::kCombSum;
  if (name == "combmnz") return FusionMethod::kCombMnz;
  if (name == "linear") return FusionMethod::kLinear;
  return absl::InvalidArgumentError(absl::StrCat("unknown fusion method '", Av(name),
                                                 "' (expected rrf, combsum, combmnz or linear)"));
}

absl::StatusOr<FusionNorm> ParseFusionNorm(std::string_view name) {
  if (name == "none") return FusionNorm::kNone;
  if (name == "minmax") return FusionNorm::kMinMax;
  if (name == "sum") return FusionNorm::kSum;
  if (name == "zscore") return FusionNorm::kZScore;
  return absl::InvalidArgumentError(absl::StrCat("unknown normalisation '", Av(name),
                                                 "' (expected minmax, sum, zscore or none)"));
}

std::string_view FusionMethodName(FusionMethod method) {
  switch (method) {
    case FusionMethod::kRrf:
      return "rrf";
    case FusionMethod::kCombSum:
      return "combsum";
    case FusionMethod::kCombMnz:
      return "combmnz";
    case FusionMethod::kLinear:
      return "linear";
  }
  return "?";
}

absl::Status ValidateFusionOptions(const FusionOptions& o, size_t num_runs) {
  if (num_runs < 2)
    return absl::InvalidArgumentError(
        absl::StrCat("fusion needs at least two runs, got ", num_runs));
  if (o.method == FusionMethod::kRrf) {
    if (!std::isfinite(o.rrf_k) || o.rrf_k < 0)
      return absl::InvalidArgumentError(
          absl::StrCat("rrf k must be a finite number >= 0, got ", o.rrf_k));
    if (o.norm.has_value())
      return absl::InvalidArgumentError("normalisation applies to scores; rrf reads ranks");
  }
  if (o.method == FusionMethod::kLinear && o.weights.empty())
    return absl::InvalidArgumentError("linear fusion needs weights, one per run");
  if (!o.weights.empty()) {
    if (o.weights.size() != num_runs)
      return absl::InvalidArgumentError(
          absl::StrCat(o.weights.size(), " weights for ", num_runs, " runs"));
    bool positive = false;
    for (size_t i = 0; i < o.weights.size(); ++i) {
      if (!std::isfinite(o.weights[i]) || o.weights[i] < 0)
        return absl::InvalidArgumentError(
            absl::StrCat("weight ", i + 1, " is ", o.weights[i], "; weights are finite and >= 0"));
      positive |= o.weights[i] > 0;
    }
    if (!positive) return absl::InvalidArgumentError("every weight is 0");
  }
  if (o.input_depth < 0) return absl::InvalidArgumentError("input depth must be >= 0 (0 = all)");
  if (o.depth < 0) return absl::InvalidArgumentError("depth must be >= 0 (0 = all)");
  return absl::OkStatus();
}

absl::StatusOr<Run> FuseRuns(const std::vector<Run>& runs, const FusionOptions& o) {
  if (absl::Status s = ValidateFusionOptions(o, runs.size()); !s.ok()) return s;
  const FusionNorm norm =
      o.norm.value_or(o.method == FusionMethod::kRrf ? FusionNorm::kNone : FusionNorm::kMinMax);
  // The union of the runs' qids; each run's queries are sorted by qid.
  std::vector<std::string_view> qids;
  for (const Run& r : runs)
    for (const RunQuery& q : r.queries) qids.push_back(q.qid);
  std::sort(qids.begin(), qids.end());
  qids.erase(std::unique(qids.begin(), qids.end()), qids.end());

  Run out;
  out.tag = o.tag.empty() ? absl::StrCat("scour-fuse-", Av(FusionMethodName(o.method))) : o.tag;
  out.source = "fused";
  std::vector<const RunEntry*> ranked;
  std::vector<double> scores;
  std::vector<Contribution> parts;
  for (std::string_view qid : qids) {
    parts.clear();
    for (size_t i = 0; i < runs.size(); ++i) {
      const RunQuery* q = runs[i].Find(qid);
      if (q == nullptr) continue;
      // Pointers into the runs: the contributions' docids view those strings.
      ranked.clear();
      for (const RunEntry& e : q->entries) ranked.push_back(&e);
      std::sort(ranked.begin(), ranked.end(),
                [](const RunEntry* a, const RunEntry* b) { return TrecOrder(*a, *b); });
      {  // a docid twice would be counted twice
        std::vector<const RunEntry*> by_id = ranked;
        std::sort(by_id.begin(), by_id.end(), [](const RunEntry* a, const RunEntry* b) {
          return a->docid != b->docid ? a->docid < b->docid : a->line < b->line;
        });
        for (size_t j = 1; j < by_id.size(); ++j) {
          if (by_id[j]->docid == by_id[j - 1]->docid)
            return absl::InvalidArgumentError(absl::StrCat(
                runs[i].source, ":", by_id[j]->line, ": document ", by_id[j]->docid,
                " twice in query ", Av(qid), " (first at line ", by_id[j - 1]->line, ")"));
        }
      }
      if (o.input_depth > 0 && ranked.size() > static_cast<size_t>(o.input_depth))
        ranked.resize(static_cast<size_t>(o.input_depth));
      const double w = o.weights.empty() ? 1.0 : o.weights[i];
      if (o.method == FusionMethod::kRrf) {
        for (size_t j = 0; j < ranked.size(); ++j)
          parts.push_back({ranked[j]->docid, w / (o.rrf_k + static_cast<double>(j + 1)), i});
        continue;
      }
      scores.resize(ranked.size());
      for (size_t j = 0; j < ranked.size(); ++j) scores[j] = ranked[j]->score;
      Normalize(norm, &scores);
      for (size_t j = 0; j < ranked.size(); ++j)
        parts.push_back({ranked[j]->docid, w * scores[j], i});
    }
    // Sum per document in run order (deterministic, so a reference summing in the same order
    // gets the same bits).
    std::sort(parts.begin(), parts.end(), [](const Contribution& a, const Contribution& b) {
      return a.docid != b.docid ? a.docid < b.docid : a.run < b.run;
    });
    RunQuery fused;
    fused.qid = std::string(qid);
    for (size_t j = 0; j < parts.size();) {
      size_t end = j;
      double sum = 0;
      for (; end < parts.size() && parts[end].docid == parts[j].docid; ++end)
        sum += parts[end].value;
      if (o.method == FusionMethod::kCombMnz) sum *= static_cast<double>(end - j);
      const float score = static_cast<float>(sum);
      if (!std::isfinite(score))
        return absl::InvalidArgumentError(absl::StrCat("query ", Av(qid), ": the fused score of ",
                                                       Av(parts[j].docid), " (", sum,
                                                       ") is beyond a float's range; use --norm"));
      fused.entries.push_back(RunEntry{std::string(parts[j].docid), score, 0});
      j = end;
    }
    std::sort(fused.entries.begin(), fused.entries.end(), TrecOrder);
    if (o.depth > 0 && fused.entries.size() > static_cast<size_t>(o.depth))
      fused.entries.resize(static_cast<size_t>(o.depth));
    for (size_t j = 0; j < fused.entries.size(); ++j)
      fused.entries[j].line = static_cast<uint32_t>(j + 1);
    out.queries.push_back(std::move(fused));
  }
  return out;
}

}  // namespace scour::eval
