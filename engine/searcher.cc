#include "scour/searcher.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/parallel.h"
#include "base/status_macros.h"
#include "engine/execute.h"
#include "engine/explain.h"
#include "engine/feedback.h"
#include "engine/plan.h"
#include "engine/proximity.h"
#include "engine/query_parser.h"
#include "engine/searcher_internal.h"
#include "engine/snippet.h"
#include "engine/synonym_expand.h"
#include "index/commit/reader_impl.h"

namespace scour {

struct Searcher::Impl {
  std::shared_ptr<const IndexReader> reader;
  // Query analysis and snippets need an Analyzer, which is single-threaded: one per call would
  // cost ICU/Snowball set-up each time, so a small pool.
  mutable std::mutex mu;
  mutable std::vector<std::unique_ptr<Analyzer>> analyzers;

  // A pooled analyzer, or a new one (the pool is empty while other threads search). Creating
  // one can fail (out of memory in ICU): the caller gets that error, not a null pointer.
  absl::StatusOr<std::unique_ptr<Analyzer>> TakeAnalyzer() const {
    {
      std::lock_guard<std::mutex> l(mu);
      if (!analyzers.empty()) {
        auto a = std::move(analyzers.back());
        analyzers.pop_back();
        return a;
      }
    }
    SCOUR_ASSIGN_OR_RETURN(Analyzer a, Analyzer::Create(reader->analyzer_options()));
    return std::make_unique<Analyzer>(std::move(a));
  }
  void ReturnAnalyzer(std::unique_ptr<Analyzer> a) const {
    std::lock_guard<std::mutex> l(mu);
    analyzers.push_back(std::move(a));
  }

  // An Analyzer from the pool, given back when this goes out of scope.
  class Pooled {
   public:
    explicit Pooled(const Impl* impl) : impl_(impl), a_(impl->TakeAnalyzer()) {}
    ~Pooled() {
      if (a_.ok()) impl_->ReturnAnalyzer(*std::move(a_));
    }
    // The analyzer, or why none could be created.
    absl::StatusOr<Analyzer*> get() const {
      if (!a_.ok()) return a_.status();
      return a_->get();
    }

   private:
    const Impl* impl_;
    absl::StatusOr<std::unique_ptr<Analyzer>> a_;
  };
};

namespace engine {

absl::StatusOr<RankerParams> ParseRanking(const RankingOptions& o) {
  RankerParams p;
  BuiltinModelOptions m{o.ranker, o.k1, o.b, o.delta, o.mu, o.c};
  if (o.ranker == "bm25tp") {
    m.name = "bm25";
    p.proximity = true;
  }
  for (const auto& [name, w] : o.field_weights)
    if (!(w >= 0) || !std::isfinite(w))
      return absl::InvalidArgumentError(
          absl::StrCat("--weights: the weight of field \"", name, "\" must be finite and >= 0"));
  if (o.ranker == "bm25f") {
    m.name = "bm25";
    for (const auto& [name, b] : o.field_b)
      if (!(b >= 0 && b <= 1))
        return absl::InvalidArgumentError(
            absl::StrCat("--field-b: the b of field \"", name, "\" must be in [0, 1]"));
  } else if (!o.field_b.empty()) {
    return absl::InvalidArgumentError("--field-b (per-field b) is bm25f's: use --ranker bm25f");
  }
  // Validates the name and the parameters (the BM25 family's kind is read back below).
  if (absl::Status s = BuiltinSimilarity(m).status(); !s.ok()) {
    if (absl::StrContains(s.message(), "unknown ranker")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown ranker \"", o.ranker,
                       "\" (rankers: bm25, bm25-robertson, bm25+, bm25l, bm25tp, bm25f, qld, "
                       "dfr-inb2, dfr-inexpb2, dfr-inl2)"));
    }
    return s;
  }
  if (m.name == "bm25-robertson" || m.name == "robertson") {
    p.kind = RankerKind::kBm25;
  } else if (m.name == "bm25+" || m.name == "bm25plus") {
    p.kind = RankerKind::kBm25Plus;
  } else if (m.name == "bm25l") {
    p.kind = RankerKind::kBm25L;
  }
  p.k1 = o.k1;
  p.b = o.b;
  p.delta = o.delta;
  return p;
}

absl::Status SetModel(const RankingOptions& options, const RankerParams& ranker,
                      PlanOptions* plan) {
  if (options.similarity != nullptr) {
    SCOUR_RETURN_IF_ERROR(CheckSimilarityOnce(options.similarity));
    plan->similarity = options.similarity;
  } else if (ranker.proximity) {
    plan->similarity = Bm25Similarity(ranker);
  } else if (options.ranker == "bm25f") {
    SCOUR_ASSIGN_OR_RETURN(plan->similarity, BuiltinSimilarity({"bm25", options.k1, options.b}));
    plan->bm25f = true;
    plan->k1 = options.k1;
    plan->b = options.b;
    plan->field_b = options.field_b;
  } else {
    SCOUR_ASSIGN_OR_RETURN(plan->similarity,
                           BuiltinSimilarity({options.ranker, options.k1, options.b, options.delta,
                                              options.mu, options.c}));
  }
  plan->proximity = ranker.proximity;
  return absl::OkStatus();
}

