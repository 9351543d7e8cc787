// scour index: read documents, add them to an index (replacing same-id documents), commit.
// A bad record aborts the run with nothing committed, unless --skip-bad (docs/cli/index.md).
#include <cstdio>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>  // mallopt
#endif

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "ingest/document_reader.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "shards/set_writer.h"

namespace scour::cli {
namespace {

struct IndexArgs {
  std::string index;
  std::vector<std::string> inputs;
  std::string format = "auto";
  std::string id_field = "id";
  std::string fields, store, combine;
  std::string language = "english";
  bool stopwords = false;
  size_t ram_mb = 256;
  int threads = 0;
  uint32_t shards = 0;  // > 0: an index set of this many shards
  bool skip_bad = false, quiet = false, no_merge = false, term_vectors = false;
};

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  for (absl::string_view p : absl::StrSplit(s, ',', absl::SkipEmpty())) out.emplace_back(p);
  return out;
}

// Replaces the indexed fields named in `from` by one indexed, unstored field `name` holding
// their values joined by "\n" in the order of `from`; the originals stay stored if they were.
// The combined field is multi-valued: one value per source field, in `from` order, with
// positions continuing across values, which indexes exactly what "F1 + \n + F2" would. An unstored
// source's text is moved, not copied (with --store none that is every source). Works in place
// with swaps, and `parts` (scratch, kept between calls) holds on to its Fields' buffers, so a
// document whose buffers are recycled (AddDocumentRecycling) costs no allocation here.
void CombineFields(const std::string& name, const std::vector<std::string>& from, Document* doc,
                   std::vector<Field>* parts) {
  size_t n = 0;
  for (const std::string& f : from)
    for (Field& field : doc->fields)
      if (field.name == f && field.indexed) {
        if (n == parts->size()) parts->emplace_back();
        Field& p = (*parts)[n++];
        p.name.assign(name);
        p.indexed = true;
        p.stored = false;
        if (field.stored) {
          p.value.assign(field.value);
        } else {
          p.value.swap(field.value);
        }
        field.indexed = false;
      }
  // Keep the fields still indexed or stored, in order; then the combined values.
  std::vector<Field>& fields = doc->fields;
  size_t kept = 0;
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].indexed || fields[i].stored) {
      if (i != kept) std::swap(fields[kept], fields[i]);
      ++kept;
    }
  if (fields.size() < kept + n) fields.resize(kept + n);
  for (size_t i = 0; i < n; ++i) std::swap(fields[kept + i], (*parts)[i]);
  fields.resize(kept + n);
}

