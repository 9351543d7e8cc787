// libFuzzer entry point: arbitrary bytes through the Analyzer. The first byte picks the language
// and stopwords. Invalid UTF-8 must be InvalidArgument; otherwise tokens must be sane (positions
// consecutive from 7, or increasing with gaps when stopwords are removed; non-empty terms,
// in-bounds increasing offsets, at most kMaxTokenBytes of input each) and ForEachToken must agree
// with Analyze, as must the index builder's path (RunUnstemmed, then StemTerm of each word).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "scour/analyzer.h"
#include "tokenizer/chain.h"

namespace {

scour::Analyzer& Get(int which) {
  static const char* const kLangs[] = {"english", "none", "german", "porter"};
  static std::vector<scour::Analyzer>* analyzers = [] {
    auto* v = new std::vector<scour::Analyzer>;
    for (int i = 0; i < 8; ++i) {
      // Stopword lists exist for English only (german + stopwords is rejected by Create).
      const std::string lang = kLangs[i % 4];
      auto a = scour::Analyzer::Create({.language = lang, .stopwords = i >= 4 && lang != "german"});
      if (!a.ok()) std::abort();
      v->push_back(std::move(*a));
    }
    return v;
  }();
  return (*analyzers)[which & 7];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  scour::Analyzer& a = Get(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<scour::Token> tokens;
  const absl::Status s = a.Analyze(text, &tokens, 7);
  if (!s.ok()) {
    if (s.code() != absl::StatusCode::kInvalidArgument || !tokens.empty()) std::abort();
    return 0;
  }
  uint32_t last_end = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const scour::Token& t = tokens[i];
    // Consecutive positions; with stopwords a removed word keeps its position (a gap).
    const bool in_order =
        a.options().stopwords
            ? t.position >= 7 + i && (i == 0 || t.position > tokens[i - 1].position)
            : t.position == 7 + i;
    if (t.term.empty() || !in_order) std::abort();
    if (t.start >= t.end || t.end > text.size() || t.start < last_end) std::abort();
    if (t.end - t.start > scour::Analyzer::kMaxTokenBytes) std::abort();
    last_end = t.end;
  }
  size_t n = 0;
  bool same = true;
  const absl::Status s2 = a.ForEachToken(
      text,
      [&](std::string_view term, uint32_t pos, uint32_t start, uint32_t end) {
        if (n >= tokens.size() || term != tokens[n].term || pos != tokens[n].position ||
            start != tokens[n].start || end != tokens[n].end)
          same = false;
        ++n;
      },
      7);
  if (!s2.ok() || !same || n != tokens.size()) std::abort();
  struct Ctx {
    scour::tokenizer::AnalysisChain* chain;
    const std::vector<scour::Token>* tokens;
    size_t n = 0;
    bool same = true;
  } ctx{scour::tokenizer::ChainOf(a), &tokens};
  const absl::Status s3 = ctx.chain->RunUnstemmed(
      text,
      [](void* p, std::string_view word, uint32_t pos, uint32_t start, uint32_t end) {
        auto* c = static_cast<Ctx*>(p);
        const std::vector<scour::Token>& want = *c->tokens;
        if (c->n >= want.size() || c->chain->StemTerm(word) != want[c->n].term ||
            pos != want[c->n].position || start != want[c->n].start || end != want[c->n].end)
          c->same = false;
        ++c->n;
      },
      &ctx, 7);
  if (!s3.ok() || !ctx.same || ctx.n != tokens.size()) std::abort();
  return 0;
}
