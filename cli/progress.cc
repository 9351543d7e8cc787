#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace scour::cli {

Progress::Progress(bool quiet)
    : quiet_(quiet),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

double Progress::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::Update(uint64_t docs, uint64_t bytes, uint64_t bytes_total) {
  if (quiet_ || (docs & 63) != 0) return;
  auto now = std::chrono::steady_clock::now();
  auto interval = tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
  if (now - last_ < interval) return;
  last_ = now;
  Draw(docs, bytes, bytes_total);
}

void Progress::Draw(uint64_t docs, uint64_t bytes, uint64_t bytes_total) {
  double secs = elapsed();
  double mb = bytes / 1e6;
  double dps = secs > 0 ? docs / secs : 0, mbps = secs > 0 ? mb / secs : 0;
  char eta[32] = "";
  if (bytes_total > 0 && bytes > 0 && bytes <= bytes_total)
    std::snprintf(eta, sizeof eta, "  ETA %.0fs", secs * (bytes_total - bytes) / bytes);
  if (tty_) {
    int pct = bytes_total ? static_cast<int>(100.0 * bytes / bytes_total) : -1;
    char bar[23] = "[                    ]";
    if (pct >= 0)
      for (int i = 0; i < pct / 5 && i < 20; ++i) bar[1 + i] = '#';
    std::fprintf(stderr, "\r%s %llu docs  %.1f MB  %.0f docs/s  %.1f MB/s%s   ",
                 pct >= 0 ? bar : "", static_cast<unsigned long long>(docs), mb, dps, mbps, eta);
    drawn_ = true;
  } else {
    std::fprintf(stderr, "progress: %llu docs, %.1f MB, %.0f docs/s, %.1f MB/s%s\n",
                 static_cast<unsigned long long>(docs), mb, dps, mbps, eta);
  }
  std::fflush(stderr);
}

void Progress::Finish() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace scour::cli