int RunIndex(const IndexArgs& a, bool language_given) {
#if defined(__GLIBC__)
  // Large blocks (the builders' pools and arrays, flush buffers) come from mmap and go back to
  // the kernel when freed. By default glibc raises this threshold after the first such block is
  // freed, and from then on serves them from its arenas, which keep the memory: with two
  // workers flushing at --ram-mb 64 that held ~30 MB beyond the budget through the final merge.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  ingest::ReaderOptions ropts;
  auto format = ingest::ParseFormat(a.format);
  if (!format.ok()) return PrintError(format.status(), kExitUsage);
  ropts.format = *format;
  ropts.id_field = a.id_field;
  ropts.fields = SplitList(a.fields);
  if (a.store == "none") {
    ropts.store = std::vector<std::string>{};
  } else if (!a.store.empty()) {
    ropts.store = SplitList(a.store);
  }
  // --combine NAME=F1,F2,...: index those fields as one field NAME, as if joined by "\n" (the
  // peers' "body = title + \n + text"), so phrases may cross the boundary as in Lucene's set-up.
  std::string combined_name;
  std::vector<std::string> combined_from;
  if (!a.combine.empty()) {
    auto eq = a.combine.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == a.combine.size())
      return PrintError("--combine expects NAME=FIELD,FIELD,...", kExitUsage);
    combined_name = a.combine.substr(0, eq);
    combined_from = SplitList(a.combine.substr(eq + 1));
  }

  IndexWriterOptions wopts;
  wopts.analyzer.language = a.language;
  wopts.analyzer.stopwords = a.stopwords;
  wopts.analyzer_explicit = language_given;
  wopts.ram_budget_mb = a.ram_mb;
  wopts.threads = a.threads;
  wopts.auto_merge = !a.no_merge;
  wopts.term_vectors = a.term_vectors;
  wopts.reject_duplicate_ids = true;
  {
    auto check = Analyzer::Create(wopts.analyzer);
    if (!check.ok()) return PrintError(check.status(), kExitUsage);
  }
  // An index set (--shards N, or an existing set): a writer per shard, documents routed by id.
  std::unique_ptr<IndexWriter> single;
  std::unique_ptr<shards::IndexSetWriter> set;
  if (a.shards > 0 || shards::IsIndexSet(a.index)) {
    auto w = shards::IndexSetWriter::Open(a.index, a.shards, wopts);
    if (!w.ok()) return PrintError(w.status());
    set = *std::move(w);
  } else {
    auto w = IndexWriter::Open(a.index, wopts);
    if (!w.ok()) return PrintError(w.status());
    single = *std::move(w);
  }

  // Open every input first: a missing path fails before any work.
  std::vector<std::unique_ptr<ingest::DocumentReader>> readers;
  uint64_t total_bytes = 0;
  for (const std::string& in : a.inputs) {
    auto r = ingest::OpenReader(in, ropts);
    if (!r.ok()) return PrintError(r.status());
    total_bytes += (*r)->bytes_total();
    readers.push_back(*std::move(r));
  }

  Progress progress(a.quiet);
  uint64_t docs = 0, skipped = 0, done_bytes = 0;
  Document doc;
  std::vector<Field> combine_scratch;
  for (auto& reader : readers) {
    for (;;) {
      absl::StatusOr<bool> more = reader->Next(&doc);
      absl::Status bad;
      if (!more.ok()) {
        if (!absl::IsInvalidArgument(more.status())) {  // I/O: the reader cannot go on
          progress.Finish();
          PrintError(more.status());
          std::fprintf(stderr, "scour: nothing from this run was committed\n");
          return kExitFailure;
        }
        bad = more.status();
      } else if (!*more) {
        break;
      } else if (!combined_from.empty()) {
        CombineFields(combined_name, combined_from, &doc, &combine_scratch);
      }
      if (bad.ok() && *more) {
        // Takes the document and hands back an earlier one's buffers for the reader to fill.
        absl::Status s = set ? set->AddDocumentRecycling(&doc) : single->AddDocumentRecycling(&doc);
        if (absl::IsAlreadyExists(s)) {
          ingest::RecordOrigin o = reader->origin();
          bad = absl::InvalidArgumentError(
              o.line ? absl::StrCat(o.file, ":", o.line, ": ", s.message())
                     : absl::StrCat(o.file, ": ", s.message()));
        } else if (!s.ok()) {
          progress.Finish();
          PrintError(s);
          std::fprintf(stderr, "scour: nothing from this run was committed\n");
          return kExitFailure;
        }
      }
      if (!bad.ok()) {
        progress.Finish();
        if (!a.skip_bad) {
          PrintError(bad);
          std::fprintf(stderr,
                       "scour: nothing from this run was committed (use --skip-bad to skip bad "
                       "records)\n");
          return kExitFailure;
        }
        std::fprintf(stderr, "scour: skipped: %s\n", std::string(bad.message()).c_str());
        ++skipped;
        continue;
      }
      ++docs;
      progress.Update(docs, done_bytes + reader->bytes_read(), total_bytes);
    }
    done_bytes += reader->bytes_read();
  }
  progress.Finish();
  absl::Status s = set ? set->Commit() : single->Commit();
  if (!s.ok()) {
    PrintError(s);
    std::fprintf(stderr, "scour: the commit failed; the index is as at its previous commit\n");
    return kExitFailure;
  }
  if (absl::Status merge = set ? set->background_error() : single->background_error();
      !merge.ok()) {
    PrintError(merge);
    std::fprintf(stderr, "scour: the documents are committed; `scour merge` retries the merge\n");
    return kExitFailure;
  }
  double secs = progress.elapsed();
  IndexWriterStats st = set ? set->stats() : single->stats();
  const size_t num_shards = set ? set->num_shards() : 0;
  single.reset();  // releases the locks
  set.reset();
  if (!a.quiet) {
    std::fprintf(stderr,
                 "indexed %llu documents (%.1f MB of text) in %.2f s: %.0f docs/s, %.1f MB/s\n",
                 static_cast<unsigned long long>(docs), st.bytes_indexed / 1e6, secs,
                 secs > 0 ? docs / secs : 0.0, secs > 0 ? st.bytes_indexed / 1e6 / secs : 0.0);
    if (skipped)
      std::fprintf(stderr, "skipped %llu bad records\n", static_cast<unsigned long long>(skipped));
    if (num_shards > 0) {
      std::fprintf(stderr, "index set %s: %zu shards\n", a.index.c_str(), num_shards);
      return skipped > 0 && docs == 0 ? kExitFailure : kExitOk;
    }
    auto reader = IndexReader::Open(a.index);
    if (reader.ok())
      std::fprintf(stderr, "index %s: %llu documents in %zu segments\n", a.index.c_str(),
                   static_cast<unsigned long long>((*reader)->num_docs()),
                   (*reader)->num_segments());
  }
  return skipped > 0 && docs == 0 ? kExitFailure : kExitOk;
}

}  // namespace

