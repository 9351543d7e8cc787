// scour search: one query, or a batch of `qid<TAB>query` lines, against an index; results as
// text (ranked hits with highlighted snippets), JSON lines, or a TREC run.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "base/parallel.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/ranking_flags.h"
#include "eval/trec_io.h"
#include "nlohmann/json.hpp"
#include "scour/distributed.h"
#include "scour/index_reader.h"
#include "scour/searcher.h"
#include "scour/synonyms.h"
#include "shards/index_set.h"

namespace scour::cli {
namespace {

struct SearchArgs {
  std::vector<std::string> index;  // one index or index set, or the shards of a set
  std::string query;
  std::string queries_file;
  size_t k = 10;
  bool and_mode = false;
  bool query_syntax = false;  // --queries topics in the query language (default: plain text)
  std::string format = "text";
  bool explain = false, count = false, verify = false, verify_pruning = false;
  std::string fields;         // stored fields to show
  std::string search_fields;  // default fields for unqualified terms
  std::string snippet_field;
  std::string tag = "scour";
  std::string color = "auto";
  int threads = 0;
  SynonymsFlags synonyms;
  RankingFlags ranking;
};

// The trec_eval-safe form of an id (whitespace would split the column).
std::string TrecId(std::string id) {
  for (char& c : id)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') c = '_';
  return id;
}

std::string PickSnippetField(const std::vector<FieldStatistics>& fields,
                             const std::string& wanted) {
  if (!wanted.empty()) return wanted;
  // The longest-on-average text field makes the best snippet source.
  std::string best;
  double best_len = -1;
  for (const auto& f : fields) {
    const double len = f.average_length();
    if (len > best_len) best = f.name, best_len = len;
  }
  return best;
}

void AppendText(const SearchResults& r, const std::vector<std::string>& show, bool color,
                bool show_query, std::string* out) {
  if (!r.note.empty()) absl::StrAppend(out, "note: ", r.note, "\n");
  // The query as searched: synonyms expanded and, with --expand, the weighted terms feedback chose.
  if (show_query) {
    absl::StrAppend(out, "query: ", r.parsed_query);
    if (r.synonym_spans > 0)
      absl::StrAppend(out, "  (", r.synonym_spans, " synonym spans expanded)");
    absl::StrAppend(out, "\n");
  }
  if (r.total_is_exact) absl::StrAppend(out, r.total_hits, " matching documents\n");
  for (size_t i = 0; i < r.hits.size(); ++i) {
    const Hit& h = r.hits[i];
    if (color)
      absl::StrAppendFormat(out, "\x1b[1m%d. %s\x1b[0m  \x1b[2m%.4f\x1b[0m\n", i + 1, h.id,
                            h.score);
    else
      absl::StrAppendFormat(out, "%d. %s  %.4f\n", i + 1, h.id, h.score);
    for (const auto& name : show)
      if (const std::string* v = h.document.Get(name))
        absl::StrAppend(out, "   ", name, ": ", *v, "\n");
    if (!h.snippet.empty()) absl::StrAppend(out, "   ", h.snippet, "\n");
    if (!h.explanation.empty()) {
      for (absl::string_view line : absl::StrSplit(h.explanation, '\n', absl::SkipEmpty()))
        absl::StrAppend(out, "   | ", line, "\n");
    }
  }
  // -k 0 --count asked for the count alone: it was printed.
  if (r.hits.empty() && r.note.empty() && !(r.total_is_exact && r.total_hits > 0))
    absl::StrAppend(out, "no matching documents\n");
}

void AppendJson(const SearchResults& r, const std::string& qid,
                const std::vector<std::string>& show, std::string* out) {
  for (size_t i = 0; i < r.hits.size(); ++i) {
    const Hit& h = r.hits[i];
    nlohmann::json j;
    if (!qid.empty()) j["qid"] = qid;
    j["rank"] = i + 1;
    j["id"] = h.id;
    j["score"] = h.score;
    j["parsed_query"] = r.parsed_query;
    j["synonyms"] = r.synonym_spans;
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [name, value] : h.document.fields)
      if (show.empty() || std::find(show.begin(), show.end(), name) != show.end())
        fields[name] = value;
    j["fields"] = fields;
    if (!h.snippet.empty()) {
      j["snippet"] = h.snippet;
      j["highlights"] = h.highlights;
    }
    if (!h.explanation.empty()) j["explanation"] = h.explanation;
    absl::StrAppend(out, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "\n");
  }
}

void AppendTrec(const SearchResults& r, const std::string& qid, const std::string& tag,
                std::string* out) {
  for (size_t i = 0; i < r.hits.size(); ++i)
    absl::StrAppendFormat(out, "%s Q0 %s %d %.6f %s\n", qid, TrecId(r.hits[i].id), i + 1,
                          r.hits[i].score, tag);
}

// What one query prints, made on the thread that ran it and written in query order.
struct QueryOutput {
  std::string out, err;
  int rc = kExitOk;
  bool verified = false, differs = false;  // --verify-pruning
};

int RunSearch(const SearchArgs& a) {
  if (a.format != "text" && a.format != "json" && a.format != "trec")
    return PrintError("--format must be text, json or trec", kExitUsage);
  if (a.query.empty() == a.queries_file.empty())
    return PrintError("give either a QUERY or --queries FILE", kExitUsage);
  SearchOptions opts;
  opts.k = a.k;
  opts.default_and = a.and_mode;
  opts.explain = a.explain;
  opts.count = a.count;
  opts.verify_pruning = a.verify_pruning;
  if (absl::Status s = ToRankingOptions(a.ranking, &opts.ranking); !s.ok())
    return PrintError(s, kExitUsage);
  for (absl::string_view f : absl::StrSplit(a.search_fields, ',', absl::SkipEmpty()))
    opts.default_fields.emplace_back(f);
  // --explain and --expand show the query as searched (with --expand: its weighted terms).
  const bool show_query = a.explain || !a.ranking.expand.empty();
  std::vector<std::string> show;
  for (absl::string_view f : absl::StrSplit(a.fields, ',', absl::SkipEmpty())) show.emplace_back(f);

  // Several --index, or an index set: searched as one index (docs/DISTRIBUTED.md).
  std::unique_ptr<Searcher> searcher;
  std::unique_ptr<ShardedSearcher> set;
  std::vector<FieldStatistics> fields;
  if (a.index.size() > 1 || shards::IsIndexSet(a.index[0])) {
    auto s = a.index.size() > 1 ? ShardedSearcher::Open(a.index, {.verify_checksums = a.verify})
                                : ShardedSearcher::Open(a.index[0], {.verify_checksums = a.verify});
    if (!s.ok()) return PrintError(s.status());
    set = *std::move(s);
    fields = set->collection().fields;
  } else {
    auto reader = IndexReader::Open(a.index[0], {.verify_checksums = a.verify});
    if (!reader.ok()) return PrintError(reader.status());
    fields = (*reader)->field_statistics();
    auto s = Searcher::Create(*reader);
    if (!s.ok()) return PrintError(s.status());
    searcher = *std::move(s);
  }
  for (const auto& f : show) {
    if (std::none_of(fields.begin(), fields.end(), [&](const auto& x) { return x.name == f; }))
      return PrintError(absl::StrCat("--fields: unknown field \"", f, "\""), kExitUsage);
  }
  if (absl::Status s = ResolveSynonyms(
          a.synonyms, set ? set->collection().analyzer : searcher->reader().analyzer_options(),
          &opts.use_synonyms, &opts.synonyms);
      !s.ok())
    return PrintError(s);
  auto search = [&](const std::string& q) {
    return set ? set->Search(q, opts) : searcher->Search(q, opts);
  };

  const bool tty = isatty(STDOUT_FILENO) != 0;
  const bool color = a.color == "always" || (a.color == "auto" && tty);
  if (a.format == "text") {
    opts.snippet_field = PickSnippetField(fields, a.snippet_field);
    opts.highlight_open = color ? "\x1b[1;31m" : "[";
    opts.highlight_close = color ? "\x1b[0m" : "]";
  } else if (a.format == "json") {
    opts.snippet_field = PickSnippetField(fields, a.snippet_field);
    opts.highlight_open = opts.highlight_close = "";
  } else {
    opts.load_stored = false;
  }

  // Topic files are plain text unless --syntax; a QUERY argument is the query language.
  opts.query_syntax = a.queries_file.empty() || a.query_syntax;
  if (a.queries_file.empty()) {
    auto r = search(a.query);
    if (!r.ok()) {
      std::fprintf(stderr, "scour: %s\n", std::string(r.status().message()).c_str());
      return absl::IsInvalidArgument(r.status()) ? kExitUsage : kExitFailure;
    }
    if (!r->note.empty() && a.format != "text")
      std::fprintf(stderr, "scour: query 1: note: %s\n", r->note.c_str());
    if (a.verify_pruning) {
      if (!r->pruning_differences.empty()) {
        std::fprintf(stderr, "scour: query 1: pruned and exhaustive results differ:\n%s",
                     r->pruning_differences.c_str());
      }
      std::fprintf(stderr, "scour: verify-pruning: 1 queries, %d differ\n",
                   r->pruning_differences.empty() ? 0 : 1);
    }
    std::string out;
    if (a.format == "text") {
      AppendText(*r, show, color, show_query, &out);
    } else if (a.format == "json") {
      AppendJson(*r, "", show, &out);
    } else {
      AppendTrec(*r, "1", a.tag, &out);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return a.verify_pruning && !r->pruning_differences.empty() ? kExitFailure : kExitOk;
  }

  auto read = eval::ReadTopicsFile(a.queries_file);
  if (!read.ok()) return PrintError(read.status());
  const std::vector<eval::Topic>& topics = *read;
  auto run_one = [&](const eval::Topic& t, QueryOutput* o) {
    auto r = search(t.title);
    if (!r.ok()) {
      o->err = absl::StrCat("scour: ", a.queries_file, ":", t.line, ": query ", t.qid, ": ",
                            r.status().message(), "\n");
      o->rc = absl::IsInvalidArgument(r.status()) ? kExitUsage : kExitFailure;
      return;
    }
    if (!r->note.empty() && a.format != "text")
      o->err = absl::StrCat("scour: query ", t.qid, ": note: ", r->note, "\n");
    if (a.verify_pruning) {
      o->verified = true;
      if (!r->pruning_differences.empty()) {
        o->differs = true;
        absl::StrAppend(&o->err, "scour: query ", t.qid,
                        ": pruned and exhaustive results differ:\n", r->pruning_differences);
      }
    }
    if (a.format == "text") {
      if (topics.size() > 1) absl::StrAppend(&o->out, "== ", t.qid, ": ", t.title, "\n");
      AppendText(*r, show, color, show_query, &o->out);
    } else if (a.format == "json") {
      AppendJson(*r, t.qid, show, &o->out);
    } else {
      AppendTrec(*r, t.qid, a.tag, &o->out);
    }
  };
  // Chunks of queries run on the threads, then are written in file order: the output is the
  // same for any --threads, and memory stays bounded by a chunk's output.
  int rc = kExitOk;
  size_t verified = 0, differ = 0;
  const size_t chunk = 64 * static_cast<size_t>(ParallelWorkers(topics.size(), a.threads));
  std::vector<QueryOutput> outputs;
  for (size_t begin = 0; begin < topics.size(); begin += chunk) {
    const size_t n = std::min(chunk, topics.size() - begin);
    outputs.assign(n, QueryOutput{});
    ParallelFor(n, a.threads, [&](int, size_t i) { run_one(topics[begin + i], &outputs[i]); });
    for (const QueryOutput& o : outputs) {
      if (!o.err.empty()) {
        std::fflush(stdout);
        std::fwrite(o.err.data(), 1, o.err.size(), stderr);
      }
      std::fwrite(o.out.data(), 1, o.out.size(), stdout);
      if (o.rc != kExitOk) rc = o.rc;
      verified += o.verified;
      differ += o.differs;
    }
  }
  if (a.verify_pruning) {
    std::fprintf(stderr, "scour: verify-pruning: %zu queries, %zu differ\n", verified, differ);
    if (differ > 0 && rc == kExitOk) rc = kExitFailure;
  }
  return rc;
}

}  // namespace

void RegisterSearch(CLI::App& app, CommandResult& result) {
  auto a = std::make_shared<SearchArgs>();
  CLI::App* cmd = app.add_subcommand("search", "Search an index (query language: docs/QUERY.md)");
  cmd->add_option("--index", a->index,
                  "Index directory, or index set; repeated: shards searched as one index")
      ->required()
      ->allow_extra_args(false);  // one directory per --index: QUERY stays positional
  cmd->add_option("query", a->query, "The query");
  cmd->add_option("--queries", a->queries_file,
                  "Batch: a file of qid<TAB>query lines (or TREC topics), plain text unless "
                  "--syntax");
  AddSyntaxFlag(cmd, &a->query_syntax);
  cmd->add_option("-k", a->k, "Number of hits")->capture_default_str();
  cmd->add_flag("--and", a->and_mode, "Juxtaposed terms must all match (default: any)");
  cmd->add_option("--format", a->format, "text, json (one object per hit per line) or trec")
      ->capture_default_str();
  cmd->add_flag("--explain", a->explain, "Break each score into its per-term parts");
  cmd->add_flag("--count", a->count, "Also count all matching documents (exact)");
  cmd->add_option("--fields", a->fields, "Stored fields to show, e.g. company");
  cmd->add_option("--search-fields", a->search_fields,
                  "Fields searched by unqualified terms (default: all)");
  cmd->add_option("--snippet-field", a->snippet_field,
                  "Stored field for snippets (default: the longest)");
  cmd->add_option("--tag", a->tag, "Run tag for --format trec")->capture_default_str();
  cmd->add_option("--color", a->color, "auto, always or never")->capture_default_str();
  cmd->add_flag("--verify", a->verify, "Verify every checksum while opening the index");
  cmd->add_flag("--verify-pruning", a->verify_pruning,
                "Also evaluate every query with nothing pruned; report (stderr) and fail on any "
                "difference in ids, scores or count");
  AddThreadsFlag(cmd, &a->threads);
  AddSynonymsFlags(cmd, &a->synonyms);
  AddRankingFlags(cmd, &a->ranking);
  cmd->callback([a, &result] { result.exit_code = RunSearch(*a); });
}

}  // namespace scour::cli
