// `scour compare`: evaluates two or more systems over the same topics and qrels and prints the
// metric table, paired statistics (wins/ties/losses, randomisation test, t-test) and per-query
// deltas; --html writes a self-contained report; --sweep runs a k1/b/delta grid (docs/EVAL.md).
// Systems: --run files, or --index + --topics with --ranker (repeatable) / --config items.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/commands.h"
#include "cli/ranking_flags.h"
#include "eval/compare.h"
#include "eval/html_report.h"
#include "eval/metrics.h"
#include "eval/search_run.h"
#include "eval/trec_io.h"

namespace scour::cli {
namespace {

struct CompareArgs {
  std::string qrels, index, topics, html, sweep, tag;
  std::vector<std::string> runs, rankers, configs;
  std::string metrics = "map,ndcg_cut.10,P.10,recall.1000";
  RankingFlags base;  // k1, b, delta, weights shared by every --ranker system
  int64_t depth = 1000;
  int64_t max_retrieved = 1000;
  int32_t level = 1;
  bool query_syntax = false, brief = false;
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
    } else if (k == "weights") {
      out->flags.weights = v;  // FIELD=W items cannot contain ',' here; use ';' between them
      for (char& c : out->flags.weights)
        if (c == ';') c = ',';
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--config \"", item, "\": unknown key \"", k,
                                                     "\" (ranker, k1, b, delta, weights)"));
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

int RunCompare(const CompareArgs& a) {
  if (a.qrels.empty()) return Fail("--qrels is required", 2);
  const bool from_index = !a.index.empty();
  if (from_index == !a.runs.empty())
    return Fail("give either --run files, or --index with --topics", 2);
  if (from_index && a.topics.empty()) return Fail("--index needs --topics", 2);
  if (a.depth <= 0 || a.max_retrieved < 0) return Fail("--depth must be > 0 and -M >= 0", 2);
  eval::EvalOptions options;
  options.relevance_level = a.level;
  options.max_retrieved = a.max_retrieved;
  auto measures = eval::ParseMeasureList(a.metrics);
  if (!measures.ok()) return Fail(absl::StrCat("--metrics: ", measures.status().message()), 2);
  options.measures = *std::move(measures);
  auto qrels = eval::ReadQrelsFile(a.qrels);
  if (!qrels.ok()) return Fail(std::string(qrels.status().message()), 1);

  std::vector<eval::NamedRun> runs;
  std::unique_ptr<eval::SweepGrid> grid;
  if (!from_index) {
    if (!a.sweep.empty() || !a.rankers.empty() || !a.configs.empty())
      return Fail("--ranker, --config and --sweep need --index and --topics", 2);
    if (a.runs.size() < 2) return Fail("give at least two --run files", 2);
    for (const std::string& path : a.runs) {
      auto run = eval::ReadRunFile(path);
      if (!run.ok()) return Fail(std::string(run.status().message()), 1);
      std::string name = path.substr(path.find_last_of('/') + 1);
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
      grid = std::make_unique<eval::SweepGrid>();
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
    }
    auto topics = eval::ReadTopicsFile(a.topics);
    if (!topics.ok()) return Fail(std::string(topics.status().message()), 1);
    auto searcher = eval::TopicSearcher::Open(a.index);
    if (!searcher.ok()) return Fail(std::string(searcher.status().message()), 1);
    for (const System& s : systems) {
      eval::SearchRunOptions ropts;
      if (absl::Status st = ToRankingOptions(s.flags, &ropts.ranking); !st.ok())
        return Fail(absl::StrCat(s.name, ": ", st.message()), 2);
      ropts.depth = static_cast<size_t>(a.depth);
      ropts.query_syntax = a.query_syntax;
      ropts.tag = s.name;
      auto run = (*searcher)->Search(*topics, ropts);
      if (!run.ok())
        return Fail(absl::StrCat(s.name, ": ", run.status().message()),
                    run.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1);
      runs.push_back({s.name, *std::move(run)});
    }
  }
  auto cmp = eval::CompareRuns(*qrels, runs, options, /*paired_tests=*/grid == nullptr);
  if (!cmp.ok()) return Fail(std::string(cmp.status().message()), 1);
  std::string text = eval::FormatComparison(*cmp, a.brief ? -1 : 0);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (grid != nullptr) {
    size_t best = 0;
    for (size_t s = 1; s < cmp->systems.size(); ++s)
      if (cmp->means[s][0] > cmp->means[best][0]) best = s;
    std::printf("best %s: %s (%.4f)\n", cmp->columns[0].name.c_str(), cmp->systems[best].c_str(),
                cmp->means[best][0]);
  }
  if (!a.html.empty()) {
    std::string title = a.tag.empty() ? "scour compare" : a.tag;
    std::string html = eval::ComparisonHtml(*cmp, 0, title, grid.get());
    FILE* f = std::fopen(a.html.c_str(), "w");
    if (f == nullptr || std::fwrite(html.data(), 1, html.size(), f) != html.size() ||
        std::fclose(f) != 0)
      return Fail(absl::StrCat("cannot write ", a.html), 1);
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
  cmd->add_option("--sweep", a->sweep,
                  "Grid of one or two parameters, e.g. k1=0.5:1.5:0.1,b=0.2:1.0:0.1");
  cmd->add_option("--metrics", a->metrics, "Measures; the first is charted and sorted on")
      ->capture_default_str();
  cmd->add_option("-k,--depth", a->depth, "Hits per topic")->capture_default_str();
  cmd->add_option("-M,--max-retrieved", a->max_retrieved, "Evaluate at most this many per query")
      ->capture_default_str();
  cmd->add_option("-l,--level", a->level, "Minimum relevance that counts as relevant")
      ->capture_default_str();
  cmd->add_flag("--syntax", a->query_syntax, "Parse topics as the query language");
  cmd->add_flag("--brief", a->brief, "Omit the per-query deltas");
  cmd->add_option("--html", a->html, "Write a self-contained HTML report here");
  cmd->add_option("--title", a->tag, "Title of the HTML report");
  cmd->callback([a, &result] { result.exit_code = RunCompare(*a); });
}

}  // namespace scour::cli
