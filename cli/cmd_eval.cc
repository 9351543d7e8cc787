// `scour eval --run F --qrels F`: trec_eval-compatible evaluation of a run file; or
// `scour eval --index DIR --topics F --qrels F`: search the topics first (docs/EVAL.md).
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "cli/commands.h"
#include "cli/ranking_flags.h"
#include "eval/metrics.h"
#include "eval/search_run.h"
#include "eval/trec_io.h"
#include "nlohmann/json.hpp"

namespace scour::cli {
namespace {

struct EvalArgs {
  std::string run_path;
  std::string qrels_path;
  std::string metrics;
  std::vector<int64_t> cutoffs;
  bool per_query = false;
  bool complete = false;
  bool json = false;
  int32_t relevance_level = 1;
  int64_t max_retrieved = 1000;
  // --index mode
  std::string index_dir, topics_path, run_out, tag = "scour";
  int64_t depth = -1;  // hits per topic; -1 = max_retrieved
  bool query_syntax = false;
  RankingFlags ranking;
};

nlohmann::ordered_json MetricsJson(const eval::EvalReport& report,
                                   const std::vector<double>& values) {
  nlohmann::ordered_json m = nlohmann::ordered_json::object();
  for (size_t i = 0; i < report.columns.size(); ++i) {
    if (report.columns[i].integral) {
      m[report.columns[i].name] = static_cast<int64_t>(values[i]);
    } else {
      m[report.columns[i].name] = values[i];
    }
  }
  return m;
}

int RunEval(const EvalArgs& args) {
  const bool from_index = !args.index_dir.empty();
  if (args.qrels_path.empty() || from_index == !args.run_path.empty() ||
      from_index == args.topics_path.empty()) {
    std::cerr << "scour eval: give --qrels and either --run, or --index and --topics\n";
    return 2;
  }
  std::vector<int64_t> cutoffs = args.cutoffs;
  if (cutoffs.empty())
    cutoffs.assign(std::begin(eval::kDefaultCutoffs), std::end(eval::kDefaultCutoffs));
  for (int64_t k : cutoffs) {
    if (k <= 0) {
      std::cerr << "scour eval: cutoffs must be positive\n";
      return 2;
    }
  }
  if (args.max_retrieved < 0) {
    std::cerr << "scour eval: -M must be >= 0\n";
    return 2;
  }
  eval::EvalOptions options;
  options.relevance_level = args.relevance_level;
  options.max_retrieved = args.max_retrieved;
  options.complete = args.complete;
  if (args.metrics.empty()) {
    options.measures = eval::DefaultMeasures(cutoffs);
  } else {
    auto measures = eval::ParseMeasureList(args.metrics, cutoffs);
    if (!measures.ok()) {
      std::cerr << "scour eval: --metrics: " << measures.status().message() << "\n";
      return 2;
    }
    options.measures = *std::move(measures);
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
      std::cerr << "scour eval: " << s.message() << "\n";
      return 2;
    }
    const int64_t depth = args.depth >= 0 ? args.depth : args.max_retrieved;
    ropts.depth = static_cast<size_t>(depth);
    ropts.query_syntax = args.query_syntax;
    ropts.tag = args.tag;
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
    run = (*searcher)->Search(*topics, ropts);
    if (!run.ok()) {
      std::cerr << "scour eval: " << run.status().message() << "\n";
      return run.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
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
    std::string text = eval::FormatTrecEval(*report, args.per_query);
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
  out["options"] = {{"relevance_level", options.relevance_level},
                    {"max_retrieved", options.max_retrieved},
                    {"complete", options.complete}};
  out["all"] = MetricsJson(*report, report->summary);
  if (args.per_query) {
    nlohmann::ordered_json queries = nlohmann::ordered_json::array();
    for (const eval::QueryResult& q : report->queries) {
      queries.push_back(
          {{"qid", q.qid}, {"in_run", q.in_run}, {"metrics", MetricsJson(*report, q.values)}});
    }
    out["queries"] = std::move(queries);
  }
  std::cout << out.dump(2) << "\n";
  return 0;
}

}  // namespace

void RegisterEval(CLI::App& app, CommandResult& result) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand("eval",
                                     "Evaluate a TREC run (or an index's answers to topics) "
                                     "against qrels, as trec_eval 9.0.x computes it");
  cmd->add_option("--run", args->run_path, "Run file: qid Q0 docid rank score tag");
  cmd->add_option("--index", args->index_dir,
                  "Search this index for the --topics instead of reading a run");
  cmd->add_option("--topics", args->topics_path,
                  "With --index: qid<TAB>query lines or TREC topics");
  cmd->add_option("--depth", args->depth, "With --index: hits per topic (default: -M, 1000)");
  cmd->add_option("--run-out", args->run_out, "With --index: also write the run to this file");
  cmd->add_option("--tag", args->tag, "With --index: run tag")->capture_default_str();
  cmd->add_flag(
      "--syntax", args->query_syntax,
      "With --index: parse topics as the query language (default: bag of analysed terms, OR)");
  AddRankingFlags(cmd, &args->ranking);
  cmd->add_option("--qrels", args->qrels_path, "Qrels file: qid iter docid rel");
  cmd->add_option("--metrics", args->metrics,
                  "Comma-separated measures, e.g. map,P.10,ndcg_cut (default: all of num_q, "
                  "num_ret, num_rel, num_rel_ret, map, bpref, recip_rank, P, recall, ndcg_cut)");
  cmd->add_option("-k,--cutoffs", args->cutoffs,
                  "Cutoffs for P, recall and ndcg_cut given without one "
                  "(default 5,10,15,20,30,100,200,500,1000)")
      ->delimiter(',');
  cmd->add_option(
      "-l,--level", args->relevance_level,
      "Minimum relevance value that counts as relevant for binary measures (default 1)");
  cmd->add_option("-M,--max-retrieved", args->max_retrieved,
                  "Evaluate at most this many documents per query (default 1000)");
  cmd->add_flag("-c,--complete", args->complete,
                "Average over every qrels query; queries missing from the run count as 0");
  cmd->add_flag("-q,--per-query", args->per_query, "Also print each query's values");
  cmd->add_flag("--json", args->json, "Print JSON instead of trec_eval's three columns");
  cmd->callback([args, &result] { result.exit_code = RunEval(*args); });
}

}  // namespace scour::cli
