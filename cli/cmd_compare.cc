// `scour compare`: evaluates two or more systems over the same topics and qrels and prints the
// metric table, paired statistics (wins/ties/losses, randomisation test, t-test) and per-query
// deltas; --html writes a self-contained report; --sweep runs a k1/b/delta grid (docs/EVAL.md).
// Systems: --run files, or --index + --topics with --ranker (repeatable) / --config items.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/commands.h"
#include "cli/ranking_flags.h"
#include "eval/compare.h"
#include "eval/compare_format.h"
#include "eval/html_report.h"
#include "eval/metrics.h"
#include "eval/search_run.h"
#include "eval/trec_io.h"
#include "eval/tuning.h"

namespace scour::cli {
namespace {

struct CompareArgs {
  std::string qrels, index, topics, html, sweep, tag, format = "text", per_query_tsv;
  std::vector<std::string> runs, rankers, configs;
  std::string metrics = "map,ndcg_cut.10,P.10,recall.1000";
  RankingFlags base;  // k1, b, delta, weights shared by every --ranker system
  int64_t depth = 1000;
  int64_t max_retrieved = 1000;
  int32_t level = 1;
  bool query_syntax = false, brief = false, all_pairs = false;
  SynonymsFlags synonyms;
  std::string tests = "randomization,t-test,wilcoxon", correction = "holm";
  std::string wilcoxon_zeros = "wilcox", wilcoxon_method = "auto";
  double alpha = 0.05, judged_warn = 0.10;
  uint64_t seed = eval::kDefaultRandomizationSeed;
  int64_t permutations = 10000, bootstrap = 10000, judged_k = 10;
  int latency_passes = 3, warmup_passes = 1;
  int threads = 0;
  int folds = 0;
  std::string train_topics, test_topics;
};

struct System {
  std::string name;
  RankingFlags flags;
};

int Fail(const std::string& msg, int code) {
  std::cerr << "scour compare: " << msg << "\n";
  return code;
}

// "name:--ranker bm25tp --k1 1.2" (or "name:ranker=bm25tp,k1=1.2"); without "name:" the flags
// name the system.
absl::Status ParseConfig(const std::string& item, const RankingFlags& base, System* out) {
  out->flags = base;
  std::string flags = item;
  out->name = item;
  if (size_t colon = item.find(':'); colon != std::string::npos) {
    out->name = item.substr(0, colon);
    flags = item.substr(colon + 1);
  }
  std::vector<std::string> tok;
  for (absl::string_view t : absl::StrSplit(flags, absl::ByAnyChar(" \t,"), absl::SkipEmpty())) {
    absl::string_view v = t;
    absl::ConsumePrefix(&v, "--");
    // --key=value or key=value become two tokens.
    if (size_t eq = v.find('='); eq != absl::string_view::npos) {
      tok.emplace_back(v.substr(0, eq));
      tok.emplace_back(v.substr(eq + 1));
    } else {
      tok.emplace_back(v);
    }
  }
  if (tok.size() % 2 != 0)
    return absl::InvalidArgumentError(
        absl::StrCat("--config \"", item, "\": expected KEY VALUE pairs"));
  for (size_t i = 0; i < tok.size(); i += 2) {
    const std::string& k = tok[i];
    const std::string& v = tok[i + 1];
    bool ok = true;
    if (k == "ranker") {
      out->flags.ranker = v;
    } else if (k == "k1") {
      ok = absl::SimpleAtof(v, &out->flags.k1);
    } else if (k == "b") {
      ok = absl::SimpleAtof(v, &out->flags.b);
    } else if (k == "delta") {
      ok = absl::SimpleAtof(v, &out->flags.delta);
    } else if (k == "mu") {
      ok = absl::SimpleAtof(v, &out->flags.mu);
    } else if (k == "c") {
      ok = absl::SimpleAtof(v, &out->flags.c);
    } else if (k == "expand") {
      out->flags.expand = v;
    } else if (k == "fb-docs" || k == "fb_docs") {
      ok = absl::SimpleAtoi(v, &out->flags.fb_docs);
    } else if (k == "fb-terms" || k == "fb_terms") {
      ok = absl::SimpleAtoi(v, &out->flags.fb_terms);
    } else if (k == "fb-weight" || k == "fb_weight") {
      ok = absl::SimpleAtof(v, &out->flags.fb_weight);
    } else if (k == "weights") {
      out->flags.weights = v;  // FIELD=W items cannot contain ',' here; use ';' between them
      for (char& c : out->flags.weights)
        if (c == ';') c = ',';
    } else if (k == "field-b" || k == "field_b") {
      out->flags.field_b = v;  // as weights: ';' between the FIELD=B items
      for (char& c : out->flags.field_b)
        if (c == ';') c = ',';
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("--config \"", item, "\": unknown key \"", k,
                       "\" (ranker, k1, b, delta, mu, c, weights, field-b, expand, fb-docs, "
                       "fb-terms, fb-weight)"));
    }
    if (!ok)
      return absl::InvalidArgumentError(
          absl::StrCat("--config \"", item, "\": bad number \"", v, "\""));
  }
  return absl::OkStatus();
}

struct SweepParam {
  std::string name;
  std::vector<double> values;
};

// "k1=0.5:1.5:0.1,b=0.2:1.0:0.1" (lo:hi:step, or one value).
absl::StatusOr<std::vector<SweepParam>> ParseSweep(const std::string& spec) {
  std::vector<SweepParam> params;
  for (absl::string_view item : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(item, absl::MaxSplits('=', 1));
    SweepParam p;
    p.name = std::string(kv.first);
    if (p.name != "k1" && p.name != "b" && p.name != "delta")
      return absl::InvalidArgumentError(
          absl::StrCat("--sweep: unknown parameter \"", p.name, "\" (k1, b, delta)"));
    std::vector<std::string> r = absl::StrSplit(kv.second, ':');
    double lo, hi, step;
    if (r.size() == 1 && absl::SimpleAtod(r[0], &lo)) {
      p.values = {lo};
    } else if (r.size() == 3 && absl::SimpleAtod(r[0], &lo) && absl::SimpleAtod(r[1], &hi) &&
               absl::SimpleAtod(r[2], &step) && step > 0 && hi >= lo) {
      const auto n = static_cast<int64_t>(std::floor((hi - lo) / step + 1e-9)) + 1;
      if (n > 1000) return absl::InvalidArgumentError("--sweep: more than 1000 values");
      for (int64_t i = 0; i < n; ++i) p.values.push_back(std::round((lo + i * step) * 1e6) / 1e6);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("--sweep: expected NAME=LO:HI:STEP or NAME=VALUE, got \"", item, "\""));
    }
    params.push_back(std::move(p));
  }
  if (params.empty() || params.size() > 2)
    return absl::InvalidArgumentError("--sweep: give one or two of k1, b, delta");
  if (params.size() == 2 && params[0].name == params[1].name)
    return absl::InvalidArgumentError("--sweep: a parameter is given twice");
  return params;
}

