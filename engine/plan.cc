#include "engine/plan.h"

#include <algorithm>
#include <span>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "engine/leaf_cursors.h"

namespace scour::engine {
namespace {

// The one place bind reads collection statistics: the snapshot's own, replaced by
// PlanOptions::statistics when a search supplies them (global statistics over shards).
class BindStatistics {
 public:
  BindStatistics(const index::Snapshot& index, const StatisticsSource* source)
      : index_(index), source_(source) {}
  absl::StatusOr<FieldStatistics> Field(uint32_t field) const {
    FieldStatistics local = index_.FieldStats(field);
    if (source_ == nullptr) return local;
    return source_->Field(local);
  }
  // With `states`, also appends the term's entry in each segment as term `word` of the leaf
  // (PlanNode::states).
  absl::StatusOr<TermStatistics> Term(uint32_t field, std::string_view term,
                                      std::vector<TermState>* states = nullptr,
                                      uint32_t word = 0) const {
    std::vector<std::optional<index::TermInfo>> entries;
    SCOUR_ASSIGN_OR_RETURN(TermStatistics local,
                           index_.TermStats(field, term, states ? &entries : nullptr));
    if (states != nullptr) {
      for (size_t s = 0; s < entries.size(); ++s) {
        states->push_back({word, index_.segments[s].get(), index_.segments[s], entries[s]});
      }
    }
    if (source_ == nullptr) return local;
    return source_->Term(local);
  }

