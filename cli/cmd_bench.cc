// scour bench: runs a query log against an index and reports latency percentiles and QPS.
// Queries are plain text by default, built as ../shared/peers builds them (docs/PERFORMANCE.md):
// `or` and `and` take the analysed, de-duplicated terms; `phrase` keeps every term in order
// (slop 0); a one-term query is a term query; a query with no terms is skipped. --syntax reads
// them in the query language instead (`and`: juxtaposition means AND). Only execution is timed
// (the parse and plan happen before, as the peers time only IndexSearcher.search), on --threads
// threads sharing the snapshot and the plans (eval/timed_queries.h says what latency means then).
// On an index set each query is timed whole (parse, statistics round, shards, merge).
// --count times the exact number of matches alone (Execute with k = 0: doc ids, no scoring), as
// the Lucene harness's --count times IndexSearcher.count; --run then writes qid<TAB>count.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/ranking_flags.h"
#include "engine/execute.h"
#include "engine/feedback.h"
#include "engine/plan.h"
#include "engine/proximity.h"
#include "engine/query_parser.h"
#include "engine/searcher_internal.h"
#include "engine/synonym_expand.h"
#include "eval/timed_queries.h"
#include "eval/trec_io.h"
#include "index/commit/reader_impl.h"
#include "nlohmann/json.hpp"
#include "scour/distributed.h"
#include "scour/index_reader.h"
#include "shards/index_set.h"

