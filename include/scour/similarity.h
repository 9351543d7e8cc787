// Scoring models (Lucene's Similarity): a program defines how a term scores in a document and the
// engine runs it inside its pruned top-k algorithms, exactly. docs/SCORING.md ("Scoring API") has
// the contract and how block bounds are derived from it.
//
// A Similarity is shared by every search that uses it (and by several threads): Prepare must be
// safe to call concurrently. A SimScorer is used by one query, possibly from several threads:
// Score must be const and thread-safe.
#ifndef SCOUR_SIMILARITY_H_
#define SCOUR_SIMILARITY_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scour/export.h"
#include "scour/statistics.h"

namespace scour {

// The score of one query term (or phrase) in one field, prepared once per query.
//
// The contract (as Lucene's): for every freq > 0 (up to FLT_MAX, which stands for "unbounded")
// and every length the index can store, Score is finite and >= 0, non-decreasing in freq and
// non-increasing in length. The engine derives block and list bounds by evaluating Score at a
// block's largest frequency and smallest length, so pruning is exact only under this contract.
class SCOUR_EXPORT SimScorer {
 public:
  virtual ~SimScorer();
  // `freq`: the term's frequency in the document (a phrase's frequency: fractional for sloppy
  // phrases). `length`: the document's field length as the index stores it (its one-byte norm
  // decoded, NormLength below), exactly the float Lucene's LENGTH_TABLE holds.
  virtual float Score(float freq, float length) const = 0;
  // One line of explanation of Score(freq, length), shown by `--explain` (e.g. "idf=2.3 k1=0.9").
  virtual std::string Explain(float freq, float length) const;
};

class SCOUR_EXPORT Similarity {
 public:
  virtual ~Similarity();
  // A short name for messages and explanations ("bm25", "qld(mu=1000)", "my-tfidf").
  virtual std::string Name() const = 0;
  // The scorer of one term (`terms` has one element) or one phrase (one element per word, in
  // phrase order; Lucene's models sum their terms' idfs) in a field whose statistics are `field`,
  // scores multiplied by `boost` (>= 0: query boost x field weight; RM3/Bo1 term weights). The
  // statistics are the collection's searched (the reader's own, or SearchOptions::statistics).
  // nullptr is an error (InvalidArgument naming the model).
  virtual std::unique_ptr<SimScorer> Prepare(const FieldStatistics& field,
                                             std::span<const TermStatistics> terms,
                                             float boost) const = 0;
};

// The length a norm byte stands for (the index keeps lengths in one byte, as Lucene 8 does:
// exact up to 24, then 4 significant bits).
SCOUR_EXPORT float NormLength(uint8_t norm);

// Checks the contract on a grid: several collections (from a few documents to millions, short
// and long fields, rare and common terms, boosts 0.5..4, one- and three-word phrases) x every
// length a norm byte can hold x every integer frequency up to 16 (up to 64 at boost 1), 0.25,
// 0.5, 1.5, and a sample above 64 up to 2^24 - 2 (the largest tf a block bound takes) and FLT_MAX.
// InvalidArgument saying which statistics, frequency and length break which rule. The Searcher
// runs it the first time it sees a Similarity object.
SCOUR_EXPORT absl::Status CheckSimilarity(const Similarity& similarity);

// The built-in models by name, as `--ranker` takes them (docs/SCORING.md): "bm25" (Lucene 8's
// BM25Similarity), "bm25-robertson", "bm25+", "bm25l" (k1, b; delta: negative = the model's
// default), "qld" (Lucene 8's LMDirichletSimilarity, mu), "dfr-inb2", "dfr-inexpb2", "dfr-inl2"
// (Lucene 8's DFRSimilarity: BasicModelIn / BasicModelIne, AfterEffectB / AfterEffectL,
// NormalizationH2(c)).
struct BuiltinModelOptions {
  std::string name = "bm25";
  float k1 = 0.9f;
  float b = 0.4f;
  float delta = -1.0f;
  float mu = 1000.0f;
  float c = 1.0f;
};
SCOUR_EXPORT absl::StatusOr<std::shared_ptr<const Similarity>> BuiltinSimilarity(
    const BuiltinModelOptions& options);

// Where a search takes its collection statistics. By default the reader's own; a distributed
// search over shards supplies the global ones so every shard scores alike. Each call gets the
// reader's own statistics (name, field and term filled in) and returns the ones to score with.
// Thread-safe: one source may serve concurrent searches.
class SCOUR_EXPORT StatisticsSource {
 public:
  virtual ~StatisticsSource();
  virtual absl::StatusOr<FieldStatistics> Field(const FieldStatistics& local) const = 0;
  virtual absl::StatusOr<TermStatistics> Term(const TermStatistics& local) const = 0;
  // The collection's fields in its order, when it has fields the reader may lack (a shard of an
  // index set: docs/DISTRIBUTED.md); empty (the default) = the reader's own. When non-empty, the
  // query parser accepts these names, unqualified terms search the listed fields that have
  // tokens (Field() of them), in this order, and a field the reader lacks matches nothing there.
  virtual const std::vector<std::string>& Fields() const;
};

}  // namespace scour

#endif  // SCOUR_SIMILARITY_H_
