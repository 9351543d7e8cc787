#include "base/parallel.h"

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>
#include <vector>

namespace scour {

int ResolveThreads(int threads) {
  if (threads > 0) return threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

int ParallelWorkers(size_t n, int threads) {
  return static_cast<int>(std::max<size_t>(1, std::min<size_t>(ResolveThreads(threads), n)));
}

void ParallelFor(size_t n, int threads, absl::FunctionRef<void(int worker, size_t i)> fn) {
  std::atomic<size_t> next{0};
  auto work = [&](int worker) {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) fn(worker, i);
  };
  const int want = ParallelWorkers(n, threads);
  std::vector<std::thread> pool;
  pool.reserve(want - 1);
  for (int w = 1; w < want; ++w) {
    try {
      pool.emplace_back(work, w);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running (and this one) do the rest
    }
  }
  work(0);
  for (std::thread& t : pool) t.join();
}

}  // namespace scour