void RegisterIndex(CLI::App& app, CommandResult& result) {
  auto args = std::make_shared<IndexArgs>();
  CLI::App* cmd = app.add_subcommand("index", "Add documents to an index (creating it if needed)");
  cmd->add_option("--index", args->index, "Index directory")->required();
  cmd->add_option("inputs", args->inputs, "Files or directories to read; - for stdin")->required();
  cmd->add_option("--format", args->format, "auto|jsonl|tsv|text|paragraphs")
      ->capture_default_str();
  cmd->add_option("--id-field", args->id_field, "JSONL/TSV field holding the document id")
      ->capture_default_str();
  cmd->add_option("--fields", args->fields, "Comma-separated text fields to index (default: all)");
  cmd->add_option("--store", args->store,
                  "Comma-separated fields to store (default: all; none: only the id)");
  cmd->add_option(
      "--combine", args->combine,
      "NAME=F1,F2: index fields F1, F2 together as one field NAME (joined by a newline)");
  auto* lang = cmd->add_option("--language", args->language,
                               "Stemming language (a libstemmer name, or none); new index only")
                   ->capture_default_str();
  cmd->add_flag("--stopwords", args->stopwords, "Drop English stopwords (new index only)");
  cmd->add_option("--ram-mb", args->ram_mb, "In-memory indexing budget in MB")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "Indexing threads (0 = all cores)")
      ->capture_default_str();
  cmd->add_option("--shards", args->shards,
                  "Create an index set of N shards (documents routed by a hash of the id); an "
                  "existing set is found without it");
  cmd->add_flag("--skip-bad", args->skip_bad, "Skip and report bad records instead of failing");
  cmd->add_flag("--no-merge", args->no_merge, "Do not run the merge policy after committing");
  cmd->add_flag("--term-vectors", args->term_vectors,
                "Store each document's terms per field (read by --expand instead of "
                "re-analysing stored text)");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress or summary on stderr");
  cmd->callback([args, lang, &result] { result.exit_code = RunIndex(*args, lang->count() > 0); });
}

}  // namespace scour::cli
