#include "engine/synonym_expand.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace scour::engine {
namespace {

// The rule's alternatives: its input when it keeps the original, then its outputs.
std::vector<const SynonymEntry*> Alternatives(const SynonymRule& rule) {
  std::vector<const SynonymEntry*> alts;
  if (rule.keep_original) alts.push_back(&rule.input);
  for (const SynonymEntry& e : rule.outputs) alts.push_back(&e);
  return alts;
}

// The single-term alternatives as one node: a Term, or a Synonym of several.
QueryPtr SingleTerms(const std::string& field, std::vector<std::string> terms) {
  if (terms.size() == 1) return QueryNode::Term(field, std::move(terms[0]));
  return QueryNode::Synonym(field, std::move(terms));
}

// A matched span's group: the single-term alternatives as one node, each multi-term one a
// phrase; one node, or a SHOULD Boolean of them (carrying `boost`).
QueryPtr Group(const SynonymRule& rule, const std::string& field, float boost) {
  std::vector<std::string> singles;
  std::vector<QueryPtr> nodes;
  for (const SynonymEntry* alt : Alternatives(rule)) {
    if (alt->size() == 1) {
      singles.push_back((*alt)[0].term);
      continue;
    }
    std::vector<PhraseTerm> p;
    for (const SynonymTerm& t : *alt) p.push_back({t.term, t.position});
    nodes.push_back(QueryNode::Phrase(field, std::move(p)));
  }
  if (!singles.empty()) nodes.insert(nodes.begin(), SingleTerms(field, std::move(singles)));
  if (nodes.size() == 1) {
    nodes[0]->boost = boost;
    return std::move(nodes[0]);
  }
  std::vector<BooleanClause> clauses;
  for (QueryPtr& n : nodes) clauses.push_back({Occur::kShould, std::move(n)});
  return QueryNode::Boolean(std::move(clauses), boost);
}

class Expander {
 public:
  explicit Expander(const SynonymSet& set) : set_(set) {}
  uint32_t spans() const { return spans_; }

  absl::StatusOr<QueryPtr> Node(const QueryNode& q) {
    switch (q.kind) {
      case QueryKind::kTerm: {
        std::vector<BooleanClause> out;
        ExpandRun({&q}, Occur::kMust, &out);
        return std::move(out[0].node);
      }
      case QueryKind::kPhrase:
        return Phrase(q);
      case QueryKind::kBoolean:
        return Boolean(q);
      default:
        return q.Clone();
    }
  }

 private:
  absl::StatusOr<QueryPtr> Boolean(const QueryNode& q) {
    auto n = std::make_unique<QueryNode>();
    n->kind = QueryKind::kBoolean;
    n->boost = q.boost;
    for (size_t i = 0; i < q.clauses.size();) {
      const BooleanClause& c = q.clauses[i];
      if (c.node->kind != QueryKind::kTerm) {
        SCOUR_ASSIGN_OR_RETURN(QueryPtr child, Node(*c.node));
        n->clauses.push_back({c.occur, std::move(child)});
        ++i;
        continue;
      }
      std::vector<const QueryNode*> run;
      for (; i < q.clauses.size(); ++i) {
        const BooleanClause& d = q.clauses[i];
        if (d.occur != c.occur || d.node->kind != QueryKind::kTerm ||
            d.node->field != c.node->field || d.node->boost != c.node->boost)
          break;
        run.push_back(d.node.get());
      }
      ExpandRun(run, c.occur, &n->clauses);
    }
    // A Boolean that became one positive clause (a run that was one span) is that clause.
    if (n->clauses.size() == 1 && n->clauses[0].occur != Occur::kMustNot) {
      QueryPtr only = std::move(n->clauses[0].node);
      only->boost *= n->boost;
      return only;
    }
    return n;
  }

  // Terms at consecutive positions: each matched span one clause of its group, the others
  // copied.
  void ExpandRun(const std::vector<const QueryNode*>& run, Occur occur,
                 std::vector<BooleanClause>* out) {
    std::vector<std::string_view> terms;
    std::vector<uint32_t> positions;
    for (const QueryNode* t : run) {
      terms.push_back(t->text);
      positions.push_back(static_cast<uint32_t>(positions.size()));
    }
    for (size_t k = 0; k < run.size();) {
      const SynonymRule* rule = set_.LongestMatch(std::span(terms).subspan(k),
                                                  std::span<const uint32_t>(positions).subspan(k));
      if (rule == nullptr) {
        out->push_back({occur, run[k]->Clone()});
        ++k;
        continue;
      }
      ++spans_;
      out->push_back({occur, Group(*rule, run[k]->field, run[k]->boost)});
      k += rule->input.size();
    }
  }