void SetParam(const std::string& name, double v, RankingFlags* f) {
  if (name == "k1") f->k1 = static_cast<float>(v);
  if (name == "b") f->b = static_cast<float>(v);
  if (name == "delta") f->delta = static_cast<float>(v);
}

std::string RankingDescription(const RankingFlags& f) {
  std::string d = absl::StrCat("ranker=", f.ranker, " k1=", f.k1, " b=", f.b);
  if (f.delta >= 0) absl::StrAppend(&d, " delta=", f.delta);
  if (f.ranker == "qld") absl::StrAppend(&d, " mu=", f.mu);
  if (absl::StartsWith(f.ranker, "dfr-")) absl::StrAppend(&d, " c=", f.c);
  if (!f.weights.empty()) absl::StrAppend(&d, " weights=", f.weights);
  if (!f.field_b.empty()) absl::StrAppend(&d, " field-b=", f.field_b);
  if (!f.expand.empty()) {
    absl::StrAppend(&d, " expand=", f.expand);
    if (f.fb_docs >= 0) absl::StrAppend(&d, " fb-docs=", f.fb_docs);
    if (f.fb_terms >= 0) absl::StrAppend(&d, " fb-terms=", f.fb_terms);
    if (f.fb_weight >= 0) absl::StrAppend(&d, " fb-weight=", f.fb_weight);
  }
  return d;
}