namespace scour::cli {
namespace {

struct BenchArgs {
  std::string index, queries, mode = "or", run_out, per_query_out;
  size_t k = 10;
  int reps = 5;
  double warmup_secs = 2.0;
  int threads = 0;
  bool json = false;
  bool query_syntax = false;
  bool count = false;
  bool execute_only = false;
  RankingFlags ranking;
  SynonymsFlags synonyms;
};

// A query as timed: its parsed tree (bound and executed in each timed call) or, with
// --execute-only, its plan (executed alone).
struct Prepared {
  std::string qid;
  engine::QueryPtr query;
  std::unique_ptr<engine::PlanNode> plan;
};

// What a query gave: its exact count with --count, else the hits returned.
uint64_t Returned(const BenchArgs& a, const engine::ExecResult& r) {
  return a.count ? r.count : r.top.size();
}

int Report(const BenchArgs& a, const std::vector<std::string>& qids, size_t skipped,
           size_t expanded, const eval::Timings& t,
           absl::FunctionRef<std::string(uint64_t doc)> id_of);
int RunBenchSet(const BenchArgs& a);

int RunBench(const BenchArgs& a) {
  if (a.mode != "or" && a.mode != "and" && a.mode != "phrase")
    return PrintError("--mode must be or, and or phrase", kExitUsage);
  if (a.query_syntax && a.mode == "phrase")
    return PrintError("--mode phrase reads plain text; with --syntax write \"phrases\"",
                      kExitUsage);
  if (a.reps < 1) return PrintError("--repeat must be at least 1", kExitUsage);
  // One index and a set alike: phrases are built without synonyms.
  if (a.mode == "phrase" && !a.synonyms.file.empty())
    return PrintError("--synonyms: --mode phrase builds phrases without synonyms", kExitUsage);
  if (shards::IsIndexSet(a.index)) return RunBenchSet(a);
  auto reader = IndexReader::Open(a.index);
  if (!reader.ok()) return PrintError(reader.status());
  const index::Snapshot& index = index::SnapshotOf(**reader);
  auto topics = eval::ReadTopicsFile(a.queries);
  if (!topics.ok()) return PrintError(topics.status());
  auto analyzer = Analyzer::Create((*reader)->analyzer_options());
  if (!analyzer.ok()) return PrintError(analyzer.status());

  RankingOptions ropts;
  if (absl::Status s = ToRankingOptions(a.ranking, &ropts); !s.ok())
    return PrintError(s, kExitUsage);
  auto ranker = engine::ParseRanking(ropts);
  if (!ranker.ok()) return PrintError(ranker.status(), kExitUsage);
  auto feedback = engine::ParseFeedback(ropts);
  if (!feedback.ok()) return PrintError(feedback.status(), kExitUsage);
  engine::PlanOptions popts;
  if (absl::Status s = engine::SetModel(ropts, *ranker, &popts); !s.ok())
    return PrintError(s, kExitUsage);
  popts.field_weights = ropts.field_weights;
  for (uint32_t f = 1; f < index.manifest.fields.size(); ++f)
    if (index.FieldStats(f).sum_total_term_freq > 0) popts.default_fields.push_back(f);

  bool use_synonyms = true;
  std::shared_ptr<const SynonymSet> synonym_file;
  if (absl::Status s =
          ResolveSynonyms(a.synonyms, (*reader)->analyzer_options(), &use_synonyms, &synonym_file);
      !s.ok())
    return PrintError(s);
  const SynonymSet* synonyms = !use_synonyms  ? nullptr
                               : synonym_file ? synonym_file.get()
                                              : (*reader)->synonyms().get();
  if (a.mode == "phrase") synonyms = nullptr;

  std::vector<Prepared> queries;
  size_t skipped = 0, expanded = 0;
  engine::ParseOptions parse_opts;
  parse_opts.default_and = a.mode == "and";
  parse_opts.fields = (*reader)->field_names();
  for (const eval::Topic& t : *topics) {
    engine::QueryPtr q;
    if (a.mode == "phrase") {
      std::vector<Token> toks;
      if (absl::Status s = analyzer->Analyze(t.title, &toks); !s.ok()) {
        std::fprintf(stderr, "scour: %s:%u: query %s: %s\n", a.queries.c_str(), t.line,
                     t.qid.c_str(), std::string(s.message()).c_str());
        ++skipped;
        continue;
      }
      if (toks.empty()) {
        ++skipped;
        continue;
      }
      if (toks.size() == 1) {
        q = engine::QueryNode::Term("", toks[0].term);
      } else {
        std::vector<engine::PhraseTerm> terms;
        for (const Token& tk : toks) terms.push_back({tk.term, tk.position - toks[0].position});
        q = engine::QueryNode::Phrase("", std::move(terms));
      }
    } else {
      engine::ParseResult parsed =
          a.query_syntax ? engine::ParseQuery(t.title, engine::AnalyzeWith(&*analyzer), parse_opts)
                         : engine::PlainTextQuery(t.title, engine::AnalyzeWith(&*analyzer),
                                                  parse_opts.default_and);
      if (!parsed.ok()) {
        std::fprintf(stderr, "scour: %s:%u: query %s: %s\n", a.queries.c_str(), t.line,
                     t.qid.c_str(), parsed.error->ToString().c_str());
        ++skipped;
        continue;
      }
      if (parsed.query->kind == engine::QueryKind::kMatchNone) {
        ++skipped;
        continue;
      }
      q = std::move(parsed.query);
      if (synonyms != nullptr) {
        auto spans = engine::ApplySynonyms(*synonyms, t.title, engine::AnalyzeWith(&*analyzer),
                                           a.query_syntax, parse_opts.default_and, &q);
        if (!spans.ok()) {
          std::fprintf(stderr, "scour: %s:%u: query %s: %s\n", a.queries.c_str(), t.line,
                       t.qid.c_str(), std::string(spans.status().message()).c_str());
          ++skipped;
          continue;
        }
        expanded += *spans > 0;
      }
    }
    if (feedback->kind != engine::ExpansionKind::kNone) {
      // --expand: the first pass and the re-analysis happen here, untimed (as the parse); the
      // expanded query is what is timed. eval and compare's latency columns include them.
      auto e = engine::ExpandQuery(*q, **reader, &*analyzer, popts, *feedback);
      if (!e.ok()) return PrintError(e.status());
      if (*e != nullptr) q = *std::move(e);
    }
    // Bound here too, so that a query that cannot be is reported before any timing.
    auto plan = engine::BuildPlan(*q, index, popts);
    if (!plan.ok()) return PrintError(plan.status());
    if (a.execute_only) {
      queries.push_back({t.qid, nullptr, *std::move(plan)});
    } else {
      queries.push_back({t.qid, std::move(q), nullptr});
    }
  }
  if (queries.empty()) return PrintError("no runnable queries", kExitUsage);

  eval::TimingOptions topts;
  topts.k = a.k;
  topts.reps = a.reps;
  topts.warmup_secs = a.warmup_secs;
  topts.threads = a.threads;
  topts.count = a.count;
  absl::StatusOr<eval::Timings> timed;
  if (a.execute_only) {
    std::vector<const engine::PlanNode*> plans;
    for (const Prepared& q : queries) plans.push_back(q.plan.get());
    timed = eval::TimeQueries(index, plans, *ranker, topts);
  } else {
    std::vector<const engine::QueryNode*> trees;
    for (const Prepared& q : queries) trees.push_back(q.query.get());
    timed = eval::TimeWholeQueries(index, trees, popts, *ranker, topts);
  }
  if (!timed.ok()) return PrintError(timed.status());
  std::vector<std::string> qids;
  for (const Prepared& q : queries) qids.push_back(q.qid);
  return Report(a, qids, skipped, expanded, *timed, [&](uint64_t doc) {
    auto d = (*reader)->Document(doc);
    return d.ok() ? d->id : std::string("?");
  });
}

// Latency percentiles, QPS and the optional run / per-query files of a timed query log.
// `expanded`: the queries the synonyms changed (0 when unknown, as on a set).
int Report(const BenchArgs& a, const std::vector<std::string>& qids, size_t skipped,
           size_t expanded, const eval::Timings& t,
           absl::FunctionRef<std::string(uint64_t doc)> id_of) {
  const std::vector<double>& lat = t.us;
  const std::vector<engine::ExecResult>& last = t.last;
  const double wall = t.wall_secs;
  std::vector<double> rep_means;
  for (int r = 0; r < a.reps; ++r) {
    double sum = 0;
    for (size_t i = 0; i < qids.size(); ++i) sum += lat[r * qids.size() + i];
    rep_means.push_back(sum / qids.size());
  }
  if (!a.per_query_out.empty()) {
    // Mean latency of each query over the timed passes: finds the slow ones to profile.
    FILE* f = std::fopen(a.per_query_out.c_str(), "w");
    if (!f) return PrintError(absl::StrCat("cannot write ", a.per_query_out));
    for (size_t i = 0; i < qids.size(); ++i) {
      double sum = 0;
      for (int r = 0; r < a.reps; ++r) sum += lat[r * qids.size() + i];
      std::fprintf(f, "%s\t%.1f\t%llu\n", qids[i].c_str(), sum / a.reps,
                   static_cast<unsigned long long>(Returned(a, last[i])));
    }
    std::fclose(f);
  }
  std::vector<double> sorted = lat;
  std::sort(sorted.begin(), sorted.end());
  auto pct = [&](double p) {  // nearest rank, as the peers' harnesses
    size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * sorted.size()));
    return sorted[std::max<size_t>(rank, 1) - 1];
  };
  double mean = 0;
  for (double v : lat) mean += v;
  mean /= lat.size();
  size_t zero_hits = 0;
  double returned = 0;
  for (const auto& r : last) {
    zero_hits += Returned(a, r) == 0;
    returned += static_cast<double>(Returned(a, r));
  }
  if (!a.run_out.empty()) {
    FILE* f = std::fopen(a.run_out.c_str(), "w");
    if (!f) return PrintError(absl::StrCat("cannot write ", a.run_out));
    for (size_t i = 0; i < qids.size() && a.count; ++i) {  // as the Lucene harness's --count
      std::fprintf(f, "%s\t%llu\n", qids[i].c_str(),
                   static_cast<unsigned long long>(last[i].count));
    }
    for (size_t i = 0; i < qids.size() && !a.count; ++i)
      for (size_t r = 0; r < last[i].top.size(); ++r) {
        std::fprintf(f, "%s Q0 %s %zu %.6f scour\n", qids[i].c_str(),
                     id_of(last[i].top[r].doc).c_str(), r + 1, last[i].top[r].score);
      }
    std::fclose(f);
  }
  const double qps = lat.size() / wall;
  if (a.json) {
    nlohmann::json j = {{"engine", "scour"},
                        {"mode", a.mode},
                        {"queries", qids.size()},
                        {"skipped", skipped},
                        {"synonym_queries", expanded},
                        {"reps", a.reps},
                        {"k", a.count ? 0 : a.k},
                        {"count", a.count},
                        {"p50_us", pct(50)},
                        {"p90_us", pct(90)},
                        {"p99_us", pct(99)},
                        {"mean_us", mean},
                        {"max_us", sorted.back()},
                        {"qps", qps},
                        {"zero_hit_queries", zero_hits},
                        {"mean_returned", returned / qids.size()},
                        {"warmup_passes", t.warmup_passes},
                        {"rep_mean_us", rep_means},
                        {"threads", t.threads},
                        {"timed", a.execute_only ? "execution" : "query"},
                        {"wall_s", wall},
                        {"cpu_s", t.cpu_secs}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("mode %s: %zu queries (%zu skipped) x %d reps, %s\n", a.mode.c_str(), qids.size(),
                skipped, a.reps, a.count ? "exact counts" : absl::StrCat("k=", a.k).c_str());
    std::printf("latency us: p50 %.1f  p90 %.1f  p99 %.1f  mean %.1f  max %.1f\n", pct(50), pct(90),
                pct(99), mean, sorted.back());
    if (expanded > 0) std::printf("synonyms: %zu of the queries expanded\n", expanded);
    std::printf(
        "qps %.0f (%d thread%s, %.3f s wall, %.3f s CPU); zero-hit queries %zu; "
        "warm-up passes %d\n",
        qps, t.threads, t.threads == 1 ? "" : "s", wall, t.cpu_secs, zero_hits, t.warmup_passes);
  }
  return kExitOk;
}

// An index set: each query timed whole (parse, the term-statistics round, every shard's search
// and the merge: docs/DISTRIBUTED.md), since on a set there is no plan to time alone. Queries as
// on one index: plain text (`or`, `and`), `phrase` as one quoted phrase, or --syntax.
int RunBenchSet(const BenchArgs& a) {
  auto set = ShardedSearcher::Open(a.index);
  if (!set.ok()) return PrintError(set.status());
  auto topics = eval::ReadTopicsFile(a.queries);
  if (!topics.ok()) return PrintError(topics.status());
  SearchOptions so;
  if (absl::Status s = ToRankingOptions(a.ranking, &so.ranking); !s.ok())
    return PrintError(s, kExitUsage);
  if (auto r = engine::ParseRanking(so.ranking); !r.ok()) return PrintError(r.status(), kExitUsage);
  so.k = a.count ? 0 : a.k;
  so.count = a.count;
  so.default_and = a.mode == "and";
  so.query_syntax = a.query_syntax || a.mode == "phrase";
  so.load_stored = false;
  if (absl::Status s = ResolveSynonyms(a.synonyms, (*set)->collection().analyzer, &so.use_synonyms,
                                       &so.synonyms);
      !s.ok())
    return PrintError(s);
  if (a.mode == "phrase") so.use_synonyms = false;
  std::vector<std::string> qids, texts;
  for (const eval::Topic& t : *topics) {
    std::string q = t.title;
    if (a.mode == "phrase") {
      // Every term in order, slop 0: the text inside quotes (quotes and escapes dropped).
      q.erase(std::remove_if(q.begin(), q.end(), [](char c) { return c == '"' || c == '\\'; }),
              q.end());
      q = "\"" + q + "\"";
    }
    qids.push_back(t.qid);
    texts.push_back(std::move(q));
  }
  // Queries that fail (a syntax error) or search nothing are skipped, as on one index.
  const BatchResults first = (*set)->SearchBatch(texts, so, a.threads);
  std::vector<std::string> run_qids, run_texts;
  size_t skipped = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (!first.errors[i].ok()) {
      std::fprintf(stderr, "scour: %s: query %s: %s\n", a.queries.c_str(), qids[i].c_str(),
                   std::string(first.errors[i].message()).c_str());
      ++skipped;
      continue;
    }
    run_qids.push_back(qids[i]);
    run_texts.push_back(texts[i]);
  }
  if (run_texts.empty()) return PrintError("no runnable queries", kExitUsage);
  eval::TimingOptions topts;
  topts.k = a.k;
  topts.reps = a.reps;
  topts.warmup_secs = a.warmup_secs;
  topts.threads = a.threads;
  std::vector<engine::ExecResult> last(run_texts.size());
  auto timed = eval::TimeCalls(run_texts.size(), topts, [&](size_t i, bool keep) -> absl::Status {
    const BatchResults r = (*set)->SearchBatch({run_texts[i]}, so, 1);
    SCOUR_RETURN_IF_ERROR(r.errors[0]);
    if (keep) {
      last[i].count = r.total_hits[0];
      for (size_t h = r.offsets[0]; h < r.offsets[1]; ++h)
        last[i].top.push_back({static_cast<index::DocId>(r.docs[h]), r.scores[h]});
    }
    return absl::OkStatus();
  });
  if (!timed.ok()) return PrintError(timed.status());
  timed->last = std::move(last);
  return Report(a, run_qids, skipped, 0, *timed, [&](uint64_t doc) {
    auto id = (*set)->ExternalId(doc);
    return id.ok() ? std::string(*id) : std::string("?");
  });
}

}  // namespace

