// placeholder
#include "cli/commands.h"
namespace scour::cli {
void RegisterAnalyze(CLI::App& app, CommandResult& result) {}
}  // namespace scour::cli