absl::StatusOr<ParsedForSearch> ParseForSearch(Analyzer* analyzer, std::string_view query,
                                               const SearchOptions& options,
                                               const std::vector<std::string>& fields,
                                               const SynonymSet* synonyms) {
  ParseResult parsed;
  if (options.query_syntax) {
    ParseOptions popts;
    popts.default_and = options.default_and;
    popts.fields = fields;
    parsed = ParseQuery(query, AnalyzeWith(analyzer), popts);
  } else {
    parsed = PlainTextQuery(query, AnalyzeWith(analyzer), options.default_and);
  }
  if (!parsed.ok()) {
    return absl::Status(parsed.error->code, absl::StrCat("query: ", parsed.error->ToString(), "\n",
                                                         RenderQueryError(query, *parsed.error)));
  }
  ParsedForSearch out;
  if (synonyms != nullptr) {
    SCOUR_ASSIGN_OR_RETURN(out.synonym_spans,
                           ApplySynonyms(*synonyms, query, AnalyzeWith(analyzer),
                                         options.query_syntax, options.default_and, &parsed.query));
  }
  out.query = std::move(parsed.query);
  out.note = std::move(parsed.note);
  return out;
}

absl::StatusOr<PreparedQuery> Prepare(const IndexReader& reader, Analyzer* analyzer,
                                      std::string_view query, const SearchOptions& options) {
  SCOUR_RETURN_IF_ERROR(ParseRanking(options.ranking).status());
  const SynonymSet* synonyms = nullptr;
  if (options.use_synonyms) {
    synonyms = options.synonyms ? options.synonyms.get() : reader.synonyms().get();
    const AnalyzerOptions a = reader.analyzer_options();
    if (options.synonyms && (options.synonyms->analyzer_options().language != a.language ||
                             options.synonyms->analyzer_options().stopwords != a.stopwords)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "synonyms ", options.synonyms->source_name(), " were analysed with language ",
          options.synonyms->analyzer_options().language, ", not the index's analyser"));
    }
  }
  // A shard of a set: the collection's fields (StatisticsSource::Fields), else the reader's.
  const StatisticsSource* source = options.statistics.get();
  const std::vector<std::string>* collection =
      source != nullptr && !source->Fields().empty() ? &source->Fields() : nullptr;
  SCOUR_ASSIGN_OR_RETURN(
      const ParsedForSearch parsed,
      ParseForSearch(analyzer, query, options,
                     collection != nullptr ? *collection : reader.field_names(), synonyms));
  return PlanParsed(reader, parsed, options, analyzer);
}

