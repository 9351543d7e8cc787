// Links against the INSTALLED libscour and references every out-of-line function of the public
// API, so a function declared in include/scour/ but not exported (missing SCOUR_EXPORT, hidden by
// -fvisibility=hidden) fails here as an undefined reference. Built by package_test.sh; extend it
// when the API grows. Built (link-only), never run.
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scour/analyzer.h"
#include "scour/document.h"
#include "scour/document_source.h"
#include "scour/evaluation.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"
#include "scour/similarity.h"
#include "scour/synonyms.h"

// Volatile accesses cannot be optimised away, nor the references whose bytes they read.
volatile unsigned char g_sink[64];

template <typename T>
void Use(T p) {
  static_assert(sizeof(T) <= sizeof(g_sink));
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &p, sizeof(p));
  for (size_t i = 0; i < sizeof(T); ++i) g_sink[i] = g_sink[i] ^ bytes[i];
}

// Constructors and destructors cannot have their address taken: this function (external, so
// emitted, but never called) uses them, and the inline template that calls Analyzer::Run.
void UseLifecycle() {
  absl::StatusOr<scour::Analyzer> analyzer = scour::Analyzer::Create();
  scour::Analyzer moved(std::move(*analyzer));
  absl::Status s = moved.ForEachToken("a b", [](std::string_view, uint32_t, uint32_t, uint32_t) {});
  g_sink[0] = s.ok();
  absl::StatusOr<std::unique_ptr<scour::IndexWriter>> writer = scour::IndexWriter::Open("");
  absl::StatusOr<std::shared_ptr<scour::IndexReader>> reader = scour::IndexReader::Open("");
  g_sink[1] = writer.ok() && reader.ok();
  absl::StatusOr<std::unique_ptr<scour::Searcher>> searcher = scour::Searcher::Create(*reader);
  g_sink[2] = searcher.ok();
  absl::StatusOr<std::unique_ptr<scour::DocumentSource>> source = scour::DocumentSource::Open("");
  g_sink[3] = source.ok();
}

int main() {
  using scour::Analyzer;
  using scour::IndexReader;
  using scour::IndexWriter;
  Use(&Analyzer::Create);
  Use(&Analyzer::Analyze);
  Use(&Analyzer::options);
  Use(&Analyzer::Languages);
  Use(static_cast<Analyzer& (Analyzer::*)(Analyzer &&)>(&Analyzer::operator=));
  Use(static_cast<absl::StatusOr<std::shared_ptr<IndexReader>> (*)(
          const std::string&, const scour::IndexReaderOptions&)>(&IndexReader::Open));
  Use(&IndexReader::generation);
  Use(&IndexReader::num_docs);
  Use(&IndexReader::max_doc);
  Use(&IndexReader::num_deleted);
  Use(&IndexReader::num_segments);
  Use(&IndexReader::field_names);
  Use(&IndexReader::field_statistics);
  Use(&IndexReader::term_statistics);
  Use(&IndexReader::analyzer_options);
  Use(&IndexReader::Document);
  Use(&IndexReader::Find);
  Use(&IndexReader::ExternalId);
  Use(&scour::Searcher::Create);
  Use(&scour::Searcher::Search);
  Use(&scour::Searcher::SearchBatch);
  Use(&scour::Searcher::reader);
  Use(&scour::NormLength);
  Use(&scour::CheckSimilarity);
  Use(&scour::BuiltinSimilarity);
  Use(&scour::SimScorer::Explain);
  Use(&scour::ReadQrels);
  Use(&scour::ReadRun);
  Use(&scour::ReadTopics);
  Use(&scour::Evaluate);
  Use(&scour::Compare);
  Use(&scour::DocumentSource::Open);
  Use(&scour::DocumentSource::Next);
  Use(&scour::DocumentSource::origin);
  Use(&scour::DocumentSource::bytes_read);
  Use(&scour::DocumentSource::bytes_total);
  Use(&scour::StoredDocument::Get);
  Use(static_cast<absl::StatusOr<std::unique_ptr<IndexWriter>> (*)(
          const std::string&, const scour::IndexWriterOptions&)>(&IndexWriter::Open));
  Use(static_cast<absl::Status (IndexWriter::*)(const scour::Document&)>(
      &IndexWriter::AddDocument));
  Use(static_cast<absl::Status (IndexWriter::*)(scour::Document &&)>(&IndexWriter::AddDocument));
  Use(&IndexWriter::AddDocumentRecycling);
  Use(&IndexWriter::DeleteDocument);
  Use(&IndexWriter::Commit);
  Use(&IndexWriter::background_error);
  Use(&IndexWriter::Rollback);
  Use(static_cast<absl::Status (IndexWriter::*)(size_t)>(&IndexWriter::ForceMerge));
  Use(static_cast<absl::Status (IndexWriter::*)(const scour::ForceMergeOptions&)>(
      &IndexWriter::ForceMerge));
  Use(&IndexWriter::stats);
  Use(&IndexWriter::SetSynonyms);
  Use(&IndexReader::synonyms);
  Use(&scour::SynonymSet::Parse);
  Use(&scour::SynonymSet::ReadFile);
  Use(&scour::SynonymSet::FromRules);
  Use(&scour::SynonymSet::source_name);
  Use(&scour::SynonymSet::source_text);
  Use(&scour::SynonymSet::analyzer_options);
  Use(&scour::SynonymSet::expand);
  Use(&scour::SynonymSet::rules);
  Use(&scour::SynonymSet::LongestMatch);
  Use(&scour::SynonymSet::max_input_terms);
  Use(&scour::SynonymEntryLess);
  Use(&scour::SynonymEntryText);
  return g_sink[0];
}
