// The sharded-search protocol (include/scour/distributed.h, docs/DISTRIBUTED.md) and
// ShardedSearcher, which runs it over shards opened in this process.
#include "scour/distributed.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/parallel.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "engine/execute.h"
#include "engine/plan.h"
#include "engine/proximity.h"
#include "engine/query_parser.h"
#include "engine/searcher_internal.h"
#include "engine/snippet.h"
#include "index/commit/reader_impl.h"
#include "shards/index_set.h"

namespace scour {
// Named, not anonymous: ShardedSearcher::Impl (declared in the public header) holds these
// types, which GCC rejects from an anonymous namespace in a unity build.
namespace sharded_internal {

bool TermLess(const TermStatistics& a, const TermStatistics& b) {
  return std::tie(a.field, a.term) < std::tie(b.field, b.term);
}

const FieldStatistics* FindField(const std::vector<FieldStatistics>& fields,
                                 std::string_view name) {
  for (const FieldStatistics& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

// The collection's statistics as the engine's StatisticsSource (SearchOptions::statistics): its
// fields by name, in its order, and round 1's term table.
class CollectionSource final : public StatisticsSource {
 public:
  explicit CollectionSource(const CollectionStatistics& c) : c_(c) {
    for (const FieldStatistics& f : c.fields) names_.push_back(f.name);
  }
  absl::StatusOr<FieldStatistics> Field(const FieldStatistics& local) const override {
    if (const FieldStatistics* f = FindField(c_.fields, local.name)) return *f;
    return absl::InvalidArgumentError(
        absl::StrCat("field ", Av(local.name), " is not in the collection's statistics (round 0)"));
  }
  absl::StatusOr<TermStatistics> Term(const TermStatistics& local) const override {
    auto it = std::lower_bound(c_.terms.begin(), c_.terms.end(), local, TermLess);
    if (it == c_.terms.end() || it->field != local.field || it->term != local.term) {
      return absl::InvalidArgumentError(
          absl::StrCat("no collection statistics for ", Av(local.field), ":", Av(local.term),
                       " (the term-statistics round did not ask for it)"));
    }
    return *it;
  }
  const std::vector<std::string>& Fields() const override { return names_; }

 private:
  const CollectionStatistics& c_;
  std::vector<std::string> names_;
};

// `options` for searching a shard: scored with `source` (not owned), synonyms only as given.
SearchOptions ShardOptions(const SearchOptions& options, const CollectionSource* source) {
  SearchOptions o = options;
  o.statistics = std::shared_ptr<const StatisticsSource>(std::shared_ptr<void>(), source);
  if (o.synonyms == nullptr) o.use_synonyms = false;  // never a shard's own stored set
  return o;
}

// The fields an unqualified leaf searches, as binding resolves them (engine::PlanParsed).
std::vector<std::string> DefaultFields(const SearchOptions& o, const CollectionStatistics& c) {
  if (!o.default_fields.empty()) return o.default_fields;
  std::vector<std::string> out;
  for (const FieldStatistics& f : c.fields)
    if (f.sum_total_term_freq > 0) out.push_back(f.name);
  return out;
}

void CollectTerms(const engine::QueryNode& q, const std::vector<std::string>& defaults,
                  std::vector<TermStatistics>* out) {
  using engine::QueryKind;
  if (q.kind == QueryKind::kBoolean) {
    for (const engine::BooleanClause& c : q.clauses) CollectTerms(*c.node, defaults, out);
    return;
  }
  // Prefixes score a constant.
  if (q.kind != QueryKind::kTerm && q.kind != QueryKind::kPhrase && q.kind != QueryKind::kSynonym)
    return;
  const std::vector<std::string> one{q.field};
  for (const std::string& field : q.field.empty() ? defaults : one) {
    auto add = [&](const std::string& term) {
      TermStatistics t;
      t.field = field;
      t.term = term;
      out->push_back(std::move(t));
    };
    if (q.kind == QueryKind::kTerm) {
      add(q.text);
    } else if (q.kind == QueryKind::kSynonym) {
      for (const std::string& t : q.synonyms) add(t);
    } else {
      for (const engine::PhraseTerm& p : q.phrase) add(p.term);
    }
  }
}

void SortUnique(std::vector<TermStatistics>* terms) {
  std::sort(terms->begin(), terms->end(), TermLess);
  terms->erase(std::unique(terms->begin(), terms->end(),
                           [](const TermStatistics& a, const TermStatistics& b) {
                             return a.field == b.field && a.term == b.term;
                           }),
               terms->end());
}

absl::Status CheckSynonyms(const SearchOptions& o, const CollectionStatistics& c) {
  if (!o.use_synonyms || o.synonyms == nullptr) return absl::OkStatus();
  const AnalyzerOptions& a = o.synonyms->analyzer_options();
  if (a.language != c.analyzer.language || a.stopwords != c.analyzer.stopwords) {
    return absl::InvalidArgumentError(absl::StrCat("synonyms ", o.synonyms->source_name(),
                                                   " were analysed with language ", a.language,
                                                   ", not the collection's analyser"));
  }
  return absl::OkStatus();
}

// Analyzers for query parsing, created once and reused (ICU and Snowball set-up costs more than
// parsing a query). Thread-safe.
class AnalyzerPool {
 public:
  explicit AnalyzerPool(AnalyzerOptions options) : options_(std::move(options)) {}
  absl::StatusOr<std::unique_ptr<Analyzer>> Take() {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (!free_.empty()) {
        auto a = std::move(free_.back());
        free_.pop_back();
        return a;
      }
    }
    SCOUR_ASSIGN_OR_RETURN(Analyzer a, Analyzer::Create(options_));
    return std::make_unique<Analyzer>(std::move(a));
  }
  void Give(std::unique_ptr<Analyzer> a) {
    std::lock_guard<std::mutex> l(mu_);
    free_.push_back(std::move(a));
  }

 private:
  const AnalyzerOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Analyzer>> free_;
};

bool SameRules(const SynonymSet& a, const SynonymSet& b) {
  if (a.expand() != b.expand() || a.rules().size() != b.rules().size()) return false;
  for (size_t i = 0; i < a.rules().size(); ++i) {
    const SynonymRule &x = a.rules()[i], &y = b.rules()[i];
    if (x.input != y.input || x.keep_original != y.keep_original || x.outputs != y.outputs)
      return false;
  }
  return true;
}

using Parsed = std::vector<absl::StatusOr<engine::ParsedForSearch>>;

// Every query parsed and expanded once, as every shard's plan will be built from it.
Parsed ParseAll(const std::vector<std::string>& queries, const SearchOptions& options,
                const CollectionStatistics& c, AnalyzerPool* pool, int threads) {
  std::vector<std::string> fields;
  for (const FieldStatistics& f : c.fields) fields.push_back(f.name);
  const SynonymSet* synonyms = options.use_synonyms ? options.synonyms.get() : nullptr;
  Parsed out;
  out.reserve(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) out.emplace_back(absl::UnknownError("not parsed"));
  const absl::Status checked = CheckSynonyms(options, c);
  const int workers = ParallelWorkers(queries.size(), threads);
  std::vector<std::unique_ptr<Analyzer>> analyzers(workers);
  std::vector<absl::Status> failed(workers);
  ParallelFor(queries.size(), threads, [&](int w, size_t i) {
    if (!checked.ok()) {
      out[i] = checked;
      return;
    }
    if (analyzers[w] == nullptr && failed[w].ok()) {
      absl::StatusOr<std::unique_ptr<Analyzer>> a = pool->Take();
      if (a.ok()) {
        analyzers[w] = *std::move(a);
      } else {
        failed[w] = a.status();
      }
    }
    if (!failed[w].ok()) {
      out[i] = failed[w];
      return;
    }
    out[i] = engine::ParseForSearch(analyzers[w].get(), queries[i], options, fields, synonyms);
  });
  for (auto& a : analyzers)
    if (a != nullptr) pool->Give(std::move(a));
  return out;
}

std::vector<TermStatistics> TermsOf(const Parsed& parsed, const SearchOptions& options,
                                    const CollectionStatistics& c) {
  const std::vector<std::string> defaults = DefaultFields(options, c);
  std::vector<TermStatistics> terms;
  for (const auto& p : parsed)
    if (p.ok()) CollectTerms(*p->query, defaults, &terms);
  SortUnique(&terms);
  return terms;
}

// The hits of one query on one shard. `k`: the collection's (SearchOptions::k capped at its
// max_doc), so a re-ranking model picks as deep as one index would.
struct ShardHits {
  std::vector<engine::ScoredDoc> top;
  std::vector<float> first_stage;  // re-ranking models: each row's BM25 score
  uint64_t total = 0;
  absl::Status status;
};

ShardHits SearchOne(const IndexReader& shard, const absl::StatusOr<engine::ParsedForSearch>& parsed,
                    const SearchOptions& so, size_t k) {
  ShardHits h;
  if (!parsed.ok()) {
    h.status = parsed.status();
    return h;
  }
  absl::StatusOr<engine::PreparedQuery> pq = engine::PlanParsed(shard, *parsed, so);
  if (!pq.ok()) {
    h.status = pq.status();
    return h;
  }
  const size_t depth = pq->ranker.proximity ? engine::RerankDepth(k) : k;
  // No more hits than this shard has documents (a huge k must not size the heap).
  const size_t n = std::min<uint64_t>(depth, std::max<uint64_t>(shard.max_doc(), 1));
  const index::Snapshot& snapshot = index::SnapshotOf(shard);
  absl::StatusOr<engine::ExecResult> exec = engine::Execute(*pq->plan, snapshot, n, so.count);
  if (!exec.ok()) {
    h.status = exec.status();
    return h;
  }
  h.total = so.count ? exec->count : exec->top.size();
  h.top = std::move(exec->top);
  if (pq->ranker.proximity) {
    // Every candidate re-scored and kept: the merge chooses the collection's candidates.
    std::vector<engine::ScoredDoc> first = h.top;
    std::sort(first.begin(), first.end(), [](auto& a, auto& b) { return a.doc < b.doc; });
    absl::StatusOr<engine::RerankInfo> r =
        engine::ProximityRerank(*pq->plan, snapshot, pq->ranker, h.top.size(), depth, &h.top);
    if (!r.ok()) {
      h.status = r.status();
      h.top.clear();
      return h;
    }
    for (const engine::ScoredDoc& d : h.top) {
      auto it =
          std::lower_bound(first.begin(), first.end(), d.doc,
                           [](const engine::ScoredDoc& a, uint64_t doc) { return a.doc < doc; });
      h.first_stage.push_back(it->score);
    }
  }
  return h;
}

absl::Status CheckSnapshot(const IndexReader& shard, size_t shard_index,
                           const CollectionStatistics& collection) {
  if (shard_index >= collection.bases.size())
    return absl::InvalidArgumentError(
        absl::StrCat("shard ", shard_index, " of ", collection.bases.size()));
  if (shard.generation() != collection.generations[shard_index]) {
    return absl::FailedPreconditionError(
        absl::StrCat("shard ", shard_index, " is at generation ", shard.generation(),
                     ", the collection statistics were gathered at ",
                     collection.generations[shard_index], ": start again from round 0"));
  }
  return absl::OkStatus();
}

// What the protocol does not carry yet: refused rather than answered unlike one index.
absl::Status SupportedOverShards(const SearchOptions& o) {
  if (o.explain) return absl::InvalidArgumentError("explain is not supported over shards");
  if (!o.ranking.expand.empty()) {
    return absl::InvalidArgumentError(
        "query expansion (--expand) is not supported over shards: its feedback documents would "
        "have to be the collection's top hits");
  }
  if (o.ranking.ranker == "bm25f")
    return absl::InvalidArgumentError("bm25f is not supported over shards");
  return absl::OkStatus();
}

size_t CollectionK(const SearchOptions& o, const CollectionStatistics& c) {
  return std::min<uint64_t>(o.k, std::max<uint64_t>(c.max_doc, 1));
}

ShardResults ToResults(std::vector<ShardHits>& hits, uint64_t base) {
  ShardResults r;
  r.hits.offsets.push_back(0);
  bool rerank = false;
  for (const ShardHits& h : hits) rerank = rerank || !h.first_stage.empty();
  for (ShardHits& h : hits) {
    for (size_t i = 0; i < h.top.size(); ++i) {
      r.hits.docs.push_back(base + h.top[i].doc);
      r.hits.scores.push_back(h.top[i].score);
      if (rerank)
        r.first_stage.push_back(h.first_stage.empty() ? h.top[i].score : h.first_stage[i]);
    }
    r.hits.offsets.push_back(r.hits.docs.size());
    r.hits.total_hits.push_back(h.total);
    r.hits.errors.push_back(std::move(h.status));
  }
  return r;
}

}  // namespace sharded_internal

using namespace sharded_internal;  // NOLINT: this file's own helpers

ShardInfo GetShardInfo(const IndexReader& shard) {
  ShardInfo info;
  info.generation = shard.generation();
  info.max_doc = shard.max_doc();
  info.num_docs = shard.num_docs();
  info.analyzer = shard.analyzer_options();
  info.fields = shard.field_statistics();
  return info;
}
absl::StatusOr<CollectionStatistics> MergeShardInfo(const std::vector<ShardInfo>& shards) {
  if (shards.empty()) return absl::InvalidArgumentError("a collection needs at least one shard");
  CollectionStatistics c;
  c.analyzer = shards[0].analyzer;
  for (size_t i = 0; i < shards.size(); ++i) {
    const ShardInfo& s = shards[i];
    if (s.analyzer.language != c.analyzer.language ||
        s.analyzer.stopwords != c.analyzer.stopwords) {
      return absl::InvalidArgumentError(absl::StrCat(
          "shard ", i, " was analysed with ", s.analyzer.language,
          s.analyzer.stopwords ? " (stopwords)" : "", ", shard 0 with ", c.analyzer.language,
          c.analyzer.stopwords ? " (stopwords)" : "", ": their terms would not match"));
    }
    c.bases.push_back(c.max_doc);
    c.generations.push_back(s.generation);
    c.max_doc += s.max_doc;
    c.num_docs += s.num_docs;
    for (const FieldStatistics& f : s.fields) {
      FieldStatistics* g = nullptr;
      for (FieldStatistics& h : c.fields)
        if (h.name == f.name) g = &h;
      if (g == nullptr) {
        c.fields.emplace_back().name = f.name;
        g = &c.fields.back();
      }
      g->docs_with_field += f.docs_with_field;
      g->sum_total_term_freq += f.sum_total_term_freq;
      g->sum_doc_freq += f.sum_doc_freq;
      g->terms += f.terms;  // distinct per shard, summed (as one index sums its segments')
    }
  }
  return c;
}

absl::StatusOr<std::vector<TermStatistics>> QueryTerms(const std::vector<std::string>& queries,
                                                       const SearchOptions& options,
                                                       const CollectionStatistics& collection) {
  SCOUR_RETURN_IF_ERROR(CheckSynonyms(options, collection));
  AnalyzerPool pool(collection.analyzer);
  return TermsOf(ParseAll(queries, options, collection, &pool, 1), options, collection);
}

std::vector<TermStatistics> ShardTermStatistics(const IndexReader& shard,
                                                const std::vector<TermStatistics>& request) {
  std::vector<TermStatistics> out = request;
  for (TermStatistics& t : out) {
    absl::StatusOr<TermStatistics> s = shard.term_statistics(t.field, t.term);
    // A field this shard never saw: it holds none of the term.
    t.doc_freq = s.ok() ? s->doc_freq : 0;
    t.total_term_freq = s.ok() ? s->total_term_freq : 0;
  }
  return out;
}

absl::Status AddTermStatistics(const std::vector<TermStatistics>& answer,
                               CollectionStatistics* collection) {
  std::vector<TermStatistics>& terms = collection->terms;
  if (terms.empty()) {
    terms = answer;
    return absl::OkStatus();
  }
  if (answer.size() != terms.size())
    return absl::InvalidArgumentError(absl::StrCat("term statistics: ", answer.size(),
                                                   " terms answered, ", terms.size(), " asked"));
  for (size_t i = 0; i < terms.size(); ++i) {
    if (answer[i].field != terms[i].field || answer[i].term != terms[i].term) {
      return absl::InvalidArgumentError(
          absl::StrCat("term statistics: answer ", i, " is ", answer[i].field, ":", answer[i].term,
                       ", asked ", terms[i].field, ":", terms[i].term));
    }
    terms[i].doc_freq += answer[i].doc_freq;
    terms[i].total_term_freq += answer[i].total_term_freq;
  }
  return absl::OkStatus();
}

absl::StatusOr<ShardResults> ShardSearch(const IndexReader& shard, size_t shard_index,
                                         const std::vector<std::string>& queries,
                                         const SearchOptions& options,
                                         const CollectionStatistics& collection, int threads) {
  SCOUR_RETURN_IF_ERROR(CheckSnapshot(shard, shard_index, collection));
  SCOUR_RETURN_IF_ERROR(SupportedOverShards(options));
  AnalyzerPool pool(collection.analyzer);
  const Parsed parsed = ParseAll(queries, options, collection, &pool, threads);
  const CollectionSource source(collection);
  const SearchOptions so = ShardOptions(options, &source);
  const size_t k = CollectionK(options, collection);
  std::vector<ShardHits> hits(queries.size());
  ParallelFor(queries.size(), threads,
              [&](int, size_t i) { hits[i] = SearchOne(shard, parsed[i], so, k); });
  return ToResults(hits, collection.bases[shard_index]);
}

absl::StatusOr<BatchResults> MergeResults(const std::vector<ShardResults>& shards, size_t k,
                                          bool count) {
  if (shards.empty()) return absl::InvalidArgumentError("no shard results to merge");
  const size_t n = shards[0].hits.total_hits.size();
  bool any_rerank = false;
  for (size_t s = 0; s < shards.size(); ++s) {
    const BatchResults& b = shards[s].hits;
    if (b.total_hits.size() != n || b.errors.size() != n || b.offsets.size() != n + 1 ||
        b.offsets.back() != b.docs.size() || b.docs.size() != b.scores.size() ||
        (!shards[s].first_stage.empty() && shards[s].first_stage.size() != b.docs.size())) {
      return absl::InvalidArgumentError(
          absl::StrCat("shard ", s, "'s results are not a batch of ", n, " queries"));
    }
    any_rerank = any_rerank || !shards[s].first_stage.empty();
  }
  // Re-ranked: one index re-ranks its BM25 top RerankDepth(k), so the merge first takes the
  // collection's, by first-stage score (a shard without hits sends no first_stage column).
  const size_t depth = any_rerank ? engine::RerankDepth(k) : k;
  BatchResults r;
  r.offsets.push_back(0);
  struct Row {
    float first, score;
    uint64_t doc;
  };
  std::vector<Row> hits;
  for (size_t q = 0; q < n; ++q) {
    hits.clear();
    uint64_t total = 0;
    absl::Status error;
    for (const ShardResults& sr : shards) {
      const BatchResults& b = sr.hits;
      total += b.total_hits[q];
      if (error.ok() && !b.errors[q].ok()) error = b.errors[q];
      for (size_t i = b.offsets[q]; i < b.offsets[q + 1]; ++i)
        hits.push_back(
            {sr.first_stage.empty() ? b.scores[i] : sr.first_stage[i], b.scores[i], b.docs[i]});
    }
    if (!error.ok()) {
      hits.clear();
      total = 0;
    }
    if (any_rerank && hits.size() > depth) {
      std::partial_sort(hits.begin(), hits.begin() + depth, hits.end(), [](auto& a, auto& b) {
        return a.first != b.first ? a.first > b.first : a.doc < b.doc;
      });
      hits.resize(depth);
    }
    const size_t keep = std::min(k, hits.size());
    std::partial_sort(hits.begin(), hits.begin() + keep, hits.end(), [](auto& a, auto& b) {
      return a.score != b.score ? a.score > b.score : a.doc < b.doc;
    });
    for (size_t i = 0; i < keep; ++i) {
      r.docs.push_back(hits[i].doc);
      r.scores.push_back(hits[i].score);
    }
    r.offsets.push_back(r.docs.size());
    r.total_hits.push_back(count ? total : keep);
    r.errors.push_back(std::move(error));
  }
  return r;
}

// ---------------------------------------------------------------- ShardedSearcher

struct ShardedSearcher::Impl {
  std::vector<std::shared_ptr<const IndexReader>> shards;
  CollectionStatistics collection;
  std::shared_ptr<const SynonymSet> synonyms;  // the set's: every shard's stored set
  std::unique_ptr<AnalyzerPool> analyzers;

