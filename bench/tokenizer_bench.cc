// Analysis-chain throughput on real text: SciFact (title + abstract of 5,183 documents, ~7.5 MB)
// and the home corpus. Each benchmark checks its token count against the ICU-only reference so
// that it cannot measure an empty loop. Figures: docs/PERFORMANCE.md, "Analysis chain".
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "nlohmann/json.hpp"
#include "scour/analyzer.h"
#include "tokenizer/chain.h"
#include "tokenizer/segmenter.h"

namespace {

using scour::tokenizer::AnalysisChain;
using scour::tokenizer::ChainOptions;
using scour::tokenizer::SegmentMode;
using scour::tokenizer::WordSegmenter;
using scour::tokenizer::WordSpan;

// Title and text of every document, joined by newlines; ascii_only keeps pure-ASCII fields only.
std::string LoadCorpus(const char* rel, bool ascii_only) {
  std::ifstream in(std::string(SCOUR_SOURCE_DIR) + "/" + rel);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", rel);
    std::abort();
  }
  std::string all, line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    for (const char* f : {"title", "text"}) {
      if (!j.contains(f)) continue;
      std::string t = j[f].get<std::string>();
      if (ascii_only && !scour::CheckUtf8(t).all_ascii) continue;
      all += t;
      all += '\n';
    }
  }
  return all;
}

const std::string& SciFact() {
  static const std::string s = LoadCorpus("corpus/collections/scifact/corpus.jsonl", false);
  return s;
}
const std::string& SciFactAscii() {
  static const std::string s = LoadCorpus("corpus/collections/scifact/corpus.jsonl", true);
  return s;
}
const std::string& Home() {
  static const std::string s = LoadCorpus("corpus/party_state.jsonl", false);
  return s;
}

size_t CountSpans(WordSegmenter& seg, const std::string& text) {
  size_t n = 0;
  auto st = seg.Segment(text, scour::CheckUtf8(text).all_ascii,
                        [&](const WordSpan*, size_t k) { n += k; });
  if (!st.ok()) std::abort();
  return n;
}

size_t CountTokens(AnalysisChain& chain, const std::string& text) {
  size_t n = 0;
  auto st = chain.ForEach(
      text, [&](std::string_view term, uint32_t, uint32_t, uint32_t) { n += !term.empty(); });
  if (!st.ok()) std::abort();
  return n;
}

std::unique_ptr<AnalysisChain> MakeChain(const char* language, SegmentMode mode) {
  ChainOptions o;
  o.analyzer.language = language;
  o.mode = mode;
  return std::move(AnalysisChain::Create(o)).value();
}

void Report(benchmark::State& state, const std::string& text, size_t tokens) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(tokens * state.iterations()),
                                                  benchmark::Counter::kIsRate);
  state.counters["tokens"] = static_cast<double>(tokens);
}

void SegmentBench(benchmark::State& state, SegmentMode mode) {
  const std::string& text = SciFactAscii();
  auto ref = std::move(WordSegmenter::Create(SegmentMode::kIcuOnly)).value();
  const size_t expected = CountSpans(ref, text);
  auto seg = std::move(WordSegmenter::Create(mode)).value();
  size_t n = 0;
  for (auto _ : state) {
    n = CountSpans(seg, text);
    benchmark::DoNotOptimize(n);
  }
  if (n != expected) state.SkipWithError("segment count differs from the ICU reference");
  Report(state, text, n);
}

// Segmentation only, on the pure-ASCII fields of SciFact: the fast path, then ICU.
void BM_SegmentAsciiPath(benchmark::State& state) { SegmentBench(state, SegmentMode::kAuto); }
void BM_SegmentIcuPath(benchmark::State& state) { SegmentBench(state, SegmentMode::kIcuOnly); }

void ChainBench(benchmark::State& state, const std::string& text, const char* language,
                SegmentMode mode) {
  auto ref = MakeChain(language, SegmentMode::kIcuOnly);
  const size_t expected = CountTokens(*ref, text);
  auto chain = MakeChain(language, mode);
  size_t n = 0;
  for (auto _ : state) {
    n = CountTokens(*chain, text);
    benchmark::DoNotOptimize(n);
  }
  if (n != expected) state.SkipWithError("token count differs from the ICU reference");
  Report(state, text, n);
}

// The whole chain (validation, segmentation, NFKC_Casefold, possessives, stemming) on all of
// SciFact, mixed ASCII and non-ASCII as it comes.
void BM_ChainEnglish(benchmark::State& state) {
  ChainBench(state, SciFact(), "english", SegmentMode::kAuto);
}
void BM_ChainNoStemming(benchmark::State& state) {
  ChainBench(state, SciFact(), "none", SegmentMode::kAuto);
}
// The same chain with ICU for everything (no fast path, no ASCII lower-casing shortcut).
void BM_ChainEnglishIcuOnly(benchmark::State& state) {
  ChainBench(state, SciFact(), "english", SegmentMode::kIcuOnly);
}
void BM_ChainEnglishHomeCorpus(benchmark::State& state) {
  ChainBench(state, Home(), "english", SegmentMode::kAuto);
}

// The public entry point building Token objects (one std::string per token).
void BM_AnalyzerAnalyzeVector(benchmark::State& state) {
  const std::string& text = SciFact();
  auto ref = MakeChain("english", SegmentMode::kIcuOnly);
  const size_t expected = CountTokens(*ref, text);
  auto a = std::move(scour::Analyzer::Create()).value();
  std::vector<scour::Token> out;
  for (auto _ : state) {
    out.clear();
    if (!a.Analyze(text, &out).ok()) std::abort();
  }
  if (out.size() != expected) state.SkipWithError("token count differs from the ICU reference");
  Report(state, text, out.size());
}

BENCHMARK(BM_SegmentAsciiPath)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SegmentIcuPath)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ChainEnglish)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ChainNoStemming)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ChainEnglishIcuOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ChainEnglishHomeCorpus)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AnalyzerAnalyzeVector)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