 private:
  const index::Snapshot& index_;
  const StatisticsSource* source_;
};

absl::StatusOr<TermScorer> PrepareWith(const Similarity& sim, const FieldStatistics& field,
                                       std::span<const TermStatistics> terms, float boost) {
  std::unique_ptr<SimScorer> s = sim.Prepare(field, terms, boost);
  if (s == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("scoring model \"", sim.Name(),
                                                   "\" prepared no scorer for field ", field.name));
  }
  return TermScorer(std::move(s));
}

float FieldWeight(const PlanOptions& o, const std::string& name) {
  for (const auto& [n, w] : o.field_weights)
    if (n == name) return w;
  return 1.0f;
}

float FieldB(const PlanOptions& o, const std::string& name) {
  for (const auto& [n, b] : o.field_b)
    if (n == name) return b;
  return o.b;
}

// The model a field's leaves are scored with: bm25f scores phrases, prefixes and synonyms per
// field by Lucene BM25 with the field's own b.
absl::StatusOr<TermScorer> Prepare(const PlanOptions& o, const FieldStatistics& field,
                                   std::span<const TermStatistics> terms, float boost) {
  if (!o.bm25f) return PrepareWith(*o.similarity, field, terms, boost);
  SCOUR_ASSIGN_OR_RETURN(std::shared_ptr<const Similarity> sim,
                         BuiltinSimilarity({"bm25", o.k1, FieldB(o, field.name)}));
  return PrepareWith(*sim, field, terms, boost);
}

// BM25F's leaf: one term over `fields`, each field's frequency scaled by w_f / B_f(dl) and the
// sum saturated once by Lucene BM25 with b = 0, prepared with the combined statistics
// (docs/SCORING.md).
absl::StatusOr<std::unique_ptr<PlanNode>> CombinedLeaf(const QueryNode& q,
                                                       const std::vector<uint32_t>& fields,
                                                       float boost, const index::Snapshot& index,
                                                       const PlanOptions& o) {
  auto n = std::make_unique<PlanNode>();
  n->kind = PlanKind::kCombined;
  n->term = q.text;
  n->boost = boost * q.boost;
  const BindStatistics bind(index, o.statistics);
  FieldStatistics pseudo_field;
  pseudo_field.name = "bm25f";
  TermStatistics pseudo_term;
  pseudo_term.field = "bm25f";
  pseudo_term.term = q.text;
  std::string label;
  for (uint32_t f : fields) {
    const std::string& fname = index.manifest.fields[f];
    SCOUR_ASSIGN_OR_RETURN(const FieldStatistics stats, bind.Field(f));
    SCOUR_ASSIGN_OR_RETURN(const TermStatistics ts, bind.Term(f, q.text));
    absl::StrAppend(&label, label.empty() ? "" : " ", fname, ":", q.text);
    pseudo_field.docs_with_field = std::max(pseudo_field.docs_with_field, stats.docs_with_field);
    pseudo_field.sum_total_term_freq += stats.sum_total_term_freq;
    pseudo_field.sum_doc_freq += stats.sum_doc_freq;
    pseudo_term.doc_freq = std::max(pseudo_term.doc_freq, ts.doc_freq);
    pseudo_term.total_term_freq += ts.total_term_freq;
    if (stats.docs_with_field == 0) continue;  // no document has the field
    CombinedField cf;
    cf.field = f;
    const float w = FieldWeight(o, fname), b = FieldB(o, fname);
    const float avgdl = static_cast<float>(static_cast<double>(stats.sum_total_term_freq) /
                                           static_cast<double>(stats.docs_with_field));
    for (int norm = 0; norm < 256; ++norm) {
      const float dl = NormLength(static_cast<uint8_t>(norm));
      const float norm_b = (1.0f - b) + b * (avgdl > 0 ? dl / avgdl : 1.0f);
      cf.scale[norm] = norm_b > 0 ? w / norm_b : 0.0f;
    }
    float m = 0.0f;
    for (int norm = 255; norm >= 0; --norm) cf.max_scale[norm] = m = std::max(m, cf.scale[norm]);
    n->combined.push_back(cf);
  }
  n->df = pseudo_term.doc_freq;
  n->ttf = pseudo_term.total_term_freq;
  SCOUR_ASSIGN_OR_RETURN(std::shared_ptr<const Similarity> saturation,
                         BuiltinSimilarity({"bm25", o.k1, 0.0f}));
  SCOUR_ASSIGN_OR_RETURN(
      n->scorer, PrepareWith(*saturation, pseudo_field, std::span(&pseudo_term, 1), n->boost));
  n->label = absl::StrCat("bm25f(", label, ")");
  return n;
}

absl::StatusOr<std::vector<uint32_t>> FieldsOf(const QueryNode& q, const index::Snapshot& index,
                                               const PlanOptions& o) {
  if (q.field.empty()) return o.default_fields;
  int id = index.manifest.FieldId(q.field);
  // Bound with a collection's fields (a shard of a set), the parser has checked the name against
  // them: a field this reader never saw matches nothing here.
  if (id <= 0 && o.statistics != nullptr && !o.statistics->Fields().empty())
    return std::vector<uint32_t>{};
  if (id <= 0) {
    std::string names;
    for (size_t i = 1; i < index.manifest.fields.size(); ++i)
      absl::StrAppend(&names, i > 1 ? ", " : "", index.manifest.fields[i]);
    return absl::InvalidArgumentError(
        absl::StrCat("unknown field \"", q.field, "\" (fields: ", names, ")"));
  }
  return std::vector<uint32_t>{static_cast<uint32_t>(id)};
}

absl::StatusOr<std::unique_ptr<PlanNode>> Leaf(const QueryNode& q, uint32_t field, float boost,
                                               const index::Snapshot& index, const PlanOptions& o) {
  auto n = std::make_unique<PlanNode>();
  n->field = field;
  const std::string& fname = index.manifest.fields[field];
  n->boost = boost * q.boost * FieldWeight(o, fname);
  const BindStatistics bind(index, o.statistics);
  switch (q.kind) {
    case QueryKind::kTerm: {
      n->kind = PlanKind::kTerm;
      n->term = q.text;
      SCOUR_ASSIGN_OR_RETURN(const FieldStatistics stats, bind.Field(field));
      SCOUR_ASSIGN_OR_RETURN(const TermStatistics ts, bind.Term(field, q.text, &n->states));
      n->df = ts.doc_freq;
      SCOUR_ASSIGN_OR_RETURN(n->scorer, Prepare(o, stats, std::span(&ts, 1), n->boost));
      if (o.proximity) {
        n->bm25_weight =
            n->boost * Idf(RankerKind::kLuceneBm25, ts.doc_freq, stats.docs_with_field);
        n->proximity_avgdl =
            stats.docs_with_field == 0
                ? 1.0f
                : static_cast<float>(stats.sum_total_term_freq) / stats.docs_with_field;
      }
      n->label = absl::StrCat(fname, ":", q.text);
      break;
    }
    case QueryKind::kPhrase: {
      n->kind = PlanKind::kPhrase;
      n->phrase = q.phrase;
      n->slop = q.slop;
      SCOUR_ASSIGN_OR_RETURN(const FieldStatistics stats, bind.Field(field));
      std::vector<TermStatistics> terms;
      std::string words;
      for (const PhraseTerm& t : q.phrase) {
        SCOUR_ASSIGN_OR_RETURN(TermStatistics ts, bind.Term(field, t.term, &n->states,
                                                            static_cast<uint32_t>(terms.size())));
        terms.push_back(std::move(ts));
        absl::StrAppend(&words, words.empty() ? "" : " ", t.term);
      }
      SCOUR_ASSIGN_OR_RETURN(n->scorer, Prepare(o, stats, terms, n->boost));
      n->label = absl::StrCat(fname, ":\"", words, "\"", q.slop ? absl::StrCat("~", q.slop) : "");
      break;
    }
    case QueryKind::kSynonym: {
      n->kind = PlanKind::kSynonym;
      n->synonyms = q.synonyms;
      SCOUR_ASSIGN_OR_RETURN(const FieldStatistics stats, bind.Field(field));
      std::vector<TermStatistics> alternatives;
      for (const std::string& t : q.synonyms) {
        SCOUR_ASSIGN_OR_RETURN(
            TermStatistics ts,
            bind.Term(field, t, &n->states, static_cast<uint32_t>(alternatives.size())));
        alternatives.push_back(std::move(ts));
      }
      const TermStatistics pseudo = SynonymPseudoTerm(alternatives);
      n->df = pseudo.doc_freq;
      n->ttf = pseudo.total_term_freq;
      SCOUR_ASSIGN_OR_RETURN(n->scorer, Prepare(o, stats, std::span(&pseudo, 1), n->boost));
      std::string label = "Synonym(";
      for (size_t i = 0; i < q.synonyms.size(); ++i)
        absl::StrAppend(&label, i ? " " : "", fname, ":", q.synonyms[i]);
      n->label = label + ")";
      break;
    }
    case QueryKind::kPrefix: {
      n->kind = PlanKind::kPrefix;
      n->term = q.text;
      SCOUR_ASSIGN_OR_RETURN(n->expansion, ExpandSurfaceForms(index, field, q.text));
      n->label = absl::StrCat(fname, ":", q.text, "*");
      break;
    }
    default:
      return absl::InternalError("not a leaf");
  }
  return n;
}

absl::StatusOr<std::unique_ptr<PlanNode>> Build(const QueryNode& q, float boost,
                                                const index::Snapshot& index,
                                                const PlanOptions& o) {
  if (q.kind == QueryKind::kMatchNone) return std::make_unique<PlanNode>();
  if (q.kind == QueryKind::kBoolean) {
    auto n = std::make_unique<PlanNode>();
    n->kind = PlanKind::kBool;
    for (const BooleanClause& c : q.clauses) {
      SCOUR_ASSIGN_OR_RETURN(auto child, Build(*c.node, boost * q.boost, index, o));
      n->clauses.emplace_back(c.occur, std::move(child));
    }
    return n;
  }
  SCOUR_ASSIGN_OR_RETURN(std::vector<uint32_t> fields, FieldsOf(q, index, o));
  if (o.bm25f && q.kind == QueryKind::kTerm) return CombinedLeaf(q, fields, boost, index, o);
  if (fields.size() == 1) return Leaf(q, fields[0], boost, index, o);
  // An unqualified leaf over several fields: matches in any, scores summed (as a Lucene
  // BooleanQuery of per-field SHOULD clauses).
  auto n = std::make_unique<PlanNode>();
  n->kind = fields.empty() ? PlanKind::kNone : PlanKind::kBool;
  for (uint32_t f : fields) {
    SCOUR_ASSIGN_OR_RETURN(auto leaf, Leaf(q, f, boost, index, o));
    n->clauses.emplace_back(Occur::kShould, std::move(leaf));
  }
  return n;
}

void Collect(const PlanNode& n, bool negated, std::vector<std::string>* terms,
             std::vector<std::vector<std::string>>* phrases, std::vector<std::string>* prefixes) {
  if (negated) return;
  switch (n.kind) {
    case PlanKind::kTerm:
    case PlanKind::kCombined:
      terms->push_back(n.term);
      break;
    case PlanKind::kPhrase: {
      std::vector<std::string> p;
      for (const auto& t : n.phrase) p.push_back(t.term);
      phrases->push_back(std::move(p));
      break;
    }
    case PlanKind::kPrefix:
      prefixes->push_back(n.term);
      // The terms of the words as written it expanded to match exactly ("committee*" finds
      // "committe", which does not start with it).
      terms->insert(terms->end(), n.expansion.begin(), n.expansion.end());
      break;
    case PlanKind::kSynonym:
      for (const std::string& t : n.synonyms) terms->push_back(t);
      break;
    case PlanKind::kBool:
      for (const auto& [o, c] : n.clauses)
        Collect(*c, o == Occur::kMustNot, terms, phrases, prefixes);
      break;
    case PlanKind::kNone:
      break;
  }
}

}  // namespace

TermStatistics SynonymPseudoTerm(const std::vector<TermStatistics>& alternatives) {
  TermStatistics pseudo;
  for (const TermStatistics& t : alternatives) {
    pseudo.doc_freq = std::max(pseudo.doc_freq, t.doc_freq);
    pseudo.total_term_freq += t.total_term_freq;
  }
  return pseudo;
}

absl::StatusOr<std::unique_ptr<PlanNode>> BuildPlan(const QueryNode& query,
                                                    const index::Snapshot& index,
                                                    const PlanOptions& options) {
  return Build(query, 1.0f, index, options);
}

const std::optional<index::TermInfo>* EntryIn(const PlanNode& leaf, const index::SegmentReader& seg,
                                              uint32_t word) {
  for (const TermState& st : leaf.states) {
    if (st.word == word && st.reader == &seg && !st.alive.expired()) return &st.entry;
  }
  return nullptr;
}

void CollectHighlightTerms(const PlanNode& plan, std::vector<std::string>* terms,
                           std::vector<std::vector<std::string>>* phrases,
                           std::vector<std::string>* prefixes) {
  Collect(plan, false, terms, phrases, prefixes);
}

}  // namespace scour::engine
