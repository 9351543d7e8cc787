// `scour eval [QRELS RUN]`, `scour eval --run F --qrels F`: trec_eval 9.0.7's evaluation of a
// run, with its flags (-q -m -c -l -M -n -N) and its exact text output; or
// `scour eval --index DIR --topics F --qrels F`: search the topics first (docs/EVAL.md).
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "cli/ranking_flags.h"
#include "eval/metrics.h"
#include "eval/search_run.h"
#include "eval/trec_io.h"
#include "nlohmann/json.hpp"

namespace scour::cli {
namespace {

constexpr int64_t kNotGiven = std::numeric_limits<int64_t>::min();

struct EvalArgs {
  std::string run_path;
  std::string qrels_path;
  std::vector<std::string> positional;  // trec_eval's order: QRELS RUN
  std::vector<std::string> measures;    // -m, repeatable; --metrics is the same
  std::vector<int64_t> cutoffs;
  bool per_query = false;
  bool complete = false;
  bool no_summary = false;
  bool json = false;
  int32_t relevance_level = 1;
  int64_t max_retrieved = kNotGiven;  // trec_eval's default: every retrieved document
  int64_t num_docs_in_coll = 0;
  // --index mode
  std::string index_dir, topics_path, run_out, tag = "scour";
  int64_t depth = 1000;  // hits per topic
  bool query_syntax = false;
  SynonymsFlags synonyms;
  bool verify_pruning = false;
  int threads = 0;
  RankingFlags ranking;
};

int Usage(const std::string& msg) {
  std::cerr << "scour eval: " << msg << "\n";
  return 2;
}

nlohmann::ordered_json MetricsJson(const eval::EvalReport& report,
                                   const std::vector<double>& values, const std::string* relstring,
                                   bool summary) {
  nlohmann::ordered_json m = nlohmann::ordered_json::object();
  for (size_t i = 0; i < report.columns.size(); ++i) {
    const eval::Column& c = report.columns[i];
    const eval::MeasureInfo& info = eval::InfoOf(c.measure);
    if (summary ? info.summary == eval::SummaryKind::kNone : !info.per_query) continue;
    if (c.measure == eval::Measure::kRunid) {
      m[c.name] = report.run_tag;
    } else if (c.measure == eval::Measure::kRelstring) {
      m[c.name] = relstring ? *relstring : "";
    } else if (c.integral) {
      m[c.name] = static_cast<int64_t>(values[i]);
    } else {
      m[c.name] = values[i];
    }
  }
  return m;
}

int RunEval(EvalArgs args) {
  if (!args.positional.empty()) {
    if (args.positional.size() != 2 || !args.qrels_path.empty() || !args.run_path.empty() ||
        !args.index_dir.empty()) {
      return Usage("give QRELS RUN as trec_eval takes them, or --qrels with --run or --index");
    }
    args.qrels_path = args.positional[0];
    args.run_path = args.positional[1];
  }
  const bool from_index = !args.index_dir.empty();
  if (args.qrels_path.empty() || from_index == !args.run_path.empty() ||
      from_index == args.topics_path.empty()) {
    return Usage("give QRELS RUN, or --qrels and either --run, or --index and --topics");
  }
  std::vector<int64_t> cutoffs = args.cutoffs;
  if (cutoffs.empty())
    cutoffs.assign(std::begin(eval::kDefaultCutoffs), std::end(eval::kDefaultCutoffs));
  for (int64_t k : cutoffs) {
    if (k <= 0) return Usage("cutoffs must be positive");
  }
  const bool all_retrieved = args.max_retrieved == kNotGiven;
  if (!all_retrieved && args.max_retrieved < 0) return Usage("-M must be >= 0");
  if (from_index && args.depth <= 0) return Usage("--depth must be > 0");
  eval::EvalOptions options;
  options.relevance_level = args.relevance_level;
  options.max_retrieved = all_retrieved ? eval::kAllRetrieved : args.max_retrieved;
  options.complete = args.complete;
  options.num_docs_in_coll = args.num_docs_in_coll;
  if (args.measures.empty()) {
    options.measures = eval::DefaultMeasures(cutoffs);
  } else {
    // Each -m is parsed on its own (a bare number continues only its own measure).
    std::vector<eval::MeasureRequest> all;
    for (const std::string& m : args.measures) {
      auto parsed = eval::ParseMeasureItems(m);
      if (!parsed.ok()) return Usage(absl::StrCat("-m ", m, ": ", parsed.status().message()));
      all.insert(all.end(), parsed->begin(), parsed->end());
    }
    auto resolved = eval::ResolveMeasures(all, cutoffs);
    if (!resolved.ok()) return Usage(std::string(resolved.status().message()));
    options.measures = *std::move(resolved);
  }
  auto qrels = eval::ReadQrelsFile(args.qrels_path);
  if (!qrels.ok()) {
    std::cerr << "scour eval: " << qrels.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<eval::Run> run;
  if (from_index) {
    eval::SearchRunOptions ropts;
    if (absl::Status s = ToRankingOptions(args.ranking, &ropts.ranking); !s.ok()) {
      return Usage(std::string(s.message()));
    }
    ropts.depth = static_cast<size_t>(args.depth);
    ropts.query_syntax = args.query_syntax;
    ropts.tag = args.tag;
    ropts.threads = args.threads;
    ropts.verify_pruning = args.verify_pruning;
    auto topics = eval::ReadTopicsFile(args.topics_path);
    if (!topics.ok()) {
      std::cerr << "scour eval: " << topics.status().message() << "\n";
      return 1;
    }
    auto searcher = eval::TopicSearcher::Open(args.index_dir);
    if (!searcher.ok()) {
      std::cerr << "scour eval: " << searcher.status().message() << "\n";
      return 1;
    }
    if (absl::Status s = ResolveSynonyms(args.synonyms, (*searcher)->reader().analyzer_options(),
                                         &ropts.use_synonyms, &ropts.synonyms);
        !s.ok()) {
      std::cerr << "scour eval: " << s.message() << "\n";
      return 1;
    }
    run = (*searcher)->Search(*topics, ropts);
    if (!run.ok()) {
      std::cerr << "scour eval: " << args.topics_path << ": " << run.status().message() << "\n";
      return run.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
    }
    if (args.verify_pruning) {
      for (const std::string& d : (*searcher)->pruning_differences())
        std::cerr << "scour eval: pruned and exhaustive results differ: " << d;
      std::cerr << "scour eval: verify-pruning: " << topics->size() << " topics, "
                << (*searcher)->pruning_differences().size() << " differ\n";
      if (!(*searcher)->pruning_differences().empty()) return 1;
    }
    if (!args.run_out.empty()) {
      std::string text = eval::FormatRun(*run);
      FILE* f = std::fopen(args.run_out.c_str(), "w");
      if (f == nullptr || std::fwrite(text.data(), 1, text.size(), f) != text.size() ||
          std::fclose(f) != 0) {
        std::cerr << "scour eval: cannot write " << args.run_out << "\n";
        return 1;
      }
    }
  } else {
    run = eval::ReadRunFile(args.run_path);
    if (!run.ok()) {
      std::cerr << "scour eval: " << run.status().message() << "\n";
      return 1;
    }
  }
  auto report = eval::Evaluate(*qrels, *run, options);
  if (!report.ok()) {
    std::cerr << "scour eval: " << report.status().message() << "\n";
    return 1;
  }
  if (!args.json) {
    std::string text = eval::FormatTrecEval(*report, args.per_query, !args.no_summary);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  nlohmann::ordered_json out;
  if (from_index) {
    out["index"] = args.index_dir;
    out["topics"] = args.topics_path;
    out["ranker"] = args.ranking.ranker;
  } else {
    out["run"] = args.run_path;
  }
  out["qrels"] = args.qrels_path;
  out["run_tag"] = report->run_tag;
  out["num_q"] = report->num_q;
  out["options"] = {
      {"relevance_level", options.relevance_level},
      {"max_retrieved", all_retrieved ? nlohmann::ordered_json(nullptr)
                                      : nlohmann::ordered_json(options.max_retrieved)},
      {"complete", options.complete}};
  if (!args.no_summary) out["all"] = MetricsJson(*report, report->summary, nullptr, true);
  if (args.per_query) {
    nlohmann::ordered_json queries = nlohmann::ordered_json::array();
    for (const eval::QueryResult& q : report->queries) {
      queries.push_back({{"qid", q.qid},
                         {"in_run", q.in_run},
                         {"metrics", MetricsJson(*report, q.values, &q.relstring, false)}});
    }
    out["queries"] = std::move(queries);
  }
  std::cout << out.dump(2) << "\n";
  return 0;
}

}  // namespace

void RegisterEval(CLI::App& app, CommandResult& result) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Evaluate a TREC run (or an index's answers to topics) against qrels, exactly as "
      "trec_eval 9.0.7 does: `scour eval [-q] [-m M]... QRELS RUN` prints what `trec_eval` "
      "prints");
  cmd->add_option("files", args->positional, "QRELS RUN, in trec_eval's order");
  cmd->add_option("--run", args->run_path, "Run file: qid Q0 docid rank score tag");
  cmd->add_option("--qrels", args->qrels_path, "Qrels file: qid iter docid rel");
  cmd->add_option("-m,--measure,--metrics", args->measures,
                  "Measures as trec_eval's -m (repeatable; commas allowed): a name (map, P, "
                  "ndcg_cut, ...), NAME.PARAMS (P.5,10  ndcg_cut.10  set_F.0.5  ndcg.1=1,2=3), "
                  "an output name (P_10), or official (the default), all_trec, set; plus judged "
                  "(ir_measures' Judged@k)")
      ->allow_extra_args(false);
  cmd->add_option("-k,--cutoffs", args->cutoffs,
                  "Cutoffs for P, recall, ndcg_cut, map_cut, relative_P and judged named "
                  "without any (default 5,10,15,20,30,100,200,500,1000)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_flag("-q,--per-query", args->per_query, "Also print each query's values");
  cmd->add_flag("-c,--complete", args->complete,
                "Average over every qrels query; queries missing from the run count as 0");
  cmd->add_option("-l,--level", args->relevance_level,
                  "Smallest judgment that counts as relevant (default 1)");
  cmd->add_option("-M,--max-retrieved", args->max_retrieved,
                  "Evaluate only the first N documents of each query (default: all, as "
                  "trec_eval)");
  cmd->add_flag("-n,--no-summary", args->no_summary, "Leave out the `all` rows");
  cmd->add_option("-N,--num-docs", args->num_docs_in_coll,
                  "Documents in the collection (utility's fourth coefficient only)");
  cmd->add_flag("--json", args->json, "Print JSON instead of trec_eval's three columns");
  cmd->add_option("--index", args->index_dir,
                  "Search this index for the --topics instead of reading a run");
  cmd->add_option("--topics", args->topics_path,
                  "With --index: qid<TAB>query lines or TREC topics");
  cmd->add_option("--depth", args->depth, "With --index: hits per topic")->capture_default_str();
  cmd->add_option("--run-out", args->run_out, "With --index: also write the run to this file");
  cmd->add_option("--tag", args->tag, "With --index: run tag")->capture_default_str();
  cmd->add_flag("--verify-pruning", args->verify_pruning,
                "With --index: also evaluate every topic with nothing pruned; report and fail on "
                "any difference in ids or scores");
  AddSyntaxFlag(cmd, &args->query_syntax);
  AddSynonymsFlags(cmd, &args->synonyms);
  AddThreadsFlag(cmd, &args->threads);
  AddRankingFlags(cmd, &args->ranking);
  cmd->callback([args, &result] { result.exit_code = RunEval(*args); });
}

}  // namespace scour::cli
