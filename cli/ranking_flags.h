// The flags shared by search, bench, eval and compare: --ranker --k1 --b --delta --mu --c
// --weights --field-b, --syntax and --threads.
#ifndef SCOUR_CLI_RANKING_FLAGS_H_
#define SCOUR_CLI_RANKING_FLAGS_H_

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "scour/searcher.h"
#include "scour/synonyms.h"

namespace scour::cli {

struct RankingFlags {
  std::string ranker = "bm25";
  float k1 = 0.9f, b = 0.4f, delta = -1.0f;
  float mu = 1000.0f;   // qld
  float c = 1.0f;       // dfr-*: NormalizationH2's c
  std::string weights;  // "title=2,text=1"
  std::string field_b;  // bm25f: "title=0.3,text=0.75"
  std::string expand;   // pseudo-relevance feedback: rm3, bo1 (docs/FEEDBACK.md)
  int32_t fb_docs = -1, fb_terms = -1;
  float fb_weight = -1.0f;
};

void AddRankingFlags(CLI::App* cmd, RankingFlags* f);
// --expand --fb-docs --fb-terms --fb-weight (part of AddRankingFlags).
void AddFeedbackFlags(CLI::App* cmd, RankingFlags* f);

// --syntax, shared by search, eval, compare and bench: topic files are plain text (their
// analysed terms OR-ed, as Anserini and Terrier read them) unless it is given, then the query
// language (docs/QUERY.md).
void AddSyntaxFlag(CLI::App* cmd, bool* query_syntax);
// --threads N, shared by search, eval, compare and bench: queries spread over N threads (0, the
// default, = one per core) sharing one snapshot; the results do not depend on N.
void AddThreadsFlag(CLI::App* cmd, int* threads);
// --no-synonyms and --synonyms FILE, shared by search, eval, compare and bench
// (docs/SYNONYMS.md): queries use the index's synonyms unless told otherwise.
struct SynonymsFlags {
  bool off = false;  // --no-synonyms
  std::string file;  // --synonyms FILE: this set instead of the index's
};
void AddSynonymsFlags(CLI::App* cmd, SynonymsFlags* f);
// Fills SearchOptions' use_synonyms / synonyms for an index analysed with `analyzer`: the
// file's errors (file:line) when it does not parse.
absl::Status ResolveSynonyms(const SynonymsFlags& f, const AnalyzerOptions& analyzer, bool* use,
                             std::shared_ptr<const SynonymSet>* set);

// Fills `out`; InvalidArgument for a malformed --weights or --field-b.
absl::Status ToRankingOptions(const RankingFlags& f, RankingOptions* out);

}  // namespace scour::cli

#endif  // SCOUR_CLI_RANKING_FLAGS_H_