absl::Status WriteFile(const std::string& path, const std::string& data) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr || std::fwrite(data.data(), 1, data.size(), f) != data.size() ||
      std::fclose(f) != 0)
    return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

int RunCompare(const CompareArgs& a) {
  if (a.qrels.empty()) return Fail("--qrels is required", 2);
  const bool from_index = !a.index.empty();
  if (from_index == !a.runs.empty())
    return Fail("give either --run files, or --index with --topics", 2);
  if (from_index && a.topics.empty()) return Fail("--index needs --topics", 2);
  if (a.depth <= 0 || a.max_retrieved < 0) return Fail("--depth must be > 0 and -M >= 0", 2);
  if (a.format != "text" && a.format != "json" && a.format != "markdown" && a.format != "latex")
    return Fail("--format must be text, json, markdown or latex", 2);
  if (a.latency_passes < 0 || a.warmup_passes < 0)
    return Fail("--latency-passes and --warmup-passes must be >= 0", 2);
  if (a.folds != 0 && (!a.train_topics.empty() || !a.test_topics.empty()))
    return Fail("give --folds or --train-topics/--test-topics, not both", 2);
  if ((a.folds != 0 || !a.train_topics.empty() || !a.test_topics.empty()) && a.sweep.empty())
    return Fail("--folds, --train-topics and --test-topics tune a --sweep", 2);
  eval::CompareOptions options;
  options.eval.relevance_level = a.level;
  options.eval.max_retrieved = a.max_retrieved;
  auto measures = eval::ParseMeasureList(a.metrics);
  if (!measures.ok()) return Fail(absl::StrCat("--metrics: ", measures.status().message()), 2);
  options.eval.measures = *std::move(measures);
  auto tests = eval::ParsePairedTests(a.tests);
  if (!tests.ok()) return Fail(absl::StrCat("--tests: ", tests.status().message()), 2);
  options.tests = *std::move(tests);
  auto corr = eval::ParseCorrection(a.correction);
  if (!corr.ok()) return Fail(absl::StrCat("--correction: ", corr.status().message()), 2);
  options.correction = *corr;
  if (a.wilcoxon_zeros == "pratt") {
    options.wilcoxon.zeros = eval::WilcoxonZeros::kPratt;
  } else if (a.wilcoxon_zeros != "wilcox") {
    return Fail("--wilcoxon-zeros must be wilcox or pratt", 2);
  }
  if (a.wilcoxon_method == "exact") {
    options.wilcoxon.method = eval::WilcoxonMethod::kExact;
  } else if (a.wilcoxon_method == "normal") {
    options.wilcoxon.method = eval::WilcoxonMethod::kNormal;
  } else if (a.wilcoxon_method != "auto") {
    return Fail("--wilcoxon-method must be auto, exact or normal", 2);
  }
  options.alpha = a.alpha;
  options.all_pairs = a.all_pairs;
  options.seed = a.seed;
  options.permutations = a.permutations;
  options.bootstrap_samples = a.bootstrap;
  options.judged_k = a.judged_k;
  options.judged_warn_drop = a.judged_warn;
  auto qrels = eval::ReadQrelsFile(a.qrels);
  if (!qrels.ok()) return Fail(std::string(qrels.status().message()), 1);
  std::optional<eval::TopicIdList> train_ids, test_ids;
  if (!a.train_topics.empty()) {
    auto l = eval::ReadTopicIdsFile(a.train_topics);
    if (!l.ok()) return Fail(std::string(l.status().message()), 1);
    train_ids = *std::move(l);
  }
  if (!a.test_topics.empty()) {
    auto l = eval::ReadTopicIdsFile(a.test_topics);
    if (!l.ok()) return Fail(std::string(l.status().message()), 1);
    test_ids = *std::move(l);
  }

  std::vector<eval::NamedRun> runs;
  std::optional<eval::SweepGrid> grid;
  std::vector<std::pair<std::string, std::string>> run_params;
  std::vector<eval::LatencySummary> latency;
  // Tuning: the swept ranker at the shared --k1/--b/--delta, which the held-out choice is
  // tested against.
  std::optional<eval::NamedRun> default_run;
  RankingFlags default_flags = a.base;
  if (!a.rankers.empty()) default_flags.ranker = a.rankers[0];
  const bool tuning = a.folds != 0 || train_ids.has_value() || test_ids.has_value();
  if (!from_index) {
    if (!a.sweep.empty() || !a.rankers.empty() || !a.configs.empty())
      return Fail("--ranker, --config and --sweep need --index and --topics", 2);
    if (a.runs.size() < 2) return Fail("give at least two --run files", 2);
    for (const std::string& path : a.runs) {
      auto run = eval::ReadRunFile(path);
      if (!run.ok()) return Fail(std::string(run.status().message()), 1);
      std::string name = path.substr(path.find_last_of('/') + 1);
      run_params.emplace_back(absl::StrCat("system ", name), path);
      runs.push_back({name, *std::move(run)});
    }
  } else {
    std::vector<System> systems;
    if (!a.sweep.empty()) {
      if (!a.configs.empty() || a.rankers.size() > 1)
        return Fail("--sweep takes at most one --ranker and no --config", 2);
      auto params = ParseSweep(a.sweep);
      if (!params.ok()) return Fail(std::string(params.status().message()), 2);
      RankingFlags f = a.base;
      if (!a.rankers.empty()) f.ranker = a.rankers[0];
      grid.emplace();
      const SweepParam& px = (*params)[0];
      grid->x_name = px.name;
      grid->xs = px.values;
      std::vector<double> ys = {0.0};
      if (params->size() == 2) {
        grid->y_name = (*params)[1].name;
        grid->ys = ys = (*params)[1].values;
      }
      for (double y : ys) {
        for (double x : px.values) {
          System s{"", f};
          SetParam(px.name, x, &s.flags);
          s.name = absl::StrCat(px.name, "=", x);
          if (params->size() == 2) {
            SetParam(grid->y_name, y, &s.flags);
            absl::StrAppend(&s.name, ",", grid->y_name, "=", y);
          }
          systems.push_back(std::move(s));
        }
      }
      run_params.emplace_back("sweep", absl::StrCat(a.sweep, " over ", RankingDescription(f)));
    } else {
      for (const std::string& r : a.rankers) {
        System s{r, a.base};
        s.flags.ranker = r;
        systems.push_back(std::move(s));
      }
      for (const std::string& item : a.configs) {
        System s;
        if (absl::Status st = ParseConfig(item, a.base, &s); !st.ok())
          return Fail(std::string(st.message()), 2);
        systems.push_back(std::move(s));
      }
      if (systems.size() < 2) return Fail("give at least two systems (--ranker / --config)", 2);
      for (const System& s : systems)
        run_params.emplace_back(absl::StrCat("system ", s.name), RankingDescription(s.flags));
    }
    auto topics = eval::ReadTopicsFile(a.topics);
    if (!topics.ok()) return Fail(std::string(topics.status().message()), 1);
    auto searcher = eval::TopicSearcher::Open(a.index);
    if (!searcher.ok()) return Fail(std::string(searcher.status().message()), 1);
    bool use_synonyms = true;
    std::shared_ptr<const SynonymSet> synonyms;
    if (absl::Status st = ResolveSynonyms(a.synonyms, (*searcher)->reader().analyzer_options(),
                                          &use_synonyms, &synonyms);
        !st.ok())
      return Fail(std::string(st.message()), 1);
    std::vector<eval::SearchRunOptions> ropts_all;
    for (const System& s : systems) {
      eval::SearchRunOptions ropts;
      if (absl::Status st = ToRankingOptions(s.flags, &ropts.ranking); !st.ok())
        return Fail(absl::StrCat(s.name, ": ", st.message()), 2);
      ropts.depth = static_cast<size_t>(a.depth);
      ropts.query_syntax = a.query_syntax;
      ropts.threads = a.threads;
      ropts.tag = s.name;
      ropts.use_synonyms = use_synonyms;
      ropts.synonyms = synonyms;
      auto run = (*searcher)->Search(*topics, ropts);
      if (!run.ok())
        return Fail(absl::StrCat(s.name, ": ", run.status().message()),
                    run.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1);
      runs.push_back({s.name, *std::move(run)});
      ropts_all.push_back(std::move(ropts));
    }
    if (grid.has_value() && tuning) {
      eval::SearchRunOptions ropts;
      if (absl::Status st = ToRankingOptions(default_flags, &ropts.ranking); !st.ok())
        return Fail(std::string(st.message()), 2);
      ropts.depth = static_cast<size_t>(a.depth);
      ropts.query_syntax = a.query_syntax;
      ropts.threads = a.threads;
      ropts.tag = "default";
      ropts.use_synonyms = use_synonyms;
      ropts.synonyms = synonyms;
      auto run = (*searcher)->Search(*topics, ropts);
      if (!run.ok()) return Fail(absl::StrCat("default: ", run.status().message()), 1);
      default_run = eval::NamedRun{"default", *std::move(run)};
    }
    run_params.insert(run_params.begin(),
                      {{"index", a.index},
                       {"topics", absl::StrCat(a.topics, " (", topics->size(), " topics)")},
                       {"search depth", absl::StrCat(a.depth)},
                       {"topic text", a.query_syntax ? "query language (--syntax)"
                                                     : "bag of words (analysed terms, OR)"}});
    if (a.latency_passes > 0) {
      // The evaluation passes above already warmed the index; these add untimed rounds.
      auto lat =
          eval::MeasureLatency(**searcher, *topics, ropts_all, a.latency_passes, a.warmup_passes);
      if (!lat.ok()) return Fail(std::string(lat.status().message()), 1);
      latency = *std::move(lat);
      run_params.emplace_back(
          "latency",
          absl::StrCat(a.latency_passes, a.latency_passes == 1 ? " timed pass" : " timed passes",
                       " per system after ", a.warmup_passes,
                       a.warmup_passes == 1 ? " warm-up pass" : " warm-up passes",
                       " (and the evaluation pass), systems interleaved; ",
                       eval::LatencyThreadsText(latency), "; nearest-rank percentiles"));
    }
  }
  run_params.emplace_back("qrels", a.qrels);
  run_params.emplace_back("measures", a.metrics);

  options.paired_tests = !grid.has_value();
  auto cmp = eval::CompareRuns(*qrels, runs, options);
  if (!cmp.ok()) return Fail(std::string(cmp.status().message()), 1);
  eval::CompareReport report;
  report.title = a.tag.empty() ? "scour compare" : a.tag;
  report.cmp = *std::move(cmp);
  report.per_query = !a.brief;
  report.grid = grid;
  if (!latency.empty()) report.cmp.latency = latency;
  report.cmp.parameters.insert(report.cmp.parameters.begin(), run_params.begin(), run_params.end());
  if (grid.has_value() && (a.folds != 0 || train_ids || test_ids)) {
    std::vector<eval::TopicSplit> splits;
    std::string method;
    if (a.folds != 0) {
      auto f = eval::MakeFolds(report.cmp.qids.size(), a.folds, a.seed);
      if (!f.ok()) return Fail(std::string(f.status().message()), 2);
      splits = *std::move(f);
      method = "cross-validation";
      report.cmp.parameters.emplace_back(
          "tuning",
          absl::StrCat(a.folds, "-fold cross-validation by topic on ", report.cmp.columns[0].name,
                       ", folds shuffled with seed ", a.seed));
    } else {
      auto sp = eval::MakeSplit(report.cmp.qids, train_ids ? &*train_ids : nullptr,
                                test_ids ? &*test_ids : nullptr);
      if (!sp.ok()) return Fail(std::string(sp.status().message()), 1);
      splits.push_back(*std::move(sp));
      method = "train/test split";
      report.cmp.parameters.emplace_back(
          "tuning",
          absl::StrCat("best ", report.cmp.columns[0].name, " on ",
                       a.train_topics.empty() ? "the topics not in --test-topics" : a.train_topics,
                       ", scored on ",
                       a.test_topics.empty() ? "the topics not in --train-topics" : a.test_topics));
    }
    auto t = eval::Tune(report.cmp, 0, splits, method, a.seed);
    if (!t.ok()) return Fail(std::string(t.status().message()), 1);
    report.tuning = *std::move(t);
    if (default_run.has_value()) {
      // The default's values on the compared topics (0 where it retrieved nothing), then the
      // paired statistics of the held-out choices against it on the held-out topics.
      eval::CompareOptions dopts = options;
      dopts.paired_tests = false;
      dopts.judged_k = 0;
      auto d = eval::CompareRuns(*qrels, {*default_run}, dopts);
      if (!d.ok()) return Fail(std::string(d.status().message()), 1);
      const eval::Comparison& cmp = report.cmp;
      std::vector<std::string> qids;
      std::vector<std::vector<double>> dv, tv;
      for (size_t q = 0; q < cmp.qids.size(); ++q) {
        if (std::isnan(report.tuning->held_out[q])) continue;
        auto it = std::lower_bound(d->qids.begin(), d->qids.end(), cmp.qids[q]);
        const bool has = it != d->qids.end() && *it == cmp.qids[q];
        qids.push_back(cmp.qids[q]);
        dv.push_back({has ? d->values[0][static_cast<size_t>(it - d->qids.begin())][0] : 0.0});
        tv.push_back({report.tuning->held_out[q]});
      }
      const std::string dname = absl::StrCat("default (", RankingDescription(default_flags), ")");
      eval::CompareOptions vopts = options;
      vopts.paired_tests = true;
      vopts.all_pairs = false;
      auto vs =
          eval::CompareValues({dname, "tuned (held-out)"}, {cmp.columns[0]}, qids, {dv, tv}, vopts);
      if (!vs.ok()) return Fail(std::string(vs.status().message()), 1);
      for (const auto& [k, v] : vs->parameters)
        if (k != "queries" && k != "comparisons")
          report.cmp.parameters.emplace_back(absl::StrCat("tuned vs default: ", k), v);
      report.tuning->against_default = *std::move(vs);
    }
  }
  std::string out;
  if (a.format == "json") {
    out = eval::FormatJson(report);
  } else if (a.format == "markdown") {
    out = eval::FormatMarkdown(report);
  } else if (a.format == "latex") {
    out = eval::FormatLatex(report);
  } else {
    out = eval::FormatText(report);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  // Warnings also on stderr, so they are seen when stdout goes to a file.
  for (const std::string& n : report.Notes()) std::fprintf(stderr, "warning: %s\n", n.c_str());
  if (!a.per_query_tsv.empty()) {
    if (absl::Status st = WriteFile(a.per_query_tsv, eval::FormatPerQueryTsv(report.cmp)); !st.ok())
      return Fail(std::string(st.message()), 1);
  }
  if (!a.html.empty()) {
    if (absl::Status st = WriteFile(a.html, eval::ComparisonHtml(report)); !st.ok())
      return Fail(std::string(st.message()), 1);
  }
  return 0;
}

}  // namespace

