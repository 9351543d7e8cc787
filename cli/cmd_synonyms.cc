// scour synonyms set / show / clear / extract: the index's synonyms file (docs/SYNONYMS.md,
// docs/cli/synonyms.md) and the acronym miner that proposes one.
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "ingest/document_reader.h"
#include "scour/distributed.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/synonyms.h"
#include "shards/index_set.h"
#include "synonyms/acronyms.h"

namespace scour::cli {
namespace {

int RunSetOne(const std::string& index, const std::string* file, bool no_expand, bool quiet);
int RunShowOne(const std::string& index, bool rules);

IndexWriterOptions ExistingIndex() {
  IndexWriterOptions o;
  o.create_if_missing = false;
  o.threads = 1;
  o.auto_merge = false;
  return o;
}

// The index itself, or every shard of an index set (a set has one synonym set, stored in each
// shard: docs/DISTRIBUTED.md); the first names the analyser.
absl::StatusOr<std::vector<std::string>> Targets(const std::string& index) {
  if (!shards::IsIndexSet(index)) return std::vector<std::string>{index};
  return IndexSetShardPaths(index);
}

// Parses FILE with the index's analyser, then commits it (nullptr path: removes the set). On an
// index set, every shard in turn: if one fails, the set refuses searches (its shards then store
// different sets) until the command is run again.
int RunSet(const std::string& index, const std::string* file, bool no_expand, bool quiet) {
  auto targets = Targets(index);
  if (!targets.ok()) return PrintError(targets.status());
  for (const std::string& t : *targets) {
    if (int rc = RunSetOne(t, file, no_expand, quiet); rc != kExitOk) return rc;
  }
  return kExitOk;
}

int RunShow(const std::string& index_or_set, bool rules) {
  auto targets = Targets(index_or_set);
  if (!targets.ok()) return PrintError(targets.status());
  return RunShowOne(targets->front(), rules);
}

int RunSetOne(const std::string& index, const std::string* file, bool no_expand, bool quiet) {
  auto reader = IndexReader::Open(index);
  if (!reader.ok()) return PrintError(reader.status());
  std::shared_ptr<const SynonymSet> set;
  if (file != nullptr) {
    SynonymParseOptions popts;
    popts.expand = !no_expand;
    auto parsed = SynonymSet::ReadFile(*file, (*reader)->analyzer_options(), popts);
    if (!parsed.ok()) return PrintError(parsed.status());
    set = *std::move(parsed);
  }
  reader->reset();
  auto w = IndexWriter::Open(index, ExistingIndex());
  if (!w.ok()) return PrintError(w.status());
  absl::Status s = (*w)->SetSynonyms(set);
  if (s.ok()) s = (*w)->Commit();
  if (!s.ok()) return PrintError(s);
  if (!quiet) {
    if (set) {
      std::fprintf(stderr, "index %s: synonyms from %s, %zu rules\n", index.c_str(), file->c_str(),
                   set->rules().size());
    } else {
      std::fprintf(stderr, "index %s: no synonyms\n", index.c_str());
    }
  }
  return kExitOk;
}

int RunShowOne(const std::string& index, bool rules) {
  auto reader = IndexReader::Open(index);
  if (!reader.ok()) return PrintError(reader.status());
  auto set = (*reader)->synonyms();
  if (set == nullptr) {
    std::fprintf(stderr, "index %s has no synonyms\n", index.c_str());
    return kExitOk;
  }
  if (!rules) {
    std::fwrite(set->source_text().data(), 1, set->source_text().size(), stdout);
    return kExitOk;
  }
  // The analysed rules: input => alternatives ("+" marks a kept original).
  for (const SynonymRule& r : set->rules()) {
    std::string line = SynonymEntryText(r.input) + " =>";
    if (r.keep_original) absl::StrAppend(&line, " +", SynonymEntryText(r.input), ",");
    for (size_t i = 0; i < r.outputs.size(); ++i)
      absl::StrAppend(&line, i ? ", " : " ", SynonymEntryText(r.outputs[i]));
    std::printf("%s\n", line.c_str());
  }
  return kExitOk;
}

// Every document's fields as one text, each field a paragraph of its own.
std::string DocumentText(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string text;
  for (const auto& [name, value] : fields)
    absl::StrAppend(&text, text.empty() ? "" : "\n\n", value);
  return text;
}

int RunExtract(const std::string& index, const std::vector<std::string>& inputs,
               const std::string& language, bool stopwords, const std::string& output) {
  if (index.empty() == inputs.empty())
    return PrintError("synonyms extract: give --index DIR or input files (not both)", kExitUsage);
  std::vector<std::string> texts;
  AnalyzerOptions analyzer;
  std::string source;
  if (!index.empty()) {
    auto reader = IndexReader::Open(index);
    if (!reader.ok()) return PrintError(reader.status());
    analyzer = (*reader)->analyzer_options();
    source = index;
    for (uint64_t d = 0; d < (*reader)->max_doc(); ++d) {
      auto id = (*reader)->ExternalId(d);
      if (!id.ok()) return PrintError(id.status());
      auto live = (*reader)->Find(*id);
      if (!live.ok() || *live != d) continue;  // deleted
      auto doc = (*reader)->Document(d);
      if (!doc.ok()) return PrintError(doc.status());
      texts.push_back(DocumentText(doc->fields));
    }
  } else {
    analyzer.language = language;
    analyzer.stopwords = stopwords;
    ingest::ReaderOptions ropts;
    for (const std::string& in : inputs) {
      auto r = ingest::OpenReader(in, ropts);
      if (!r.ok()) return PrintError(r.status());
      Document doc;
      for (;;) {
        auto more = (*r)->Next(&doc);
        if (!more.ok()) return PrintError(more.status());
        if (!*more) break;
        std::vector<std::pair<std::string, std::string>> fields;
        for (const Field& f : doc.fields)
          if (f.indexed) fields.emplace_back(f.name, f.value);
        texts.push_back(DocumentText(fields));
      }
      absl::StrAppend(&source, source.empty() ? "" : " ", in);
    }
  }
  auto miner = synonyms::AcronymMiner::Create(analyzer);
  if (!miner.ok()) return PrintError(miner.status(), kExitUsage);
  for (const auto& t : texts)
    if (absl::Status s = (*miner)->AddDefinitions(t); !s.ok()) return PrintError(s);
  for (const auto& t : texts)
    if (absl::Status s = (*miner)->CountOccurrences(t); !s.ok()) return PrintError(s);
  const std::string file =
      synonyms::AcronymMiner::FormatSynonymsFile((*miner)->Results(), source, texts.size());
  if (output.empty() || output == "-") {
    std::fwrite(file.data(), 1, file.size(), stdout);
    return kExitOk;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << file;
  out.close();
  if (!out) return PrintError(absl::StrCat(output, ": cannot write"));
  return kExitOk;
}

}  // namespace

void RegisterSynonyms(CLI::App& app, CommandResult& result) {
  CLI::App* cmd = app.add_subcommand("synonyms", "The index's synonyms (docs/SYNONYMS.md)");
  cmd->require_subcommand(1);

  struct SetArgs {
    std::string index, file;
    bool no_expand = false, quiet = false;
  };
  auto s = std::make_shared<SetArgs>();
  CLI::App* set = cmd->add_subcommand(
      "set", "Store a synonyms file (Solr's format) with the index; later queries use it");
  set->add_option("--index", s->index, "Index directory or index set")->required();
  set->add_option("file", s->file, "Synonyms file")->required();
  set->add_flag("--no-expand", s->no_expand,
                "Equivalences map every entry to the first only (Solr's expand=false)");
  set->add_flag("-q,--quiet", s->quiet, "No summary");
  set->callback(
      [s, &result] { result.exit_code = RunSet(s->index, &s->file, s->no_expand, s->quiet); });

  auto c = std::make_shared<SetArgs>();
  CLI::App* clear = cmd->add_subcommand("clear", "Remove the index's synonyms");
  clear->add_option("--index", c->index, "Index directory or index set")->required();
  clear->add_flag("-q,--quiet", c->quiet, "No summary");
  clear->callback([c, &result] { result.exit_code = RunSet(c->index, nullptr, false, c->quiet); });

  struct ShowArgs {
    std::string index;
    bool rules = false;
  };
  auto sh = std::make_shared<ShowArgs>();
  CLI::App* show = cmd->add_subcommand("show", "Print the index's synonyms file");
  show->add_option("--index", sh->index, "Index directory or index set")->required();
  show->add_flag("--rules", sh->rules, "The analysed rules instead of the file");
  show->callback([sh, &result] { result.exit_code = RunShow(sh->index, sh->rules); });

  struct ExtractArgs {
    std::string index, language = "english", output;
    std::vector<std::string> inputs;
    bool stopwords = false;
  };
  auto e = std::make_shared<ExtractArgs>();
  CLI::App* extract = cmd->add_subcommand(
      "extract", "Mine acronym definitions (Schwartz & Hearst) into a synonyms file to review");
  extract->add_option("--index", e->index, "Read the stored text of the index's documents");
  extract->add_option("inputs", e->inputs, "Or read these input files (as scour index does)");
  extract->add_option("--language", e->language, "Analyser for input files")->capture_default_str();
  extract->add_flag("--stopwords", e->stopwords, "Analyser for input files: drop stopwords");
  extract->add_option("-o,--output", e->output, "Write the file here (default: stdout)");
  extract->callback([e, &result] {
    result.exit_code = RunExtract(e->index, e->inputs, e->language, e->stopwords, e->output);
  });
}

}  // namespace scour::cli
