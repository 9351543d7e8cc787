#include "scour/analyzer.h"

#include "base/internal_access.h"
#include "tokenizer/chain.h"
#include "tokenizer/stemmer.h"

namespace scour {

struct Analyzer::Impl {
  std::unique_ptr<tokenizer::AnalysisChain> chain;
};

Analyzer::Analyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;
Analyzer::~Analyzer() = default;

absl::StatusOr<Analyzer> Analyzer::Create(const AnalyzerOptions& options) {
  tokenizer::ChainOptions chain_options;
  chain_options.analyzer = options;
  auto chain = tokenizer::AnalysisChain::Create(chain_options);
  if (!chain.ok()) return chain.status();
  auto impl = std::make_unique<Impl>();
  impl->chain = std::move(chain).value();
  return Analyzer(std::move(impl));
}

absl::Status Analyzer::Analyze(std::string_view text, std::vector<Token>* out,
                               uint32_t first_position) {
  return impl_->chain->ForEach(
      text,
      [out](std::string_view term, uint32_t pos, uint32_t start, uint32_t end) {
        out->push_back(Token{std::string(term), pos, start, end});
      },
      first_position);
}

absl::Status Analyzer::Run(std::string_view text, RawSink sink, void* ctx,
                           uint32_t first_position) {
  return impl_->chain->Run(text, sink, ctx, first_position);
}

namespace tokenizer {
AnalysisChain* ChainOf(Analyzer& analyzer) { return InternalAccess::Impl(analyzer).chain.get(); }
}  // namespace tokenizer

const AnalyzerOptions& Analyzer::options() const { return impl_->chain->options().analyzer; }

std::vector<std::string> Analyzer::Languages() {
  std::vector<std::string> names = {"none"};
  for (std::string& n : tokenizer::Stemmer::Algorithms()) names.push_back(std::move(n));
  return names;
}

}  // namespace scour
