// scour delete / merge: the small index-maintenance commands.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "shards/set_writer.h"

namespace scour::cli {
namespace {

IndexWriterOptions ExistingIndex() {
  IndexWriterOptions o;
  o.create_if_missing = false;
  o.threads = 1;
  return o;
}

// An index set: each id deleted in the shard it routes to.
int RunDeleteInSet(const std::string& index, const std::vector<std::string>& ids, bool quiet) {
  auto m = shards::ReadIndexSet(index);
  if (!m.ok()) return PrintError(m.status());
  const std::vector<std::string> paths = shards::ShardPaths(index, *m);
  size_t found = 0;
  for (const auto& id : ids) {
    auto reader = IndexReader::Open(paths[shards::ShardOf(id, uint32_t(paths.size()))]);
    if (!reader.ok()) return PrintError(reader.status());
    found += (*reader)->Find(id).ok();
  }
  auto w = shards::IndexSetWriter::Open(index, 0, ExistingIndex());
  if (!w.ok()) return PrintError(w.status());
  for (const auto& id : ids) {
    absl::Status s = (*w)->DeleteDocument(id);
    if (!s.ok()) return PrintError(s);
  }
  absl::Status s = (*w)->Commit();
  if (!s.ok()) return PrintError(s);
  if (!quiet)
    std::fprintf(stderr, "deleted %zu of %zu ids (%zu not in the index set)\n", found, ids.size(),
                 ids.size() - found);
  return kExitOk;
}

int RunDelete(const std::string& index, const std::vector<std::string>& ids, bool quiet) {
  if (shards::IsIndexSet(index)) return RunDeleteInSet(index, ids, quiet);
  auto reader = IndexReader::Open(index);
  if (!reader.ok()) return PrintError(reader.status());
  size_t found = 0;
  for (const auto& id : ids) found += (*reader)->Find(id).ok();
  reader->reset();
  auto w = IndexWriter::Open(index, ExistingIndex());
  if (!w.ok()) return PrintError(w.status());
  for (const auto& id : ids) {
    absl::Status s = (*w)->DeleteDocument(id);
    if (!s.ok()) return PrintError(s);
  }
  absl::Status s = (*w)->Commit();
  if (!s.ok()) return PrintError(s);
  if (!(*w)->background_error().ok()) {
    PrintError((*w)->background_error());
    std::fprintf(stderr, "scour: the deletions are committed; `scour merge` retries the merge\n");
    return kExitFailure;
  }
  if (!quiet)
    std::fprintf(stderr, "deleted %zu of %zu ids (%zu not in the index)\n", found, ids.size(),
                 ids.size() - found);
  return kExitOk;
}

struct MergeArgs {
  std::string index;
  size_t max_segments = 1;
  bool reorder = false;
  ReorderOptions reorder_options;
  bool reorder_flags = false;  // a --reorder-* flag was given
  bool quiet = false;
};

int RunMerge(const MergeArgs& a) {
  if (a.reorder_flags && !a.reorder)
    return PrintError(
        "--reorder-iters, --reorder-min-df and --reorder-min-partition need --reorder", kExitUsage);
  ForceMergeOptions options;
  options.max_segments = a.max_segments;
  options.reorder = a.reorder;
  options.reorder_options = a.reorder_options;
  if (a.reorder) {
    const ReorderOptions& r = a.reorder_options;
    if (a.max_segments > 1)
      return PrintError("--reorder merges into one segment: --max-segments must be 1", kExitUsage);
    if (r.iterations < 1 || r.iterations > 100)
      return PrintError("--reorder-iters must be 1-100", kExitUsage);
    if (r.min_doc_freq < 2) return PrintError("--reorder-min-df must be at least 2", kExitUsage);
    if (r.min_partition < 2)
      return PrintError("--reorder-min-partition must be at least 2", kExitUsage);
  }
  auto w = IndexWriter::Open(a.index, ExistingIndex());
  if (!w.ok()) return PrintError(w.status());
  absl::Status s = (*w)->ForceMerge(options);
  if (!s.ok()) return PrintError(s);
  const IndexWriterStats st = (*w)->stats();
  w->reset();
  if (!a.quiet) {
    auto r = IndexReader::Open(a.index);
    if (r.ok()) {
      std::fprintf(stderr, "index %s: %llu documents in %zu segments\n", a.index.c_str(),
                   static_cast<unsigned long long>((*r)->num_docs()), (*r)->num_segments());
      if (a.reorder)
        std::fprintf(stderr, "reordered %llu documents (%llu terms, %llu postings) in %.2f s\n",
                     static_cast<unsigned long long>((*r)->num_docs()),
                     static_cast<unsigned long long>(st.reorder_terms),
                     static_cast<unsigned long long>(st.reorder_postings), st.reorder_seconds);
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterDelete(CLI::App& app, CommandResult& result) {
  struct Args {
    std::string index;
    std::vector<std::string> ids;
    bool quiet = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("delete", "Delete documents by id");
  cmd->add_option("--index", a->index, "Index directory")->required();
  cmd->add_option("ids", a->ids, "Document ids")->required();
  cmd->add_flag("-q,--quiet", a->quiet, "No summary");
  cmd->callback([a, &result] { result.exit_code = RunDelete(a->index, a->ids, a->quiet); });
}

void RegisterMerge(CLI::App& app, CommandResult& result) {
  auto a = std::make_shared<MergeArgs>();
  CLI::App* cmd = app.add_subcommand("merge", "Merge segments (and purge deleted documents)");
  cmd->add_option("--index", a->index, "Index directory")->required();
  cmd->add_option("--max-segments", a->max_segments, "Segments to leave")->capture_default_str();
  cmd->add_flag("--reorder", a->reorder,
                "Merge into one segment with its documents in BP order (docs/cli/merge.md)");
  CLI::Option* iters =
      cmd->add_option("--reorder-iters", a->reorder_options.iterations, "Swap rounds per split")
          ->capture_default_str();
  CLI::Option* min_df = cmd->add_option("--reorder-min-df", a->reorder_options.min_doc_freq,
                                        "Leave out terms in fewer documents")
                            ->capture_default_str();
  CLI::Option* min_part =
      cmd->add_option("--reorder-min-partition", a->reorder_options.min_partition,
                      "Do not split ranges of at most this many documents")
          ->capture_default_str();
  cmd->add_flag("-q,--quiet", a->quiet, "No summary");
  cmd->callback([a, iters, min_df, min_part, &result] {
    a->reorder_flags = iters->count() + min_df->count() + min_part->count() > 0;
    result.exit_code = RunMerge(*a);
  });
}

}  // namespace scour::cli
