// Ingest throughput: parsing JSONL (scifact, 8 MB) into Documents, from memory and from the file.
#include <fstream>
#include <sstream>
#include <string>

#include "base/utf8.h"
#include "benchmark/benchmark.h"
#include "ingest/document_reader.h"
#include "ingest/json_parser.h"

namespace {

using scour::Document;
namespace ingest = scour::ingest;

constexpr size_t kScifactDocs = 5183;

std::string ScifactPath() {
  return std::string(SCOUR_SOURCE_DIR) + "/corpus/collections/scifact/corpus.jsonl";
}

const std::string& Scifact() {
  static const std::string* data = [] {
    std::ifstream in(ScifactPath(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return new std::string(ss.str());
  }();
  return *data;
}

size_t Drain(ingest::DocumentReader* r, benchmark::State& state) {
  Document doc;
  size_t n = 0;
  for (;;) {
    absl::StatusOr<bool> s = r->Next(&doc);
    if (!s.ok()) {
      state.SkipWithError(std::string(s.status().message()).c_str());
      return n;
    }
    if (!*s) break;
    ++n;
  }
  benchmark::DoNotOptimize(doc);
  return n;
}

void BM_JsonlScifactBuffer(benchmark::State& state) {
  const std::string& data = Scifact();
  for (auto _ : state) {
    auto r = ingest::OpenBufferReader(data, "scifact.jsonl", {});
    if (!r.ok()) {
      state.SkipWithError("open failed");
      return;
    }
    const size_t n = Drain(r->get(), state);
    if (n != kScifactDocs) {
      state.SkipWithError("wrong document count");
      return;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
  state.counters["docs"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kScifactDocs), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_JsonlScifactBuffer)->Unit(benchmark::kMillisecond);

void BM_JsonlScifactFile(benchmark::State& state) {
  const size_t size = Scifact().size();
  for (auto _ : state) {
    auto r = ingest::OpenReader(ScifactPath(), {});
    if (!r.ok()) {
      state.SkipWithError("open failed");
      return;
    }
    if (Drain(r->get(), state) != kScifactDocs) {
      state.SkipWithError("wrong document count");
      return;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}
BENCHMARK(BM_JsonlScifactFile)->Unit(benchmark::kMillisecond);

// The validating parser alone (no documents built): the cost of the JSON grammar + UTF-8.
void BM_JsonValidateScifact(benchmark::State& state) {
  const std::string& data = Scifact();
  ingest::JsonObjectParser parser;
  for (auto _ : state) {
    size_t pos = 0, n = 0;
    while (pos < data.size()) {
      size_t nl = data.find('\n', pos);
      if (nl == std::string::npos) nl = data.size();
      if (!parser.Parse(std::string_view(data).substr(pos, nl - pos), nullptr)) {
        state.SkipWithError("parse failed");
        return;
      }
      ++n;
      pos = nl + 1;
    }
    if (n != kScifactDocs) state.SkipWithError("wrong line count");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_JsonValidateScifact)->Unit(benchmark::kMillisecond);

void BM_Utf8ValidateScifact(benchmark::State& state) {
  const std::string& data = Scifact();
  for (auto _ : state) {
    if (scour::FindInvalidUtf8(data) != data.size()) state.SkipWithError("invalid UTF-8");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Utf8ValidateScifact)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