void RegisterBench(CLI::App& app, CommandResult& result) {
  auto a = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand("bench", "Time a query log: latency percentiles and QPS");
  cmd->add_option("--index", a->index, "Index directory or index set")->required();
  cmd->add_option("--queries", a->queries, "qid<TAB>query file")->required();
  cmd->add_option("--mode", a->mode, "or, and or phrase")->capture_default_str();
  cmd->add_option("-k", a->k, "Hits per query")->capture_default_str();
  cmd->add_option("--repeat", a->reps, "Timed passes over the log")->capture_default_str();
  cmd->add_option("--warmup-secs", a->warmup_secs, "Warm-up time (at least one pass)")
      ->capture_default_str();
  cmd->add_option("--run", a->run_out, "Write the last pass as a TREC run");
  cmd->add_option("--per-query", a->per_query_out, "Write qid<TAB>mean us<TAB>hits per query");
  cmd->add_flag("--count", a->count,
                "Time the exact number of matches alone (no top k); --run writes qid<TAB>count");
  cmd->add_flag("--execute-only", a->execute_only,
                "Time only the execution of queries bound beforehand (not their binding: term "
                "statistics and scorers)");
  cmd->add_flag("--json", a->json, "JSON output");
  AddSyntaxFlag(cmd, &a->query_syntax);
  AddThreadsFlag(cmd, &a->threads);
  AddRankingFlags(cmd, &a->ranking);
  AddSynonymsFlags(cmd, &a->synonyms);
  cmd->callback([a, &result] { result.exit_code = RunBench(*a); });
}

}  // namespace scour::cli
