// scour: the command-line front end. Subcommands are in cmd_*.cc; see docs/cli/.
#include <cstdio>

#include "CLI/CLI.hpp"
#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"scour: full-text search with BM25 ranking and phrase queries", "scour"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "scour 0.1.0");
  scour::cli::CommandResult result;
  for (scour::cli::CommandRegistrar reg : {
           &scour::cli::RegisterAnalyze,
           &scour::cli::RegisterEval,
           &scour::cli::RegisterIndex,
           &scour::cli::RegisterDelete,
           &scour::cli::RegisterMerge,
           &scour::cli::RegisterStats,
           &scour::cli::RegisterCheck,
           &scour::cli::RegisterSearch,
           &scour::cli::RegisterBench,
           &scour::cli::RegisterCompare,
           &scour::cli::RegisterFuse,
           &scour::cli::RegisterSynonyms,
       }) {
    reg(app, result);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;  // usage errors exit 2
  }
  return result.exit_code;
}
