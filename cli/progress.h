// Indexing progress on stderr: a redrawn one-line bar on a terminal, plain lines every few
// seconds otherwise, nothing with --quiet.
#ifndef SCOUR_CLI_PROGRESS_H_
#define SCOUR_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>

namespace scour::cli {

class Progress {
 public:
  explicit Progress(bool quiet);
  // Called often; redraws at most ~10 times a second (terminal) or every 5 s (plain).
  void Update(uint64_t docs, uint64_t bytes, uint64_t bytes_total);
  void Finish();  // clears the bar
  double elapsed() const;

 private:
  void Draw(uint64_t docs, uint64_t bytes, uint64_t bytes_total);
  bool quiet_, tty_;
  std::chrono::steady_clock::time_point start_, last_;
  bool drawn_ = false;
};

}  // namespace scour::cli

#endif  // SCOUR_CLI_PROGRESS_H_
