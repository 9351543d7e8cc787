// `scour fuse`: combines TREC runs into one (RRF, CombSUM, CombMNZ, linear; docs/FUSION.md) and
// writes a TREC run to -o or stdout. Nothing is written when an input is bad.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "eval/fusion.h"
#include "eval/search_run.h"
#include "eval/trec_io.h"

namespace scour::cli {
namespace {

struct FuseArgs {
  std::vector<std::string> runs;
  std::string method = "rrf", norm, out, tag;
  double k = 60;
  std::vector<double> weights;
  int64_t input_depth = 0, depth = 1000;
};

int RunFuse(const FuseArgs& a) {
  eval::FusionOptions o;
  absl::StatusOr<eval::FusionMethod> method = eval::ParseFusionMethod(a.method);
  if (!method.ok()) return PrintError(method.status(), kExitUsage);
  o.method = *method;
  if (!a.norm.empty()) {
    absl::StatusOr<eval::FusionNorm> norm = eval::ParseFusionNorm(a.norm);
    if (!norm.ok()) return PrintError(norm.status(), kExitUsage);
    o.norm = *norm;
  }
  o.rrf_k = a.k;
  o.weights = a.weights;
  o.input_depth = a.input_depth;
  o.depth = a.depth;
  o.tag = a.tag;
  if (absl::Status s = eval::ValidateFusionOptions(o, a.runs.size()); !s.ok())
    return PrintError(s, kExitUsage);
  std::vector<eval::Run> runs;
  for (const std::string& path : a.runs) {
    absl::StatusOr<eval::Run> run = eval::ReadRunFile(path);
    if (!run.ok()) return PrintError(run.status());
    runs.push_back(*std::move(run));
  }
  absl::StatusOr<eval::Run> fused = eval::FuseRuns(runs, o);
  if (!fused.ok()) return PrintError(fused.status());
  const std::string text = eval::FormatRun(*fused);
  if (a.out.empty() || a.out == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? kExitOk : PrintError("writing stdout failed");
  }
  std::ofstream f(a.out, std::ios::binary | std::ios::trunc);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  if (!f) return PrintError(a.out + ": cannot write");
  return kExitOk;
}

}  // namespace

void RegisterFuse(CLI::App& app, CommandResult& result) {
  auto a = std::make_shared<FuseArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fuse",
      "Fuse TREC runs into one (reciprocal rank fusion, CombSUM, CombMNZ, weighted linear; "
      "docs/FUSION.md) and write it as a TREC run");
  cmd->add_option("runs", a->runs, "Two or more run files: qid Q0 docid rank score tag")
      ->required();
  cmd->add_option("--method", a->method, "rrf, combsum, combmnz or linear")->capture_default_str();
  cmd->add_option("--k", a->k, "rrf: score = weight / (k + rank)")->capture_default_str();
  cmd->add_option("--norm", a->norm,
                  "Score normalisation per run and query: minmax (default for the score "
                  "methods), sum, zscore or none; not with rrf");
  cmd->add_option("--weights", a->weights,
                  "One weight per run, comma-separated (default 1 each; required by linear)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--input-depth", a->input_depth,
                  "Documents read from each run per query (0 = all)")
      ->capture_default_str();
  cmd->add_option("--depth", a->depth, "Documents written per query (0 = all)")
      ->capture_default_str();
  cmd->add_option("--tag", a->tag, "Run tag (default scour-fuse-METHOD)");
  cmd->add_option("-o,--output", a->out, "Output file (default: stdout)");
  cmd->callback([a, &result] { result.exit_code = RunFuse(*a); });
}

}  // namespace scour::cli
