#include "engine/plan.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace scour::engine {
namespace {

absl::StatusOr<uint64_t> GlobalDf(const index::Snapshot& index, uint32_t field,
                                  std::string_view term) {
  SCOUR_ASSIGN_OR_RETURN(TermStatistics stats, index.TermStats(field, term));
  return stats.doc_freq;
}

float FieldWeight(const PlanOptions& o, const std::string& name) {
  for (const auto& [n, w] : o.field_weights)
    if (n == name) return w;
  return 1.0f;
}

absl::StatusOr<std::vector<uint32_t>> FieldsOf(const QueryNode& q, const index::Snapshot& index,
                                               const PlanOptions& o) {
  if (q.field.empty()) return o.default_fields;
  int id = index.manifest.FieldId(q.field);
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
  const FieldStatistics stats = index.FieldStats(field);
  switch (q.kind) {
    case QueryKind::kTerm: {
      n->kind = PlanKind::kTerm;
      n->term = q.text;
      SCOUR_ASSIGN_OR_RETURN(n->df, GlobalDf(index, field, q.text));
      n->scorer = TermScorer::ForTerm(o.ranker, stats, n->df, n->boost);
      n->label = absl::StrCat(fname, ":", q.text);
      break;
    }
    case QueryKind::kPhrase: {
      n->kind = PlanKind::kPhrase;
      n->phrase = q.phrase;
      n->slop = q.slop;
      float idf = 0;  // Lucene: a phrase's idf is the sum of its terms' idfs
      std::string words;
      for (const PhraseTerm& t : q.phrase) {
        SCOUR_ASSIGN_OR_RETURN(uint64_t df, GlobalDf(index, field, t.term));
        idf += Idf(o.ranker.kind, df, stats.docs_with_field);
        absl::StrAppend(&words, words.empty() ? "" : " ", t.term);
      }
      n->scorer = TermScorer::Create(o.ranker, stats, idf, n->boost);
      n->label = absl::StrCat(fname, ":\"", words, "\"", q.slop ? absl::StrCat("~", q.slop) : "");
      break;
    }
    case QueryKind::kSynonym: {
      n->kind = PlanKind::kSynonym;
      n->synonyms = q.synonyms;
      std::vector<TermStatistics> alternatives;
      for (const std::string& t : q.synonyms) {
        SCOUR_ASSIGN_OR_RETURN(TermStatistics ts, index.TermStats(field, t));
        alternatives.push_back(std::move(ts));
      }
      const TermStatistics pseudo = SynonymPseudoTerm(alternatives);
      n->df = pseudo.doc_freq;
      n->ttf = pseudo.total_term_freq;
      n->scorer = TermScorer::ForTerm(o.ranker, stats, n->df, n->boost);
      std::string label = "Synonym(";
      for (size_t i = 0; i < q.synonyms.size(); ++i)
        absl::StrAppend(&label, i ? " " : "", fname, ":", q.synonyms[i]);
      n->label = label + ")";
      break;
    }
    case QueryKind::kPrefix:
      n->kind = PlanKind::kPrefix;
      n->term = q.text;
      n->label = absl::StrCat(fname, ":", q.text, "*");
      break;
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

void CollectHighlightTerms(const PlanNode& plan, std::vector<std::string>* terms,
                           std::vector<std::vector<std::string>>* phrases,
                           std::vector<std::string>* prefixes) {
  Collect(plan, false, terms, phrases, prefixes);
}

}  // namespace scour::engine