absl::StatusOr<PreparedQuery> PlanParsed(const IndexReader& reader, const ParsedForSearch& parsed,
                                         const SearchOptions& options, Analyzer* analyzer) {
  const index::Snapshot& index = index::SnapshotOf(reader);
  PreparedQuery pq;
  SCOUR_ASSIGN_OR_RETURN(pq.ranker, ParseRanking(options.ranking));
  const StatisticsSource* source = options.statistics.get();
  const std::vector<std::string>* collection =
      source != nullptr && !source->Fields().empty() ? &source->Fields() : nullptr;
  pq.synonym_spans = parsed.synonym_spans;
  pq.parsed = parsed.query->ToString();
  pq.note = parsed.note;
  PlanOptions plan_opts;
  SCOUR_RETURN_IF_ERROR(SetModel(options.ranking, pq.ranker, &plan_opts));
  plan_opts.statistics = source;
  plan_opts.field_weights = options.ranking.field_weights;
  auto known = [&](const std::string& name) {
    if (index.manifest.FieldId(name) > 0) return true;
    return collection != nullptr &&
           std::find(collection->begin(), collection->end(), name) != collection->end();
  };
  for (const auto& [name, w] : options.ranking.field_weights)
    if (!known(name))
      return absl::InvalidArgumentError(absl::StrCat("--weights: unknown field \"", name, "\""));
  for (const auto& [name, b] : options.ranking.field_b)
    if (!known(name))
      return absl::InvalidArgumentError(absl::StrCat("--field-b: unknown field \"", name, "\""));
  if (collection != nullptr) {
    // The collection's fields in its order; one this reader lacks matches nothing here.
    if (options.default_fields.empty()) {
      for (const std::string& name : *collection) {
        const int id = index.manifest.FieldId(name);
        if (id <= 0) continue;
        SCOUR_ASSIGN_OR_RETURN(const FieldStatistics fs,
                               source->Field(index.FieldStats(static_cast<uint32_t>(id))));
        if (fs.sum_total_term_freq > 0)
          plan_opts.default_fields.push_back(static_cast<uint32_t>(id));
      }
    } else {
      for (const auto& name : options.default_fields) {
        if (!known(name))
          return absl::InvalidArgumentError(absl::StrCat("unknown field \"", name, "\""));
        const int id = index.manifest.FieldId(name);
        if (id > 0) plan_opts.default_fields.push_back(static_cast<uint32_t>(id));
      }
    }
  } else if (options.default_fields.empty()) {
    // Every field that has tokens somewhere.
    for (uint32_t f = 1; f < index.manifest.fields.size(); ++f)
      if (index.FieldStats(f).sum_total_term_freq > 0) plan_opts.default_fields.push_back(f);
  } else {
    for (const auto& name : options.default_fields) {
      int id = index.manifest.FieldId(name);
      if (id <= 0) return absl::InvalidArgumentError(absl::StrCat("unknown field \"", name, "\""));
      plan_opts.default_fields.push_back(static_cast<uint32_t>(id));
    }
  }
  SCOUR_ASSIGN_OR_RETURN(FeedbackParams feedback, ParseFeedback(options.ranking));
  QueryPtr expanded;
  if (feedback.kind != ExpansionKind::kNone) {
    // Feedback re-analyses the feedback documents' text: it needs the analyser (not given by
    // a set's shards, which refuse --expand before they get here).
    if (analyzer == nullptr)
      return absl::InvalidArgumentError("--expand needs the query's analyser here");
    SCOUR_ASSIGN_OR_RETURN(expanded,
                           ExpandQuery(*parsed.query, reader, analyzer, plan_opts, feedback));
    if (expanded != nullptr) pq.parsed = expanded->ToString();
  }
  SCOUR_ASSIGN_OR_RETURN(
      pq.plan, BuildPlan(expanded != nullptr ? *expanded : *parsed.query, index, plan_opts));
  return pq;
}

SnippetOptions SnippetOptionsFor(const SearchOptions& options) {
  SnippetOptions s;
  s.max_bytes = options.snippet_bytes;
  s.open = options.highlight_open;
  s.close = options.highlight_close;
  return s;
}

absl::Status FillHit(const IndexReader& reader, index::DocId local, const SearchOptions& options,
                     const SnippetOptions& snippet_options,
                     absl::FunctionRef<absl::StatusOr<SnippetSource>()> snippet_source, Hit* hit) {
  if (!options.load_stored && options.snippet_field.empty()) {
    SCOUR_ASSIGN_OR_RETURN(std::string_view id, reader.ExternalId(local));
    hit->id = id;
    return absl::OkStatus();
  }
  SCOUR_ASSIGN_OR_RETURN(StoredDocument doc, reader.Document(local));
  hit->id = doc.id;
  if (!options.snippet_field.empty()) {
    if (const std::string* text = doc.Get(options.snippet_field)) {
      SCOUR_ASSIGN_OR_RETURN(const SnippetSource source, snippet_source());
      SCOUR_ASSIGN_OR_RETURN(Snippet s,
                             MakeSnippet(source.analyzer, *text, *source.query, snippet_options));
      hit->snippet = std::move(s.text);
      hit->highlights = std::move(s.spans);
    }
  }
  if (options.load_stored) hit->document = std::move(doc);
  return absl::OkStatus();
}

}  // namespace engine

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

const IndexReader& Searcher::reader() const { return *impl_->reader; }

absl::StatusOr<std::unique_ptr<Searcher>> Searcher::Create(
    std::shared_ptr<const IndexReader> reader) {
  if (reader == nullptr) return absl::InvalidArgumentError("Searcher::Create: null reader");
  auto impl = std::make_unique<Impl>();
  impl->reader = std::move(reader);
  SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<Analyzer> analyzer, impl->TakeAnalyzer());
  impl->analyzers.push_back(std::move(analyzer));
  return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