  absl::StatusOr<std::pair<size_t, uint64_t>> Locate(uint64_t doc) const {
    auto it = std::upper_bound(collection.bases.begin(), collection.bases.end(), doc);
    const size_t s = static_cast<size_t>(it - collection.bases.begin()) - 1;
    const uint64_t local = doc - collection.bases[s];
    if (doc >= collection.max_doc || local >= shards[s]->max_doc())
      return absl::InvalidArgumentError(
          absl::StrCat("document ", doc, " out of range (", collection.max_doc, " documents)"));
    return std::make_pair(s, local);
  }

  // The set's synonyms unless the options bring their own or turn them off.
  SearchOptions WithSynonyms(const SearchOptions& options) const {
    SearchOptions o = options;
    if (o.use_synonyms && o.synonyms == nullptr) o.synonyms = synonyms;
    return o;
  }

  struct Ran {
    BatchResults merged;
    Parsed parsed;
    CollectionStatistics collection;  // with round 1's terms
  };

  // Rounds 1 and 2 over every shard of this process: each query parsed once (pooled
  // analyzers), planned and run on every shard; (shard, query) pairs on up to `threads` threads.
  absl::StatusOr<Ran> Run(const std::vector<std::string>& queries, const SearchOptions& options,
                          int threads) const {
    SCOUR_RETURN_IF_ERROR(SupportedOverShards(options));
    Ran ran;
    ran.collection = collection;
    CollectionStatistics& c = ran.collection;
    ran.parsed = ParseAll(queries, options, c, analyzers.get(), threads);
    const std::vector<TermStatistics> request = TermsOf(ran.parsed, options, c);
    const size_t s = shards.size();
    std::vector<std::vector<TermStatistics>> answers(s);
    ParallelFor(s, threads,
                [&](int, size_t i) { answers[i] = ShardTermStatistics(*shards[i], request); });
    for (const auto& a : answers) SCOUR_RETURN_IF_ERROR(AddTermStatistics(a, &c));
    if (s > 0 && c.terms.empty()) c.terms = request;  // no shard answered anything
    const CollectionSource source(c);
    const SearchOptions so = ShardOptions(options, &source);
    const size_t k = CollectionK(options, c);
    const size_t n = queries.size();
    std::vector<std::vector<ShardHits>> hits(s, std::vector<ShardHits>(n));
    ParallelFor(s * n, threads, [&](int, size_t j) {
      const size_t shard = j % s, q = j / s;
      hits[shard][q] = SearchOne(*shards[shard], ran.parsed[q], so, k);
    });
    std::vector<ShardResults> results;
    for (size_t i = 0; i < s; ++i) results.push_back(ToResults(hits[i], c.bases[i]));
    SCOUR_ASSIGN_OR_RETURN(ran.merged, MergeResults(results, k, options.count));
    return ran;
  }
};

ShardedSearcher::ShardedSearcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ShardedSearcher::~ShardedSearcher() = default;

absl::StatusOr<std::unique_ptr<ShardedSearcher>> ShardedSearcher::Open(
    const std::string& path, const IndexReaderOptions& options) {
  if (!shards::IsIndexSet(path)) return Open(std::vector<std::string>{path}, options);
  SCOUR_ASSIGN_OR_RETURN(std::vector<std::string> paths, IndexSetShardPaths(path));
  return Open(paths, options);
}

absl::StatusOr<std::unique_ptr<ShardedSearcher>> ShardedSearcher::Open(
    const std::vector<std::string>& shard_paths, const IndexReaderOptions& options) {
  std::vector<std::shared_ptr<const IndexReader>> readers;
  for (const std::string& p : shard_paths) {
    absl::StatusOr<std::shared_ptr<IndexReader>> r = IndexReader::Open(p, options);
    if (!r.ok())
      return absl::Status(r.status().code(), absl::StrCat(p, ": ", r.status().message()));
    readers.push_back(*std::move(r));
  }
  return Create(std::move(readers));
}

absl::StatusOr<std::unique_ptr<ShardedSearcher>> ShardedSearcher::Create(
    std::vector<std::shared_ptr<const IndexReader>> shards) {
  auto impl = std::make_unique<Impl>();
  std::vector<ShardInfo> infos;
  for (const auto& r : shards) {
    if (r == nullptr) return absl::InvalidArgumentError("ShardedSearcher::Create: null reader");
    infos.push_back(GetShardInfo(*r));
  }
  SCOUR_ASSIGN_OR_RETURN(impl->collection, MergeShardInfo(infos));
  // One set of synonyms for the set, as one index has one: every shard must store the same.
  for (size_t i = 0; i < shards.size(); ++i) {
    const std::shared_ptr<const SynonymSet>& a = shards[0]->synonyms();
    const std::shared_ptr<const SynonymSet>& b = shards[i]->synonyms();
    const bool same = a == b || (a != nullptr && b != nullptr && SameRules(*a, *b));
    if (!same) {
      return absl::FailedPreconditionError(
          absl::StrCat("shard ", i,
                       " stores other synonyms than shard 0: a set has one set of "
                       "synonyms (scour synonyms set on the index set)"));
    }
  }
  if (!shards.empty()) impl->synonyms = shards[0]->synonyms();
  impl->analyzers = std::make_unique<AnalyzerPool>(impl->collection.analyzer);
  impl->shards = std::move(shards);
  return std::unique_ptr<ShardedSearcher>(new ShardedSearcher(std::move(impl)));
}

size_t ShardedSearcher::num_shards() const { return impl_->shards.size(); }
const IndexReader& ShardedSearcher::shard(size_t i) const { return *impl_->shards[i]; }
std::shared_ptr<const IndexReader> ShardedSearcher::shard_reader(size_t i) const {
  return impl_->shards[i];
}
const CollectionStatistics& ShardedSearcher::collection() const { return impl_->collection; }
const std::shared_ptr<const SynonymSet>& ShardedSearcher::synonyms() const {
  return impl_->synonyms;
}

absl::StatusOr<std::string_view> ShardedSearcher::ExternalId(uint64_t doc) const {
  SCOUR_ASSIGN_OR_RETURN(auto at, impl_->Locate(doc));
  return impl_->shards[at.first]->ExternalId(at.second);
}

absl::StatusOr<StoredDocument> ShardedSearcher::Document(uint64_t doc) const {
  SCOUR_ASSIGN_OR_RETURN(auto at, impl_->Locate(doc));
  return impl_->shards[at.first]->Document(at.second);
}

BatchResults ShardedSearcher::SearchBatch(const std::vector<std::string>& queries,
                                          const SearchOptions& options, int threads) const {
  absl::StatusOr<Impl::Ran> r = impl_->Run(queries, impl_->WithSynonyms(options), threads);
  if (r.ok()) return std::move(r->merged);
  // A failure of the whole batch (not of one query): every query reports it.
  BatchResults failed;
  failed.offsets.assign(queries.size() + 1, 0);
  failed.total_hits.assign(queries.size(), 0);
  failed.errors.assign(queries.size(), r.status());
  return failed;
}

absl::StatusOr<SearchResults> ShardedSearcher::Search(std::string_view query,
                                                      const SearchOptions& options) const {
  const std::vector<std::string> queries{std::string(query)};
  const SearchOptions o = impl_->WithSynonyms(options);
  // The shards one after another on this thread: callers run queries in parallel.
  SCOUR_ASSIGN_OR_RETURN(Impl::Ran ran, impl_->Run(queries, o, 1));
  const BatchResults& batch = ran.merged;
  SCOUR_RETURN_IF_ERROR(batch.errors[0]);
  SCOUR_ASSIGN_OR_RETURN(const engine::ParsedForSearch* parsed, [&] {
    return ran.parsed[0].ok()
               ? absl::StatusOr<const engine::ParsedForSearch*>(&*ran.parsed[0])
               : absl::StatusOr<const engine::ParsedForSearch*>(ran.parsed[0].status());
  }());
  // Round 3: the final k only. Highlight terms from the plan bound on the shard holding each
  // hit (a field only some shards have is bound only there).
  const CollectionSource source(ran.collection);
  const SearchOptions so = ShardOptions(o, &source);
  std::map<size_t, engine::PreparedQuery> plans;
  auto plan_on = [&](size_t s) -> absl::StatusOr<const engine::PreparedQuery*> {
    auto it = plans.find(s);
    if (it == plans.end()) {
      SCOUR_ASSIGN_OR_RETURN(engine::PreparedQuery pq,
                             engine::PlanParsed(*impl_->shards[s], *parsed, so));
      it = plans.emplace(s, std::move(pq)).first;
    }
    return &it->second;
  };
  std::unique_ptr<Analyzer> analyzer;  // for snippets, from the pool
  struct GiveBack {
    AnalyzerPool* pool;
    std::unique_ptr<Analyzer>* a;
    ~GiveBack() {
      if (*a != nullptr) pool->Give(std::move(*a));
    }
  } give_back{impl_->analyzers.get(), &analyzer};
  SearchResults results;
  results.parsed_query = parsed->query->ToString();
  results.note = parsed->note;
  results.synonym_spans = parsed->synonym_spans;
  results.total_hits = batch.total_hits[0];
  results.total_is_exact = options.count;
  const engine::SnippetOptions sopts = engine::SnippetOptionsFor(options);
  std::map<size_t, engine::SnippetQuery> highlights;  // per shard, from its plan
  for (size_t i = batch.offsets[0]; i < batch.offsets[1]; ++i) {
    Hit hit;
    hit.doc = batch.docs[i];
    hit.score = batch.scores[i];
    SCOUR_ASSIGN_OR_RETURN(auto at, impl_->Locate(hit.doc));
    auto snippet_source = [&]() -> absl::StatusOr<engine::SnippetSource> {
      auto it = highlights.find(at.first);
      if (it == highlights.end()) {
        SCOUR_ASSIGN_OR_RETURN(const engine::PreparedQuery* pq, plan_on(at.first));
        engine::SnippetQuery sq;
        engine::CollectHighlightTerms(*pq->plan, &sq.terms, &sq.phrases, &sq.prefixes);
        it = highlights.emplace(at.first, std::move(sq)).first;
      }
      if (analyzer == nullptr) {
        SCOUR_ASSIGN_OR_RETURN(analyzer, impl_->analyzers->Take());
      }
      return engine::SnippetSource{analyzer.get(), &it->second};
    };
    SCOUR_RETURN_IF_ERROR(
        engine::FillHit(*impl_->shards[at.first], at.second, options, sopts, snippet_source, &hit));
    results.hits.push_back(std::move(hit));
  }
  return results;
}

absl::StatusOr<std::vector<std::string>> IndexSetShardPaths(const std::string& path) {
  SCOUR_ASSIGN_OR_RETURN(shards::IndexSetManifest m, shards::ReadIndexSet(path));
  return shards::ShardPaths(path, m);
}

absl::Status WriteIndexSetManifest(const std::string& path,
                                   const std::vector<std::string>& shard_names) {
  SCOUR_ASSIGN_OR_RETURN(auto dir, index::OpenFsDirectory(path, /*create=*/false));
  shards::IndexSetManifest m;
  m.shards = shard_names;
  return shards::WriteIndexSet(dir.get(), m);
}

uint32_t ShardOfId(std::string_view id, uint32_t num_shards) {
  return shards::ShardOf(id, num_shards);
}

}  // namespace scour
