// Retrieval algorithms over synthetic postings of 1M docs (fixed seed): top-10 OR of 2-4 terms
// (exhaustive vs MaxScore vs block-max WAND), AND, exact and sloppy phrases. Each benchmark
// checks its result against the exhaustive algorithm (or an expected count) before timing.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "engine/phrase.h"
#include "engine/ranker.h"
#include "engine/retrieval.h"
#include "engine/topk.h"
#include "engine/vector_postings.h"
#include "index/segment/norms.h"

namespace scour::engine {
namespace {

constexpr uint32_t kDocs = 1'000'000;
// Document frequencies of the query terms, from very common to rare.
constexpr double kDfRatio[] = {0.30, 0.08, 0.02, 0.004};

struct Data {
  std::vector<uint8_t> norms;
  std::vector<uint32_t> lengths;
  std::vector<PostingList> lists;
  FieldStatistics stats;
};

const Data& GetData() {
  static const Data* data = [] {
    auto* d = new Data;
    std::mt19937_64 rng(42);
    d->norms.resize(kDocs);
    d->lengths.resize(kDocs);
    for (uint32_t i = 0; i < kDocs; ++i) {
      // Skewed lengths: mostly short, a tail of long docs.
      const uint32_t len = 5 + static_cast<uint32_t>(std::exp2((rng() % 1000) / 100.0));
      d->lengths[i] = len;
      d->norms[i] = index::LengthToNorm(len);
      d->stats.sum_total_term_freq += len;
    }
    d->stats.docs_with_field = kDocs;
    std::geometric_distribution<uint32_t> extra_tf(0.6);  // zipf-like tf tail
    d->lists.resize(std::size(kDfRatio));
    std::vector<uint32_t> pos;
    for (size_t t = 0; t < std::size(kDfRatio); ++t) {
      std::bernoulli_distribution in(kDfRatio[t]);
      for (uint32_t doc = 0; doc < kDocs; ++doc) {
        if (!in(rng)) continue;
        const uint32_t len = d->lengths[doc];
        const uint32_t tf = std::min(len, 1 + extra_tf(rng));
        pos.clear();
        // Term t sits next to term t-1's slot in a fifth of docs (phrase hits).
        const uint32_t base = static_cast<uint32_t>(rng() % len);
        for (uint32_t j = 0; j < tf; ++j) pos.push_back((base + j * 7 + t) % len);
        std::sort(pos.begin(), pos.end());
        pos.erase(std::unique(pos.begin(), pos.end()), pos.end());
        d->lists[t].Add(doc, pos);
      }
      d->lists[t].Finish(d->norms.data());
    }
    return d;
  }();
  return *data;
}

std::vector<ScoredDoc> RunOr(size_t nterms, OrAlgorithm algo) {
  const Data& d = GetData();
  std::vector<VectorPostings> cursors;
  std::vector<TermScorer> scorers;
  cursors.reserve(nterms);
  scorers.reserve(nterms);
  std::vector<ScoredCursor<VectorPostings>> clauses;
  for (size_t t = 0; t < nterms; ++t) {
    cursors.emplace_back(&d.lists[t]);
    scorers.push_back(TermScorer::ForTerm(RankerParams{}, d.stats, d.lists[t].size()));
    clauses.push_back({&cursors.back(), &scorers.back()});
  }
  TopK topk(10);
  OrTopK<VectorPostings>(clauses, SegmentView{d.norms.data(), nullptr}, &topk, algo);
  return topk.Take();
}

void BM_Or(benchmark::State& state) {
  const size_t nterms = static_cast<size_t>(state.range(0));
  const auto algo = static_cast<OrAlgorithm>(state.range(1));
  const auto want = RunOr(nterms, OrAlgorithm::kExhaustive);
  if (want.size() != 10 || RunOr(nterms, algo) != want) {
    state.SkipWithError("result differs from exhaustive OR");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(RunOr(nterms, algo));
}
BENCHMARK(BM_Or)
    ->ArgNames({"terms", "algo"})
    ->ArgsProduct({{2, 3, 4}, {0, 1, 2}})  // algo: 0 exhaustive, 1 MaxScore, 2 BMW
    ->Unit(benchmark::kMillisecond);

void BM_And(benchmark::State& state) {
  const Data& d = GetData();
  const size_t nterms = static_cast<size_t>(state.range(0));
  auto run = [&](TopK* topk) {
    std::vector<VectorPostings> cursors;
    std::vector<TermScorer> scorers;
    cursors.reserve(nterms);
    scorers.reserve(nterms);
    std::vector<ScoredCursor<VectorPostings>> clauses;
    for (size_t t = 0; t < nterms; ++t) {
      cursors.emplace_back(&d.lists[t]);
      scorers.push_back(TermScorer::ForTerm(RankerParams{}, d.stats, d.lists[t].size()));
      clauses.push_back({&cursors.back(), &scorers.back()});
    }
    if (topk == nullptr) return AndCount<VectorPostings>(clauses, nullptr);
    AndTopK<VectorPostings>(clauses, SegmentView{d.norms.data(), nullptr}, topk);
    return uint64_t{0};
  };
  const uint64_t count = run(nullptr);
  if (count == 0) {
    state.SkipWithError("empty conjunction");
    return;
  }
  for (auto _ : state) {
    TopK topk(10);
    run(&topk);
    if (topk.size() != std::min<uint64_t>(10, count)) state.SkipWithError("wrong result count");
  }
  state.counters["hits"] = static_cast<double>(count);
}
BENCHMARK(BM_And)->ArgName("terms")->DenseRange(2, 4)->Unit(benchmark::kMillisecond);

void BM_Phrase(benchmark::State& state) {
  const Data& d = GetData();
  const uint32_t slop = static_cast<uint32_t>(state.range(0));
  // "t0 t1" over the 30% and 8% terms.
  auto run = [&] {
    VectorPostings a(&d.lists[0]), b(&d.lists[1]);
    VectorPostings* slots[] = {&a, &b};
    const uint32_t offsets[] = {0, 1};
    const uint32_t terms[] = {0, 1};
    PhraseCursor<VectorPostings> phrase(slots, offsets, terms, slop);
    uint64_t hits = 0;
    for (; phrase.doc() != kNoMoreDocs; phrase.Next()) ++hits;
    return hits;
  };
  const uint64_t hits = run();
  if (hits == 0) {
    state.SkipWithError("no phrase hits");
    return;
  }
  for (auto _ : state) {
    if (run() != hits) state.SkipWithError("phrase hit count changed");
  }
  state.counters["hits"] = static_cast<double>(hits);
}
BENCHMARK(BM_Phrase)->ArgName("slop")->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace scour::engine

BENCHMARK_MAIN();
