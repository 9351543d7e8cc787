// Block codec throughput: unpack (SIMD vs scalar) per bit width, and prefix sum.
// Inputs are 64 random blocks (fixed seed) that stay in L1/L2, so this measures the decoder,
// not memory. Each benchmark checks its output against the input once before timing.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "index/postings/bitpack.h"

namespace scour::index {
namespace {

constexpr int kBlocks = 64;

struct Packed {
  std::vector<uint32_t> values;  // kBlocks * kBlockSize
  std::string bytes;
};

Packed MakePacked(uint32_t bits) {
  std::mt19937 rng(bits);
  Packed p;
  p.values.resize(kBlocks * kBlockSize);
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  for (auto& v : p.values) v = static_cast<uint32_t>(rng() & mask);
  for (int b = 0; b < kBlocks; ++b) PackBlock(p.values.data() + b * kBlockSize, &p.bytes);
  return p;
}

template <const char* (*Unpack)(const char*, const char*, uint32_t*)>
void BM_Unpack(benchmark::State& state) {
  const uint32_t bits = static_cast<uint32_t>(state.range(0));
  const Packed p = MakePacked(bits);
  const char* end = p.bytes.data() + p.bytes.size();
  alignas(64) uint32_t out[kBlockSize];
  {
    const char* q = p.bytes.data();
    for (int b = 0; b < kBlocks; ++b) {
      q = Unpack(q, end, out);
      if (q == nullptr || !std::equal(out, out + kBlockSize, p.values.data() + b * kBlockSize)) {
        std::fprintf(stderr, "bitpack_bench: wrong decode at width %u\n", bits);
        std::abort();
      }
    }
  }
  for (auto _ : state) {
    const char* q = p.bytes.data();
    for (int b = 0; b < kBlocks; ++b) {
      q = Unpack(q, end, out);
      benchmark::DoNotOptimize(out);
      benchmark::ClobberMemory();
    }
  }
  state.SetItemsProcessed(state.iterations() * kBlocks * kBlockSize);
}
void Widths(benchmark::internal::Benchmark* b) {
  for (int w : {1, 4, 8, 12, 16, 20, 32}) b->Arg(w);
}
BENCHMARK_TEMPLATE(BM_Unpack, UnpackBlock)->Apply(Widths);
BENCHMARK_TEMPLATE(BM_Unpack, UnpackBlockScalar)->Apply(Widths);

template <void (*Sum)(uint32_t*, size_t, uint32_t)>
void BM_PrefixSum(benchmark::State& state) {
  std::mt19937 rng(1);
  std::vector<uint32_t> deltas(kBlockSize);
  for (auto& d : deltas) d = rng() % 64;
  std::vector<uint32_t> v = deltas, want = deltas;
  Sum(v.data(), v.size(), 1000);
  PrefixSumScalar(want.data(), want.size(), 1000);
  if (v != want) {
    std::fprintf(stderr, "bitpack_bench: wrong prefix sum\n");
    std::abort();
  }
  for (auto _ : state) {
    std::copy(deltas.begin(), deltas.end(), v.begin());
    Sum(v.data(), v.size(), 1000);
    benchmark::DoNotOptimize(v.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kBlockSize);
}
BENCHMARK_TEMPLATE(BM_PrefixSum, PrefixSum);
BENCHMARK_TEMPLATE(BM_PrefixSum, PrefixSumScalar);

}  // namespace
}  // namespace scour::index

BENCHMARK_MAIN();
