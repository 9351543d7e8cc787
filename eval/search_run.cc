#include "eval/search_run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/parallel.h"
#include "base/status_macros.h"
#include "engine/feedback.h"
#include "engine/searcher_internal.h"
#include "shards/index_set.h"

namespace scour::eval {
namespace {

// "topic 170 (line 170)" for error messages.
std::string TopicName(const Topic& t) {
  return t.line > 0 ? absl::StrCat("topic ", t.qid, " (line ", t.line, ")")
                    : absl::StrCat("topic ", t.qid);
}

}  // namespace

absl::StatusOr<std::unique_ptr<TopicSearcher>> TopicSearcher::Open(const std::string& index_dir) {
  if (shards::IsIndexSet(index_dir)) {
    SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<ShardedSearcher> set, ShardedSearcher::Open(index_dir));
    return std::make_unique<TopicSearcher>(std::move(set));
  }
  SCOUR_ASSIGN_OR_RETURN(std::shared_ptr<IndexReader> reader, IndexReader::Open(index_dir));
  auto ts = std::make_unique<TopicSearcher>(std::move(reader));
  SCOUR_ASSIGN_OR_RETURN(ts->searcher_, Searcher::Create(ts->reader_));
  return ts;
}

TopicSearcher::TopicSearcher(std::shared_ptr<const IndexReader> reader)
    : reader_(std::move(reader)) {}
TopicSearcher::TopicSearcher(std::unique_ptr<ShardedSearcher> set) : set_(std::move(set)) {}

absl::StatusOr<Run> TopicSearcher::Search(std::span<const Topic> topics,
                                          const SearchRunOptions& options) {
  if (searcher_ == nullptr && set_ == nullptr) {
    SCOUR_ASSIGN_OR_RETURN(searcher_, Searcher::Create(reader_));
  }
  // Bad options fail before any topic runs (and name no topic).
  SCOUR_RETURN_IF_ERROR(engine::ParseRanking(options.ranking).status());
  SCOUR_RETURN_IF_ERROR(engine::ParseFeedback(options.ranking).status());
  std::vector<std::string> fields;
  if (set_ != nullptr) {
    for (const FieldStatistics& f : set_->collection().fields) fields.push_back(f.name);
  } else {
    fields = reader_->field_names();
  }
  for (const auto& [name, w] : options.ranking.field_weights) {
    if (std::find(fields.begin(), fields.end(), name) == fields.end())
      return absl::InvalidArgumentError(absl::StrCat("--weights: unknown field \"", name, "\""));
  }
  for (const auto& [name, b] : options.ranking.field_b) {
    if (std::find(fields.begin(), fields.end(), name) == fields.end())
      return absl::InvalidArgumentError(absl::StrCat("--field-b: unknown field \"", name, "\""));
  }
  SearchOptions so;
  so.k = options.depth;
  so.query_syntax = options.query_syntax;
  so.ranking = options.ranking;
  so.load_stored = false;
  so.verify_pruning = options.verify_pruning;
  so.use_synonyms = options.use_synonyms;
  so.synonyms = options.synonyms;

  const size_t n = topics.size();
  std::vector<std::string> differences(n);
  std::vector<RunQuery> out(n);
  latency_us_.assign(n, 0.0);
  // Topics after the first failure (in topic order) are skipped: their run is not wanted.
  std::atomic<size_t> first_failed{n};
  std::vector<absl::Status> errors(n);
  ParallelFor(n, options.threads, [&](int, size_t i) {
    if (i > first_failed.load(std::memory_order_relaxed)) return;
    const auto t0 = std::chrono::steady_clock::now();
    // An index set runs every round of docs/DISTRIBUTED.md per topic.
    absl::StatusOr<SearchResults> res =
        set_ ? set_->Search(topics[i].title, so) : searcher_->Search(topics[i].title, so);
    if (res.ok()) {
      out[i].entries.reserve(res->hits.size());
      for (Hit& h : res->hits) out[i].entries.push_back({std::move(h.id), h.score, 0});
      if (!res->pruning_differences.empty()) {
        differences[i] = absl::StrCat(TopicName(topics[i]), ":\n", res->pruning_differences);
      }
    }
    latency_us_[i] =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    if (!res.ok()) {
      errors[i] = res.status();
      size_t f = first_failed.load(std::memory_order_relaxed);
      while (i < f && !first_failed.compare_exchange_weak(f, i, std::memory_order_relaxed)) {
      }
    }
  });
  if (const size_t f = first_failed.load(); f < n) {
    return absl::Status(errors[f].code(),
                        absl::StrCat(TopicName(topics[f]), ": ", errors[f].message()));
  }

  Run run;
  run.source = "scour";
  run.tag = options.tag;
  empty_topics_ = 0;
  pruning_differences_.clear();
  for (std::string& d : differences)
    if (!d.empty()) pruning_differences_.push_back(std::move(d));
  for (size_t i = 0; i < n; ++i) {
    if (out[i].entries.empty()) {
      ++empty_topics_;
      continue;
    }
    out[i].qid = topics[i].qid;
    run.queries.push_back(std::move(out[i]));
  }
  std::sort(run.queries.begin(), run.queries.end(),
            [](const RunQuery& a, const RunQuery& b) { return a.qid < b.qid; });
  return run;
}

absl::StatusOr<std::vector<LatencySummary>> MeasureLatency(
    TopicSearcher& searcher, std::span<const Topic> topics,
    std::span<const SearchRunOptions> systems, int passes, int warmup_passes) {
  if (passes < 1 || warmup_passes < 0)
    return absl::InvalidArgumentError("latency: passes must be >= 1 and warm-up passes >= 0");
  const size_t n = systems.size();
  std::vector<std::vector<double>> us(n);
  std::vector<double> wall(n, 0.0);
  for (int round = 0; round < warmup_passes + passes; ++round) {
    for (size_t k = 0; k < n; ++k) {
      const size_t s = (k + static_cast<size_t>(round)) % n;
      const auto t0 = std::chrono::steady_clock::now();
      SCOUR_RETURN_IF_ERROR(searcher.Search(topics, systems[s]).status());
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (round < warmup_passes) continue;
      wall[s] += secs;
      us[s].insert(us[s].end(), searcher.topic_latency_us().begin(),
                   searcher.topic_latency_us().end());
    }
  }
  std::vector<LatencySummary> out;
  for (size_t s = 0; s < n; ++s) {
    out.push_back(SummarizeLatency(std::move(us[s]), wall[s], passes, warmup_passes));
    out.back().threads = ParallelWorkers(topics.size(), systems[s].threads);
  }
  return out;
}

std::string FormatRun(const Run& run) {
  std::string out;
  char buf[64];
  for (const RunQuery& q : run.queries) {
    for (size_t i = 0; i < q.entries.size(); ++i) {
      std::snprintf(buf, sizeof(buf), " %zu %.9g ", i + 1, q.entries[i].score);
      absl::StrAppend(&out, q.qid, " Q0 ", q.entries[i].docid, buf, run.tag, "\n");
    }
  }
  return out;
}

}  // namespace scour::eval
