#include "eval/ranking.h"

#include <algorithm>
#include <numeric>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/string_view.h"

namespace scour::eval {

std::vector<int32_t> RankedJudgments::PositiveJudgmentsDescending() const {
  std::vector<int32_t> out;
  for (auto it = rel_levels.rbegin(); it != rel_levels.rend() && it->first > 0; ++it) {
    out.insert(out.end(), static_cast<size_t>(it->second), it->first);
  }
  return out;
}

absl::StatusOr<RankedJudgments> RankQuery(const QrelsQuery* qrels, const RunQuery* run,
                                          int32_t relevance_level, int64_t max_retrieved,
                                          std::string_view qrels_source_in,
                                          std::string_view run_source_in) {
  const absl::string_view qrels_source = Av(qrels_source_in), run_source = Av(run_source_in);
  RankedJudgments r;
  r.relevance_level = relevance_level;
  static const std::vector<Judgment> kNoJudgments;
  const std::vector<Judgment>& judged = qrels ? qrels->judgments : kNoJudgments;
  std::vector<int32_t> values;
  values.reserve(judged.size());
  for (size_t i = 0; i < judged.size(); ++i) {
    const Judgment& j = judged[i];
    if (i > 0 && judged[i - 1].docid == j.docid) {
      return absl::InvalidArgumentError(
          absl::StrCat(qrels_source, ":", j.line, ": duplicate judgment of ", j.docid,
                       " for query ", qrels->qid, " (also at line ", judged[i - 1].line, ")"));
    }
    if (j.rel < 0) continue;
    values.push_back(j.rel);
    if (j.rel >= relevance_level) {
      ++r.num_rel;
    } else {
      ++r.num_nonrel;
    }
  }
  std::sort(values.begin(), values.end());
  for (int32_t v : values) {
    if (r.rel_levels.empty() || r.rel_levels.back().first != v) r.rel_levels.push_back({v, 0});
    ++r.rel_levels.back().second;
  }
  if (run == nullptr) return r;

  const std::vector<RunEntry>& e = run->entries;
  std::vector<float> key(e.size());
  for (size_t i = 0; i < e.size(); ++i) key[i] = RankingScore(e[i].score);
  std::vector<uint32_t> order(e.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (key[a] != key[b]) return key[a] > key[b];
    if (e[a].docid != e[b].docid) return e[a].docid > e[b].docid;
    return e[a].line < e[b].line;  // duplicates: deterministic, reported below
  });
  if (max_retrieved >= 0 && static_cast<int64_t>(order.size()) > max_retrieved) {
    order.resize(static_cast<size_t>(max_retrieved));
  }
  // trec_eval rejects a docid retrieved twice, but only looks among the kept (top -M) documents.
  std::vector<uint32_t> by_doc = order;
  std::sort(by_doc.begin(), by_doc.end(), [&e](uint32_t a, uint32_t b) {
    return e[a].docid != e[b].docid ? e[a].docid < e[b].docid : e[a].line < e[b].line;
  });
  for (size_t i = 1; i < by_doc.size(); ++i) {
    const RunEntry& prev = e[by_doc[i - 1]];
    const RunEntry& cur = e[by_doc[i]];
    if (prev.docid == cur.docid) {
      return absl::InvalidArgumentError(absl::StrCat(run_source, ":", cur.line,
                                                     ": duplicate docid ", cur.docid, " for query ",
                                                     run->qid, " (also at line ", prev.line, ")"));
    }
  }
  r.rels.reserve(order.size());
  for (uint32_t idx : order) {
    const std::string& docid = e[idx].docid;
    auto it = std::lower_bound(judged.begin(), judged.end(), docid,
                               [](const Judgment& j, const std::string& d) { return j.docid < d; });
    int32_t rel = kRelNonPool;
    if (it != judged.end() && it->docid == docid) rel = it->rel >= 0 ? it->rel : kRelUnjudged;
    r.rels.push_back(rel);
    if (rel == kRelNonPool) {
      ++r.num_nonpool;
    } else if (rel == kRelUnjudged) {
      ++r.num_unjudged;
    } else if (rel >= relevance_level) {
      ++r.num_rel_ret;
    }
  }
  return r;
}

}  // namespace scour::eval
