// The parsed query: a small tree of Term / Phrase / Prefix / Boolean / MatchNone nodes
// (docs/QUERY.md), and Synonym nodes after synonym expansion (engine/synonym_expand.h). Plain
// values: immutable after parsing by convention, safe to read from several threads. Field "" means
// the index's default fields. Terms are already analysed; prefixes are case-folded.
#ifndef SCOUR_ENGINE_QUERY_AST_H_
#define SCOUR_ENGINE_QUERY_AST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace scour::engine {

enum class QueryKind : uint8_t { kTerm, kPhrase, kPrefix, kBoolean, kMatchNone, kSynonym };

enum class Occur : uint8_t { kMust, kShould, kMustNot };

struct QueryNode;
using QueryPtr = std::unique_ptr<QueryNode>;

struct PhraseTerm {
  std::string term;
  uint32_t position;  // relative to the phrase's first term (which is at 0); non-decreasing
};

struct BooleanClause {
  Occur occur;
  QueryPtr node;  // never null
};

// One node; which members are meaningful depends on `kind`.
struct QueryNode {
  QueryKind kind = QueryKind::kMatchNone;
  std::string field;                   // kTerm, kPhrase, kPrefix, kSynonym
  std::string text;                    // kTerm: the term; kPrefix: the prefix; kMatchNone: why
  std::vector<PhraseTerm> phrase;      // kPhrase: >= 2 terms
  uint32_t slop = 0;                   // kPhrase
  std::vector<BooleanClause> clauses;  // kBoolean: >= 1 MUST or SHOULD clause
  // kSynonym: >= 2 distinct terms scored as one (docs/SYNONYMS.md, Lucene's SynonymQuery).
  std::vector<std::string> synonyms;
  float boost = 1.0f;

  static QueryPtr Term(std::string field, std::string term, float boost = 1.0f);
  static QueryPtr Phrase(std::string field, std::vector<PhraseTerm> terms, uint32_t slop = 0,
                         float boost = 1.0f);
  static QueryPtr Prefix(std::string field, std::string prefix, float boost = 1.0f);
  static QueryPtr Boolean(std::vector<BooleanClause> clauses, float boost = 1.0f);
  static QueryPtr MatchNone(std::string why = "");
  static QueryPtr Synonym(std::string field, std::vector<std::string> terms, float boost = 1.0f);

  QueryPtr Clone() const;

  // Canonical form, e.g. `(+text:parti +"unit front"~2 -war^1.5)`; MatchNone prints as `()`.
  // Re-parsing it with default options gives the same string (see docs/QUERY.md for the limits);
  // a Synonym node prints as Lucene's `Synonym(text:ccp text:cpc)`, for display only.
  std::string ToString() const;
  void AppendTo(std::string* out) const;

  // Structural equality (kind, fields, terms, positions, slop, boosts, clauses in order).
  bool Equals(const QueryNode& other) const;
};

// Appends `s` with the query language's special characters backslash-escaped, so that the
// parser reads it back as one word with the same text (used by ToString).
void AppendEscapedWord(std::string_view s, std::string* out);

}  // namespace scour::engine

#endif  // SCOUR_ENGINE_QUERY_AST_H_
