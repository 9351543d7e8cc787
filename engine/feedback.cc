#include "engine/feedback.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "engine/execute.h"
#include "index/commit/reader_impl.h"

namespace scour::engine {
namespace {

using Weighted = std::vector<std::pair<std::string, double>>;

// Best first, ties by term (Anserini and Terrier leave tie order to their hash maps).
void SortByWeight(Weighted* v) {
  std::sort(v->begin(), v->end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
}

// Anserini's RM3 term filter: 2 to 20 characters of [a-z0-9].
bool Rm3Candidate(std::string_view t) {
  if (t.size() < 2 || t.size() > 20) return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

void L1Normalize(Weighted* v) {
  double sum = 0;
  for (const auto& [t, w] : *v) sum += w;
  if (sum > 0)
    for (auto& [t, w] : *v) w /= sum;
}

absl::StatusOr<Weighted> Rm3(const FeedbackParams& p,
                             const std::vector<std::pair<std::string, uint32_t>>& query_terms,
                             const std::vector<FeedbackDoc>& docs, uint64_t num_docs,
                             const TermCountsFn& counts) {
  // Per document: the filtered term frequencies, cut to the fb_terms most frequent.
  std::map<std::string, TermCounts> stats;  // each candidate looked up once
  std::map<std::string, double> rm;
  for (const FeedbackDoc& d : docs) {
    Weighted v;
    for (const auto& [t, tf] : d.terms) {
      if (!Rm3Candidate(t)) continue;
      auto it = stats.find(t);
      if (it == stats.end()) {
        SCOUR_ASSIGN_OR_RETURN(TermCounts c, counts(t));
        it = stats.emplace(t, c).first;
      }
      // Anserini drops terms in more than 10% of the documents (its stand-in for stopwords).
      if (static_cast<float>(it->second.doc_freq) / static_cast<float>(num_docs) > 0.1f) continue;
      v.emplace_back(t, tf);
    }
    SortByWeight(&v);
    if (v.size() > static_cast<size_t>(p.fb_terms)) v.resize(static_cast<size_t>(p.fb_terms));
    double norm = 0;
    for (const auto& [t, w] : v) norm += w;
    if (norm <= 0.001) continue;  // as Anserini: a document with no usable term adds nothing
    for (const auto& [t, w] : v) rm[t] += w / norm * d.score;
  }
  Weighted model(rm.begin(), rm.end());
  SortByWeight(&model);
  if (model.size() > static_cast<size_t>(p.fb_terms)) model.resize(static_cast<size_t>(p.fb_terms));
  L1Normalize(&model);
  Weighted q;
  for (const auto& [t, n] : query_terms) q.emplace_back(t, n);
  L1Normalize(&q);
  // Interpolate over the union of terms.
  std::map<std::string, double> mixed;
  for (const auto& [t, w] : q) mixed[t] += p.fb_weight * w;
  for (const auto& [t, w] : model) mixed[t] += (1 - p.fb_weight) * w;
  Weighted out;
  for (const auto& [t, w] : mixed)
    if (w > 0) out.emplace_back(t, w);
  SortByWeight(&out);
  return out;
}

double Log2(double x) { return std::log(x) / std::log(2.0); }

absl::StatusOr<Weighted> Bo1(const FeedbackParams& p,
                             const std::vector<std::pair<std::string, uint32_t>>& query_terms,
                             const std::vector<FeedbackDoc>& docs, uint64_t num_docs,
                             const TermCountsFn& counts) {
  struct Acc {
    double tfx = 0;  // occurrences in the feedback documents
    int docs = 0;    // feedback documents holding it
  };
  std::map<std::string, Acc> acc;
  for (const FeedbackDoc& d : docs)
    for (const auto& [t, tf] : d.terms) {
      Acc& a = acc[t];
      a.tfx += tf;
      ++a.docs;
    }
  std::map<std::string, uint32_t> original(query_terms.begin(), query_terms.end());
  // Terrier: with two or more feedback documents, a term must occur in two of them (unless it
  // is a query term).
  const int min_docs = docs.size() >= 2 ? 2 : 0;
  const double n = static_cast<double>(num_docs);
  Weighted scored;
  std::map<std::string, double> tfx_of;
  for (const auto& [t, a] : acc) {
    if (a.docs < min_docs && !original.count(t)) continue;
    SCOUR_ASSIGN_OR_RETURN(TermCounts c, counts(t));
    if (c.total_term_freq == 0) continue;  // not in the searched fields
    const double f = static_cast<double>(c.total_term_freq) / n;
    scored.emplace_back(t, a.tfx * Log2((1 + f) / f) + Log2(1 + f));
    tfx_of[t] = a.tfx;
  }
  std::map<std::string, double> weights;
  for (const auto& [t, qtf] : original) weights[t] = qtf;  // Terrier's query term weights
  if (!scored.empty()) {
    SortByWeight(&scored);
    // Terrier's parameter-free normaliser: the Bo1 weight the best term would have if all of
    // its occurrences were in the feedback documents.
    const double tmax = tfx_of[scored.front().first];
    const double fmax = tmax / n;
    const double norm = tmax * Log2((1 + fmax) / fmax) + Log2(1 + fmax);
    const size_t keep =
        std::min(scored.size(), std::max(static_cast<size_t>(p.fb_terms), original.size()));
    for (size_t i = 0; i < keep; ++i) weights[scored[i].first] += scored[i].second / norm;
  }
  Weighted out;
  for (const auto& [t, w] : weights)
    if (w > 0) out.emplace_back(t, w);
  SortByWeight(&out);
  return out;
}

// The terms of the query's scoring leaves (terms, phrase terms and each synonym alternative,
// outside MUST_NOT), counted: the bag of words RM3 and Bo1 start from.
void CollectTerms(const QueryNode& n, std::map<std::string, uint32_t>* out) {
  switch (n.kind) {
    case QueryKind::kTerm:
      ++(*out)[n.text];
      return;
    case QueryKind::kPhrase:
      for (const PhraseTerm& t : n.phrase) ++(*out)[t.term];
      return;
    case QueryKind::kSynonym:
      for (const std::string& t : n.synonyms) ++(*out)[t];
      return;
    case QueryKind::kBoolean:
      for (const BooleanClause& c : n.clauses)
        if (c.occur != Occur::kMustNot) CollectTerms(*c.node, out);
      return;
    case QueryKind::kPrefix:
    case QueryKind::kMatchNone:
      return;
  }
}

}  // namespace

absl::StatusOr<FeedbackParams> ParseFeedback(const RankingOptions& o) {
  FeedbackParams p;
  if (o.expand.empty() || o.expand == "none") {
    p.kind = ExpansionKind::kNone;
  } else if (o.expand == "rm3") {
    p.kind = ExpansionKind::kRm3;
  } else if (o.expand == "bo1") {
    p.kind = ExpansionKind::kBo1;
    p.fb_docs = 3;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown expansion \"", o.expand, "\" (expansions: rm3, bo1, none)"));
  }
  // Negative = the default; NaN is neither, so it is refused rather than read as the default.
  if (std::isnan(o.fb_weight)) return absl::InvalidArgumentError("feedback: fb_weight is NaN");
  const bool any = o.fb_docs >= 0 || o.fb_terms >= 0 || o.fb_weight >= 0;
  if (p.kind == ExpansionKind::kNone) {
    if (any) return absl::InvalidArgumentError("--fb-docs/--fb-terms/--fb-weight need --expand");
    return p;
  }
  if (o.fb_docs >= 0) p.fb_docs = o.fb_docs;
  if (o.fb_terms >= 0) p.fb_terms = o.fb_terms;
  if (p.fb_docs < 1 || p.fb_terms < 1)
    return absl::InvalidArgumentError("feedback: need fb_docs >= 1 and fb_terms >= 1");
  if (o.fb_weight >= 0) {
    if (p.kind == ExpansionKind::kBo1)
      return absl::InvalidArgumentError(
          "--fb-weight is rm3's original-query weight; bo1 adds its weights to the query's");
    if (!(o.fb_weight <= 1)) return absl::InvalidArgumentError("feedback: need fb_weight <= 1");
    p.fb_weight = o.fb_weight;
  }
  return p;
}

absl::StatusOr<std::vector<std::pair<std::string, double>>> ExpansionWeights(
    const FeedbackParams& p, const std::vector<std::pair<std::string, uint32_t>>& query_terms,
    const std::vector<FeedbackDoc>& docs, uint64_t num_docs, const TermCountsFn& counts) {
  if (num_docs == 0) return Weighted{};
  if (p.kind == ExpansionKind::kRm3) return Rm3(p, query_terms, docs, num_docs, counts);
  if (p.kind == ExpansionKind::kBo1) return Bo1(p, query_terms, docs, num_docs, counts);
  return absl::InvalidArgumentError("feedback: no expansion method");
}

absl::StatusOr<QueryPtr> ExpandQuery(const QueryNode& query, const IndexReader& reader,
                                     Analyzer* analyzer, const PlanOptions& popts,
                                     const FeedbackParams& p) {
  if (query.kind == QueryKind::kMatchNone) return QueryPtr();
  const index::Snapshot& index = index::SnapshotOf(reader);
  SCOUR_ASSIGN_OR_RETURN(std::unique_ptr<PlanNode> plan, BuildPlan(query, index, popts));
  SCOUR_ASSIGN_OR_RETURN(ExecResult first,
                         Execute(*plan, index, static_cast<size_t>(p.fb_docs), false));
  if (first.top.empty()) return QueryPtr();
  std::vector<std::string> fields;
  for (uint32_t f : popts.default_fields) fields.push_back(index.manifest.fields[f]);
  std::vector<FeedbackDoc> docs;
  // Term vectors when every segment has them (the indexed terms: what re-analysis gives).
  const bool vectors = !index.segments.empty() &&
                       std::all_of(index.segments.begin(), index.segments.end(),
                                   [](const auto& s) { return s->term_vectors() != nullptr; });
  if (vectors) {
    std::vector<index::FieldTermVector> fv;
    for (const ScoredDoc& d : first.top) {
      const auto [seg, local] = index.Locate(d.doc);
      SCOUR_RETURN_IF_ERROR(index.segments[seg]->term_vectors()->Get(local, &fv));
      std::map<std::string, uint32_t> tf;
      for (const index::FieldTermVector& v : fv) {
        if (std::find(popts.default_fields.begin(), popts.default_fields.end(), v.field) ==
            popts.default_fields.end())
          continue;
        for (auto& [term, n] : v.terms) tf[std::move(term)] += n;
      }
      docs.push_back(FeedbackDoc{{tf.begin(), tf.end()}, d.score});
    }
  }
  bool any_text = vectors;
  // Re-analysis must see what the indexer indexed: every stored value of the searched fields
  // (each value of a multi-valued one), and when a searched field has tokens in the document
  // but is not stored (a field made by `index --combine`), the stored fields with no tokens of
  // their own in it (what --combine keeps of its sources) in place of its text.
  auto field_id = [&](std::string_view name) -> uint32_t {  // 0 (never searched) if unknown
    const auto& names = index.manifest.fields;
    auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? 0 : static_cast<uint32_t>(it - names.begin());
  };
  auto searched = [&](uint32_t f) {
    return std::find(popts.default_fields.begin(), popts.default_fields.end(), f) !=
           popts.default_fields.end();
  };
  for (const ScoredDoc& d : first.top) {
    if (vectors) break;
    SCOUR_ASSIGN_OR_RETURN(StoredDocument doc, reader.Document(d.doc));
    const auto [seg, local] = index.Locate(d.doc);
    auto has_tokens = [&, seg = seg, local = local](uint32_t f) {
      const uint8_t* n = index.segments[seg]->norms(f);
      return n != nullptr && n[local] != 0;
    };
    bool combined = false;
    for (uint32_t f : popts.default_fields)
      combined |= has_tokens(f) && doc.Get(index.manifest.fields[f]) == nullptr;
    std::vector<const std::string*> texts;
    for (const auto& [name, value] : doc.fields) {
      const uint32_t f = field_id(name);
      if (searched(f) || (combined && !has_tokens(f))) texts.push_back(&value);
    }
    std::map<std::string, uint32_t, std::less<>> tf;
    uint32_t position = 0;
    for (const std::string* text : texts) {
      any_text = true;
      SCOUR_RETURN_IF_ERROR(analyzer->ForEachToken(
          *text,
          [&](std::string_view term, uint32_t pos, uint32_t, uint32_t) {
            position = pos;
            auto it = tf.find(term);
            if (it == tf.end()) it = tf.emplace(std::string(term), 0).first;
            ++it->second;
          },
          position));
    }
    docs.push_back(FeedbackDoc{{tf.begin(), tf.end()}, d.score});
  }
  if (!any_text)
    return absl::InvalidArgumentError(
        "feedback re-analyses the feedback documents' stored text, and this index stores none "
        "for them (index with --store, or with --term-vectors)");
  std::map<std::string, uint32_t> qterms;
  CollectTerms(query, &qterms);
  TermCountsFn counts = [&](const std::string& term) -> absl::StatusOr<TermCounts> {
    TermCounts c;
    for (const std::string& f : fields) {
      SCOUR_ASSIGN_OR_RETURN(TermStatistics s, reader.term_statistics(f, term));
      c.doc_freq += s.doc_freq;
      c.total_term_freq += s.total_term_freq;
    }
    return c;
  };
  SCOUR_ASSIGN_OR_RETURN(Weighted w, ExpansionWeights(p, {qterms.begin(), qterms.end()}, docs,
                                                      reader.num_docs(), counts));
  if (w.empty()) return QueryPtr();
  std::vector<BooleanClause> clauses;
  for (const auto& [term, weight] : w)
    clauses.push_back({Occur::kShould, QueryNode::Term("", term, static_cast<float>(weight))});
  return QueryNode::Boolean(std::move(clauses));
}

}  // namespace scour::engine
