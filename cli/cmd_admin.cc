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

int RunMerge(const std::string& index, size_t max_segments, bool quiet) {
  auto w = IndexWriter::Open(index, ExistingIndex());
  if (!w.ok()) return PrintError(w.status());
  absl::Status s = (*w)->ForceMerge(max_segments);
  if (!s.ok()) return PrintError(s);
  w->reset();
  if (!quiet) {
    auto r = IndexReader::Open(index);
    if (r.ok())
      std::fprintf(stderr, "index %s: %llu documents in %zu segments\n", index.c_str(),
                   static_cast<unsigned long long>((*r)->num_docs()), (*r)->num_segments());
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
  struct Args {
    std::string index;
    size_t max_segments = 1;
    bool quiet = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("merge", "Merge segments (and purge deleted documents)");
  cmd->add_option("--index", a->index, "Index directory")->required();
  cmd->add_option("--max-segments", a->max_segments, "Segments to leave")->capture_default_str();
  cmd->add_flag("-q,--quiet", a->quiet, "No summary");
  cmd->callback([a, &result] { result.exit_code = RunMerge(a->index, a->max_segments, a->quiet); });
}

}  // namespace scour::cli
