// search_example: builds a small index with libscour's public API, reopens it, prints what it
// holds and searches it. Usage: search_example [index_dir]. Without an argument the index goes to a
// fresh temporary directory that is removed at exit. See docs/LIBRARY.md.
#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/analyzer.h"
#include "scour/document.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"

namespace {

// Every call that can fail returns absl::Status or absl::StatusOr; the library never throws.
absl::Status AddFables(const std::string& path) {
  // One writer per index at a time; it is not thread-safe but indexes on worker threads.
  absl::StatusOr<std::unique_ptr<scour::IndexWriter>> writer = scour::IndexWriter::Open(path);
  if (!writer.ok()) return writer.status();
  const std::vector<scour::Document> fables = {
      {"fable-1",
       {{"title", "The Fox and the Grapes"},
        {"body", "A hungry fox saw some fine bunches of grapes hanging from a vine."}}},
      {"fable-2",
       {{"title", "The Tortoise and the Hare"},
        {"body", "The hare was once boasting of his speed before the other animals."}}},
      {"fable-3",
       {{"title", "The Crow and the Pitcher"},
        {"body", "A crow, half-dead with thirst, came upon a pitcher of water."}}},
  };
  for (const scour::Document& doc : fables) {
    if (absl::Status s = (*writer)->AddDocument(doc); !s.ok()) return s;
  }
  // Nothing is visible to readers before Commit() returns OK.
  return (*writer)->Commit();
}

absl::Status ReviseFable(const std::string& path) {
  // Reopening the index: adding an existing id replaces that document.
  absl::StatusOr<std::unique_ptr<scour::IndexWriter>> writer = scour::IndexWriter::Open(path);
  if (!writer.ok()) return writer.status();
  scour::Document doc{"fable-1",
                      {{"title", "The Fox and the Sour Grapes"},
                       {"body", "The fox decided the grapes were sour anyway."},
                       {"source", "Aesop", /*indexed=*/false, /*stored=*/true}}};
  if (absl::Status s = (*writer)->AddDocument(std::move(doc)); !s.ok()) return s;
  return (*writer)->Commit();
}

absl::Status Show(const std::string& path) {
  // A reader is a snapshot of the last commit; share it freely between threads.
  absl::StatusOr<std::shared_ptr<scour::IndexReader>> reader = scour::IndexReader::Open(path);
  if (!reader.ok()) return reader.status();
  const scour::IndexReader& r = **reader;
  std::cout << "documents: " << r.num_docs() << "\n";
  std::cout << "fields:";
  for (const std::string& name : r.field_names()) std::cout << " " << name;
  std::cout << "\n";

  absl::StatusOr<uint64_t> doc = r.Find("fable-1");
  if (!doc.ok()) return doc.status();
  absl::StatusOr<scour::StoredDocument> stored = r.Document(*doc);
  if (!stored.ok()) return stored.status();
  const std::string* title = stored->Get("title");
  std::cout << stored->id << " title: " << (title ? *title : "(none)") << "\n";
  for (const auto& [name, value] : stored->fields)
    std::cout << "  " << name << " = " << value << "\n";

  // Query text must be analysed the way the index was: take the options from the reader.
  // An Analyzer is not thread-safe: use one per thread.
  absl::StatusOr<scour::Analyzer> analyzer = scour::Analyzer::Create(r.analyzer_options());
  if (!analyzer.ok()) return analyzer.status();
  std::vector<scour::Token> tokens;
  if (absl::Status s = analyzer->Analyze("Hungry foxes boasting", &tokens); !s.ok()) return s;
  std::cout << "query terms:";
  for (const scour::Token& t : tokens) std::cout << " " << t.term;
  std::cout << "\n";

  // A Searcher runs the query language (docs/QUERY.md) with BM25 over the reader's snapshot.
  // It is thread-safe: one may serve every thread.
  absl::StatusOr<std::unique_ptr<scour::Searcher>> searcher = scour::Searcher::Create(*reader);
  if (!searcher.ok()) return searcher.status();
  scour::SearchOptions options;  // top 10, stored fields loaded
  absl::StatusOr<scour::SearchResults> results = (*searcher)->Search("fox grapes", options);
  if (!results.ok()) return results.status();
  for (const scour::Hit& hit : results->hits) {
    const std::string* hit_title = hit.document.Get("title");
    std::cout << "hit " << hit.id << ": " << (hit_title ? *hit_title : "") << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  bool temporary = argc < 2;
  if (temporary) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "scour-example-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::cerr << "cannot create a temporary directory\n";
      return 1;
    }
    path = tmpl;
  } else {
    path = argv[1];
  }
  absl::Status status = AddFables(path);
  if (status.ok()) status = ReviseFable(path);
  if (status.ok()) status = Show(path);
  if (temporary) {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  if (!status.ok()) {
    std::cerr << "error: " << status << "\n";
    return 1;
  }
  return 0;
}
