// libFuzzer target for engine::ParseQuery: arbitrary bytes must parse or fail cleanly (no crash,
// no unbounded recursion), and a successful parse's canonical form must re-read as itself.
// The default operator is AND for odd-sized inputs, so both settings are explored.
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/query_parser.h"

namespace {

using scour::engine::ParseOptions;
using scour::engine::ParseQuery;
using scour::engine::ParseResult;

// Idempotent, gap-free analysis (as docs/QUERY.md requires for the round trip): split on ASCII
// non-alphanumerics, lowercase ASCII; bytes >= 0x80 are word characters.
absl::Status Analyze(std::string_view text, std::vector<std::pair<std::string, uint32_t>>* out) {
  uint32_t pos = 0;
  std::string cur;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u)) {
      cur.push_back(static_cast<char>(u < 0x80 ? std::tolower(u) : u));
    } else if (!cur.empty()) {
      out->emplace_back(std::move(cur), pos++);
      cur.clear();
    }
  }
  if (!cur.empty()) out->emplace_back(std::move(cur), pos);
  return absl::OkStatus();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  ParseOptions options;
  options.default_and = size % 2 == 1;
  options.max_depth = 64;
  const ParseResult first = ParseQuery(query, Analyze, options);
  if (!first.ok()) {
    if (first.error->offset > size) std::abort();
    (void)scour::engine::RenderQueryError(query, *first.error);
    return 0;
  }
  const std::string canonical = first.query->ToString();
  const ParseResult again = ParseQuery(canonical, Analyze, ParseOptions{});
  if (!again.ok() || again.query->ToString() != canonical || !again.query->Equals(*first.query)) {
    std::fprintf(stderr,
                 "round trip failed:\n  query:     %.*s\n  canonical: %s\n  again:     %s\n",
                 static_cast<int>(size), query.data(), canonical.c_str(),
                 again.ok() ? again.query->ToString().c_str() : again.error->ToString().c_str());
    std::abort();
  }
  return 0;
}
