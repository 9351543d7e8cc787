#include "eval/tuning.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "eval/stats.h"
#include "eval/trec_io.h"

namespace scour::eval {

absl::StatusOr<TopicIdList> ParseTopicIds(std::string_view text, std::string_view source) {
  TopicIdList out;
  out.source = std::string(source);
  std::unordered_map<std::string, uint32_t> seen;
  uint32_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    const std::string where = absl::StrCat(std::string(source), ":", line_no, ": ");
    if (line.find('\0') != std::string_view::npos)
      return absl::InvalidArgumentError(absl::StrCat(where, "NUL byte"));
    size_t b = 0;
    while (b < line.size() && (line[b] == ' ' || line[b] == '\t' || line[b] == '\r')) ++b;
    if (b == line.size() || line[b] == '#') continue;
    size_t e = b;
    while (e < line.size() && line[e] != ' ' && line[e] != '\t' && line[e] != '\r') ++e;
    std::string id(line.substr(b, e - b));
    if (id.size() > 256)
      return absl::InvalidArgumentError(absl::StrCat(where, "topic id longer than 256 bytes"));
    auto [it, fresh] = seen.emplace(id, line_no);
    if (!fresh)
      return absl::InvalidArgumentError(
          absl::StrCat(where, "topic \"", id, "\" repeated (first on line ", it->second, ")"));
    out.ids.push_back(std::move(id));
    out.lines.push_back(line_no);
  }
  if (out.ids.empty())
    return absl::InvalidArgumentError(absl::StrCat(std::string(source), ": no topic id"));
  return out;
}

absl::StatusOr<TopicIdList> ReadTopicIdsFile(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ParseTopicIds(*text, path);
}

absl::StatusOr<std::vector<TopicSplit>> MakeFolds(size_t n, int k, uint64_t seed) {
  if (k < 2) return absl::InvalidArgumentError("--folds must be >= 2");
  if (static_cast<size_t>(k) > n)
    return absl::InvalidArgumentError(
        absl::StrCat("--folds ", k, " is more than the ", n, " compared topics"));
  std::vector<size_t> perm(n);
  for (size_t i = 0; i < n; ++i) perm[i] = i;
  std::mt19937_64 rng(seed);
  for (size_t i = n; i-- > 1;) std::swap(perm[i], perm[UniformIndex(rng(), i + 1)]);
  std::vector<TopicSplit> folds(static_cast<size_t>(k));
  for (size_t p = 0; p < n; ++p) folds[p % static_cast<size_t>(k)].test.push_back(perm[p]);
  for (size_t f = 0; f < folds.size(); ++f) {
    folds[f].name = absl::StrCat("fold ", f + 1);
    std::sort(folds[f].test.begin(), folds[f].test.end());
    for (size_t i = 0; i < n; ++i)
      if (!std::binary_search(folds[f].test.begin(), folds[f].test.end(), i))
        folds[f].train.push_back(i);
  }
  return folds;
}

absl::StatusOr<TopicSplit> MakeSplit(const std::vector<std::string>& qids, const TopicIdList* train,
                                     const TopicIdList* test) {
  // 0: unassigned, 1: train, 2: test.
  std::vector<int> role(qids.size(), 0);
  for (int r = 1; r <= 2; ++r) {
    const TopicIdList* list = r == 1 ? train : test;
    if (list == nullptr) continue;
    for (size_t i = 0; i < list->ids.size(); ++i) {
      auto it = std::lower_bound(qids.begin(), qids.end(), list->ids[i]);
      const std::string where =
          absl::StrCat(list->source, ":", list->lines[i], ": topic \"", list->ids[i], "\" ");
      if (it == qids.end() || *it != list->ids[i])
        return absl::InvalidArgumentError(
            absl::StrCat(where, "is not among the compared topics (in the qrels and retrieved)"));
      int& slot = role[static_cast<size_t>(it - qids.begin())];
      if (slot != 0)
        return absl::InvalidArgumentError(
            absl::StrCat(where, "is in both the training and the test topics"));
      slot = r;
    }
  }
  TopicSplit s;
  s.name = "split";
  for (size_t i = 0; i < qids.size(); ++i) {
    const bool is_train = role[i] == 1 || (role[i] == 0 && train == nullptr);
    const bool is_test = role[i] == 2 || (role[i] == 0 && test == nullptr);
    if (is_train) s.train.push_back(i);
    if (is_test) s.test.push_back(i);
  }
  if (s.train.empty()) return absl::InvalidArgumentError("no training topic");
  if (s.test.empty()) return absl::InvalidArgumentError("no test topic");
  return s;
}

absl::StatusOr<TuningResult> Tune(const Comparison& c, size_t column,
                                  const std::vector<TopicSplit>& splits, std::string method,
                                  uint64_t seed) {
  if (column >= c.columns.size()) return absl::InvalidArgumentError("tune: no such measure");
  if (splits.empty()) return absl::InvalidArgumentError("tune: no split");
  TuningResult r;
  r.method = std::move(method);
  r.column = column;
  r.seed = seed;
  r.held_out.assign(c.qids.size(), std::numeric_limits<double>::quiet_NaN());
  auto mean_over = [&](size_t s, const std::vector<size_t>& idx) {
    double sum = 0;
    for (size_t q : idx) sum += c.values[s][q][column];
    return sum / static_cast<double>(idx.size());
  };
  double held_sum = 0;
  size_t held_n = 0;
  for (const TopicSplit& sp : splits) {
    if (sp.train.empty() || sp.test.empty())
      return absl::InvalidArgumentError(absl::StrCat("tune: ", sp.name, " has no train or test"));
    FoldChoice f;
    f.name = sp.name;
    f.n_train = sp.train.size();
    f.n_test = sp.test.size();
    f.train_score = -std::numeric_limits<double>::infinity();
    for (size_t s = 0; s < c.systems.size(); ++s) {
      const double m = mean_over(s, sp.train);
      if (m > f.train_score) {
        f.train_score = m;
        f.chosen = s;
      }
    }
    f.test_score = mean_over(f.chosen, sp.test);
    for (size_t q : sp.test) {
      r.held_out[q] = c.values[f.chosen][q][column];
      held_sum += r.held_out[q];
      ++held_n;
    }
    r.folds.push_back(std::move(f));
  }
  r.score = held_sum / static_cast<double>(held_n);
  return r;
}

}  // namespace scour::eval
