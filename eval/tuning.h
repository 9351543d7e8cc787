// Honest parameter tuning over a sweep (a Comparison whose systems are grid points): choose the
// best point on training topics and score it on held-out ones, by k-fold cross-validation over
// topics or with an explicit train/test split. Also the topic-id list files of
// `--train-topics` / `--test-topics`. Pure functions; safe from several threads.
#ifndef SCOUR_EVAL_TUNING_H_
#define SCOUR_EVAL_TUNING_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/compare.h"

namespace scour::eval {

// A parameter grid: system index of cell (x index xi, y index yi) is yi * xs.size() + xi.
// With an empty y_name the grid has one row (ys is ignored).
struct SweepGrid {
  std::string x_name, y_name;
  std::vector<double> xs, ys;
};

// One topic id per line: the first blank-separated field of each line that is not blank and
// does not start with '#' (so a `qid<TAB>query` topics file is a valid list too). Errors, with
// `source:line`: a repeated id, an id longer than 256 bytes, a NUL byte, no id at all.
struct TopicIdList {
  std::string source;
  std::vector<std::string> ids;  // file order
  std::vector<uint32_t> lines;   // 1-based line of each id
};
absl::StatusOr<TopicIdList> ParseTopicIds(std::string_view text, std::string_view source);
absl::StatusOr<TopicIdList> ReadTopicIdsFile(const std::string& path);

struct TopicSplit {
  std::string name;           // "fold 1", "split"
  std::vector<size_t> train;  // indices into Comparison::qids
  std::vector<size_t> test;
};

// k folds over n topics: the indices 0..n-1 shuffled (Fisher-Yates from the back, j =
// UniformIndex(rng(), i + 1) with std::mt19937_64(seed)), position p goes to fold p mod k; each
// fold's test set is its topics (sorted), its train set all the others. Needs 2 <= k <= n.
absl::StatusOr<std::vector<TopicSplit>> MakeFolds(size_t n, int k, uint64_t seed);

// The split of `--train-topics` / `--test-topics`: ids are looked up among `qids` (an id not
// among them is an error naming its file:line); a topic in both is an error; either list may
// be empty, meaning "every compared topic not in the other".
absl::StatusOr<TopicSplit> MakeSplit(const std::vector<std::string>& qids, const TopicIdList* train,
                                     const TopicIdList* test);

struct FoldChoice {
  std::string name;
  size_t chosen = 0;  // system index (grid point) with the best train mean
  double train_score = 0;
  double test_score = 0;  // the chosen point's mean over the fold's test topics
  size_t n_train = 0, n_test = 0;
};

struct TuningResult {
  std::string method;  // "cross-validation" or "train/test split"
  size_t column = 0;   // the measure tuned on
  uint64_t seed = 0;   // of the folds
  std::vector<FoldChoice> folds;
  // Cross-validation: the mean over every topic of the held-out value (each topic is in exactly
  // one test fold). Split: the chosen point's mean over the test topics.
  double score = 0;
  // Per compared query (qids order): the held-out value of the point chosen for its fold; NaN
  // for a topic in no test set.
  std::vector<double> held_out;
  // Filled by the caller (scour compare): the held-out values (system 1) against the default
  // parameters (system 0) on the held-out topics, with paired statistics (CompareValues).
  std::optional<Comparison> against_default;
};

// Ties between grid points go to the lower system index. Every split needs non-empty train
// and test sets.
absl::StatusOr<TuningResult> Tune(const Comparison& c, size_t column,
                                  const std::vector<TopicSplit>& splits, std::string method,
                                  uint64_t seed);

}  // namespace scour::eval

#endif  // SCOUR_EVAL_TUNING_H_
