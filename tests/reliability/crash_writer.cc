// Helper for crash_test: indexes deterministic batches (batch_docs.h) into the index at argv[1]
// and commits after each, printing "committed N" (flushed) once commit N returned OK. It resumes
// after the last committed batch (read from the "meta" document), so a killed run can be
// continued. Merges happen often (tiny merge factor, ForceMerge every 4th batch).
// Usage: crash_writer <index-dir> <max-batches>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "batch_docs.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: crash_writer <index-dir> <max-batches>\n");
    return 2;
  }
  const std::string path = argv[1];
  const uint64_t max_batches = std::strtoull(argv[2], nullptr, 10);
  uint64_t done = 0;
  if (auto r = scour::IndexReader::Open(path); r.ok()) {
    auto doc = (*r)->Find("meta");
    if (doc.ok()) {
      auto d = (*r)->Document(*doc);
      if (!d.ok() || d->Get("text") == nullptr) return 3;
      done = std::strtoull(d->Get("text")->c_str() + 5, nullptr, 10);
    }
  }
  scour::IndexWriterOptions opt;
  opt.analyzer.language = "none";
  opt.threads = 2;
  opt.ram_budget_mb = 1;
  opt.merge_factor = 3;
  auto w = scour::IndexWriter::Open(path, opt);
  if (!w.ok()) {
    std::fprintf(stderr, "open: %s\n", std::string(w.status().message()).c_str());
    return 1;
  }
  for (uint64_t n = done + 1; n <= max_batches; ++n) {
    absl::Status s = scour::reliability::AddBatch(w->get(), n);
    if (s.ok()) s = (*w)->Commit();
    if (s.ok()) {
      std::printf("committed %llu\n", static_cast<unsigned long long>(n));
      std::fflush(stdout);
      // A merge changes no live document, so a kill during it must leave commit n.
      if (n % 4 == 0) s = (*w)->ForceMerge(1);
    }
    if (!s.ok()) {
      std::fprintf(stderr, "batch %llu: %s\n", static_cast<unsigned long long>(n),
                   std::string(s.message()).c_str());
      return 1;
    }
  }
  return 0;
}
