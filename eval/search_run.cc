#include "eval/search_run.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "engine/execute.h"
#include "engine/plan.h"
#include "engine/proximity.h"
#include "engine/query_ast.h"
#include "engine/query_parser.h"
#include "engine/searcher_internal.h"
#include "index/commit/reader_impl.h"

namespace scour::eval {
namespace {

// "topic 170 (line 170)" for error messages.
std::string TopicName(const Topic& t) {
  return t.line > 0 ? absl::StrCat("topic ", t.qid, " (line ", t.line, ")")
                    : absl::StrCat("topic ", t.qid);
}

}  // namespace

absl::StatusOr<std::unique_ptr<TopicSearcher>> TopicSearcher::Open(const std::string& index_dir) {
  SCOUR_ASSIGN_OR_RETURN(std::shared_ptr<IndexReader> reader, IndexReader::Open(index_dir));
  auto ts = std::make_unique<TopicSearcher>(std::move(reader));
  SCOUR_ASSIGN_OR_RETURN(Analyzer a, Analyzer::Create(ts->reader_->analyzer_options()));
  ts->analyzer_ = std::make_unique<Analyzer>(std::move(a));
  return ts;
}

TopicSearcher::TopicSearcher(std::shared_ptr<const IndexReader> reader)
    : reader_(std::move(reader)) {}

absl::StatusOr<const std::string*> TopicSearcher::ExternalId(uint64_t doc) {
  if (ids_.empty()) {
    ids_.resize(reader_->max_doc());
    have_id_.assign(reader_->max_doc(), false);
  }
  if (doc >= ids_.size()) return absl::InternalError("hit outside the snapshot");
  if (!have_id_[doc]) {
    SCOUR_ASSIGN_OR_RETURN(StoredDocument d, reader_->Document(doc));
    ids_[doc] = std::move(d.id);
    have_id_[doc] = true;
  }
  return &ids_[doc];
}

absl::StatusOr<Run> TopicSearcher::Search(std::span<const Topic> topics,
                                          const SearchRunOptions& options) {
  if (analyzer_ == nullptr) {
    SCOUR_ASSIGN_OR_RETURN(Analyzer a, Analyzer::Create(reader_->analyzer_options()));
    analyzer_ = std::make_unique<Analyzer>(std::move(a));
  }
  const index::Snapshot& index = index::SnapshotOf(*reader_);
  SCOUR_ASSIGN_OR_RETURN(engine::RankerParams ranker, engine::ParseRanking(options.ranking));
  engine::PlanOptions popts;
  popts.ranker = ranker;
  popts.field_weights = options.ranking.field_weights;
  for (const auto& [name, w] : options.ranking.field_weights)
    if (index.manifest.FieldId(name) <= 0)
      return absl::InvalidArgumentError(absl::StrCat("--weights: unknown field \"", name, "\""));
  for (uint32_t f = 1; f < index.manifest.fields.size(); ++f)
    if (index.FieldStats(f).sum_total_term_freq > 0) popts.default_fields.push_back(f);
  if (options.query_syntax && searcher_ == nullptr) {
    SCOUR_ASSIGN_OR_RETURN(searcher_, Searcher::Create(reader_));
  }

  Run run;
  run.source = "scour";
  run.tag = options.tag;
  empty_topics_ = 0;
  latency_us_.clear();
  latency_us_.reserve(topics.size());
  const size_t depth = ranker.proximity ? engine::RerankDepth(options.depth) : options.depth;
  for (const Topic& t : topics) {
    const auto t0 = std::chrono::steady_clock::now();
    RunQuery rq;
    rq.qid = t.qid;
    if (options.query_syntax) {
      SearchOptions so;
      so.k = options.depth;
      so.ranking = options.ranking;
      so.load_stored = false;
      absl::StatusOr<SearchResults> res = searcher_->Search(t.title, so);
      if (!res.ok()) {
        return absl::Status(res.status().code(),
                            absl::StrCat(TopicName(t), ": ", res.status().message()));
      }
      for (const Hit& h : res->hits) rq.entries.push_back({h.id, h.score, 0});
    } else {
      engine::ParseResult parsed =
          engine::PlainTextQuery(t.title, engine::AnalyzeWith(analyzer_.get()));
      if (!parsed.ok()) {
        return absl::Status(parsed.error->code,
                            absl::StrCat(TopicName(t), ": ", parsed.error->message));
      }
      if (parsed.query->kind != engine::QueryKind::kMatchNone) {
        SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<engine::PlanNode> plan,
                               engine::BuildPlan(*parsed.query, index, popts));
        SCOUR_ASSIGN_OR_RETURN(engine::ExecResult exec,
                               engine::Execute(*plan, index, depth, false));
        if (ranker.proximity) {
          SCOUR_RETURN_IF_ERROR(
              engine::ProximityRerank(*plan, index, ranker, options.depth, depth, &exec.top)
                  .status());
        }
        for (const engine::ScoredDoc& d : exec.top) {
          SCOUR_ASSIGN_OR_RETURN(const std::string* id, ExternalId(d.doc));
          rq.entries.push_back({*id, d.score, 0});
        }
      }
    }
    latency_us_.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    if (rq.entries.empty()) {
      ++empty_topics_;
      continue;
    }
    run.queries.push_back(std::move(rq));
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
  for (size_t s = 0; s < n; ++s)
    out.push_back(SummarizeLatency(std::move(us[s]), wall[s], passes, warmup_passes));
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
