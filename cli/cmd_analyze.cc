// `scour analyze [--language L] [--stopwords] [TEXT]`: prints the tokens of TEXT (or of all of
// stdin) one per line as position<TAB>term<TAB>start<TAB>end (byte offsets into the input).
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "scour/analyzer.h"

namespace scour::cli {
namespace {

struct AnalyzeArgs {
  std::string language = "english";
  bool stopwords = false;
  std::string text;
  bool has_text = false;
};

int RunAnalyze(const AnalyzeArgs& args) {
  AnalyzerOptions options;
  options.language = args.language;
  options.stopwords = args.stopwords;
  absl::StatusOr<Analyzer> analyzer = Analyzer::Create(options);
  if (!analyzer.ok()) {
    std::fprintf(stderr, "scour analyze: %s\n", std::string(analyzer.status().message()).c_str());
    return 2;
  }
  std::string input;
  if (args.has_text) {
    input = args.text;
  } else {
    input.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (std::cin.bad()) {
      std::fprintf(stderr, "scour analyze: cannot read stdin\n");
      return 1;
    }
  }
  std::string line;
  std::string out;
  absl::Status st = analyzer->ForEachToken(
      input, [&](std::string_view term, uint32_t pos, uint32_t start, uint32_t end) {
        line = std::to_string(pos);
        line += '\t';
        line.append(term);
        line += '\t';
        line += std::to_string(start);
        line += '\t';
        line += std::to_string(end);
        line += '\n';
        out += line;
        if (out.size() >= (1 << 16)) {
          std::fwrite(out.data(), 1, out.size(), stdout);
          out.clear();
        }
      });
  if (!st.ok()) {
    // Validation runs before the first token, so nothing has been printed.
    std::fprintf(stderr, "scour analyze: %s\n", std::string(st.message()).c_str());
    return 2;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "scour analyze: cannot write stdout\n");
    return 1;
  }
  return 0;
}

}  // namespace

void RegisterAnalyze(CLI::App& app, CommandResult& result) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Print the tokens of TEXT (or of stdin): position<TAB>term<TAB>start<TAB>end per line");
  cmd->add_option("--language", args->language,
                  "Snowball stemmer language, or 'none' (default: english)");
  cmd->add_flag("--stopwords", args->stopwords, "Drop English stopwords (positions are kept)");
  cmd->add_option("text", args->text, "Text to analyse (default: read all of stdin)");
  cmd->callback([args, cmd, &result] {
    args->has_text = cmd->count("text") > 0;
    result.exit_code = RunAnalyze(*args);
  });
}

}  // namespace scour::cli
