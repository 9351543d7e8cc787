// custom_scorer: a scoring model of one's own, run by scour's pruned engine.
//
// Defines a tf-idf model (scour::Similarity, scour/similarity.h), checks it against the scoring
// contract, runs a topics file over an index with it and writes a TREC run:
//
//   custom_scorer INDEX_DIR TOPICS RUN_OUT [k]      # topics: `qid<TAB>query` lines or TREC <top>
//   custom_scorer                                   # a demo: a small index in a temporary
//                                                   # directory, two topics, the run on stdout
//
// The engine tabulates the model per query term and evaluates its block bounds through it, so the
// top k are exactly those of scoring every matching document (docs/SCORING.md). Topics are read
// as plain text: their analysed terms OR-ed, as `scour eval` reads topic files.
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/evaluation.h"
#include "scour/index_reader.h"
#include "scour/index_writer.h"
#include "scour/searcher.h"
#include "scour/similarity.h"

namespace {

// tf-idf with the classic shapes: sqrt(tf), idf = 1 + ln((N + 1) / (df + 1)) squared (query and
// document side, as Lucene's ClassicSimilarity), 1 / sqrt(length). A phrase sums its words' idfs.
// Finite, >= 0, non-decreasing in tf and non-increasing in length: the contract.
class TfIdfScorer final : public scour::SimScorer {
 public:
  explicit TfIdfScorer(float weight) : weight_(weight) {}
  float Score(float freq, float length) const override {
    return weight_ * std::sqrt(freq) / std::sqrt(std::max(length, 1.0f));
  }
  std::string Explain(float, float) const override {
    return "tfidf weight=" + std::to_string(weight_);
  }

 private:
  float weight_;  // boost x idf^2
};

class TfIdf final : public scour::Similarity {
 public:
  std::string Name() const override { return "tfidf"; }
  std::unique_ptr<scour::SimScorer> Prepare(const scour::FieldStatistics& field,
                                            std::span<const scour::TermStatistics> terms,
                                            float boost) const override {
    double idf = 0;
    for (const scour::TermStatistics& t : terms) {
      idf += 1.0 + std::log((static_cast<double>(field.docs_with_field) + 1.0) /
                            (static_cast<double>(t.doc_freq) + 1.0));
    }
    return std::make_unique<TfIdfScorer>(boost * static_cast<float>(idf * idf));
  }
};

// The run's docids are the external ids; a TREC run line has no spaces in it.
absl::Status RunTopics(const std::string& index_dir, const std::vector<scour::TopicQuery>& topics,
                       size_t k, std::FILE* out) {
  absl::StatusOr<std::shared_ptr<scour::IndexReader>> reader = scour::IndexReader::Open(index_dir);
  if (!reader.ok()) return reader.status();
  absl::StatusOr<std::unique_ptr<scour::Searcher>> searcher = scour::Searcher::Create(*reader);
  if (!searcher.ok()) return searcher.status();
  scour::SearchOptions options;
  options.k = k;
  options.query_syntax = false;  // topics are plain text
  options.load_stored = false;   // ids only
  options.ranking.similarity = std::make_shared<TfIdf>();
  for (const scour::TopicQuery& topic : topics) {
    absl::StatusOr<scour::SearchResults> results = (*searcher)->Search(topic.query, options);
    if (!results.ok()) {
      return absl::Status(results.status().code(),
                          "topic " + topic.qid + ": " + std::string(results.status().message()));
    }
    for (size_t i = 0; i < results->hits.size(); ++i) {
      const scour::Hit& hit = results->hits[i];
      std::fprintf(out, "%s Q0 %s %zu %.9g tfidf\n", topic.qid.c_str(), hit.id.c_str(), i + 1,
                   hit.score);
    }
  }
  return absl::OkStatus();
}

absl::Status Demo() {
  char tmpl[] = "/tmp/custom_scorer.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return absl::InternalError("mkdtemp failed");
  const std::string dir = tmpl;
  absl::Status status = [&]() -> absl::Status {
    absl::StatusOr<std::unique_ptr<scour::IndexWriter>> writer = scour::IndexWriter::Open(dir);
    if (!writer.ok()) return writer.status();
    const std::vector<scour::Document> docs = {
        {"fox-1", {{"body", "A hungry fox saw some fine bunches of grapes hanging from a vine."}}},
        {"fox-2", {{"body", "The fox and the fox cubs ran through the long grass of the field."}}},
        {"hare", {{"body", "The hare was once boasting of his speed before the other animals."}}},
        {"crow", {{"body", "A crow, half-dead with thirst, came upon a pitcher of water."}}},
    };
    for (const scour::Document& d : docs) {
      if (absl::Status s = (*writer)->AddDocument(d); !s.ok()) return s;
    }
    if (absl::Status s = (*writer)->Commit(); !s.ok()) return s;
    writer->reset();
    return RunTopics(dir, {{"1", "fox"}, {"2", "thirsty crow"}}, 10, stdout);
  }();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  // The contract check the Searcher also runs when it first sees the model.
  if (absl::Status s = scour::CheckSimilarity(TfIdf()); !s.ok()) {
    std::cerr << "custom_scorer: " << s.message() << "\n";
    return 1;
  }
  if (argc == 1) {
    absl::Status s = Demo();
    if (!s.ok()) std::cerr << "custom_scorer: " << s.message() << "\n";
    return s.ok() ? 0 : 1;
  }
  if (argc < 4 || argc > 5) {
    std::cerr << "usage: custom_scorer INDEX_DIR TOPICS RUN_OUT [k]\n";
    return 2;
  }
  const size_t k = argc == 5 ? std::strtoul(argv[4], nullptr, 10) : 1000;
  absl::StatusOr<std::vector<scour::TopicQuery>> topics = scour::ReadTopics(argv[2]);
  if (!topics.ok()) {
    std::cerr << "custom_scorer: " << topics.status().message() << "\n";
    return 2;
  }
  std::FILE* out = std::fopen(argv[3], "w");
  if (out == nullptr) {
    std::cerr << "custom_scorer: cannot write " << argv[3] << "\n";
    return 1;
  }
  absl::Status s = RunTopics(argv[1], *topics, k, out);
  if (std::fclose(out) != 0 && s.ok()) s = absl::DataLossError("cannot write the run");
  if (!s.ok()) {
    std::cerr << "custom_scorer: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
