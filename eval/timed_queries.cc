#include "eval/timed_queries.h"

#include <sys/resource.h>

#include <chrono>
#include <utility>

#include "base/parallel.h"
#include "base/status_macros.h"
#include "engine/proximity.h"

namespace scour::eval {
namespace {

using Clock = std::chrono::steady_clock;

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

}  // namespace

absl::StatusOr<Timings> TimeCalls(size_t n, const TimingOptions& options,
                                  absl::FunctionRef<absl::Status(size_t i, bool keep)> run) {
  if (options.reps < 1) return absl::InvalidArgumentError("--repeat must be at least 1");
  // Item j of a run of passes is query j % n; its status goes to errors[j % n] (one pass at a
  // time writes a slot, and every pass runs the same executions).
  std::vector<absl::Status> errors(n);
  auto first_error = [&]() -> absl::Status {
    for (const absl::Status& s : errors)
      if (!s.ok()) return s;
    return absl::OkStatus();
  };

  Timings t;
  const auto w0 = Clock::now();
  do {  // whole passes until warmup_secs have passed, at least one
    ParallelFor(n, options.threads, [&](int, size_t i) {
      if (absl::Status s = run(i, false); !s.ok()) errors[i] = s;
    });
    if (absl::Status s = first_error(); !s.ok()) return s;
    ++t.warmup_passes;
  } while (std::chrono::duration<double>(Clock::now() - w0).count() < options.warmup_secs);

  // The timed passes run as one stream of reps x n executions, so the threads never wait for
  // each other at the end of a pass.
  const size_t total = n * static_cast<size_t>(options.reps);
  const size_t last_pass = total - n;
  t.us.assign(total, 0.0);
  t.threads = ParallelWorkers(total, options.threads);
  const double cpu0 = CpuSeconds();
  const auto t0 = Clock::now();
  ParallelFor(total, options.threads, [&](int, size_t j) {
    const size_t i = j % n;
    const auto s = Clock::now();
    absl::Status st = run(i, j >= last_pass);
    t.us[j] = std::chrono::duration<double, std::micro>(Clock::now() - s).count();
    if (!st.ok() && j >= last_pass) errors[i] = st;
  });
  t.wall_secs = std::chrono::duration<double>(Clock::now() - t0).count();
  t.cpu_secs = CpuSeconds() - cpu0;
  if (absl::Status s = first_error(); !s.ok()) return s;
  return t;
}

namespace {

// One query's execution and, with bm25tp, its re-ranking (BM25 top-N first), into *out.
absl::Status ExecuteOne(const engine::PlanNode& plan, const index::Snapshot& index,
                        const engine::RankerParams& ranker, const TimingOptions& options,
                        engine::ExecResult* out) {
  const size_t k = options.count ? 0 : options.k;
  const size_t depth = ranker.proximity ? engine::RerankDepth(k) : k;
  absl::StatusOr<engine::ExecResult> r = engine::Execute(plan, index, depth, options.count);
  if (!r.ok()) return r.status();
  if (ranker.proximity && !options.count) {
    auto info = engine::ProximityRerank(plan, index, ranker, options.k, depth, &r->top);
    if (!info.ok()) return info.status();
  }
  *out = *std::move(r);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Timings> TimeWholeQueries(const index::Snapshot& index,
                                         std::span<const engine::QueryNode* const> queries,
                                         const engine::PlanOptions& plan_options,
                                         const engine::RankerParams& ranker,
                                         const TimingOptions& options) {
  std::vector<engine::ExecResult> last(queries.size());
  absl::StatusOr<Timings> t =
      TimeCalls(queries.size(), options, [&](size_t i, bool keep) -> absl::Status {
        absl::StatusOr<std::unique_ptr<engine::PlanNode>> plan =
            engine::BuildPlan(*queries[i], index, plan_options);
        if (!plan.ok()) return plan.status();
        engine::ExecResult r;
        SCOUR_RETURN_IF_ERROR(ExecuteOne(**plan, index, ranker, options, &r));
        if (keep) last[i] = std::move(r);
        return absl::OkStatus();
      });
  if (t.ok()) t->last = std::move(last);
  return t;
}

absl::StatusOr<Timings> TimeQueries(const index::Snapshot& index,
                                    std::span<const engine::PlanNode* const> plans,
                                    const engine::RankerParams& ranker,
                                    const TimingOptions& options) {
  std::vector<engine::ExecResult> last(plans.size());
  absl::StatusOr<Timings> t =
      TimeCalls(plans.size(), options, [&](size_t i, bool keep) -> absl::Status {
        engine::ExecResult r;
        SCOUR_RETURN_IF_ERROR(ExecuteOne(*plans[i], index, ranker, options, &r));
        if (keep) last[i] = std::move(r);
        return absl::OkStatus();
      });
  if (t.ok()) t->last = std::move(last);
  return t;
}

}  // namespace scour::eval
