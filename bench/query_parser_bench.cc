// Query parsing time against query length: a query of n juxtaposed (or OR'ed, AND'ed, negated)
// terms must parse in O(n) (Google Benchmark fits the complexity: the report's "BigO" line).
// Each run checks the parse produced n clauses, so it cannot time a failed parse.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "engine/query_parser.h"

namespace {

using scour::engine::ParseOptions;
using scour::engine::ParseQuery;
using scour::engine::ParseResult;

// One term per word: the parser's own cost, not an analyser's.
absl::Status SplitOnSpace(std::string_view text,
                          std::vector<std::pair<std::string, uint32_t>>* out) {
  uint32_t pos = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j > i) out->emplace_back(std::string(text.substr(i, j - i)), pos++);
    i = j;
  }
  return absl::OkStatus();
}

void Parse(benchmark::State& state, std::string_view sep) {
  const int n = static_cast<int>(state.range(0));
  std::string q;
  for (int i = 0; i < n; ++i) {
    if (i > 0) q.append(sep);
    absl::StrAppend(&q, "w", i);
  }
  ParseOptions unlimited;
  unlimited.max_clauses = 0;
  for (auto _ : state) {
    ParseResult r = ParseQuery(q, SplitOnSpace, unlimited);
    if (!r.ok() || r.query->clauses.size() != static_cast<size_t>(n)) {
      state.SkipWithError("the query did not parse to n clauses");
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetComplexityN(n);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(q.size()));
}

void BM_ParseJuxtaposed(benchmark::State& state) { Parse(state, " "); }
void BM_ParseOr(benchmark::State& state) { Parse(state, " OR "); }
void BM_ParseAnd(benchmark::State& state) { Parse(state, " AND "); }
void BM_ParseNegated(benchmark::State& state) { Parse(state, " -"); }

BENCHMARK(BM_ParseJuxtaposed)->RangeMultiplier(4)->Range(1 << 10, 1 << 18)->Complexity();
BENCHMARK(BM_ParseOr)->RangeMultiplier(4)->Range(1 << 10, 1 << 18)->Complexity();
BENCHMARK(BM_ParseAnd)->RangeMultiplier(4)->Range(1 << 10, 1 << 18)->Complexity();
BENCHMARK(BM_ParseNegated)->RangeMultiplier(4)->Range(1 << 10, 1 << 18)->Complexity();

}  // namespace

BENCHMARK_MAIN();