namespace {

struct Ranked {
  engine::PreparedQuery pq;
  engine::ExecResult exec;
  std::string pruning_differences;
};

// Parse, plan, execute (and re-rank for bm25tp): what Search and SearchBatch share.
absl::StatusOr<Ranked> Rank(const IndexReader& reader, Analyzer* analyzer, std::string_view query,
                            const SearchOptions& options) {
  Ranked r;
  SCOUR_ASSIGN_OR_RETURN(r.pq, engine::Prepare(reader, analyzer, query, options));
  // No more hits than documents: a huge k must not size the top-k heap.
  const size_t k = std::min<uint64_t>(options.k, std::max<uint64_t>(reader.max_doc(), 1));
  const size_t depth = r.pq.ranker.proximity ? engine::RerankDepth(k) : k;
  SCOUR_ASSIGN_OR_RETURN(
      r.exec, engine::Execute(*r.pq.plan, index::SnapshotOf(reader), depth, options.count));
  if (options.verify_pruning) {
    SCOUR_ASSIGN_OR_RETURN(
        r.pruning_differences,
        engine::VerifyPruning(*r.pq.plan, index::SnapshotOf(reader), depth, options.count, r.exec));
  }
  if (r.pq.ranker.proximity) {
    SCOUR_RETURN_IF_ERROR(engine::ProximityRerank(*r.pq.plan, index::SnapshotOf(reader),
                                                  r.pq.ranker, k, depth, &r.exec.top)
                              .status());
  }
  return r;
}

}  // namespace

absl::StatusOr<SearchResults> Searcher::Search(std::string_view query,
                                               const SearchOptions& options) const {
  const IndexReader& reader = *impl_->reader;
  Impl::Pooled pooled(impl_.get());
  SCOUR_ASSIGN_OR_RETURN(Analyzer * analyzer, pooled.get());
  SCOUR_ASSIGN_OR_RETURN(Ranked ranked, Rank(reader, analyzer, query, options));
  const engine::PreparedQuery& pq = ranked.pq;
  const engine::ExecResult& exec = ranked.exec;
  SearchResults results;
  results.parsed_query = pq.parsed;
  results.synonym_spans = pq.synonym_spans;
  results.note = pq.note;
  results.pruning_differences = ranked.pruning_differences;
  results.total_hits = options.count ? exec.count : exec.top.size();
  results.total_is_exact = options.count;

  engine::SnippetQuery sq;
  if (!options.snippet_field.empty())
    engine::CollectHighlightTerms(*pq.plan, &sq.terms, &sq.phrases, &sq.prefixes);
  const engine::SnippetOptions sopts = engine::SnippetOptionsFor(options);
  auto snippet_source = [&]() -> absl::StatusOr<engine::SnippetSource> {
    return engine::SnippetSource{analyzer, &sq};
  };

  results.hits.reserve(exec.top.size());
  for (const engine::ScoredDoc& d : exec.top) {
    Hit hit;
    hit.doc = d.doc;
    hit.score = d.score;
    SCOUR_RETURN_IF_ERROR(engine::FillHit(reader, d.doc, options, sopts, snippet_source, &hit));
    if (options.explain) {
      SCOUR_ASSIGN_OR_RETURN(hit.explanation,
                             engine::Explain(*pq.plan, index::SnapshotOf(reader), d.doc));
    }
    results.hits.push_back(std::move(hit));
  }
  return results;
}

BatchResults Searcher::SearchBatch(const std::vector<std::string>& queries,
                                   const SearchOptions& options, int threads) const {
  const size_t n = queries.size();
  struct One {
    std::vector<engine::ScoredDoc> top;
    uint64_t total = 0;
    absl::Status status;
    std::string pruning_differences;
  };
  std::vector<One> out(n);
  // One pooled Analyzer per worker, taken on its first query.
  std::vector<std::optional<Impl::Pooled>> analyzers(ParallelWorkers(n, threads));
  ParallelFor(n, threads, [&](int worker, size_t i) {
    std::optional<Impl::Pooled>& pooled = analyzers[worker];
    if (!pooled) pooled.emplace(impl_.get());
    const absl::StatusOr<Analyzer*> analyzer = pooled->get();
    if (!analyzer.ok()) {
      out[i].status = analyzer.status();
      return;
    }
    absl::StatusOr<Ranked> r = Rank(*impl_->reader, *analyzer, queries[i], options);
    if (!r.ok()) {
      out[i].status = r.status();
      return;
    }
    out[i].total = options.count ? r->exec.count : r->exec.top.size();
    out[i].top = std::move(r->exec.top);
    out[i].pruning_differences = std::move(r->pruning_differences);
  });

  BatchResults r;
  size_t hits = 0;
  for (const One& o : out) hits += o.top.size();
  r.offsets.reserve(n + 1);
  r.docs.reserve(hits);
  r.scores.reserve(hits);
  r.total_hits.reserve(n);
  r.errors.reserve(n);
  if (options.verify_pruning) r.pruning_differences.reserve(n);
  r.offsets.push_back(0);
  for (One& o : out) {
    for (const engine::ScoredDoc& d : o.top) {
      r.docs.push_back(d.doc);
      r.scores.push_back(d.score);
    }
    r.offsets.push_back(r.docs.size());
    r.total_hits.push_back(o.total);
    r.errors.push_back(std::move(o.status));
    if (options.verify_pruning) r.pruning_differences.push_back(std::move(o.pruning_differences));
  }
  return r;
}

}  // namespace scour