  absl::StatusOr<QueryPtr> Phrase(const QueryNode& q) {
    struct Variant {
      std::vector<PhraseTerm> terms;
      int64_t shift = 0;  // positions gained (lost) by the alternatives so far
    };
    std::vector<Variant> variants(1);
    std::vector<std::string_view> terms;
    std::vector<uint32_t> positions;
    for (const PhraseTerm& t : q.phrase) {
      terms.push_back(t.term);
      positions.push_back(t.position);
    }
    bool matched = false;
    for (size_t k = 0; k < q.phrase.size();) {
      const SynonymRule* rule = set_.LongestMatch(std::span(terms).subspan(k),
                                                  std::span<const uint32_t>(positions).subspan(k));
      const uint32_t at = q.phrase[k].position;
      if (rule == nullptr) {
        for (Variant& v : variants)
          v.terms.push_back({q.phrase[k].term, static_cast<uint32_t>(at + v.shift)});
        ++k;
        continue;
      }
      matched = true;
      ++spans_;
      const auto alts = Alternatives(*rule);
      if (variants.size() * alts.size() > kMaxPhraseVariants) {
        std::string text;
        q.AppendTo(&text);
        return absl::InvalidArgumentError(absl::StrCat(
            "phrase ", text, " has more than ", kMaxPhraseVariants, " variants with its synonyms"));
      }
      const int64_t in_len = rule->input.back().position + 1;
      std::vector<Variant> next;
      for (const Variant& v : variants) {
        for (const SynonymEntry* alt : alts) {
          Variant w = v;
          for (const SynonymTerm& t : *alt)
            w.terms.push_back({t.term, static_cast<uint32_t>(at + v.shift + t.position)});
          w.shift += static_cast<int64_t>(alt->back().position + 1) - in_len;
          next.push_back(std::move(w));
        }
      }
      variants = std::move(next);
      k += rule->input.size();
    }
    if (!matched) return q.Clone();
    // Variants of one term (the whole phrase was a span) are scored as one term together.
    std::vector<std::string> singles;
    std::vector<QueryPtr> nodes;
    for (Variant& v : variants) {
      if (v.terms.size() == 1) {
        singles.push_back(std::move(v.terms[0].term));
      } else {
        nodes.push_back(QueryNode::Phrase(q.field, std::move(v.terms), q.slop));
      }
    }
    if (!singles.empty()) nodes.insert(nodes.begin(), SingleTerms(q.field, std::move(singles)));
    if (nodes.size() == 1) {
      nodes[0]->boost = q.boost;
      return std::move(nodes[0]);
    }
    std::vector<BooleanClause> clauses;
    for (QueryPtr& n : nodes) clauses.push_back({Occur::kShould, std::move(n)});
    return QueryNode::Boolean(std::move(clauses), q.boost);
  }

  const SynonymSet& set_;
  uint32_t spans_ = 0;
};

}  // namespace

absl::StatusOr<Expanded> ExpandSynonyms(const QueryNode& query, const SynonymSet& set) {
  Expander e(set);
  Expanded out;
  SCOUR_ASSIGN_OR_RETURN(out.query, e.Node(query));
  out.spans = e.spans();
  return out;
}

Expanded PlainTextWithSynonyms(const std::vector<std::pair<std::string, uint32_t>>& analysed,
                               const SynonymSet& set, bool default_and) {
  std::vector<std::string_view> terms;
  std::vector<uint32_t> positions;
  for (const auto& [t, p] : analysed) {
    terms.push_back(t);
    positions.push_back(p);
  }
  Expanded out;
  std::vector<QueryPtr> nodes;
  auto add = [&](QueryPtr n) {
    for (const QueryPtr& m : nodes)
      if (m->Equals(*n)) return;
    nodes.push_back(std::move(n));
  };
  for (size_t k = 0; k < analysed.size();) {
    const SynonymRule* rule = set.LongestMatch(std::span(terms).subspan(k),
                                               std::span<const uint32_t>(positions).subspan(k));
    if (rule == nullptr) {
      add(QueryNode::Term("", analysed[k].first));
      ++k;
      continue;
    }
    ++out.spans;
    add(Group(*rule, "", 1.0f));
    k += rule->input.size();
  }
  if (nodes.size() == 1) {
    out.query = std::move(nodes[0]);
    return out;
  }
  std::vector<BooleanClause> clauses;
  for (QueryPtr& n : nodes)
    clauses.push_back({default_and ? Occur::kMust : Occur::kShould, std::move(n)});
  out.query = QueryNode::Boolean(std::move(clauses));
  return out;
}

absl::StatusOr<uint32_t> ApplySynonyms(const SynonymSet& set, std::string_view text,
                                       const QueryAnalyzeFn& analyze, bool query_syntax,
                                       bool default_and, QueryPtr* query) {
  if ((*query)->kind == QueryKind::kMatchNone) return 0;
  Expanded expanded;
  if (query_syntax) {
    SCOUR_ASSIGN_OR_RETURN(expanded, ExpandSynonyms(**query, set));
  } else {
    std::vector<std::pair<std::string, uint32_t>> analysed;
    SCOUR_RETURN_IF_ERROR(analyze(text, &analysed));
    expanded = PlainTextWithSynonyms(analysed, set, default_and);
  }
  // Without a match the query stays as parsed, so a set that matches nothing changes nothing.
  if (expanded.spans > 0) *query = std::move(expanded.query);
  return expanded.spans;
}

}  // namespace scour::engine
