#include "cli/ranking_flags.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"

namespace scour::cli {

void AddRankingFlags(CLI::App* cmd, RankingFlags* f) {
  cmd->add_option(
         "--ranker", f->ranker,
         "bm25 (Lucene's), bm25-robertson, bm25+, bm25l, bm25tp (bm25 + proximity re-ranking), "
         "bm25f (fields combined before saturation), qld (Dirichlet LM), dfr-inb2, dfr-inexpb2, "
         "dfr-inl2 (Lucene 8's DFR models)")
      ->capture_default_str();
  cmd->add_option("--k1", f->k1, "BM25 k1")->capture_default_str();
  cmd->add_option("--b", f->b, "BM25 b")->capture_default_str();
  cmd->add_option("--delta", f->delta, "BM25+/BM25L delta (default: 1.0 / 0.5)");
  cmd->add_option("--mu", f->mu, "qld: Dirichlet smoothing mu")->capture_default_str();
  cmd->add_option("--c", f->c, "dfr-*: NormalizationH2's c")->capture_default_str();
  cmd->add_option("--weights", f->weights, "Per-field weights, e.g. title=2,text=1");
  cmd->add_option("--field-b", f->field_b, "bm25f: per-field b, e.g. title=0.3,text=0.75");
  AddFeedbackFlags(cmd, f);
}

void AddFeedbackFlags(CLI::App* cmd, RankingFlags* f) {
  cmd->add_option("--expand", f->expand,
                  "Pseudo-relevance feedback: rm3 (Anserini's) or bo1 (Terrier's); "
                  "docs/FEEDBACK.md");
  // Checked here, with the library's and the Python module's words: the library reads a
  // negative value as "the method's default", which a value typed on the command line is not.
  auto at_least_one = [](const char* name) {
    return [name](const std::string& s) -> std::string {
      int v;
      return absl::SimpleAtoi(s, &v) && v >= 1 ? "" : absl::StrCat("need ", name, " >= 1");
    };
  };
  cmd->add_option("--fb-docs", f->fb_docs, "Feedback documents (default: rm3 10, bo1 3)")
      ->check(at_least_one("fb_docs"));
  cmd->add_option("--fb-terms", f->fb_terms, "Expansion terms (default 10)")
      ->check(at_least_one("fb_terms"));
  cmd->add_option("--fb-weight", f->fb_weight, "rm3: the original query's weight (default 0.5)")
      ->check([](const std::string& s) -> std::string {
        float v;
        return absl::SimpleAtof(s, &v) && v >= 0 && v <= 1 ? "" : "fb_weight must be in [0, 1]";
      });
}

void AddSyntaxFlag(CLI::App* cmd, bool* query_syntax) {
  cmd->add_flag("--syntax", *query_syntax,
                "Read topics in the query language (default: plain text, the analysed terms "
                "OR-ed, as Anserini and Terrier read topic files)");
}

void AddThreadsFlag(CLI::App* cmd, int* threads) {
  cmd->add_option("--threads", *threads,
                  "Queries searched at once, over one snapshot (0 = one per core); the results "
                  "do not depend on it")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

namespace {

// "F=X,G=Y" (X >= 0) into pairs; `flag` names the flag in the error.
absl::Status ParseFieldValues(const std::string& text, const char* flag,
                              std::vector<std::pair<std::string, float>>* out) {
  out->clear();
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(part, absl::MaxSplits('=', 1));
    float v;
    if (kv.first.empty() || !absl::SimpleAtof(kv.second, &v) || !(v >= 0) || !std::isfinite(v))
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": expected FIELD=VALUE (finite value >= 0), got \"", part, "\""));
    out->emplace_back(std::string(kv.first), v);
  }
  return absl::OkStatus();
}

}  // namespace

void AddSynonymsFlags(CLI::App* cmd, SynonymsFlags* f) {
  CLI::Option* off =
      cmd->add_flag("--no-synonyms", f->off, "Ignore the index's synonyms (docs/SYNONYMS.md)");
  cmd->add_option("--synonyms", f->file,
                  "Expand queries with this synonyms file (Solr's format) instead of the index's")
      ->excludes(off);
}

absl::Status ResolveSynonyms(const SynonymsFlags& f, const AnalyzerOptions& analyzer, bool* use,
                             std::shared_ptr<const SynonymSet>* set) {
  *use = !f.off;
  set->reset();
  if (f.file.empty()) return absl::OkStatus();
  auto read = SynonymSet::ReadFile(f.file, analyzer);
  if (!read.ok()) return read.status();
  *set = *std::move(read);
  return absl::OkStatus();
}

absl::Status ToRankingOptions(const RankingFlags& f, RankingOptions* out) {
  out->ranker = f.ranker;
  out->k1 = f.k1;
  out->b = f.b;
  out->delta = f.delta;
  out->mu = f.mu;
  out->c = f.c;
  SCOUR_RETURN_IF_ERROR(ParseFieldValues(f.weights, "--weights", &out->field_weights));
  SCOUR_RETURN_IF_ERROR(ParseFieldValues(f.field_b, "--field-b", &out->field_b));
  out->expand = f.expand;
  out->fb_docs = f.fb_docs;
  out->fb_terms = f.fb_terms;
  out->fb_weight = f.fb_weight;
  return absl::OkStatus();
}

}  // namespace scour::cli
