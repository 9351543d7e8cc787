// scour stats / scour check: what an index holds and whether it is sound.
#include <cstdio>
#include <map>
#include <string>

#include "absl/strings/str_format.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "index/commit/reader_impl.h"
#include "index/directory/directory.h"
#include "index/format/file_names.h"
#include "index/inspect/checker.h"
#include "index/inspect/postings_bytes.h"
#include "nlohmann/json.hpp"
#include "scour/index_reader.h"

namespace scour::cli {
namespace {

int RunStats(const std::string& path, bool json) {
  auto reader = IndexReader::Open(path);
  if (!reader.ok()) return PrintError(reader.status());
  const index::Snapshot& impl = index::SnapshotOf(**reader);
  // Bytes per component (segment part).
  std::map<std::string, uint64_t> bytes;
  uint64_t total = 0;
  for (const auto& seg : impl.segments)
    for (const auto& f : seg->files()) {
      std::string name = f->name();
      auto slash = name.rfind('/');
      if (slash != std::string::npos) name = name.substr(slash + 1);
      std::string part = name;  // what the file holds: "post", "del", ...
      if (auto parsed = index::ParseFileName(name)) {
        if (const char* ext = index::SegmentFileExtension(parsed->kind)) part = ext;
        if (parsed->type == index::FileType::kDeletes) part = "del";
      }
      bytes[part] += f->data().size();
      total += f->data().size();
    }
  if (impl.synonyms) {  // the index's synonyms file is part of its size
    auto f = impl.dir->Open(index::SynonymsFileName(impl.manifest.synonyms));
    if (!f.ok()) return PrintError(f.status());
    bytes["syn"] += (*f)->data().size();
    total += (*f)->data().size();
  }
  uint64_t terms = 0, postings = 0, tokens = 0;
  auto fields = (*reader)->field_statistics();
  for (const auto& f : fields) {
    terms += f.terms;
    postings += f.sum_doc_freq;
    tokens += f.sum_total_term_freq;
  }
  const double docs_bits = postings ? 8.0 * bytes["post"] / postings : 0;
  const double pos_bits = tokens ? 8.0 * bytes["pos"] / tokens : 0;
  // .post by part: doc ids and frequencies per posting of the lists stored there (terms in one
  // document keep theirs in the dictionary), and the skip data that pruning reads.
  index::PostingsBytes parts;
  for (const auto& seg : impl.segments) {
    auto b = index::MeasurePostings(*seg);
    if (!b.ok()) return PrintError(b.status());
    parts += *b;
  }
  const double n_list = static_cast<double>(parts.list_postings);
  const double doc_id_bits = n_list > 0 ? 8.0 * parts.doc_ids / n_list : 0;
  const double freq_bits = n_list > 0 ? 8.0 * parts.freqs / n_list : 0;
  if (json) {
    nlohmann::json j;
    j["documents"] = {{"live", (*reader)->num_docs()},
                      {"deleted", (*reader)->num_deleted()},
                      {"max_doc", (*reader)->max_doc()}};
    j["generation"] = (*reader)->generation();
    j["segments"] = (*reader)->num_segments();
    j["terms"] = terms;
    j["postings"] = postings;
    j["positions"] = tokens;
    j["bytes"] = bytes;
    j["bytes_total"] = total;
    j["bits_per_posting_docs_and_freqs"] = docs_bits;
    j["bits_per_position"] = pos_bits;
    j["bits_per_doc_id"] = doc_id_bits;
    j["bits_per_freq"] = freq_bits;
    j["postings_bytes"] = {{"doc_ids", parts.doc_ids},
                           {"freqs", parts.freqs},
                           {"skip", parts.skip},
                           {"impacts", parts.impacts},
                           {"lists", parts.lists},
                           {"list_postings", parts.list_postings},
                           {"inline_postings", parts.inline_postings}};
    j["analyzer"] = {{"language", impl.manifest.language}, {"stopwords", impl.manifest.stopwords}};
    if (impl.synonyms) {
      j["synonyms"] = {{"file", index::SynonymsFileName(impl.manifest.synonyms)},
                       {"source", impl.synonyms->source_name()},
                       {"rules", impl.synonyms->rules().size()},
                       {"expand", impl.synonyms->expand()}};
    } else {
      j["synonyms"] = nullptr;
    }
    for (const auto& f : fields)
      j["fields"][f.name] = {{"docs", f.docs_with_field},
                             {"tokens", f.sum_total_term_freq},
                             {"postings", f.sum_doc_freq},
                             {"terms", f.terms}};
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("index        %s (generation %llu)\n", path.c_str(),
              static_cast<unsigned long long>((*reader)->generation()));
  std::printf("documents    %llu live, %llu deleted\n",
              static_cast<unsigned long long>((*reader)->num_docs()),
              static_cast<unsigned long long>((*reader)->num_deleted()));
  std::printf("segments     %zu\n", (*reader)->num_segments());
  std::printf("analyzer     language=%s stopwords=%s\n", impl.manifest.language.c_str(),
              impl.manifest.stopwords ? "on" : "off");
  if (impl.synonyms) {
    std::printf("synonyms     %s: %zu rules from %s%s\n",
                index::SynonymsFileName(impl.manifest.synonyms).c_str(),
                impl.synonyms->rules().size(), impl.synonyms->source_name().c_str(),
                impl.synonyms->expand() ? "" : " (--no-expand)");
  } else {
    std::printf("synonyms     none\n");
  }
  std::printf("terms        %llu (summed over segments)\n", static_cast<unsigned long long>(terms));
  std::printf("postings     %llu\n", static_cast<unsigned long long>(postings));
  std::printf("positions    %llu\n", static_cast<unsigned long long>(tokens));
  for (const auto& f : fields)
    std::printf("field        %-12s %llu docs, %llu tokens, %llu terms\n", f.name.c_str(),
                static_cast<unsigned long long>(f.docs_with_field),
                static_cast<unsigned long long>(f.sum_total_term_freq),
                static_cast<unsigned long long>(f.terms));
  for (const auto& [ext, b] : bytes)
    std::printf("bytes        %-6s %12llu\n", ext.c_str(), static_cast<unsigned long long>(b));
  std::printf("bytes        total  %12llu\n", static_cast<unsigned long long>(total));
  std::printf("bits/posting %.2f (doc id + frequency, skip data included)\n", docs_bits);
  std::printf(
      "bits/doc id  %.2f (%llu postings in %llu lists; %llu single-doc terms inline in "
      "the dictionary)\n",
      doc_id_bits, static_cast<unsigned long long>(parts.list_postings),
      static_cast<unsigned long long>(parts.lists),
      static_cast<unsigned long long>(parts.inline_postings));
  std::printf("bits/freq    %.2f\n", freq_bits);
  std::printf("skip data    %llu bytes (skip entries; before format 5 also list impacts)\n",
              static_cast<unsigned long long>(parts.skip));
  std::printf("impact lists %llu bytes (Pareto (tf, norm) pairs of full blocks, format 4)\n",
              static_cast<unsigned long long>(parts.impacts));
  std::printf("bits/position %.2f\n", pos_bits);
  return kExitOk;
}

int RunCheck(const std::string& path) {
  auto dir = index::OpenFsDirectory(path, false);
  if (!dir.ok()) return PrintError(dir.status());
  index::CheckReport rep = index::CheckIndex(dir->get());
  for (const auto& p : rep.problems) std::printf("%s\n", p.c_str());
  if (!rep.ok()) {
    std::fprintf(stderr, "check: %zu problem(s) found in %s\n", rep.problems.size(), path.c_str());
    return kExitFailure;
  }
  std::printf(
      "ok: %llu segments, %llu live documents, %llu terms, %llu postings, %llu positions, "
      "%llu synonym rules\n",
      static_cast<unsigned long long>(rep.segments), static_cast<unsigned long long>(rep.documents),
      static_cast<unsigned long long>(rep.terms), static_cast<unsigned long long>(rep.postings),
      static_cast<unsigned long long>(rep.positions),
      static_cast<unsigned long long>(rep.synonym_rules));
  return kExitOk;
}

}  // namespace

void RegisterStats(CLI::App& app, CommandResult& result) {
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("stats", "Show what an index holds");
  cmd->add_option("--index", *path, "Index directory")->required();
  cmd->add_flag("--json", *json, "JSON output");
  cmd->callback([path, json, &result] { result.exit_code = RunStats(*path, *json); });
}

void RegisterCheck(CLI::App& app, CommandResult& result) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("check", "Verify every checksum and invariant of an index");
  cmd->add_option("--index", *path, "Index directory")->required();
  cmd->callback([path, &result] { result.exit_code = RunCheck(*path); });
}

}  // namespace scour::cli
