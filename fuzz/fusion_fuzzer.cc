// libFuzzer target for run fusion (eval/fusion.h): the input is cut at 0xFF bytes into run files;
// byte 0 picks the method, normalisation, depths and weights. Whatever parses is fused (with two
// or more runs); the result must be in trec_eval's order, within --depth, with finite scores and
// no docid twice in a query. Bad options must be rejected with a status, never crash.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "eval/fusion.h"
#include "eval/trec_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  using namespace scour::eval;
  const uint8_t flags = bytes[0];
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  std::vector<Run> runs;
  size_t start = 0;
  for (size_t i = 0; i <= data.size() && runs.size() < 5; ++i) {
    if (i == data.size() || static_cast<unsigned char>(data[i]) == 0xFF) {
      absl::StatusOr<Run> r = ParseRun(data.substr(start, i - start), "fuzz.run");
      if (r.ok()) runs.push_back(*std::move(r));
      start = i + 1;
    }
  }
  FusionOptions o;
  o.method = static_cast<FusionMethod>(flags & 3);
  if (o.method != FusionMethod::kRrf || (flags & 0x80)) {
    o.norm = static_cast<FusionNorm>((flags >> 2) & 3);  // with rrf: must be rejected
  }
  o.rrf_k = (flags & 0x10) ? 0 : 60;
  o.input_depth = (flags & 0x20) ? 2 : 0;
  o.depth = (flags & 0x40) ? 3 : 0;
  if (o.method == FusionMethod::kLinear || (flags & 0x10))
    for (size_t i = 0; i < runs.size(); ++i) o.weights.push_back(0.5 * static_cast<double>(i));
  absl::StatusOr<Run> fused = FuseRuns(runs, o);
  if (!fused.ok()) return 0;
  if (o.method == FusionMethod::kRrf && o.norm.has_value()) std::abort();
  for (const RunQuery& q : fused->queries) {
    if (o.depth > 0 && q.entries.size() > static_cast<size_t>(o.depth)) std::abort();
    std::set<std::string> seen;
    for (size_t i = 0; i < q.entries.size(); ++i) {
      const RunEntry& e = q.entries[i];
      if (!std::isfinite(e.score) || !seen.insert(e.docid).second) std::abort();
      if (i > 0) {
        const float a = static_cast<float>(q.entries[i - 1].score);
        const float b = static_cast<float>(e.score);
        if (a < b || (a == b && q.entries[i - 1].docid < e.docid)) std::abort();
      }
    }
  }
  return 0;
}
