// Each `scour` subcommand lives in its own cmd_*.cc and registers itself on the app here.
// A command's callback returns the process exit code: 0 success, 1 failure (bad data, I/O),
// 2 usage error (bad flags, syntax error, invalid UTF-8 on the command line).
#ifndef SCOUR_CLI_COMMANDS_H_
#define SCOUR_CLI_COMMANDS_H_

#include <functional>
#include <string>

#include "CLI/CLI.hpp"

namespace scour::cli {

// Where a registered subcommand stores the code its run produced.
struct CommandResult {
  int exit_code = 0;
};

using CommandRegistrar = void (*)(CLI::App& app, CommandResult& result);

void RegisterAnalyze(CLI::App& app, CommandResult& result);
void RegisterEval(CLI::App& app, CommandResult& result);
void RegisterIndex(CLI::App& app, CommandResult& result);
void RegisterDelete(CLI::App& app, CommandResult& result);
void RegisterMerge(CLI::App& app, CommandResult& result);
void RegisterStats(CLI::App& app, CommandResult& result);
void RegisterCheck(CLI::App& app, CommandResult& result);
void RegisterSearch(CLI::App& app, CommandResult& result);
void RegisterBench(CLI::App& app, CommandResult& result);
void RegisterCompare(CLI::App& app, CommandResult& result);
void RegisterFuse(CLI::App& app, CommandResult& result);
void RegisterSynonyms(CLI::App& app, CommandResult& result);

}  // namespace scour::cli

#endif  // SCOUR_CLI_COMMANDS_H_