void RegisterCompare(CLI::App& app, CommandResult& result) {
  auto a = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Compare rankers (or run files) over the same topics and qrels, with significance tests");
  cmd->add_option("--qrels", a->qrels, "Qrels file: qid iter docid rel");
  cmd->add_option("--run", a->runs, "A run file (repeat: two or more; the first is the baseline)");
  cmd->add_option("--index", a->index, "Index to search for the --topics");
  cmd->add_option("--topics", a->topics, "qid<TAB>query lines or TREC topics");
  cmd->add_option("--ranker", a->rankers,
                  "A system with this ranker and the shared --k1/--b/--delta/--weights (repeat; "
                  "the first system is the baseline)");
  cmd->add_option("--config", a->configs,
                  "A system \"NAME:--ranker R --k1 X --b Y --delta D\" (repeat)");
  cmd->add_option("--k1", a->base.k1, "BM25 k1 for --ranker systems")->capture_default_str();
  cmd->add_option("--b", a->base.b, "BM25 b for --ranker systems")->capture_default_str();
  cmd->add_option("--delta", a->base.delta, "BM25+/BM25L delta for --ranker systems");
  cmd->add_option("--weights", a->base.weights, "Per-field weights, e.g. title=2,text=1");
  AddFeedbackFlags(cmd, &a->base);
  cmd->add_option("--sweep", a->sweep,
                  "Grid of one or two parameters, e.g. k1=0.5:1.5:0.1,b=0.2:1.0:0.1");
  cmd->add_option("--metrics", a->metrics, "Measures; the first is charted and sorted on")
      ->capture_default_str();
  cmd->add_option("-k,--depth", a->depth, "Hits per topic")->capture_default_str();
  cmd->add_option("-M,--max-retrieved", a->max_retrieved, "Evaluate at most this many per query")
      ->capture_default_str();
  cmd->add_option("-l,--level", a->level, "Minimum relevance that counts as relevant")
      ->capture_default_str();
  AddSyntaxFlag(cmd, &a->query_syntax);
  AddSynonymsFlags(cmd, &a->synonyms);
  AddThreadsFlag(cmd, &a->threads);
  cmd->add_flag("--all-pairs", a->all_pairs,
                "Test every pair of systems, not each against the first");
  cmd->add_option("--tests", a->tests,
                  "Paired tests, the first decides the markers: randomization, t-test, wilcoxon")
      ->capture_default_str();
  cmd->add_option("--correction", a->correction,
                  "Multiple-comparison correction over systems x measures: holm, bonferroni, none")
      ->capture_default_str();
  cmd->add_option("--alpha", a->alpha, "Significance level of the markers")->capture_default_str();
  cmd->add_option("--seed", a->seed, "Seed of the randomisation test, bootstrap and folds")
      ->capture_default_str();
  cmd->add_option("--permutations", a->permutations,
                  "Sampled sign assignments of the randomisation test (more than 16 queries)")
      ->capture_default_str();
  cmd->add_option("--bootstrap", a->bootstrap, "Bootstrap resamples of the 95% interval")
      ->capture_default_str();
  cmd->add_option("--wilcoxon-zeros", a->wilcoxon_zeros, "Zero differences: wilcox (drop), pratt")
      ->capture_default_str();
  cmd->add_option("--wilcoxon-method", a->wilcoxon_method, "auto, exact or normal")
      ->capture_default_str();
  cmd->add_option("--judged-k", a->judged_k, "judged@k depth (0: off)")->capture_default_str();
  cmd->add_option("--judged-warn", a->judged_warn,
                  "Warn when a system's judged@k is this much below the baseline's")
      ->capture_default_str();
  cmd->add_option("--latency-passes", a->latency_passes,
                  "Timed passes per system from an index (0: no latency)")
      ->capture_default_str();
  cmd->add_option("--warmup-passes", a->warmup_passes, "Untimed rounds before them")
      ->capture_default_str();
  cmd->add_option("--folds", a->folds, "Sweep: N-fold cross-validation by topic");
  cmd->add_option("--train-topics", a->train_topics, "Sweep: topic ids to tune on (one a line)");
  cmd->add_option("--test-topics", a->test_topics, "Sweep: topic ids to score the choice on");
  cmd->add_option("--format", a->format, "text, json, markdown or latex")->capture_default_str();
  cmd->add_option("--per-query-tsv", a->per_query_tsv,
                  "Write system<TAB>measure<TAB>qid<TAB>value lines here");
  cmd->add_flag("--brief", a->brief, "Omit the per-query deltas");
  cmd->add_option("--html", a->html, "Write a self-contained HTML report here");
  cmd->add_option("--title", a->tag, "Title of the report");
  cmd->callback([a, &result] { result.exit_code = RunCompare(*a); });
}

}  // namespace scour::cli
